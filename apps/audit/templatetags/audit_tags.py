from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def changed_fields(diff: dict[str, Any] | None) -> str:
    """The names of the fields an update changed (never their values)."""
    return ", ".join(sorted(diff or {}))


@register.filter
def context_user(context: dict[str, Any] | None, usernames: dict[int, str]) -> str:
    user_id = (context or {}).get("user")
    return usernames.get(int(user_id), "") if user_id else ""
