"""Test data made through the services, as the product makes it (call inside a district's
schema)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User

from apps.complaints.establishment_services import EstablishmentInput, establishment_register
from apps.complaints.models import Channel, Complaint, Establishment, Ground, Offence, Stage
from apps.complaints.selectors import establishment_offence_level, sanction_rules_for
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
from apps.people.tests.factories import staff

NARRATIVE = "No me dejaron entrar al local por ser venezolana; a mis amigas peruanas sí."


def officer(slug: str = "la-perla") -> User:
    return staff("complaints_officer", slug)


def establishment_make(**values: Any) -> Establishment:
    details = {"name": "Discoteca La Chalaca", "address": "Av. Sáenz Peña 1234", **values}
    return establishment_register(actor=officer(), values=EstablishmentInput(**details))


def complaint_make(
    *, actor: User | None = None, grounds: tuple[str, ...] = ("nationality",), **values: Any
) -> Complaint:
    details: dict[str, Any] = {
        "channel": Channel.IN_PERSON,
        "narrative": NARRATIVE,
        "complainant_name": "Yulimar Rodríguez",
        **values,
    }
    return complaint_receive(
        actor=actor or officer(),
        intake=ComplaintIntake(grounds=list(Ground.objects.filter(code__in=grounds)), **details),
    )


def _inspect(actor: User, complaint: Complaint) -> Complaint:
    establishment = complaint.establishment or establishment_make(
        name=f"Local {complaint.pk}", licence_number=""
    )
    return complaint_inspect(
        actor=actor,
        complaint=complaint,
        inspector=actor,
        findings="Cartel ausente.",
        establishment=establishment,
    )


def _sanction(actor: User, complaint: Complaint) -> Complaint:
    level = (
        establishment_offence_level(complaint.establishment)
        if complaint.establishment
        else Offence.FIRST
    )
    rule = sanction_rules_for(level).first()
    assert rule is not None
    return complaint_sanction(actor=actor, complaint=complaint, rule=rule)


# How to take each step with valid data (the tests of refused moves reuse it).
STEPS: dict[str, Callable[[User, Complaint], Complaint]] = {
    Stage.ADMITTED: lambda actor, c: complaint_admit(actor=actor, complaint=c),
    Stage.DISMISSED: lambda actor, c: complaint_dismiss(
        actor=actor, complaint=c, reason="Fuera del distrito."
    ),
    Stage.INSPECTION: _inspect,
    Stage.INFRACTION_REPORT: lambda actor, c: complaint_report_infraction(
        actor=actor, complaint=c, number="AI-1", description="Trato discriminatorio."
    ),
    Stage.SANCTION: _sanction,
    Stage.APPEAL: lambda actor, c: complaint_appeal(actor=actor, complaint=c, grounds="Lo niega."),
    Stage.CLOSED: lambda actor, c: complaint_close(
        actor=actor,
        complaint=c,
        note="Fin del procedimiento.",
        appeal_outcome="confirmed" if c.stage == Stage.APPEAL else "",
    ),
}


def step(stage: str, complaint: Complaint, actor: User | None = None) -> Complaint:
    return STEPS[stage](actor or officer(), complaint)


# The shortest way to reach each stage through the services.
PATHS: dict[str, list[str]] = {
    Stage.RECEIVED: [],
    Stage.ADMITTED: [Stage.ADMITTED],
    Stage.DISMISSED: [Stage.DISMISSED],
    Stage.INSPECTION: [Stage.ADMITTED, Stage.INSPECTION],
    Stage.INFRACTION_REPORT: [Stage.ADMITTED, Stage.INSPECTION, Stage.INFRACTION_REPORT],
    Stage.SANCTION: [Stage.ADMITTED, Stage.INSPECTION, Stage.INFRACTION_REPORT, Stage.SANCTION],
    Stage.APPEAL: [
        Stage.ADMITTED,
        Stage.INSPECTION,
        Stage.INFRACTION_REPORT,
        Stage.SANCTION,
        Stage.APPEAL,
    ],
    Stage.CLOSED: [Stage.ADMITTED, Stage.CLOSED],
}


def complaint_at(stage: str, **values: Any) -> Complaint:
    """A complaint brought to ``stage`` through the services."""
    complaint = complaint_make(**values)
    for next_stage in PATHS[stage]:
        complaint = step(next_stage, complaint)
    return complaint
