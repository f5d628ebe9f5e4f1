from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLogEntry(models.Model):
    """One view or export of personal data. The database refuses updates and deletes."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        SEARCH = "search", _("Searched")
        MERGE = "merge", _("Merged two records")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Kept as text too, so the log still says who after an account is renamed.
    username = models.CharField(_("user"), max_length=150)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=60)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    # What was exported or searched (filters, row count); never personal data itself.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}"
