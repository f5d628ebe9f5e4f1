"""Accounts belong to one schema: a district's accounts work only on its own host."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.roles import DistrictRole
from apps.accounts.services import user_invite
from conftest import TEST_PASSWORD, client_for, log_in, role_email
from tenants.models import District

pytestmark = pytest.mark.django_db


def _login(client: Client, email: str, password: str = TEST_PASSWORD) -> int:
    return client.post("/accounts/login/", {"username": email, "password": password}).status_code


def test_district_account_logs_in_on_its_own_host(district_a: District, client_a: Client) -> None:
    assert _login(client_a, role_email(district_a.slug, "caseworker")) == 302
    home = client_a.get("/")
    assert home.status_code == 200
    assert "La Perla" in home.content.decode()


def test_login_is_case_insensitive_on_the_email(district_a: District, client_a: Client) -> None:
    assert _login(client_a, role_email(district_a.slug, "viewer").upper()) == 302


def test_workspace_home_needs_login(client_a: Client) -> None:
    response = client_a.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_district_account_is_refused_on_another_district(
    district_a: District, client_b: Client
) -> None:
    response = client_b.post(
        "/accounts/login/",
        {"username": role_email(district_a.slug, "coordinator"), "password": TEST_PASSWORD},
    )
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client_b.session
    assert response.context["form"].errors


def test_district_account_is_refused_on_the_public_host(
    district_a: District, public_client: Client
) -> None:
    assert _login(public_client, role_email(district_a.slug, "coordinator")) == 200


def test_platform_account_is_refused_on_a_district_host(
    client_a: Client, public_client: Client
) -> None:
    assert _login(client_a, "admin@platform.test") == 200
    assert _login(public_client, "admin@platform.test") == 302


def test_session_of_one_district_is_not_valid_on_another(
    district_a: District, district_b: District
) -> None:
    client = client_for(district_a)
    log_in(client, role_email(district_a.slug, "coordinator"))
    assert client.get("/").status_code == 200
    # The same cookie jar sent to district B's host: B's schema knows no such session.
    client.defaults["HTTP_HOST"] = "bellavista.localhost"
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_wrong_password_shows_a_message_next_to_the_form(
    district_a: District, client_a: Client
) -> None:
    response = client_a.post(
        "/accounts/login/",
        {"username": role_email(district_a.slug, "coordinator"), "password": "wrong"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def _invite(district: District, email: str = "nuevo@example.org") -> str:
    with schema_context(district.schema_name):
        invitation = user_invite(
            email=email,
            role=DistrictRole.CASEWORKER,
            base_url="http://la-perla.localhost",
            workspace_name=district.name,
        )
    return invitation.url.removeprefix("http://la-perla.localhost")


def test_invitation_sets_a_password_once_and_logs_in(
    district_a: District, client_a: Client
) -> None:
    path = _invite(district_a)
    assert client_a.get(path).status_code == 200
    response = client_a.post(
        path, {"new_password1": "otra-clave-muy-larga", "new_password2": "otra-clave-muy-larga"}
    )
    assert response.status_code == 302
    assert client_a.get("/").status_code == 200
    # One-time: the same link no longer works.
    assert Client(HTTP_HOST="la-perla.localhost").get(path).status_code == 410
    assert (
        _login(Client(HTTP_HOST="la-perla.localhost"), "nuevo@example.org", "otra-clave-muy-larga")
        == 302
    )


def test_invitation_refuses_a_short_password_next_to_the_field(
    district_a: District, client_a: Client
) -> None:
    path = _invite(district_a)
    response = client_a.post(path, {"new_password1": "corta", "new_password2": "corta"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    with schema_context(district_a.schema_name):
        assert not get_user_model().objects.get(username="nuevo@example.org").has_usable_password()


def test_invitation_link_expires(district_a: District, client_a: Client, settings) -> None:
    path = _invite(district_a)
    later = timezone.now() + timedelta(seconds=settings.INVITATION_TIMEOUT + 60)
    with mock.patch(
        "apps.accounts.tokens.InvitationTokenGenerator._now",
        return_value=later.replace(tzinfo=None),
    ):
        assert client_a.get(path).status_code == 410


def test_invitation_link_of_one_district_does_not_work_on_another(
    district_a: District, client_b: Client
) -> None:
    path = _invite(district_a)
    assert client_b.get(path).status_code == 410


def test_tampered_invitation_link_is_refused(district_a: District, client_a: Client) -> None:
    path = _invite(district_a)
    assert client_a.get(path[:-3] + "abc/").status_code == 410
    assert client_a.get("/accounts/invitation/!!/x-y/").status_code == 410


def test_inviting_an_active_account_is_refused(district_a: District) -> None:
    from django.core.exceptions import ValidationError

    with schema_context(district_a.schema_name), pytest.raises(ValidationError) as refused:
        user_invite(
            email=role_email(district_a.slug, "viewer"),
            role=DistrictRole.VIEWER,
            base_url="http://x",
            workspace_name="La Perla",
        )
    assert "email" in refused.value.message_dict


def test_password_reset_mails_a_link_to_the_district_host(
    district_a: District, client_a: Client
) -> None:
    response = client_a.post(
        "/accounts/password/reset/", {"email": role_email(district_a.slug, "viewer")}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+", mail.outbox[0].body)
    assert link is not None
    assert link.group(0).startswith("http://la-perla.localhost/accounts/password/reset/")


def test_password_reset_for_an_account_of_another_district_sends_nothing(
    district_a: District, client_b: Client
) -> None:
    client_b.post("/accounts/password/reset/", {"email": role_email(district_a.slug, "viewer")})
    assert mail.outbox == []


def test_language_switch_to_english(client_a: Client) -> None:
    spanish = client_a.get("/accounts/login/").content.decode()
    assert "Iniciar sesión" in spanish
    client_a.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    english = client_a.get("/accounts/login/").content.decode()
    assert "Log in" in english
    assert 'lang="en"' in english


def test_spanish_is_the_default_whatever_the_browser_says(client_a: Client) -> None:
    page = client_a.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Iniciar sesión en La Perla" in page
    assert 'lang="es-PE"' in page


def test_invitation_of_a_deactivated_account_does_not_reactivate_it(
    district_a: District, client_a: Client
) -> None:
    path = _invite(district_a)
    with schema_context(district_a.schema_name):
        get_user_model().objects.filter(username="nuevo@example.org").update(is_active=False)
    response = client_a.post(
        path, {"new_password1": "otra-clave-muy-larga", "new_password2": "otra-clave-muy-larga"}
    )
    assert response.status_code == 410
    with schema_context(district_a.schema_name):
        user = get_user_model().objects.get(username="nuevo@example.org")
        assert not user.is_active
        assert not user.has_usable_password()


def test_a_failed_login_says_what_to_check(district_a: District, client_a: Client) -> None:
    response = client_a.post(
        "/accounts/login/", {"username": "nadie@example.org", "password": "x" * 12}
    )
    assert "correo electrónico o la contraseña" in response.content.decode()
