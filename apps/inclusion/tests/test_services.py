from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.inclusion.event_services import (
    event_attendance_record,
    event_save,
    stall_allot,
    stall_release,
    training_attendance_record,
    training_attendance_remove,
    training_save,
)
from apps.inclusion.models import (
    NO_BUSINESS,
    Business,
    BusinessStatusChange,
    Entrepreneur,
    StallAllotment,
    TrainingAttendance,
)
from apps.inclusion.selectors import entrepreneur_get, entrepreneur_timeline
from apps.inclusion.services import (
    business_add,
    business_status_record,
    business_update,
    entrepreneur_register,
)
from apps.inclusion.tests.factories import (
    RUC_COMPANY,
    RUC_PERSON,
    entrepreneur_make,
    event_make,
    person_new,
    training_make,
)
from apps.people.rights import person_anonymise
from apps.people.tests.factories import staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_district_a")]


def _officer():  # type: ignore[no-untyped-def]
    return staff("inclusion_officer")


def test_a_person_is_registered_as_an_entrepreneur_once() -> None:
    person = person_new()
    entrepreneur = entrepreneur_register(actor=_officer(), person=person)
    assert entrepreneur.stage == NO_BUSINESS
    assert entrepreneur.registered_on == timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        entrepreneur_register(actor=_officer(), person=person)
    assert "already registered" in refused.value.message_dict["person"][0]
    assert Entrepreneur.objects.count() == 1


def test_registration_refuses_a_future_date_and_an_anonymised_person() -> None:
    person = person_new()
    with pytest.raises(ValidationError) as refused:
        entrepreneur_register(
            actor=_officer(), person=person, registered_on=timezone.localdate() + timedelta(1)
        )
    assert set(refused.value.message_dict) == {"registered_on"}
    person_anonymise(actor=staff("coordinator"), person=person)
    with pytest.raises(ValidationError):
        entrepreneur_register(actor=_officer(), person=person)
    assert not Entrepreneur.objects.exists()


def test_a_business_with_a_bad_ruc_is_refused_and_nothing_is_stored() -> None:
    entrepreneur = entrepreneur_make()
    for ruc in ("2013131295", "20131312954", "99131312955"):
        with pytest.raises(ValidationError) as refused:
            business_add(
                actor=_officer(),
                entrepreneur=entrepreneur,
                name="Arepas Yuli",
                activity="Comida",
                ruc=ruc,
                status="ruc",
            )
        assert set(refused.value.message_dict) == {"ruc"}
    assert not Business.objects.exists()
    assert not BusinessStatusChange.objects.exists()


def test_a_formal_status_needs_a_ruc() -> None:
    entrepreneur = entrepreneur_make()
    with pytest.raises(ValidationError) as refused:
        business_add(
            actor=_officer(),
            entrepreneur=entrepreneur,
            name="Bodega",
            activity="Bodega",
            status="licence",
        )
    assert set(refused.value.message_dict) == {"ruc"}
    business = business_add(
        actor=_officer(), entrepreneur=entrepreneur, name="Bodega", activity="Bodega"
    )
    with pytest.raises(ValidationError) as refused:
        business_status_record(
            actor=_officer(), business=business, status="ruc", since=timezone.localdate()
        )
    assert set(refused.value.message_dict) == {"status"}
    # A RUC typed with separators is stored as its 11 digits.
    business_update(
        actor=_officer(), business=business, name="Bodega", activity="Bodega", ruc="20-131312955"
    )
    assert Business.objects.get().ruc == RUC_COMPANY


def test_the_status_moves_only_through_its_dated_history() -> None:
    entrepreneur = entrepreneur_make()
    business = business_add(
        actor=_officer(),
        entrepreneur=entrepreneur,
        name="Costuras Milagros",
        activity="Costura",
        ruc=RUC_PERSON,
        since=date(2025, 2, 1),
    )
    entrepreneur.refresh_from_db()
    assert (business.status, entrepreneur.stage) == ("informal", "informal")
    business_status_record(
        actor=_officer(), business=business, status="ruc", since=date(2025, 3, 10)
    )
    business_status_record(
        actor=_officer(),
        business=business,
        status="licence",
        since=date(2025, 6, 1),
        note="Licencia 123-2025",
    )
    business.refresh_from_db()
    entrepreneur.refresh_from_db()
    assert (business.status, entrepreneur.stage) == ("licence", "licence")
    loaded = entrepreneur_get(public_id=str(entrepreneur.public_id))
    assert loaded is not None
    timeline = entrepreneur_timeline(loaded)
    assert [(e.since, e.change.from_status, e.change.status) for e in timeline] == [
        (date(2025, 2, 1), "", "informal"),
        (date(2025, 3, 10), "informal", "ruc"),
        (date(2025, 6, 1), "ruc", "licence"),
    ]
    # The same status again, a date before the last change, a future date: refused.
    refusals = [
        ("licence", date(2025, 7, 1), "status"),
        ("tax_paying", date(2025, 5, 1), "since"),
        ("tax_paying", timezone.localdate() + timedelta(days=1), "since"),
    ]
    for status, since, field in refusals:
        with pytest.raises(ValidationError) as refused:
            business_status_record(actor=_officer(), business=business, status=status, since=since)
        assert set(refused.value.message_dict) == {field}
    assert BusinessStatusChange.objects.count() == 3
    # A lost licence moves it back.
    business_status_record(
        actor=_officer(), business=business, status="ruc", since=date(2025, 9, 1)
    )
    entrepreneur.refresh_from_db()
    assert entrepreneur.stage == "ruc"


def test_the_entrepreneur_stage_is_the_most_advanced_business() -> None:
    entrepreneur = entrepreneur_make()
    business_add(actor=_officer(), entrepreneur=entrepreneur, name="A", activity="x")
    business_add(
        actor=_officer(),
        entrepreneur=entrepreneur,
        name="B",
        activity="x",
        ruc=RUC_COMPANY,
        status="tax_paying",
    )
    entrepreneur.refresh_from_db()
    assert entrepreneur.stage == "tax_paying"


def test_a_stall_cannot_be_given_twice_nor_an_entrepreneur_get_two() -> None:
    event = event_make(starts_on=date(2025, 5, 1), stall_count=3)
    ana, luis = entrepreneur_make(), entrepreneur_make()
    stall_allot(actor=_officer(), event=event, entrepreneur=ana, stall_number=1)
    with pytest.raises(ValidationError) as refused:
        stall_allot(actor=_officer(), event=event, entrepreneur=luis, stall_number=1)
    assert refused.value.message_dict["stall_number"] == [
        f"Stall 1 is already given to {ana.person.full_name}."
    ]
    with pytest.raises(ValidationError) as refused:
        stall_allot(actor=_officer(), event=event, entrepreneur=ana, stall_number=2)
    assert set(refused.value.message_dict) == {"entrepreneur"}
    for number in (0, 4):
        with pytest.raises(ValidationError) as refused:
            stall_allot(actor=_officer(), event=event, entrepreneur=luis, stall_number=number)
        assert set(refused.value.message_dict) == {"stall_number"}
    assert StallAllotment.objects.count() == 1
    # The same entrepreneur may have a stall at another event.
    other = event_make(starts_on=date(2025, 6, 1), stall_count=3)
    stall_allot(actor=_officer(), event=other, entrepreneur=ana, stall_number=1)
    # A stall freed can be given again.
    stall_release(actor=_officer(), stall=event.stalls.get())
    stall_allot(actor=_officer(), event=event, entrepreneur=luis, stall_number=1)


def test_an_event_keeps_its_given_stalls_and_sensible_dates() -> None:
    event = event_make(starts_on=date(2025, 5, 1), stall_count=5)
    stall_allot(actor=_officer(), event=event, entrepreneur=entrepreneur_make(), stall_number=4)
    values = {"kind": "fair", "title": "Feria", "place": "Plaza", "starts_on": date(2025, 5, 1)}
    with pytest.raises(ValidationError) as refused:
        event_save(actor=_officer(), event=event, stall_count=3, **values)
    assert set(refused.value.message_dict) == {"stall_count"}
    with pytest.raises(ValidationError) as refused:
        event_save(actor=_officer(), ends_on=date(2025, 4, 30), **values)
    assert set(refused.value.message_dict) == {"ends_on"}
    safe_space = event_make(starts_on=date(2025, 5, 1), stall_count=0, kind="safe_space")
    with pytest.raises(ValidationError):
        stall_allot(
            actor=_officer(), event=safe_space, entrepreneur=entrepreneur_make(), stall_number=1
        )


def test_attendance_is_taken_once_and_not_before_the_day() -> None:
    person = person_new()
    training = training_make(held_on=date(2025, 4, 10))
    training_attendance_record(actor=_officer(), training=training, person=person)
    with pytest.raises(ValidationError) as refused:
        training_attendance_record(actor=_officer(), training=training, person=person)
    assert set(refused.value.message_dict) == {"person"}
    upcoming = training_make(held_on=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ValidationError):
        training_attendance_record(actor=_officer(), training=upcoming, person=person)
    assert TrainingAttendance.objects.count() == 1
    # With attendance, the training cannot move to the future.
    with pytest.raises(ValidationError) as refused:
        training_save(
            actor=_officer(),
            training=training,
            title=training.title,
            topic=training.topic,
            place=training.place,
            held_on=timezone.localdate() + timedelta(days=1),
        )
    assert set(refused.value.message_dict) == {"held_on"}
    training_attendance_remove(actor=_officer(), attendance=TrainingAttendance.objects.get())
    assert not TrainingAttendance.objects.exists()
    event = event_make(starts_on=date(2025, 4, 10), kind="safe_space", stall_count=0)
    event_attendance_record(actor=_officer(), event=event, person=person)
    with pytest.raises(ValidationError):
        event_attendance_record(actor=_officer(), event=event, person=person)


def test_writes_mark_every_month_whose_figures_change(monkeypatch: pytest.MonkeyPatch) -> None:
    marked: list[date] = []
    monkeypatch.setattr("apps.inclusion.services.district_month_changed", marked.append)
    monkeypatch.setattr("apps.inclusion.event_services.district_month_changed", marked.append)
    today = timezone.localdate()
    three_months_ago = (today.replace(day=1) - timedelta(days=80)).replace(day=1)
    entrepreneur_make(registered_on=three_months_ago + timedelta(days=4))
    # A stock: the month of the change and every month since, up to this one.
    months = sorted(set(marked))
    assert months[0] == three_months_ago
    assert months[-1] == today.replace(day=1)
    assert len(months) in (3, 4)
    marked.clear()
    training = training_make(held_on=today)
    training_attendance_record(actor=_officer(), training=training, person=person_new())
    assert marked == [today]
