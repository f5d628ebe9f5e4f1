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


class PlatformAdminAction(models.Model):
    """What a platform admin did to a district from the console: the activity log.

    Written by the console's services inside the same transaction as the change, so an
    entry exists exactly when the change does. ``detail`` holds identifiers (hosts, the
    status before and after, the coordinator's address an invitation went to), never data
    of the people districts serve. Backups and restores (``tenants.services.backup``) are
    recorded here too, with no actor when run from the command line: this log lives in the
    public schema, so it survives the restore that replaces a district's own access log.
    """

    class Action(models.TextChoices):
        ONBOARD = "onboard", _("Onboarded")
        SUSPEND = "suspend", _("Suspended")
        REACTIVATE = "reactivate", _("Reactivated")
        ARCHIVE = "archive", _("Archived")
        INVITATION_RESEND = "invitation_resend", _("Invitation sent again")
        DOMAIN_ADD = "domain_add", _("Address added")
        DOMAIN_PRIMARY = "domain_primary", _("Primary address changed")
        DOMAIN_REMOVE = "domain_remove", _("Address removed")
        BACKUP = "backup", _("Backed up")
        RESTORE = "restore", _("Restored from a backup")

    # PROTECT: an admin who acted is deactivated, never deleted, so the log keeps its author.
    # Empty for what the platform's operators ran from the command line (backups, restores).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("platform admin"),
    )
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="admin_actions", verbose_name=_("district")
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("platform admin action")
        verbose_name_plural = _("platform admin actions")
        indexes = [models.Index(fields=["district", "-at"], name="admin_action_district_at")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.district_id} {self.at:%Y-%m-%d %H:%M}"
