"""The secretariat's forum pages on the platform's host."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.forum.models import (
    AgendaItem,
    Agreement,
    ForumActivity,
    ForumSession,
    MinutesVersion,
    SessionParticipant,
)
from apps.forum.services import (
    HELD_IN_THE_FUTURE_MESSAGE,
    MINUTES_APPROVED_MESSAGE,
    ForumActor,
    agenda_item_propose,
    agreement_progress_post,
    minutes_publish,
    session_participant_add,
)
from apps.forum.tests.factories import (
    agreement_make,
    month_count,
    portal_login,
    secretariat_actor,
    session_make,
)
from conftest import TEST_PASSWORD, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(public_client: Client) -> Client:
    portal_login(public_client)
    return public_client


def _page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- who may enter
@pytest.mark.parametrize("path", ["/forum/", "/forum/agreements/", "/forum/sessions/1/"])
def test_anonymous_visitors_go_to_the_login_page(public_client: Client, path: str) -> None:
    response = public_client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_platform_account_without_the_secretariat_role_is_refused(
    public_client: Client,
) -> None:
    get_user_model().objects.create_user(
        username="soporte@platform.test", email="soporte@platform.test", password=TEST_PASSWORD
    )
    portal_login(public_client, "soporte@platform.test")
    session = session_make()
    assert public_client.get("/forum/").status_code == 403
    assert public_client.get("/forum/agreements/").status_code == 403
    response = public_client.post(
        f"/forum/sessions/{session.pk}/participant/", {"participant-kind": "secretariat"}
    )
    assert response.status_code == 403
    assert not session.participants.exists()


def test_platform_admins_may_use_the_portal_too(public_client: Client) -> None:
    portal_login(public_client, "admin@platform.test")
    assert public_client.get("/forum/").status_code == 200


def test_the_portal_is_not_reachable_from_a_district_host(
    district_a: District, client_a: Client
) -> None:
    session = session_make()
    login_as(client_a, district_a, "coordinator")
    assert client_a.get("/forum/agreements/").status_code == 404
    assert client_a.get(f"/forum/sessions/{session.pk}/").status_code == 404
    assert client_a.post("/forum/sessions/", {}).status_code == 404


# ---------------------------------------------------------------------------- sessions
def test_the_empty_list_says_what_to_do(portal: Client) -> None:
    page = _page(portal.get("/forum/"))
    assert "No session yet" in page
    assert 'aria-current="page"' in page  # the portal's section is marked


def test_the_secretariat_creates_a_session_with_a_peruvian_date(
    portal: Client, district_a: District
) -> None:
    response = portal.post(
        "/forum/",
        {
            "held_on": "15/03/2027",
            "starts_at": "09:30",
            "place": "Palacio Municipal de La Perla",
            "host_district": district_a.pk,
        },
    )
    session = ForumSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/forum/sessions/{session.pk}/"
    assert (session.held_on, session.host_district, session.number) == (
        date(2027, 3, 15),
        district_a,
        1,
    )
    page = _page(portal.get("/forum/"))
    assert "15/03/2027" in page
    assert "La Perla" in page


def test_a_session_with_bad_input_is_refused_next_to_the_field(portal: Client) -> None:
    response = portal.post("/forum/", {"held_on": "31/02/2027", "place": ""})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"held_on", "place"}
    refused = portal.post("/forum/", {"held_on": "15/03/2027", "place": "Casa de 12345678"})
    assert refused.status_code == 400
    assert refused.context["form"].errors["place"]
    assert not ForumSession.objects.exists()


def test_the_status_moves_and_a_refused_move_is_shown_next_to_the_field(
    portal: Client,
) -> None:
    session = session_make()
    path = f"/forum/sessions/{session.pk}/update/"
    fields = {"update-held_on": "2027-04-10", "update-place": "Ventanilla", "update-starts_at": ""}
    refused = portal.post(path, {**fields, "update-status": "held"})
    assert refused.status_code == 400
    assert refused.context["update_form"].errors["status"]
    session.refresh_from_db()
    assert session.status == ForumSession.Status.DRAFT
    assert portal.post(path, {**fields, "update-status": "convened"}).status_code == 302
    session.refresh_from_db()
    assert (session.status, session.place, session.held_on) == (
        "convened",
        "Ventanilla",
        date(2027, 4, 10),
    )


def test_unknown_session_and_unknown_action_are_not_found(portal: Client) -> None:
    session = session_make()
    assert portal.get("/forum/sessions/999999/").status_code == 404
    assert portal.post(f"/forum/sessions/{session.pk}/explode/", {}).status_code == 404
    assert portal.get(f"/forum/sessions/{session.pk}/explode/").status_code == 404


# ---------------------------------------------------------------------------- agenda
def test_the_agenda_is_built_nested_with_its_planned_time(
    portal: Client, district_a: District
) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    path = f"/forum/sessions/{session.pk}/agenda/"
    assert (
        portal.post(path, {"agenda-title": "Salud", "agenda-planned_minutes": "20"}).status_code
        == 302
    )
    parent = AgendaItem.objects.get(title="Salud")
    response = portal.post(
        path,
        {
            "agenda-title": "Afiliación al SIS",
            "agenda-planned_minutes": "10",
            "agenda-parent": parent.pk,
        },
    )
    assert response.status_code == 302
    agenda_item_propose(
        actor=ForumActor.for_district(district_a, 1), session=session, title="Ferias de empleo"
    )
    page = _page(portal.get(f"/forum/sessions/{session.pk}/"))
    assert "Planned time: 30 minutes" in page  # the district's proposal waits: not counted
    assert "Afiliación al SIS" in page
    assert "Secretariat" in page
    assert "La Perla" in page
    refused = portal.post(path, {"agenda-title": "", "agenda-planned_minutes": "0"})
    assert refused.status_code == 400
    assert set(refused.context["agenda_form"].errors) == {"title", "planned_minutes"}
    assert AgendaItem.objects.count() == 3


def test_items_are_moved_and_decided(portal: Client, district_a: District) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    first = agenda_item_propose(actor=secretariat_actor(), session=session, title="Uno")
    second = agenda_item_propose(
        actor=ForumActor.for_district(district_a, 1), session=session, title="Dos"
    )
    base = f"/forum/sessions/{session.pk}/agenda/{second.pk}"
    assert portal.post(f"{base}/move/", {"direction": "up"}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.position, first.position) == (0, 1)

    prefix = f"item-{second.pk}"
    leap = portal.post(f"{base}/decide/", {f"{prefix}-status": "discussed"})
    assert leap.status_code == 400
    form = next(row.form for row in leap.context["agenda"] if row.obj.pk == second.pk)
    assert form.errors["status"]
    accepted = portal.post(
        f"{base}/decide/", {f"{prefix}-status": "accepted", f"{prefix}-note": "Prioridad alta"}
    )
    assert accepted.status_code == 302
    second.refresh_from_db()
    assert (second.status, second.decision_note) == ("accepted", "Prioridad alta")
    other = session_make()
    assert portal.post(f"/forum/sessions/{other.pk}/agenda/{second.pk}/move/").status_code == 404


# ---------------------------------------------------------------------------- participants
def test_participants_are_added_and_their_attendance_marked(
    portal: Client, district_a: District
) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    path = f"/forum/sessions/{session.pk}/participant/"
    assert (
        portal.post(
            path, {"participant-kind": "mayor", "participant-district": district_a.pk}
        ).status_code
        == 302
    )
    assert (
        portal.post(
            path, {"participant-kind": "partner", "participant-organisation": "OIM"}
        ).status_code
        == 302
    )
    refused = portal.post(path, {"participant-kind": "delegate"})
    assert refused.status_code == 400
    assert refused.context["participant_form"].errors["district"]
    assert session.participants.count() == 2

    mayor = session.participants.get(kind=SessionParticipant.Kind.MAYOR)
    marked = portal.post(
        f"/forum/sessions/{session.pk}/participants/{mayor.pk}/attendance/",
        {f"participant-{mayor.pk}-attended": "yes"},
    )
    assert marked.status_code == 302
    mayor.refresh_from_db()
    assert mayor.attended is True
    page = _page(portal.get(f"/forum/sessions/{session.pk}/"))
    assert "OIM" in page
    assert "GTRM partner" in page


# ---------------------------------------------------------------------------- minutes
def test_minutes_are_versioned_and_each_version_can_be_read(portal: Client) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    path = f"/forum/sessions/{session.pk}/publish/"
    assert portal.post(path, {"publish-body": "Primera versión del acta."}).status_code == 302
    second = portal.post(
        path,
        {"publish-body": "Acta corregida.", "publish-change_note": "Se corrigió la asistencia"},
    )
    assert second.status_code == 302
    refused = portal.post(path, {"publish-body": "Llamar al 987 654 321"})
    assert refused.status_code == 400
    assert refused.context["minutes_form"].errors["body"]
    assert MinutesVersion.objects.filter(session=session).count() == 2

    detail = _page(portal.get(f"/forum/sessions/{session.pk}/"))
    assert "Version 1" in detail
    assert "Version 2" in detail
    latest = _page(portal.get(f"/forum/sessions/{session.pk}/minutes/"))
    assert "Acta corregida." in latest
    assert "earlier version" not in latest
    earlier = _page(portal.get(f"/forum/sessions/{session.pk}/minutes/1/"))
    assert "Primera versión del acta." in earlier
    assert "This is an earlier version" in earlier
    assert portal.get(f"/forum/sessions/{session.pk}/minutes/9/").status_code == 404


def test_approved_minutes_offer_no_form(portal: Client) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    minutes_publish(actor=secretariat_actor(), session=session, body="Acta.")
    ForumSession.objects.filter(pk=session.pk).update(status="minutes_approved")
    page = _page(portal.get(f"/forum/sessions/{session.pk}/"))
    assert "can no longer change" in page
    assert f"/forum/sessions/{session.pk}/publish/" not in page
    refused = portal.post(
        f"/forum/sessions/{session.pk}/publish/", {"publish-body": "Otra"}, follow=True
    )
    assert refused.redirect_chain == [(f"/forum/sessions/{session.pk}/", 302)]
    assert str(MINUTES_APPROVED_MESSAGE) in _page(refused)
    assert MinutesVersion.objects.filter(session=session).count() == 1


# ---------------------------------------------------------------------------- agreements
def _agreement_post(district: District, **values: str) -> dict[str, object]:
    data: dict[str, object] = {
        "agreement-text": "Campaña conjunta contra la xenofobia en colegios.",
        "agreement-responsible_districts": [district.pk],
        "agreement-responsible_partners": "ACNUR, OIM , ",
        "agreement-deadline": "30/06/2027",
        "agreement-indicator": "people_served",
        "agreement-target": "300",
        "agreement-baseline_from": "01/01/2026",
        "agreement-baseline_to": "31/03/2026",
    }
    data.update({f"agreement-{key}": value for key, value in values.items()})
    return data


def test_the_secretariat_records_an_agreement_with_an_indicator(
    portal: Client, district_a: District
) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    path = f"/forum/sessions/{session.pk}/agreement/"
    assert portal.post(path, _agreement_post(district_a)).status_code == 302
    agreement = Agreement.objects.get()
    assert list(agreement.responsible_districts.all()) == [district_a]
    assert agreement.responsible_partners == ["ACNUR", "OIM"]
    assert (agreement.deadline, agreement.indicator, agreement.target) == (
        date(2027, 6, 30),
        "people_served",
        300,
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"text": "Visitar al vecino con DNI 40123456"}, "text"),
        ({"target": ""}, "target"),
        ({"baseline_to": "01/12/2025"}, "baseline_to"),
        ({"deadline": "mañana"}, "deadline"),
    ],
)
def test_a_refused_agreement_shows_why_next_to_the_field(
    portal: Client, district_a: District, values: dict[str, str], field: str
) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    response = portal.post(
        f"/forum/sessions/{session.pk}/agreement/", _agreement_post(district_a, **values)
    )
    assert response.status_code == 400
    assert response.context["agreement_form"].errors[field]
    assert not Agreement.objects.exists()


def test_an_agreement_needs_someone_responsible(portal: Client, district_a: District) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    data = _agreement_post(district_a, responsible_partners="")
    del data["agreement-responsible_districts"]
    response = portal.post(f"/forum/sessions/{session.pk}/agreement/", data)
    assert response.status_code == 400
    assert response.context["agreement_form"].errors["responsible_districts"]


# ---------------------------------------------------------------------------- board
def test_the_board_filters_by_status_and_highlights_overdue_agreements(
    portal: Client, district_a: District, district_b: District
) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    today = timezone.localdate()
    late = agreement_make(
        session, [district_a], text="Acuerdo vencido", deadline=today - timedelta(days=3)
    )
    agreement_make(
        session, [district_b], text="Acuerdo a tiempo", deadline=today + timedelta(days=30)
    )
    agreement_progress_post(
        actor=ForumActor.for_district(district_a, 1),
        agreement=late,
        note="Se coordinó con la UGEL.",
        status="in_progress",
    )
    overdue = _page(portal.get("/forum/agreements/?status=overdue"))
    assert "Acuerdo vencido" in overdue
    assert "Acuerdo a tiempo" not in overdue
    assert "forum-agreement--overdue" in overdue
    assert "Se coordinó con la UGEL." in overdue
    pending = _page(portal.get("/forum/agreements/?status=pending"))
    assert "Acuerdo a tiempo" in pending
    assert "Acuerdo vencido" not in pending
    everything = _page(portal.get("/forum/agreements/?status=nonsense"))
    assert "Acuerdo vencido" in everything
    assert "Acuerdo a tiempo" in everything


def test_the_board_shows_target_against_actual_and_held_back_counts(
    portal: Client, district_a: District, district_b: District
) -> None:
    session = session_make(status=ForumSession.Status.HELD, held_on=date(2026, 4, 20))
    agreement_make(
        session,
        [district_a, district_b],
        text="Atender a más personas",
        indicator="attentions",
        target=200,
        baseline_from=date(2026, 1, 1),
        baseline_to=date(2026, 3, 31),
        deadline=date(2026, 6, 30),
    )
    month_count(district_a, "attentions", date(2026, 2, 1), 40)
    month_count(district_a, "attentions", date(2026, 4, 1), 60)
    month_count(district_a, "attentions", date(2026, 5, 1), 40)
    month_count(district_b, "attentions", date(2026, 5, 1), 3)  # a small count: held back
    page = _page(portal.get("/forum/agreements/"))
    assert "Target against actual" in page
    assert "<dd>40</dd>" in page  # baseline
    assert "<dd>100</dd>" in page  # actual: shown counts only
    assert "<dd>200</dd>" in page  # target
    assert 'value="50"' in page  # the progress bar
    assert "were held back" in page


def test_the_board_costs_the_same_queries_for_more_agreements(
    portal: Client, district_a: District, district_b: District
) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    values = {
        "indicator": "people_served",
        "target": 10,
        "baseline_from": date(2026, 1, 1),
        "baseline_to": date(2026, 2, 28),
    }
    agreement_make(session, [district_a], **values)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert portal.get("/forum/agreements/").status_code == 200
        return len(context.captured_queries)

    few = queries()
    for _ in range(3):
        agreement = agreement_make(session, [district_a, district_b], **values)
        agreement_progress_post(
            actor=ForumActor.for_district(district_b, 1),
            agreement=agreement,
            note="Avance",
            status="in_progress",
        )
    assert queries() == few


def test_the_secretariat_corrects_an_agreement_status(portal: Client, district_a: District) -> None:
    agreement = agreement_make(session_make(status=ForumSession.Status.HELD), [district_a])
    prefix = f"agreement-{agreement.pk}"
    path = f"/forum/agreements/{agreement.pk}/status/"
    refused = portal.post(path, {f"{prefix}-status": "overdue"})
    assert refused.status_code == 400
    agreement.refresh_from_db()
    assert agreement.status == "pending"
    response = portal.post(path, {f"{prefix}-status": "done", "shown_status": "pending"})
    assert response.status_code == 302
    assert response["Location"] == f"/forum/agreements/?status=pending#{prefix}"
    agreement.refresh_from_db()
    assert agreement.status == "done"
    assert portal.post("/forum/agreements/999999/status/", {}).status_code == 404


def test_the_minutes_page_lists_participants_agenda_and_agreements(
    portal: Client, district_a: District
) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    agenda_item_propose(actor=secretariat_actor(), session=session, title="Balance del año")
    session_participant_add(
        actor=secretariat_actor(), session=session, kind="mayor", district=district_a
    )
    ForumSession.objects.filter(pk=session.pk).update(status="held")
    minutes_publish(actor=secretariat_actor(), session=session, body="Se aprobó el balance.")
    agreement_make(session, [district_a], text="Publicar el balance en la web.")
    page = _page(portal.get(f"/forum/sessions/{session.pk}/minutes/"))
    for text in ("Balance del año", "La Perla", "Se aprobó el balance.", "Publicar el balance"):
        assert text in page
    assert "forum-minutes" in page


# ---------------------------------------------------------------------------- approved minutes
def _approved(district: District) -> tuple[ForumSession, AgendaItem, SessionParticipant]:
    session = session_make(status=ForumSession.Status.CONVENED)
    item = agenda_item_propose(actor=secretariat_actor(), session=session, title="Balance")
    participant = session_participant_add(
        actor=secretariat_actor(), session=session, kind="mayor", district=district
    )
    agreement_make(session, [district], text="Acuerdo de la sesión aprobada")
    ForumSession.objects.filter(pk=session.pk).update(
        status="held", held_on=timezone.localdate() - timedelta(days=20)
    )
    minutes_publish(actor=secretariat_actor(), session=session, body="Acta.")
    ForumSession.objects.filter(pk=session.pk).update(status="minutes_approved")
    session.refresh_from_db()
    return session, item, participant


def test_an_approved_session_page_offers_no_form(portal: Client, district_a: District) -> None:
    session, item, participant = _approved(district_a)
    page = _page(portal.get(f"/forum/sessions/{session.pk}/"))
    assert "it is a record now" in page
    for action in ("update", "agenda", "participant", "publish", "agreement"):
        assert f"/forum/sessions/{session.pk}/{action}/" not in page, action
    assert f"/agenda/{item.pk}/move/" not in page
    assert f"/agenda/{item.pk}/decide/" not in page
    assert f"/participants/{participant.pk}/attendance/" not in page
    assert "Acuerdo de la sesión aprobada" in page


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("update/", {"update-held_on": "2026-01-10", "update-place": "X", "update-status": "held"}),
        ("agenda/", {"agenda-title": "Nuevo", "agenda-planned_minutes": "10"}),
        ("participant/", {"participant-kind": "secretariat"}),
        ("agreement/", {"agreement-text": "Nuevo", "agreement-responsible_partners": "OIM"}),
        ("agenda/{item}/move/", {"direction": "down"}),
        ("agenda/{item}/decide/", {"item-{item}-status": "deferred"}),
        ("participants/{participant}/attendance/", {"participant-{participant}-attended": "no"}),
    ],
)
def test_changes_to_an_approved_session_are_refused_with_a_message(
    portal: Client, district_a: District, path: str, data: dict[str, str]
) -> None:
    session, item, participant = _approved(district_a)
    ids = {"item": item.pk, "participant": participant.pk}
    data = {key.format(**ids): value for key, value in data.items()}
    before = ForumActivity.objects.count()
    response = portal.post(f"/forum/sessions/{session.pk}/{path.format(**ids)}", data, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert response.redirect_chain[0][0].startswith(f"/forum/sessions/{session.pk}/")
    assert str(MINUTES_APPROVED_MESSAGE) in _page(response)
    assert ForumActivity.objects.count() == before


# ---------------------------------------------------------------------------- dates and status
def test_minutes_are_offered_once_the_session_is_held(portal: Client) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    page = _page(portal.get(f"/forum/sessions/{session.pk}/"))
    assert f"/forum/sessions/{session.pk}/publish/" not in page
    assert "Minutes are published once the session is held" in page
    refused = portal.post(f"/forum/sessions/{session.pk}/publish/", {"publish-body": "Acta"})
    assert refused.status_code == 400
    assert refused.context["minutes_form"].non_field_errors()
    assert "once the session is held" in _page(refused)  # shown next to the form
    assert not MinutesVersion.objects.exists()


def test_a_future_session_cannot_be_marked_held_on_the_page(portal: Client) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    response = portal.post(
        f"/forum/sessions/{session.pk}/update/",
        {
            "update-held_on": f"{session.held_on:%Y-%m-%d}",
            "update-place": session.place,
            "update-status": "held",
        },
    )
    assert response.status_code == 400
    assert response.context["update_form"].errors["status"] == [str(HELD_IN_THE_FUTURE_MESSAGE)]
    far = portal.post(
        f"/forum/sessions/{session.pk}/update/",
        {"update-held_on": "2099-01-01", "update-place": "X", "update-status": "convened"},
    )
    assert far.status_code == 400
    assert far.context["update_form"].errors["held_on"]


# ---------------------------------------------------------------------------- agenda decisions
def _decide_options(page: str, item: AgendaItem) -> list[str]:
    import re

    select = re.search(rf'<select name="item-{item.pk}-status".*?</select>', page, re.S)
    assert select, page
    return re.findall(r'<option value="([^"]*)"', select.group(0))


def test_the_decision_form_offers_only_what_is_open(portal: Client, district_a: District) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    proposal = agenda_item_propose(
        actor=ForumActor.for_district(district_a, 1), session=session, title="Ferias"
    )
    accepted = agenda_item_propose(actor=secretariat_actor(), session=session, title="Salud")
    page = _page(portal.get(f"/forum/sessions/{session.pk}/"))
    assert _decide_options(page, proposal) == ["", "accepted", "deferred"]
    assert _decide_options(page, accepted) == ["", "deferred"]  # not discussed before it is held
    ForumSession.objects.filter(pk=session.pk).update(status="held", held_on=timezone.localdate())
    page = _page(portal.get(f"/forum/sessions/{session.pk}/"))
    assert _decide_options(page, accepted) == ["", "discussed", "deferred"]
    nothing = portal.post(
        f"/forum/sessions/{session.pk}/agenda/{accepted.pk}/decide/",
        {f"item-{accepted.pk}-status": "", f"item-{accepted.pk}-current": "accepted"},
    )
    assert nothing.status_code == 400  # no default decision: choosing one is required
    accepted.refresh_from_db()
    assert accepted.status == AgendaItem.Status.ACCEPTED


def test_a_second_person_deciding_on_a_decided_item_gets_a_message(
    portal: Client, district_a: District
) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    item = agenda_item_propose(
        actor=ForumActor.for_district(district_a, 1), session=session, title="Ferias"
    )
    path = f"/forum/sessions/{session.pk}/agenda/{item.pk}/decide/"
    seen = {f"item-{item.pk}-current": "proposed"}
    first = portal.post(path, {**seen, f"item-{item.pk}-status": "deferred"})
    assert first.status_code == 302
    # The second person's page still showed the item as proposed; they accept it.
    second = portal.post(path, {**seen, f"item-{item.pk}-status": "accepted"}, follow=True)
    assert second.redirect_chain == [(f"/forum/sessions/{session.pk}/#item-{item.pk}", 302)]
    assert "Someone else decided on this item in the meantime" in _page(second)
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.DEFERRED


def test_a_decision_on_an_item_with_no_decision_left_is_a_message(portal: Client) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    ForumSession.objects.filter(pk=session.pk).update(status="convened")
    item = agenda_item_propose(actor=secretariat_actor(), session=session, title="Salud")
    ForumSession.objects.filter(pk=session.pk).update(status="held")
    AgendaItem.objects.filter(pk=item.pk).update(status="discussed")
    response = portal.post(
        f"/forum/sessions/{session.pk}/agenda/{item.pk}/decide/",
        {f"item-{item.pk}-status": "deferred"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/forum/sessions/{session.pk}/#item-{item.pk}", 302)]
    assert "This decision is not open for an item that is “Discussed”" in _page(response)


def test_back_or_reload_on_an_action_url_goes_back_to_the_page(
    portal: Client, district_a: District
) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    ForumSession.objects.filter(pk=session.pk).update(status="convened")
    item = agenda_item_propose(actor=secretariat_actor(), session=session, title="Salud")
    participant = session_participant_add(
        actor=secretariat_actor(), session=session, kind="secretariat"
    )
    agreement = agreement_make(session, [district_a])
    base = f"/forum/sessions/{session.pk}/"
    expected = {
        f"{base}publish/": f"{base}#minutes",
        f"{base}update/": f"{base}#details",
        f"{base}agreement/": f"{base}#agreements",
        f"{base}agenda/{item.pk}/decide/": f"{base}#item-{item.pk}",
        f"{base}participants/{participant.pk}/attendance/": f"{base}#participants",
        f"/forum/agreements/{agreement.pk}/status/": f"/forum/agreements/#agreement-{agreement.pk}",
    }
    for path, target in expected.items():
        response = portal.get(path)
        assert (response.status_code, response["Location"]) == (302, target), path


# ---------------------------------------------------------------------------- errors at once
def test_a_bad_title_and_a_bad_duration_are_shown_together(portal: Client) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    response = portal.post(
        f"/forum/sessions/{session.pk}/agenda/",
        {"agenda-title": "Caso del Sr. 45.871.236", "agenda-planned_minutes": "0"},
    )
    assert response.status_code == 400
    assert set(response.context["agenda_form"].errors) == {"title", "planned_minutes"}


def test_an_agreement_deadline_before_the_session_and_a_long_partner_are_explained(
    portal: Client, district_a: District
) -> None:
    session = session_make(status=ForumSession.Status.HELD, held_on=date(2026, 4, 20))
    response = portal.post(
        f"/forum/sessions/{session.pk}/agreement/",
        _agreement_post(
            district_a,
            deadline="19/04/2026",
            responsible_partners=f"OIM, {'Organización ' + 'x' * 120}",
            baseline_from="01/01/2026",
            baseline_to="31/03/2026",
        ),
    )
    assert response.status_code == 400
    errors = response.context["agreement_form"].errors
    assert "120 characters at most" in errors["responsible_partners"][0]
    assert not Agreement.objects.exists()
    deadline = portal.post(
        f"/forum/sessions/{session.pk}/agreement/",
        _agreement_post(district_a, deadline="19/04/2026"),
    )
    assert deadline.context["agreement_form"].errors["deadline"] == [
        "The deadline cannot be before the session's date (20/04/2026)."
    ]


# ---------------------------------------------------------------------------- figures
def test_figures_name_the_indicator_and_label_monthly_averages(
    portal: Client, district_a: District
) -> None:
    session = session_make(status=ForumSession.Status.HELD, held_on=date(2026, 4, 20))
    agreement_make(
        session,
        [district_a],
        text="Atender a más personas",
        indicator="people_served",
        target=120,
        baseline_from=date(2026, 1, 1),
        baseline_to=date(2026, 3, 31),
        deadline=date(2026, 6, 30),
    )
    month_count(district_a, "people_served", date(2026, 2, 1), 90)
    month_count(district_a, "people_served", date(2026, 5, 1), 60)
    page = _page(portal.get("/forum/agreements/"))
    assert "Indicator: People served." in page
    assert "Baseline period: 01/01/2026 to 31/03/2026." in page
    for label in ("Baseline per month", "Actual per month", "Target per month"):
        assert f"<dt>{label}</dt>" in page
    assert "<dd>60</dd>" in page
    assert 'value="50"' in page


def test_figures_of_a_session_still_to_come_say_not_started(
    portal: Client, district_a: District
) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    agreement_make(
        session,
        [district_a],
        indicator="attentions",
        target=200,
        baseline_from=last_month.replace(day=1),
        baseline_to=last_month,
    )
    page = _page(portal.get("/forum/agreements/"))
    assert "Not started yet" in page
    assert "<dt>Target</dt><dd>200</dd>" in page
    assert "% of the target" not in page
    assert "<progress" not in page
