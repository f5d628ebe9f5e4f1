"""Read-only views of districts in Django's admin.

Districts are created, suspended, archived and reactivated only through the services in
tenants/services (the management commands and the platform console, ``/console/``): the
admin's own add, edit and delete would skip the schema, the seed and the invitation.
"""

from django.contrib import admin
from django.http import HttpRequest

from tenants.models import District, Domain, PlatformAdminAction


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class DomainInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(District)
class DistrictAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "ubigeo", "status", "archive_at", "schema_name", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "slug", "ubigeo"]
    inlines = [DomainInline]


@admin.register(PlatformAdminAction)
class PlatformAdminActionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "action", "district"]
    list_filter = ["action"]
    list_select_related = ["actor", "district"]
