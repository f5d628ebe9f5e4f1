from django.contrib import admin

from tenants.models import District, Domain


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "ubigeo", "status", "schema_name", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "slug", "ubigeo"]
    readonly_fields = ["schema_name", "slug", "created_at", "updated_at"]
    inlines = [DomainInline]
