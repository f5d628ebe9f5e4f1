"""Two-factor authentication: required for platform admins, the secretariat and district
coordinators, optional for the other roles; recovery codes work once."""

from __future__ import annotations

import io
from binascii import unhexlify
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from apps.accounts.api_tokens import api_token_create
from apps.accounts.roles import DistrictRole
from apps.accounts.services import user_create_with_password, user_invite
from apps.accounts.testing import force_login_past_two_factor
from apps.accounts.two_factor import (
    SESSION_SETUP_KEY,
    recovery_codes_regenerate,
    two_factor_disable,
)
from conftest import (
    TEST_PASSWORD,
    client_for,
    in_english,
    log_in,
    one_time_code,
    role_email,
)
from tenants.models import District

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/two-factor/"
SETUP = "/accounts/two-factor/setup/"
RECOVERY = "/accounts/two-factor/recovery-codes/"


def _password_step(client: Client, email: str) -> Any:
    return client.post("/accounts/login/", {"username": email, "password": TEST_PASSWORD})


def _graphql(client: Client, **extra: Any) -> Any:
    return client.post(
        "/graphql/", {"query": "{ me { username } }"}, content_type="application/json", **extra
    )


def _code_of_setup(client: Client) -> str:
    key = client.session[SESSION_SETUP_KEY]
    return str(TOTP(unhexlify(key)).token()).zfill(6)


def _wrong(code: str) -> str:
    return str((int(code) + 1) % 1_000_000).zfill(6)


@pytest.mark.parametrize(
    ("on_district", "email"),
    [
        (True, "coordinator@la-perla.test"),
        (False, "secretariat@platform.test"),
        (False, "admin@platform.test"),
    ],
)
def test_required_roles_are_held_at_the_code_step_until_they_pass_it(
    district_a: District, on_district: bool, email: str
) -> None:
    client = in_english(client_for(district_a if on_district else None))
    response = _password_step(client, email)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    # Every page leads back to the code step; GraphQL with the session is refused.
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == VERIFY + "?next=%2F"
    refused = _graphql(client)
    assert refused.status_code == 403
    assert "Two-factor authentication is required" in refused.json()["errors"][0]["message"]
    page = client.get(VERIFY)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    # A wrong code: the message next to the field, still held.
    wrong = client.post(VERIFY, {"otp_token": _wrong(one_time_code(client, email))})
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["otp_token"]
    assert client.get("/").status_code == 302
    # Wait out django-otp's delay after a wrong code (one second), then the right code.
    with schema_context("public" if not on_district else district_a.schema_name):
        TOTPDevice.objects.filter(user__username=email).update(throttling_failure_timestamp=None)
    passed = client.post(VERIFY, {"otp_token": one_time_code(client, email), "next": "/"})
    assert passed.status_code == 302
    assert passed["Location"] == "/"
    assert client.get("/").status_code == 200
    assert _graphql(client).json()["data"]["me"]["username"] == email


def test_two_factor_is_optional_for_a_caseworker(district_a: District, client_a: Client) -> None:
    response = _password_step(client_a, role_email(district_a.slug, "caseworker"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client_a.get("/").status_code == 200
    assert _graphql(client_a).status_code == 200
    page = in_english(client_a).get("/accounts/security/")
    assert "Turn on two-factor authentication" in page.content.decode()


def test_a_coordinator_without_an_app_must_set_one_up(district_a: District) -> None:
    email = "nueva.coordinadora@example.org"
    with schema_context(district_a.schema_name):
        user_create_with_password(
            email=email, password=TEST_PASSWORD, role=DistrictRole.COORDINATOR
        )
    client = in_english(client_for(district_a))
    response = _password_step(client, email)
    assert response["Location"].startswith(SETUP)
    assert client.get("/people/")["Location"] == SETUP + "?next=%2Fpeople%2F"
    page = client.get(SETUP)
    html = page.content.decode()
    assert "<svg" in html  # the QR code, drawn inline
    secret = client.session[SESSION_SETUP_KEY]
    assert page.context["secret"].replace(" ", "")  # the key as text, for typing it in
    assert 'autocomplete="one-time-code"' in html
    # A wrong code is refused next to the field and saves nothing.
    wrong = client.post(SETUP, {"otp_token": _wrong(_code_of_setup(client))})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.context["form"].errors["otp_token"][0]
    with schema_context(district_a.schema_name):
        assert not TOTPDevice.objects.filter(user__username=email).exists()
        assert not StaticDevice.objects.filter(user__username=email).exists()
    assert client.get("/").status_code == 302
    # The right code turns it on and shows ten recovery codes, once.
    done = client.post(SETUP, {"otp_token": _code_of_setup(client)})
    assert done.status_code == 302
    assert done["Location"].startswith(RECOVERY)
    codes_page = client.get(done["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert all(code in codes_page.content.decode() for code in codes)
    assert client.get(RECOVERY).status_code == 302  # not shown again
    with schema_context(district_a.schema_name):
        device = TOTPDevice.objects.get(user__username=email)
        assert device.confirmed
        assert device.key == secret
        assert StaticToken.objects.filter(device__user__username=email).count() == 10
    assert client.get("/").status_code == 200


def test_a_recovery_code_works_once(district_a: District) -> None:
    email = role_email(district_a.slug, "coordinator")
    with schema_context(district_a.schema_name):
        user = get_user_model().objects.get(username=email)
        codes = recovery_codes_regenerate(user=user)
    first = client_for(district_a)
    _password_step(first, email)
    response = first.post(VERIFY, {"otp_token": codes[0]})  # typed as shown, with the hyphen
    assert response.status_code == 302
    assert first.get("/").status_code == 200
    second = client_for(district_a)
    _password_step(second, email)
    again = second.post(VERIFY, {"otp_token": codes[0].replace("-", " ")})
    assert again.status_code == 400
    assert second.get("/").status_code == 302
    with schema_context(district_a.schema_name):
        assert StaticToken.objects.filter(device__user=user).count() == 9


def test_wrong_codes_are_slowed_down_then_limited(district_a: District, settings: Any) -> None:
    settings.TWO_FACTOR_RATE_PER_ACCOUNT = "2/h"
    email = role_email(district_a.slug, "coordinator")
    client = in_english(client_for(district_a))
    _password_step(client, email)
    right = one_time_code(client, email)
    assert client.post(VERIFY, {"otp_token": _wrong(right)}).status_code == 400
    throttled = client.post(VERIFY, {"otp_token": right})  # right, but too soon
    assert throttled.status_code == 400
    assert "Wait" in throttled.context["form"].errors["otp_token"][0]
    assert client.get("/").status_code == 302
    limited = client.post(VERIFY, {"otp_token": right})
    assert limited.status_code == 429
    assert "Too many attempts" in limited.content.decode()


def test_a_session_at_the_code_step_cannot_replace_the_app(district_a: District) -> None:
    client = client_for(district_a)
    _password_step(client, role_email(district_a.slug, "coordinator"))
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    assert client.post(SETUP, {"otp_token": "123456"}).status_code == 302
    assert SESSION_SETUP_KEY not in client.session


def test_a_caseworker_turns_it_on_then_logs_in_with_a_code_then_turns_it_off(
    district_a: District,
) -> None:
    email = role_email(district_a.slug, "caseworker")
    client = in_english(client_for(district_a))
    log_in(client, email)
    client.get(SETUP)
    assert client.post(SETUP, {"otp_token": _code_of_setup(client)}).status_code == 302
    # The next login asks for a code.
    fresh = in_english(client_for(district_a))
    assert _password_step(fresh, email)["Location"].startswith(VERIFY)
    assert fresh.get("/").status_code == 302
    log_in(fresh, email)
    assert fresh.get("/").status_code == 200
    page = fresh.get("/accounts/security/").content.decode()
    assert "Turn off two-factor authentication" in page
    # Turning it off needs a valid code; a wrong one changes nothing.
    wrong = fresh.post("/accounts/security/", {"action": "off", "otp_token": "000000"})
    assert wrong.status_code == 400
    with schema_context(district_a.schema_name):
        assert TOTPDevice.objects.filter(user__username=email).exists()
    off = fresh.post(
        "/accounts/security/", {"action": "off", "otp_token": one_time_code(fresh, email)}
    )
    assert off.status_code == 302
    with schema_context(district_a.schema_name):
        assert not TOTPDevice.objects.filter(user__username=email).exists()
        assert not StaticDevice.objects.filter(user__username=email).exists()
    assert _password_step(in_english(client_for(district_a)), email)["Location"] == "/"


def test_required_roles_cannot_turn_it_off(district_a: District) -> None:
    email = role_email(district_a.slug, "coordinator")
    client = in_english(client_for(district_a))
    log_in(client, email)
    page = client.get("/accounts/security/").content.decode()
    assert "cannot be turned off" in page
    assert "Turn off two-factor authentication" not in page
    response = client.post(
        "/accounts/security/", {"action": "off", "otp_token": one_time_code(client, email)}
    )
    assert response.status_code == 400
    with schema_context(district_a.schema_name):
        user = get_user_model().objects.get(username=email)
        assert TOTPDevice.objects.filter(user=user).exists()
        with translation.override("en"), pytest.raises(ValidationError, match="cannot be turned"):
            two_factor_disable(user=user, code="000000")


def test_new_recovery_codes_replace_the_old_ones(district_a: District) -> None:
    email = role_email(district_a.slug, "coordinator")
    with schema_context(district_a.schema_name):
        old = recovery_codes_regenerate(user=get_user_model().objects.get(username=email))
    client = client_for(district_a)
    log_in(client, email)
    response = client.post("/accounts/security/", {"action": "codes"})
    assert response["Location"] == RECOVERY
    new = client.get(RECOVERY).context["codes"]
    assert len(new) == 10
    assert not set(old) & set(new)
    other = client_for(district_a)
    _password_step(other, email)
    assert other.post(VERIFY, {"otp_token": old[0]}).status_code == 400


def test_an_invited_coordinator_goes_from_the_password_to_the_app_setup(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        invitation = user_invite(
            email="coordinadora.invitada@example.org",
            role=DistrictRole.COORDINATOR,
            base_url="http://la-perla.localhost",
            workspace_name=district_a.name,
            send_email=False,
        )
    path = invitation.url.removeprefix("http://la-perla.localhost")
    response = client_a.post(
        path, {"new_password1": "otra-clave-muy-larga", "new_password2": "otra-clave-muy-larga"}
    )
    assert response.status_code == 302
    assert response["Location"] == SETUP
    assert client_a.get("/")["Location"].startswith(SETUP)


def test_api_tokens_are_not_held_at_the_code_step(district_a: District) -> None:
    email = role_email(district_a.slug, "coordinator")
    with schema_context(district_a.schema_name):
        account = get_user_model().objects.get(username=email)
    _token, secret = api_token_create(account=account, district=district_a, name="Tablero")
    client = client_for(district_a)
    response = _graphql(client, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["data"]["me"]["username"] == email


def test_an_operator_reset_sends_a_coordinator_back_to_the_setup(district_a: District) -> None:
    email = role_email(district_a.slug, "coordinator")
    client = client_for(district_a)
    log_in(client, email)
    out = io.StringIO()
    with schema_context(district_a.schema_name):
        call_command("two_factor_reset", email.upper(), stdout=out)
        assert not TOTPDevice.objects.filter(user__username=email).exists()
    assert "sessions ended" in out.getvalue()
    assert client.get("/")["Location"].startswith("/accounts/login/")  # logged out
    assert _password_step(client, email)["Location"].startswith(SETUP)


def test_benchmarks_can_log_a_required_role_in_past_the_code_step() -> None:
    client = client_for(None)
    secretariat = get_user_model().objects.get(username="secretariat@platform.test")
    force_login_past_two_factor(client, secretariat)
    assert client.get("/").status_code == 200
    assert _graphql(client).json()["data"]["me"]["username"] == "secretariat@platform.test"
