"""Writes on the establishments registry and its signage inspections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pghistory
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.complaints.models import Establishment, SignageInspection
from apps.people.normalise import name_key
from apps.workspace.versioning import version_check

LICENCE_TAKEN_MESSAGE = gettext_lazy(
    "“%(name)s” already has this licence number: open its record instead."
)
FUTURE_INSPECTION_MESSAGE = gettext_lazy("The date cannot be in the future.")
BANNED_PHRASES_MESSAGE = gettext_lazy("Write the banned phrases seen.")


@dataclass(frozen=True)
class EstablishmentInput:
    name: str
    address: str
    licence_number: str = ""
    activity: str = ""


def _licence_errors(values: EstablishmentInput, exclude_pk: int | None) -> dict[str, list[str]]:
    licence = values.licence_number.strip()
    if not licence:
        return {}
    holders = Establishment.objects.filter(licence_number__iexact=licence)
    if exclude_pk is not None:
        holders = holders.exclude(pk=exclude_pk)
    holder = holders.first()
    if holder is None:
        return {}
    return {"licence_number": [str(LICENCE_TAKEN_MESSAGE % {"name": holder.name})]}


def _apply(establishment: Establishment, values: EstablishmentInput) -> None:
    establishment.name = values.name.strip()
    establishment.address = values.address.strip()
    establishment.licence_number = values.licence_number.strip()
    establishment.activity = values.activity.strip()
    establishment.name_key = name_key(establishment.name)


def establishment_register(*, actor: User, values: EstablishmentInput) -> Establishment:
    errors = _licence_errors(values, None)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        establishment = Establishment(created_by=actor)
        _apply(establishment, values)
        establishment.full_clean(exclude=["created_by"])
        establishment.save()
    return establishment


def establishment_update(
    *,
    actor: User,
    establishment: Establishment,
    values: EstablishmentInput,
    expected_version: int | None = None,
) -> Establishment:
    """Change the establishment's details, unless someone saved it since the form was
    loaded at ``expected_version`` (``RecordChangedError``, nothing written)."""
    errors = _licence_errors(values, establishment.pk)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        version_check(establishment, expected_version)
        _apply(establishment, values)
        establishment.full_clean(exclude=["created_by"])
        establishment.save()
    return establishment


def signage_inspection_record(
    *,
    actor: User,
    establishment: Establishment,
    inspected_on: date,
    sign_displayed: bool,
    banned_phrase_found: bool,
    banned_phrases: str = "",
    notes: str = "",
) -> SignageInspection:
    """Record whether the "discrimination is prohibited" sign is displayed and whether a
    banned phrase ("nos reservamos el derecho de admisión"...) was found."""
    errors: dict[str, list[str]] = {}
    if inspected_on > timezone.localdate():
        errors["inspected_on"] = [str(FUTURE_INSPECTION_MESSAGE)]
    if banned_phrase_found and not banned_phrases.strip():
        errors["banned_phrases"] = [str(BANNED_PHRASES_MESSAGE)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        inspection = SignageInspection(
            establishment=establishment,
            inspected_on=inspected_on,
            inspector=actor,
            sign_displayed=sign_displayed,
            banned_phrase_found=banned_phrase_found,
            banned_phrases=banned_phrases.strip() if banned_phrase_found else "",
            notes=notes.strip(),
        )
        inspection.full_clean(exclude=["establishment", "inspector"])
        inspection.save()
    return inspection
