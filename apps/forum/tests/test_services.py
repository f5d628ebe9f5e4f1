from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.forum.models import (
    AgendaItem,
    Agreement,
    AgreementProgress,
    ForumActivity,
    ForumSession,
    SessionParticipant,
)
from apps.forum.selectors import agenda_planned_minutes, agenda_tree, agreements
from apps.forum.services import (
    MINUTES_APPROVED_MESSAGE,
    NOT_RESPONSIBLE_MESSAGE,
    PERSONAL_DATA_MESSAGE,
    ForumActor,
    agenda_item_decide,
    agenda_item_move,
    agenda_item_propose,
    agreement_create,
    agreement_progress_post,
    forum_session_update,
    minutes_publish,
    session_participant_add,
    session_participant_attendance_set,
)
from apps.forum.tests.factories import agreement_make, secretariat, secretariat_actor, session_make
from tenants.models import District

pytestmark = pytest.mark.django_db

Kind = SessionParticipant.Kind


# ---------------------------------------------------------------------------- participants
def test_participants_are_offices_and_each_addition_is_recorded(
    district_a: District,
) -> None:
    session = session_make()
    mayor = session_participant_add(
        actor=secretariat_actor(), session=session, kind=Kind.MAYOR, district=district_a
    )
    partner = session_participant_add(
        actor=secretariat_actor(), session=session, kind=Kind.PARTNER, organisation=" ACNUR "
    )
    own = session_participant_add(actor=secretariat_actor(), session=session, kind=Kind.SECRETARIAT)
    assert (mayor.district, partner.organisation, own.district) == (district_a, "ACNUR", None)
    assert mayor.attended is None
    added = ForumActivity.objects.filter(action="session_participant_add")
    assert added.count() == 3
    assert {a.public_account for a in added} == {secretariat()}


@pytest.mark.parametrize(
    ("kind", "with_district", "organisation", "field"),
    [
        (Kind.MAYOR, False, "", "district"),
        (Kind.DELEGATE, False, "", "district"),
        (Kind.PARTNER, False, "", "organisation"),
        (Kind.PARTNER, True, "OIM", "district"),
        (Kind.SECRETARIAT, True, "", "district"),
        (Kind.PARTNER, False, "Sra. Pérez DNI 45678912", "organisation"),
    ],
)
def test_a_participant_that_does_not_match_its_kind_is_refused(
    district_a: District, kind: str, with_district: bool, organisation: str, field: str
) -> None:
    session = session_make()
    with pytest.raises(ValidationError) as refused:
        session_participant_add(
            actor=secretariat_actor(),
            session=session,
            kind=kind,
            district=district_a if with_district else None,
            organisation=organisation,
        )
    assert field in refused.value.message_dict
    assert not session.participants.exists()


def test_the_same_participant_is_not_added_twice(district_a: District) -> None:
    session = session_make()
    session_participant_add(
        actor=secretariat_actor(), session=session, kind=Kind.PARTNER, organisation="ACNUR"
    )
    with pytest.raises(ValidationError):
        session_participant_add(
            actor=secretariat_actor(), session=session, kind=Kind.PARTNER, organisation="acnur"
        )
    session_participant_add(
        actor=secretariat_actor(), session=session, kind=Kind.MAYOR, district=district_a
    )
    with pytest.raises(ValidationError):
        session_participant_add(
            actor=secretariat_actor(), session=session, kind=Kind.MAYOR, district=district_a
        )
    assert session.participants.count() == 2


def test_attendance_is_marked_and_can_be_cleared(district_a: District) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    participant = session_participant_add(
        actor=secretariat_actor(), session=session, kind=Kind.DELEGATE, district=district_a
    )
    for attended in (True, False, None):
        session_participant_attendance_set(
            actor=secretariat_actor(), participant=participant, attended=attended
        )
        participant.refresh_from_db()
        assert participant.attended is attended
    assert ForumActivity.objects.filter(action="session_participant_attendance_set").count() == 3


def test_participants_do_not_change_once_the_minutes_are_approved(district_a: District) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    participant = session_participant_add(
        actor=secretariat_actor(), session=session, kind=Kind.MAYOR, district=district_a
    )
    ForumSession.objects.filter(pk=session.pk).update(status=ForumSession.Status.MINUTES_APPROVED)
    with pytest.raises(ValidationError) as refused:
        session_participant_attendance_set(
            actor=secretariat_actor(), participant=participant, attended=True
        )
    assert refused.value.messages == [str(MINUTES_APPROVED_MESSAGE)]
    with pytest.raises(ValidationError):
        session_participant_add(actor=secretariat_actor(), session=session, kind=Kind.SECRETARIAT)
    participant.refresh_from_db()
    assert participant.attended is None


# ---------------------------------------------------------------------------- sessions
def test_a_session_moves_only_along_its_steps() -> None:
    session = session_make()
    with pytest.raises(ValidationError) as refused:
        forum_session_update(actor=secretariat_actor(), session=session, status="held")
    assert "status" in refused.value.message_dict
    session = forum_session_update(actor=secretariat_actor(), session=session, status="convened")
    session = forum_session_update(actor=secretariat_actor(), session=session, status="held")
    with pytest.raises(ValidationError) as no_minutes:
        forum_session_update(actor=secretariat_actor(), session=session, status="minutes_approved")
    assert "status" in no_minutes.value.message_dict
    minutes_publish(actor=secretariat_actor(), session=session, body="Acta de la sesión.")
    session = forum_session_update(
        actor=secretariat_actor(), session=session, status="minutes_approved"
    )
    assert session.status == ForumSession.Status.MINUTES_APPROVED
    with pytest.raises(ValidationError):
        minutes_publish(actor=secretariat_actor(), session=session, body="Otra versión.")


def test_a_session_place_with_a_document_number_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        session_make(place="Casa del Sr. DNI 12345678")
    assert refused.value.message_dict["place"] == [str(PERSONAL_DATA_MESSAGE)]
    assert not ForumSession.objects.exists()


# ---------------------------------------------------------------------------- agenda
def test_a_district_proposal_waits_and_the_secretariat_item_is_accepted(
    district_a: District,
) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    own = agenda_item_propose(actor=secretariat_actor(), session=session, title="Informe")
    proposal = agenda_item_propose(
        actor=ForumActor.for_district(district_a, 7), session=session, title="Ferias de empleo"
    )
    assert (own.status, own.proposed_by) == (AgendaItem.Status.ACCEPTED, None)
    assert (proposal.status, proposal.proposed_by) == (AgendaItem.Status.PROPOSED, district_a)
    activity = ForumActivity.objects.get(action="agenda_item_propose", object_id=proposal.pk)
    assert (activity.district, activity.district_account_id) == (district_a, 7)


def test_agenda_refusals(district_a: District) -> None:
    held = session_make(status=ForumSession.Status.HELD)
    with pytest.raises(ValidationError):
        agenda_item_propose(actor=ForumActor.for_district(district_a, 1), session=held, title="X")
    session = session_make(held_on=timezone.localdate() + timedelta(days=30))
    item = agenda_item_propose(actor=secretariat_actor(), session=session, title="Salud")
    sub = agenda_item_propose(actor=secretariat_actor(), session=session, title="SIS", parent=item)
    with pytest.raises(ValidationError) as too_deep:
        agenda_item_propose(actor=secretariat_actor(), session=session, title="Y", parent=sub)
    assert "parent" in too_deep.value.message_dict
    with pytest.raises(ValidationError) as personal:
        agenda_item_propose(
            actor=secretariat_actor(), session=session, title="Caso", description="Tel. 987654321"
        )
    assert "description" in personal.value.message_dict
    proposal = agenda_item_propose(
        actor=ForumActor.for_district(district_a, 1), session=session, title="Vivienda"
    )
    with pytest.raises(ValidationError) as leap:
        agenda_item_decide(actor=secretariat_actor(), item=proposal, status="discussed")
    assert "status" in leap.value.message_dict
    assert AgendaItem.objects.filter(session=session).count() == 3


def test_items_move_among_their_siblings_and_the_planned_time_adds_up() -> None:
    session = session_make()
    first, second, third = (
        agenda_item_propose(
            actor=secretariat_actor(), session=session, title=title, planned_minutes=minutes
        )
        for title, minutes in (("Uno", 10), ("Dos", 20), ("Tres", 30))
    )
    agenda_item_propose(
        actor=secretariat_actor(), session=session, title="Uno.a", parent=first, planned_minutes=5
    )
    agenda_item_move(actor=secretariat_actor(), item=third, offset=-1)
    agenda_item_move(actor=secretariat_actor(), item=first, offset=-1)  # already first
    session.refresh_from_db()
    titles = list(
        AgendaItem.objects.filter(session=session, parent=None)
        .order_by("position")
        .values_list("title", flat=True)
    )
    assert titles == ["Uno", "Tres", "Dos"]
    agenda_item_decide(actor=secretariat_actor(), item=second, status="deferred")
    session = ForumSession.objects.prefetch_related("agenda_items").get(pk=session.pk)
    assert agenda_planned_minutes(agenda_tree(session)) == 10 + 5 + 30


# ---------------------------------------------------------------------------- agreements
def test_agreement_refusals(district_a: District) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    cases = [
        ({"text": "Atender al Sr. con DNI 12345678"}, "text"),
        ({"text": "Texto", "responsible_districts": []}, "responsible_districts"),
        ({"text": "Texto", "indicator": "nope", "target": 1}, "indicator"),
        ({"text": "Texto", "indicator": "people_served"}, "target"),
        (
            {
                "text": "Texto",
                "indicator": "attentions",
                "target": 10,
                "baseline_from": date(2026, 3, 1),
                "baseline_to": date(2026, 1, 31),
            },
            "baseline_to",
        ),
    ]
    for values, field in cases:
        values.setdefault("responsible_districts", [district_a])
        with pytest.raises(ValidationError) as refused:
            agreement_create(actor=secretariat_actor(), session=session, **values)
        assert field in refused.value.message_dict, values
    assert not Agreement.objects.exists()


def test_only_a_responsible_district_posts_progress(
    district_a: District, district_b: District
) -> None:
    agreement = agreement_make(session_make(status=ForumSession.Status.HELD), [district_a])
    with pytest.raises(ValidationError) as refused:
        agreement_progress_post(
            actor=ForumActor.for_district(district_b, 1),
            agreement=agreement,
            note="Avance",
            status="done",
        )
    assert refused.value.messages == [str(NOT_RESPONSIBLE_MESSAGE)]
    with pytest.raises(ValidationError) as personal:
        agreement_progress_post(
            actor=ForumActor.for_district(district_a, 1),
            agreement=agreement,
            note="Se atendió a la persona con CE 001234567",
            status="in_progress",
        )
    assert "note" in personal.value.message_dict
    assert not AgreementProgress.objects.exists()
    agreement_progress_post(
        actor=ForumActor.for_district(district_a, 1),
        agreement=agreement,
        note="Se abrió la atención los sábados.",
        status="in_progress",
    )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_PROGRESS


def test_overdue_is_computed_from_the_deadline(district_a: District) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    today = timezone.localdate()
    late = agreement_make(session, [district_a], deadline=today - timedelta(days=1))
    on_time = agreement_make(session, [district_a], deadline=today + timedelta(days=10))
    done_late = agreement_make(session, [district_a], deadline=today - timedelta(days=5))
    Agreement.objects.filter(pk=done_late.pk).update(status=Agreement.Status.DONE)
    assert list(agreements(status=Agreement.OVERDUE)) == [late]
    assert list(agreements(status=Agreement.Status.PENDING)) == [on_time]
    assert list(agreements(status=Agreement.Status.DONE)) == [done_late]
