"""Sessions end after SESSION_IDLE_TIMEOUT without a request and SESSION_ABSOLUTE_TIMEOUT
after the login (config/sessions.py), whatever the activity; a page is sent to the login
with a message, GraphQL gets 401, and nothing sent with an expired session is written."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.api_tokens import api_token_create
from apps.people.models import Person
from config import sessions
from conftest import in_english, login_as, role_email
from tenants.models import District

MINUTE = 60
HOUR = 60 * MINUTE
START = 1_900_000_000.0


class Clock:
    """The clock the session middleware reads, moved by hand."""

    def __init__(self) -> None:
        self.current = START

    def __call__(self) -> float:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(sessions, "now", moved)
    return moved


@pytest.fixture
def caseworker(client_a: Client, district_a: District, clock: Clock) -> Client:
    in_english(client_a)
    login_as(client_a, district_a, "caseworker")
    return client_a


def _sent_to_login(response: object, next_path: str | None) -> None:
    assert response.status_code == 302  # type: ignore[attr-defined]
    location = urlsplit(response["Location"])  # type: ignore[index]
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query).get("next") == (None if next_path is None else [next_path])


def test_the_defaults_are_thirty_minutes_idle_and_ten_hours_in_all() -> None:
    assert settings.SESSION_IDLE_TIMEOUT == 30 * MINUTE
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 10 * HOUR
    # The cookie and the stored session do not outlive the absolute limit either.
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_TIMEOUT


def test_activity_keeps_the_session_open(caseworker: Client, clock: Clock) -> None:
    for _ in range(4):
        clock.advance(29 * MINUTE)
        assert caseworker.get("/people/").status_code == 200


def test_an_idle_session_ends_with_a_message(caseworker: Client, clock: Clock) -> None:
    assert caseworker.get("/people/").status_code == 200
    clock.advance(30 * MINUTE)
    response = caseworker.get("/people/?q=ana")
    _sent_to_login(response, "/people/?q=ana")
    login_page = caseworker.get(response["Location"])
    assert "Your session expired. Sign in again to continue." in login_page.content.decode()
    # The session is gone for good, not only for that request.
    clock.advance(1)
    _sent_to_login(caseworker.get("/people/"), "/people/")


def test_the_absolute_limit_ends_even_an_active_session(caseworker: Client, clock: Clock) -> None:
    for _ in range(29):  # a request every 20 minutes for 9 h 40 min
        clock.advance(20 * MINUTE)
        assert caseworker.get("/").status_code == 200
    clock.advance(20 * MINUTE)  # 10 h after the login
    _sent_to_login(caseworker.get("/"), "/")


def test_activity_is_written_at_most_once_a_minute(caseworker: Client, clock: Clock) -> None:
    caseworker.get("/")
    seen = caseworker.session[sessions.SEEN_AT_KEY]
    clock.advance(30)
    caseworker.get("/")
    assert caseworker.session[sessions.SEEN_AT_KEY] == seen
    clock.advance(31)
    caseworker.get("/")
    assert caseworker.session[sessions.SEEN_AT_KEY] == START + 61


def test_a_form_sent_with_an_expired_session_writes_nothing(
    caseworker: Client, clock: Clock, district_a: District
) -> None:
    with schema_context(district_a.schema_name):
        before = Person.objects.count()
    clock.advance(31 * MINUTE)
    response = caseworker.post(
        "/people/new/", {"given_names": "Ana", "family_names": "Quispe", "sex": "female"}
    )
    _sent_to_login(response, None)
    with schema_context(district_a.schema_name):
        assert Person.objects.count() == before


def test_graphql_with_an_expired_session_answers_401(caseworker: Client, clock: Clock) -> None:
    query = {"query": "{ __typename }"}
    assert caseworker.post("/graphql/", query, content_type="application/json").status_code == 200
    clock.advance(HOUR)
    response = caseworker.post("/graphql/", query, content_type="application/json")
    assert response.status_code == 401
    error = json.loads(response.content)["errors"][0]
    assert error["extensions"] == {"code": "SESSION_EXPIRED"}
    assert "session expired" in error["message"]


def test_an_api_token_still_works_beside_an_expired_session_cookie(
    caseworker: Client, clock: Clock, district_a: District
) -> None:
    """The token decides; the stale session is only logged out."""
    with schema_context(district_a.schema_name):
        account = get_user_model().objects.get(username=role_email(district_a.slug, "viewer"))
        _token, secret = api_token_create(account=account, district=district_a, name="client")
    clock.advance(HOUR)
    response = caseworker.post(
        "/graphql/",
        {"query": "{ __typename }"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in caseworker.session


def test_a_session_from_before_the_limits_starts_its_clocks(
    caseworker: Client, clock: Clock
) -> None:
    session = caseworker.session
    del session[sessions.LOGIN_AT_KEY]
    del session[sessions.SEEN_AT_KEY]
    session.save()
    clock.advance(20 * HOUR)
    assert caseworker.get("/").status_code == 200
    assert caseworker.session[sessions.LOGIN_AT_KEY] == clock.current


def test_the_limits_come_from_the_settings(
    caseworker: Client, clock: Clock, settings: object
) -> None:
    settings.SESSION_IDLE_TIMEOUT = 5 * MINUTE  # type: ignore[attr-defined]
    clock.advance(4 * MINUTE)
    assert caseworker.get("/").status_code == 200
    clock.advance(5 * MINUTE)
    _sent_to_login(caseworker.get("/"), "/")


@pytest.mark.parametrize(
    ("login_after", "seen_after", "expired"),
    [
        (0, 0, False),
        (29 * MINUTE, 29 * MINUTE, False),
        (30 * MINUTE, 30 * MINUTE, True),
        (10 * HOUR - 1, 1, False),
        (10 * HOUR, 1, True),
    ],
)
def test_session_expired_rule(login_after: int, seen_after: int, expired: bool) -> None:
    moment = START + 20 * HOUR
    assert sessions.session_expired(moment - login_after, moment - seen_after, moment) is expired
