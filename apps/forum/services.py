"""Writes on the Forum of Mayors. Each validates, runs in one transaction and records who
acted (a public-schema account, or a district) in ``ForumActivity``.

Forum texts are read by every district and the partners, so they are refused when they
look like they carry personal data (document numbers, e-mail addresses, phone numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.forum.models import (
    AgendaItem,
    Agreement,
    AgreementProgress,
    ForumActivity,
    ForumSession,
    MinutesVersion,
    SessionParticipant,
)
from apps.metrics.indicators import INDICATORS
from tenants.models import District

PERSONAL_DATA_MESSAGE = gettext_lazy(
    "Forum texts are shared with every district and partner: remove document numbers, "
    "e-mail addresses and phone numbers."
)
NOT_OPEN_MESSAGE = gettext_lazy(
    "This session no longer takes agenda proposals (it is “%(status)s”)."
)
SESSION_TRANSITION_MESSAGE = gettext_lazy(
    "A session that is “%(current)s” cannot become “%(target)s”."
)
NO_MINUTES_MESSAGE = gettext_lazy("Publish the minutes before approving them.")
NOT_RESPONSIBLE_MESSAGE = gettext_lazy(
    "Only the districts responsible for this agreement can post progress on it."
)
AGENDA_DECISION_MESSAGE = gettext_lazy(
    "An agenda item cannot go from “%(current)s” to “%(target)s”."
)
DEPTH_MESSAGE = gettext_lazy("Agenda items nest two levels deep at most.")
PARENT_SESSION_MESSAGE = gettext_lazy("The parent item belongs to another session.")
UNKNOWN_INDICATOR_MESSAGE = gettext_lazy("Unknown indicator.")
TARGET_NEEDS_INDICATOR_MESSAGE = gettext_lazy("A target needs an indicator.")
INDICATOR_NEEDS_TARGET_MESSAGE = gettext_lazy(
    "Give the target and the baseline period of the indicator."
)
BASELINE_ORDER_MESSAGE = gettext_lazy("The baseline period ends before it starts.")
NO_RESPONSIBLE_MESSAGE = gettext_lazy("Name at least one responsible district or partner.")
REQUIRED_MESSAGE = gettext_lazy("This field is required.")
PARTICIPANT_DISTRICT_MESSAGE = gettext_lazy("Choose the district of the mayor or delegate.")
PARTICIPANT_ORGANISATION_MESSAGE = gettext_lazy("Give the name of the partner organisation.")
PARTICIPANT_NO_DISTRICT_MESSAGE = gettext_lazy(
    "Only a mayor or a district delegate represents a district."
)
PARTICIPANT_DUPLICATE_MESSAGE = gettext_lazy("This participant is already on the list.")
MINUTES_APPROVED_MESSAGE = gettext_lazy(
    "The minutes of this session are approved; its participants cannot change."
)

SESSION_TRANSITIONS: dict[str, set[str]] = {
    ForumSession.Status.DRAFT: {ForumSession.Status.CONVENED},
    ForumSession.Status.CONVENED: {ForumSession.Status.DRAFT, ForumSession.Status.HELD},
    ForumSession.Status.HELD: {ForumSession.Status.MINUTES_APPROVED},
    ForumSession.Status.MINUTES_APPROVED: set(),
}
AGENDA_DECISIONS: dict[str, set[str]] = {
    AgendaItem.Status.PROPOSED: {AgendaItem.Status.ACCEPTED, AgendaItem.Status.DEFERRED},
    AgendaItem.Status.ACCEPTED: {AgendaItem.Status.DISCUSSED, AgendaItem.Status.DEFERRED},
    AgendaItem.Status.DEFERRED: {AgendaItem.Status.ACCEPTED},
    AgendaItem.Status.DISCUSSED: set(),
}

# A run of 8+ digits (DNI, carné de extranjería, passport numbers, phones), an e-mail
# address, or a phone written with separators.
_PERSONAL_DATA = re.compile(
    r"\d{8,}|[\w.+-]+@[\w-]+\.[\w.]+|(?:\+?51[\s-]?)?9\d{2}[\s-]\d{3}[\s-]\d{3}"
)


@dataclass(frozen=True)
class ForumActor:
    """Who acts on the forum: a public-schema account (secretariat) or a district."""

    public_account: User | None = None
    district: District | None = None
    district_account_id: int | None = None

    @classmethod
    def secretariat(cls, account: User) -> ForumActor:
        return cls(public_account=account)

    @classmethod
    def for_district(cls, district: District, account_id: int | None) -> ForumActor:
        return cls(district=district, district_account_id=account_id)


def _record(actor: ForumActor, action: str, obj: Any) -> None:
    ForumActivity.objects.create(
        action=action,
        object_type=type(obj).__name__,
        object_id=obj.pk,
        public_account=actor.public_account,
        district=actor.district,
        district_account_id=actor.district_account_id,
    )


def _refuse_personal_data(**texts: str) -> None:
    errors = {
        field: [PERSONAL_DATA_MESSAGE]
        for field, text in texts.items()
        if text and _PERSONAL_DATA.search(text)
    }
    if errors:
        raise ValidationError(errors)


def _clean_and_save(obj: Any, *, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude)
    obj.save()


# ---------------------------------------------------------------------------- sessions
def forum_session_create(
    *,
    actor: ForumActor,
    held_on: date,
    place: str,
    host_district: District | None = None,
    starts_at: time | None = None,
    number: int | None = None,
) -> ForumSession:
    _refuse_personal_data(place=place)
    with transaction.atomic():
        if number is None:
            number = (ForumSession.objects.aggregate(last=Max("number"))["last"] or 0) + 1
        session = ForumSession(
            number=number,
            held_on=held_on,
            starts_at=starts_at,
            place=place.strip(),
            host_district=host_district,
        )
        _clean_and_save(session)
        _record(actor, "session_create", session)
    return session


_UNSET: Any = object()


def forum_session_update(
    *,
    actor: ForumActor,
    session: ForumSession,
    held_on: date | None = None,
    place: str | None = None,
    starts_at: time | None = _UNSET,
    host_district: District | None = _UNSET,
    status: str | None = None,
) -> ForumSession:
    if place is not None:
        _refuse_personal_data(place=place)
    with transaction.atomic():
        session = ForumSession.objects.select_for_update().get(pk=session.pk)
        if held_on is not None:
            session.held_on = held_on
        if place is not None:
            session.place = place.strip()
        if starts_at is not _UNSET:
            session.starts_at = starts_at
        if host_district is not _UNSET:
            session.host_district = host_district
        if status is not None and status != session.status:
            if status not in SESSION_TRANSITIONS.get(session.status, set()):
                raise ValidationError(
                    {
                        "status": SESSION_TRANSITION_MESSAGE
                        % {
                            "current": session.get_status_display(),
                            "target": dict(ForumSession.Status.choices).get(status, status),
                        }
                    }
                )
            if status == ForumSession.Status.MINUTES_APPROVED and not session.minutes.exists():
                raise ValidationError({"status": NO_MINUTES_MESSAGE})
            session.status = status
        _clean_and_save(session)
        _record(actor, "session_update", session)
    return session


# ---------------------------------------------------------------------------- participants
def session_participant_add(
    *,
    actor: ForumActor,
    session: ForumSession,
    kind: str,
    district: District | None = None,
    organisation: str = "",
) -> SessionParticipant:
    """An office taking part: a district's mayor or delegate, a GTRM partner organisation,
    or the secretariat. Never a person's name: the organisation is screened too."""
    organisation = organisation.strip()
    _refuse_personal_data(organisation=organisation)
    errors: dict[str, list[Any]] = {}
    by_district = kind in {SessionParticipant.Kind.MAYOR, SessionParticipant.Kind.DELEGATE}
    if by_district and district is None:
        errors["district"] = [PARTICIPANT_DISTRICT_MESSAGE]
    if not by_district and district is not None:
        errors["district"] = [PARTICIPANT_NO_DISTRICT_MESSAGE]
    if kind == SessionParticipant.Kind.PARTNER and not organisation:
        errors["organisation"] = [PARTICIPANT_ORGANISATION_MESSAGE]
    if errors:
        raise ValidationError(errors)
    if kind != SessionParticipant.Kind.PARTNER:
        organisation = ""
    with transaction.atomic():
        session = ForumSession.objects.select_for_update().get(pk=session.pk)
        if session.status == ForumSession.Status.MINUTES_APPROVED:
            raise ValidationError(MINUTES_APPROVED_MESSAGE)
        if session.participants.filter(
            kind=kind, district=district, organisation__iexact=organisation
        ).exists():
            raise ValidationError(PARTICIPANT_DUPLICATE_MESSAGE)
        participant = SessionParticipant(
            session=session, kind=kind, district=district, organisation=organisation
        )
        _clean_and_save(participant)
        _record(actor, "session_participant_add", participant)
    return participant


def session_participant_attendance_set(
    *, actor: ForumActor, participant: SessionParticipant, attended: bool | None
) -> SessionParticipant:
    """Mark whether the office attended (None: not recorded)."""
    with transaction.atomic():
        session = ForumSession.objects.select_for_update().get(pk=participant.session_id)
        if session.status == ForumSession.Status.MINUTES_APPROVED:
            raise ValidationError(MINUTES_APPROVED_MESSAGE)
        participant = SessionParticipant.objects.select_for_update().get(pk=participant.pk)
        participant.attended = attended
        participant.save(update_fields=["attended"])
        _record(actor, "session_participant_attendance_set", participant)
    return participant


# ---------------------------------------------------------------------------- agenda
def agenda_item_propose(
    *,
    actor: ForumActor,
    session: ForumSession,
    title: str,
    description: str = "",
    planned_minutes: int = 15,
    parent: AgendaItem | None = None,
) -> AgendaItem:
    """A district's proposal waits for the secretariat; the secretariat's own item is
    accepted on the spot."""
    _refuse_personal_data(title=title, description=description)
    with transaction.atomic():
        session = ForumSession.objects.select_for_update().get(pk=session.pk)
        if not session.is_open_for_proposals:
            raise ValidationError(NOT_OPEN_MESSAGE % {"status": session.get_status_display()})
        if parent is not None:
            if parent.session_id != session.pk:
                raise ValidationError({"parent": PARENT_SESSION_MESSAGE})
            if parent.parent_id is not None:
                raise ValidationError({"parent": DEPTH_MESSAGE})
        last = AgendaItem.objects.filter(session=session, parent=parent).aggregate(
            last=Max("position")
        )["last"]
        item = AgendaItem(
            session=session,
            parent=parent,
            position=0 if last is None else last + 1,
            title=title.strip(),
            description=description.strip(),
            planned_minutes=planned_minutes,
            proposed_by=actor.district,
            status=(AgendaItem.Status.PROPOSED if actor.district else AgendaItem.Status.ACCEPTED),
        )
        _clean_and_save(item)
        _record(actor, "agenda_item_propose", item)
    return item


def agenda_item_decide(
    *, actor: ForumActor, item: AgendaItem, status: str, note: str = ""
) -> AgendaItem:
    _refuse_personal_data(note=note)
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if status not in AGENDA_DECISIONS.get(item.status, set()):
            raise ValidationError(
                {
                    "status": AGENDA_DECISION_MESSAGE
                    % {
                        "current": item.get_status_display(),
                        "target": dict(AgendaItem.Status.choices).get(status, status),
                    }
                }
            )
        item.status = status
        item.decision_note = note.strip()
        item.decided_at = timezone.now()
        _clean_and_save(item)
        _record(actor, "agenda_item_decide", item)
    return item


def agenda_item_move(*, actor: ForumActor, item: AgendaItem, offset: int) -> AgendaItem:
    """Move an item up (-1) or down (+1) among its siblings; positions stay 0..n-1."""
    with transaction.atomic():
        siblings = list(
            AgendaItem.objects.select_for_update()
            .filter(session_id=item.session_id, parent_id=item.parent_id)
            .order_by("position", "id")
        )
        index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
        target = max(0, min(len(siblings) - 1, index + offset))
        siblings.insert(target, siblings.pop(index))
        for position, sibling in enumerate(siblings):
            if sibling.position != position:
                sibling.position = position
                sibling.save(update_fields=["position"])
        moved = siblings[target]
        _record(actor, "agenda_item_move", moved)
    return moved


# ---------------------------------------------------------------------------- minutes
def minutes_publish(
    *, actor: ForumActor, session: ForumSession, body: str, change_note: str = ""
) -> MinutesVersion:
    if not body.strip():
        raise ValidationError({"body": REQUIRED_MESSAGE})
    _refuse_personal_data(body=body, change_note=change_note)
    with transaction.atomic():
        session = ForumSession.objects.select_for_update().get(pk=session.pk)
        if session.status == ForumSession.Status.MINUTES_APPROVED:
            raise ValidationError(
                _("The minutes of this session are approved; they cannot change.")
            )
        last = session.minutes.aggregate(last=Max("version"))["last"] or 0
        minutes = MinutesVersion(
            session=session, version=last + 1, body=body.strip(), change_note=change_note.strip()
        )
        _clean_and_save(minutes)
        _record(actor, "minutes_publish", minutes)
    return minutes


# ---------------------------------------------------------------------------- agreements
def agreement_create(
    *,
    actor: ForumActor,
    session: ForumSession,
    text: str,
    responsible_districts: list[District] | None = None,
    responsible_partners: list[str] | None = None,
    deadline: date | None = None,
    indicator: str = "",
    target: int | None = None,
    baseline_from: date | None = None,
    baseline_to: date | None = None,
) -> Agreement:
    responsible_districts = responsible_districts or []
    partners = [name.strip() for name in responsible_partners or [] if name.strip()]
    _refuse_personal_data(text=text, responsible_partners=" ".join(partners))
    errors: dict[str, list[Any]] = {}
    if not responsible_districts and not partners:
        errors["responsible_districts"] = [NO_RESPONSIBLE_MESSAGE]
    if indicator and indicator not in INDICATORS:
        errors["indicator"] = [UNKNOWN_INDICATOR_MESSAGE]
    if not indicator and target is not None:
        errors["indicator"] = [TARGET_NEEDS_INDICATOR_MESSAGE]
    if indicator and (target is None or baseline_from is None or baseline_to is None):
        errors["target"] = [INDICATOR_NEEDS_TARGET_MESSAGE]
    if baseline_from and baseline_to and baseline_to < baseline_from:
        errors["baseline_to"] = [BASELINE_ORDER_MESSAGE]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        agreement = Agreement(
            session=session,
            text=text.strip(),
            responsible_partners=partners,
            deadline=deadline,
            indicator=indicator,
            target=target,
            baseline_from=baseline_from.replace(day=1) if baseline_from else None,
            baseline_to=baseline_to,
        )
        _clean_and_save(agreement)
        agreement.responsible_districts.set(responsible_districts)
        _record(actor, "agreement_create", agreement)
    return agreement


def agreement_progress_post(
    *, actor: ForumActor, agreement: Agreement, note: str, status: str
) -> AgreementProgress:
    """A responsible district reports progress; the agreement takes the status reported."""
    district = actor.district
    if district is None or not agreement.responsible_districts.filter(pk=district.pk).exists():
        raise ValidationError(NOT_RESPONSIBLE_MESSAGE)
    if not note.strip():
        raise ValidationError({"note": REQUIRED_MESSAGE})
    _refuse_personal_data(note=note)
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        progress = AgreementProgress(
            agreement=agreement, district=district, note=note.strip(), status=status
        )
        _clean_and_save(progress)
        agreement.status = status
        agreement.save(update_fields=["status", "updated_at"])
        _record(actor, "agreement_progress_post", progress)
    return progress


def agreement_status_set(*, actor: ForumActor, agreement: Agreement, status: str) -> Agreement:
    """The secretariat's own correction of an agreement's status."""
    if status not in Agreement.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        agreement.status = status
        agreement.save(update_fields=["status", "updated_at"])
        _record(actor, "agreement_status_set", agreement)
    return agreement
