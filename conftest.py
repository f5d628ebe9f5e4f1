"""Test fixtures shared by every test folder.

Districts are created once per test run (a session fixture, committed in the test
database); each test then runs inside a transaction that is rolled back, so the schemas,
template snapshot and accounts made here are shared by every test. PostgreSQL's
transactional DDL lets a test onboard more districts: their schemas vanish with the
rollback too.
"""

from __future__ import annotations

from binascii import unhexlify
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import get_public_schema_name, schema_context

from apps.accounts.roles import DistrictRole, PlatformRole, platform_roles_ensure
from apps.accounts.services import user_create_with_password
from apps.accounts.two_factor import SESSION_SETUP_KEY
from tenants.models import District, Domain
from tenants.schema_template import template_snapshot_ensure
from tenants.services.onboarding import district_host, district_onboard

TEST_PASSWORD = "una-clave-de-prueba-larga"  # noqa: S105 - test accounts only
# The authenticator-app secret of the test accounts whose role requires two-factor
# (platform admin, secretariat, each district's coordinator): ``log_in`` types its codes.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


@dataclass(frozen=True)
class DistrictSpec:
    name: str
    slug: str
    ubigeo: str


DISTRICT_A = DistrictSpec("La Perla", "la-perla", "070104")
DISTRICT_B = DistrictSpec("Bellavista", "bellavista", "070102")


def role_email(slug: str, role: str) -> str:
    return f"{role}@{slug}.test"


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[None]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        template_snapshot_ensure()
        platform_roles_ensure()
        admin = user_create_with_password(
            email="admin@platform.test",
            password=TEST_PASSWORD,
            role=PlatformRole.PLATFORM_ADMIN,
            is_superuser=True,
        )
        secretariat = user_create_with_password(
            email="secretariat@platform.test", password=TEST_PASSWORD, role=PlatformRole.SECRETARIAT
        )
        for account in (admin, secretariat):
            _authenticator_app_add(account)
        for spec in (DISTRICT_A, DISTRICT_B):
            result = district_onboard(
                name=spec.name,
                slug=spec.slug,
                ubigeo=spec.ubigeo,
                coordinator_email=f"invited-coordinator@{spec.slug}.test",
            )
            with schema_context(result.district.schema_name):
                for role in DistrictRole:
                    account = user_create_with_password(
                        email=role_email(spec.slug, role), password=TEST_PASSWORD, role=role
                    )
                    if role in settings.TWO_FACTOR_REQUIRED_ROLES:
                        _authenticator_app_add(account)
        connection.set_schema_to_public()
    return


def _authenticator_app_add(account: User) -> None:
    TOTPDevice.objects.create(user=account, name="app", key=TEST_TOTP_KEY, confirmed=True)


@pytest.fixture(autouse=True)
def _fresh_routing_and_schema() -> Iterator[None]:
    """Each test starts in the public schema with an empty routing cache, and ends in the
    default language (a request in English leaves English active in the thread)."""
    cache.clear()
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()
    cache.clear()
    translation.deactivate()


def in_english(client: Client) -> Client:
    """Pages in English (the language switch's cookie), for assertions that must not
    depend on the Spanish catalogue's wording."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def district_a(db: None) -> District:
    return District.objects.get(slug=DISTRICT_A.slug)


@pytest.fixture
def district_b(db: None) -> District:
    return District.objects.get(slug=DISTRICT_B.slug)


def client_for(district: District | None) -> Client:
    """A test client whose requests go to the district's host (or the platform's)."""
    host = district_host(district.slug) if district else "localhost"
    return Client(HTTP_HOST=host)


def _schema_of_client(client: Client) -> str:
    """The schema behind the client's host (without touching the routing cache)."""
    host = str(client.defaults.get("HTTP_HOST", "testserver")).split(":")[0].lower()
    if host in settings.PUBLIC_HOSTS:
        return get_public_schema_name()
    domain = Domain.objects.select_related("tenant").get(domain=host)
    return domain.tenant.schema_name


def one_time_code(client: Client, email: str) -> str:
    """A valid code of the account's authenticator app, now. The app's last used time step
    is forgotten first, so a test may log the same account in several times."""
    with schema_context(_schema_of_client(client)):
        devices = TOTPDevice.objects.filter(user__username=email, confirmed=True)
        devices.update(last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None)
        device = devices.get()
        return str(totp(device.bin_key)).zfill(device.digits)


def log_in(client: Client, email: str, password: str = TEST_PASSWORD) -> HttpResponse:
    """Log the client in through the login form, then pass the two-factor step the account
    has: its app's code, or (a role that requires it, without an app yet) setting one up.
    Returns the last answer (a redirect to where the login was going)."""
    csrf: dict[str, str] = {}
    if client.handler.enforce_csrf_checks:
        client.get("/accounts/login/")  # sets the CSRF cookie the forms then send back
        csrf = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    response = client.post("/accounts/login/", {"username": email, "password": password, **csrf})
    assert response.status_code == 302, response.content.decode()[:500]
    location = response["Location"]
    if location.startswith(reverse("accounts:two_factor_setup")):
        client.get(location)
        key = client.session[SESSION_SETUP_KEY]
        code = str(TOTP(unhexlify(key)).token()).zfill(6)
        csrf = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value} if csrf else {}
        response = client.post(location, {"otp_token": code, **csrf})
        assert response.status_code == 302, response.content.decode()[:500]
    elif location.startswith(reverse("accounts:two_factor_verify")):
        code = one_time_code(client, email)
        csrf = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value} if csrf else {}
        response = client.post(location, {"otp_token": code, **csrf})
        assert response.status_code == 302, response.content.decode()[:500]
    return response


def login_as(client: Client, district: District, role: str) -> None:
    """Log the client in as the district's test account of ``role`` (through the login
    form, and the two-factor step when the role requires it)."""
    log_in(client, role_email(district.slug, role))


@pytest.fixture
def client_a(district_a: District) -> Client:
    return client_for(district_a)


@pytest.fixture
def client_b(district_b: District) -> Client:
    return client_for(district_b)


@pytest.fixture
def public_client(db: None) -> Client:
    return client_for(None)


def periodic_timestamp(day: date) -> int:
    """The UTC timestamp a periodic job gets for ``day`` (noon UTC: 07:00 in Lima)."""
    return int(datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp())


@pytest.fixture
def run_periodic(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> Callable[[Any, date], None]:
    """Run a ``@district_periodic`` task as its schedule would on ``day``: the public
    fan-out queues one job per open district, and (``TASKS_IMMEDIATE``) each runs in its
    district once the fan-out's transaction commits."""

    def run(task: Any, day: date) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            task.fan_out(timestamp=periodic_timestamp(day))

    return run
