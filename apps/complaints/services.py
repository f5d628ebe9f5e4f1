"""Writes on complaints; each validates, runs in one transaction and leaves history rows.

A complaint moves only along ``COMPLAINT_TRANSITIONS``; every move writes a
``ComplaintTransition`` row (who, when recorded, date of the act) and marks the month the
complaint was received for the joint metrics. Refusals are ``ValidationError``s keyed by
the form field they concern; the messages are module constants the tests reuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pghistory
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from apps.complaints.models import (
    AppealOutcome,
    Channel,
    Complaint,
    ComplaintTransition,
    Establishment,
    Ground,
    Offence,
    Sanction,
    SanctionRule,
    Stage,
)
from apps.complaints.selectors import establishment_offence_level
from apps.complaints.tracking import tracking_code_new
from apps.metrics.dirty import district_month_changed
from apps.people.models import Person

TRANSITION_MESSAGE = gettext_lazy("A complaint that is “%(current)s” cannot become “%(target)s”.")
NO_GROUND_MESSAGE = gettext_lazy("Choose at least one protected ground.")
NO_NARRATIVE_MESSAGE = gettext_lazy("Describe what happened.")
ANONYMOUS_IDENTITY_MESSAGE = gettext_lazy(
    "An anonymous complaint keeps no name, contact or record of the complainant: leave them "
    "empty, or untick “anonymous”."
)
NO_COMPLAINANT_MESSAGE = gettext_lazy(
    "Give the complainant's name, choose a registered person, or mark the complaint as anonymous."
)
PERSON_AND_NAME_MESSAGE = gettext_lazy(
    "A registered person was chosen: leave the name empty (or remove the person)."
)
ANONYMISED_MESSAGE = gettext_lazy(
    "This person's record was anonymised at their request; type the name instead."
)
FUTURE_DATE_MESSAGE = gettext_lazy("The date cannot be in the future.")
FACTS_AFTER_RECEPTION_MESSAGE = gettext_lazy(
    "The facts cannot be later than the day the complaint was received."
)
BEFORE_STAGE_MESSAGE = gettext_lazy(
    "The date cannot be before %(date)s, when the complaint reached its current stage."
)
DISMISSAL_REASON_MESSAGE = gettext_lazy("Write why the complaint is dismissed.")
NO_ESTABLISHMENT_MESSAGE = gettext_lazy(
    "Choose the establishment (register it first if it is not in the registry)."
)
NO_INSPECTOR_MESSAGE = gettext_lazy("Choose who inspected.")
FINDINGS_MESSAGE = gettext_lazy("Write what the inspection found.")
REPORT_NUMBER_MESSAGE = gettext_lazy("Write the number of the infraction report.")
INFRACTION_MESSAGE = gettext_lazy("Describe the infraction.")
INACTIVE_RULE_MESSAGE = gettext_lazy("This sanction is no longer in the table; choose another.")
REPEAT_RULE_MESSAGE = gettext_lazy(
    "%(establishment)s was already sanctioned: this is a repeat offence, choose a sanction "
    "for a repeat offence."
)
FIRST_RULE_MESSAGE = gettext_lazy(
    "%(establishment)s has no earlier sanction: choose a sanction for a first offence."
)
APPEAL_GROUNDS_MESSAGE = gettext_lazy("Write the grounds of the appeal.")
APPEAL_OUTCOME_MESSAGE = gettext_lazy("Choose the outcome of the appeal.")
CLOSING_NOTE_MESSAGE = gettext_lazy("Write how the complaint ends.")

# Allowed moves; anything else is refused with TRANSITION_MESSAGE.
COMPLAINT_TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.RECEIVED: frozenset({Stage.ADMITTED, Stage.DISMISSED}),
    # Closed without inspection: withdrawn, or settled.
    Stage.ADMITTED: frozenset({Stage.INSPECTION, Stage.CLOSED}),
    # Closed after an inspection that found nothing.
    Stage.INSPECTION: frozenset({Stage.INFRACTION_REPORT, Stage.CLOSED}),
    # Closed when the establishment's defence is accepted.
    Stage.INFRACTION_REPORT: frozenset({Stage.SANCTION, Stage.CLOSED}),
    # Closed when no appeal is filed.
    Stage.SANCTION: frozenset({Stage.APPEAL, Stage.CLOSED}),
    Stage.APPEAL: frozenset({Stage.CLOSED}),
    Stage.DISMISSED: frozenset(),
    Stage.CLOSED: frozenset(),
}


@dataclass(frozen=True)
class ComplaintIntake:
    channel: Channel | str
    grounds: list[Ground]
    narrative: str
    received_on: date | None = None
    occurred_on: date | None = None
    is_anonymous: bool = False
    complainant: Person | None = None
    complainant_name: str = ""
    complainant_contact: str = ""
    establishment: Establishment | None = None
    place_description: str = ""


def reachable_stages(stage: str) -> set[str]:
    """Every stage a complaint in ``stage`` may still reach."""
    reached: set[str] = set()
    frontier = set(COMPLAINT_TRANSITIONS[stage])
    while frontier:
        reached |= frontier
        frontier = {t for s in frontier for t in COMPLAINT_TRANSITIONS[s]} - reached
    return reached


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _intake_errors(intake: ComplaintIntake, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = intake.complainant_name.strip()
    if intake.is_anonymous:
        if intake.complainant is not None or name or intake.complainant_contact.strip():
            errors["is_anonymous"] = [str(ANONYMOUS_IDENTITY_MESSAGE)]
    elif intake.complainant is not None:
        if name:
            errors["complainant_name"] = [str(PERSON_AND_NAME_MESSAGE)]
        if intake.complainant.anonymised_on is not None:
            errors["complainant"] = [str(ANONYMISED_MESSAGE)]
    elif not name:
        errors["complainant_name"] = [str(NO_COMPLAINANT_MESSAGE)]
    if not intake.grounds:
        errors["grounds"] = [str(NO_GROUND_MESSAGE)]
    if not intake.narrative.strip():
        errors["narrative"] = [str(NO_NARRATIVE_MESSAGE)]
    received_on = intake.received_on or today
    if received_on > today:
        errors["received_on"] = [str(FUTURE_DATE_MESSAGE)]
    if intake.occurred_on is not None:
        if intake.occurred_on > today:
            errors["occurred_on"] = [str(FUTURE_DATE_MESSAGE)]
        elif intake.occurred_on > received_on:
            errors["occurred_on"] = [str(FACTS_AFTER_RECEPTION_MESSAGE)]
    return errors


def complaint_receive(*, actor: User | None, intake: ComplaintIntake) -> Complaint:
    """Record a complaint in the "received" stage. ``actor`` is None for the public form."""
    today = timezone.localdate()
    _raise(_intake_errors(intake, today))
    received_on = intake.received_on or today
    with transaction.atomic(), pghistory.context(user=actor.pk if actor else None):
        code = tracking_code_new()
        while Complaint.objects.filter(tracking_code=code).exists():
            code = tracking_code_new()
        complaint = Complaint(
            tracking_code=code,
            channel=intake.channel,
            received_on=received_on,
            occurred_on=intake.occurred_on,
            is_anonymous=intake.is_anonymous,
            complainant=intake.complainant,
            complainant_name=intake.complainant_name.strip(),
            complainant_contact=intake.complainant_contact.strip(),
            establishment=intake.establishment,
            place_description=intake.place_description.strip(),
            narrative=intake.narrative.strip(),
            stage=Stage.RECEIVED,
            stage_since=received_on,
            filed_by=actor,
        )
        complaint.full_clean(exclude=["complainant", "establishment", "filed_by", "inspector"])
        complaint.save()
        complaint.grounds.set(intake.grounds)
        ComplaintTransition.objects.create(
            complaint=complaint, to_stage=Stage.RECEIVED, effective_on=received_on, changed_by=actor
        )
        district_month_changed(received_on)
    return complaint


# ---------------------------------------------------------------------------- workflow


def _locked_for(complaint: Complaint, to_stage: Stage) -> Complaint:
    """The complaint, locked, if it may move to ``to_stage``; else the transition refusal."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if to_stage not in COMPLAINT_TRANSITIONS[locked.stage]:
        raise ValidationError(
            TRANSITION_MESSAGE
            % {"current": locked.get_stage_display(), "target": Stage(to_stage).label},
            code="transition",
        )
    return locked


def _date_errors(complaint: Complaint, on: date, field_name: str) -> dict[str, list[str]]:
    if on > timezone.localdate():
        return {field_name: [str(FUTURE_DATE_MESSAGE)]}
    if on < complaint.stage_since:
        return {
            field_name: [
                str(BEFORE_STAGE_MESSAGE % {"date": date_format(complaint.stage_since, "d/m/Y")})
            ]
        }
    return {}


def _enter(actor: User, complaint: Complaint, to_stage: Stage, on: date, note: str = "") -> None:
    """Write the move: the stage, its transition row, and the dirty metrics month."""
    ComplaintTransition.objects.create(
        complaint=complaint,
        from_stage=complaint.stage,
        to_stage=to_stage,
        effective_on=on,
        changed_by=actor,
        note=note,
    )
    complaint.stage = to_stage
    complaint.stage_since = on
    complaint.full_clean(exclude=["complainant", "establishment", "filed_by", "inspector"])
    complaint.save()
    district_month_changed(complaint.received_on)


def complaint_admit(
    *,
    actor: User,
    complaint: Complaint,
    on: date | None = None,
    establishment: Establishment | None = None,
    note: str = "",
) -> Complaint:
    """Admit the complaint for processing; the establishment may be linked now."""
    on = on or timezone.localdate()
    with transaction.atomic(), pghistory.context(user=actor.pk):
        locked = _locked_for(complaint, Stage.ADMITTED)
        _raise(_date_errors(locked, on, "on"))
        if establishment is not None:
            locked.establishment = establishment
        _enter(actor, locked, Stage.ADMITTED, on, note.strip())
    return locked


def complaint_dismiss(
    *, actor: User, complaint: Complaint, reason: str, on: date | None = None
) -> Complaint:
    on = on or timezone.localdate()
    with transaction.atomic(), pghistory.context(user=actor.pk):
        locked = _locked_for(complaint, Stage.DISMISSED)
        errors = _date_errors(locked, on, "on")
        if not reason.strip():
            errors["reason"] = [str(DISMISSAL_REASON_MESSAGE)]
        _raise(errors)
        locked.dismissal_reason = reason.strip()
        _enter(actor, locked, Stage.DISMISSED, on)
    return locked


def complaint_inspect(
    *,
    actor: User,
    complaint: Complaint,
    inspector: User | None,
    findings: str,
    inspected_on: date | None = None,
    establishment: Establishment | None = None,
) -> Complaint:
    """Record the inspection of the establishment the complaint concerns."""
    inspected_on = inspected_on or timezone.localdate()
    with transaction.atomic(), pghistory.context(user=actor.pk):
        locked = _locked_for(complaint, Stage.INSPECTION)
        errors = _date_errors(locked, inspected_on, "inspected_on")
        establishment = establishment or locked.establishment
        if establishment is None:
            errors["establishment"] = [str(NO_ESTABLISHMENT_MESSAGE)]
        if inspector is None:
            errors["inspector"] = [str(NO_INSPECTOR_MESSAGE)]
        if not findings.strip():
            errors["findings"] = [str(FINDINGS_MESSAGE)]
        _raise(errors)
        locked.establishment = establishment
        locked.inspector = inspector
        locked.inspected_on = inspected_on
        locked.inspection_findings = findings.strip()
        _enter(actor, locked, Stage.INSPECTION, inspected_on)
    return locked


def complaint_report_infraction(
    *,
    actor: User,
    complaint: Complaint,
    number: str,
    description: str,
    on: date | None = None,
) -> Complaint:
    on = on or timezone.localdate()
    with transaction.atomic(), pghistory.context(user=actor.pk):
        locked = _locked_for(complaint, Stage.INFRACTION_REPORT)
        errors = _date_errors(locked, on, "on")
        if not number.strip():
            errors["number"] = [str(REPORT_NUMBER_MESSAGE)]
        if not description.strip():
            errors["description"] = [str(INFRACTION_MESSAGE)]
        _raise(errors)
        locked.infraction_report_number = number.strip()
        locked.infraction_report_on = on
        locked.infraction_description = description.strip()
        _enter(actor, locked, Stage.INFRACTION_REPORT, on)
    return locked


def complaint_sanction(
    *,
    actor: User,
    complaint: Complaint,
    rule: SanctionRule,
    on: date | None = None,
    resolution_number: str = "",
) -> Complaint:
    """Impose a sanction of the table on the establishment. An establishment already
    sanctioned (and not annulled on appeal) is a repeat offender: only a rule for a repeat
    offence is accepted, and the reverse."""
    on = on or timezone.localdate()
    with transaction.atomic(), pghistory.context(user=actor.pk):
        locked = _locked_for(complaint, Stage.SANCTION)
        errors = _date_errors(locked, on, "on")
        if locked.establishment_id is None:
            raise ValidationError(NO_ESTABLISHMENT_MESSAGE)
        # Two sanctions of one establishment at once must not both count as a first offence.
        establishment = Establishment.objects.select_for_update().get(pk=locked.establishment_id)
        level = establishment_offence_level(establishment)
        if not rule.is_active:
            errors["rule"] = [str(INACTIVE_RULE_MESSAGE)]
        elif rule.offence != level:
            message = REPEAT_RULE_MESSAGE if level == Offence.REPEAT else FIRST_RULE_MESSAGE
            errors["rule"] = [str(message % {"establishment": establishment.name})]
        _raise(errors)
        sanction = Sanction(
            establishment=establishment,
            complaint=locked,
            rule=rule,
            offence=level,
            fine_uit_fraction=rule.fine_uit_fraction,
            closure_days=rule.closure_days,
            definitive_closure=rule.definitive_closure,
            licence_revocation=rule.licence_revocation,
            resolution_number=resolution_number.strip(),
            imposed_on=on,
            imposed_by=actor,
        )
        sanction.full_clean(exclude=["establishment", "complaint", "rule", "imposed_by"])
        sanction.save()
        _enter(actor, locked, Stage.SANCTION, on)
    return locked


def complaint_appeal(
    *, actor: User, complaint: Complaint, grounds: str, filed_on: date | None = None
) -> Complaint:
    filed_on = filed_on or timezone.localdate()
    with transaction.atomic(), pghistory.context(user=actor.pk):
        locked = _locked_for(complaint, Stage.APPEAL)
        errors = _date_errors(locked, filed_on, "filed_on")
        if not grounds.strip():
            errors["grounds"] = [str(APPEAL_GROUNDS_MESSAGE)]
        _raise(errors)
        locked.appeal_filed_on = filed_on
        locked.appeal_grounds = grounds.strip()
        _enter(actor, locked, Stage.APPEAL, filed_on)
    return locked


def complaint_close(
    *,
    actor: User,
    complaint: Complaint,
    note: str,
    on: date | None = None,
    appeal_outcome: AppealOutcome | str = "",
) -> Complaint:
    """Close the complaint. After an appeal its outcome is required; an annulled sanction
    no longer counts towards a repeat offence."""
    on = on or timezone.localdate()
    with transaction.atomic(), pghistory.context(user=actor.pk):
        locked = _locked_for(complaint, Stage.CLOSED)
        errors = _date_errors(locked, on, "on")
        if not note.strip():
            errors["note"] = [str(CLOSING_NOTE_MESSAGE)]
        after_appeal = locked.stage == Stage.APPEAL
        if after_appeal and appeal_outcome not in AppealOutcome.values:
            errors["appeal_outcome"] = [str(APPEAL_OUTCOME_MESSAGE)]
        _raise(errors)
        if after_appeal:
            locked.appeal_outcome = appeal_outcome
            if appeal_outcome == AppealOutcome.ANNULLED:
                Sanction.objects.filter(complaint=locked).update(annulled_on=on)
        locked.closed_on = on
        locked.closing_note = note.strip()
        _enter(actor, locked, Stage.CLOSED, on, note.strip())
    return locked
