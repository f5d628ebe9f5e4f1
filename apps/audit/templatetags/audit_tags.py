from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def changed_fields(diff: dict[str, Any] | None) -> str:
    """The names of the fields an update changed (never their values)."""
    return ", ".join(sorted(diff or {}))


@register.filter
def context_user(context: dict[str, Any] | None, usernames: dict[int, str]) -> str:
    user_id = (context or {}).get("user")
    return usernames.get(int(user_id), "") if user_id else ""


_LABELS = {"insert": _("Created"), "update": _("Changed"), "delete": _("Deleted")}


@register.filter
def event_label(label: str) -> str:
    return str(_LABELS.get(label, label))


@register.filter
def event_record(model_label: str) -> str:
    """'people.PersonEvent' -> the tracked record's name in the person's language."""
    try:
        event_model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return model_label
    tracked = getattr(event_model, "pgh_tracked_model", None)
    return str(tracked._meta.verbose_name) if tracked else model_label
