"""Demo records of this app (used by ``manage.py demo_setup`` only): establishments with
their signage inspections, one repeat offender, and complaints at every stage, made through
the services. Deterministic from the seed (dates relative to today); nothing is added when
the district already has establishments or complaints."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from apps.complaints.establishment_services import (
    EstablishmentInput,
    establishment_register,
    signage_inspection_record,
)
from apps.complaints.models import (
    Channel,
    Complaint,
    Establishment,
    Ground,
    Offence,
)
from apps.complaints.selectors import sanction_rules_for
from apps.complaints.services import (
    ComplaintIntake,
    complaint_admit,
    complaint_appeal,
    complaint_close,
    complaint_dismiss,
    complaint_inspect,
    complaint_receive,
    complaint_report_infraction,
    complaint_sanction,
)
from apps.people.models import Person

ESTABLISHMENTS = [
    ("Discoteca La Chalaca", "Av. Sáenz Peña 1234", "Discoteca"),
    ("Restaurante El Rincón Porteño", "Jr. Constitución 350", "Restaurante"),
    ("Minimarket Don Lucho", "Av. Guardia Chalaca 890", "Bodega y minimarket"),
    ("Hostal Mar Azul", "Av. La Marina 2100", "Hospedaje"),
    ("Transportes Chalaco Express", "Av. Néstor Gambetta km 5", "Transporte urbano"),
    ("Salón de Eventos Los Delfines", "Av. Colonial 1550", "Local de eventos"),
    ("Pollería El Buen Sabor", "Jr. Callao 415", "Restaurante"),
]

NARRATIVES = {
    "door": (
        'El personal de seguridad no me dejó entrar al local y me dijo que "no atienden a '
        'venezolanos". Mis amigos peruanos sí pudieron ingresar.'
    ),
    "service": (
        "En la caja se negaron a atenderme al escuchar mi acento y me pidieron que me retirara. "
        "Otros clientes presenciaron lo ocurrido."
    ),
    "rent": (
        "Al preguntar por una habitación me dijeron que no alquilan a extranjeros ni a personas "
        "con carné de solicitante de refugio."
    ),
    "bus": (
        "El cobrador del bus me insultó por mi nacionalidad y me hizo bajar del vehículo con mi "
        "hija de seis años."
    ),
    "sign": (
        'En la puerta hay un cartel que dice "Nos reservamos el derecho de admisión" y no '
        "dejan pasar a personas migrantes."
    ),
    "job": (
        "En una entrevista de trabajo para el local me dijeron que no contratan a personas "
        "trans. Tengo los mensajes de WhatsApp."
    ),
}


@dataclass(frozen=True)
class _Days:
    """Offsets in days before today, so the demo's deadlines are plausible any day."""

    today: date

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)


def _grounds(*codes: str) -> list[Ground]:
    return list(Ground.objects.filter(code__in=codes))


def _establishments(actor: User, rng: random.Random, days: _Days) -> list[Establishment]:
    chosen = rng.sample(ESTABLISHMENTS, 5)
    made = []
    for i, (name, address, activity) in enumerate(chosen):
        establishment = establishment_register(
            actor=actor,
            values=EstablishmentInput(
                name=name,
                address=address,
                activity=activity,
                licence_number=f"LF-{2016 + i}-{rng.randint(100, 999):04d}",
            ),
        )
        compliant = rng.random() < 0.6
        signage_inspection_record(
            actor=actor,
            establishment=establishment,
            inspected_on=days.ago(rng.randint(90, 200)),
            sign_displayed=compliant,
            banned_phrase_found=False,
            notes="" if compliant else "Se entregó el modelo de cartel y se dio plazo de 15 días.",
        )
        made.append(establishment)
    # The repeat offender: a banned phrase at the door, found at the last inspection.
    signage_inspection_record(
        actor=actor,
        establishment=made[0],
        inspected_on=days.ago(70),
        sign_displayed=False,
        banned_phrase_found=True,
        banned_phrases="Nos reservamos el derecho de admisión",
    )
    return made


def _receive(
    actor: User | None,
    *,
    received_on: date,
    grounds: list[Ground],
    narrative: str,
    channel: str = Channel.IN_PERSON,
    establishment: Establishment | None = None,
    person: Person | None = None,
    name: str = "",
    anonymous: bool = False,
) -> Complaint:
    return complaint_receive(
        actor=actor,
        intake=ComplaintIntake(
            channel=channel,
            received_on=received_on,
            occurred_on=received_on - timedelta(days=2),
            is_anonymous=anonymous,
            complainant=person,
            complainant_name=name,
            establishment=establishment,
            place_description="" if establishment else "Av. Sáenz Peña, cerca del mercado",
            grounds=grounds,
            narrative=narrative,
        ),
    )


def _to_sanction(
    actor: User, complaint: Complaint, start: date, level: Offence, report: str
) -> Complaint:
    """Admit, inspect, report and sanction, a few days apart from ``start``."""
    complaint = complaint_admit(actor=actor, complaint=complaint, on=start + timedelta(days=2))
    complaint = complaint_inspect(
        actor=actor,
        complaint=complaint,
        inspector=actor,
        inspected_on=start + timedelta(days=6),
        findings="Se constató el cartel con la frase prohibida y no se exhibe el aviso "
        '"Prohibido discriminar".',
    )
    complaint = complaint_report_infraction(
        actor=actor,
        complaint=complaint,
        number=report,
        description="Infracción a la Ordenanza 014-2017-MDCLR: trato discriminatorio por "
        "nacionalidad.",
        on=start + timedelta(days=9),
    )
    rule = sanction_rules_for(level).first()
    assert rule is not None, "the sanction table has no rule for this offence"
    return complaint_sanction(
        actor=actor, complaint=complaint, rule=rule, on=start + timedelta(days=14)
    )


def demo_load(*, actor: User, seed: str) -> None:
    """Plausible records for one district, made through the services; idempotent."""
    if Establishment.objects.exists() or Complaint.objects.exists():
        return
    rng = random.Random(f"complaints-{seed}")  # noqa: S311 - made-up demo data
    days = _Days(timezone.localdate())
    establishments = _establishments(actor, rng, days)
    offender = establishments[0]
    people = list(Person.objects.filter(anonymised_on__isnull=True).order_by("pk")[:50])
    pick = rng.random()  # drawn either way: the rest does not depend on the registry
    person = people[int(pick * len(people))] if people else None

    # The repeat offender: sanctioned a first time, then again.
    first = _receive(
        actor,
        received_on=days.ago(300),
        grounds=_grounds("nationality"),
        narrative=NARRATIVES["door"],
        establishment=offender,
        person=person,
        name="" if person else "Yulimar Rodríguez",
    )
    first = _to_sanction(actor, first, days.ago(300), Offence.FIRST, "AI-001-2025")
    complaint_close(
        actor=actor,
        complaint=first,
        note="No se presentó apelación dentro del plazo; la multa fue pagada.",
        on=days.ago(270),
    )
    second = _receive(
        actor,
        received_on=days.ago(60),
        grounds=_grounds("nationality", "migratory-status"),
        narrative=NARRATIVES["sign"],
        channel=Channel.WRITTEN,
        establishment=offender,
        name="Carlos Eduardo Hernández",
    )
    second = _to_sanction(actor, second, days.ago(60), Offence.REPEAT, "AI-014-2026")
    complaint_appeal(
        actor=actor,
        complaint=second,
        grounds="El establecimiento alega que el cartel fue colocado por un tercero.",
        filed_on=days.ago(40),
    )

    # One complaint in each other stage, some of them overdue.
    _receive(
        None,
        received_on=days.ago(1),
        grounds=_grounds("race", "nationality"),
        narrative=NARRATIVES["bus"],
        channel=Channel.ONLINE,
        anonymous=True,
    )
    _receive(
        actor,
        received_on=days.ago(12),
        grounds=_grounds("migratory-status"),
        narrative=NARRATIVES["rent"],
        establishment=establishments[3],
        name="Andreína Pérez",
    )
    admitted = _receive(
        actor,
        received_on=days.ago(25),
        grounds=_grounds("gender-identity"),
        narrative=NARRATIVES["job"],
        channel=Channel.VERBAL,
        establishment=establishments[1],
        anonymous=True,
    )
    complaint_admit(actor=actor, complaint=admitted, on=days.ago(22))
    dismissed = _receive(
        actor,
        received_on=days.ago(45),
        grounds=_grounds("other"),
        narrative=NARRATIVES["service"],
        channel=Channel.THIRD_PARTY,
        name="Rosa Martínez (vecina)",
    )
    complaint_dismiss(
        actor=actor,
        complaint=dismissed,
        reason="Los hechos ocurrieron en otro distrito; se orientó a la persona para "
        "presentar la denuncia allí.",
        on=days.ago(41),
    )
    nothing_found = _receive(
        actor,
        received_on=days.ago(80),
        grounds=_grounds("nationality", "language"),
        narrative=NARRATIVES["service"],
        establishment=establishments[2],
        name="Jean Pierre Joseph",
    )
    nothing_found = complaint_admit(actor=actor, complaint=nothing_found, on=days.ago(78))
    nothing_found = complaint_inspect(
        actor=actor,
        complaint=nothing_found,
        inspector=actor,
        inspected_on=days.ago(70),
        findings="Cartel visible; el personal recibió capacitación. No se constató infracción.",
    )
    complaint_close(
        actor=actor,
        complaint=nothing_found,
        note="La inspección no encontró infracción.",
        on=days.ago(68),
    )
    sanctioned = _receive(
        actor,
        received_on=days.ago(26),
        grounds=_grounds("migratory-status"),
        narrative=NARRATIVES["rent"],
        channel=Channel.THIRD_PARTY,
        establishment=establishments[3],
        name="Luisa Fernanda Ruiz (hermana de la afectada)",
    )
    _to_sanction(actor, sanctioned, days.ago(26), Offence.FIRST, "AI-019-2026")
    inspected = _receive(
        actor,
        received_on=days.ago(10),
        grounds=_grounds("disability", "nationality"),
        narrative=NARRATIVES["service"],
        establishment=establishments[2],
        name="Frantz Pierre",
    )
    inspected = complaint_admit(actor=actor, complaint=inspected, on=days.ago(8))
    complaint_inspect(
        actor=actor,
        complaint=inspected,
        inspector=actor,
        inspected_on=days.ago(3),
        findings="Se verificó el acceso; el local no cuenta con rampa ni aviso visible.",
    )
    reported = _receive(
        actor,
        received_on=days.ago(20),
        grounds=_grounds("nationality"),
        narrative=NARRATIVES["bus"],
        establishment=establishments[4],
        name="Wilmer Gómez",
    )
    reported = complaint_admit(actor=actor, complaint=reported, on=days.ago(18))
    reported = complaint_inspect(
        actor=actor,
        complaint=reported,
        inspector=actor,
        inspected_on=days.ago(12),
        findings="El conductor reconoce el incidente; no se exhibe el aviso.",
    )
    complaint_report_infraction(
        actor=actor,
        complaint=reported,
        number="AI-021-2026",
        description="Trato discriminatorio a una pasajera por su nacionalidad.",
        on=days.ago(5),
    )
