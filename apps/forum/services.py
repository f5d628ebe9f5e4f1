"""Writes on the Forum of Mayors. Each validates, runs in one transaction and records who
acted (a public-schema account, or a district) in ``ForumActivity``.

Forum texts are read by every district and the partners, so they are refused when they
look like they carry personal data (document numbers, e-mail addresses, phone numbers).
Once a session's minutes are approved the session is a record: its details, agenda,
participants, minutes and agreements no longer change (its agreements are still followed
up: districts post progress, the secretariat corrects their status).
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
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.forum.models import (
    PARTNER_NAME_MAX_LENGTH,
    AgendaItem,
    Agreement,
    AgreementProgress,
    ForumActivity,
    ForumSession,
    MinutesVersion,
    SessionParticipant,
)
from apps.metrics.indicators import INDICATORS, MAX_MONTHS
from tenants.models import District

PERSONAL_DATA_MESSAGE = gettext_lazy(
    "Forum texts are shared with every district and partner: remove document numbers, "
    "e-mail addresses and phone numbers."
)
NOT_OPEN_MESSAGE = gettext_lazy(
    "This session no longer takes agenda proposals (it is “%(status)s”)."
)
DISTRICT_NOT_CONVENED_MESSAGE = gettext_lazy(
    "Districts propose agenda items to convened sessions only (this one is “%(status)s”)."
)
PLANNED_MINUTES_MESSAGE = gettext_lazy("Plan between 1 and 600 minutes.")
SESSION_TRANSITION_MESSAGE = gettext_lazy(
    "A session that is “%(current)s” cannot become “%(target)s”."
)
HELD_IN_THE_FUTURE_MESSAGE = gettext_lazy(
    "A session can be marked as held only on its date or later."
)
DATE_RANGE_MESSAGE = gettext_lazy("Give a date from 1 January 2000 up to five years from today.")
NO_MINUTES_MESSAGE = gettext_lazy("Publish the minutes before approving them.")
MINUTES_NOT_HELD_MESSAGE = gettext_lazy(
    "Minutes are published once the session is held (it is “%(status)s”)."
)
NOT_RESPONSIBLE_MESSAGE = gettext_lazy(
    "Only the districts responsible for this agreement can post progress on it."
)
AGENDA_DECISION_MESSAGE = gettext_lazy(
    "An agenda item cannot go from “%(current)s” to “%(target)s”."
)
AGENDA_STALE_MESSAGE = gettext_lazy(
    "Someone else decided on this item in the meantime: it is now “%(current)s”. "
    "Nothing was changed; check the item and decide again if needed."
)
DISCUSSED_NOT_HELD_MESSAGE = gettext_lazy(
    "An item can be marked as discussed only once the session is held."
)
DEPTH_MESSAGE = gettext_lazy("Agenda items nest two levels deep at most.")
PARENT_SESSION_MESSAGE = gettext_lazy("The parent item belongs to another session.")
UNKNOWN_INDICATOR_MESSAGE = gettext_lazy("Unknown indicator.")
TARGET_NEEDS_INDICATOR_MESSAGE = gettext_lazy("A target needs an indicator.")
INDICATOR_NEEDS_TARGET_MESSAGE = gettext_lazy(
    "Give the target and the baseline period of the indicator."
)
BASELINE_ORDER_MESSAGE = gettext_lazy("The baseline period ends before it starts.")
BASELINE_IN_THE_FUTURE_MESSAGE = gettext_lazy("The baseline period cannot end in the future.")
BASELINE_TOO_LONG_MESSAGE = gettext_lazy("The baseline period can be %(max)s months long at most.")
DEADLINE_BEFORE_SESSION_MESSAGE = gettext_lazy(
    "The deadline cannot be before the session's date (%(date)s)."
)
PARTNER_NAME_LENGTH_MESSAGE = gettext_lazy(
    "A partner's name can have %(max)s characters at most (“%(start)s…” has %(length)s)."
)
NO_RESPONSIBLE_MESSAGE = gettext_lazy("Name at least one responsible district or partner.")
REQUIRED_MESSAGE = gettext_lazy("This field is required.")
PARTICIPANT_DISTRICT_MESSAGE = gettext_lazy("Choose the district of the mayor or delegate.")
PARTICIPANT_ORGANISATION_MESSAGE = gettext_lazy("Give the name of the partner organisation.")
PARTICIPANT_NO_DISTRICT_MESSAGE = gettext_lazy(
    "Only a mayor or a district delegate represents a district."
)
PARTICIPANT_DUPLICATE_MESSAGE = gettext_lazy("This participant is already on the list.")
# Once the minutes are approved the session is a record: nothing on it changes any more
# (its agreements are still followed up: progress and status corrections go on).
MINUTES_APPROVED_MESSAGE = gettext_lazy(
    "The minutes of this session are approved: the session, its agenda, participants, "
    "minutes and agreements can no longer change."
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
PLANNED_MINUTES_MAX = 600
# Session dates: a typed year like 0202 or 20266 is a slip, not a plan.
EARLIEST_DATE = date(2000, 1, 1)
YEARS_AHEAD = 5

# Personal data in forum texts, written plainly or lightly disguised:
# - document numbers (DNI, carné de extranjería, passport): 8+ digits, also grouped with
#   dots, spaces or dashes, as in "45.871.236", "45 871 236" or "45 87 12 36";
# - phones: mobiles ("987 654 321"), Lima landlines ("(01) 429-1234", "01 4291234") and
#   7 digits with a dash ("429-1234", but not "045-2024", a numbered document of a year);
# - e-mail addresses, also "ana(at)gmail.com" or "ana [at] gmail . com".
# Dates ("15/01/2027", "2027-01-15", "15.01.2027"), years and year ranges, numbered
# documents ("Ordenanza 014-2017-MDCLR"), amounts and percentages are not refused.
_SEP = r"(?:[ \u00a0]?[.\-][ \u00a0]?|[ \u00a0])"
_DOCUMENT = (
    r"\d{8,}"
    rf"|(?<!\d)(?:\d{{2,3}}{_SEP}\d{{3}}(?:{_SEP}?\d{{3}})+"
    rf"|\d{{2}}(?:{_SEP}\d{{2}}){{3,}}"
    rf"|\d(?:{_SEP}\d){{7,}})(?!\d)"
)
_PHONE = (
    r"(?:\+?51[\s.-]?)?9\d{2}[\s.-]\d{3}[\s.-]\d{3}"
    r"|(?<!\d)(?:\(0?1\)|01)[ \u00a0.-]?\d{3}[ \u00a0.-]?\d{4}(?!\d)"
    r"|(?<![\d-])\d{3}[ \u00a0]?-[ \u00a0]?(?!(?:19|20)\d{2}(?!\d))\d{4}(?![\d-])"
)
_AT = r"(?:\s*[(\[{<]\s*(?:at|arroba|@)\s*[)\]}>]\s*|\s+arroba\s+|\s*@\s*)"
_DOT = r"(?:\s*[(\[{<]\s*(?:dot|punto|\.)\s*[)\]}>]\s*|\s+(?:dot|punto)\s+|\s+\.\s+|\.)"
# Disguised addresses must end in a known domain, so "Reunión @ Municipalidad. Es..."
# stays a sentence. The lookbehinds keep the search linear on long words.
_TLD = r"(?:com|net|org|edu|gob|pe|es|info|io|co)(?!\w)"
_EMAIL = (
    r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+"
    rf"|(?<![\w.+-])[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*?{_DOT}{_TLD}"
)
_PERSONAL_DATA = re.compile(rf"{_DOCUMENT}|{_PHONE}|{_EMAIL}", re.IGNORECASE)
# Amounts ("S/ 12.500.000") are taken out before the search: their digits are no document.
_AMOUNT = re.compile(r"(?:S/\.?|US\$|\$|€)[ \u00a0]?\d[\d.,]*", re.IGNORECASE)


def looks_like_personal_data(text: str) -> bool:
    return bool(text) and _PERSONAL_DATA.search(_AMOUNT.sub(" ", text)) is not None


def personal_data_errors(**texts: str | None) -> dict[str, list[Any]]:
    """The screening of forum texts, field by field: ``{field: [message]}`` for each text
    that looks like it carries personal data. Forms call it in ``clean()`` so its errors
    come with the others; the services call it again (GraphQL has no form)."""
    return {
        field: [PERSONAL_DATA_MESSAGE]
        for field, text in texts.items()
        if text and looks_like_personal_data(text)
    }


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


def _refuse_personal_data(**texts: str | None) -> None:
    errors = personal_data_errors(**texts)
    if errors:
        raise ValidationError(errors)


def _refuse_if_approved(session: ForumSession) -> None:
    """Approved minutes make the session a record (call it on the locked row)."""
    if session.status == ForumSession.Status.MINUTES_APPROVED:
        raise ValidationError(MINUTES_APPROVED_MESSAGE)


def _latest_allowed_date(today: date) -> date:
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def date_errors(**dates: date | None) -> dict[str, list[Any]]:
    """Session dates out of range, field by field (from 2000 up to YEARS_AHEAD years on)."""
    latest = _latest_allowed_date(timezone.localdate())
    return {
        field: [DATE_RANGE_MESSAGE]
        for field, value in dates.items()
        if value is not None and not EARLIEST_DATE <= value <= latest
    }


def _lock_session(session_id: int) -> ForumSession:
    return ForumSession.objects.select_for_update().get(pk=session_id)


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
    errors = {**personal_data_errors(place=place), **date_errors(held_on=held_on)}
    if errors:
        raise ValidationError(errors)
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
    """Change a session's details or move its status one step. A session becomes "held"
    only on its date or later, and nothing changes once its minutes are approved."""
    errors = {**personal_data_errors(place=place), **date_errors(held_on=held_on)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = _lock_session(session.pk)
        _refuse_if_approved(session)
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
            if status == ForumSession.Status.HELD and session.held_on > timezone.localdate():
                raise ValidationError({"status": HELD_IN_THE_FUTURE_MESSAGE})
            session.status = status
        elif session.status == ForumSession.Status.HELD and session.held_on > timezone.localdate():
            # A held session cannot be moved to a date still to come either.
            raise ValidationError({"held_on": HELD_IN_THE_FUTURE_MESSAGE})
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
    errors: dict[str, list[Any]] = personal_data_errors(organisation=organisation)
    by_district = kind in {SessionParticipant.Kind.MAYOR, SessionParticipant.Kind.DELEGATE}
    if by_district and district is None:
        errors["district"] = [PARTICIPANT_DISTRICT_MESSAGE]
    if not by_district and district is not None:
        errors["district"] = [PARTICIPANT_NO_DISTRICT_MESSAGE]
    if kind == SessionParticipant.Kind.PARTNER and not organisation:
        errors.setdefault("organisation", [PARTICIPANT_ORGANISATION_MESSAGE])
    if errors:
        raise ValidationError(errors)
    if kind != SessionParticipant.Kind.PARTNER:
        organisation = ""
    with transaction.atomic():
        session = _lock_session(session.pk)
        _refuse_if_approved(session)
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
        _refuse_if_approved(_lock_session(participant.session_id))
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
    planned_minutes: int | None = 15,
    parent: AgendaItem | None = None,
) -> AgendaItem:
    """A district proposes to a convened session, and its proposal waits for the
    secretariat; the secretariat adds to a draft or convened session, and its own item is
    accepted on the spot."""
    errors = personal_data_errors(title=title, description=description)
    if not title.strip():
        errors.setdefault("title", [REQUIRED_MESSAGE])
    planned = planned_minutes if planned_minutes is not None else 0
    if not 1 <= planned <= PLANNED_MINUTES_MAX:
        errors["planned_minutes"] = [PLANNED_MINUTES_MESSAGE]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = _lock_session(session.pk)
        _refuse_if_approved(session)
        if actor.district is not None and session.status != ForumSession.Status.CONVENED:
            raise ValidationError(
                DISTRICT_NOT_CONVENED_MESSAGE % {"status": session.get_status_display()}
            )
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
            planned_minutes=planned,
            proposed_by=actor.district,
            status=(AgendaItem.Status.PROPOSED if actor.district else AgendaItem.Status.ACCEPTED),
        )
        _clean_and_save(item)
        _record(actor, "agenda_item_propose", item)
    return item


def agenda_decisions_allowed(*, item: AgendaItem, session: ForumSession) -> list[str]:
    """The decisions open on an item now, in the order of ``AgendaItem.Status``: none once
    the minutes are approved, and "discussed" only when the session is held."""
    if session.status == ForumSession.Status.MINUTES_APPROVED:
        return []
    allowed = set(AGENDA_DECISIONS.get(item.status, set()))
    if session.status != ForumSession.Status.HELD:
        allowed.discard(AgendaItem.Status.DISCUSSED)
    return [status for status in AgendaItem.Status.values if status in allowed]


def agenda_item_decide(
    *,
    actor: ForumActor,
    item: AgendaItem,
    status: str,
    note: str = "",
    expected_status: str | None = None,
) -> AgendaItem:
    """Accept, defer or mark an item as discussed. ``expected_status`` is the status the
    person saw: if someone else decided on the item meanwhile, nothing changes."""
    _refuse_personal_data(note=note)
    with transaction.atomic():
        session = _lock_session(item.session_id)
        _refuse_if_approved(session)
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if expected_status and item.status != expected_status:
            raise ValidationError(
                {"status": AGENDA_STALE_MESSAGE % {"current": item.get_status_display()}}
            )
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
        if status == AgendaItem.Status.DISCUSSED and session.status != ForumSession.Status.HELD:
            raise ValidationError({"status": DISCUSSED_NOT_HELD_MESSAGE})
        item.status = status
        item.decision_note = note.strip()
        item.decided_at = timezone.now()
        _clean_and_save(item)
        _record(actor, "agenda_item_decide", item)
    return item


def agenda_item_move(*, actor: ForumActor, item: AgendaItem, offset: int) -> AgendaItem:
    """Move an item up (-1) or down (+1) among its siblings; positions stay 0..n-1."""
    with transaction.atomic():
        _refuse_if_approved(_lock_session(item.session_id))
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
    """A new version of the minutes of a held session (earlier versions are kept)."""
    errors = personal_data_errors(body=body, change_note=change_note)
    if not body.strip():
        errors["body"] = [REQUIRED_MESSAGE]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = _lock_session(session.pk)
        _refuse_if_approved(session)
        if session.status != ForumSession.Status.HELD:
            raise ValidationError(
                MINUTES_NOT_HELD_MESSAGE % {"status": session.get_status_display()}
            )
        last = session.minutes.aggregate(last=Max("version"))["last"] or 0
        minutes = MinutesVersion(
            session=session, version=last + 1, body=body.strip(), change_note=change_note.strip()
        )
        _clean_and_save(minutes)
        _record(actor, "minutes_publish", minutes)
    return minutes


# ---------------------------------------------------------------------------- agreements
def partner_names(names: list[str] | None) -> list[str]:
    """Responsible partners as typed, tidied: blanks dropped, inner spaces collapsed, and
    each organisation once ("ACNUR" and "acnur" are the same; the first spelling stays)."""
    unique: dict[str, str] = {}
    for name in names or []:
        tidy = " ".join(name.split())
        if tidy:
            unique.setdefault(tidy.casefold(), tidy)
    return list(unique.values())


def partner_name_errors(names: list[str]) -> list[Any]:
    too_long = [name for name in names if len(name) > PARTNER_NAME_MAX_LENGTH]
    return [
        PARTNER_NAME_LENGTH_MESSAGE
        % {"max": PARTNER_NAME_MAX_LENGTH, "start": name[:30], "length": len(name)}
        for name in too_long
    ]


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


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
    """An agreement of a session whose minutes are not approved yet. Its deadline is on
    or after the session's date; its baseline period (counted in whole months) is over
    and MAX_MONTHS long at most."""
    responsible_districts = responsible_districts or []
    partners = partner_names(responsible_partners)
    errors = personal_data_errors(text=text, responsible_partners=" · ".join(partners))
    if not text.strip():
        errors.setdefault("text", [REQUIRED_MESSAGE])
    if too_long := partner_name_errors(partners):
        errors["responsible_partners"] = too_long
    if not responsible_districts and not partners:
        errors["responsible_districts"] = [NO_RESPONSIBLE_MESSAGE]
    if indicator and indicator not in INDICATORS:
        errors["indicator"] = [UNKNOWN_INDICATOR_MESSAGE]
    if not indicator and target is not None:
        errors["indicator"] = [TARGET_NEEDS_INDICATOR_MESSAGE]
    if indicator and (target is None or baseline_from is None or baseline_to is None):
        errors["target"] = [INDICATOR_NEEDS_TARGET_MESSAGE]
    if baseline_from and baseline_to:
        if baseline_to < baseline_from:
            errors["baseline_to"] = [BASELINE_ORDER_MESSAGE]
        elif baseline_to > timezone.localdate():
            errors["baseline_to"] = [BASELINE_IN_THE_FUTURE_MESSAGE]
        elif _months(baseline_from, baseline_to) > MAX_MONTHS:
            errors.setdefault("baseline_from", [BASELINE_TOO_LONG_MESSAGE % {"max": MAX_MONTHS}])
    with transaction.atomic():
        session = _lock_session(session.pk)
        _refuse_if_approved(session)
        if deadline and deadline < session.held_on:
            errors["deadline"] = [
                DEADLINE_BEFORE_SESSION_MESSAGE
                % {"date": date_format(session.held_on, "SHORT_DATE_FORMAT")}
            ]
        if errors:
            raise ValidationError(errors)
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


def _status_from_reports(agreement: Agreement) -> str | None:
    """The status the responsible districts' reports give an agreement: "done" when every
    responsible district's latest report says done and no partner is responsible (a
    partner does not report here, so only the secretariat closes its part), "in progress"
    once anything is reported, None before any report."""
    districts = set(agreement.responsible_districts.values_list("pk", flat=True))
    latest: dict[int, str] = {}
    for district_id, status in agreement.progress.filter(district_id__in=districts).values_list(
        "district_id", "status"
    ):  # newest first (AgreementProgress.Meta.ordering)
        latest.setdefault(district_id, status)
    if not latest:
        return None
    all_done = set(latest) == districts and all(
        status == Agreement.Status.DONE for status in latest.values()
    )
    if all_done and not agreement.responsible_partners:
        return Agreement.Status.DONE
    return Agreement.Status.IN_PROGRESS


def agreement_progress_post(
    *, actor: ForumActor, agreement: Agreement, note: str, status: str
) -> AgreementProgress:
    """A responsible district reports its progress (``status`` is its own part's status).

    The post is always kept; the agreement's status then follows the reports of all its
    responsible districts (see ``_status_from_reports``): one district's "done" does not
    close an agreement others share. A post never reopens an agreement the secretariat
    marked done (that is, done while the reports did not all say so): only the
    secretariat reopens it, with ``agreement_status_set``."""
    district = actor.district
    if district is None or not agreement.responsible_districts.filter(pk=district.pk).exists():
        raise ValidationError(NOT_RESPONSIBLE_MESSAGE)
    errors = personal_data_errors(note=note)
    if not note.strip():
        errors["note"] = [REQUIRED_MESSAGE]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        reported_before = _status_from_reports(agreement)
        progress = AgreementProgress(
            agreement=agreement, district=district, note=note.strip(), status=status
        )
        _clean_and_save(progress)
        closed_by_secretariat = (
            agreement.status == Agreement.Status.DONE and reported_before != Agreement.Status.DONE
        )
        if not closed_by_secretariat:
            reported = _status_from_reports(agreement) or agreement.status
            if reported != agreement.status:
                agreement.status = reported
                agreement.save(update_fields=["status", "updated_at"])
        _record(actor, "agreement_progress_post", progress)
    return progress


def agreement_status_set(*, actor: ForumActor, agreement: Agreement, status: str) -> Agreement:
    """The secretariat's override of an agreement's status, also once the session's
    minutes are approved. The next progress post recomputes the status from the districts'
    reports, except after the secretariat marked it done: posts never reopen it."""
    if status not in Agreement.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        agreement.status = status
        agreement.save(update_fields=["status", "updated_at"])
        _record(actor, "agreement_status_set", agreement)
    return agreement
