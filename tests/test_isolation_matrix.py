"""District isolation, proven route by route and field by field.

District A (La Perla) gets one object of every kind whose id a URL or a GraphQL argument
takes (tests/isolation_support.py). Then every route of the district URL map and every
GraphQL query and mutation is tried on district B's host (Bellavista) with A's ids: as
each role of B, anonymously, with B's API token, and from the platform's host. Each
attempt must be refused, must show none of A's data, and must answer exactly as it does
for an id that exists nowhere (same status, same redirect, same body once the asked id
and the per-response CSRF tokens and CSP nonces are blanked): a caller cannot even learn
whether the id exists.

Refused means 404 or 403. An anonymous caller may instead be sent to the login page
(302): that is decided before the id is looked at, the same for every id, and the login
page shows nothing; a 404 there would be no safer and would only break the "log in and
come back" link. The few pages that are public by design (password-reset and invitation
links, complaint tracking) answer 200 with their "not valid / not found" text, again the
same for every id: their cases say so.

The tables ROUTES and GRAPHQL name a case for every route and every root field; a route
or field added without one fails ``test_every_district_route_has_a_case`` or
``test_every_graphql_field_has_a_case``. Routes that take no id are listed too, with the
reason, and are checked for A's data in what B's staff see (lists, searches, calendars,
exports).

A's data is made once for the module inside a transaction that is rolled back at the end
(each test's own transaction is a savepoint inside it): fast, and it leaves nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import Resolver404, resolve

import config.urls_tenant
from apps.accounts.roles import DistrictRole
from config.graphql.schema import schema
from conftest import DISTRICT_A, DISTRICT_B, client_for, log_in, login_as
from tenants.models import District
from tests.isolation_support import (
    Answer,
    WorldA,
    a_user_exists_nowhere_else,
    graphql_fields,
    route_kwargs,
    route_path,
    sequences_push_ahead,
    sequences_restore,
    today_path_values,
    url_routes,
    world_a_build,
)

pytestmark = pytest.mark.django_db

B_ROLES = [str(role) for role in DistrictRole]
PLATFORM_ACCOUNTS = {
    "platform_admin": "admin@platform.test",
    "secretariat": "secretariat@platform.test",
}


# ============================================================================ the cases
@dataclass(frozen=True)
class ById:
    """The route names A's objects: each URL argument is a kind of ``WorldA.ids`` (or a
    fixed, non-id value such as an action), ``query``/``form`` put ids in the query
    string or the POST body."""

    kinds: dict[str, str] = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)
    form_fixed: dict[str, str] = field(default_factory=dict)
    methods: tuple[str, ...] = ("GET", "POST")
    # Statuses allowed besides 403/404, with the reason (a public page by design).
    also: frozenset[int] = frozenset()
    note: str = ""
    # The same path on the platform's host is the secretariat's page for a shared
    # (forum) object: there only anonymous callers are tried.
    platform_staff: bool = True
    # Why A's own coordinator, on A's host, cannot tell this id from a missing one either
    # ("" when A's coordinator can: the premise that makes the refusals on B meaningful).
    hidden_in_a: str = ""


@dataclass(frozen=True)
class NoIds:
    """The route takes no id of another district (its list, form or search is B's
    own): B's staff must see nothing of A there."""

    reason: str
    fixed: dict[str, str] = field(default_factory=dict)
    query: str = ""
    # Searched for A's person's name and document number (and A's tracking code).
    searches: bool = False
    # GET has a side effect on the caller's own session (logout): not requested.
    requested: bool = True


@dataclass(frozen=True)
class Elsewhere:
    reason: str


Case = ById | NoIds | Elsewhere

_DRAFT = "a draft session is the secretariat's only: no district sees it"
ROUTES: dict[str, Case] = {
    # --- workspace and catalogue
    "": NoIds("B's home page: B's own counts and shortcuts"),
    "catalogue/": NoIds("the shared reference catalogue as B keeps it"),
    "figures/": NoIds("B's own figures"),
    "audit/": NoIds("B's own access log"),
    # --- people
    "people/": NoIds("B's registry list", searches=True),
    "people/new/": NoIds("a blank registration form"),
    "people/export/": NoIds("B's registry as CSV", query="format=csv", searches=True),
    "people/import/": NoIds("B's upload form and B's own recent imports"),
    "people/import/template.xlsx": NoIds("an empty spreadsheet template"),
    "people/import/<uuid:public_id>/confirm/": ById({"public_id": "import"}),
    "people/import/<uuid:public_id>/": ById({"public_id": "import"}),
    "people/<uuid:public_id>/": ById({"public_id": "person"}),
    "people/<uuid:public_id>/edit/": ById({"public_id": "person"}),
    "people/<uuid:public_id>/print/": ById({"public_id": "person"}),
    "people/<uuid:public_id>/merge/": ById({"public_id": "person"}),
    "people/<uuid:public_id>/household/": ById({"public_id": "person"}),
    "people/<uuid:public_id>/documents/": ById({"public_id": "person"}),
    "people/<uuid:public_id>/situations/": ById({"public_id": "person"}),
    "people/<uuid:public_id>/consents/": ById({"public_id": "person"}),
    "people/<uuid:public_id>/rights/new/": ById({"public_id": "person"}),
    "people/<uuid:public_id>/rights/<int:request_id>/answer/": ById(
        {"public_id": "person", "request_id": "data_request"}
    ),
    "people/<uuid:public_id>/rights/data.json": ById({"public_id": "person"}),
    "people/<uuid:public_id>/rights/summary/": ById({"public_id": "person"}),
    "people/<uuid:public_id>/rights/opposition/": ById({"public_id": "person"}),
    "people/<uuid:public_id>/rights/anonymise/": ById({"public_id": "person"}),
    "people/<uuid:public_id>/consents/<int:consent_id>/withdraw/": ById(
        {"public_id": "person", "consent_id": "consent"}
    ),
    # --- casework
    "casework/people/<uuid:public_id>/attentions/new/": ById({"public_id": "person"}),
    "casework/people/<uuid:public_id>/cases/new/": ById({"public_id": "person"}),
    "casework/people/<uuid:public_id>/referrals/new/": ById({"public_id": "person"}),
    "casework/cases/<uuid:public_id>/": ById({"public_id": "case"}),
    "casework/cases/<uuid:public_id>/<str:action>/": ById(
        {"public_id": "case"}, fixed={"action": "close"}
    ),
    "casework/tasks/<int:task_id>/done/": ById({"task_id": "task"}),
    "casework/referrals/": NoIds("B's referrals", searches=True),
    "casework/referrals/<uuid:public_id>/": ById({"public_id": "referral"}),
    # --- complaints
    "complaints/": NoIds("B's complaints", searches=True),
    "complaints/new/": NoIds("a blank intake form"),
    "complaints/<uuid:public_id>/": ById({"public_id": "complaint"}),
    "complaints/<uuid:public_id>/move/<str:stage>/": ById(
        {"public_id": "complaint"}, fixed={"stage": "admitted"}
    ),
    "complaints/establishments/": NoIds("B's establishments", searches=True),
    "complaints/establishments/new/": NoIds("a blank establishment form"),
    "complaints/establishments/<uuid:public_id>/": ById({"public_id": "establishment"}),
    "complaints/establishments/<uuid:public_id>/edit/": ById({"public_id": "establishment"}),
    "complaints/establishments/<uuid:public_id>/signage/new/": ById({"public_id": "establishment"}),
    "complaints/settings/": NoIds("B's grounds, deadlines and sanction rules"),
    "complaints/settings/deadlines/": NoIds("B's deadlines form"),
    "complaints/settings/grounds/new/": NoIds("a blank ground form"),
    "complaints/settings/grounds/<int:ground_id>/toggle/": ById({"ground_id": "ground"}),
    "complaints/settings/sanctions/new/": NoIds("a blank sanction-rule form"),
    "complaints/settings/sanctions/<int:rule_id>/": ById({"rule_id": "sanction_rule"}),
    "complaints/report/": NoIds("the public complaint form (no login): B's grounds only"),
    "complaints/report/sent/": NoIds("the public form's thank-you page (code from the session)"),
    "complaints/track/": ById(
        form={"code": "tracking_code"},
        methods=("POST",),
        also=frozenset({200}),
        note="public tracking page: 'no complaint with this code' for any unknown code",
    ),
    # --- inclusion
    "inclusion/": NoIds("B's entrepreneurs", searches=True),
    "inclusion/entrepreneurs/new/": ById(
        query={"person": "person"},
        methods=("GET",),
        also=frozenset({200}),
        note="B's registration form; an unknown ?person= preselects nobody",
    ),
    "inclusion/entrepreneurs/<uuid:public_id>/": ById({"public_id": "entrepreneur"}),
    "inclusion/entrepreneurs/<uuid:public_id>/businesses/new/": ById({"public_id": "entrepreneur"}),
    "inclusion/businesses/<uuid:public_id>/edit/": ById({"public_id": "business"}),
    "inclusion/businesses/<uuid:public_id>/status/": ById({"public_id": "business"}),
    "inclusion/trainings/": NoIds("B's trainings"),
    "inclusion/trainings/new/": NoIds("a blank training form"),
    "inclusion/trainings/<uuid:public_id>/": ById({"public_id": "training"}),
    "inclusion/trainings/<uuid:public_id>/edit/": ById({"public_id": "training"}),
    "inclusion/trainings/<uuid:public_id>/attendance/": ById({"public_id": "training"}),
    "inclusion/trainings/<uuid:public_id>/attendance/<int:attendance_id>/remove/": ById(
        {"public_id": "training", "attendance_id": "training_attendance"}
    ),
    "inclusion/events/": NoIds("B's events"),
    "inclusion/events/new/": NoIds("a blank event form"),
    "inclusion/events/<uuid:public_id>/": ById({"public_id": "event"}),
    "inclusion/events/<uuid:public_id>/edit/": ById({"public_id": "event"}),
    "inclusion/events/<uuid:public_id>/attendance/": ById({"public_id": "event"}),
    "inclusion/events/<uuid:public_id>/attendance/<int:attendance_id>/remove/": ById(
        {"public_id": "event", "attendance_id": "event_attendance"}
    ),
    "inclusion/events/<uuid:public_id>/stalls/": ById({"public_id": "event"}),
    "inclusion/events/<uuid:public_id>/stalls/<int:stall_id>/remove/": ById(
        {"public_id": "event", "stall_id": "stall"}
    ),
    "inclusion/calendar/": NoIds("B's training and event calendar"),
    # --- volunteers
    "volunteers/": NoIds("B's volunteering overview"),
    "volunteers/calendar/<int:year>/<int:month>/": NoIds(
        "B's calendar of the month A's activity is in", fixed=today_path_values()
    ),
    "volunteers/activities/": NoIds("B's awareness activities", searches=True),
    "volunteers/activities/new/": NoIds("a blank activity form"),
    "volunteers/activities/<uuid:public_id>/": ById({"public_id": "awareness_activity"}),
    "volunteers/activities/<uuid:public_id>/edit/": ById({"public_id": "awareness_activity"}),
    "volunteers/roster/": NoIds("B's volunteers", searches=True),
    "volunteers/roster/new/": NoIds("B's person search for a new volunteer", searches=True),
    "volunteers/roster/new/<uuid:person_id>/": ById({"person_id": "person"}),
    "volunteers/roster/<uuid:public_id>/": ById({"public_id": "volunteer"}),
    "volunteers/roster/<uuid:public_id>/edit/": ById({"public_id": "volunteer"}),
    "volunteers/roster/<uuid:public_id>/active/": ById({"public_id": "volunteer"}),
    # --- 5W
    "activities/": NoIds("B's 5W rows of the month"),
    "activities/new/": NoIds("a blank 5W form"),
    "activities/export/": NoIds("B's 5W rows as CSV", query="format=csv"),
    "activities/<uuid:public_id>/edit/": ById({"public_id": "partner_activity"}),
    "activities/<uuid:public_id>/delete/": ById({"public_id": "partner_activity"}),
    # --- forum (public schema, shared by design; a district acts only as itself)
    "forum/": NoIds("the forum calendar and B's own proposals and agreements"),
    "forum/propose/": ById(
        query={"session": "forum_draft_session"},
        methods=("GET",),
        also=frozenset({200}),
        note="B's proposal form; a draft session is not among its choices",
        hidden_in_a=_DRAFT,
    ),
    "forum/sessions/<int:session_id>/": ById(
        {"session_id": "forum_draft_session"},
        platform_staff=False,
        note="sessions are shared once convened; a draft is the secretariat's only "
        "(on the platform host the secretariat's own page for it)",
        hidden_in_a=_DRAFT,
    ),
    "forum/agreements/<int:agreement_id>/progress/": ById({"agreement_id": "agreement"}),
    # --- accounts, team, tokens, billing
    "api-tokens/": NoIds("B's own tokens"),
    "api-tokens/<int:token_id>/revoke/": ById({"token_id": "api_token"}),
    "billing/": NoIds("B's own subscription"),
    "billing/checkout/": NoIds("POST only: starts B's own checkout"),
    "billing/portal/": NoIds("POST only: opens B's own billing portal"),
    "team/": NoIds("B's own team"),
    "team/invite/": NoIds("a blank invitation form"),
    "team/<int:user_id>/<str:action>/": ById({"user_id": "user"}, fixed={"action": "deactivate"}),
    "accounts/login/": NoIds("the login form"),
    "accounts/logout/": NoIds("ends the caller's own session; no id", requested=False),
    "accounts/password/reset/": NoIds("the reset request form"),
    "accounts/password/reset/sent/": NoIds("a fixed confirmation page"),
    "accounts/password/reset/<uidb64>/<token>/": ById(
        {"uidb64": "uidb64", "token": "reset_token"},
        also=frozenset({200}),
        note="public link page: 'this link is not valid' for any unknown account",
    ),
    "accounts/password/reset/complete/": NoIds("a fixed confirmation page"),
    "accounts/security/": NoIds("the caller's own sign-in security settings"),
    "accounts/two-factor/": NoIds("the caller's own second-factor step"),
    "accounts/two-factor/setup/": NoIds("sets up the caller's own authenticator"),
    "accounts/two-factor/recovery-codes/": NoIds("the caller's own recovery codes"),
    "accounts/invitation/<uidb64>/<token>/": ById(
        {"uidb64": "invitation_uidb64", "token": "invitation_token"},
        also=frozenset({410}),
        note="public link page: 410 'this invitation is no longer valid' for any unknown account",
    ),
    # --- served on every host
    "i18n/setlang/": NoIds("sets the caller's language; no id"),
    "graphql/": Elsewhere("every root field has its case in GRAPHQL below"),
}


# Pages of B's own records that take another person's id in their form or search: A's
# person there must answer as a person that exists nowhere.
_B_OWN = "the page is B's own person's"
FORM_IDS: dict[str, tuple[str, ById]] = {
    "merge with A's person": (
        "people/<uuid:public_id>/merge/",
        ById(
            {"public_id": "b_person"},
            form={"duplicate": "person"},
            methods=("POST",),
            also=frozenset({200}),
            note=_B_OWN,
        ),
    ),
    "merge candidates searched by A's name": (
        "people/<uuid:public_id>/merge/",
        ById(
            {"public_id": "b_person"},
            query={"q": "person_name"},
            methods=("GET",),
            also=frozenset({200}),
            note=_B_OWN,
        ),
    ),
    "A's person added to B's household": (
        "people/<uuid:public_id>/household/",
        ById(
            {"public_id": "b_person"},
            form={"member": "person"},
            form_fixed={"action": "add"},
            methods=("POST",),
            note=_B_OWN,
        ),
    ),
    "household candidates searched by A's name": (
        "people/<uuid:public_id>/household/",
        ById(
            {"public_id": "b_person"},
            query={"q": "person_name"},
            methods=("GET",),
            also=frozenset({200}),
            note=_B_OWN,
        ),
    ),
}


@dataclass(frozen=True)
class Gql:
    """A root field tried with A's ids (``ids``: variable -> kind of WorldA), or, with no
    ids, run by B's staff and checked for A's data (``reason`` says why no id)."""

    document: str
    ids: dict[str, str] = field(default_factory=dict)
    reason: str = ""
    # Also tried by the platform host's secretariat and platform admins (A's district
    # objects are not theirs either).
    platform: bool = False


_ERRORS = "errors { field messages }"
GRAPHQL: dict[str, Gql] = {
    "query.forumSessions": Gql(
        "{ forumSessions(first: 50) { nodes { id place agendaItems { title } } } }",
        reason="shared forum: convened sessions only (A's draft has a marked place)",
    ),
    "query.forumSession": Gql(
        "query($id: ID!) { forumSession(id: $id) { id place status } }",
        ids={"id": "forum_draft_session"},
    ),
    "query.agreements": Gql(
        '{ agreements(district: "la-perla", first: 50) { nodes { id text } } }',
        reason="shared forum: agreements are public among the districts",
    ),
    "query.indicators": Gql("{ indicators { code name } }", reason="the indicator catalogue"),
    "query.jointMetrics": Gql(
        '{ jointMetrics(indicator: "people_served", periodFrom: "2026-01-01", '
        'periodTo: "2026-11-01", districts: ["la-perla"]) { total suppressedCount } }',
        reason="aggregate-only, suppressed store (a coordinator's joint view)",
    ),
    "query.districts": Gql("{ districts { slug name } }", reason="the public list of districts"),
    "query.me": Gql("{ me { username roles } }", reason="the caller's own account"),
    "mutation.apiTokenCreate": Gql(
        'mutation { apiTokenCreate(name: "x") { apiToken { name } ' + _ERRORS + " } }",
        reason="creates a token of the caller's own, on the caller's host",
    ),
    "mutation.apiTokenRevoke": Gql(
        "mutation($id: ID!) { apiTokenRevoke(id: $id) { apiToken { id name prefix } "
        + _ERRORS
        + " } }",
        ids={"id": "api_token"},
        platform=True,
    ),
    "mutation.forumSessionCreate": Gql(
        'mutation { forumSessionCreate(heldOn: "2030-01-10", place: "x") '
        "{ forumSession { id } " + _ERRORS + " } }",
        reason="the secretariat's only; creates, names nothing",
    ),
    "mutation.forumSessionUpdate": Gql(
        'mutation($id: ID!) { forumSessionUpdate(id: $id, input: {place: "y"}) '
        "{ forumSession { id place } " + _ERRORS + " } }",
        ids={"id": "forum_draft_session"},
    ),
    "mutation.agendaItemPropose": Gql(
        'mutation($sessionId: ID!) { agendaItemPropose(sessionId: $sessionId, title: "t") '
        "{ agendaItem { id title } " + _ERRORS + " } }",
        ids={"sessionId": "forum_draft_session"},
    ),
    "mutation.agendaItemDecide": Gql(
        "mutation($id: ID!) { agendaItemDecide(id: $id, status: ACCEPTED) "
        "{ agendaItem { id title } " + _ERRORS + " } }",
        ids={"id": "agenda_item"},
    ),
    "mutation.agreementCreate": Gql(
        'mutation($sessionId: ID!) { agreementCreate(sessionId: $sessionId, text: "t") '
        "{ agreement { id } " + _ERRORS + " } }",
        ids={"sessionId": "forum_draft_session"},
    ),
    "mutation.agreementProgressPost": Gql(
        "mutation($agreementId: ID!) { agreementProgressPost(agreementId: $agreementId, "
        'note: "Avance de Bellavista", status: IN_PROGRESS) '
        "{ agreement { id text status } " + _ERRORS + " } }",
        ids={"agreementId": "agreement"},
    ),
    "mutation.minutesPublish": Gql(
        'mutation($sessionId: ID!) { minutesPublish(sessionId: $sessionId, body: "b") '
        "{ minutes { version } " + _ERRORS + " } }",
        ids={"sessionId": "forum_draft_session"},
    ),
}


# ============================================================================ fixtures
@dataclass
class Matrix:
    world: WorldA
    district_a: District
    district_b: District
    # Callers: name -> client. B's roles and "anonymous" on B's host; "platform:..." on
    # the platform's host.
    on_b: dict[str, Client]
    on_platform: dict[str, Client]
    # A's own coordinator, on A's host (the premise: A's ids are real and visible there).
    a_coordinator: Client


@pytest.fixture(scope="module")
def matrix(django_db_setup: None, django_db_blocker: Any) -> Iterator[Matrix]:
    """A's objects and B's logged-in callers, made once for the module inside a
    transaction rolled back afterwards."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        saved: list[tuple[str, int, bool]] = []
        try:
            district_a = District.objects.get(slug=DISTRICT_A.slug)
            district_b = District.objects.get(slug=DISTRICT_B.slug)
            saved = sequences_push_ahead(district_a.schema_name)
            world = world_a_build(district_a, district_b)
            assert a_user_exists_nowhere_else(world, district_b)
            on_b: dict[str, Client] = {"anonymous": client_for(district_b)}
            for role in B_ROLES:
                on_b[role] = client_for(district_b)
                login_as(on_b[role], district_b, role)
            on_platform: dict[str, Client] = {"platform:anonymous": client_for(None)}
            for name, email in PLATFORM_ACCOUNTS.items():
                on_platform[f"platform:{name}"] = client_for(None)
                log_in(on_platform[f"platform:{name}"], email)
            a_coordinator = client_for(district_a)
            login_as(a_coordinator, district_a, DistrictRole.COORDINATOR)
            connection.set_schema_to_public()
            yield Matrix(world, district_a, district_b, on_b, on_platform, a_coordinator)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            sequences_restore(saved)
            connection.set_schema_to_public()
            cache.clear()


# ============================================================================ helpers
LOGIN_PATH = resolve_url(settings.LOGIN_URL)


def _send(client: Client, method: str, path: str, form: dict[str, str]) -> HttpResponse:
    if form:
        # Public forms are rate-limited per address (in the cache): each attempt starts
        # from the same count.
        cache.clear()
    if method == "GET":
        return client.get(path)  # type: ignore[return-value]
    return client.post(path, form)  # type: ignore[return-value]


def _refusal_problem(who: str, answer: Answer, also: frozenset[int]) -> str:
    """Why ``answer`` is not an acceptable refusal ("" when it is)."""
    if answer.status in {403, 404} | also:
        return ""
    anonymous = who.endswith("anonymous")
    if anonymous and answer.status == 302 and answer.location.startswith(LOGIN_PATH):
        return ""
    return f"answered {answer.short()}"


def _served_by_the_platform(path: str) -> bool:
    try:
        resolve(path, urlconf="config.urls_public")
    except Resolver404:
        return False
    return True


def _with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def _fill(case: ById, ids: dict[str, str]) -> tuple[dict[str, str], str, dict[str, str]]:
    values = {**case.fixed, **{arg: ids[kind] for arg, kind in case.kinds.items()}}
    query = "&".join(f"{name}={ids[kind]}" for name, kind in case.query.items())
    form = {**case.form_fixed, **{name: ids[kind] for name, kind in case.form.items()}}
    return values, query, form


def _asked(case: ById | Gql, world: WorldA) -> list[str]:
    kinds = (
        [*case.kinds.values(), *case.query.values(), *case.form.values()]
        if isinstance(case, ById)
        else list(case.ids.values())
    )
    return [text for kind in kinds for text in (world.ids[kind], world.missing[kind]) if text]


# ============================================================================ the tables
def test_every_district_route_has_a_case() -> None:
    served = set(url_routes(config.urls_tenant.urlpatterns))
    missing = sorted(served - set(ROUTES))
    stale = sorted(set(ROUTES) - served)
    assert not missing, f"routes without an isolation case (add them to ROUTES): {missing}"
    assert not stale, f"ROUTES names routes that are gone: {stale}"
    assert {route for route, _case in FORM_IDS.values()} <= served
    for route, case in [*ROUTES.items(), *FORM_IDS.values()]:
        if isinstance(case, ById):
            named = set(case.kinds) | set(case.fixed)
            assert named == set(route_kwargs(route)), f"{route}: arguments {named}"
            assert case.kinds or case.query or case.form, f"{route}: names no id"
        elif isinstance(case, NoIds):
            assert set(case.fixed) == set(route_kwargs(route)), f"{route}: takes ids"


def test_every_graphql_field_has_a_case() -> None:
    served = graphql_fields(schema)
    missing = sorted(set(served) - set(GRAPHQL))
    stale = sorted(set(GRAPHQL) - set(served))
    assert not missing, f"GraphQL fields without an isolation case (add to GRAPHQL): {missing}"
    assert not stale, f"GRAPHQL names fields that are gone: {stale}"
    for name, case in GRAPHQL.items():
        id_args = {arg for arg, kind in served[name].items() if kind == "ID"}
        assert case.ids or case.reason, f"{name}: no ids and no reason"
        assert set(case.ids) <= id_args, f"{name}: {set(case.ids)} are not its ID arguments"
        assert bool(id_args) == bool(case.ids), f"{name}: takes ids {id_args}, case {case.ids}"


# ============================================================================ URL routes
BY_ID = sorted(route for route, case in ROUTES.items() if isinstance(case, ById))
WITHOUT_IDS = sorted(
    route for route, case in ROUTES.items() if isinstance(case, NoIds) and case.requested
)


@pytest.mark.parametrize(
    ("route", "case"),
    [pytest.param(route, ROUTES[route], id=route) for route in BY_ID]
    + [pytest.param(route, case, id=name) for name, (route, case) in FORM_IDS.items()],
)
def test_a_route_refuses_district_a_ids_and_tells_nothing(
    route: str, case: ById, matrix: Matrix
) -> None:
    world = matrix.world
    values, query, form = _fill(case, world.ids)
    missing_values, missing_query, missing_form = _fill(case, world.missing)
    path = _with_query(route_path(route, values), query)
    path_missing = _with_query(route_path(route, missing_values), missing_query)
    asked = _asked(case, world)
    callers = dict(matrix.on_b)
    if _served_by_the_platform(route_path(route, values)):
        callers.update(
            {
                who: client
                for who, client in matrix.on_platform.items()
                if case.platform_staff or who.endswith("anonymous")
            }
        )
    # Otherwise the platform's URL map has no such path: its host answers the same
    # resolver 404 whatever the id, before any view or database (no request needed).
    failures = []
    for who, client in callers.items():
        for method in case.methods:
            answer = Answer.of(_send(client, method, path, form), asked)
            control = Answer.of(_send(client, method, path_missing, missing_form), asked)
            where = f"{method} {path} as {who}"
            if problem := _refusal_problem(who, answer, case.also):
                failures.append(f"{where}: {problem}")
            if leaks := world.leaks(answer.body + answer.location):
                failures.append(f"{where}: shows A's data {leaks}")
            if answer != control:
                failures.append(
                    f"{where}: differs from an id that exists nowhere "
                    f"({answer.short()} vs {control.short()}, "
                    f"bodies {'equal' if answer.body == control.body else 'differ'})"
                )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", BY_ID)
def test_the_premise_a_s_ids_are_real_on_a_s_own_host(route: str, matrix: Matrix) -> None:
    """Without it the refusals above could pass for ids that exist nowhere: on A's host,
    A's coordinator gets a different answer for A's id than for a missing one."""
    case = ROUTES[route]
    assert isinstance(case, ById)
    world = matrix.world
    values, query, form = _fill(case, world.ids)
    missing_values, missing_query, missing_form = _fill(case, world.missing)
    method = case.methods[0]
    asked = _asked(case, world)
    client = matrix.a_coordinator
    answer = Answer.of(
        _send(client, method, _with_query(route_path(route, values), query), form), asked
    )
    control = Answer.of(
        _send(
            client,
            method,
            _with_query(route_path(route, missing_values), missing_query),
            missing_form,
        ),
        asked,
    )
    assert (answer == control) == bool(case.hidden_in_a), (answer.short(), control.short())


@pytest.mark.parametrize("route", WITHOUT_IDS)
def test_a_route_without_ids_shows_nothing_of_district_a(route: str, matrix: Matrix) -> None:
    case = ROUTES[route]
    assert isinstance(case, NoIds)
    world = matrix.world
    path = route_path(route, case.fixed)
    attempts = [(who, _with_query(path, case.query), "") for who in matrix.on_b]
    if case.searches:
        # The search box shows the text searched for (blanked); a record of A's found by
        # it would still show its other marked fields (family name, document, name).
        for text in (world.person_name, world.document_number, world.tracking_code):
            query = "&".join(filter(None, [case.query, f"q={text}"]))
            attempts.append(("coordinator", _with_query(path, query), text))
    failures = []
    for who, target, searched in attempts:
        response = _send(matrix.on_b[who], "GET", target, {})
        answer = Answer.of(response, [searched] if searched else [])
        if answer.status >= 500:
            failures.append(f"GET {target} as {who}: {answer.short()}")
        if leaks := world.leaks(answer.body + answer.location):
            failures.append(f"GET {target} as {who}: shows A's data {leaks}")
    assert not failures, "\n".join(failures)


def test_b_sees_its_own_data_where_a_is_refused(matrix: Matrix) -> None:
    """The refusals above are not a page that is broken for everyone: B's coordinator
    opens the list pages (200) those searches ran on."""
    for route in ("people/", "complaints/", "inclusion/", "volunteers/roster/"):
        assert matrix.on_b["coordinator"].get("/" + route).status_code == 200, route


# ============================================================================ GraphQL
def _graphql(client: Client, document: str, variables: dict[str, str], **extra: str) -> Any:
    cache.clear()
    response = client.post(
        "/graphql/",
        json.dumps({"query": document, "variables": variables}),
        content_type="application/json",
        **extra,  # type: ignore[arg-type]
    )
    return response.status_code, response.content.decode()


def _gql_callers(matrix: Matrix, case: Gql) -> list[tuple[str, Client, dict[str, str]]]:
    callers: list[tuple[str, Client, dict[str, str]]] = [
        (who, client, {}) for who, client in matrix.on_b.items()
    ]
    token = {"HTTP_AUTHORIZATION": f"Bearer {matrix.world.b_api_secret}"}
    callers.append(("B's API token", client_for(matrix.district_b), token))
    if case.platform:
        callers += [(who, client, {}) for who, client in matrix.on_platform.items()]
    return callers


def _carries_data(data: Any) -> bool:
    """A field's value other than null or a payload of nulls and errors."""
    if isinstance(data, dict):
        return any(value is not None for key, value in data.items() if key != "errors")
    return data is not None


GQL_BY_ID = sorted(name for name, case in GRAPHQL.items() if case.ids)
GQL_WITHOUT_IDS = sorted(name for name, case in GRAPHQL.items() if not case.ids)


@pytest.mark.parametrize("name", GQL_BY_ID)
def test_a_graphql_field_refuses_district_a_ids_and_tells_nothing(
    name: str, matrix: Matrix
) -> None:
    case = GRAPHQL[name]
    world = matrix.world
    field_name = name.split(".", 1)[1]
    variables = {var: world.ids[kind] for var, kind in case.ids.items()}
    missing = {var: world.missing[kind] for var, kind in case.ids.items()}
    asked = _asked(case, world)
    failures = []
    for who, client, extra in _gql_callers(matrix, case):
        status, body = _graphql(client, case.document, variables, **extra)
        control_status, control_body = _graphql(client, case.document, missing, **extra)
        where = f"{name} as {who}"
        payload = json.loads(body)
        for value in sorted(asked, key=len, reverse=True):
            body = body.replace(value, "{asked}")
            control_body = control_body.replace(value, "{asked}")
        if status >= 500:
            failures.append(f"{where}: status {status}")
        if leaks := world.leaks(body):
            failures.append(f"{where}: shows A's data {leaks}")
        data = (payload.get("data") or {}).get(field_name)
        if _carries_data(data):
            failures.append(f"{where}: answered data {data}")
        if (status, body) != (control_status, control_body):
            failures.append(f"{where}: differs from an id that exists nowhere: {body[:300]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", GQL_WITHOUT_IDS)
def test_a_graphql_field_without_ids_shows_nothing_of_district_a(name: str, matrix: Matrix) -> None:
    case = GRAPHQL[name]
    failures = []
    for who, client, extra in _gql_callers(matrix, case):
        status, body = _graphql(client, case.document, {}, **extra)
        if status >= 500:
            failures.append(f"{name} as {who}: status {status}")
        if leaks := matrix.world.leaks(body):
            failures.append(f"{name} as {who}: shows A's data {leaks}")
    assert not failures, "\n".join(failures)


def test_an_api_token_of_district_a_is_refused_on_b_and_on_the_platform(
    matrix: Matrix,
) -> None:
    """A's token is no token on another host: the same 401 as a made-up secret."""
    document = json.dumps({"query": "{ me { username } }"})
    for client in (client_for(matrix.district_b), client_for(None)):
        answers = [
            client.post(
                "/graphql/",
                document,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {secret}",
            )
            for secret in (matrix.world.a_api_secret, "cm_" + "x" * 43)
        ]
        assert [a.status_code for a in answers] == [401, 401]
        assert answers[0].content == answers[1].content


# ============================================================================ sessions
def _session_cookie(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _logged_in_on(client: Client, cookie: str) -> bool:
    """Does ``cookie`` log ``client`` in? (GraphQL ``me`` answers only a logged-in caller.)"""
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    status, body = _graphql(client, "{ me { username } }", {})
    return status == 200 and '"username"' in body and "errors" not in json.loads(body)


def test_a_session_of_district_a_is_not_valid_on_b_or_on_the_platform(
    district_a: District, district_b: District
) -> None:
    a = client_for(district_a)
    login_as(a, district_a, DistrictRole.COORDINATOR)
    cookie = _session_cookie(a)
    assert _logged_in_on(client_for(district_a), cookie)  # the premise: it is a session
    assert not _logged_in_on(client_for(district_b), cookie)
    assert not _logged_in_on(client_for(None), cookie)
    b = client_for(district_b)
    b.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = b.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_PATH)


def test_a_platform_session_is_not_valid_on_a_district_and_back(
    district_a: District, district_b: District
) -> None:
    platform = client_for(None)
    log_in(platform, PLATFORM_ACCOUNTS["secretariat"])
    cookie = _session_cookie(platform)
    assert _logged_in_on(client_for(None), cookie)
    assert not _logged_in_on(client_for(district_b), cookie)
    b = client_for(district_b)
    login_as(b, district_b, DistrictRole.COORDINATOR)
    b_cookie = _session_cookie(b)
    assert not _logged_in_on(client_for(None), b_cookie)
    portal = client_for(None)
    portal.cookies[settings.SESSION_COOKIE_NAME] = b_cookie
    response = portal.get("/forum/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_PATH)
