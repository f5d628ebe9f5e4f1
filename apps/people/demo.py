"""Realistic demo people for a district (used by ``manage.py demo_setup`` only)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth.models import User

from apps.catalogue.models import DocumentType
from apps.people.models import (
    ConsentMethod,
    ConsentPurpose,
    MigratoryStatus,
    Person,
    PopulationGroup,
)
from apps.people.services import ConsentInput, DocumentInput, PersonInput, person_register

GIVEN_FEMALE = [
    "María José",
    "Yulimar",
    "Daniela",
    "Andreína",
    "Carolina",
    "Yusmary",
    "Génesis",
    "Valentina",
    "Rosa",
    "Luisa Fernanda",
    "Wislande",
    "Ana Karina",
    "Milagros",
    "Dayana",
    "Nathalie",
]
GIVEN_MALE = [
    "José Luis",
    "Carlos Eduardo",
    "Jesús",
    "Luis Alberto",
    "Yorman",
    "Kelvin",
    "Jean Pierre",
    "Andrés Felipe",
    "Miguel Ángel",
    "Wilmer",
    "Johan",
    "Ricardo",
    "Frantz",
    "Daniel",
]
FAMILY = [
    "Rodríguez",
    "González",
    "Pérez",
    "Hernández",
    "García",
    "Martínez",
    "López",
    "Ramírez",
    "Díaz",
    "Torres",
    "Rojas",
    "Mendoza",
    "Quispe",
    "Flores",
    "Castillo",
    "Jean-Baptiste",
    "Suárez",
    "Moreno",
    "Vargas",
    "Peña",
    "Núñez",
    "Salazar",
    "Gutiérrez",
    "Blanco",
]
# Venezuelans are about 86 % of foreign residents (DOMAIN.md).
NATIONALITIES = ["VE"] * 17 + ["CO", "EC", "HT", "PE"]
STREETS = [
    "Av. Santa Rosa",
    "Jr. Callao",
    "Av. La Paz",
    "Jr. Grau",
    "Av. Colonial",
    "Calle Los Olivos",
]


def _document_for(rng: random.Random, nationality: str) -> tuple[str, str]:
    if nationality == "PE":
        return "dni", f"{rng.randint(10_000_000, 79_999_999)}"
    kind = rng.choice(["cpp", "cpp", "ce", "passport", "ptp", "asylum-seeker"])
    prefix = {"cpp": "CPP", "ce": "CE", "passport": "P", "ptp": "PTP", "asylum-seeker": "SR"}[kind]
    return kind, f"{prefix}{rng.randint(100_000_000, 999_999_999)}"


def _situation_for(rng: random.Random, nationality: str) -> tuple[MigratoryStatus, PopulationGroup]:
    if nationality == "PE":
        return rng.choice(
            [
                (MigratoryStatus.RETURNEE, PopulationGroup.RETURNEE),
                (MigratoryStatus.HOST_PERUVIAN, PopulationGroup.HOST_COMMUNITY),
            ]
        )
    status = rng.choice(
        [MigratoryStatus.CPP_PTP] * 4
        + [
            MigratoryStatus.RESIDENT,
            MigratoryStatus.ASYLUM_SEEKER,
            MigratoryStatus.IRREGULAR,
            MigratoryStatus.REFUGEE,
            MigratoryStatus.TEMPORARY,
        ]
    )
    group = rng.choice(
        [PopulationGroup.IN_DESTINATION] * 6
        + [PopulationGroup.IN_TRANSIT, PopulationGroup.PENDULAR]
    )
    return status, group


def people_demo_load(*, actor: User, count: int, seed: str) -> int:
    """Register ``count`` made-up people (none if the district already has people)."""
    if Person.objects.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not security
    document_types = {d.code: d for d in DocumentType.objects.all()}
    today = date.today()  # noqa: DTZ011 - demo data, the server's day is fine
    for _ in range(count):
        sex = rng.choice(["female", "male"])
        nationality = rng.choice(NATIONALITIES)
        status, group = _situation_for(rng, nationality)
        code, number = _document_for(rng, nationality)
        birth = today - timedelta(days=rng.randint(2 * 365, 70 * 365))
        given = rng.choice(GIVEN_FEMALE if sex == "female" else GIVEN_MALE)
        consents = [ConsentPurpose.REGISTRATION] + (
            [ConsentPurpose.REFERRAL_SHARING] if rng.random() < 0.7 else []
        )
        person_register(
            actor=actor,
            person=PersonInput(
                given_names=given,
                family_names=f"{rng.choice(FAMILY)} {rng.choice(FAMILY)}",
                sex=sex,
                nationality=nationality,
                population_group=group,
                birth_date=birth,
                phone=f"9{rng.randint(10_000_000, 99_999_999)}",
                address=f"{rng.choice(STREETS)} {rng.randint(100, 1999)}",
            ),
            document=DocumentInput(
                document_type=document_types[code],
                number=number,
                is_verified=rng.random() < 0.6,
                expires_on=None if code == "dni" else today + timedelta(days=rng.randint(-60, 700)),
            ),
            situation=status,
            situation_since=today - timedelta(days=rng.randint(30, 2000)),
            consents=[
                ConsentInput(
                    purpose=p,
                    given_on=today - timedelta(days=rng.randint(0, 400)),
                    form_version="2025-1",
                    method=ConsentMethod.SIGNED,
                )
                for p in consents
            ],
            confirm_not_duplicate=True,
        )
    return count
