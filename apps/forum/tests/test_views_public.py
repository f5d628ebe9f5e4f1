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
    ForumSession,
    MinutesVersion,
    SessionParticipant,
)
from apps.forum.services import (
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
    assert portal.get(f"/forum/sessions/{session.pk}/update/").status_code == 405


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
    assert "Planned time: 45 minutes" in page
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
    refused = portal.post(f"/forum/sessions/{session.pk}/publish/", {"publish-body": "Otra"})
    assert refused.status_code == 400
    assert refused.context["minutes_form"].non_field_errors()


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
