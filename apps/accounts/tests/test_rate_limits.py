"""Rate limits on the login and password-reset forms: per client address and per e-mail
address typed, per district, answered with a clear 429 page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from conftest import TEST_PASSWORD, in_english, role_email
from tenants.models import District
from tenants.services.onboarding import district_host

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many attempts"


def _client(district: District, address: str = "127.0.0.1") -> Client:
    return in_english(Client(HTTP_HOST=district_host(district.slug), REMOTE_ADDR=address))


def _login(client: Client, email: str, password: str = TEST_PASSWORD) -> Any:
    return client.post("/accounts/login/", {"username": email, "password": password})


def _assert_too_many(response: Any) -> None:
    assert response.status_code == 429
    page = response.content.decode()
    assert TOO_MANY in page
    assert "please wait" in page
    assert int(response["Retry-After"]) > 0


def test_login_posts_are_limited_per_address(
    district_a: District, district_b: District, settings: Any
) -> None:
    settings.LOGIN_RATE_PER_ADDRESS = "3/h"
    client = _client(district_a)
    viewer = role_email(district_a.slug, "viewer")
    for number in range(3):
        assert _login(client, f"persona{number}@example.org").status_code == 200
    refused = _login(client, viewer)
    _assert_too_many(refused)
    assert "_auth_user_id" not in client.session  # refused before the password is checked
    # Another address, and the same address in another district, are not limited.
    assert _login(_client(district_a, "203.0.113.40"), viewer).status_code == 302
    assert _login(_client(district_b), role_email(district_b.slug, "viewer")).status_code == 302


def test_login_posts_are_limited_per_account(district_a: District, settings: Any) -> None:
    settings.LOGIN_RATE_PER_ACCOUNT = "2/h"
    viewer = role_email(district_a.slug, "viewer")
    for number in range(2):
        assert _login(_client(district_a, f"198.51.100.{number + 1}"), viewer).status_code == 302
    # The same e-mail address, whatever its case, from a third address.
    _assert_too_many(_login(_client(district_a, "198.51.100.3"), viewer.upper()))
    caseworker = role_email(district_a.slug, "caseworker")
    assert _login(_client(district_a, "198.51.100.3"), caseworker).status_code == 302


def test_password_reset_is_limited_per_email_and_per_address(
    district_a: District, settings: Any
) -> None:
    settings.PASSWORD_RESET_RATE_PER_ACCOUNT = "2/h"
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "4/h"
    viewer = role_email(district_a.slug, "viewer")
    for number in range(2):
        client = _client(district_a, f"198.51.100.{10 + number}")
        response = client.post("/accounts/password/reset/", {"email": viewer})
        assert response.status_code == 302
    assert len(mail.outbox) == 2
    third = _client(district_a, "198.51.100.12").post(
        "/accounts/password/reset/", {"email": viewer}
    )
    _assert_too_many(third)
    assert len(mail.outbox) == 2  # no third e-mail
    # Per address: four resets of different accounts, then the fifth is refused.
    client = _client(district_a, "198.51.100.20")
    for role in ("caseworker", "coordinator", "complaints_officer", "inclusion_officer"):
        email = role_email(district_a.slug, role)
        assert client.post("/accounts/password/reset/", {"email": email}).status_code == 302
    _assert_too_many(client.post("/accounts/password/reset/", {"email": "otra@example.org"}))
    assert len(mail.outbox) == 6


def test_the_forms_themselves_are_not_limited(district_a: District, settings: Any) -> None:
    settings.LOGIN_RATE_PER_ADDRESS = "1/h"
    client = _client(district_a)
    for _visit in range(3):
        assert client.get("/accounts/login/").status_code == 200
    assert _login(client, role_email(district_a.slug, "viewer")).status_code == 302
