"""Services for the data subject's rights (Ley 29733): requests with their legal deadlines,
the person's complete data (access and portability), opposition and cancellation
(anonymisation that keeps the counts published statistics rest on)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pghistory
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.models import AccessLogEntry
from apps.audit.services import access_record
from apps.people.links import person_hooks, scrub_rows
from apps.people.models import DataSubjectRequest, Person

ANONYMISED_NAME = "Anonimizado"
REMOVED_TEXT = "(eliminado a pedido de la persona)"
ALREADY_ANONYMISED_MESSAGE = gettext_lazy("This person's data was already anonymised.")


def business_days_after(start: date, days: int) -> date:
    """The date ``days`` business days (Monday to Friday) after ``start``.

    Public holidays are not counted out; the deadline shown is never later than the law's.
    """
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def data_request_record(
    *,
    actor: User,
    person: Person,
    kind: DataSubjectRequest.Kind | str,
    received_on: date,
    note: str = "",
) -> DataSubjectRequest:
    days = settings.DATA_SUBJECT_REQUEST_DAYS[str(kind)]
    with transaction.atomic(), pghistory.context(user=actor.pk):
        request = DataSubjectRequest(
            person=person,
            kind=kind,
            received_on=received_on,
            due_on=business_days_after(received_on, days),
            note=note,
            recorded_by=actor,
        )
        request.full_clean(exclude=["person", "recorded_by"])
        request.save()
    return request


def data_request_answer(
    *,
    actor: User,
    request: DataSubjectRequest,
    status: DataSubjectRequest.Status | str,
    note: str = "",
) -> DataSubjectRequest:
    if request.status != DataSubjectRequest.Status.RECEIVED:
        raise ValidationError(_("This request was already answered."))
    with transaction.atomic(), pghistory.context(user=actor.pk):
        request.status = status
        request.answered_on = timezone.localdate()
        request.note = "\n".join(part for part in (request.note, note) if part)
        request.save(update_fields=["status", "answered_on", "note"])
    return request


def person_data(*, actor: User, person: Person) -> dict[str, Any]:
    """Everything the district holds about the person, as plain data (access, portability).

    The export itself is recorded in the access log.
    """
    from apps.casework.models import Attention, Case, Referral

    data: dict[str, Any] = {
        "person": {
            "id": str(person.public_id),
            "given_names": person.given_names,
            "family_names": person.family_names,
            "sex": person.sex,
            "gender_identity": person.gender_identity,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "estimated_age": person.estimated_age,
            "nationality": str(person.nationality),
            "phone": person.phone,
            "email": person.email,
            "address": person.address,
            "population_group": person.population_group,
            "migratory_situation": person.current_situation,
            "has_disability": person.has_disability,
            "is_lgbtiq": person.is_lgbtiq,
            "is_indigenous": person.is_indigenous,
            "registered_on": timezone.localdate(person.created_at).isoformat(),
        },
        "documents": [
            {
                "type": d.document_type.code,
                "number": d.number,
                "issued_by": d.issuing_body,
                "issued_on": d.issued_on.isoformat() if d.issued_on else None,
                "expires_on": d.expires_on.isoformat() if d.expires_on else None,
                "verified": d.is_verified,
            }
            for d in person.documents.select_related("document_type")
        ],
        "migratory_situations": [
            {"status": s.status, "since": s.since.isoformat()} for s in person.situations.all()
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "given_on": c.given_on.isoformat(),
                "form_version": c.form_version,
                "method": c.method,
                "withdrawn_on": c.withdrawn_on.isoformat() if c.withdrawn_on else None,
            }
            for c in person.consents.all()
        ],
        "attentions": [
            {
                "date": a.occurred_on.isoformat(),
                "channel": a.channel,
                "notes": a.notes,
                "services": [s.code for s in a.service_types.all()],
            }
            for a in Attention.objects.filter(person=person).prefetch_related("service_types")
        ],
        "cases": [
            {
                "opened_on": c.opened_on.isoformat(),
                "status": c.status,
                "plan": c.plan,
                "notes": [n.text for n in c.notes.all()],
            }
            for c in Case.objects.filter(person=person).prefetch_related("notes")
        ],
        "referrals": [
            {
                "partner": r.partner.code,
                "status": r.status,
                "reason": r.reason,
                "sent_on": timezone.localdate(r.created_at).isoformat(),
            }
            for r in Referral.objects.filter(person=person).select_related("partner")
        ],
    }
    for hooks in person_hooks():
        data[hooks.key] = hooks.data(person)
    access_record(
        user=actor,
        action=AccessLogEntry.Action.EXPORT,
        object_type="person",
        object_id=str(person.public_id),
        detail={"format": "complete record"},
    )
    return data


def _open_requests_answer(person: Person, kind: DataSubjectRequest.Kind) -> None:
    """Doing what a pending request asked for answers it."""
    person.data_requests.filter(kind=kind, status=DataSubjectRequest.Status.RECEIVED).update(
        status=DataSubjectRequest.Status.ANSWERED, answered_on=timezone.localdate()
    )


def person_opposition_record(*, actor: User, person: Person, on: date | None = None) -> Person:
    """From now on the person appears in no export and no referral shares their data."""
    with transaction.atomic(), pghistory.context(user=actor.pk):
        person.opposed_on = on or timezone.localdate()
        person.save(update_fields=["opposed_on", "updated_at"])
        _open_requests_answer(person, DataSubjectRequest.Kind.OPPOSITION)
    return person


def person_opposition_withdraw(*, actor: User, person: Person) -> Person:
    """The person withdraws their opposition (not possible once anonymised)."""
    if person.anonymised_on is not None:
        raise ValidationError(ALREADY_ANONYMISED_MESSAGE)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        person.opposed_on = None
        person.save(update_fields=["opposed_on", "updated_at"])
    return person


# Every place a person's identifying data or free text about them can sit, beyond the
# person's own row: (table, values to set, the rows of this person, %s being its id).
# History tables are append-only; anonymisation is the one writer allowed past that
# (pgtrigger.ignore). A test scans every text column of the schema after anonymising.
_SCRUB: list[tuple[str, dict[str, object], str]] = [
    (
        "people_personevent",
        {
            "given_names": ANONYMISED_NAME,
            "family_names": "",
            "gender_identity": "",
            "phone": "",
            "email": "",
            "address": "",
            "name_key": "anonimizado",
            "phone_key": "",
            "birth_date": None,
            "has_disability": None,
            "is_lgbtiq": None,
            "is_indigenous": None,
        },
        "pgh_obj_id = %s",
    ),
    (
        "people_identitydocument",
        {"number": "", "number_key": "", "issuing_body": ""},
        "person_id = %s",
    ),
    (
        "people_identitydocumentevent",
        {"number": "", "number_key": "", "issuing_body": ""},
        "person_id = %s",
    ),
    ("people_datasubjectrequest", {"note": ""}, "person_id = %s"),
    ("people_datasubjectrequestevent", {"note": ""}, "person_id = %s"),
    ("casework_attention", {"notes": ""}, "person_id = %s"),
    ("casework_attentionevent", {"notes": ""}, "person_id = %s"),
    ("casework_case", {"plan": ""}, "person_id = %s"),
    ("casework_caseevent", {"plan": ""}, "person_id = %s"),
    (
        "casework_casenote",
        {"text": REMOVED_TEXT},
        "case_id IN (SELECT id FROM casework_case WHERE person_id = %s)",
    ),
    (
        "casework_casenoteevent",
        {"text": ""},
        "case_id IN (SELECT id FROM casework_case WHERE person_id = %s)",
    ),
    (
        "casework_followuptask",
        {"description": REMOVED_TEXT},
        "case_id IN (SELECT id FROM casework_case WHERE person_id = %s)",
    ),
    (
        "casework_followuptaskevent",
        {"description": ""},
        "case_id IN (SELECT id FROM casework_case WHERE person_id = %s)",
    ),
    ("casework_referral", {"reason": "", "consent_override_reason": ""}, "person_id = %s"),
    (
        "casework_referralevent",
        {"reason": "", "consent_override_reason": ""},
        "person_id = %s",
    ),
    (
        "casework_referralstatuschange",
        {"note": ""},
        "referral_id IN (SELECT id FROM casework_referral WHERE person_id = %s)",
    ),
]


def _scrub(person: Person) -> None:
    from django.apps import apps

    event_triggers = [
        f"{model._meta.label}:append_only"
        for model in apps.get_models()
        if model._meta.db_table.endswith("event")
        and model._meta.app_label in {"people", "casework"}
    ]
    scrub_rows(person, _SCRUB, history_triggers=event_triggers)


def person_anonymise(*, actor: User, person: Person) -> Person:
    """Cancellation: remove names, documents, contact, sensitive data and free text about
    the person, here and in the history, while the person still counts (sex, nationality,
    age, population group, attentions, referrals) in the district's figures."""
    if person.anonymised_on is not None:
        raise ValidationError(ALREADY_ANONYMISED_MESSAGE)
    today = timezone.localdate()
    with transaction.atomic(), pghistory.context(user=actor.pk):
        age = max(0, person.age_on(today) or 0)
        household = person.household
        person.given_names, person.family_names = ANONYMISED_NAME, ""
        person.name_key, person.phone_key = "anonimizado", ""
        person.phone = person.email = person.address = person.gender_identity = ""
        person.has_disability = person.is_lgbtiq = person.is_indigenous = None
        person.birth_date, person.estimated_age, person.estimated_age_on = None, age, today
        person.anonymised_on = person.opposed_on = today
        person.household, person.household_relationship = None, ""
        person.save()
        _scrub(person)
        for hooks in person_hooks():
            hooks.scrub(person)
        _open_requests_answer(person, DataSubjectRequest.Kind.CANCELLATION)
        if household is not None and not household.members.exists():
            household.address = household.address_reference = ""
            household.save(update_fields=["address", "address_reference"])
    return person
