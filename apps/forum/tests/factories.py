"""Forum rows for tests, made through the services (as the pages make them)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from apps.forum.models import Agreement, ForumSession
from apps.forum.services import ForumActor, agreement_create, forum_session_create
from apps.metrics.models import MetricValue
from conftest import log_in
from tenants.models import District

SECRETARIAT_EMAIL = "secretariat@platform.test"


def secretariat() -> User:
    """The secretariat's test account (public schema)."""
    return get_user_model().objects.get(username=SECRETARIAT_EMAIL)


def secretariat_actor() -> ForumActor:
    return ForumActor.secretariat(secretariat())


def portal_login(client: Client, email: str = SECRETARIAT_EMAIL) -> None:
    log_in(client, email)


PAST_STATUSES = {ForumSession.Status.HELD, ForumSession.Status.MINUTES_APPROVED}


def session_make(*, status: str = ForumSession.Status.DRAFT, **values: Any) -> ForumSession:
    """A session in two weeks, or, held (minutes approved or not), a month ago."""
    days = -30 if status in PAST_STATUSES else 14
    values.setdefault("held_on", timezone.localdate() + timedelta(days=days))
    values.setdefault("place", "Palacio Municipal de La Perla")
    session = forum_session_create(actor=secretariat_actor(), **values)
    if status != session.status:
        # Straight to the status asked for (tests only; the services check each move).
        ForumSession.objects.filter(pk=session.pk).update(status=status)
        session.refresh_from_db()
    return session


def agreement_make(session: ForumSession, districts: list[District], **values: Any) -> Agreement:
    values.setdefault("text", "Ampliar el horario de la oficina de orientación los sábados.")
    return agreement_create(
        actor=secretariat_actor(), session=session, responsible_districts=districts, **values
    )


def month_count(district: District, indicator: str, period: date, value: int) -> None:
    """One published monthly total of the joint metrics."""
    MetricValue.objects.create(
        district=district,
        indicator=indicator,
        period=period.replace(day=1),
        dimension="",
        dimension_value="",
        value=value,
        threshold=5,
    )
