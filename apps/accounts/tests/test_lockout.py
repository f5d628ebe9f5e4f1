"""Repeated failed logins lock the account and the address out for a while (django-axes),
in the host's schema only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.client_address import client_ip
from apps.accounts.roles import DistrictRole
from apps.accounts.services import user_create_with_password
from conftest import TEST_PASSWORD, in_english, role_email
from tenants.models import District
from tenants.services.onboarding import district_host

pytestmark = pytest.mark.django_db

LOCKED_TEXT = "Logging in is blocked for a while"
WRONG_TEXT = "The e-mail address or the password is not right"


def _client(district: District | None, address: str = "127.0.0.1", **extra: str) -> Client:
    host = district_host(district.slug) if district else "localhost"
    return in_english(Client(HTTP_HOST=host, REMOTE_ADDR=address, **extra))


WRONG_PASSWORD = "una-clave-equivocada"


def _post(client: Client, email: str, password: str = WRONG_PASSWORD) -> Any:
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_wrong_passwords_lock_the_account_then_even_the_right_one_is_refused(
    district_a: District,
) -> None:
    client = _client(district_a)
    email = role_email(district_a.slug, "caseworker")
    for _attempt in range(4):
        response = _post(client, email)
        assert response.status_code == 200
        assert WRONG_TEXT in response.content.decode()  # the usual message until then
    locked = _post(client, email)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert LOCKED_TEXT in page
    assert "15 minutes" in page
    assert int(locked["Retry-After"]) == 15 * 60
    refused = _post(client, email, TEST_PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_account_is_locked_from_every_address_but_other_accounts_are_not(
    district_a: District,
) -> None:
    email = role_email(district_a.slug, "caseworker")
    attacker = _client(district_a, "198.51.100.7")
    for _attempt in range(5):
        _post(attacker, email)
    elsewhere = _client(district_a, "203.0.113.20")
    assert _post(elsewhere, email, TEST_PASSWORD).status_code == 429
    other = _post(elsewhere, role_email(district_a.slug, "viewer"), TEST_PASSWORD)
    assert other.status_code == 302


def test_an_address_trying_many_accounts_is_locked_for_all_of_them(district_a: District) -> None:
    attacker = _client(district_a, "198.51.100.8")
    for number in range(5):
        _post(attacker, f"intento{number}@example.org")
    viewer = role_email(district_a.slug, "viewer")
    assert _post(attacker, viewer, TEST_PASSWORD).status_code == 429
    # The same account from another address is fine: only that address is locked.
    assert _post(_client(district_a, "203.0.113.21"), viewer, TEST_PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_cool_off(district_a: District) -> None:
    client = _client(district_a)
    email = role_email(district_a.slug, "caseworker")
    for _attempt in range(5):
        _post(client, email)
    assert _post(client, email, TEST_PASSWORD).status_code == 429
    with schema_context(district_a.schema_name):
        # Sixteen minutes pass (the cool-off is fifteen).
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _post(client, email, TEST_PASSWORD).status_code == 302


def test_a_lock_in_one_district_does_not_reach_another(
    district_a: District, district_b: District
) -> None:
    email = "misma.persona@example.org"
    for district in (district_a, district_b):
        with schema_context(district.schema_name):
            user_create_with_password(
                email=email, password=TEST_PASSWORD, role=DistrictRole.CASEWORKER
            )
    in_a = _client(district_a)
    for _attempt in range(5):
        _post(in_a, email)
    assert _post(in_a, email, TEST_PASSWORD).status_code == 429
    # Same e-mail address, same client address, another district: its own counts.
    assert _post(_client(district_b), email, TEST_PASSWORD).status_code == 302
    with schema_context(district_b.schema_name):
        assert not AccessAttempt.objects.exists()
    with schema_context(district_a.schema_name):
        assert AccessAttempt.objects.filter(username=email).exists()


def test_platform_logins_are_counted_in_the_public_schema(district_a: District) -> None:
    platform = _client(None)
    for _attempt in range(5):
        _post(platform, "admin@platform.test")
    assert _post(platform, "admin@platform.test", TEST_PASSWORD).status_code == 429
    assert AccessAttempt.objects.filter(username="admin@platform.test").exists()
    # The district's host is unaffected by the platform's counts.
    assert (
        _post(_client(district_a), role_email(district_a.slug, "viewer"), TEST_PASSWORD).status_code
        == 302
    )


def test_the_stored_attempt_keeps_no_password(district_a: District) -> None:
    _post(_client(district_a), role_email(district_a.slug, "viewer"), "mi-clave-secreta-123")
    with schema_context(district_a.schema_name):
        attempt = AccessAttempt.objects.get()
    assert "mi-clave-secreta-123" not in attempt.post_data
    assert "password=********" in attempt.post_data


def test_behind_a_proxy_each_client_is_counted_on_its_own(
    district_a: District, settings: object
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    proxy = "10.0.0.1"
    email = role_email(district_a.slug, "viewer")
    attacker = _client(district_a, proxy, HTTP_X_FORWARDED_FOR="198.51.100.9")
    for number in range(5):
        _post(attacker, f"intento{number}@example.org")
    assert _post(attacker, email, TEST_PASSWORD).status_code == 429
    # Another client behind the same proxy is not locked; a spoofed first entry changes
    # nothing (only the entry our proxy appended counts).
    other = _client(district_a, proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.30")
    assert _post(other, email, TEST_PASSWORD).status_code == 302
    spoofing = _client(district_a, proxy, HTTP_X_FORWARDED_FOR="203.0.113.31, 198.51.100.9")
    assert _post(spoofing, email, TEST_PASSWORD).status_code == 429


def test_client_address_reads_only_what_trusted_proxies_wrote(settings: object) -> None:
    from django.test import RequestFactory

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1, 10.0.0.2"
    )
    settings.TRUSTED_PROXY_COUNT = 0  # type: ignore[attr-defined]
    assert client_ip(request) == "10.0.0.1"  # no proxy trusted: the header is ignored
    settings.TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 2  # type: ignore[attr-defined]
    assert client_ip(request) == "198.51.100.1"
    garbage = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="nonsense")
    settings.TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    assert client_ip(garbage) == "10.0.0.1"
