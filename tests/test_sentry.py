"""Sentry: errors of a view, a GraphQL resolver and a background task are reported, tagged
with the district and the release, and nothing personal leaves the server.

A capturing transport keeps the serialised envelopes, exactly the bytes that would be sent.
Each error is raised while a person registered in the fixtures is handled: her name,
document number and e-mail are in the exception message, a log call's arguments, an SQL
query's parameters, the local variables, the request body and query string and the
GraphQL variables. Each test also runs with the SDK's own protections turned off
("permissive"), to show that the scrubbing alone keeps the data home.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import procrastinate
import pytest
import sentry_sdk
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django_tenants.utils import schema_context
from procrastinate import utils as procrastinate_utils
from procrastinate.testing import InMemoryConnector
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from apps.people.models import IdentityDocument, Person
from apps.people.tests.factories import person_make
from config.observability import (
    FILTERED,
    graphql_operation_context,
    scrub_breadcrumb,
    sentry_options,
)
from conftest import client_for, login_as
from tenants.background import schema_task
from tenants.models import District
from tenants.services.onboarding import district_host

# The person handled when things go wrong. Kept far from the code that raises: a stack
# frame carries a few lines of source around it, and this is the test's source.
GIVEN_NAMES = "Yulimar"
FAMILY_NAMES = "Rodríguez"
DOCUMENT_NUMBER = "V-27.456.789"
EMAIL = "yulimar@example.com"
FULL_NAME = f"{GIVEN_NAMES} {FAMILY_NAMES}"
# What must never be in an envelope, in any spelling the serialiser or the app could use.
FORBIDDEN = [
    "yulimar",
    "rodríguez",
    "rodr\\u00edguez",
    "rodriguez",
    "27.456.789",
    "27456789",
    "example.com",
]

RELEASE = "callao@1.2.3"
DSN = "https://public@sentry.invalid/1"
# The SDK's own protections off: only our scrubbing stands between the data and Sentry.
PERMISSIVE: dict[str, Any] = {
    "include_local_variables": True,
    "max_request_body_size": "always",
    "_experiments": {"record_sql_params": True},
}
GRAPHQL_QUERY = (
    "query Lookup($after: String) { me { username } "
    "forumSessions(first: 1, after: $after) { totalCount } "
    'agreements(district: "' + FULL_NAME + '", first: 2) { totalCount } }'
)

logger = logging.getLogger("tests.sentry")
pytestmark = pytest.mark.django_db


class CapturingTransport(Transport):
    """Keeps each envelope's bytes instead of sending them."""

    def __init__(self) -> None:
        super().__init__()
        self.envelopes: list[bytes] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope.serialize())


class Captured:
    def __init__(self, transport: CapturingTransport) -> None:
        self.transport = transport

    def items(self, kind: str) -> list[dict[str, Any]]:
        found = []
        for raw in self.transport.envelopes:
            for item in Envelope.deserialize(raw).items:
                if item.headers.get("type") == kind and item.payload.json is not None:
                    found.append(item.payload.json)
        return found

    def errors(self) -> list[dict[str, Any]]:
        return self.items("event")

    def error_of_type(self, type_name: str) -> dict[str, Any]:
        matching = [
            event
            for event in self.errors()
            if any(v.get("type") == type_name for v in event.get("exception", {}).get("values", []))
        ]
        assert len(matching) == 1, [e.get("exception") for e in self.errors()]
        return matching[0]

    def assert_nothing_personal(self) -> None:
        assert self.transport.envelopes, "nothing was captured"
        for raw in self.transport.envelopes:
            lowered = raw.decode("utf-8").lower()
            for needle in FORBIDDEN:
                assert needle not in lowered, f"{needle!r} left the server: {lowered[:3000]}"


@pytest.fixture(params=["settings", "permissive"])
def sentry_capture(request: pytest.FixtureRequest) -> Iterator[Captured]:
    """Sentry initialised as in production, sending to a list; restored afterwards."""
    previous = sentry_sdk.get_client()
    transport = CapturingTransport()
    options = sentry_options(dsn=DSN, environment="test", release=RELEASE)
    if request.param == "permissive":
        options.update(PERMISSIVE)
        if "data_collection" in options:
            options["data_collection"] = {}  # every category at its (collecting) default
        else:
            options["send_default_pii"] = True
    with sentry_sdk.isolation_scope():
        sentry_sdk.init(**options, transport=transport)
        try:
            yield Captured(transport)
        finally:
            sentry_sdk.get_client().close()
            sentry_sdk.get_global_scope().set_client(previous)


@pytest.fixture
def registered_person(sentry_capture: Captured, district_a: District) -> Person:
    """Registered once Sentry is on, so the registration's queries are breadcrumbs too."""
    with schema_context(district_a.schema_name):
        return person_make(
            given_names=GIVEN_NAMES,
            family_names=FAMILY_NAMES,
            document_number=DOCUMENT_NUMBER,
            email=EMAIL,
        )


def _handle_and_fail(person: Person) -> None:
    """What a failing code path does: log about the person, query by her document, fail."""
    logger.warning("handling %s <%s>", person.full_name, person.email)
    IdentityDocument.objects.filter(number=DOCUMENT_NUMBER).exists()
    raise ValueError(f"cannot handle {person.full_name} ({person.email}), {DOCUMENT_NUMBER}")


def _assert_tagged(event: dict[str, Any], district: District) -> None:
    assert event["tags"]["district"] == district.schema_name
    assert event["release"] == RELEASE
    assert event["environment"] == "test"


def _wsgi(
    path: str,
    *,
    host: str,
    method: str = "GET",
    query: str = "",
    form: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str]]:
    """A request through the WSGI handler, as gunicorn makes it (Sentry's WSGI middleware
    adds the request's URL, method and headers to events and starts transactions), keeping
    the test's database connection (and its transaction) open."""
    body = urlencode(form or {}).encode()
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": host,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items()),
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()},
    }
    setup_testing_defaults(environ)
    answer: list[Any] = []
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = get_wsgi_application()(environ, lambda s, h, *a: answer.extend([s, h]))
        b"".join(chunks)
        chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(answer[0].split()[0]), dict(answer[1])


def _signed_in_cookies(district: District) -> dict[str, str]:
    client = client_for(district)
    login_as(client, district, "coordinator")
    client.get("/accounts/login/")  # sets the CSRF cookie
    return {name: morsel.value for name, morsel in client.cookies.items()}


def test_a_view_error_is_reported_without_personal_data(
    sentry_capture: Captured,
    registered_person: Person,
    district_a: District,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from apps.people import views

    real_person_get = views.person_get

    def person_get_then_fail(**kwargs: Any) -> Person | None:
        person = real_person_get(**kwargs)
        assert person is not None
        _handle_and_fail(person)
        return person

    monkeypatch.setattr(views, "person_get", person_get_then_fail)
    cookies = _signed_in_cookies(district_a)
    status, headers = _wsgi(
        f"/people/{registered_person.public_id}/edit/",
        host=district_host(district_a.slug),
        method="POST",
        query=urlencode({"q": FULL_NAME}),
        form={
            "csrfmiddlewaretoken": cookies["csrftoken"],
            "given_names": GIVEN_NAMES,
            "family_names": FAMILY_NAMES,
            "email": EMAIL,
        },
        cookies=cookies,
        headers={"X-Request-ID": "req-view-0001", "Accept-Language": "es"},
    )

    assert status == 500
    assert headers["X-Request-ID"] == "req-view-0001"
    event = sentry_capture.error_of_type("ValueError")
    _assert_tagged(event, district_a)
    assert event["tags"]["request_id"] == "req-view-0001"
    exception = event["exception"]["values"][-1]
    assert exception["value"] == FILTERED
    frames = exception["stacktrace"]["frames"]
    assert frames[-1]["function"] == "_handle_and_fail"
    assert frames[-1]["lineno"] > 0
    assert all("vars" not in frame for frame in frames)
    host = district_host(district_a.slug)
    request = event["request"]
    assert request["method"] == "POST"
    assert request["url"] == f"http://{host}/people/{registered_person.public_id}/edit/"
    assert {name.lower() for name in request["headers"]} == {
        "host",
        "content-type",
        "content-length",
        "accept-language",
        "x-request-id",
    }
    assert set(request) == {"method", "url", "headers"}
    assert "user" not in event
    crumbs = event["breadcrumbs"]["values"]
    assert {"message": "handling %s <%s>"}.items() <= next(
        crumb for crumb in crumbs if crumb.get("category") == "tests.sentry"
    ).items()
    assert any(crumb.get("category") == "query" for crumb in crumbs)
    assert all("data" not in crumb for crumb in crumbs if crumb.get("category") == "query")
    sentry_capture.assert_nothing_personal()


def test_a_graphql_resolver_error_is_reported_without_personal_data(
    sentry_capture: Captured,
    registered_person: Person,
    district_a: District,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from apps.accounts import graphql as accounts_graphql

    def request_user_then_fail(info: Any) -> Any:
        _handle_and_fail(Person.objects.get(pk=registered_person.pk))

    monkeypatch.setattr(accounts_graphql, "request_user", request_user_then_fail)
    client = client_for(district_a)
    login_as(client, district_a, "coordinator")
    body = client.post(
        "/graphql/",
        {"query": GRAPHQL_QUERY, "variables": {"after": DOCUMENT_NUMBER, "email": EMAIL}},
        content_type="application/json",
    ).json()

    assert body["errors"][0]["message"] == "Internal error."
    event = sentry_capture.error_of_type("ValueError")
    _assert_tagged(event, district_a)
    assert event["exception"]["values"][-1]["value"] == FILTERED
    graphql = event["contexts"]["graphql"]
    assert graphql["operation_name"] == "Lookup"
    assert f'agreements(district: "{FILTERED}", first: 0)' in graphql["query"]
    assert "me {" in graphql["query"]
    assert "data" not in event["request"]
    sentry_capture.assert_nothing_personal()


def test_a_refused_graphql_request_is_not_an_error(
    sentry_capture: Captured, district_a: District
) -> None:
    response = client_for(district_a).post(
        "/graphql/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "POST body sent invalid JSON."
    assert sentry_capture.errors() == []


async def _as_sync_code_in_this_thread(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a job as the worker's thread pool would (sync code, no running event loop), but
    in this thread, so it uses the test's database connection and sees its uncommitted
    rows (Django keeps one connection per thread, and another inside an event loop)."""
    loop = asyncio.get_running_loop()
    asyncio._set_running_loop(None)
    try:
        return func(*args, **kwargs)
    finally:
        asyncio._set_running_loop(loop)


def test_a_background_task_error_is_reported_without_personal_data(
    sentry_capture: Captured,
    registered_person: Person,
    district_a: District,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A job run by a worker (procrastinate, in-memory queue) fails: the worker's own
    failure report, made after the job has left the district's schema, is the event."""
    app = procrastinate.App(connector=InMemoryConnector())

    @schema_task(app=app, retry=False)
    def person_follow_up(*, person_id: str) -> None:
        _handle_and_fail(Person.objects.get(public_id=person_id))

    settings.TASKS_IMMEDIATE = False
    with schema_context(district_a.schema_name):
        person_follow_up.enqueue(person_id=str(registered_person.public_id))
    monkeypatch.setattr(procrastinate_utils, "sync_to_async", _as_sync_code_in_this_thread)
    app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)

    event = sentry_capture.error_of_type("ValueError")
    assert event["logger"] == "procrastinate.worker"
    _assert_tagged(event, district_a)
    assert event["exception"]["values"][-1]["value"] == FILTERED
    assert "extra" not in event or set(event["extra"]) <= {"sys.argv"}
    sentry_capture.assert_nothing_personal()


def test_an_error_inside_a_task_is_tagged_with_its_district(
    sentry_capture: Captured, registered_person: Person, district_a: District
) -> None:
    """An error a task logs itself (it goes on) names the district too."""

    @schema_task(app=procrastinate.App(connector=InMemoryConnector()))
    def person_check(*, person_id: str) -> None:
        try:
            _handle_and_fail(Person.objects.get(public_id=person_id))
        except ValueError:
            logger.exception("check failed: person=%s", person_id)

    person_check.run_in(district_a.schema_name, person_id=str(registered_person.public_id))

    event = sentry_capture.error_of_type("ValueError")
    _assert_tagged(event, district_a)
    assert event["logentry"] == {"message": "check failed: person=%s"}
    sentry_capture.assert_nothing_personal()


def test_probes_are_never_traced(sentry_capture: Captured) -> None:
    options = sentry_options(dsn=DSN, environment="test", release=RELEASE, traces_sample_rate=1)
    sentry_sdk.init(**options, transport=sentry_capture.transport)
    assert _wsgi("/healthz", host="10.42.3.17:8000")[0] == 200
    assert _wsgi("/readyz/", host="10.42.3.17:8000")[0] == 200
    assert sentry_capture.items("transaction") == []
    assert _wsgi("/no-such-page/", host="localhost")[0] == 404
    traced = sentry_capture.items("transaction")
    assert [t["request"]["url"] for t in traced] == ["http://localhost/no-such-page/"]


def test_breadcrumbs_keep_templates_only() -> None:
    record = logging.LogRecord("x", logging.INFO, "f.py", 1, "saw %s", (FULL_NAME,), None)
    crumb = {
        "type": "log",
        "category": "x",
        "level": "info",
        "message": f"saw {FULL_NAME}",
        "data": {"person": FULL_NAME},
    }
    assert scrub_breadcrumb(crumb, {"log_record": record}) == {
        "type": "log",
        "category": "x",
        "level": "info",
        "message": "saw %s",
    }
    sql = {"category": "query", "message": "SELECT 1 WHERE n = %s", "data": {"db.params": ["x"]}}
    assert scrub_breadcrumb(sql, {}) == {"category": "query", "message": "SELECT 1 WHERE n = %s"}
    http = {
        "type": "http",
        "category": "httplib",
        "data": {"url": "https://api.example.test/v1/customers?email=a", "method": "GET"},
    }
    assert scrub_breadcrumb(http, {})["data"] == {
        "method": "GET",
        "url": "https://api.example.test/v1/customers",
    }
    other = {"category": "something", "message": FULL_NAME, "data": {"x": 1}}
    assert scrub_breadcrumb(other, {}) == {"category": "something"}


def test_graphql_query_literals_are_masked() -> None:
    context = graphql_operation_context(
        'query Find { people(search: "Ana", age: 31, w: 1.5) { id } }', None
    )
    assert context["operation_name"] == "Find"
    assert context["operation_type"] == "query"
    assert "Ana" not in context["query"]
    assert "31" not in context["query"]
    assert f'search: "{FILTERED}"' in context["query"]
    assert graphql_operation_context("{ not valid", "X") == {"operation_name": "X"}
