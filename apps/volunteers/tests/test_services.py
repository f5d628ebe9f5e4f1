from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.catalogue.models import Partner
from apps.metrics.models import MetricValue
from apps.people.models import Person
from apps.people.tests.factories import staff
from apps.volunteers.grid import cell_key, hours_key
from apps.volunteers.models import (
    AwarenessActivity,
    ParticipantCount,
    Topic,
    Volunteer,
    VolunteerParticipation,
)
from apps.volunteers.selectors import volunteer_get
from apps.volunteers.services import (
    activity_update,
    volunteer_person_merged,
    volunteer_register,
    volunteer_set_active,
    volunteer_update,
)
from apps.volunteers.tests.factories import activity_make, details, person_new, volunteer_make
from tenants.models import District

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_district_a")]


def test_a_registered_person_becomes_a_volunteer_once() -> None:
    person = person_new()
    volunteer = volunteer_register(
        actor=staff("coordinator"), person=person, skills=" Fotografía ", availability="Domingos"
    )
    assert volunteer.is_active
    assert volunteer.skills == "Fotografía"
    assert volunteer.joined_on == timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        volunteer_register(actor=staff("coordinator"), person=person)
    assert refused.value.code == "already_volunteer"
    assert Volunteer.objects.count() == 1


def test_an_anonymised_person_or_a_future_date_is_refused() -> None:
    person = person_new()
    Person.objects.filter(pk=person.pk).update(anonymised_on=date(2025, 1, 1))
    person.refresh_from_db()
    with pytest.raises(ValidationError):
        volunteer_register(actor=staff("coordinator"), person=person)
    with pytest.raises(ValidationError) as refused:
        volunteer_register(
            actor=staff("coordinator"),
            person=person_new(),
            joined_on=timezone.localdate() + timedelta(days=1),
        )
    assert set(refused.value.message_dict) == {"joined_on"}
    assert not Volunteer.objects.exists()


def test_skills_and_availability_are_updated() -> None:
    volunteer = volunteer_make()
    volunteer_update(
        actor=staff("coordinator"),
        volunteer=volunteer,
        skills="Teatro",
        availability="Tardes",
        joined_on=date(2023, 5, 1),
    )
    volunteer.refresh_from_db()
    assert (volunteer.skills, volunteer.availability) == ("Teatro", "Tardes")


def test_a_volunteer_is_deactivated_and_activated_but_not_twice() -> None:
    volunteer = volunteer_make()
    volunteer_set_active(actor=staff("coordinator"), volunteer=volunteer, is_active=False)
    assert not Volunteer.objects.get().is_active
    with pytest.raises(ValidationError):
        volunteer_set_active(actor=staff("coordinator"), volunteer=volunteer, is_active=False)
    volunteer_set_active(actor=staff("coordinator"), volunteer=volunteer, is_active=True)
    assert Volunteer.objects.get().is_active


def test_an_activity_stores_its_volunteers_hours_and_grid() -> None:
    ana, luis = volunteer_make(), volunteer_make(person=person_new(sex="male"))
    activity = activity_make(
        partner=Partner.objects.get(code="acnur"),
        volunteer_hours={ana: 3, luis: 5},
        participants={("female", "6-11"): 12, ("male", "60+"): 4, ("male", "0-5"): 0},
    )
    activity_make(held_on=date(2025, 4, 2), volunteer_hours={ana: 2})
    assert activity.partner is not None
    assert dict(activity.participations.values_list("volunteer_id", "hours")) == {
        ana.pk: 3,
        luis.pk: 5,
    }
    # Cells of zero are not stored.
    assert set(activity.participant_counts.values_list("sex", "age_group", "count")) == {
        ("female", "6-11", 12),
        ("male", "60+", 4),
    }
    # A volunteer's total is the sum of their hours.
    found = volunteer_get(public_id=str(ana.public_id))
    assert found is not None
    assert found.total_hours == 5  # type: ignore[attr-defined]


def test_bad_input_is_refused_field_by_field_and_nothing_is_stored() -> None:
    ana = volunteer_make()
    with pytest.raises(ValidationError) as refused:
        activity_make(
            held_on=None,
            title="",
            volunteer_hours={ana: 25},
            participants={("female", "18-29"): -3},
        )
    errors = refused.value.message_dict
    assert set(errors) == {"held_on", "title", hours_key(ana), cell_key("female", "18-29")}
    assert errors["held_on"] == ["Enter the date of the activity."]
    assert not AwarenessActivity.objects.exists()
    assert not VolunteerParticipation.objects.exists()
    assert not ParticipantCount.objects.exists()
    with pytest.raises(ValidationError) as refused:
        activity_make(volunteer_hours={ana: 0}, topic="gardening")
    assert set(refused.value.message_dict) == {hours_key(ana), "topic"}


def test_an_inactive_volunteer_is_not_added_to_a_new_activity_but_stays_in_past_ones() -> None:
    ana, luis = volunteer_make(), volunteer_make()
    activity = activity_make(volunteer_hours={ana: 2})
    volunteer_set_active(actor=staff("coordinator"), volunteer=ana, is_active=False)
    ana.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        activity_make(held_on=date(2025, 3, 20), volunteer_hours={ana: 2, luis: 2})
    assert "is inactive and cannot be added" in refused.value.message_dict[hours_key(ana)][0]
    assert AwarenessActivity.objects.count() == 1
    # Correcting the activity she took part in keeps her.
    activity_update(
        actor=staff("coordinator"),
        activity=activity,
        details=details(title="Feria corregida"),
        volunteer_hours={ana: 4, luis: 1},
    )
    assert dict(activity.participations.values_list("volunteer_id", "hours")) == {
        ana.pk: 4,
        luis.pk: 1,
    }


def test_no_more_than_24_hours_in_a_day_across_activities() -> None:
    ana = volunteer_make()
    activity_make(volunteer_hours={ana: 20})
    with pytest.raises(ValidationError) as refused:
        activity_make(title="Otra", volunteer_hours={ana: 5})
    assert "already gave 20 hours" in refused.value.message_dict[hours_key(ana)][0]
    activity_make(title="Otra", volunteer_hours={ana: 4})
    assert VolunteerParticipation.objects.count() == 2


def test_an_upcoming_activity_is_planned_without_participants_or_hours() -> None:
    ana = volunteer_make()
    next_week = timezone.localdate() + timedelta(days=7)
    with pytest.raises(ValidationError) as refused:
        activity_make(held_on=next_week, participants={("male", "30-59"): 5})
    assert set(refused.value.message_dict) == {"held_on"}
    with pytest.raises(ValidationError):
        activity_make(held_on=next_week, volunteer_hours={ana: 2})
    planned = activity_make(held_on=next_week, topic=Topic.ENVIRONMENT)
    assert planned.held_on == next_week


def test_an_update_replaces_the_grid_and_removes_volunteers_no_longer_listed() -> None:
    ana, luis = volunteer_make(), volunteer_make()
    activity = activity_make(
        volunteer_hours={ana: 2, luis: 3}, participants={("female", "30-59"): 9}
    )
    activity_update(
        actor=staff("coordinator"),
        activity=activity,
        details=details(held_on=date(2025, 5, 2)),
        volunteer_hours={luis: 3},
        participants={("male", "12-17"): 6},
    )
    activity.refresh_from_db()
    assert activity.held_on == date(2025, 5, 2)
    assert list(activity.participations.values_list("volunteer_id", flat=True)) == [luis.pk]
    assert list(activity.participant_counts.values_list("sex", "age_group", "count")) == [
        ("male", "12-17", 6)
    ]
    # Each change left a history row, tagged with who made it.
    removal = VolunteerParticipation.pgh_event_model.objects.filter(  # type: ignore[attr-defined]
        pgh_label="delete"
    ).get()
    assert removal.volunteer_id == ana.pk


def test_activity_writes_republish_both_months_after_commit(
    in_district_a: District,
    settings: pytest.FixtureRequest,
    django_capture_on_commit_callbacks: pytest.FixtureRequest,
) -> None:
    settings.METRICS_PUBLISH = "sync"  # type: ignore[attr-defined]
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    ana = volunteer_make()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        activity = activity_make(
            held_on=last_month, volunteer_hours={ana: 6}, participants={("female", "60+"): 7}
        )
    stored = MetricValue.objects.filter(
        district=in_district_a, period=last_month, indicator="volunteer_hours", dimension=""
    )
    assert stored.get().value == 6
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        activity_update(
            actor=staff("coordinator"),
            activity=activity,
            details=details(held_on=this_month),
            volunteer_hours={ana: 6},
        )
    assert stored.get().value == 0
    assert (
        MetricValue.objects.get(
            district=in_district_a, period=this_month, indicator="volunteer_hours", dimension=""
        ).value
        == 6
    )


def test_merging_two_records_of_a_volunteer_leaves_one_volunteer() -> None:
    keep, duplicate = person_new(), person_new()
    kept = volunteer_make(person=keep)
    moving = volunteer_make(person=duplicate)
    volunteer_update(
        actor=staff("coordinator"),
        volunteer=kept,
        skills="",
        availability="",
        joined_on=date(2024, 6, 1),
    )
    both = activity_make(volunteer_hours={kept: 2, moving: 5})
    only_duplicate = activity_make(held_on=date(2025, 4, 1), volunteer_hours={moving: 3})
    volunteer_person_merged(keep=keep, duplicate=duplicate)
    assert list(Volunteer.objects.values_list("pk", flat=True)) == [kept.pk]
    kept.refresh_from_db()
    assert (kept.skills, kept.joined_on) == ("Talleres", date(2024, 1, 1))
    assert dict(VolunteerParticipation.objects.values_list("activity_id", "hours")) == {
        both.pk: 5,
        only_duplicate.pk: 3,
    }
    # A duplicate alone moves over as it is.
    alone = volunteer_make()
    other = person_new()
    volunteer_person_merged(keep=other, duplicate=alone.person)
    alone.refresh_from_db()
    assert alone.person == other
