"""The platform console (/console/ on the platform's host): who may use it, the districts
list and its cost, onboarding from the form (with the command's messages), status
changes, invitations, addresses and the activity log."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from html import escape
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from apps.accounts.roles import DistrictRole
from apps.casework.services import attention_record
from apps.catalogue.models import ServiceType
from apps.people.tests.factories import person_make, staff
from conftest import client_for, in_english, log_in, login_as
from tenants.console.forms import CONFIRM_NAME_MESSAGE
from tenants.console.selectors import console_district_rows
from tenants.console.services import INVITATION_ACCEPTED_MESSAGE
from tenants.models import District, Domain, PlatformAdminAction
from tenants.schema_template import schema_exists
from tenants.services import domains as domain_messages
from tenants.services.onboarding import HOST_TAKEN_MESSAGE, district_onboard
from tenants.validators import SLUG_RESERVED_MESSAGE

pytestmark = pytest.mark.django_db

Action = PlatformAdminAction.Action
VENTANILLA = {
    "name": "Ventanilla",
    "slug": "ventanilla",
    "ubigeo": "070106",
    "coordinator_email": "rosa@example.org",
}


def _portal_client(email: str) -> Client:
    client = in_english(client_for(None))
    log_in(client, email)
    return client


@pytest.fixture
def admin_client(db: None) -> Client:
    return _portal_client("admin@platform.test")


@pytest.fixture
def admin_user(db: None) -> User:
    return get_user_model().objects.get(username="admin@platform.test")


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# ------------------------------------------------------------------ who may use it

CONSOLE_PAGES = [
    "/console/",
    "/console/onboard/",
    "/console/activity/",
    "/console/districts/la-perla/",
    "/console/districts/la-perla/status/suspend/",
]


@pytest.mark.parametrize("path", CONSOLE_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(public_client: Client, path: str) -> None:
    response = public_client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("path", CONSOLE_PAGES)
def test_the_secretariat_is_refused(path: str) -> None:
    client = _portal_client("secretariat@platform.test")
    assert client.get(path).status_code == 403


def test_the_secretariat_cannot_act_either(district_a: District) -> None:
    client = _portal_client("secretariat@platform.test")
    assert client.post("/console/onboard/", VENTANILLA).status_code == 403
    assert (
        client.post("/console/districts/la-perla/domains/", {"host": "x.localhost"}).status_code
        == 403
    )
    assert not District.objects.filter(slug="ventanilla").exists()
    assert not Domain.objects.filter(domain="x.localhost").exists()


@pytest.mark.parametrize("path", CONSOLE_PAGES)
def test_the_console_does_not_exist_on_district_hosts(
    district_a: District, client_a: Client, path: str
) -> None:
    assert client_a.get(path).status_code == 404
    login_as(client_a, district_a, DistrictRole.COORDINATOR)
    assert client_a.get(path).status_code == 404


def test_the_console_is_a_portal_section_for_platform_admins_only(admin_client: Client) -> None:
    assert 'href="/console/"' in admin_client.get("/").content.decode()
    secretariat = _portal_client("secretariat@platform.test")
    assert 'href="/console/"' not in secretariat.get("/").content.decode()


# ------------------------------------------------------------------ districts list


def test_the_list_shows_every_district_with_status_billing_and_usage(
    admin_client: Client, district_a: District, district_b: District
) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
        services = list(ServiceType.objects.filter(code="other"))
        today = timezone.localdate()
        for day in (today, today.replace(day=1) - timedelta(days=1)):  # this month, last month
            attention_record(
                actor=staff(),
                person=person,
                occurred_on=day,
                channel="phone",
                service_types=services,
            )
    district_onboard(
        name="Archivada", slug="archivada", ubigeo="070107", coordinator_email="a@b.pe"
    )
    District.objects.filter(slug="archivada").update(status=District.Status.ARCHIVED)

    overview = console_district_rows()
    rows = {row.district.slug: row for row in overview.rows}
    assert list(rows) == ["archivada", "bellavista", "la-perla"]  # by name, archived too
    perla = rows["la-perla"].usage
    assert perla.people == 1
    assert perla.attentions_this_month == 1
    assert perla.users == len(DistrictRole) + 1  # a test account per role and the invited one
    assert perla.schema_bytes is not None
    assert perla.schema_bytes > 0
    assert rows["bellavista"].usage.people == 0
    assert rows["archivada"].status == "archived"
    assert overview.totals.people == 1
    assert not overview.billing_enabled

    page = admin_client.get("/console/").content.decode()
    for name in ("La Perla", "Bellavista", "Archivada", "la-perla.localhost", "Billing is off"):
        assert name in page
    assert 'href="/console/districts/la-perla/"' in page


def test_a_district_whose_schema_is_missing_shows_dashes_instead_of_failing(
    admin_client: Client,
) -> None:
    District.objects.create(
        name="Sin esquema", slug="sin-esquema", ubigeo="070199", schema_name="d_sin_esquema"
    )
    rows = {row.district.slug: row for row in console_district_rows().rows}
    assert rows["sin-esquema"].usage.schema_bytes is None
    assert rows["sin-esquema"].usage.people is None
    assert rows["la-perla"].usage.people is not None
    response = admin_client.get("/console/")
    assert response.status_code == 200
    assert "schema not found" in response.content.decode()
    detail = admin_client.get("/console/districts/sin-esquema/").content.decode()
    assert "Some steps are missing" in detail


def _queries(client: Client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def test_the_list_costs_the_same_queries_whatever_the_number_of_districts(
    admin_client: Client,
) -> None:
    """Districts, their domains, one catalogue query for the tables and one UNION ALL for
    the counts of every schema; sizes come from the cache (see tenants/console/
    selectors.py). With billing on, the billing app's per-district summary is the one
    thing that may add queries."""
    before = _queries(admin_client, "/console/")
    for name, slug, ubigeo in (("Callao", "callao", "070101"), ("Carmen", "carmen", "070103")):
        district_onboard(name=name, slug=slug, ubigeo=ubigeo, coordinator_email=f"c@{slug}.pe")
    assert District.objects.count() == 4
    assert _queries(admin_client, "/console/") == before


def _size_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return sum("pg_total_relation_size" in q["sql"] for q in context.captured_queries)


def test_schema_sizes_are_measured_once_then_cached_until_asked_again(
    admin_client: Client,
) -> None:
    assert _size_queries(admin_client, "/console/") == 1
    page = admin_client.get("/console/").content.decode()
    assert "Database sizes measured at" in page
    assert _size_queries(admin_client, "/console/") == 0
    assert _size_queries(admin_client, "/console/?sizes=fresh") == 1
    # A new district is not in the cached sizes: they are all measured again.
    district_onboard(name="Callao", slug="callao", ubigeo="070101", coordinator_email="c@c.pe")
    assert _size_queries(admin_client, "/console/") == 1
    assert _size_queries(admin_client, "/console/") == 0


# ------------------------------------------------------------------ onboarding


def test_onboarding_from_the_form_creates_the_district_and_its_invitation(
    admin_client: Client, admin_user: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    form = admin_client.get("/console/onboard/").content.decode()
    assert 'data-busy-text="Creating the district' in form  # the "creating…" state
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/console/onboard/", VENTANILLA)
    assert response.status_code == 302
    assert response["Location"] == "/console/districts/ventanilla/"

    district = District.objects.get(slug="ventanilla")
    assert district.status == District.Status.ACTIVE
    assert Domain.objects.get(tenant=district, is_primary=True).domain == "ventanilla.localhost"
    assert schema_exists("d_ventanilla")
    with schema_context("d_ventanilla"):
        coordinator = get_user_model().objects.get(username="rosa@example.org")
        assert not coordinator.has_usable_password()
        assert coordinator.groups.get().name == DistrictRole.COORDINATOR
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rosa@example.org"]
    assert "http://ventanilla.localhost/accounts/invitation/" in mail.outbox[0].body

    action = PlatformAdminAction.objects.get(district=district)
    assert action.action == Action.ONBOARD
    assert action.actor == admin_user
    assert action.detail["host"] == "ventanilla.localhost"
    assert action.detail["coordinator_email"] == "rosa@example.org"
    assert action.detail["schema_source"] in {"pool", "snapshot"}

    page = admin_client.get(response["Location"])
    text = page.content.decode()
    assert "Ventanilla is ready" in " ".join(_messages(page))
    assert "Every step is done" in text
    for step in (
        "District record",
        "Web address",
        "Database schema",
        "Reference lists and roles",
        "Coordinator invitation",
    ):
        assert step in text
    assert text.count("console-steps__item--done") == 5
    assert "rosa@example.org" in text


def test_onboarding_the_same_district_twice_changes_nothing(admin_client: Client) -> None:
    admin_client.post("/console/onboard/", VENTANILLA)
    response = admin_client.post("/console/onboard/", VENTANILLA, follow=True)
    assert "already exists; nothing changed" in " ".join(_messages(response))
    assert District.objects.filter(slug="ventanilla").count() == 1
    assert PlatformAdminAction.objects.filter(action=Action.ONBOARD).count() == 1


def _command_error(values: dict[str, str]) -> str:
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("onboard_district", **values)
    return str(raised.value)


BAD_INPUTS = [
    pytest.param({"slug": "La Perla!"}, "slug", id="bad-slug"),
    pytest.param({"slug": "ventanilla-"}, "slug", id="slug-trailing-hyphen"),
    pytest.param({"slug": "admin"}, "slug", id="reserved-slug"),
    pytest.param({"slug": ""}, "slug", id="empty-slug"),
    pytest.param({"slug": "la-perla"}, "slug", id="taken-slug"),
    pytest.param({"ubigeo": "7010"}, "ubigeo", id="bad-ubigeo"),
    pytest.param({"ubigeo": "990106"}, "ubigeo", id="ubigeo-out-of-range"),
    pytest.param({"ubigeo": "070104"}, "ubigeo", id="taken-ubigeo"),
    pytest.param({"coordinator_email": "rosa@"}, "coordinator_email", id="bad-email"),
    pytest.param({"coordinator_email": ""}, "coordinator_email", id="empty-email"),
    pytest.param({"name": ""}, "name", id="empty-name"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_INPUTS)
def test_each_bad_input_gets_the_commands_message_next_to_its_field(
    admin_client: Client, district_a: District, overrides: dict[str, str], field: str
) -> None:
    values = {**VENTANILLA, **overrides}
    command_lines = _command_error(values).splitlines()
    assert command_lines[0] == "Nothing was created."

    response = admin_client.post("/console/onboard/", values)
    assert response.status_code == 400
    form_errors = response.context["form"].errors
    assert list(form_errors) == [field]
    # The same message, word for word, as the command's "field: message" line.
    assert [f"{field}: {m}" for m in form_errors[field]] == command_lines[1:]
    page = response.content.decode()
    error_list = re.search(
        rf'<ul class="field__errors" id="id_{field}_error">(.*?)</ul>', page, re.S
    )
    assert error_list is not None
    assert escape(form_errors[field][0]) in error_list.group(1)

    slug = (values["slug"] or "").strip().lower()
    if slug != "la-perla":
        assert not District.objects.filter(slug=slug).exists()
    assert District.objects.count() == 2
    assert not schema_exists("d_ventanilla")
    assert not PlatformAdminAction.objects.exists()
    assert mail.outbox == []


def test_a_slug_whose_address_another_district_uses_is_refused_like_the_command(
    admin_client: Client, district_a: District
) -> None:
    Domain.objects.create(domain="ventanilla.localhost", tenant=district_a, is_primary=False)
    command = _command_error(VENTANILLA)
    response = admin_client.post("/console/onboard/", VENTANILLA)
    assert response.status_code == 400
    with translation.override("en"):
        message = str(HOST_TAKEN_MESSAGE % {"host": "ventanilla.localhost"})
    assert response.context["form"].errors["slug"] == [message]
    assert f"slug: {message}" in command
    assert not District.objects.filter(slug="ventanilla").exists()


def test_a_leftover_schema_is_refused_like_the_command(admin_client: Client) -> None:
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "d_ventanilla"')
    command = _command_error(VENTANILLA)
    response = admin_client.post("/console/onboard/", VENTANILLA)
    assert response.status_code == 400
    [message] = response.context["form"].errors["slug"]
    assert "d_ventanilla" in message
    assert f"slug: {message}" in command
    assert not District.objects.filter(slug="ventanilla").exists()


# ------------------------------------------------------------------ status


def _status_url(district: District, change: str) -> str:
    return f"/console/districts/{district.slug}/status/{change}/"


@pytest.mark.parametrize("typed", ["", "Bellavista", "La Perl"])
def test_a_status_change_needs_the_districts_name_typed(
    admin_client: Client, district_a: District, typed: str
) -> None:
    page = admin_client.get(_status_url(district_a, "suspend")).content.decode()
    assert "Suspend La Perla?" in page
    # The header stays the platform's: the admin is not inside the district.
    assert '<span class="brand__title">Callao Mancomunidad</span>' in page
    response = admin_client.post(_status_url(district_a, "suspend"), {"confirm_name": typed})
    assert response.status_code == 400
    with translation.override("en"):
        expected = str(CONFIRM_NAME_MESSAGE % {"name": "La Perla"})
    assert response.context["form"].errors["confirm_name"] == [expected]
    district_a.refresh_from_db()
    assert district_a.status == District.Status.ACTIVE
    assert not PlatformAdminAction.objects.exists()


def test_suspend_reactivate_and_archive_with_the_typed_name(
    admin_client: Client, admin_user: User, district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, DistrictRole.COORDINATOR)

    response = admin_client.post(
        _status_url(district_a, "suspend"), {"confirm_name": "  la perla "}, follow=True
    )
    assert "La Perla is suspended: its workspace is read-only." in _messages(response)
    district_a.refresh_from_db()
    assert district_a.status == District.Status.SUSPENDED
    assert client_a.post("/team/invite/", {}).status_code == 403  # read-only now

    # Only the changes that make sense are offered, and others are refused.
    assert admin_client.get(_status_url(district_a, "suspend")).status_code == 302
    assert (
        admin_client.post(
            _status_url(district_a, "suspend"), {"confirm_name": "La Perla"}
        ).status_code
        == 302
    )
    assert PlatformAdminAction.objects.count() == 1

    admin_client.post(_status_url(district_a, "reactivate"), {"confirm_name": "La Perla"})
    district_a.refresh_from_db()
    assert district_a.status == District.Status.ACTIVE

    admin_client.post(_status_url(district_a, "archive"), {"confirm_name": "La Perla"})
    district_a.refresh_from_db()
    assert district_a.status == District.Status.ARCHIVED
    assert client_a.get("/").status_code == 410

    admin_client.post(_status_url(district_a, "reactivate"), {"confirm_name": "La Perla"})
    district_a.refresh_from_db()
    assert district_a.status == District.Status.ACTIVE
    assert district_a.archive_at is None
    assert client_a.get("/").status_code == 200

    logged = list(PlatformAdminAction.objects.order_by("at", "id"))
    assert [(a.action, a.detail["previous_status"], a.detail["status"]) for a in logged] == [
        (Action.SUSPEND, "active", "suspended"),
        (Action.REACTIVATE, "suspended", "active"),
        (Action.ARCHIVE, "active", "archived"),
        (Action.REACTIVATE, "archived", "active"),
    ]
    assert {a.actor for a in logged} == {admin_user}


def test_an_unknown_change_is_not_found(admin_client: Client, district_a: District) -> None:
    assert admin_client.get(_status_url(district_a, "delete")).status_code == 404
    assert admin_client.get("/console/districts/nowhere/").status_code == 404


# ------------------------------------------------------------------ invitations


def test_the_coordinators_invitation_is_sent_again(
    admin_client: Client,
    district_a: District,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    page = admin_client.get("/console/districts/la-perla/").content.decode()
    assert "invited-coordinator@la-perla.test" in page
    assert "Send the invitation again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/console/districts/la-perla/invitation/",
            {"email": "invited-coordinator@la-perla.test"},
            follow=True,
        )
    assert "A new invitation link is on its way to invited-coordinator@la-perla.test." in (
        _messages(response)
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["invited-coordinator@la-perla.test"]
    link = re.search(r"http://\S+", mail.outbox[0].body)
    assert link is not None
    assert link.group(0).startswith("http://la-perla.localhost/accounts/invitation/")
    assert (
        client_for(district_a)
        .get(link.group(0).removeprefix("http://la-perla.localhost"))
        .status_code
        == 200
    )
    action = PlatformAdminAction.objects.get()
    assert action.action == Action.INVITATION_RESEND
    assert action.detail["coordinator_email"] == "invited-coordinator@la-perla.test"


@pytest.mark.parametrize(
    "email", ["coordinator@la-perla.test", "caseworker@la-perla.test", "nobody@la-perla.test"]
)
def test_only_a_pending_coordinators_invitation_is_sent_again(
    admin_client: Client,
    district_a: District,
    email: str,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/console/districts/la-perla/invitation/", {"email": email}, follow=True
        )
    [message] = _messages(response)
    if email.startswith("coordinator@"):
        with translation.override("en"):
            assert message == str(INVITATION_ACCEPTED_MESSAGE % {"email": email})
    else:
        assert "is not a coordinator of La Perla" in message
    assert mail.outbox == []
    assert not PlatformAdminAction.objects.exists()


def test_no_invitation_for_an_archived_district(admin_client: Client, district_a: District) -> None:
    District.objects.filter(pk=district_a.pk).update(status=District.Status.ARCHIVED)
    response = admin_client.post(
        "/console/districts/la-perla/invitation/",
        {"email": "invited-coordinator@la-perla.test"},
        follow=True,
    )
    assert "is archived" in _messages(response)[0]
    assert not PlatformAdminAction.objects.exists()


def test_resending_is_a_post(admin_client: Client, district_a: District) -> None:
    assert admin_client.get("/console/districts/la-perla/invitation/").status_code == 405


# ------------------------------------------------------------------ addresses


def _domains(district: District) -> dict[str, bool]:
    return dict(Domain.objects.filter(tenant=district).values_list("domain", "is_primary"))


def test_add_make_primary_and_remove_an_address(admin_client: Client, district_a: District) -> None:
    perla_2 = Client(HTTP_HOST="perla-2.localhost")
    assert perla_2.get("/accounts/login/").status_code == 404  # nothing there yet (cached)

    response = admin_client.post(
        "/console/districts/la-perla/domains/", {"host": " Perla-2.localhost. "}, follow=True
    )
    assert "perla-2.localhost now leads to La Perla." in _messages(response)
    assert _domains(district_a) == {"la-perla.localhost": True, "perla-2.localhost": False}
    assert perla_2.get("/accounts/login/").status_code == 200  # the routing cache forgot it

    new = Domain.objects.get(domain="perla-2.localhost")
    admin_client.post(f"/console/districts/la-perla/domains/{new.pk}/primary/")
    assert _domains(district_a) == {"la-perla.localhost": False, "perla-2.localhost": True}
    assert 'href="http://perla-2.localhost/"' in client_for(None).get("/").content.decode()

    old = Domain.objects.get(domain="la-perla.localhost")
    page = admin_client.get(f"/console/districts/la-perla/domains/{old.pk}/remove/")
    assert "Remove the address la-perla.localhost?" in page.content.decode()
    response = admin_client.post(
        f"/console/districts/la-perla/domains/{new.pk}/remove/", follow=True
    )
    assert "primary address and cannot be removed" in _messages(response)[0]
    admin_client.post(f"/console/districts/la-perla/domains/{old.pk}/remove/")
    assert _domains(district_a) == {"perla-2.localhost": True}
    assert client_for(district_a).get("/accounts/login/").status_code == 404

    logged = list(PlatformAdminAction.objects.order_by("at", "id"))
    assert [(a.action, a.detail["host"]) for a in logged] == [
        (Action.DOMAIN_ADD, "perla-2.localhost"),
        (Action.DOMAIN_PRIMARY, "perla-2.localhost"),
        (Action.DOMAIN_REMOVE, "la-perla.localhost"),
    ]
    assert logged[1].detail["previous_host"] == "la-perla.localhost"


@pytest.mark.parametrize(
    ("host", "message", "params"),
    [
        ("http://perla.gob.pe/", domain_messages.HOST_FORMAT_MESSAGE, None),
        ("perla.gob.pe:8000", domain_messages.HOST_FORMAT_MESSAGE, None),
        ("intranet", domain_messages.HOST_FORMAT_MESSAGE, None),
        ("", domain_messages.HOST_FORMAT_MESSAGE, None),
        ("localhost", domain_messages.HOST_FORMAT_MESSAGE, None),
        ("bellavista.localhost", HOST_TAKEN_MESSAGE, {"host": "bellavista.localhost"}),
        (
            "la-perla.localhost",
            domain_messages.HOST_ALREADY_HERE_MESSAGE,
            {"host": "la-perla.localhost"},
        ),
        ("a.b.localhost", domain_messages.HOST_NESTED_MESSAGE, {"platform": "localhost"}),
        ("admin.localhost", SLUG_RESERVED_MESSAGE, {"slug": "admin"}),
    ],
)
def test_a_bad_address_is_refused_next_to_the_field(
    admin_client: Client,
    district_a: District,
    host: str,
    message: Any,
    params: dict[str, str] | None,
) -> None:
    response = admin_client.post("/console/districts/la-perla/domains/", {"host": host})
    assert response.status_code == 400
    with translation.override("en"):
        expected = str(message % params if params else message)
    assert response.context["domain_form"].errors["host"] == [expected]
    assert _domains(district_a) == {"la-perla.localhost": True}
    assert not PlatformAdminAction.objects.exists()


def test_the_platforms_own_host_is_refused(
    admin_client: Client, district_a: District, settings: Any
) -> None:
    settings.PUBLIC_HOSTS = [*settings.PUBLIC_HOSTS, "plataforma.callao.pe"]
    response = admin_client.post(
        "/console/districts/la-perla/domains/", {"host": "plataforma.callao.pe"}
    )
    with translation.override("en"):
        expected = str(domain_messages.HOST_PLATFORM_MESSAGE % {"host": "plataforma.callao.pe"})
    assert response.context["domain_form"].errors["host"] == [expected]


def test_another_districts_address_is_not_found(
    admin_client: Client, district_a: District, district_b: District
) -> None:
    other = Domain.objects.get(tenant=district_b)
    assert (
        admin_client.post(f"/console/districts/la-perla/domains/{other.pk}/primary/").status_code
        == 404
    )
    assert (
        admin_client.get(f"/console/districts/la-perla/domains/{other.pk}/remove/").status_code
        == 404
    )


# ------------------------------------------------------------------ activity log


def test_the_activity_log_lists_what_admins_did(
    admin_client: Client, district_a: District, district_b: District
) -> None:
    admin_client.post(_status_url(district_a, "suspend"), {"confirm_name": "La Perla"})
    admin_client.post("/console/districts/bellavista/domains/", {"host": "bella.localhost"})

    page = admin_client.get("/console/activity/").content.decode()
    assert page.index("bella.localhost added.") < page.index(
        "From “Active” to “Suspended (read-only)”."
    )
    assert "admin@platform.test" in page

    only_perla = admin_client.get("/console/activity/?district=la-perla").content.decode()
    assert "Suspended" in only_perla
    assert "bella.localhost" not in only_perla
    assert "From “Active”" in admin_client.get("/console/districts/la-perla/").content.decode()
