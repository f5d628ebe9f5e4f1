"""Test data made through the services (call inside a district's schema)."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

from apps.inclusion.event_services import event_save, training_save
from apps.inclusion.models import Entrepreneur, Event, Training
from apps.inclusion.services import entrepreneur_register
from apps.people.models import Person
from apps.people.tests.factories import person_make, staff

# Valid RUCs (SUNAT check digit): a company's and a natural person's.
RUC_COMPANY = "20131312955"
RUC_PERSON = "10123456781"
_numbers = count(1)


def person_new(**values: Any) -> Person:
    """A registered person with a document number of their own."""
    number = next(_numbers)
    return person_make(
        **{"given_names": f"Persona {number}", "document_number": f"T-{number}", **values}
    )


def entrepreneur_make(
    *, person: Person | None = None, registered_on: date | None = None, **values: Any
) -> Entrepreneur:
    return entrepreneur_register(
        actor=staff("inclusion_officer"),
        person=person or person_new(**values),
        registered_on=registered_on or date(2025, 1, 15),
    )


def training_make(*, held_on: date, **values: Any) -> Training:
    details = {"title": "Formalización y RUC", "topic": "formalisation", "place": "Auditorio"}
    return training_save(actor=staff("inclusion_officer"), held_on=held_on, **{**details, **values})


def event_make(*, starts_on: date, stall_count: int = 10, **values: Any) -> Event:
    details = {"kind": "fair", "title": "Feria Emprende", "place": "Plaza de Armas"}
    return event_save(
        actor=staff("inclusion_officer"),
        starts_on=starts_on,
        stall_count=stall_count,
        **{**details, **values},
    )
