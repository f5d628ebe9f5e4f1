"""E-mails to a workspace's staff (reminders), in the platform's language.

Recipients are read in the schema the connection is in: a district's accounts exist only
in its own schema. Each recipient gets a message of their own (no shared To: line).
Messages say what is due and where to look; they carry counts and links, never the
people concerned (an inbox is not the registry).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db.models import QuerySet

from apps.accounts.roles import DistrictRole


def reachable_staff() -> QuerySet[User]:
    """Accounts of the current schema that can act on a reminder: active, with an e-mail
    address, and a password set (an invitation not yet accepted gets no reminders)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .order_by("pk")
    )


def staff_with_role(*roles: DistrictRole) -> QuerySet[User]:
    """Reachable accounts with one of ``roles``, in the current schema."""
    return reachable_staff().filter(groups__name__in=[str(r) for r in roles]).distinct()


def staff_mail(*, recipients: Iterable[str], subject: str, body: str) -> int:
    """Send one message per recipient over one connection; return how many were sent."""
    messages = [
        EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
        for to in sorted(set(recipients))
    ]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def workspace_link(url_name: str) -> str:
    """Absolute URL of a page of the current district's workspace, for an e-mail."""
    from django.db import connection
    from django.urls import reverse

    from apps.accounts.services import base_url_for_host
    from tenants.services.onboarding import district_host

    district = connection.tenant  # type: ignore[attr-defined]
    return base_url_for_host(district_host(district.slug)) + reverse(url_name)
