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
    AGENDA_STALE_MESSAGE,
    BASELINE_IN_THE_FUTURE_MESSAGE,
    BASELINE_TOO_LONG_MESSAGE,
    DATE_RANGE_MESSAGE,
    DISCUSSED_NOT_HELD_MESSAGE,
    DISTRICT_NOT_CONVENED_MESSAGE,
    HELD_IN_THE_FUTURE_MESSAGE,
    MINUTES_APPROVED_MESSAGE,
    MINUTES_NOT_HELD_MESSAGE,
    NOT_RESPONSIBLE_MESSAGE,
    PARTNER_NAME_LENGTH_MESSAGE,
    PERSONAL_DATA_MESSAGE,
    PLANNED_MINUTES_MESSAGE,
    ForumActor,
    agenda_decisions_allowed,
    agenda_item_decide,
    agenda_item_move,
    agenda_item_propose,
    agreement_create,
    agreement_progress_post,
    agreement_status_set,
    forum_session_update,
    minutes_publish,
    session_participant_add,
    session_participant_attendance_set,
)
from apps.forum.tests.factories import agreement_make, secretariat, secretariat_actor, session_make
from apps.metrics.indicators import MAX_MONTHS
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
    session = session_make(held_on=timezone.localdate())
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
    session = session_make(
        status=ForumSession.Status.CONVENED, held_on=timezone.localdate() + timedelta(days=30)
    )
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


# ---------------------------------------------------------------------------- approved minutes
def _approved_session(district: District) -> tuple[ForumSession, AgendaItem, SessionParticipant]:
    """A session held a month ago, with an agenda item, a participant and minutes, whose
    minutes were then approved."""
    session = session_make(status=ForumSession.Status.CONVENED)
    ForumSession.objects.filter(pk=session.pk).update(
        held_on=timezone.localdate() - timedelta(days=30)
    )
    item = agenda_item_propose(actor=secretariat_actor(), session=session, title="Balance")
    participant = session_participant_add(
        actor=secretariat_actor(), session=session, kind=Kind.MAYOR, district=district
    )
    session = forum_session_update(actor=secretariat_actor(), session=session, status="held")
    minutes_publish(actor=secretariat_actor(), session=session, body="Acta.")
    session = forum_session_update(
        actor=secretariat_actor(), session=session, status="minutes_approved"
    )
    return session, item, participant


FROZEN_CHANGES = {
    "place": lambda s, i, p, d: forum_session_update(
        actor=secretariat_actor(), session=s, place="Otro lugar"
    ),
    "date": lambda s, i, p, d: forum_session_update(
        actor=secretariat_actor(), session=s, held_on=timezone.localdate()
    ),
    "host": lambda s, i, p, d: forum_session_update(
        actor=secretariat_actor(), session=s, host_district=d
    ),
    "propose": lambda s, i, p, d: agenda_item_propose(
        actor=secretariat_actor(), session=s, title="Otro punto"
    ),
    "decide": lambda s, i, p, d: agenda_item_decide(
        actor=secretariat_actor(), item=i, status="deferred"
    ),
    "move": lambda s, i, p, d: agenda_item_move(actor=secretariat_actor(), item=i, offset=1),
    "participant": lambda s, i, p, d: session_participant_add(
        actor=secretariat_actor(), session=s, kind=Kind.SECRETARIAT
    ),
    "attendance": lambda s, i, p, d: session_participant_attendance_set(
        actor=secretariat_actor(), participant=p, attended=False
    ),
    "agreement": lambda s, i, p, d: agreement_create(
        actor=secretariat_actor(), session=s, text="Nuevo acuerdo", responsible_districts=[d]
    ),
    "minutes": lambda s, i, p, d: minutes_publish(
        actor=secretariat_actor(), session=s, body="Otra versión."
    ),
}


@pytest.mark.parametrize("change", sorted(FROZEN_CHANGES))
def test_approved_minutes_freeze_the_session(district_a: District, change: str) -> None:
    session, item, participant = _approved_session(district_a)
    before = ForumActivity.objects.count()
    with pytest.raises(ValidationError) as refused:
        FROZEN_CHANGES[change](session, item, participant, district_a)
    assert refused.value.messages == [str(MINUTES_APPROVED_MESSAGE)]
    assert ForumActivity.objects.count() == before
    session.refresh_from_db()
    assert (session.status, session.place, session.agreements.count()) == (
        "minutes_approved",
        "Palacio Municipal de La Perla",
        0,
    )
    assert session.agenda_items.get() == item
    assert session.minutes.count() == 1


def test_agreements_of_an_approved_session_are_still_followed_up(district_a: District) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    agreement = agreement_make(session, [district_a])
    minutes_publish(actor=secretariat_actor(), session=session, body="Acta.")
    forum_session_update(actor=secretariat_actor(), session=session, status="minutes_approved")
    agreement_progress_post(
        actor=ForumActor.for_district(district_a, 1),
        agreement=agreement,
        note="Avance",
        status="in_progress",
    )
    agreement_status_set(actor=secretariat_actor(), agreement=agreement, status="done")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DONE


# ---------------------------------------------------------------------------- session dates
def test_a_session_is_held_only_on_its_date_or_later() -> None:
    today = timezone.localdate()
    tomorrow = session_make(status=ForumSession.Status.CONVENED, held_on=today + timedelta(1))
    with pytest.raises(ValidationError) as refused:
        forum_session_update(actor=secretariat_actor(), session=tomorrow, status="held")
    assert refused.value.message_dict == {"status": [str(HELD_IN_THE_FUTURE_MESSAGE)]}
    tomorrow.refresh_from_db()
    assert tomorrow.status == ForumSession.Status.CONVENED
    # Moving the date to today in the same change is fine.
    held = forum_session_update(
        actor=secretariat_actor(), session=tomorrow, held_on=today, status="held"
    )
    assert held.status == ForumSession.Status.HELD
    with pytest.raises(ValidationError) as moved:
        forum_session_update(actor=secretariat_actor(), session=held, held_on=today + timedelta(1))
    assert "held_on" in moved.value.message_dict
    held.refresh_from_db()
    assert held.held_on == today


@pytest.mark.parametrize("status", ["draft", "convened"])
def test_minutes_wait_until_the_session_is_held(status: str) -> None:
    session = session_make(status=status)
    with pytest.raises(ValidationError) as refused:
        minutes_publish(actor=secretariat_actor(), session=session, body="Acta adelantada.")
    assert refused.value.messages == [
        str(MINUTES_NOT_HELD_MESSAGE % {"status": session.get_status_display()})
    ]
    assert not session.minutes.exists()


def test_an_item_is_discussed_only_once_the_session_is_held() -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    item = agenda_item_propose(actor=secretariat_actor(), session=session, title="Salud")
    with pytest.raises(ValidationError) as refused:
        agenda_item_decide(actor=secretariat_actor(), item=item, status="discussed")
    assert refused.value.message_dict == {"status": [str(DISCUSSED_NOT_HELD_MESSAGE)]}
    assert agenda_decisions_allowed(item=item, session=session) == ["deferred"]
    ForumSession.objects.filter(pk=session.pk).update(status="held")
    session.refresh_from_db()
    assert agenda_decisions_allowed(item=item, session=session) == ["discussed", "deferred"]
    item = agenda_item_decide(actor=secretariat_actor(), item=item, status="discussed")
    assert item.status == AgendaItem.Status.DISCUSSED


@pytest.mark.parametrize(
    "held_on",
    [
        date(1999, 12, 31),
        date(202, 3, 1),
        timezone.localdate().replace(year=timezone.localdate().year + 6),
        timezone.localdate().replace(year=timezone.localdate().year + 5) + timedelta(days=1),
    ],
)
def test_session_dates_out_of_range_are_refused(held_on: date) -> None:
    with pytest.raises(ValidationError) as refused:
        session_make(held_on=held_on)
    assert refused.value.message_dict == {"held_on": [str(DATE_RANGE_MESSAGE)]}
    session = session_make()
    with pytest.raises(ValidationError):
        forum_session_update(actor=secretariat_actor(), session=session, held_on=held_on)
    assert ForumSession.objects.count() == 1


def test_the_first_and_last_possible_dates_are_accepted() -> None:
    session_make(held_on=date(2000, 1, 1))
    session_make(held_on=timezone.localdate().replace(year=timezone.localdate().year + 5))
    assert ForumSession.objects.count() == 2


# ---------------------------------------------------------------------------- agreement rules
def test_the_deadline_cannot_be_before_the_session() -> None:
    session = session_make(status=ForumSession.Status.HELD)
    with pytest.raises(ValidationError) as refused:
        agreement_create(
            actor=secretariat_actor(),
            session=session,
            text="Acuerdo",
            responsible_partners=["OIM"],
            deadline=session.held_on - timedelta(days=1),
        )
    assert list(refused.value.message_dict) == ["deadline"]
    same_day = agreement_create(
        actor=secretariat_actor(),
        session=session,
        text="Acuerdo",
        responsible_partners=["OIM"],
        deadline=session.held_on,
    )
    assert same_day.deadline == session.held_on


def _baseline(start: date, end: date) -> dict[str, object]:
    return {"indicator": "attentions", "target": 10, "baseline_from": start, "baseline_to": end}


def test_the_baseline_period_is_over_and_not_too_long(district_a: District) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    today = timezone.localdate()
    month = today.replace(day=1)
    cases = [
        (
            _baseline(month, today + timedelta(days=1)),
            "baseline_to",
            BASELINE_IN_THE_FUTURE_MESSAGE,
        ),
        (
            _baseline(date(month.year - 3, month.month, 1), today),  # 37 months
            "baseline_from",
            BASELINE_TOO_LONG_MESSAGE % {"max": MAX_MONTHS},
        ),
    ]
    for values, field, message in cases:
        with pytest.raises(ValidationError) as refused:
            agreement_make(session, [district_a], **values)
        assert refused.value.message_dict == {field: [str(message)]}, values
    assert not Agreement.objects.exists()
    # Exactly MAX_MONTHS whole months, ending today: accepted.
    start = date(month.year - 3, month.month, 1) + timedelta(days=31)
    agreement = agreement_make(session, [district_a], **_baseline(start, today))
    assert agreement.baseline_from == start.replace(day=1)


def test_responsible_partners_are_named_once_and_not_too_long(district_a: District) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    agreement = agreement_create(
        actor=secretariat_actor(),
        session=session,
        text="Acuerdo",
        responsible_partners=["ACNUR", " acnur ", "OIM", "Encuentros  SJM", "encuentros sjm", ""],
    )
    assert agreement.responsible_partners == ["ACNUR", "OIM", "Encuentros SJM"]
    long_name = "Organización " + "x" * 120
    with pytest.raises(ValidationError) as refused:
        agreement_create(
            actor=secretariat_actor(),
            session=session,
            text="Acuerdo",
            responsible_partners=["OIM", long_name],
        )
    messages = refused.value.message_dict["responsible_partners"]
    assert messages == [
        str(
            PARTNER_NAME_LENGTH_MESSAGE
            % {"max": 120, "start": long_name[:30], "length": len(long_name)}
        )
    ]
    assert "did not validate" not in messages[0]


# ---------------------------------------------------------------------------- proposals
def test_districts_propose_to_convened_sessions_only(district_a: District) -> None:
    district = ForumActor.for_district(district_a, 1)
    for status in ("draft", "held"):
        session = session_make(status=status)
        with pytest.raises(ValidationError):
            agenda_item_propose(actor=district, session=session, title="Ferias")
    draft = session_make()
    with pytest.raises(ValidationError) as refused:
        agenda_item_propose(actor=district, session=draft, title="Ferias")
    assert refused.value.messages == [
        str(DISTRICT_NOT_CONVENED_MESSAGE % {"status": draft.get_status_display()})
    ]
    own = agenda_item_propose(actor=secretariat_actor(), session=draft, title="Informe")
    assert own.status == AgendaItem.Status.ACCEPTED
    convened = session_make(status=ForumSession.Status.CONVENED)
    proposal = agenda_item_propose(actor=district, session=convened, title="Ferias")
    assert proposal.status == AgendaItem.Status.PROPOSED


@pytest.mark.parametrize(
    ("minutes", "accepted"),
    [(0, False), (1, True), (600, True), (601, False), (None, False), (-5, False)],
)
def test_planned_minutes_are_1_to_600(minutes: int | None, accepted: bool) -> None:
    session = session_make()
    if accepted:
        item = agenda_item_propose(
            actor=secretariat_actor(), session=session, title="Punto", planned_minutes=minutes
        )
        assert item.planned_minutes == minutes
    else:
        with pytest.raises(ValidationError) as refused:
            agenda_item_propose(
                actor=secretariat_actor(), session=session, title="Punto", planned_minutes=minutes
            )
        assert refused.value.message_dict == {"planned_minutes": [str(PLANNED_MINUTES_MESSAGE)]}
        assert not AgendaItem.objects.exists()


def test_a_bad_title_and_a_bad_duration_are_refused_together() -> None:
    with pytest.raises(ValidationError) as refused:
        agenda_item_propose(
            actor=secretariat_actor(),
            session=session_make(),
            title="Caso de la Sra. 45.871.236",
            planned_minutes=0,
        )
    assert set(refused.value.message_dict) == {"title", "planned_minutes"}


# ---------------------------------------------------------------------------- progress and status
def _post(district: District, agreement: Agreement, status: str) -> None:
    agreement_progress_post(
        actor=ForumActor.for_district(district, 1),
        agreement=agreement,
        note=f"Avance: {status}",
        status=status,
    )


def _status(agreement: Agreement) -> str:
    agreement.refresh_from_db()
    return agreement.status


def test_an_agreement_is_done_when_every_responsible_district_says_so(
    district_a: District, district_b: District
) -> None:
    agreement = agreement_make(session_make(status="held"), [district_a, district_b])
    _post(district_a, agreement, "pending")
    assert _status(agreement) == "in_progress"  # something was reported
    _post(district_a, agreement, "done")
    assert _status(agreement) == "in_progress"  # Bellavista has not finished
    _post(district_b, agreement, "done")
    assert _status(agreement) == "done"
    # Reports made it done, so a later report may reopen it.
    _post(district_b, agreement, "in_progress")
    assert _status(agreement) == "in_progress"


def test_an_agreement_shared_with_a_partner_is_closed_by_the_secretariat(
    district_a: District,
) -> None:
    agreement = agreement_make(
        session_make(status="held"), [district_a], responsible_partners=["OIM"]
    )
    _post(district_a, agreement, "done")
    assert _status(agreement) == "in_progress"
    agreement_status_set(actor=secretariat_actor(), agreement=agreement, status="done")
    assert _status(agreement) == "done"


def test_a_post_never_reopens_what_the_secretariat_marked_done(
    district_a: District, district_b: District
) -> None:
    agreement = agreement_make(session_make(status="held"), [district_a, district_b])
    _post(district_a, agreement, "in_progress")
    agreement_status_set(actor=secretariat_actor(), agreement=agreement, status="done")
    _post(district_b, agreement, "in_progress")
    _post(district_a, agreement, "pending")
    assert _status(agreement) == "done"
    assert agreement.progress.count() == 3  # the posts are kept
    # The secretariat's override works both ways: reopened, reports count again.
    agreement_status_set(actor=secretariat_actor(), agreement=agreement, status="in_progress")
    _post(district_a, agreement, "done")
    _post(district_b, agreement, "done")
    assert _status(agreement) == "done"


def test_the_secretariat_override_stands_until_the_next_report(district_a: District) -> None:
    agreement = agreement_make(session_make(status="held"), [district_a])
    _post(district_a, agreement, "in_progress")
    agreement_status_set(actor=secretariat_actor(), agreement=agreement, status="pending")
    assert _status(agreement) == "pending"
    _post(district_a, agreement, "in_progress")
    assert _status(agreement) == "in_progress"


# ---------------------------------------------------------------------------- agenda decisions
@pytest.mark.parametrize(
    ("item_status", "session_status", "allowed"),
    [
        ("proposed", "convened", ["accepted", "deferred"]),
        ("accepted", "convened", ["deferred"]),
        ("accepted", "held", ["discussed", "deferred"]),
        ("deferred", "held", ["accepted"]),
        ("discussed", "held", []),
        ("accepted", "minutes_approved", []),
    ],
)
def test_decisions_open_on_an_item(
    item_status: str, session_status: str, allowed: list[str]
) -> None:
    session = ForumSession(status=session_status)
    assert agenda_decisions_allowed(item=AgendaItem(status=item_status), session=session) == allowed


def test_a_decision_on_an_item_someone_else_just_decided_is_refused(district_a: District) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    item = agenda_item_propose(
        actor=ForumActor.for_district(district_a, 1), session=session, title="Ferias"
    )
    agenda_item_decide(actor=secretariat_actor(), item=item, status="deferred")
    # A second person, who saw the item proposed, accepts it: deferred → accepted is a
    # valid move, but not the one they meant.
    with pytest.raises(ValidationError) as refused:
        agenda_item_decide(
            actor=secretariat_actor(), item=item, status="accepted", expected_status="proposed"
        )
    assert refused.value.message_dict["status"] == [
        str(AGENDA_STALE_MESSAGE % {"current": AgendaItem.Status.DEFERRED.label})
    ]
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.DEFERRED


def test_agenda_item_statuses_have_their_own_translation_context() -> None:
    from django.utils.translation import pgettext

    for status in AgendaItem.Status:
        func, args = status.label.__reduce__()[1][:2]
        assert (func, args[0]) == (pgettext, "agenda item"), status
