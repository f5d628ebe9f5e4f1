"""Writes on volunteers and awareness activities; each validates, runs in one transaction
and leaves history rows. Activity writes mark their district-month's metrics dirty."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pghistory
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.catalogue.models import Partner
from apps.metrics.dirty import district_month_changed
from apps.people.models import Person
from apps.volunteers.grid import CELLS, Participants, cell_key, hours_key
from apps.volunteers.models import (
    MAX_HOURS_PER_DAY,
    AwarenessActivity,
    ParticipantCount,
    Volunteer,
    VolunteerParticipation,
)
from apps.workspace.versioning import version_check

# A typing slip (5000 for 50) is more likely than a crowd this size in one cell.
MAX_PARTICIPANTS_PER_CELL = 5000

ANONYMISED_MESSAGE = gettext_lazy(
    "This record was anonymised at the person's request; register the person again."
)
ALREADY_VOLUNTEER_MESSAGE = gettext_lazy("This person is already registered as a volunteer.")
FUTURE_JOINED_MESSAGE = gettext_lazy("The date cannot be in the future.")
ALREADY_ACTIVE_MESSAGE = gettext_lazy("This volunteer is already active.")
ALREADY_INACTIVE_MESSAGE = gettext_lazy("This volunteer is already inactive.")
DATE_MISSING_MESSAGE = gettext_lazy("Enter the date of the activity.")
NOT_HELD_YET_MESSAGE = gettext_lazy(
    "This activity has not taken place yet: record participants and volunteer hours once it "
    "has, or correct the date."
)
NEGATIVE_COUNT_MESSAGE = gettext_lazy("Enter 0 or more participants.")
COUNT_TOO_HIGH_MESSAGE = gettext_lazy("Enter at most %(limit)s participants in one box.")
HOURS_RANGE_MESSAGE = gettext_lazy(
    "Enter whole hours from 1 to %(limit)s, or leave it empty if the volunteer did not take part."
)
INACTIVE_VOLUNTEER_MESSAGE = gettext_lazy(
    "%(name)s is inactive and cannot be added to a new activity. Activate them first."
)
DAY_LIMIT_MESSAGE = gettext_lazy(
    "%(name)s already gave %(hours)s hours in other activities that day: no more than "
    "%(limit)s hours in a day."
)


@dataclass(frozen=True)
class ActivityInput:
    held_on: date | None
    topic: str
    title: str
    place: str
    partner: Partner | None = None
    description: str = ""


def volunteer_register(
    *,
    actor: User,
    person: Person,
    skills: str = "",
    availability: str = "",
    joined_on: date | None = None,
) -> Volunteer:
    if person.anonymised_on is not None:
        raise ValidationError(str(ANONYMISED_MESSAGE), code="anonymised")
    if Volunteer.objects.filter(person=person).exists():
        raise ValidationError(str(ALREADY_VOLUNTEER_MESSAGE), code="already_volunteer")
    joined_on = joined_on or timezone.localdate()
    if joined_on > timezone.localdate():
        raise ValidationError({"joined_on": [str(FUTURE_JOINED_MESSAGE)]})
    with transaction.atomic(), pghistory.context(user=actor.pk):
        volunteer = Volunteer(
            person=person,
            skills=skills.strip(),
            availability=availability.strip(),
            joined_on=joined_on,
        )
        volunteer.full_clean(exclude=["person"])
        volunteer.save()
    return volunteer


def volunteer_update(
    *,
    actor: User,
    volunteer: Volunteer,
    skills: str,
    availability: str,
    joined_on: date,
    expected_version: int | None = None,
) -> Volunteer:
    """Skills, availability and start date, unless someone saved the volunteer (or
    activated or deactivated them) since the form was loaded at ``expected_version``."""
    if joined_on > timezone.localdate():
        raise ValidationError({"joined_on": [str(FUTURE_JOINED_MESSAGE)]})
    with transaction.atomic(), pghistory.context(user=actor.pk):
        version_check(volunteer, expected_version)
        volunteer.skills = skills.strip()
        volunteer.availability = availability.strip()
        volunteer.joined_on = joined_on
        volunteer.full_clean(exclude=["person"])
        volunteer.save(update_fields=["skills", "availability", "joined_on"])
    return volunteer


def volunteer_set_active(*, actor: User, volunteer: Volunteer, is_active: bool) -> Volunteer:
    """Activate or deactivate; an inactive volunteer keeps their past activities and hours."""
    with transaction.atomic(), pghistory.context(user=actor.pk):
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if locked.is_active == is_active:
            message = ALREADY_ACTIVE_MESSAGE if is_active else ALREADY_INACTIVE_MESSAGE
            raise ValidationError(str(message), code="unchanged")
        locked.is_active = is_active
        locked.save(update_fields=["is_active"])
    volunteer.is_active = is_active
    return volunteer


def activity_create(
    *,
    actor: User,
    details: ActivityInput,
    volunteer_hours: Mapping[Volunteer, int] | None = None,
    participants: Participants | None = None,
) -> AwarenessActivity:
    activity = AwarenessActivity(created_by=actor)
    return _activity_save(actor, activity, details, volunteer_hours or {}, participants or {})


def activity_update(
    *,
    actor: User,
    activity: AwarenessActivity,
    details: ActivityInput,
    volunteer_hours: Mapping[Volunteer, int] | None = None,
    participants: Participants | None = None,
    expected_version: int | None = None,
) -> AwarenessActivity:
    """Replace the activity's details, its volunteers with their hours and its grid,
    unless someone saved it since the form was loaded at ``expected_version``. The
    activity's row is saved on every edit, so its version also covers hours and grid."""
    return _activity_save(
        actor,
        activity,
        details,
        volunteer_hours or {},
        participants or {},
        expected_version=expected_version,
    )


def _activity_save(
    actor: User,
    activity: AwarenessActivity,
    details: ActivityInput,
    volunteer_hours: Mapping[Volunteer, int],
    participants: Participants,
    *,
    expected_version: int | None = None,
) -> AwarenessActivity:
    previous_date = activity.held_on if activity.pk else None
    with transaction.atomic(), pghistory.context(user=actor.pk):
        if activity.pk:
            version_check(activity, expected_version)
        errors = _details_errors(activity, details)
        _merge(errors, _participants_errors(details.held_on, participants))
        # Locked, so a volunteer deactivated meanwhile is seen as inactive here.
        locked = Volunteer.objects.select_for_update().in_bulk([v.pk for v in volunteer_hours])
        _merge(errors, _hours_errors(activity, details.held_on, volunteer_hours, locked))
        if errors:
            raise ValidationError(errors)
        activity.save()
        _participations_replace(activity, volunteer_hours)
        ParticipantCount.objects.filter(activity=activity).delete()
        ParticipantCount.objects.bulk_create(
            ParticipantCount(activity=activity, sex=sex, age_group=age_group, count=count)
            for (sex, age_group), count in participants.items()
            if count
        )
        district_month_changed(activity.held_on)
        if previous_date and previous_date.replace(day=1) != activity.held_on.replace(day=1):
            district_month_changed(previous_date)
    return activity


def _merge(errors: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    for field, messages in more.items():
        errors.setdefault(field, []).extend(m for m in messages if m not in errors[field])


def _details_errors(activity: AwarenessActivity, details: ActivityInput) -> dict[str, list[str]]:
    activity.held_on = details.held_on  # type: ignore[assignment]
    activity.topic = details.topic
    activity.title = details.title.strip()
    activity.place = details.place.strip()
    activity.partner = details.partner
    activity.description = details.description.strip()
    errors: dict[str, list[str]] = {}
    exclude = ["created_by"]
    if details.held_on is None:
        errors["held_on"] = [str(DATE_MISSING_MESSAGE)]
        exclude.append("held_on")
    try:
        activity.full_clean(exclude=exclude)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    return errors


def _participants_errors(held_on: date | None, participants: Participants) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for cell, count in participants.items():
        if cell not in CELLS:
            raise ValueError(f"not a cell of the participants grid: {cell}")
        if count < 0:
            errors[cell_key(*cell)] = [str(NEGATIVE_COUNT_MESSAGE)]
        elif count > MAX_PARTICIPANTS_PER_CELL:
            errors[cell_key(*cell)] = [
                str(COUNT_TOO_HIGH_MESSAGE) % {"limit": MAX_PARTICIPANTS_PER_CELL}
            ]
    if held_on and held_on > timezone.localdate() and any(participants.values()):
        errors["held_on"] = [str(NOT_HELD_YET_MESSAGE)]
    return errors


def _hours_errors(
    activity: AwarenessActivity,
    held_on: date | None,
    volunteer_hours: Mapping[Volunteer, int],
    locked: Mapping[int, Volunteer],
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not volunteer_hours:
        return errors
    if held_on and held_on > timezone.localdate():
        errors["held_on"] = [str(NOT_HELD_YET_MESSAGE)]
    already_in = (
        set(activity.participations.values_list("volunteer_id", flat=True))
        if activity.pk
        else set()
    )
    same_day: dict[int, int] = {}
    if held_on is not None:
        same_day = dict(
            VolunteerParticipation.objects.filter(
                volunteer__in=list(volunteer_hours), activity__held_on=held_on
            )
            .exclude(activity_id=activity.pk)
            .values("volunteer_id")
            .annotate(total=Sum("hours"))
            .values_list("volunteer_id", "total")
        )
    for volunteer, hours in volunteer_hours.items():
        key = hours_key(volunteer)
        if not 1 <= hours <= MAX_HOURS_PER_DAY:
            errors[key] = [str(HOURS_RANGE_MESSAGE) % {"limit": MAX_HOURS_PER_DAY}]
        elif not locked[volunteer.pk].is_active and volunteer.pk not in already_in:
            name = volunteer.person.full_name
            errors[key] = [str(INACTIVE_VOLUNTEER_MESSAGE) % {"name": name}]
        elif same_day.get(volunteer.pk, 0) + hours > MAX_HOURS_PER_DAY:
            given, name = same_day[volunteer.pk], volunteer.person.full_name
            errors[key] = [
                str(DAY_LIMIT_MESSAGE) % {"name": name, "hours": given, "limit": MAX_HOURS_PER_DAY}
            ]
    return errors


def _participations_replace(
    activity: AwarenessActivity, volunteer_hours: Mapping[Volunteer, int]
) -> None:
    """Update changed hours, add the new volunteers, remove those no longer listed (each
    change leaves its own history row)."""
    current = {p.volunteer_id: p for p in activity.participations.all()}
    wanted = {volunteer.pk: hours for volunteer, hours in volunteer_hours.items()}
    for volunteer_id, part in current.items():
        if volunteer_id not in wanted:
            part.delete()
        elif part.hours != wanted[volunteer_id]:
            part.hours = wanted[volunteer_id]
            part.save(update_fields=["hours"])
    VolunteerParticipation.objects.bulk_create(
        VolunteerParticipation(activity=activity, volunteer_id=volunteer_id, hours=hours)
        for volunteer_id, hours in wanted.items()
        if volunteer_id not in current
    )


def volunteer_person_merged(*, keep: Person, duplicate: Person) -> None:
    """Move the duplicate's volunteer record onto ``keep`` when two records of one person
    are merged (for ``people.services.person_merge``, inside its transaction and before the
    duplicate is deleted). When both volunteered, one volunteer is left: an activity both
    records took part in keeps the larger of the two hours, never their sum."""
    moving = Volunteer.objects.filter(person=duplicate).first()
    if moving is None:
        return
    kept = Volunteer.objects.filter(person=keep).first()
    if kept is None:
        moving.person = keep
        moving.save(update_fields=["person"])
        return
    held = {p.activity_id: p for p in kept.participations.all()}
    for part in moving.participations.select_related("activity"):
        district_month_changed(part.activity.held_on)
        twin = held.get(part.activity_id)
        if twin is None:
            part.volunteer = kept
            part.save(update_fields=["volunteer"])
            continue
        if part.hours > twin.hours:
            twin.hours = part.hours
            twin.save(update_fields=["hours"])
        part.delete()
    kept.is_active = kept.is_active or moving.is_active
    kept.joined_on = min(kept.joined_on, moving.joined_on)
    kept.skills = kept.skills or moving.skills
    kept.availability = kept.availability or moving.availability
    kept.save(update_fields=["is_active", "joined_on", "skills", "availability"])
    moving.delete()
