"""5W rows derived from the casework: people, once per month; new once per year."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.activities.derived import REFERRAL_ACTIVITY, derived_rows, people_reached
from apps.activities.selectors import people_reached_to_date
from apps.casework.models import Referral
from apps.casework.services import attention_record, referral_send, referral_transition
from apps.catalogue.models import Partner, ServiceType
from apps.people.models import ConsentPurpose
from apps.people.tests.factories import person_make, staff
from tenants.models import District

pytestmark = pytest.mark.django_db


def _attend(person: object, on: date, *codes: str) -> None:
    attention_record(
        actor=staff(),
        person=person,  # type: ignore[arg-type]
        occurred_on=on,
        channel="in_person",
        service_types=list(ServiceType.objects.filter(code__in=codes)),
    )


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


def _rows(first: date, last: date) -> dict[str, object]:
    return {row.activity.key: row for row in derived_rows(first, last)}


def test_three_attentions_in_a_month_count_one_person(district_a: District) -> None:
    this_month = _this_month()
    with schema_context(district_a.schema_name):
        person = person_make(sex="female", birth_date=date(1990, 1, 1))
        for day in (0, 1, 2):
            _attend(person, this_month + timedelta(days=day), "legal-orientation")
        rows = _rows(this_month, timezone.localdate())
    row = rows["legal-orientation"]
    assert row.total == 1  # type: ignore[attr-defined]
    assert row.groups["women"] == 1  # type: ignore[attr-defined]
    assert row.new_beneficiaries == 1  # type: ignore[attr-defined]


def test_two_months_count_once_in_each_and_once_consolidated(district_a: District) -> None:
    year = timezone.localdate().year - 1  # two months of one past year
    march, april = date(year, 3, 1), date(year, 4, 1)
    with schema_context(district_a.schema_name):
        person = person_make(sex="male", birth_date=date(year - 8, 1, 1))
        _attend(person, march + timedelta(days=9), "legal-orientation")
        _attend(person, april + timedelta(days=3), "legal-orientation")
        before = _rows(march, date(year, 3, 31))["legal-orientation"]
        after = _rows(april, date(year, 4, 30))["legal-orientation"]
        assert before.total == after.total == 1
        assert after.groups["boys"] == 1
        # New once in the year: its sum over the months counts the person once.
        assert (before.new_beneficiaries, after.new_beneficiaries) == (1, 0)
        assert people_reached(march, date(year, 4, 30)) == 1
        assert people_reached_to_date(march, april) == 1


def test_services_of_one_sector_and_services_not_reported(district_a: District) -> None:
    this_month = _this_month()
    with schema_context(district_a.schema_name):
        person = person_make()
        _attend(person, this_month, "gbv", "other")
        rows = _rows(this_month, timezone.localdate())
    assert set(rows) == {"gbv"}  # "other" names no sector
    assert rows["gbv"].activity.sub_sector == "gbv"  # type: ignore[attr-defined]


def test_completed_referrals_become_a_row(district_a: District) -> None:
    this_month = _this_month()
    with schema_context(district_a.schema_name):
        person = person_make(consents=(ConsentPurpose.REFERRAL_SHARING,))
        other = person_make(
            given_names="Luis", document_number="X-2", consents=(ConsentPurpose.REFERRAL_SHARING,)
        )
        partner = Partner.objects.get(code="oim")
        done = referral_send(actor=staff(), person=person, partner=partner, reason="CPP")
        referral_transition(actor=staff(), referral=done, to_status=Referral.Status.ACCEPTED)
        referral_transition(actor=staff(), referral=done, to_status=Referral.Status.COMPLETED)
        referral_send(actor=staff(), person=other, partner=partner, reason="CPP")  # not completed
        rows = _rows(this_month, timezone.localdate())
    assert rows[REFERRAL_ACTIVITY.key].total == 1  # type: ignore[attr-defined]
