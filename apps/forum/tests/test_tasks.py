"""The agreement-deadline reminder reaches the coordinators of the districts responsible."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from apps.forum.models import Agreement, ForumSession
from apps.forum.services import ForumActor, agreement_progress_post, agreement_status_set
from apps.forum.tasks import agreement_deadlines_remind
from apps.forum.tests.factories import agreement_make, secretariat_actor, session_make
from conftest import role_email
from tenants.models import District

pytestmark = pytest.mark.django_db


def test_each_responsible_district_hears_of_its_own_agreements_near_or_past_deadline(
    district_a: District,
    district_b: District,
    run_periodic: Callable[[Any, Any], None],
    settings: Any,
) -> None:
    settings.REMINDER_AGREEMENT_DAYS = 14
    today = timezone.localdate()
    session = session_make(status=ForumSession.Status.HELD)
    agreement_make(session, [district_a], text="Abrir la oficina los sábados.", deadline=today)
    agreement_make(
        session,
        [district_a, district_b],
        text="Campaña conjunta de regularización.",
        deadline=today - timedelta(days=3),
    )
    agreement_make(
        session, [district_a], text="Plan a largo plazo.", deadline=today + timedelta(60)
    )
    finished = agreement_make(session, [district_a], text="Ya cumplido.", deadline=today)
    agreement_status_set(actor=secretariat_actor(), agreement=finished, status="done")
    # Bellavista reported its part of the shared agreement done: nothing left for it.
    shared = Agreement.objects.get(text__startswith="Campaña")
    agreement_progress_post(
        actor=ForumActor.for_district(district_b, None),
        agreement=shared,
        note="Campaña realizada en marzo.",
        status="done",
    )

    run_periodic(agreement_deadlines_remind, today)

    assert [m.to for m in mail.outbox] == [[role_email("la-perla", "coordinator")]]
    body = mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("2 ")
    assert "Abrir la oficina los sábados." in body
    assert "Campaña conjunta de regularización." in body
    assert "Plan a largo plazo." not in body
    assert "Ya cumplido." not in body
    assert "http://la-perla.localhost/forum/" in body
