"""Test data made through the services, as the product makes it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from apps.catalogue.models import DocumentType
from apps.people.models import ConsentMethod, ConsentPurpose, MigratoryStatus, Person
from apps.people.services import ConsentInput, DocumentInput, PersonInput, person_register


def staff(role: str = "caseworker", slug: str = "la-perla") -> User:
    """The district's test account of ``role`` (call inside the district's schema)."""
    return get_user_model().objects.get(username=f"{role}@{slug}.test")


def person_make(
    *,
    actor: User | None = None,
    document_number: str | None = "V-12.345.678",
    document_type: str = "passport",
    consents: tuple[ConsentPurpose, ...] = (ConsentPurpose.REGISTRATION,),
    situation: MigratoryStatus | None = MigratoryStatus.CPP_PTP,
    **values: Any,
) -> Person:
    details = {
        "given_names": "María José",
        "family_names": "Pérez Núñez",
        "sex": "female",
        "nationality": "VE",
        "population_group": "in_destination",
        "birth_date": date(1990, 5, 17),
        "phone": "+51 987 654 321",
        **values,
    }
    document = (
        DocumentInput(
            document_type=DocumentType.objects.get(code=document_type), number=document_number
        )
        if document_number is not None
        else None
    )
    return person_register(
        actor=actor or staff(),
        person=PersonInput(**details),
        document=document,
        situation=situation,
        situation_since=date(2024, 1, 10),
        consents=[
            ConsentInput(
                purpose=p,
                given_on=date(2024, 1, 10),
                form_version="2025-1",
                method=ConsentMethod.SIGNED,
            )
            for p in consents
        ],
        confirm_not_duplicate=True,
    )
