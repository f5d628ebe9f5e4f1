"""Writes on casework; each validates, runs in one transaction and leaves history rows."""

from __future__ import annotations

from datetime import date

import pghistory
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.casework.models import (
    Attention,
    Case,
    CaseNote,
    Channel,
    FollowUpTask,
    Referral,
    ReferralStatusChange,
)
from apps.catalogue.models import Partner, ServiceType
from apps.metrics.dirty import district_month_changed
from apps.people.models import ConsentPurpose, Person

NO_SERVICE_MESSAGE = gettext_lazy("Choose at least one service given in this attention.")
FUTURE_DATE_MESSAGE = gettext_lazy("The date cannot be in the future.")
NO_REFERRAL_CONSENT_MESSAGE = gettext_lazy(
    "This person has not consented to sharing their data with partners. Record the consent, "
    "send the referral without personal data, or ask a coordinator to override with a reason."
)
OPPOSED_MESSAGE = gettext_lazy(
    "This person has opposed the processing of their data: referrals cannot share it."
)
OVERRIDE_REASON_MESSAGE = gettext_lazy("Write why the referral is sent without consent.")
TRANSITION_MESSAGE = gettext_lazy("A referral that is “%(current)s” cannot become “%(target)s”.")

# Allowed moves of a referral; anything else is refused.
REFERRAL_TRANSITIONS: dict[str, set[str]] = {
    Referral.Status.SENT: {
        Referral.Status.ACCEPTED,
        Referral.Status.REJECTED,
        Referral.Status.REVOKED,
    },
    Referral.Status.ACCEPTED: {Referral.Status.COMPLETED, Referral.Status.REVOKED},
    Referral.Status.REJECTED: set(),
    Referral.Status.COMPLETED: set(),
    Referral.Status.REVOKED: set(),
}


def _refuse_anonymised(person: Person) -> None:
    if person.anonymised_on is not None:
        raise ValidationError(
            _("This record was anonymised at the person's request; register the person again.")
        )


def attention_record(
    *,
    actor: User,
    person: Person,
    occurred_on: date,
    channel: Channel | str,
    service_types: list[ServiceType],
    notes: str = "",
    next_follow_up_on: date | None = None,
    case: Case | None = None,
) -> Attention:
    _refuse_anonymised(person)
    errors: dict[str, list[str]] = {}
    if not service_types:
        errors["service_types"] = [str(NO_SERVICE_MESSAGE)]
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = [str(FUTURE_DATE_MESSAGE)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        attention = Attention(
            person=person,
            case=case,
            occurred_on=occurred_on,
            staff=actor,
            channel=channel,
            notes=notes,
            next_follow_up_on=next_follow_up_on,
        )
        attention.full_clean(exclude=["person", "staff", "case"])
        attention.save()
        attention.service_types.set(service_types)
        district_month_changed(occurred_on)
    return attention


def case_open(
    *, actor: User, person: Person, caseworker: User, plan: str = "", opened_on: date | None = None
) -> Case:
    with transaction.atomic(), pghistory.context(user=actor.pk):
        case = Case(
            person=person,
            caseworker=caseworker,
            plan=plan,
            opened_on=opened_on or timezone.localdate(),
        )
        case.full_clean(exclude=["person", "caseworker"])
        case.save()
    return case


def case_close(
    *, actor: User, case: Case, reason: Case.ClosingReason | str, closed_on: date | None = None
) -> Case:
    if not reason:
        raise ValidationError({"closing_reason": [_("Choose why the case is closed.")]})
    with transaction.atomic(), pghistory.context(user=actor.pk):
        # Read under a row lock: of two staff closing the same case at once, the second
        # is told it is closed instead of replacing the first one's reason.
        status = Case.objects.select_for_update().values_list("status", flat=True).get(pk=case.pk)
        if status == Case.Status.CLOSED:
            raise ValidationError(_("This case is already closed."))
        case.status = Case.Status.CLOSED
        case.closing_reason = reason
        case.closed_on = closed_on or timezone.localdate()
        case.full_clean(exclude=["person", "caseworker"])
        case.save(update_fields=["status", "closing_reason", "closed_on"])
    return case


def case_note_add(*, actor: User, case: Case, text: str, is_sensitive: bool = False) -> CaseNote:
    if not text.strip():
        raise ValidationError({"text": [_("Write the note.")]})
    with transaction.atomic(), pghistory.context(user=actor.pk):
        return CaseNote.objects.create(
            case=case, author=actor, text=text.strip(), is_sensitive=is_sensitive
        )


def follow_up_add(
    *, actor: User, case: Case, description: str, due_on: date, assigned_to: User | None = None
) -> FollowUpTask:
    with transaction.atomic(), pghistory.context(user=actor.pk):
        task = FollowUpTask(
            case=case,
            description=description,
            due_on=due_on,
            assigned_to=assigned_to or case.caseworker,
        )
        task.full_clean(exclude=["case", "assigned_to"])
        task.save()
    return task


def follow_up_complete(*, actor: User, task: FollowUpTask) -> FollowUpTask:
    if task.done_on is not None:
        raise ValidationError(_("This task is already done."))
    with transaction.atomic(), pghistory.context(user=actor.pk):
        task.done_on = timezone.localdate()
        task.save(update_fields=["done_on"])
    return task


def _has_referral_consent(person: Person) -> bool:
    return person.consents.filter(
        purpose=ConsentPurpose.REFERRAL_SHARING, withdrawn_on__isnull=True
    ).exists()


def referral_send(
    *,
    actor: User,
    person: Person,
    partner: Partner,
    reason: str,
    shares_personal_data: bool = True,
    service_type: ServiceType | None = None,
    attention: Attention | None = None,
    consent_override_reason: str = "",
) -> Referral:
    """Refer a person to a partner. Sharing personal data needs the person's referral
    consent, or a coordinator's override with a written reason (kept on the referral and in
    its history)."""
    _refuse_anonymised(person)
    override = consent_override_reason.strip()
    if shares_personal_data and person.opposed_on is not None:
        raise ValidationError({"shares_personal_data": [str(OPPOSED_MESSAGE)]}, code="opposed")
    if shares_personal_data and not _has_referral_consent(person):
        if not override:
            raise ValidationError(
                {"shares_personal_data": [str(NO_REFERRAL_CONSENT_MESSAGE)]}, code="no_consent"
            )
        if not actor.has_perm("casework.override_referral_consent"):
            raise ValidationError(
                {
                    "consent_override_reason": [
                        _("Only a coordinator can send a referral without consent.")
                    ]
                }
            )
    elif override:
        override = ""  # nothing to override
    if not reason.strip():
        raise ValidationError({"reason": [_("Write why the person is referred.")]})
    with transaction.atomic(), pghistory.context(user=actor.pk, consent_override=bool(override)):
        referral = Referral.objects.create(
            person=person,
            partner=partner,
            service_type=service_type,
            attention=attention,
            reason=reason.strip(),
            shares_personal_data=shares_personal_data,
            consent_override_reason=override,
            created_by=actor,
        )
        district_month_changed(timezone.localdate())
        ReferralStatusChange.objects.create(
            referral=referral,
            to_status=Referral.Status.SENT,
            changed_by=actor,
            note=_("Sent without consent: %(reason)s") % {"reason": override} if override else "",
        )
    return referral


def referral_transition(
    *, actor: User, referral: Referral, to_status: Referral.Status | str, note: str = ""
) -> Referral:
    """Move a referral along sent → accepted/rejected → completed, or revoke it."""
    with transaction.atomic(), pghistory.context(user=actor.pk):
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if to_status not in REFERRAL_TRANSITIONS[locked.status]:
            raise ValidationError(
                TRANSITION_MESSAGE
                % {
                    "current": locked.get_status_display(),
                    "target": Referral.Status(to_status).label,
                },
                code="transition",
            )
        ReferralStatusChange.objects.create(
            referral=locked,
            from_status=locked.status,
            to_status=to_status,
            changed_by=actor,
            note=note,
        )
        locked.status = to_status
        locked.save(update_fields=["status"])
        district_month_changed(timezone.localdate(locked.created_at))
    return locked
