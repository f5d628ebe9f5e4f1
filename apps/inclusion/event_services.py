"""Writes on trainings and events (safe spaces and fairs): the activities themselves, who
attended, and the stalls of an event (one entrepreneur per stall, one stall per
entrepreneur in each event)."""

from __future__ import annotations

from datetime import date, time

import pghistory
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.inclusion.models import (
    Entrepreneur,
    Event,
    EventAttendance,
    StallAllotment,
    Training,
    TrainingAttendance,
)
from apps.inclusion.services import refuse_anonymised
from apps.metrics.dirty import district_month_changed
from apps.people.models import Person
from apps.workspace.versioning import version_check

ATTENDANCE_TOO_EARLY_MESSAGE = gettext_lazy(
    "Attendance can be taken from the day it takes place (%(date)s)."
)
ALREADY_ATTENDED_MESSAGE = gettext_lazy("%(name)s is already on the attendance list.")
ENDS_BEFORE_START_MESSAGE = gettext_lazy("The end date cannot be before the start date.")
NO_STALLS_MESSAGE = gettext_lazy("This event has no stalls to give.")
STALL_RANGE_MESSAGE = gettext_lazy("The stalls of this event are numbered from 1 to %(count)s.")
STALL_TAKEN_MESSAGE = gettext_lazy("Stall %(number)s is already given to %(name)s.")
HAS_STALL_MESSAGE = gettext_lazy("%(name)s already has stall %(number)s at this event.")
TO_FUTURE_MESSAGE = gettext_lazy("Attendance is already taken: the date cannot move to the future.")
FEWER_STALLS_MESSAGE = gettext_lazy(
    "Stall %(number)s is already given: the event needs at least that many stalls."
)


def training_save(
    *,
    actor: User,
    title: str,
    topic: Training.Topic | str,
    held_on: date,
    place: str,
    starts_at: time | None = None,
    facilitator: str = "",
    description: str = "",
    training: Training | None = None,
    expected_version: int | None = None,
) -> Training:
    """Create a training, or change ``training`` unless it changed since the form was
    loaded at ``expected_version``; its month's figures follow its date."""
    previous_day = training.held_on if training is not None else None
    training = training or Training(created_by=actor)
    if (
        previous_day is not None
        and held_on > timezone.localdate()
        and training.attendances.exists()
    ):
        raise ValidationError({"held_on": [str(TO_FUTURE_MESSAGE)]})
    with transaction.atomic(), pghistory.context(user=actor.pk):
        if previous_day is not None:
            version_check(training, expected_version)
        training.title, training.topic, training.held_on = title.strip(), topic, held_on
        training.place, training.starts_at = place.strip(), starts_at
        training.facilitator, training.description = facilitator.strip(), description.strip()
        training.full_clean(exclude=["created_by"])
        training.save()
        if previous_day is not None and previous_day != held_on:
            district_month_changed(previous_day)
            district_month_changed(held_on)
    return training


def event_save(
    *,
    actor: User,
    kind: Event.Kind | str,
    title: str,
    starts_on: date,
    place: str,
    ends_on: date | None = None,
    stall_count: int = 0,
    description: str = "",
    event: Event | None = None,
    expected_version: int | None = None,
) -> Event:
    """Create an event, or change ``event`` (never below the highest stall given) unless
    it changed since the form was loaded at ``expected_version``."""
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": [str(ENDS_BEFORE_START_MESSAGE)]})
    if event is not None and starts_on > timezone.localdate() and event.attendances.exists():
        raise ValidationError({"starts_on": [str(TO_FUTURE_MESSAGE)]})
    event = event or Event(created_by=actor)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        if event.pk is not None:
            version_check(event, expected_version)
            highest = event.stalls.order_by("-stall_number").first()
            if highest is not None and stall_count < highest.stall_number:
                raise ValidationError(
                    {"stall_count": [str(FEWER_STALLS_MESSAGE % {"number": highest.stall_number})]}
                )
        event.kind, event.starts_on, event.ends_on = kind, starts_on, ends_on
        event.title, event.place = title.strip(), place.strip()
        event.stall_count, event.description = stall_count, description.strip()
        event.full_clean(exclude=["created_by"])
        event.save()
    return event


def _refuse_too_early(day: date) -> None:
    if day > timezone.localdate():
        raise ValidationError(
            {"person": [str(ATTENDANCE_TOO_EARLY_MESSAGE % {"date": f"{day:%d/%m/%Y}"})]}
        )


def training_attendance_record(
    *, actor: User, training: Training, person: Person
) -> TrainingAttendance:
    refuse_anonymised(person)
    _refuse_too_early(training.held_on)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        Training.objects.select_for_update().get(pk=training.pk)
        if training.attendances.filter(person=person).exists():
            raise ValidationError(
                {"person": [str(ALREADY_ATTENDED_MESSAGE % {"name": person.full_name})]}
            )
        attendance = TrainingAttendance.objects.create(
            training=training, person=person, recorded_by=actor
        )
        district_month_changed(training.held_on)
    return attendance


def training_attendance_remove(*, actor: User, attendance: TrainingAttendance) -> None:
    with transaction.atomic(), pghistory.context(user=actor.pk):
        attendance.delete()
        district_month_changed(attendance.training.held_on)


def event_attendance_record(*, actor: User, event: Event, person: Person) -> EventAttendance:
    refuse_anonymised(person)
    _refuse_too_early(event.starts_on)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        Event.objects.select_for_update().get(pk=event.pk)
        if event.attendances.filter(person=person).exists():
            raise ValidationError(
                {"person": [str(ALREADY_ATTENDED_MESSAGE % {"name": person.full_name})]}
            )
        return EventAttendance.objects.create(event=event, person=person, recorded_by=actor)


def event_attendance_remove(*, actor: User, attendance: EventAttendance) -> None:
    with transaction.atomic(), pghistory.context(user=actor.pk):
        attendance.delete()


def stall_allot(
    *, actor: User, event: Event, entrepreneur: Entrepreneur, stall_number: int
) -> StallAllotment:
    """Give stall ``stall_number`` of ``event`` to ``entrepreneur``. The event row is locked,
    so two officers giving the same stall at once cannot both succeed."""
    refuse_anonymised(entrepreneur.person, "entrepreneur")
    with transaction.atomic(), pghistory.context(user=actor.pk):
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.stall_count == 0:
            raise ValidationError({"stall_number": [str(NO_STALLS_MESSAGE)]})
        if not 1 <= stall_number <= locked.stall_count:
            raise ValidationError(
                {"stall_number": [str(STALL_RANGE_MESSAGE % {"count": locked.stall_count})]}
            )
        taken = locked.stalls.select_related("entrepreneur__person")
        holder = taken.filter(stall_number=stall_number).first()
        if holder is not None:
            raise ValidationError(
                {
                    "stall_number": [
                        str(
                            STALL_TAKEN_MESSAGE
                            % {"number": stall_number, "name": holder.entrepreneur}
                        )
                    ]
                },
                code="stall_taken",
            )
        own = taken.filter(entrepreneur=entrepreneur).first()
        if own is not None:
            raise ValidationError(
                {
                    "entrepreneur": [
                        str(HAS_STALL_MESSAGE % {"name": entrepreneur, "number": own.stall_number})
                    ]
                },
                code="has_stall",
            )
        return StallAllotment.objects.create(
            event=locked, entrepreneur=entrepreneur, stall_number=stall_number, recorded_by=actor
        )


def stall_release(*, actor: User, stall: StallAllotment) -> None:
    with transaction.atomic(), pghistory.context(user=actor.pk):
        stall.delete()
