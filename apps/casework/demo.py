"""Demo activity for a district's demo people (used by ``manage.py demo_setup`` only)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from apps.casework.models import Attention, Channel, Referral
from apps.casework.services import (
    attention_record,
    case_note_add,
    case_open,
    follow_up_add,
    referral_send,
    referral_transition,
)
from apps.catalogue.models import Partner, ServiceType
from apps.people.models import ConsentPurpose, Person

NOTES = [
    "Consulta sobre el trámite del CPP y requisitos.",
    "Orientación para afiliarse al SIS.",
    "Busca vacante escolar para sus hijos.",
    "Solicita información sobre ferias de emprendimiento.",
    "Refiere dificultades para pagar el alquiler.",
]


def casework_demo_load(*, actor: User, seed: str) -> None:
    """Attentions over the last year, some cases and referrals (none if any exist)."""
    if Attention.objects.exists():
        return
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not security
    today = timezone.localdate()
    services = list(ServiceType.objects.all())
    partners = list(Partner.objects.all())
    statuses = [Referral.Status.ACCEPTED, Referral.Status.REJECTED, Referral.Status.COMPLETED]
    for person in Person.objects.prefetch_related("consents"):
        for _ in range(rng.randint(1, 4)):
            attention_record(
                actor=actor,
                person=person,
                occurred_on=today - timedelta(days=rng.randint(0, 360)),
                channel=rng.choice(Channel.values),
                service_types=rng.sample(services, rng.randint(1, 2)),
                notes=rng.choice(NOTES),
                next_follow_up_on=today + timedelta(days=rng.randint(-5, 20))
                if rng.random() < 0.2
                else None,
            )
        if rng.random() < 0.2:
            case = case_open(
                actor=actor, person=person, caseworker=actor, plan="Acompañar la regularización."
            )
            case_note_add(actor=actor, case=case, text="Primera entrevista realizada.")
            follow_up_add(
                actor=actor,
                case=case,
                description="Llamar para confirmar la cita",
                due_on=today + timedelta(days=rng.randint(-7, 14)),
            )
        consents = {c.purpose for c in person.consents.all() if c.withdrawn_on is None}
        if ConsentPurpose.REFERRAL_SHARING in consents and rng.random() < 0.3:
            referral = referral_send(
                actor=actor,
                person=person,
                partner=rng.choice(partners),
                service_type=rng.choice(services),
                reason="Requiere apoyo especializado.",
            )
            if rng.random() < 0.6:
                target = rng.choice(statuses)
                if target == Referral.Status.COMPLETED:
                    referral = referral_transition(
                        actor=actor, referral=referral, to_status=Referral.Status.ACCEPTED
                    )
                referral_transition(actor=actor, referral=referral, to_status=target)
