"""Test data made through the services (call inside a district's schema)."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

from django.contrib.auth.models import User

from apps.people.models import Person
from apps.people.tests.factories import person_make, staff
from apps.volunteers.grid import Participants
from apps.volunteers.models import AwarenessActivity, Topic, Volunteer
from apps.volunteers.services import ActivityInput, activity_create, volunteer_register

_numbers = count(1)


def person_new(**values: Any) -> Person:
    """A person with a document number of their own."""
    number = next(_numbers)
    values.setdefault("given_names", f"Voluntaria{number}")
    return person_make(document_number=f"VOL-{number:06d}", **values)


def volunteer_make(*, person: Person | None = None, actor: User | None = None) -> Volunteer:
    return volunteer_register(
        actor=actor or staff("coordinator"),
        person=person or person_new(),
        skills="Talleres",
        availability="Sábados",
        joined_on=date(2024, 1, 1),
    )


def details(**values: Any) -> ActivityInput:
    fields: dict[str, Any] = {
        "held_on": date(2025, 3, 10),
        "topic": Topic.ANTI_XENOPHOBIA,
        "title": "Feria intercultural",
        "place": "Parque central",
        **values,
    }
    return ActivityInput(**fields)


def activity_make(
    *,
    actor: User | None = None,
    volunteer_hours: dict[Volunteer, int] | None = None,
    participants: Participants | None = None,
    **values: Any,
) -> AwarenessActivity:
    return activity_create(
        actor=actor or staff("coordinator"),
        details=details(**values),
        volunteer_hours=volunteer_hours,
        participants=participants,
    )
