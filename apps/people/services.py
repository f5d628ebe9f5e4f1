"""Writes on people: each validates, runs in one transaction and leaves history rows
(database triggers, tagged with the acting user)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pghistory
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.models import AccessLogEntry
from apps.audit.services import access_record
from apps.catalogue.models import DocumentType
from apps.metrics.dirty import district_month_changed
from apps.people.exports import MAX_EXPORT_ROWS, people_csv, people_xlsx
from apps.people.links import person_hooks
from apps.people.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    DataSubjectRequest,
    Household,
    IdentityDocument,
    MigratorySituation,
    MigratoryStatus,
    Person,
)
from apps.people.normalise import document_number_key, name_key, phone_key
from apps.people.selectors import person_possible_duplicates
from apps.workspace.versioning import version_check

SENSITIVE_FIELDS = ("has_disability", "is_lgbtiq", "is_indigenous", "gender_identity")
SENSITIVE_WITHOUT_CONSENT_MESSAGE = gettext_lazy(
    "Sensitive data can only be recorded with the person's written consent for sensitive data."
)
DUPLICATE_DOCUMENT_MESSAGE = gettext_lazy(
    'This document is already registered to {name}: <a href="{url}">open the record</a>.'
)
POSSIBLE_DUPLICATE_MESSAGE = gettext_lazy(
    "A person with a similar name and the same birth date is already registered. Check the "
    "list below; if this is a different person, tick “It is a different person” and save again."
)
BIRTH_DATE_OR_AGE_MESSAGE = gettext_lazy(
    "Enter the birth date or, if it is unknown, an estimated age."
)
FUTURE_BIRTH_DATE_MESSAGE = gettext_lazy("The birth date cannot be in the future.")
DOCUMENT_NUMBER_REQUIRED_MESSAGE = gettext_lazy("Enter the document number.")


@dataclass
class DocumentInput:
    document_type: DocumentType
    number: str = ""
    issuing_body: str = ""
    issued_on: date | None = None
    expires_on: date | None = None
    is_verified: bool = False


@dataclass
class ConsentInput:
    purpose: ConsentPurpose
    given_on: date
    form_version: str
    method: ConsentMethod


@dataclass
class PersonInput:
    given_names: str
    family_names: str
    sex: str
    nationality: str
    population_group: str
    birth_date: date | None = None
    estimated_age: int | None = None
    gender_identity: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    has_disability: bool | None = None
    is_lgbtiq: bool | None = None
    is_indigenous: bool | None = None


def _has_sensitive_values(values: dict[str, Any]) -> bool:
    return any(values.get(name) not in (None, "") for name in SENSITIVE_FIELDS)


def _sensitive_consent_on_record(person: Person | None, new_consents: list[ConsentInput]) -> bool:
    if any(c.purpose == ConsentPurpose.SENSITIVE_DATA for c in new_consents):
        return True
    if person is None or person.pk is None:
        return False
    return person.consents.filter(
        purpose=ConsentPurpose.SENSITIVE_DATA, withdrawn_on__isnull=True
    ).exists()


def _refuse_sensitive_without_consent(values: dict[str, Any], allowed: bool) -> None:
    if allowed or not _has_sensitive_values(values):
        return
    raise ValidationError(
        {
            name: [SENSITIVE_WITHOUT_CONSENT_MESSAGE]
            for name in SENSITIVE_FIELDS
            if values.get(name) not in (None, "")
        }
    )


def _refuse_registered_document(
    document: DocumentInput, *, exclude_person: Person | None = None
) -> None:
    key = document_number_key(document.number)
    if not key:
        return
    existing = IdentityDocument.objects.filter(document_type=document.document_type, number_key=key)
    if exclude_person is not None:
        existing = existing.exclude(person=exclude_person)
    holder = existing.select_related("person").first()
    if holder is not None:
        url = reverse("people:detail", kwargs={"public_id": holder.person.public_id})
        message = format_html(
            str(DUPLICATE_DOCUMENT_MESSAGE), name=holder.person.full_name, url=url
        )
        raise ValidationError({"document_number": [message]}, code="duplicate_document")


def _document_create(person: Person, document: DocumentInput) -> IdentityDocument:
    if not document.number.strip() and document.document_type.code != "none":
        raise ValidationError({"document_number": [DOCUMENT_NUMBER_REQUIRED_MESSAGE]})
    record = IdentityDocument(
        person=person,
        document_type=document.document_type,
        number=document.number.strip(),
        number_key=document_number_key(document.number),
        issuing_body=document.issuing_body,
        issued_on=document.issued_on,
        expires_on=document.expires_on,
        is_verified=document.is_verified,
    )
    record.full_clean(exclude=["person"])
    record.save()
    return record


def _apply_person_values(person: Person, values: PersonInput) -> None:
    for name in (
        "given_names",
        "family_names",
        "sex",
        "nationality",
        "population_group",
        "birth_date",
        "estimated_age",
        "gender_identity",
        "phone",
        "email",
        "address",
        "has_disability",
        "is_lgbtiq",
        "is_indigenous",
    ):
        setattr(person, name, getattr(values, name))
    person.given_names = " ".join(person.given_names.split())
    person.family_names = " ".join(person.family_names.split())
    if person.birth_date is None and person.estimated_age is None:
        raise ValidationError({"birth_date": [BIRTH_DATE_OR_AGE_MESSAGE]})
    if person.birth_date is not None and person.birth_date > timezone.localdate():
        raise ValidationError({"birth_date": [FUTURE_BIRTH_DATE_MESSAGE]})
    if person.birth_date is not None:
        person.estimated_age = None
        person.estimated_age_on = None
    elif person.estimated_age_on is None:
        person.estimated_age_on = timezone.localdate()
    person.name_key = name_key(f"{person.given_names} {person.family_names}")
    person.phone_key = phone_key(person.phone)


def person_register(
    *,
    actor: User,
    person: PersonInput,
    document: DocumentInput | None = None,
    situation: MigratoryStatus | None = None,
    situation_since: date | None = None,
    consents: list[ConsentInput] | None = None,
    confirm_not_duplicate: bool = False,
) -> Person:
    """Register a person with a first document, situation and consents, all or nothing.

    Refused: a document already registered (with a link to its holder), sensitive data
    without the sensitive-data consent, and, unless confirmed, a similar name with the same
    birth date.
    """
    consents = consents or []
    _refuse_sensitive_without_consent(person.__dict__, _sensitive_consent_on_record(None, consents))
    if document is not None:
        _refuse_registered_document(document)
    if not confirm_not_duplicate and person.birth_date is not None:
        similar = person_possible_duplicates(
            given_names=person.given_names,
            family_names=person.family_names,
            birth_date=person.birth_date,
        )
        if similar:
            raise ValidationError(POSSIBLE_DUPLICATE_MESSAGE, code="possible_duplicate")

    with transaction.atomic(), pghistory.context(user=actor.pk):
        record = Person(registered_by=actor, current_situation=situation or "")
        _apply_person_values(record, person)
        record.full_clean(exclude=["name_key", "phone_key", "registered_by", "household"])
        record.save()
        if document is not None:
            _document_create(record, document)
        for consent in consents:
            Consent.objects.create(
                person=record,
                purpose=consent.purpose,
                given_on=consent.given_on,
                form_version=consent.form_version,
                method=consent.method,
                recorded_by=actor,
            )
        district_month_changed(timezone.localdate())
        if situation:
            MigratorySituation.objects.create(
                person=record,
                status=situation,
                recorded_by=actor,
                since=situation_since or timezone.localdate(),
            )
    return record


def person_update(
    *,
    actor: User,
    person: Person,
    values: PersonInput,
    rectification: DataSubjectRequest | None = None,
    expected_version: int | None = None,
) -> Person:
    """Edit a person's details; sensitive data still needs the consent on record. An edit
    made to answer a rectification request closes that request. ``expected_version`` is
    the version the edit form was loaded with: if someone saved in between, nothing is
    written (``RecordChangedError``)."""
    _refuse_anonymised(person)
    _refuse_sensitive_without_consent(values.__dict__, _sensitive_consent_on_record(person, []))
    with transaction.atomic(), pghistory.context(user=actor.pk):
        version_check(person, expected_version)
        locked = Person.objects.select_for_update().get(pk=person.pk)
        _apply_person_values(locked, values)
        locked.full_clean(exclude=["name_key", "phone_key", "registered_by", "household"])
        locked.save()
        if rectification is not None:
            if rectification.person_id != person.pk or rectification.kind != "rectification":
                raise ValidationError(
                    {"rectification": [_("Choose a rectification request of this person.")]}
                )
            if rectification.status == DataSubjectRequest.Status.RECEIVED:
                rectification.status = DataSubjectRequest.Status.ANSWERED
                rectification.answered_on = timezone.localdate()
                rectification.save(update_fields=["status", "answered_on"])
    return locked


def document_add(*, actor: User, person: Person, document: DocumentInput) -> IdentityDocument:
    _refuse_anonymised(person)
    _refuse_registered_document(document)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        return _document_create(person, document)


def _refuse_future(field: str, day: date | None) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: [_("The date cannot be in the future.")]})


def _refuse_anonymised(person: Person) -> None:
    if person.anonymised_on is not None:
        raise ValidationError(
            _("This record was anonymised at the person's request; it cannot change.")
        )


def situation_record(
    *, actor: User, person: Person, status: MigratoryStatus | str, since: date
) -> MigratorySituation:
    """Add a dated entry to the person's migratory history; the latest becomes current."""
    _refuse_future("since", since)
    _refuse_anonymised(person)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        entry = MigratorySituation(person=person, status=status, since=since, recorded_by=actor)
        entry.full_clean(exclude=["person", "recorded_by"])
        entry.save()
        latest = person.situations.order_by("-since", "-created_at").first()
        current = latest.status if latest else ""
        Person.objects.filter(pk=person.pk).update(current_situation=current)
        person.current_situation = current
    return entry


def consent_record(*, actor: User, person: Person, consent: ConsentInput) -> Consent:
    _refuse_future("given_on", consent.given_on)
    _refuse_anonymised(person)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        record = Consent(
            person=person,
            purpose=consent.purpose,
            given_on=consent.given_on,
            form_version=consent.form_version,
            method=consent.method,
            recorded_by=actor,
        )
        record.full_clean(exclude=["person", "recorded_by"])
        record.save()
    return record


def consent_withdraw(*, actor: User, consent: Consent, withdrawn_on: date | None = None) -> Consent:
    """Withdraw a consent. Withdrawing the sensitive-data consent erases the sensitive data."""
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    with transaction.atomic(), pghistory.context(user=actor.pk):
        consent.withdrawn_on = withdrawn_on or timezone.localdate()
        consent.save(update_fields=["withdrawn_on"])
        if consent.purpose == ConsentPurpose.SENSITIVE_DATA and not _sensitive_consent_on_record(
            consent.person, []
        ):
            person = Person.objects.select_for_update().get(pk=consent.person_id)
            person.has_disability = person.is_lgbtiq = person.is_indigenous = None
            person.gender_identity = ""
            person.save(
                update_fields=[
                    "has_disability",
                    "is_lgbtiq",
                    "is_indigenous",
                    "gender_identity",
                    "updated_at",
                ]
            )
    return consent


def people_export(
    *, actor: User, people: QuerySet[Person], file_format: str, filters: dict[str, Any]
) -> tuple[str, str, bytes]:
    """A file of the listed people, and an access-log entry saying who exported what.

    Returns (file name, content type, content). Refused past MAX_EXPORT_ROWS rows.
    """
    people = people.filter(opposed_on__isnull=True)  # opposition: never in an export
    count = people.count()
    if count > MAX_EXPORT_ROWS:
        raise ValidationError(
            _("Too many rows to export (%(count)d); narrow the filters to %(max)d or fewer.")
            % {"count": count, "max": MAX_EXPORT_ROWS}
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if file_format == "csv":
        content, content_type = people_csv(people), "text/csv; charset=utf-8"
    else:
        file_format = "xlsx"
        content = people_xlsx(people)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    access_record(
        user=actor,
        action=AccessLogEntry.Action.EXPORT,
        object_type="person_list",
        detail={"format": file_format, "rows": count, "filters": filters},
    )
    return f"personas-{stamp}.{file_format}", content_type, content


MERGE_SAME_MESSAGE = gettext_lazy("Choose two different records.")


def person_merge(*, actor: User, keep: Person, duplicate: Person) -> Person:
    """Merge ``duplicate`` into ``keep``: its documents, situations, consents, attentions,
    cases, referrals and requests move over, then the duplicate record is deleted. Blank
    details of ``keep`` are filled from the duplicate. The merge is logged and the history
    keeps both records' past."""
    from apps.casework.models import Attention, Case, Referral
    from apps.people.models import DataSubjectRequest

    if keep.pk == duplicate.pk:
        raise ValidationError(MERGE_SAME_MESSAGE)
    if keep.anonymised_on or duplicate.anonymised_on:
        raise ValidationError(_("An anonymised record cannot be merged."))
    with (
        transaction.atomic(),
        pghistory.context(user=actor.pk, merged_from=str(duplicate.public_id)),
    ):
        keep = Person.objects.select_for_update().get(pk=keep.pk)
        duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
        held = set(keep.documents.values_list("document_type_id", "number_key"))
        for document in duplicate.documents.all():
            if (document.document_type_id, document.number_key) in held:
                document.delete()
            else:
                document.person = keep
                document.save(update_fields=["person"])
        for model in (MigratorySituation, Consent, Attention, Case, Referral, DataSubjectRequest):
            model.objects.filter(person=duplicate).update(person=keep)
        for name in ("phone", "email", "address", "birth_date", "household_id"):
            if not getattr(keep, name) and getattr(duplicate, name):
                setattr(keep, name, getattr(duplicate, name))
        # An opposition recorded on either record holds for the merged one.
        oppositions = [d for d in (keep.opposed_on, duplicate.opposed_on) if d]
        keep.opposed_on = min(oppositions) if oppositions else None
        latest = keep.situations.order_by("-since", "-created_at").first()
        keep.current_situation = latest.status if latest else keep.current_situation
        keep.phone_key = phone_key(keep.phone)
        keep.save()
        for hooks in person_hooks():
            hooks.merge(keep=keep, duplicate=duplicate)
        duplicate_id = str(duplicate.public_id)
        duplicate.delete()
        access_record(
            user=actor,
            action=AccessLogEntry.Action.MERGE,
            object_type="person",
            object_id=str(keep.public_id),
            detail={"merged_from": duplicate_id},
        )
    return keep


ALREADY_IN_HOUSEHOLD_MESSAGE = gettext_lazy("%(name)s already belongs to another household.")


def household_create(*, actor: User, head: Person, address: str = "") -> Household:
    """A new household with ``head`` as its head."""
    if head.household_id is not None:
        raise ValidationError(ALREADY_IN_HOUSEHOLD_MESSAGE % {"name": head.full_name})
    with transaction.atomic(), pghistory.context(user=actor.pk):
        household = Household.objects.create(address=address or head.address)
        head.household = household
        head.household_relationship = Person.Relationship.HEAD
        head.save(update_fields=["household", "household_relationship", "updated_at"])
    return household


def household_member_add(
    *, actor: User, household: Household, person: Person, relationship: Person.Relationship | str
) -> Person:
    if person.household_id not in (None, household.pk):
        raise ValidationError(ALREADY_IN_HOUSEHOLD_MESSAGE % {"name": person.full_name})
    with transaction.atomic(), pghistory.context(user=actor.pk):
        person.household = household
        person.household_relationship = relationship
        person.full_clean(exclude=["name_key", "phone_key", "registered_by"])
        person.save(update_fields=["household", "household_relationship", "updated_at"])
    return person


def household_member_remove(*, actor: User, person: Person) -> Person:
    with transaction.atomic(), pghistory.context(user=actor.pk):
        person.household = None
        person.household_relationship = ""
        person.save(update_fields=["household", "household_relationship", "updated_at"])
    return person
