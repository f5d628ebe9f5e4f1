"""Bad input everywhere gets a clear 4xx answer and writes nothing.

- Request limits: a body over REQUEST_BODY_MAX_BYTES, form data over
  DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields: 413 / 400 with a page saying why (JSON on
  /graphql/), never a blank 400 or a 500 (config/request_limits.py).
- GraphQL: syntax errors, unknown fields, wrong variable types, variables that are not an
  object, batches, mutations over GET, wrong content types, oversized bodies, ids that are
  not ids: a 4xx or a GraphQL error naming the problem, never "Internal error." or a 5xx.
- Every URL of both URL maps, with ids that do not exist (numbers past bigint included) and
  query strings and forms full of invalid dates, numbers and NUL characters: never a 5xx,
  and the refused forms write nothing.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import schema_context

from apps.audit.models import AccessLogEntry
from apps.audit.services import access_record
from apps.forum.models import ForumSession
from apps.people.models import PendingImport, Person
from apps.people.tests.factories import staff
from conftest import in_english, log_in, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db

# Past PostgreSQL's bigint (9223372036854775807).
HUGE = "99999999999999999999"


# ------------------------------------------------------------------ what was written
# Tables a refused request may still touch: the session, the access log (who opened what),
# login bookkeeping (axes, last login, the one-time-code device's last step).
WRITE_ALLOWED = re.compile(
    r"^(django_session|audit_accesslogentry|axes_.*|auth_user|otp_.*|django_otp_.*)$"
)


def _rows_written() -> dict[str, int]:
    """Rows inserted, updated or deleted per table in this test's transaction so far."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname || '.' || relname, n_tup_ins + n_tup_upd + n_tup_del "
            "FROM pg_stat_xact_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
        )
        return dict(cursor.fetchall())


def _new_writes(before: dict[str, int]) -> set[str]:
    after = _rows_written()
    return {
        table
        for table, count in after.items()
        if count != before.get(table, 0) and not WRITE_ALLOWED.match(table.split(".", 1)[1])
    }


# ------------------------------------------------------------------ clients
@pytest.fixture
def coordinator(district_a: District, client_a: Client) -> Client:
    login_as(client_a, district_a, "coordinator")
    return in_english(client_a)


@pytest.fixture
def caseworker(district_a: District, client_a: Client) -> Client:
    login_as(client_a, district_a, "caseworker")
    return in_english(client_a)


@pytest.fixture
def secretariat(public_client: Client) -> Client:
    log_in(public_client, "secretariat@platform.test")
    return in_english(public_client)


@pytest.fixture
def platform_admin(public_client: Client) -> Client:
    log_in(public_client, "admin@platform.test")
    return in_english(public_client)


# ------------------------------------------------------------------ request limits
@override_settings(REQUEST_BODY_MAX_BYTES=50_000)
def test_a_body_over_the_limit_is_refused_unread_with_a_clear_413_page(
    district_a: District, caseworker: Client
) -> None:
    upload = SimpleUploadedFile("p.csv", b"apellidos;nombres\n" + b"x;y\n" * 20_000)
    response = caseworker.post("/people/import/", {"file": upload})
    assert response.status_code == 413
    page = response.content.decode()
    assert "The request is too large" in page
    assert "Files may be at most 10.0\xa0MB." in page
    with schema_context(district_a.schema_name):
        assert not PendingImport.objects.exists()


def test_the_413_page_is_in_spanish_by_default(district_a: District, client_a: Client) -> None:
    with override_settings(REQUEST_BODY_MAX_BYTES=10):
        response = client_a.post("/accounts/login/", {"username": "x" * 50})
    assert response.status_code == 413
    assert 'lang="es-PE"' in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_form_data_over_the_memory_limit_gets_413_and_writes_nothing(
    district_a: District, caseworker: Client
) -> None:
    response = caseworker.post("/people/new/", {"given_names": "A" * 20_000, "sex": "female"})
    assert response.status_code == 413
    assert "The request is too large" in response.content.decode()
    with schema_context(district_a.schema_name):
        assert not Person.objects.exists()


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=20)
def test_too_many_form_fields_get_a_clear_400(district_a: District, caseworker: Client) -> None:
    data = {f"field{i}": "x" for i in range(50)}
    response = caseworker.post("/people/new/", data)
    assert response.status_code == 400
    assert "The form sent too many fields or files." in response.content.decode()
    with schema_context(district_a.schema_name):
        assert not Person.objects.exists()


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=20)
def test_too_many_query_parameters_get_a_clear_400(caseworker: Client) -> None:
    response = caseworker.get("/people/?" + "&".join(f"p{i}=1" for i in range(50)))
    assert response.status_code == 400
    assert "too many fields" in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_the_public_host_answers_the_same_way(public_client: Client) -> None:
    response = in_english(public_client).post(
        "/accounts/login/", {"username": "a" * 20_000, "password": "x"}
    )
    assert response.status_code == 413
    assert "The request is too large" in response.content.decode()


def test_the_limits_are_set_deliberately() -> None:
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 5
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024
    assert settings.REQUEST_BODY_MAX_BYTES > settings.UPLOAD_MAX_BYTES
    assert settings.GRAPHQL_MAX_BODY_BYTES < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


# ------------------------------------------------------------------ GraphQL
def _gql(client: Client, body: Any, content_type: str = "application/json") -> Any:
    return client.post("/graphql/", body, content_type=content_type)


CREATE_SESSION = (
    'mutation { forumSessionCreate(heldOn: "2031-01-15", place: "Bellavista") '
    "{ forumSession { number } errors { field messages } } }"
)


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"query": "{ me { username "}, 400, "Syntax Error"),
        ({"query": "{ me { nosuchfield } }"}, 400, "Cannot query field 'nosuchfield'"),
        ({"query": "{ nosuchquery }"}, 400, "Cannot query field 'nosuchquery'"),
        (
            {
                "query": "query($s: ID!) { forumSession(id: $s) { number } }",
                "variables": {"s": {"an": "object"}},
            },
            400,
            "Variable '$s' got invalid value",
        ),
        (
            {"query": "query($s: ID!) { forumSession(id: $s) { number } }", "variables": {}},
            400,
            "Variable '$s' of required type 'ID!' was not provided.",
        ),
        ({"query": "{ me { username } }", "variables": [1, 2]}, 400, "Variables must be a JSON"),
        ({"query": "{ me { username } }", "variables": "[1, 2]"}, 400, "Variables must be a JSON"),
        ({"query": "{ me { username } }", "variables": "{not json"}, 400, "invalid JSON"),
        ({"query": ["{ me { username } }"]}, 400, "The query must be a string."),
        ({"query": {"a": 1}}, 400, "The query must be a string."),
        ({"query": "{ me { username } }", "operationName": 7}, 400, "operationName must be"),
        ({"query": "query A { me { username } } query B { me { username } }"}, 400, "operation"),
        ([{"query": "{ me { username } }"}], 400, "not a valid JSON query"),
        ({}, 400, "Must provide query string."),
        ("not json at all", 400, "POST body sent invalid JSON."),
    ],
    ids=[
        "syntax-error",
        "unknown-field",
        "unknown-query",
        "wrong-variable-type",
        "missing-variable",
        "variables-a-list",
        "variables-a-json-list",
        "variables-bad-json",
        "query-a-list",
        "query-an-object",
        "operation-name-a-number",
        "two-operations-no-name",
        "batch",
        "no-query",
        "invalid-json",
    ],
)
def test_invalid_graphql_gets_a_4xx_with_the_reason(
    secretariat: Client, body: Any, status: int, message: str
) -> None:
    if isinstance(body, str):
        response = secretariat.post("/graphql/", body, content_type="application/json")
    else:
        response = _gql(secretariat, body)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert any(message in error["message"] for error in errors), errors


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", CREATE_SESSION),
        ("application/x-www-form-urlencoded", f"query={CREATE_SESSION}"),
        (
            "multipart/form-data; boundary=XX",
            f'--XX\r\nContent-Disposition: form-data; name="query"\r\n\r\n{CREATE_SESSION}\r\n--XX--\r\n',
        ),
        ("", CREATE_SESSION),
    ],
    ids=["text-plain", "form", "multipart", "none"],
)
def test_a_mutation_in_the_wrong_content_type_is_refused_and_writes_nothing(
    secretariat: Client, content_type: str, body: str
) -> None:
    before = ForumSession.objects.count()
    response = secretariat.generic("POST", "/graphql/", body, content_type=content_type)
    assert response.status_code == 415
    assert response.json()["errors"][0]["message"] == "Send the request body as application/json."
    assert ForumSession.objects.count() == before


def test_the_same_mutation_as_json_works(secretariat: Client) -> None:
    """The control for the test above: the refusal is the content type's, not the role's."""
    before = ForumSession.objects.count()
    body = _gql(secretariat, {"query": CREATE_SESSION}).json()
    assert body["data"]["forumSessionCreate"]["errors"] == []
    assert ForumSession.objects.count() == before + 1


def test_a_mutation_over_get_is_refused_and_writes_nothing(secretariat: Client) -> None:
    before = ForumSession.objects.count()
    response = secretariat.get("/graphql/", {"query": CREATE_SESSION})
    assert response.status_code == 405
    assert (
        "Can only perform a mutation operation from a POST request."
        in (response.json()["errors"][0]["message"])
    )
    assert ForumSession.objects.count() == before


def test_an_oversized_graphql_body_gets_a_json_413(coordinator: Client) -> None:
    padding = "x" * (100 * 1024)
    response = _gql(coordinator, {"query": "{ me { username } }", "variables": {"p": padding}})
    assert response.status_code == 413
    assert "too large" in response.json()["errors"][0]["message"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1_000, GRAPHQL_MAX_BODY_BYTES=10_000)
def test_a_body_over_djangos_own_limit_on_graphql_is_json_too(coordinator: Client) -> None:
    response = _gql(coordinator, {"query": "{ me { username } }", "variables": {"p": "x" * 2000}})
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "too large" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("bad_id", ["abc", HUGE, "-1", "1.5", "", "\x00", "' OR 1=1 --"])
def test_ids_that_are_not_ids_get_a_graphql_error_not_an_internal_one(
    secretariat: Client, bad_id: str
) -> None:
    queries = [
        ("query($s: ID!) { forumSession(id: $s) { number } }", {"s": bad_id}),
        (
            (
                'mutation($s: ID!) { forumSessionUpdate(id: $s, input: {place: "X"}) '
                "{ errors { field messages } } }"
            ),
            {"s": bad_id},
        ),
        (
            (
                'mutation($s: ID!) { agendaItemPropose(sessionId: $s, title: "T") '
                "{ errors { field messages } } }"
            ),
            {"s": bad_id},
        ),
        ("mutation($t: ID!) { apiTokenRevoke(id: $t) { revoked } }", {"t": bad_id}),
    ]
    before = ForumSession.objects.count()
    for query, variables in queries:
        response = _gql(secretariat, {"query": query, "variables": variables})
        assert response.status_code < 500
        assert "Internal error." not in response.content.decode(), (query, response.content)
    assert ForumSession.objects.count() == before


# ------------------------------------------------------------------ every URL, bad ids
def _patterns(urlconf: str) -> Iterator[str]:
    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    yield from walk(get_resolver(urlconf).url_patterns, "/")


KWARG_VALUES = {
    "int": HUGE,
    "uuid": str(uuid.UUID(int=1)),
    "slug": "no-such-thing",
    "str": "nope",
    "path": HUGE,
}
# Not crawled: logging out ends the crawl's session; the GraphQL endpoint is tested above;
# Django admin's catch-all and per-app regexes have no placeholders to fill.
SKIPPED = re.compile(r"^/(accounts/logout/|graphql/|i18n/setlang/)$|\(\?P|\^")


def _url(route: str) -> str:
    def fill(match: re.Match[str]) -> str:
        converter = match.group(1) or "str"
        return KWARG_VALUES[converter]

    return re.sub(r"<(?:(\w+):)?\w+>", fill, route)


def _routes(urlconf: str) -> list[str]:
    return [route for route in _patterns(urlconf) if not SKIPPED.search(route)]


def _form_field_names() -> list[str]:
    """Every field name of every form of the project (what views read from GET and POST)."""
    names: set[str] = set()
    pending: list[type] = [forms.Form, forms.ModelForm]
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        if form_class.__module__.startswith(("apps.", "tenants.", "config.")):
            names.update(getattr(form_class, "base_fields", {}))
    return sorted(names)


# Values no field of any form accepts whole: impossible dates, numbers past bigint,
# malformed months, NUL characters (PostgreSQL refuses them in text).
BAD_VALUES = ["31/02/2026", "2026-13", HUGE, "abc\x00", "-1"]
QUERY_PARAMETERS = ["page", "month", "year", "date", "from", "to", "q", "find", "format", "tab"]


def _why(response: Any) -> str:
    """The status, and the exception behind a 500 (the test client keeps it)."""
    exc_info = getattr(response, "exc_info", None)
    return f"{response.status_code} {exc_info[1]!r}" if exc_info else str(response.status_code)


def _crawl(client: Client, urlconf: str) -> list[str]:
    """GET every route with bad ids, then with every form field and usual parameter set to
    each bad value; return what answered 5xx."""
    client.raise_request_exception = False  # a 500 is a finding, not the end of the crawl
    failures = []
    names = sorted({*_form_field_names(), *QUERY_PARAMETERS})
    for route in _routes(urlconf):
        url = _url(route)
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"GET {url} -> {_why(response)}")
        if "<" in route:
            continue
        for value in BAD_VALUES:
            response = client.get(url, dict.fromkeys(names, value))
            if response.status_code >= 500:
                failures.append(f"GET {url} ({value!r}) -> {_why(response)}")
    return failures


def test_every_district_url_with_bad_ids_and_query_strings_never_answers_5xx(
    coordinator: Client,
) -> None:
    assert _crawl(coordinator, "config.urls_tenant") == []


def test_every_platform_url_with_bad_ids_and_query_strings_never_answers_5xx(
    platform_admin: Client,
) -> None:
    assert _crawl(platform_admin, "config.urls_public") == []


def test_the_audit_page_lists_a_search_that_named_no_person(
    district_a: District, coordinator: Client
) -> None:
    """A search for a complainant logs "person" with no id; the audit page once failed to
    link it (found by the crawl below)."""
    with schema_context(district_a.schema_name):
        access_record(
            user=staff("coordinator"),
            action=AccessLogEntry.Action.SEARCH,
            object_type="person",
            detail={"results": 0},
        )
    response = coordinator.get("/audit/")
    assert response.status_code == 200
    assert "list of people" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/people/?q=%00", "/complaints/new/?person=a%00b", "/people/%00/", "/?x%00=1"]
)
def test_a_nul_character_in_the_address_gets_a_clear_400(coordinator: Client, url: str) -> None:
    response = coordinator.get(url)
    assert response.status_code == 400
    assert "The address contains a character that is not allowed." in response.content.decode()


@pytest.mark.parametrize(
    "path", ["2026/13/", "2026/0/", f"{HUGE}/1/", "0/1/", "10000/1/", f"2026/{HUGE}/"]
)
def test_impossible_calendar_months_are_not_found(coordinator: Client, path: str) -> None:
    assert coordinator.get(f"/volunteers/calendar/{path}").status_code == 404


def test_every_district_form_refuses_bad_values_and_writes_nothing(
    district_a: District, coordinator: Client
) -> None:
    """POST every form field set to a NUL-laden, impossible value to every route: each
    answers 4xx (or re-shows the form), never 5xx, and no table but the allowed ones
    changes."""
    coordinator.raise_request_exception = False
    names = _form_field_names()
    failures = []
    answered: list[int] = []
    for route in _routes("config.urls_tenant"):
        url = _url(route)
        for value in ["31/02/2026\x00", f"{HUGE}\x00"]:
            before = _rows_written()
            response = coordinator.post(url, dict.fromkeys(names, value))
            written = _new_writes(before)
            answered.append(response.status_code)
            if response.status_code >= 500 or written:
                failures.append(f"POST {url} ({value!r}) -> {_why(response)} {written}")
    assert failures == []
    # The crawl reached the forms: many routes re-showed them with their errors.
    assert Counter(answered)[400] > 20, Counter(answered)


def test_every_platform_form_refuses_bad_values_and_writes_nothing(secretariat: Client) -> None:
    """The same on the platform's host, as the secretariat (forum forms)."""
    secretariat.raise_request_exception = False
    names = _form_field_names()
    failures = []
    for route in _routes("config.urls_public"):
        if route.startswith("/admin/"):
            continue  # Django's admin, for platform admins only: not the secretariat's
        url = _url(route)
        before = _rows_written()
        response = secretariat.post(url, dict.fromkeys(names, "31/02/2026\x00"))
        written = _new_writes(before)
        if response.status_code >= 500 or written:
            failures.append(f"POST {url} -> {_why(response)} {written}")
    assert failures == []


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", f"/forum/sessions/{HUGE}/"),
        ("post", f"/forum/agreements/{HUGE}/progress/"),
        ("post", f"/casework/tasks/{HUGE}/done/"),
        ("post", f"/api-tokens/{HUGE}/revoke/"),
        ("post", f"/team/{HUGE}/deactivate/"),
        ("post", f"/complaints/settings/grounds/{HUGE}/toggle/"),
        ("get", "/people/not-a-uuid/"),
        ("get", f"/volunteers/calendar/{HUGE}/{HUGE}/"),
    ],
)
def test_ids_past_bigint_or_malformed_in_the_address_are_not_found(
    coordinator: Client, method: str, url: str
) -> None:
    assert getattr(coordinator, method)(url).status_code == 404


def test_an_explicit_null_for_an_optional_graphql_argument_is_not_an_internal_error(
    coordinator: Client,
) -> None:
    """Found by the fuzzing run (tests/test_graphql_fuzz.py): ``days: null`` reached the
    service as None."""
    response = _gql(
        coordinator,
        {"query": 'mutation { apiTokenCreate(name: "n", days: null) { errors { field } } }'},
    )
    assert "Internal error." not in response.content.decode()
