from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.casework.models import Case, Referral
from apps.casework.selectors import case_notes_visible_to, work_queue
from apps.casework.services import (
    attention_record,
    case_close,
    case_note_add,
    case_open,
    follow_up_add,
    follow_up_complete,
    referral_send,
    referral_transition,
)
from apps.catalogue.models import Partner, ServiceType
from apps.people.models import ConsentPurpose
from apps.people.tests.factories import person_make, staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_district_a")]


def _services(*codes: str) -> list[ServiceType]:
    return list(ServiceType.objects.filter(code__in=codes))


def test_an_attention_records_its_services() -> None:
    person = person_make()
    attention = attention_record(
        actor=staff(),
        person=person,
        occurred_on=timezone.localdate(),
        channel="in_person",
        service_types=_services("legal-orientation", "health-access"),
        notes="Orientación sobre CPP",
    )
    assert set(attention.service_types.values_list("code", flat=True)) == {
        "legal-orientation",
        "health-access",
    }
    assert attention.staff == staff()


def test_an_attention_needs_a_service_and_a_date_not_in_the_future() -> None:
    person = person_make()
    with pytest.raises(ValidationError) as refused:
        attention_record(
            actor=staff(),
            person=person,
            occurred_on=timezone.localdate() + timedelta(days=1),
            channel="phone",
            service_types=[],
        )
    assert set(refused.value.message_dict) == {"service_types", "occurred_on"}
    assert not person.attentions.exists()


def test_a_case_is_opened_noted_tasked_and_closed() -> None:
    person = person_make()
    case = case_open(
        actor=staff("coordinator"), person=person, caseworker=staff(), plan="Regularización"
    )
    case_note_add(actor=staff(), case=case, text="Llamó por su CPP")
    task = follow_up_add(actor=staff(), case=case, description="Llamar", due_on=date(2025, 1, 1))
    assert task.assigned_to == staff()
    follow_up_complete(actor=staff(), task=task)
    with pytest.raises(ValidationError):
        follow_up_complete(actor=staff(), task=task)
    with pytest.raises(ValidationError):
        case_close(actor=staff(), case=case, reason="")
    case_close(actor=staff(), case=case, reason=Case.ClosingReason.RESOLVED)
    assert case.status == Case.Status.CLOSED
    with pytest.raises(ValidationError):
        case_close(actor=staff(), case=case, reason=Case.ClosingReason.RESOLVED)


def test_sensitive_notes_are_shown_only_to_those_who_need_to_know() -> None:
    person = person_make()
    case = case_open(actor=staff(), person=person, caseworker=staff())
    case_note_add(actor=staff(), case=case, text="Nota común")
    case_note_add(actor=staff(), case=case, text="Violencia de género", is_sensitive=True)
    assert case_notes_visible_to(user=staff(), case=case).count() == 2  # the caseworker
    assert case_notes_visible_to(user=staff("coordinator"), case=case).count() == 2
    other = staff("complaints_officer")
    visible = [n.text for n in case_notes_visible_to(user=other, case=case)]
    assert visible == ["Nota común"]


def test_a_referral_sharing_data_needs_the_referral_consent() -> None:
    person = person_make(consents=(ConsentPurpose.REGISTRATION,))
    partner = Partner.objects.get(code="acnur")
    with pytest.raises(ValidationError) as refused:
        referral_send(actor=staff(), person=person, partner=partner, reason="Protección")
    assert "shares_personal_data" in refused.value.message_dict
    assert not Referral.objects.exists()
    # Without personal data it can go.
    referral_send(
        actor=staff(),
        person=person,
        partner=partner,
        reason="Protección",
        shares_personal_data=False,
    )
    assert Referral.objects.count() == 1


def test_only_a_coordinator_can_override_the_missing_consent_and_it_is_logged() -> None:
    person = person_make(consents=(ConsentPurpose.REGISTRATION,))
    partner = Partner.objects.get(code="cem")
    with pytest.raises(ValidationError) as refused:
        referral_send(
            actor=staff(),
            person=person,
            partner=partner,
            reason="Urgente",
            consent_override_reason="Riesgo",
        )
    assert "consent_override_reason" in refused.value.message_dict
    referral = referral_send(
        actor=staff("coordinator"),
        person=person,
        partner=partner,
        reason="Urgente",
        consent_override_reason="Riesgo inminente para la persona",
    )
    assert referral.consent_override_reason == "Riesgo inminente para la persona"
    change = referral.changes.get()
    assert change.changed_by == staff("coordinator")
    assert "Riesgo inminente" in change.note


def test_referral_moves_only_along_allowed_transitions_with_who_and_when() -> None:
    person = person_make(consents=(ConsentPurpose.REGISTRATION, ConsentPurpose.REFERRAL_SHARING))
    referral = referral_send(
        actor=staff(), person=person, partner=Partner.objects.get(code="oim"), reason="Empleo"
    )
    with pytest.raises(ValidationError) as refused:
        referral_transition(actor=staff(), referral=referral, to_status=Referral.Status.COMPLETED)
    assert refused.value.code == "transition"
    referral = referral_transition(
        actor=staff(), referral=referral, to_status=Referral.Status.ACCEPTED
    )
    referral = referral_transition(
        actor=staff("coordinator"), referral=referral, to_status=Referral.Status.COMPLETED
    )
    with pytest.raises(ValidationError):
        referral_transition(actor=staff(), referral=referral, to_status=Referral.Status.REVOKED)
    changes = list(referral.changes.values_list("from_status", "to_status", "changed_by__username"))
    assert changes == [
        ("", "sent", "caseworker@la-perla.test"),
        ("sent", "accepted", "caseworker@la-perla.test"),
        ("accepted", "completed", "coordinator@la-perla.test"),
    ]


def test_the_work_queue_lists_due_tasks_pending_follow_ups_and_referrals_awaiting() -> None:
    today = timezone.localdate()
    person = person_make(consents=(ConsentPurpose.REFERRAL_SHARING,))
    case = case_open(actor=staff(), person=person, caseworker=staff())
    follow_up_add(actor=staff(), case=case, description="Vencida", due_on=today - timedelta(days=2))
    follow_up_add(actor=staff(), case=case, description="Futura", due_on=today + timedelta(days=20))
    attention_record(
        actor=staff(),
        person=person,
        occurred_on=today - timedelta(days=10),
        channel="phone",
        service_types=_services("other"),
        next_follow_up_on=today,
    )
    referral_send(
        actor=staff(), person=person, partner=Partner.objects.get(code="hias"), reason="Albergue"
    )
    queue = work_queue(user=staff(), today=today)
    assert [t.description for t in queue["tasks"]] == ["Vencida"]  # type: ignore[attr-defined]
    assert len(queue["attentions_due"]) == 1  # type: ignore[arg-type]
    assert len(queue["referrals_awaiting"]) == 1  # type: ignore[arg-type]
    # Attending the person again settles the planned follow-up.
    attention_record(
        actor=staff(),
        person=person,
        occurred_on=today,
        channel="phone",
        service_types=_services("other"),
    )
    assert work_queue(user=staff(), today=today)["attentions_due"] == []
    assert work_queue(user=staff("coordinator"), today=today)["tasks"] == []
