"""Writes of the access log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from apps.audit.models import AccessLogEntry


def access_record(
    *,
    user: User | AnonymousUser,
    action: AccessLogEntry.Action,
    object_type: str,
    object_id: str = "",
    detail: dict[str, Any] | None = None,
) -> AccessLogEntry:
    """Record that ``user`` viewed, searched or exported personal data."""
    return AccessLogEntry.objects.create(
        user=user if isinstance(user, User) else None,
        username=user.get_username() if isinstance(user, User) else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail or {},
    )
