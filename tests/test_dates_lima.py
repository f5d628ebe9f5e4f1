"""Dates read dd/mm/aaaa and times are Lima's (UTC-5), in Spanish and in English: a record
saved at 03:30 UTC belongs to the previous day in Lima, at 22:30."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pgtrigger
import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.audit.models import AccessLogEntry
from apps.people.models import Person
from apps.people.tests.factories import person_make
from conftest import in_english, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def _utc_early_morning() -> tuple[datetime, str, str]:
    """03:30 UTC of yesterday (in the past whatever the hour), and the Lima day and time."""
    day = timezone.now().astimezone(UTC).date() - timedelta(days=1)
    moment = datetime(day.year, day.month, day.day, 3, 30, tzinfo=UTC)
    lima_day = day - timedelta(days=1)
    return moment, lima_day.strftime("%d/%m/%Y"), "22:30"


@pytest.mark.parametrize("english", [False, True])
def test_pages_show_lima_dates_as_dd_mm_yyyy(
    district_a: District, client_a: Client, english: bool
) -> None:
    moment, lima_day, lima_time = _utc_early_morning()
    with schema_context(district_a.schema_name):
        person = person_make()
        Person.objects.filter(pk=person.pk).update(created_at=moment)
    if english:
        in_english(client_a)
    login_as(client_a, district_a, "coordinator")

    listing = client_a.get("/people/").content.decode()
    assert f"<td>{lima_day}</td>" in listing  # registered on the Lima day, not UTC's
    detail = client_a.get(f"/people/{person.public_id}/").content.decode()
    assert "17/05/1990" in detail  # birth date
    printed = client_a.get(f"/people/{person.public_id}/print/").content.decode()
    assert f"<dd>{lima_day}</dd>" in printed

    # The access log is append-only (a trigger); only the test moves an entry back in time.
    with (
        schema_context(district_a.schema_name),
        pgtrigger.ignore("audit.AccessLogEntry:append_only"),
    ):
        AccessLogEntry.objects.filter(object_id=str(person.public_id)).update(at=moment)
    audit = client_a.get("/audit/?tab=access").content.decode()
    assert f"<td>{lima_day} {lima_time}</td>" in audit


def test_the_people_export_keeps_dd_mm_yyyy_on_the_lima_day(
    district_a: District, client_a: Client
) -> None:
    moment, lima_day, _time = _utc_early_morning()
    with schema_context(district_a.schema_name):
        person = person_make()
        Person.objects.filter(pk=person.pk).update(created_at=moment)
    login_as(client_a, district_a, "coordinator")
    response = client_a.get("/people/export/?format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][3] == "17/05/1990"  # birth date
    assert rows[1][-1] == lima_day
