"""Demo records of this app (used by ``manage.py demo_setup`` only)."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from apps.inclusion.event_services import (
    event_attendance_record,
    event_save,
    stall_allot,
    training_attendance_record,
    training_save,
)
from apps.inclusion.models import STAGE_ORDER, Entrepreneur, Event, Training
from apps.inclusion.ruc import ruc_check_digit
from apps.inclusion.services import (
    business_add,
    business_status_record,
    business_update,
    entrepreneur_register,
)
from apps.people.models import Person

BUSINESSES = [
    ("Arepas Doña {name}", "Venta de arepas y comida venezolana"),
    ("Bodega El Chamo", "Bodega de abarrotes"),
    ("Costuras {name}", "Costura y arreglos de ropa"),
    ("Barbería Caracas Style", "Barbería"),
    ("Dulces de {name}", "Repostería y tortas por encargo"),
    ("Callao Express Delivery", "Reparto a domicilio"),
    ("Salón de belleza {name}", "Peluquería y manicure"),
    ("TecniCel Bellavista", "Reparación de celulares"),
    ("Sabores del Llano", "Venta de empanadas y tequeños"),
    ("Artesanías Wayuu", "Artesanía y bisutería"),
]
TRAININGS = [
    (
        "Formalización y RUC con SUNAT",
        "formalisation",
        "SUNAT - Centro de Servicios al Contribuyente",
    ),
    ("Educación financiera y ahorro", "finance", "Caja Municipal"),
    ("Ventas por redes sociales", "marketing", "Programa Emprende Callao"),
    ("Manipulación de alimentos", "food_handling", "Subgerencia de Salud"),
    ("Licencia municipal de funcionamiento paso a paso", "formalisation", "Gerencia de Rentas"),
    ("Derechos laborales de trabajadores migrantes", "labour_rights", "Encuentros SJM"),
]
EVENTS = [
    ("fair", "Feria Emprende Callao", "Plaza de Armas del distrito", 20),
    ("fair", "Feria Gastronómica Intercultural", "Parque principal", 15),
    ("safe_space", "Espacio seguro: mujeres emprendedoras", "Casa de la Juventud", 0),
    ("safe_space", "Espacio seguro: cuidado y bienestar", "Auditorio municipal", 0),
]
PLACES = ["Auditorio municipal", "Casa de la Juventud", "Local comunal", "Biblioteca municipal"]


def _ruc(rng: random.Random) -> str:
    first_ten = "10" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return first_ten + str(ruc_check_digit(first_ten))


def _entrepreneurs(rng: random.Random, actor: User, today: date) -> list[Entrepreneur]:
    """About a third of the district's adults, registered over the last year, each with a
    business that moved forward now and then."""
    adults = [
        p
        for p in Person.objects.filter(anonymised_on__isnull=True).order_by("pk")
        if (p.age_on(today) or 0) >= 18
    ]
    chosen = rng.sample(adults, max(min(len(adults), 3), len(adults) // 3))
    entrepreneurs = []
    for person in chosen:
        registered_on = today - timedelta(days=rng.randint(30, 360))
        entrepreneur = entrepreneur_register(
            actor=actor, person=person, registered_on=registered_on
        )
        entrepreneurs.append(entrepreneur)
        if rng.random() < 0.15:
            continue  # still without a business
        for _ in range(2 if rng.random() < 0.15 else 1):
            _business(rng, actor, entrepreneur, registered_on, today)
    return entrepreneurs


def _business(
    rng: random.Random, actor: User, entrepreneur: Entrepreneur, start: date, today: date
) -> None:
    name, activity = rng.choice(BUSINESSES)
    first_name = entrepreneur.person.given_names.split()[0]
    business = business_add(
        actor=actor,
        entrepreneur=entrepreneur,
        name=name.format(name=first_name),
        activity=activity,
        status="informal",
        since=start,
    )
    steps = rng.choices([0, 1, 2, 3], weights=[4, 3, 2, 1])[0]
    day = start
    for status in STAGE_ORDER[1 : steps + 1]:
        day = day + timedelta(days=rng.randint(20, 90))
        if day > today:
            break
        if not business.ruc:
            business_update(
                actor=actor,
                business=business,
                name=business.name,
                activity=business.activity,
                ruc=_ruc(rng),
            )
        business_status_record(actor=actor, business=business, status=status, since=day)


def _trainings(rng: random.Random, actor: User, today: date, people: list[Person]) -> None:
    for index, (title, topic, facilitator) in enumerate(TRAININGS):
        held_on = today + timedelta(days=(index - 4) * 45 + rng.randint(-10, 10))
        training = training_save(
            actor=actor,
            title=title,
            topic=topic,
            held_on=held_on,
            starts_at=time(rng.choice([9, 10, 15, 16])),
            place=rng.choice(PLACES),
            facilitator=facilitator,
            description="Sesión práctica con materiales para llevar.",
        )
        if held_on <= today and people:
            for person in rng.sample(people, min(len(people), rng.randint(4, 12))):
                training_attendance_record(actor=actor, training=training, person=person)


def _events(
    rng: random.Random, actor: User, today: date, entrepreneurs: list[Entrepreneur]
) -> None:
    for index, (kind, title, place, stalls) in enumerate(EVENTS):
        starts_on = today + timedelta(days=(index - 2) * 40 + rng.randint(-7, 7))
        event = event_save(
            actor=actor,
            kind=kind,
            title=title,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=1) if kind == "fair" else None,
            place=place,
            stall_count=stalls,
            description="Organizado por la Oficina de Orientación al Migrante.",
        )
        if stalls:
            chosen = rng.sample(entrepreneurs, min(len(entrepreneurs), stalls - 2))
            for number, entrepreneur in enumerate(chosen, start=1):
                stall_allot(
                    actor=actor, event=event, entrepreneur=entrepreneur, stall_number=number
                )
        if starts_on <= today:
            people = [e.person for e in entrepreneurs]
            for person in rng.sample(people, min(len(people), rng.randint(5, 15))):
                event_attendance_record(actor=actor, event=event, person=person)


def demo_load(*, actor: User, seed: str) -> None:
    """Plausible records for one district, made through the services; idempotent (nothing
    is added once the district has any entrepreneur, training or event)."""
    if Entrepreneur.objects.exists() or Training.objects.exists() or Event.objects.exists():
        return
    rng = random.Random(f"inclusion-{seed}")  # noqa: S311 - made-up demo data, not security
    today = timezone.localdate()
    entrepreneurs = _entrepreneurs(rng, actor, today)
    people = [e.person for e in entrepreneurs] + list(
        Person.objects.filter(anonymised_on__isnull=True, entrepreneur__isnull=True).order_by("pk")[
            :10
        ]
    )
    _trainings(rng, actor, today, people)
    _events(rng, actor, today, entrepreneurs)
