"""The GraphQL layer: permissions, hardening and the checked-in schema."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.casework.services import attention_record
from apps.catalogue.models import ServiceType
from apps.metrics.publisher import metrics_publish
from apps.people.tests.factories import person_make, staff
from conftest import client_for, log_in, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent

JOINT = """query($from: Date!, $to: Date!) {
  jointMetrics(indicator: "people_served", periodFrom: $from, periodTo: $to, groupBy: ["district", "sex"]) {
    rows { district period dimensions { name value } value suppressed }
    total suppressedCount
  }
}"""


def _post(client: Client, query: str, variables: dict[str, Any] | None = None) -> Any:
    return client.post(
        "/graphql/", {"query": query, "variables": variables or {}}, content_type="application/json"
    )


def _secretariat() -> Client:
    client = client_for(None)
    log_in(client, "secretariat@platform.test")
    return client


def _month() -> dict[str, str]:
    first = timezone.localdate().replace(day=1)
    return {"from": first.isoformat(), "to": first.isoformat()}


def _publish(district: District, people: int) -> None:
    with schema_context(district.schema_name):
        services = list(ServiceType.objects.filter(code="other"))
        for i in range(people):
            person = person_make(given_names=f"G{i}", document_number=f"G-{i}", sex="female")
            attention_record(
                actor=staff(),
                person=person,
                occurred_on=timezone.localdate().replace(day=1),
                channel="phone",
                service_types=services,
            )
    metrics_publish(district=district, period=timezone.localdate())


def test_anonymous_gets_a_clear_authentication_error(public_client: Client) -> None:
    body = _post(public_client, "{ me { username } }").json()
    assert body["errors"][0]["message"] == "Authentication required."
    assert body["data"] is None


def test_me_says_who_and_where(district_a: District, client_a: Client) -> None:
    login_as(client_a, district_a, "caseworker")
    me = _post(client_a, "{ me { username roles district { slug } } }").json()["data"]["me"]
    assert me == {
        "username": "caseworker@la-perla.test",
        "roles": ["caseworker"],
        "district": {"slug": "la-perla"},
    }
    public = _post(_secretariat(), "{ me { username district { slug } } }").json()["data"]["me"]
    assert public == {"username": "secretariat@platform.test", "district": None}


def test_the_secretariat_reads_suppressed_joint_metrics(district_a: District) -> None:
    _publish(district_a, 7)
    result = _post(_secretariat(), JOINT, _month()).json()["data"]["jointMetrics"]
    rows = {(r["district"], r["dimensions"][0]["value"]): r for r in result["rows"]}
    assert rows[("la-perla", "female")]["value"] == 7
    assert result["total"] == 7


def test_without_district_in_group_by_rows_add_up_shown_counts_only(
    district_a: District, district_b: District
) -> None:
    _publish(district_a, 7)
    with schema_context(district_b.schema_name):
        services = list(ServiceType.objects.filter(code="other"))
        for i in range(2):
            person = person_make(
                actor=staff(slug="bellavista"),
                given_names=f"B{i}",
                document_number=f"B-{i}",
                sex="female",
            )
            attention_record(
                actor=staff(slug="bellavista"),
                person=person,
                occurred_on=timezone.localdate().replace(day=1),
                channel="phone",
                service_types=services,
            )
    metrics_publish(district=district_b, period=timezone.localdate())
    query = JOINT.replace(
        'groupBy: ["district", "sex"]', 'groupBy: ["sex"], districts: $districts'
    ).replace("$to: Date!)", "$to: Date!, $districts: [String!])")
    both = _post(
        _secretariat(), query, {**_month(), "districts": ["la-perla", "bellavista"]}
    ).json()["data"]["jointMetrics"]
    one = _post(_secretariat(), query, {**_month(), "districts": ["la-perla"]}).json()["data"][
        "jointMetrics"
    ]
    assert [(r["district"], r["value"], r["suppressed"]) for r in both["rows"]] == [(None, 7, True)]
    assert both["total"] - one["total"] == 0  # Bellavista's 2 cannot be worked out


def test_small_counts_come_out_as_null(district_a: District) -> None:
    _publish(district_a, 3)
    result = _post(_secretariat(), JOINT, _month()).json()["data"]["jointMetrics"]
    assert [r["value"] for r in result["rows"]] == [None]
    assert result["suppressedCount"] == 1
    assert result["total"] == 0


@pytest.mark.parametrize(
    ("role", "allowed"), [("coordinator", True), ("caseworker", False), ("viewer", False)]
)
def test_in_a_workspace_only_the_coordinator_reads_joint_metrics(
    district_a: District, client_a: Client, role: str, allowed: bool
) -> None:
    login_as(client_a, district_a, role)
    body = _post(client_a, JOINT, _month()).json()
    if allowed:
        assert "errors" not in body
    else:
        assert body["errors"][0]["message"] == "Not allowed."


def test_alias_and_size_limits(public_client: Client) -> None:
    many = "{ " + " ".join(f"a{i}: me {{ username }}" for i in range(20)) + " }"
    aliases = _post(public_client, many).json()
    assert "Too many aliases" in aliases["errors"][0]["message"]
    huge = "{ __typename }" + " " * 20_000
    assert _post(public_client, huge).status_code == 400


def test_depth_limit(public_client: Client, settings: Any) -> None:
    settings.GRAPHQL_MAX_DEPTH = 1
    body = _post(public_client, "{ me { district { name } } }").json()
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


def test_introspection_is_off_but_typename_works(public_client: Client) -> None:
    assert _post(public_client, "{ __typename }").json() == {"data": {"__typename": "Query"}}
    body = _post(public_client, "{ __schema { types { name } } }").json()
    assert "introspection is disabled" in body["errors"][0]["message"].lower()


def test_unexpected_errors_are_masked(
    district_a: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apps.metrics import graphql as metrics_graphql

    def explode(**kwargs: Any) -> None:
        raise RuntimeError("secret detail from the database")

    monkeypatch.setattr(metrics_graphql, "joint_metrics", explode)
    body = _post(_secretariat(), JOINT, _month()).json()
    assert body["errors"][0]["message"] == "Internal error."
    assert "secret" not in str(body)


def test_csrf_is_enforced_for_cookie_sessions(district_a: District) -> None:
    client = Client(HTTP_HOST="la-perla.localhost", enforce_csrf_checks=True)
    log_in(client, "coordinator@la-perla.test")  # the forms with their CSRF token
    assert _post(client, "{ me { username } }").status_code == 403
    ok = client.post(
        "/graphql/",
        {"query": "{ me { username } }"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert ok.json()["data"]["me"]["username"] == "coordinator@la-perla.test"


def test_the_checked_in_schema_is_current(tmp_path: Path) -> None:
    out = tmp_path / "schema.graphql"
    call_command(
        "graphql_schema",
        schema="config.graphql.schema.schema",
        out=str(out),
        stdout=io.StringIO(),
    )
    assert out.read_text() == (ROOT / "schema.graphql").read_text(), "run: make graphql-schema"


def test_the_standard_validation_rules_apply(public_client: Client) -> None:
    secretariat = _secretariat()
    unknown = _post(secretariat, "{ forumSessions { bogus } }").json()
    assert "Cannot query field 'bogus'" in unknown["errors"][0]["message"]
    wrong_argument = _post(
        secretariat,
        'mutation { forumSessionCreate(heldOn: "2030-01-01", place: "X", number: 2) '
        "{ errors { field } } }",
    ).json()
    assert "Unknown argument 'number'" in wrong_argument["errors"][0]["message"]
    bad_date = _post(
        secretariat,
        'mutation { forumSessionCreate(heldOn: "2027-02-31", place: "X") { errors { field } } }',
    ).json()
    assert bad_date["errors"][0]["message"] != "Internal error."
    assert "data" not in bad_date or bad_date["data"] is None
    cycle = _post(public_client, "{ ...A } fragment A on Query { ...A }")
    assert cycle.status_code == 400
    assert "cannot spread fragment" in cycle.json()["errors"][0]["message"].lower()


def test_a_missing_csrf_token_gets_a_json_answer(district_a: District) -> None:
    client = Client(HTTP_HOST="la-perla.localhost", enforce_csrf_checks=True)
    response = _post(client, "{ me { username } }")
    assert response.status_code == 403
    assert "CSRF" in response.json()["errors"][0]["message"]


def test_the_depth_limit_follows_fragments(public_client: Client, settings: Any) -> None:
    settings.GRAPHQL_MAX_DEPTH = 2
    deep = "{ ...F } fragment F on Query { me { district { name } } }"
    assert (
        "exceeds maximum operation depth"
        in _post(public_client, deep).json()["errors"][0]["message"]
    )
    shallow = "{ ...F } fragment F on Query { me { username } }"
    body = _post(public_client, shallow).json()
    assert body["errors"][0]["message"] == "Authentication required."
