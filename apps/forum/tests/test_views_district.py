"""The forum in a district's workspace: every staff member reads it, coordinators act on it
for their own district only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from apps.forum.models import AgendaItem, Agreement, AgreementProgress, ForumActivity, ForumSession
from apps.forum.services import (
    ForumActor,
    agenda_item_decide,
    agenda_item_propose,
    minutes_publish,
)
from apps.forum.tests.factories import agreement_make, month_count, secretariat_actor, session_make
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_go_to_the_login_page(client_a: Client) -> None:
    for path in ("/forum/", "/forum/propose/", "/forum/agreements/1/progress/"):
        response = client_a.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_staff_see_the_calendar_and_only_their_district_agreements(
    district_a: District, district_b: District, client_a: Client
) -> None:
    session_make(status=ForumSession.Status.CONVENED, place="Casa de la Juventud de Ventanilla")
    session_make(place="Borrador sin convocar")
    session_make(status=ForumSession.Status.HELD, held_on=timezone.localdate() - timedelta(days=9))
    held = ForumSession.objects.get(status=ForumSession.Status.HELD)
    agreement_make(held, [district_a], text="Acuerdo de La Perla")
    agreement_make(held, [district_b], text="Acuerdo de Bellavista")
    login_as(client_a, district_a, "viewer")
    page = _page(client_a, "/forum/")
    assert "Casa de la Juventud de Ventanilla" in page
    assert "Borrador sin convocar" not in page  # drafts stay with the secretariat
    assert "Acuerdo de La Perla" in page
    assert "Acuerdo de Bellavista" not in page
    assert "/forum/propose/" not in page  # a viewer does not act for the district
    assert "/progress/" not in page
    assert 'href="/forum/" aria-current="page"' in page


def test_the_home_page_says_what_happens_when_there_is_nothing_yet(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "caseworker")
    page = _page(client_a, "/forum/")
    assert "No session is convened yet" in page
    assert "No agreement of the forum names this district" in page


def test_agreements_show_target_against_actual(district_a: District, client_a: Client) -> None:
    session = session_make(status=ForumSession.Status.HELD, held_on=date(2026, 2, 10))
    agreement_make(
        session,
        [district_a],
        indicator="people_served",
        target=80,
        baseline_from=date(2025, 11, 1),
        baseline_to=date(2026, 1, 31),
        deadline=date(2026, 3, 31),
    )
    month_count(district_a, "people_served", date(2025, 12, 1), 25)
    month_count(district_a, "people_served", date(2026, 3, 1), 20)
    login_as(client_a, district_a, "viewer")
    page = _page(client_a, "/forum/")
    assert "<dd>25</dd>" in page
    assert "<dd>20</dd>" in page
    assert "<dd>80</dd>" in page
    assert 'value="25"' in page  # 20 of 80


# ---------------------------------------------------------------------------- proposals
def test_a_coordinator_proposes_an_item_in_the_name_of_the_district(
    district_a: District, client_a: Client
) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    login_as(client_a, district_a, "coordinator")
    assert f"/forum/propose/?session={session.pk}" in _page(client_a, "/forum/")
    form_page = _page(client_a, f"/forum/propose/?session={session.pk}")
    assert f'<option value="{session.pk}" selected>' in form_page
    response = client_a.post(
        "/forum/propose/",
        {"session": session.pk, "title": "Ferias de empleo para migrantes", "planned_minutes": 20},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.session, item.proposed_by, item.status, item.planned_minutes) == (
        session,
        district_a,
        AgendaItem.Status.PROPOSED,
        20,
    )
    activity = ForumActivity.objects.get(action="agenda_item_propose")
    assert (activity.district, activity.public_account) == (district_a, None)
    assert activity.district_account_id is not None


def test_proposals_go_only_to_convened_sessions(district_a: District, client_a: Client) -> None:
    draft = session_make()
    held = session_make(status=ForumSession.Status.HELD)
    login_as(client_a, district_a, "coordinator")
    assert "No session takes proposals right now" in _page(client_a, "/forum/propose/")
    for session in (draft, held):
        response = client_a.post(
            "/forum/propose/", {"session": session.pk, "title": "Tema", "planned_minutes": 15}
        )
        assert response.status_code == 400
        assert response.context["form"].errors["session"]
    assert not AgendaItem.objects.exists()


def test_a_proposal_with_personal_data_is_refused_next_to_the_field(
    district_a: District, client_a: Client
) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    login_as(client_a, district_a, "coordinator")
    response = client_a.post(
        "/forum/propose/",
        {
            "session": session.pk,
            "title": "Caso de vivienda",
            "description": "La señora con DNI 45781236 necesita albergue",
            "planned_minutes": 10,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["description"]
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("role", ["caseworker", "viewer", "complaints_officer"])
def test_other_roles_cannot_propose(district_a: District, client_a: Client, role: str) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    login_as(client_a, district_a, role)
    assert client_a.get("/forum/propose/").status_code == 403
    response = client_a.post(
        "/forum/propose/", {"session": session.pk, "title": "Tema", "planned_minutes": 15}
    )
    assert response.status_code == 403
    assert not AgendaItem.objects.exists()


# ---------------------------------------------------------------------------- progress
def _progress(client: Client, agreement: Agreement, note: str, status: str = "in_progress") -> int:
    return client.post(
        f"/forum/agreements/{agreement.pk}/progress/", {"status": status, "note": note}
    ).status_code


def test_a_coordinator_posts_progress_on_an_agreement_of_the_district(
    district_a: District, district_b: District, client_a: Client
) -> None:
    agreement = agreement_make(
        session_make(status=ForumSession.Status.HELD), [district_a, district_b]
    )
    login_as(client_a, district_a, "coordinator")
    assert f"/forum/agreements/{agreement.pk}/progress/" in _page(client_a, "/forum/")
    assert "Ampliar el horario" in _page(client_a, f"/forum/agreements/{agreement.pk}/progress/")
    assert _progress(client_a, agreement, "Se abrió la atención los sábados.", "done") == 302
    progress = AgreementProgress.objects.get()
    assert (progress.district, progress.status) == (district_a, "done")
    agreement.refresh_from_db()
    # Bellavista shares the agreement and has not reported: it is not done yet.
    assert agreement.status == Agreement.Status.IN_PROGRESS
    assert "Se abrió la atención los sábados." in _page(client_a, "/forum/")


def test_a_caseworker_cannot_post_progress(district_a: District, client_a: Client) -> None:
    agreement = agreement_make(session_make(status=ForumSession.Status.HELD), [district_a])
    login_as(client_a, district_a, "caseworker")
    assert client_a.get(f"/forum/agreements/{agreement.pk}/progress/").status_code == 403
    assert _progress(client_a, agreement, "Avance") == 403
    assert not AgreementProgress.objects.exists()


def test_another_district_cannot_see_or_post_progress_on_an_agreement_it_is_not_responsible_for(
    district_a: District, client_b: Client, district_b: District
) -> None:
    agreement = agreement_make(session_make(status=ForumSession.Status.HELD), [district_a])
    login_as(client_b, district_b, "coordinator")
    assert client_b.get(f"/forum/agreements/{agreement.pk}/progress/").status_code == 404
    assert _progress(client_b, agreement, "Avance de Bellavista") == 404
    assert not AgreementProgress.objects.exists()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PENDING


@pytest.mark.parametrize(
    "note", ["", "Se atendió a la persona con DNI 70123456", "Contactar a juan@example.com"]
)
def test_bad_progress_is_refused_next_to_the_field(
    district_a: District, client_a: Client, note: str
) -> None:
    agreement = agreement_make(session_make(status=ForumSession.Status.HELD), [district_a])
    login_as(client_a, district_a, "coordinator")
    response = client_a.post(
        f"/forum/agreements/{agreement.pk}/progress/", {"status": "in_progress", "note": note}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["note"]
    assert not AgreementProgress.objects.exists()


# ---------------------------------------------------------------------------- own proposals, past sessions
def test_the_home_page_lists_our_proposals_and_past_sessions(
    district_a: District, district_b: District, client_a: Client
) -> None:
    convened = session_make(status=ForumSession.Status.CONVENED)
    ours = agenda_item_propose(
        actor=ForumActor.for_district(district_a, 1), session=convened, title="Ferias de empleo"
    )
    agenda_item_decide(
        actor=secretariat_actor(), item=ours, status="deferred", note="Para la próxima sesión"
    )
    agenda_item_propose(
        actor=ForumActor.for_district(district_a, 1), session=convened, title="Vacantes escolares"
    )
    agenda_item_propose(
        actor=ForumActor.for_district(district_b, 1), session=convened, title="Tema de Bellavista"
    )
    back_to_draft = session_make(status=ForumSession.Status.CONVENED)
    agenda_item_propose(
        actor=ForumActor.for_district(district_a, 1), session=back_to_draft, title="Tema oculto"
    )
    ForumSession.objects.filter(pk=back_to_draft.pk).update(status="draft")
    held = session_make(status=ForumSession.Status.HELD, place="Casa de la Cultura")
    approved = session_make(status=ForumSession.Status.MINUTES_APPROVED, place="Auditorio")
    draft = session_make(place="Borrador sin convocar")
    login_as(client_a, district_a, "viewer")
    page = _page(client_a, "/forum/")
    assert "Our proposals" in page
    assert "Ferias de empleo" in page
    assert "Para la próxima sesión" in page  # the secretariat's decision note
    assert "Vacantes escolares" in page
    assert "Waiting for the secretariat" in page
    assert "Tema de Bellavista" not in page
    assert "Tema oculto" not in page  # its session went back to draft
    assert "Past sessions" in page
    for session in (held, approved):
        assert f'href="/forum/sessions/{session.pk}/"' in page
    assert f"/forum/sessions/{draft.pk}/" not in page
    assert f"/forum/sessions/{back_to_draft.pk}/" not in page


def test_a_past_session_is_read_only_from_the_district(
    district_a: District, client_a: Client
) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    ForumSession.objects.filter(pk=session.pk).update(
        held_on=timezone.localdate() - timedelta(days=10)
    )
    item = agenda_item_propose(
        actor=ForumActor.for_district(district_a, 1), session=session, title="Ferias de empleo"
    )
    agenda_item_decide(actor=secretariat_actor(), item=item, status="accepted", note="Prioridad")
    ForumSession.objects.filter(pk=session.pk).update(status="held")
    minutes_publish(actor=secretariat_actor(), session=session, body="Primera versión.")
    minutes_publish(actor=secretariat_actor(), session=session, body="Versión corregida.")
    agreement_make(session, [district_a], text="Organizar dos ferias al año.")
    login_as(client_a, district_a, "coordinator")
    page = _page(client_a, f"/forum/sessions/{session.pk}/")
    for text in (
        "Ferias de empleo",
        "Prioridad",
        "Organizar dos ferias al año.",
        "Versión corregida.",
    ):
        assert text in page, text
    assert "Primera versión." not in page  # the latest version only
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "<form" not in main  # read only


def test_districts_never_see_a_draft_session(district_a: District, client_a: Client) -> None:
    draft = session_make(place="Borrador")
    convened = session_make(status=ForumSession.Status.CONVENED)
    login_as(client_a, district_a, "coordinator")
    assert client_a.get(f"/forum/sessions/{draft.pk}/").status_code == 404
    assert client_a.get("/forum/sessions/999999/").status_code == 404
    assert client_a.get(f"/forum/sessions/{convened.pk}/").status_code == 200


def test_anonymous_visitors_cannot_read_a_session(district_a: District, client_a: Client) -> None:
    session = session_make(status=ForumSession.Status.HELD)
    response = client_a.get(f"/forum/sessions/{session.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_calendar_stacks_on_a_phone(district_a: District, client_a: Client) -> None:
    session_make(status=ForumSession.Status.CONVENED)
    login_as(client_a, district_a, "viewer")
    page = _page(client_a, "/forum/")
    assert 'class="table forum-calendar"' in page
    for label in ("Date", "Place", "Host district", "Status"):
        assert f'data-label="{label}"' in page
    css = (settings.BASE_DIR / "frontend" / "static" / "css" / "app.css").read_text()
    forum_block = css.split("/* forum */", 1)[1]
    assert ".forum-calendar td[data-label]::before" in forum_block


def test_a_districts_done_does_not_close_a_shared_agreement(
    district_a: District, district_b: District, client_a: Client, client_b: Client
) -> None:
    agreement = agreement_make(
        session_make(status=ForumSession.Status.HELD), [district_a, district_b]
    )
    login_as(client_a, district_a, "coordinator")
    login_as(client_b, district_b, "coordinator")
    assert _progress(client_a, agreement, "Terminamos nuestra parte.", "done") == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_PROGRESS
    assert _progress(client_b, agreement, "También terminamos.", "done") == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DONE
