"""API tokens for machine clients of the GraphQL API (public schema, stored hashed)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import District


class ApiToken(models.Model):
    """A bearer token acting as the account that created it, on one host only: its
    district's (``district``) or the platform's (``district`` null). Only a SHA-256 of the
    secret is kept (the secret is random and long, so a slow hash adds nothing); the
    secret is shown once, at creation. Tokens read; they never run mutations."""

    name = models.CharField(_("name"), max_length=80, help_text=_("What the client is for."))
    prefix = models.CharField(max_length=12, help_text=_("The secret's first characters."))
    key_hash = models.CharField(max_length=64, unique=True)
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The account, in the district's schema (or the public one), the token acts as.
    account_id = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
