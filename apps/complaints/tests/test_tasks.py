"""The stage-deadline reminder goes to the complaints officers, as a count."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.complaints.models import Stage, StageDeadline
from apps.complaints.tasks import complaints_overdue_remind
from apps.complaints.tests.factories import complaint_make
from conftest import role_email
from tenants.models import District

pytestmark = pytest.mark.django_db


def _late_complaints(district: District, count: int) -> None:
    with schema_context(district.schema_name):
        days = StageDeadline.objects.get(stage=Stage.RECEIVED).days
        for _ in range(count):
            complaint_make(received_on=timezone.localdate() - timedelta(days=days + 1))
        complaint_make(received_on=timezone.localdate())  # on time


def test_the_officers_hear_how_many_complaints_are_late(
    district_a: District,
    run_periodic: Callable[[Any, Any], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    _late_complaints(district_a, 2)
    with caplog.at_level(logging.INFO):
        run_periodic(complaints_overdue_remind, timezone.localdate())
    assert [m.to for m in mail.outbox] == [[role_email("la-perla", "complaints_officer")]]
    message = mail.outbox[0]
    assert message.subject.startswith("2 ")
    assert "http://la-perla.localhost/complaints/?overdue=on" in message.body
    for text in (message.body, caplog.text):
        assert "Yulimar" not in text  # the factory's complainant
        assert "venezolana" not in text  # the narrative
    assert "@la-perla.test" not in caplog.text


def test_without_an_officer_the_coordinators_hear_it(
    district_a: District, run_periodic: Callable[[Any, Any], None]
) -> None:
    _late_complaints(district_a, 1)
    with schema_context(district_a.schema_name):
        get_user_model().objects.filter(
            username=role_email("la-perla", "complaints_officer")
        ).update(is_active=False)
    run_periodic(complaints_overdue_remind, timezone.localdate())
    assert [m.to for m in mail.outbox] == [[role_email("la-perla", "coordinator")]]


def test_nothing_late_sends_nothing(
    district_a: District, run_periodic: Callable[[Any, Any], None]
) -> None:
    _late_complaints(district_a, 0)
    run_periodic(complaints_overdue_remind, timezone.localdate())
    assert mail.outbox == []
