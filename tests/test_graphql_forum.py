"""The forum through GraphQL: who may do what, field errors, API tokens, pagination and
query counts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.api_tokens import api_token_create
from apps.forum.models import AgendaItem, Agreement, AgreementProgress, ForumSession
from apps.forum.services import (
    ForumActor,
    agenda_item_propose,
    agreement_create,
    forum_session_create,
)
from apps.metrics.models import MetricValue
from conftest import TEST_PASSWORD, client_for, log_in, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
PUBLIC_NO_ROLE = "public-no-role"
SECRETARIAT = "secretariat"
ADMIN = "platform_admin"
DISTRICT_ROLES = ("coordinator", "caseworker", "complaints_officer", "inclusion_officer", "viewer")


def _post(client: Client, query: str, variables: dict[str, Any] | None = None, **extra: Any) -> Any:
    return client.post(
        "/graphql/",
        {"query": query, "variables": variables or {}},
        content_type="application/json",
        **extra,
    )


def _public(email: str | None) -> Client:
    client = client_for(None)
    if email:
        log_in(client, email)
    return client


def _actor_client(actor: str, district: District) -> Client:
    if actor == ANONYMOUS:
        return _public(None)
    if actor == PUBLIC_NO_ROLE:
        User.objects.create_user("norole@platform.test", "norole@platform.test", TEST_PASSWORD)
        return _public("norole@platform.test")
    if actor == SECRETARIAT:
        return _public("secretariat@platform.test")
    if actor == ADMIN:
        return _public("admin@platform.test")
    client = client_for(district)
    login_as(client, district, actor)
    return client


def _secretariat_account() -> User:
    return User.objects.get(username="secretariat@platform.test")


def _session(number: int | None = None, **fields: Any) -> ForumSession:
    return forum_session_create(
        actor=ForumActor.secretariat(_secretariat_account()),
        held_on=fields.pop("held_on", timezone.localdate() + timedelta(days=20)),
        place=fields.pop("place", "Palacio Municipal del Callao"),
        number=number,
        **fields,
    )


def _agreement(session: ForumSession, districts: list[District], **fields: Any) -> Agreement:
    return agreement_create(
        actor=ForumActor.secretariat(_secretariat_account()),
        session=session,
        text=fields.pop("text", "Abrir una oficina de orientación itinerante."),
        responsible_districts=districts,
        **fields,
    )


# ------------------------------------------------------------------ permission matrix
# For each operation: the actors that may run it. District actors act on their own host.
READERS = {SECRETARIAT, ADMIN, *DISTRICT_ROLES}
OPERATIONS: dict[str, tuple[str, set[str]]] = {
    "forumSessions": ("{ forumSessions { totalCount } }", READERS),
    "forumSession": ("query($s: ID!) { forumSession(id: $s) { number } }", READERS),
    "agreements": ("{ agreements { totalCount } }", READERS),
    "forumSessionCreate": (
        (
            'mutation { forumSessionCreate(heldOn: "2030-01-15", place: "Bellavista") '
            "{ forumSession { number } errors { field messages } } }"
        ),
        {SECRETARIAT, ADMIN},
    ),
    "forumSessionUpdate": (
        (
            'mutation($s: ID!) { forumSessionUpdate(id: $s, input: {place: "La Punta"}) '
            "{ forumSession { place } errors { field } } }"
        ),
        {SECRETARIAT, ADMIN},
    ),
    "agendaItemPropose": (
        (
            'mutation($s: ID!) { agendaItemPropose(sessionId: $s, title: "Ferias") '
            "{ agendaItem { status } errors { field } } }"
        ),
        {SECRETARIAT, ADMIN, "coordinator"},
    ),
    "agendaItemDecide": (
        (
            "mutation($i: ID!) { agendaItemDecide(id: $i, status: ACCEPTED) "
            "{ agendaItem { status } errors { field } } }"
        ),
        {SECRETARIAT, ADMIN},
    ),
    "agreementCreate": (
        (
            'mutation($s: ID!) { agreementCreate(sessionId: $s, text: "Campaña", '
            'responsibleDistricts: ["la-perla"]) { agreement { id } errors { field } } }'
        ),
        {SECRETARIAT, ADMIN},
    ),
    "agreementProgressPost": (
        (
            'mutation($a: ID!) { agreementProgressPost(agreementId: $a, note: "Avance", '
            "status: IN_PROGRESS) { agreement { status } errors { field } } }"
        ),
        {"coordinator"},
    ),
    "minutesPublish": (
        (
            'mutation($s: ID!) { minutesPublish(sessionId: $s, body: "Acta") '
            "{ minutes { version } errors { field } } }"
        ),
        {SECRETARIAT, ADMIN},
    ),
    "apiTokenCreate": (
        'mutation { apiTokenCreate(name: "Tablero") { secret errors { field } } }',
        {SECRETARIAT, "coordinator"},
    ),
    "apiTokenRevoke": (
        "mutation($t: ID!) { apiTokenRevoke(id: $t) { apiToken { revokedAt } errors { field } } }",
        {SECRETARIAT, "coordinator"},
    ),
    "me": ("{ me { username } }", {PUBLIC_NO_ROLE, *READERS}),
    "districts": ("{ districts { slug } }", {PUBLIC_NO_ROLE, *READERS}),
    "indicators": ("{ indicators { code } }", {PUBLIC_NO_ROLE, *READERS}),
    "jointMetrics": (
        (
            'query($from: Date!, $to: Date!) { jointMetrics(indicator: "people_served", '
            "periodFrom: $from, periodTo: $to) { total } }"
        ),
        {SECRETARIAT, ADMIN, "coordinator"},
    ),
}
ACTORS = [ANONYMOUS, PUBLIC_NO_ROLE, SECRETARIAT, ADMIN, *DISTRICT_ROLES]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_permission_matrix(district_a: District, operation: str, actor: str) -> None:
    session = _session()
    ForumSession.objects.filter(pk=session.pk).update(status="convened")
    session.refresh_from_db()
    item = agenda_item_propose(
        actor=ForumActor.for_district(district_a, None), session=session, title="Ferias"
    )
    agreement = _agreement(session, [district_a])
    # Minutes are published once a session is held.
    status = "held" if operation == "minutesPublish" else "convened"
    ForumSession.objects.filter(pk=session.pk).update(status=status)
    query, allowed = OPERATIONS[operation]
    month = timezone.localdate().replace(day=1).isoformat()
    variables = {
        name: value
        for name, value in {
            "s": session.pk,
            "i": item.pk,
            "a": agreement.pk,
            "t": _token_of_the_actors_host(actor, district_a),
            "from": month,
            "to": month,
        }.items()
        if f"${name}" in query
    }
    body = _post(_actor_client(actor, district_a), query, variables).json()
    if actor in allowed:
        assert "errors" not in body, body
        payload = body["data"][operation]
        assert payload is not None
        if isinstance(payload, dict) and "errors" in payload:
            assert payload["errors"] == []
    else:
        expected = "Authentication required." if actor == ANONYMOUS else "Not allowed."
        assert body["errors"][0]["message"] == expected
        assert not body.get("data") or body["data"].get(operation) is None


def _token_of_the_actors_host(actor: str, district: District) -> int:
    """A token on the host the actor works on (the platform's, or the district's)."""
    on_platform = actor in {ANONYMOUS, PUBLIC_NO_ROLE, SECRETARIAT, ADMIN}
    if on_platform:
        account = _secretariat_account()
        token, _secret = api_token_create(account=account, district=None, name="Matriz")
        return token.pk
    from django_tenants.utils import schema_context

    with schema_context(district.schema_name):
        account = User.objects.get(username="coordinator@la-perla.test")
        token, _secret = api_token_create(account=account, district=district, name="Matriz")
    return token.pk


def test_every_operation_has_a_case_in_the_matrix() -> None:
    """A query or mutation added later without a case here fails this test."""
    from config.graphql.schema import schema

    fields = set(schema.graphql_schema.query_type.fields) | set(
        schema.graphql_schema.mutation_type.fields
    )
    assert fields == set(OPERATIONS)


# ------------------------------------------------------------------ behaviour
def test_a_session_is_created_numbered_and_refuses_impossible_moves() -> None:
    client = _public("secretariat@platform.test")
    created = _post(
        client,
        'mutation { forumSessionCreate(heldOn: "2030-03-01", place: "La Punta", '
        'hostDistrict: "la-perla") { forumSession { id number status hostDistrict { slug } } '
        "errors { field messages } } }",
    ).json()["data"]["forumSessionCreate"]
    assert created["errors"] == []
    assert created["forumSession"]["status"] == "DRAFT"
    assert created["forumSession"]["hostDistrict"] == {"slug": "la-perla"}
    session_id = created["forumSession"]["id"]
    refused = _post(
        client,
        "mutation($s: ID!) { forumSessionUpdate(id: $s, input: {status: MINUTES_APPROVED}) "
        "{ forumSession { status } errors { field messages } } }",
        {"s": session_id},
    ).json()["data"]["forumSessionUpdate"]
    assert refused["errors"][0]["field"] == "status"
    assert ForumSession.objects.get(pk=session_id).status == "draft"


def test_personal_data_in_forum_texts_comes_back_as_a_field_error() -> None:
    session = _session()
    body = _post(
        _public("secretariat@platform.test"),
        'mutation($s: ID!) { agendaItemPropose(sessionId: $s, title: "Caso DNI 45871236") '
        "{ agendaItem { id } errors { field messages } } }",
        {"s": session.pk},
    ).json()["data"]["agendaItemPropose"]
    assert body["agendaItem"] is None
    assert body["errors"][0]["field"] == "title"
    assert not AgendaItem.objects.filter(session=session).exists()


def test_a_district_proposes_and_the_secretariat_decides(
    district_a: District, client_a: Client
) -> None:
    session = _session()
    ForumSession.objects.filter(pk=session.pk).update(status="convened")
    login_as(client_a, district_a, "coordinator")
    proposed = _post(
        client_a,
        'mutation($s: ID!) { agendaItemPropose(sessionId: $s, title: "Ferias de emprendedores", '
        "plannedMinutes: 20) { agendaItem { id status proposedBy { slug } } errors { field } } }",
        {"s": session.pk},
    ).json()["data"]["agendaItemPropose"]["agendaItem"]
    assert proposed["status"] == "PROPOSED"
    assert proposed["proposedBy"] == {"slug": "la-perla"}
    decided = _post(
        _public("secretariat@platform.test"),
        'mutation($i: ID!) { agendaItemDecide(id: $i, status: DEFERRED, note: "Próxima sesión") '
        "{ agendaItem { status decisionNote } errors { field } } }",
        {"i": proposed["id"]},
    ).json()["data"]["agendaItemDecide"]
    assert decided == {
        "agendaItem": {"status": "DEFERRED", "decisionNote": "Próxima sesión"},
        "errors": [],
    }


def test_only_a_responsible_district_posts_progress(
    district_a: District, district_b: District, client_b: Client
) -> None:
    agreement = _agreement(_session(), [district_a])
    login_as(client_b, district_b, "coordinator")
    body = _post(
        client_b,
        'mutation($a: ID!) { agreementProgressPost(agreementId: $a, note: "Hecho", status: DONE) '
        "{ agreement { status } errors { field messages } } }",
        {"a": agreement.pk},
    ).json()
    # Another district's agreement answers like one that does not exist (no data).
    assert body["errors"][0]["message"] == "Not found."
    assert body["data"]["agreementProgressPost"] is None
    assert not AgreementProgress.objects.exists()
    agreement.refresh_from_db()
    assert agreement.status == "pending"


def test_agreement_progress_is_read_from_the_joint_metrics(district_a: District) -> None:
    this_month = timezone.localdate().replace(day=1)
    last_year = this_month.replace(year=this_month.year - 1)
    for period, value in ((last_year, 40), (this_month, 30)):
        MetricValue.objects.create(
            district=district_a,
            indicator="people_served",
            period=period,
            value=value,
            threshold=5,
        )
    session = _session(held_on=this_month)
    agreement = _agreement(
        session,
        [district_a],
        indicator="people_served",
        target=60,
        baseline_from=last_year,
        baseline_to=last_year,
        deadline=this_month + timedelta(days=200),
    )
    figures = _post(
        _public("secretariat@platform.test"),
        "{ agreements { nodes { id figures { target baseline actual percent incomplete } } } }",
    ).json()["data"]["agreements"]["nodes"]
    assert figures == [
        {
            "id": str(agreement.pk),
            "figures": {
                "target": 60,
                "baseline": 40,
                "actual": 30,
                "percent": 50,
                "incomplete": False,
            },
        }
    ]


def test_people_are_averaged_per_month_and_services_added_up(district_a: District) -> None:
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    for indicator in ("people_served", "attentions"):
        for period, value in ((last_month, 20), (this_month, 40)):
            MetricValue.objects.create(
                district=district_a, indicator=indicator, period=period, value=value, threshold=5
            )
    session = _session(held_on=last_month)
    for indicator in ("people_served", "attentions"):
        _agreement(
            session,
            [district_a],
            text=f"Meta de {indicator}",
            indicator=indicator,
            target=100,
            baseline_from=last_month,
            baseline_to=last_month,
        )
    nodes = _post(
        _public("secretariat@platform.test"),
        "{ agreements { nodes { indicator figures { actual perMonth } } } }",
    ).json()["data"]["agreements"]["nodes"]
    assert {n["indicator"]: n["figures"] for n in nodes} == {
        "people_served": {"actual": 30, "perMonth": True},
        "attentions": {"actual": 60, "perMonth": False},
    }


def test_small_counts_never_reach_agreement_figures(district_a: District) -> None:
    this_month = timezone.localdate().replace(day=1)
    MetricValue.objects.create(
        district=district_a, indicator="people_served", period=this_month, value=3, threshold=5
    )
    _agreement(
        _session(held_on=this_month),
        [district_a],
        indicator="people_served",
        target=10,
        baseline_from=this_month,
        baseline_to=this_month,
    )
    figures = _post(
        _public("secretariat@platform.test"),
        "{ agreements { nodes { figures { actual incomplete } } } }",
    ).json()["data"]["agreements"]["nodes"][0]["figures"]
    assert figures == {"actual": 0, "incomplete": True}


def test_overdue_is_computed_from_the_deadline(district_a: District) -> None:
    session = _session(held_on=date(2019, 12, 2))
    late = _agreement(session, [district_a], deadline=date(2020, 1, 1))
    _agreement(session, [district_a], deadline=date(2099, 1, 1))
    client = _public("secretariat@platform.test")
    body = _post(
        client, "{ agreements(overdue: true) { totalCount nodes { id status overdue } } }"
    ).json()["data"]["agreements"]
    assert body == {
        "totalCount": 1,
        "nodes": [{"id": str(late.pk), "status": "OVERDUE", "overdue": True}],
    }
    by_status = _post(client, "{ agreements(status: OVERDUE) { totalCount } }").json()
    assert by_status["data"]["agreements"]["totalCount"] == 1
    pending = _post(client, "{ agreements(status: PENDING) { totalCount } }").json()
    assert pending["data"]["agreements"]["totalCount"] == 1


def test_minutes_are_versioned() -> None:
    session = _session()
    ForumSession.objects.filter(pk=session.pk).update(
        status="held"
    )  # minutes follow a held session
    client = _public("secretariat@platform.test")
    for body in ("Primera versión", "Segunda versión"):
        _post(
            client,
            "mutation($s: ID!, $b: String!) { minutesPublish(sessionId: $s, body: $b) "
            "{ minutes { version } errors { field } } }",
            {"s": session.pk, "b": body},
        )
    minutes = _post(
        client,
        "query($s: ID!) { forumSession(id: $s) { minutes { version body } } }",
        {"s": session.pk},
    ).json()["data"]["forumSession"]["minutes"]
    assert minutes == [
        {"version": 2, "body": "Segunda versión"},
        {"version": 1, "body": "Primera versión"},
    ]


# ------------------------------------------------------------------ pagination, N+1
def test_lists_are_paginated_with_a_maximum() -> None:
    for number in range(1, 6):
        _session(number=number)
    client = _public("secretariat@platform.test")
    query = "query($after: String) { forumSessions(first: 2, after: $after) { nodes { number } pageInfo { hasNextPage endCursor } totalCount } }"
    seen: list[int] = []
    after = None
    while True:
        page = _post(client, query, {"after": after}).json()["data"]["forumSessions"]
        seen += [node["number"] for node in page["nodes"]]
        assert page["totalCount"] == 5
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [5, 4, 3, 2, 1] or sorted(seen) == [1, 2, 3, 4, 5]
    assert len(seen) == 5
    too_many = _post(client, "{ forumSessions(first: 500) { totalCount } }").json()
    assert "between 1 and 50" in too_many["errors"][0]["message"]


DEEP = """{ forumSessions(first: 50) { nodes { number hostDistrict { slug }
  agendaItems { title proposedBy { slug } children { title } }
  agreements { text responsibleDistricts { slug } figures { actual } progress { note district { slug } } }
  minutes { version } } } }"""
AGREEMENTS = """{ agreements(first: 50) { nodes { text sessionNumber responsibleDistricts { slug }
  figures { actual } progress { note district { slug } } } } }"""


def _grow(district: District, sessions: int) -> None:
    secretariat = ForumActor.secretariat(_secretariat_account())
    for _ in range(sessions):
        session = _session(host_district=district)
        parent = agenda_item_propose(actor=secretariat, session=session, title="Inclusión")
        agenda_item_propose(actor=secretariat, session=session, title="Ferias", parent=parent)
        this_month = timezone.localdate().replace(day=1)
        agreement = _agreement(
            session,
            [district],
            indicator="people_served",
            target=10,
            baseline_from=this_month,
            baseline_to=this_month,
        )
        AgreementProgress.objects.create(
            agreement=agreement, district=district, note="Avance", status="in_progress"
        )


@pytest.mark.parametrize("query", [DEEP, AGREEMENTS])
def test_query_counts_stay_constant_as_lists_grow(district_a: District, query: str) -> None:
    client = _public("secretariat@platform.test")
    counts = []
    for _ in range(2):
        _grow(district_a, 3)
        _post(client, query)
        with CaptureQueriesContext(connection) as context:
            body = _post(client, query).json()
        assert "errors" not in body, body
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


# ------------------------------------------------------------------ API tokens and CSRF
def test_a_token_reads_on_its_own_host_only(district_a: District, district_b: District) -> None:
    with_cookie = client_for(district_a)
    login_as(with_cookie, district_a, "coordinator")
    created = _post(
        with_cookie,
        'mutation { apiTokenCreate(name: "Power BI") { secret apiToken { id prefix } errors { field } } }',
    ).json()["data"]["apiTokenCreate"]
    secret = created["secret"]
    assert secret.startswith(created["apiToken"]["prefix"])
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    machine = Client(HTTP_HOST="la-perla.localhost", enforce_csrf_checks=True)
    me = _post(machine, "{ me { username district { slug } } }", **bearer).json()
    assert me["data"]["me"] == {
        "username": "coordinator@la-perla.test",
        "district": {"slug": "la-perla"},
    }
    elsewhere = Client(HTTP_HOST="bellavista.localhost")
    assert _post(elsewhere, "{ me { username } }", **bearer).status_code == 401
    assert _post(client_for(None), "{ me { username } }", **bearer).status_code == 401


def test_tokens_are_stored_hashed_and_can_be_revoked(district_a: District) -> None:
    client = _public("secretariat@platform.test")
    created = _post(
        client, 'mutation { apiTokenCreate(name: "Informe GTRM") { secret apiToken { id } } }'
    ).json()["data"]["apiTokenCreate"]
    from apps.accounts.models import ApiToken

    stored = ApiToken.objects.get(pk=created["apiToken"]["id"])
    assert created["secret"] not in {stored.key_hash, stored.prefix, stored.name}
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {created['secret']}"}
    assert _post(client_for(None), "{ forumSessions { totalCount } }", **bearer).status_code == 200
    revoked = _post(
        client,
        "mutation($t: ID!) { apiTokenRevoke(id: $t) { apiToken { revokedAt } errors { field } } }",
        {"t": created["apiToken"]["id"]},
    ).json()["data"]["apiTokenRevoke"]
    assert revoked["apiToken"]["revokedAt"] is not None
    refused = _post(client_for(None), "{ forumSessions { totalCount } }", **bearer)
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_a_district_cannot_revoke_another_hosts_token(
    district_a: District, district_b: District, client_b: Client
) -> None:
    account = User.objects.get(username="secretariat@platform.test")
    token, _secret = api_token_create(account=account, district=None, name="Secretaría")
    login_as(client_b, district_b, "coordinator")
    body = _post(
        client_b,
        "mutation($t: ID!) { apiTokenRevoke(id: $t) { apiToken { id } } }",
        {"t": token.pk},
    ).json()
    assert body["errors"][0]["message"] == "Not found."
    token.refresh_from_db()
    assert token.revoked_at is None


def test_tokens_never_run_mutations() -> None:
    account = User.objects.get(username="secretariat@platform.test")
    _token, secret = api_token_create(account=account, district=None, name="Lector")
    body = _post(
        client_for(None),
        'mutation { forumSessionCreate(heldOn: "2030-01-01", place: "X") { errors { field } } }',
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    ).json()
    assert "only read" in body["errors"][0]["message"]
    assert not ForumSession.objects.exists()


def test_an_expired_token_is_refused() -> None:
    account = User.objects.get(username="secretariat@platform.test")
    token, secret = api_token_create(account=account, district=None, name="Viejo")
    token.expires_at = timezone.now() - timedelta(minutes=1)
    token.save()
    response = _post(client_for(None), "{ me { username } }", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401


def test_cookie_mutations_need_the_csrf_token() -> None:
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    log_in(client, "secretariat@platform.test")  # the forms with their CSRF token
    mutation = (
        'mutation { forumSessionCreate(heldOn: "2030-01-01", place: "X") { errors { field } } }'
    )
    assert _post(client, mutation).status_code == 403
    assert not ForumSession.objects.exists()
    ok = _post(client, mutation, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert ok.json()["data"]["forumSessionCreate"]["errors"] == []


def test_a_suspended_workspace_runs_no_mutation(district_a: District, client_a: Client) -> None:
    session = _session()
    login_as(client_a, district_a, "coordinator")
    District.objects.filter(pk=district_a.pk).update(status=District.Status.SUSPENDED)
    from django.core.cache import cache

    cache.clear()
    body = _post(
        client_a,
        'mutation($s: ID!) { agendaItemPropose(sessionId: $s, title: "Ferias") { errors { field } } }',
        {"s": session.pk},
    ).json()
    assert "suspend" in body["errors"][0]["message"]
    assert not AgendaItem.objects.exists()


def test_districts_never_see_draft_sessions(district_a: District, client_a: Client) -> None:
    draft = _session(number=1)
    convened = _session(number=2)
    ForumSession.objects.filter(pk=convened.pk).update(status="convened")
    login_as(client_a, district_a, "viewer")
    listed = _post(client_a, "{ forumSessions { nodes { number } } }").json()
    assert listed["data"]["forumSessions"]["nodes"] == [{"number": 2}]
    one = _post(
        client_a, "query($s: ID!) { forumSession(id: $s) { number } }", {"s": draft.pk}
    ).json()
    assert one["data"]["forumSession"] is None
    secretariat = _post(
        _public("secretariat@platform.test"), "{ forumSessions { totalCount } }"
    ).json()
    assert secretariat["data"]["forumSessions"]["totalCount"] == 2
