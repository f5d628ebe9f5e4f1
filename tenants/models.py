"""Public-schema models of the platform: districts, their host names, the template snapshot.

No personal data here (a test checks the public schema's columns).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.validators import SLUG_MAX_LENGTH, validate_district_slug, validate_ubigeo


def schema_name_for_slug(slug: str) -> str:
    return settings.DISTRICT_SCHEMA_PREFIX + slug.replace("-", "_")


class District(TenantMixin):
    """A municipality's workspace, with its own PostgreSQL schema ``d_<slug>``."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended (read-only)")
        ARCHIVED = "archived", _("Archived")

    name = models.CharField(_("name"), max_length=120)
    slug = models.CharField(
        _("slug"), max_length=SLUG_MAX_LENGTH, unique=True, validators=[validate_district_slug]
    )
    ubigeo = models.CharField(_("ubigeo"), max_length=6, unique=True, validators=[validate_ubigeo])
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    # Offboarding with a grace period: read-only (suspended) until then, archived after.
    archive_at = models.DateTimeField(_("archived from"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Onboarding creates the schema itself (from the template snapshot, in the same
    # transaction as this row); never drop a schema implicitly.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        """Archived now, or past the end of an offboarding's read-only period."""
        if self.status == self.Status.ARCHIVED:
            return True
        return self.archive_at is not None and self.archive_at <= timezone.now()

    @property
    def is_read_only(self) -> bool:
        return self.status == self.Status.SUSPENDED and not self.is_archived


class Domain(DomainMixin):
    """A host name routed to a district (``<slug>.<PLATFORM_DOMAIN>`` by default)."""

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class TemplateSnapshot(models.Model):
    """Schema-and-reference-data dump of the migrated template schema.

    ``fingerprint`` identifies the tenant migration graph the dump was taken at; a new
    migration gives a new fingerprint, and the template is migrated and dumped again.
    """

    fingerprint = models.CharField(max_length=64, unique=True)
    sql = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"template snapshot {self.fingerprint[:12]}"


class PooledSchema(models.Model):
    """A ready-made district schema (``pool_<hex>``) waiting to be renamed at onboarding.

    Made by replaying the template snapshot of ``fingerprint``; entries of an older
    fingerprint are dropped when the pool is refilled.
    """

    schema_name = models.CharField(max_length=63, unique=True)
    fingerprint = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.schema_name
