from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction

from apps.inclusion.event_services import (
    event_attendance_record,
    stall_allot,
    training_attendance_record,
)
from apps.inclusion.models import Business, Entrepreneur, StallAllotment, TrainingAttendance
from apps.inclusion.people_hooks import inclusion_person_merge, inclusion_person_scrub
from apps.inclusion.services import business_add, business_status_record
from apps.inclusion.tests.factories import (
    RUC_PERSON,
    entrepreneur_make,
    event_make,
    person_new,
    training_make,
)
from apps.people.rights import person_anonymise
from apps.people.services import person_merge
from apps.people.tests.factories import staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_district_a")]


def test_merging_two_entrepreneurs_keeps_one_with_everything() -> None:
    officer = staff("inclusion_officer")
    keep, duplicate = entrepreneur_make(), entrepreneur_make(registered_on=date(2024, 6, 1))
    business_add(
        actor=officer,
        entrepreneur=duplicate,
        name="Bodega",
        activity="Bodega",
        ruc=RUC_PERSON,
        status="ruc",
        since=date(2024, 7, 1),
    )
    training = training_make(held_on=date(2025, 3, 1))
    fair, other_fair = (event_make(starts_on=date(2025, 3, d)) for d in (2, 3))
    for entrepreneur in (keep, duplicate):
        training_attendance_record(actor=officer, training=training, person=entrepreneur.person)
        stall_allot(
            actor=officer,
            event=fair,
            entrepreneur=entrepreneur,
            stall_number=StallAllotment.objects.count() + 1,
        )
        event_attendance_record(actor=officer, event=fair, person=entrepreneur.person)
    stall_allot(actor=officer, event=other_fair, entrepreneur=duplicate, stall_number=5)
    with transaction.atomic():
        inclusion_person_merge(keep=keep.person, duplicate=duplicate.person)
        person_merge(actor=staff("coordinator"), keep=keep.person, duplicate=duplicate.person)
    merged = Entrepreneur.objects.get()
    assert merged.pk == keep.pk
    assert (merged.registered_on, merged.stage) == (date(2024, 6, 1), "ruc")
    assert Business.objects.get().entrepreneur == merged
    assert TrainingAttendance.objects.get().person == keep.person
    assert sorted(StallAllotment.objects.values_list("event__starts_on", "stall_number")) == [
        (date(2025, 3, 2), 1),
        (date(2025, 3, 3), 5),
    ]


def test_a_lone_entrepreneur_record_moves_to_the_kept_person() -> None:
    keep, entrepreneur = person_new(), entrepreneur_make()
    inclusion_person_merge(keep=keep, duplicate=entrepreneur.person)
    person_merge(actor=staff("coordinator"), keep=keep, duplicate=entrepreneur.person)
    assert Entrepreneur.objects.get().person == keep


def test_anonymisation_leaves_no_trace_in_this_apps_tables() -> None:
    officer = staff("inclusion_officer")
    entrepreneur = entrepreneur_make(given_names="Zoraida", family_names="Quintanilla")
    business = business_add(
        actor=officer,
        entrepreneur=entrepreneur,
        name="Arepas Zoraida",
        activity="Comida",
        ruc=RUC_PERSON,
        since=date(2025, 1, 2),
    )
    business_status_record(
        actor=officer,
        business=business,
        status="ruc",
        since=date(2025, 2, 2),
        note="RUC de Zoraida",
    )
    person_anonymise(actor=staff("coordinator"), person=entrepreneur.person)
    inclusion_person_scrub(entrepreneur.person)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name LIKE 'inclusion%%' "
            "AND data_type IN ('text', 'character varying', 'jsonb')"
        )
        leaks = []
        for table, column in cursor.fetchall():
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ~* %s',  # noqa: S608 - catalogue names
                [f"zoraida|quintanilla|{RUC_PERSON}"],
            )
            if cursor.fetchone()[0]:
                leaks.append(f"{table}.{column}")
    assert leaks == []
    business.refresh_from_db()
    assert (business.activity, business.status) == ("Comida", "ruc")
