"""The follow-ups-due reminder: each account hears about its own tasks, as counts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from apps.casework.services import case_open, follow_up_add, follow_up_complete
from apps.casework.tasks import follow_ups_due_remind
from apps.people.tests.factories import person_make, staff
from conftest import role_email
from tenants.models import District

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)


def test_each_account_is_told_how_many_of_its_follow_ups_are_due(
    district_a: District,
    district_b: District,
    run_periodic: Callable[[Any, date], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with schema_context(district_a.schema_name):
        person = person_make(given_names="Yulimar", family_names="Rodríguez Díaz")
        case = case_open(actor=staff("coordinator"), person=person, caseworker=staff())
        for due_on in (DAY - timedelta(days=3), DAY):  # overdue, due today
            follow_up_add(actor=staff(), case=case, description="Llamar a Yulimar", due_on=due_on)
        follow_up_add(actor=staff(), case=case, description="Más tarde", due_on=DAY + timedelta(1))
        done = follow_up_add(actor=staff(), case=case, description="Hecho", due_on=DAY)
        follow_up_complete(actor=staff(), task=done)
        follow_up_add(
            actor=staff(),
            case=case,
            description="Revisar",
            due_on=DAY,
            assigned_to=staff("coordinator"),
        )
    with caplog.at_level(logging.INFO):
        run_periodic(follow_ups_due_remind, DAY)

    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {
        role_email("la-perla", "caseworker"),
        role_email("la-perla", "coordinator"),
    }
    caseworker = sent[role_email("la-perla", "caseworker")]
    assert caseworker.subject.startswith("2 ")
    assert "http://la-perla.localhost/" in caseworker.body
    assert sent[role_email("la-perla", "coordinator")].subject.startswith("1 ")
    # Counts and a link only: no person, no task text, in the e-mail or in the logs.
    for text in (caseworker.body, caplog.text):
        assert "Yulimar" not in text
        assert "Llamar" not in text
    assert "@la-perla.test" not in caplog.text
    assert "task=follow_ups_due schema=d_la_perla day=2026-03-02 emails=2" in caplog.text
    assert "schema=d_bellavista day=2026-03-02 emails=0" in caplog.text
