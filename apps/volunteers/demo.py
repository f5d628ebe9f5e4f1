"""Demo records of this app (used by ``manage.py demo_setup`` only)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from apps.catalogue.models import Partner
from apps.people.models import Person
from apps.volunteers.grid import CELLS, Participants
from apps.volunteers.models import AwarenessActivity, Topic, Volunteer
from apps.volunteers.services import (
    ActivityInput,
    activity_create,
    volunteer_register,
    volunteer_set_active,
)

SKILLS = [
    "Facilitación de talleres y dinámicas de grupo",
    "Diseño de afiches y redes sociales",
    "Fotografía y video",
    "Reciclaje, compostaje y huertos urbanos",
    "Teatro comunitario y títeres",
    "Traducción criollo haitiano y español",
    "Animación de actividades para niñas y niños",
    "Primeros auxilios",
]
AVAILABILITY = [
    "Sábados por la mañana",
    "Domingos",
    "Tardes entre semana",
    "Lunes a viernes después de las 6 p. m.",
    "Fines de semana",
]
TITLES = {
    Topic.FORCED_DISPLACEMENT: [
        "Charla: ¿Por qué migran las familias?",
        "Cine-foro sobre desplazamiento forzado",
    ],
    Topic.CLIMATE_CHANGE: [
        "Taller: el cambio climático en nuestro barrio",
        "Feria escolar sobre el cambio climático",
    ],
    Topic.ENVIRONMENT: [
        "Limpieza de playa con vecinos y vecinas",
        "Campaña de reciclaje en el mercado",
        "Siembra de árboles en el parque",
    ],
    Topic.ANTI_XENOPHOBIA: [
        "Feria intercultural: Perú y Venezuela",
        "Taller: convivencia sin xenofobia",
        "Partido de fútbol por la integración",
    ],
    Topic.OTHER: ["Jornada de voluntariado comunitario"],
}
PLACES = [
    "Parque Juan Pablo II",
    "Losa deportiva del asentamiento humano",
    "Auditorio de la municipalidad",
    "I.E. José Olaya",
    "Mercado central",
    "Malecón",
    "Local comunal",
]
# Age groups weighted like a community event: many children and adults, few elders.
AGE_WEIGHTS = {"0-5": 1, "6-11": 3, "12-17": 3, "18-29": 4, "30-59": 4, "60+": 1}


def demo_load(*, actor: User, seed: str) -> None:
    """Plausible records for one district, made through the services; idempotent (nothing
    is added if the district has volunteers or activities) and the same for a seed."""
    if Volunteer.objects.exists() or AwarenessActivity.objects.exists():
        return
    rng = random.Random(f"volunteers:{seed}")  # noqa: S311 - made-up demo data, not security
    today = timezone.localdate()
    volunteers = _volunteers(rng, actor, today)
    partners = list(Partner.objects.filter(is_active=True).order_by("code"))
    for months_back in range(6, -1, -1):
        for _ in range(rng.randint(1, 3)):
            held_on = today - timedelta(days=30 * months_back + rng.randint(0, 27))
            _activity(rng, actor, held_on, volunteers, partners, held=True)
    for days_ahead in (rng.randint(5, 12), rng.randint(15, 35)):
        _activity(rng, actor, today + timedelta(days=days_ahead), [], partners, held=False)
    # One volunteer stepped back after taking part.
    if len(volunteers) >= 3:
        volunteer_set_active(actor=actor, volunteer=volunteers[-1], is_active=False)


def _volunteers(rng: random.Random, actor: User, today: date) -> list[Volunteer]:
    adult = today - timedelta(days=18 * 366)
    people = list(
        Person.objects.filter(anonymised_on__isnull=True, birth_date__lte=adult).order_by("pk")
    )
    chosen = rng.sample(people, min(len(people), max(3, len(people) // 10)))
    return [
        volunteer_register(
            actor=actor,
            person=person,
            skills="\n".join(rng.sample(SKILLS, rng.randint(1, 2))),
            availability=rng.choice(AVAILABILITY),
            joined_on=today - timedelta(days=rng.randint(200, 700)),
        )
        for person in chosen
    ]


def _activity(
    rng: random.Random,
    actor: User,
    held_on: date,
    volunteers: list[Volunteer],
    partners: list[Partner],
    *,
    held: bool,
) -> None:
    topic = rng.choice(list(TITLES))
    taking_part = rng.sample(volunteers, min(len(volunteers), rng.randint(1, 4))) if held else []
    participants: Participants = {}
    if held:
        size = rng.randint(15, 80)
        for sex, age_group in CELLS:
            share = AGE_WEIGHTS[age_group] / (2 * sum(AGE_WEIGHTS.values()))
            participants[(sex, age_group)] = round(size * share * rng.uniform(0.5, 1.5))
    activity_create(
        actor=actor,
        details=ActivityInput(
            held_on=held_on,
            topic=topic,
            title=rng.choice(TITLES[topic]),
            place=rng.choice(PLACES),
            partner=rng.choice(partners) if partners and rng.random() < 0.6 else None,
            description="Actividad de sensibilización con la participación de voluntarios.",
        ),
        volunteer_hours={volunteer: rng.randint(2, 6) for volunteer in taking_part},
        participants=participants,
    )
