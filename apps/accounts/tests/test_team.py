from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from conftest import TEST_PASSWORD, login_as, role_email
from tenants.models import District

pytestmark = pytest.mark.django_db


def _user(district: District, email: str):  # type: ignore[no-untyped-def]
    with schema_context(district.schema_name):
        return get_user_model().objects.prefetch_related("groups").get(username=email)


def test_the_coordinator_invites_a_caseworker(
    district_a: District, client_a: Client, django_capture_on_commit_callbacks
) -> None:
    login_as(client_a, district_a, "coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            "/team/invite/", {"email": "Nueva@Example.org", "role": "caseworker"}
        )
    assert response.status_code == 302
    invited = _user(district_a, "nueva@example.org")
    assert [g.name for g in invited.groups.all()] == ["caseworker"]
    assert "http://la-perla.localhost/accounts/invitation/" in mail.outbox[0].body
    assert "nueva@example.org" in client_a.get("/team/").content.decode()


def test_an_invitation_to_an_existing_account_is_refused_next_to_the_field(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    response = client_a.post(
        "/team/invite/", {"email": role_email(district_a.slug, "viewer"), "role": "viewer"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["email"]


def test_changing_a_role_and_deactivating_an_account(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    viewer = _user(district_a, role_email(district_a.slug, "viewer"))
    assert client_a.post(f"/team/{viewer.pk}/role/", {"role": "caseworker"}).status_code == 302
    assert [g.name for g in _user(district_a, viewer.username).groups.all()] == ["caseworker"]

    session = Client(HTTP_HOST="la-perla.localhost")
    login_as(session, district_a, "viewer")
    client_a.post(f"/team/{viewer.pk}/deactivate/", {"confirmed": "1"})
    assert not _user(district_a, viewer.username).is_active
    assert session.get("/").status_code == 302  # the open session ended
    again = Client(HTTP_HOST="la-perla.localhost").post(
        "/accounts/login/", {"username": viewer.username, "password": TEST_PASSWORD}
    )
    assert again.status_code == 200  # refused
    client_a.post(f"/team/{viewer.pk}/reactivate/")
    assert _user(district_a, viewer.username).is_active


def test_the_coordinator_cannot_deactivate_themselves(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    me = _user(district_a, role_email(district_a.slug, "coordinator"))
    client_a.post(f"/team/{me.pk}/deactivate/", {"confirmed": "1"})
    assert _user(district_a, me.username).is_active


@pytest.mark.parametrize("role", ["caseworker", "viewer"])
def test_other_roles_cannot_manage_the_team(
    district_a: District, client_a: Client, role: str
) -> None:
    login_as(client_a, district_a, role)
    assert client_a.get("/team/").status_code == 403
    assert (
        client_a.post(
            "/team/invite/", {"email": "x@example.org", "role": "coordinator"}
        ).status_code
        == 403
    )


def test_the_invitation_form_offers_caseworker_not_coordinator_by_default(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    html = client_a.get("/team/").content.decode()
    invite_form = html.split('action="/team/invite/"', 1)[1].split("</form>", 1)[0]
    assert '<option value="caseworker" selected>' in invite_form
    assert '<option value="coordinator" selected>' not in invite_form
