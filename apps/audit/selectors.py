"""Reads of the audit trail: the access log and the history of changes to personal data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from pghistory.models import Events

from apps.audit.models import AccessLogEntry


@dataclass(frozen=True)
class AuditFilters:
    username: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None


def access_log_list(*, filters: AuditFilters) -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.all()
    if filters.username:
        entries = entries.filter(username__icontains=filters.username)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.since:
        entries = entries.filter(at__date__gte=filters.since)
    if filters.until:
        entries = entries.filter(at__date__lte=filters.until)
    return entries.order_by("-at", "-pk")


def change_history_list(*, filters: AuditFilters) -> QuerySet[Events]:
    """Every recorded insert, update and delete of personal data, newest first. The page
    shows which fields changed, not their values."""
    events = Events.objects.all()
    since, until = filters.since, filters.until
    if filters.username:
        user_ids = list(
            get_user_model()
            .objects.filter(username__icontains=filters.username)
            .values_list("pk", flat=True)
        )
        events = events.filter(pgh_context__user__in=user_ids)
    if since:
        events = events.filter(pgh_created_at__date__gte=since)
    if until:
        events = events.filter(pgh_created_at__date__lte=until)
    return events.order_by("-pgh_created_at")


def event_usernames(events: Iterable[Any]) -> dict[int, str]:
    """Who made each change: the user ids the history context recorded, as usernames."""
    ids = {
        int(e.pgh_context["user"]) for e in events if e.pgh_context and e.pgh_context.get("user")
    }
    return dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))
