"""Defence in depth: the database itself refuses one district's rows to another's requests.

Each district schema has a role with rights on that schema only; the connection switches to
it with the ``search_path`` (``tenants.postgresql_backend``). These tests force what routing
should never let happen (a stale ``search_path``, a schema-qualified query naming another
district) and check that the database fails closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, ProgrammingError, connection, transaction
from django.test import Client
from django_tenants.utils import schema_context

import apps.people.views as people_views
from apps.accounts.roles import DistrictRole
from apps.people.forms import PersonFilterForm
from apps.people.models import Person
from apps.people.tests.factories import person_make, staff
from conftest import login_as
from tenants.background import run_in_schema
from tenants.console.selectors import district_usage
from tenants.db_roles import (
    MAX_IDENTIFIER_LENGTH,
    as_owner,
    current_role,
    district_role_name,
    district_roles_sync,
    districts_group_name,
)
from tenants.models import District
from tenants.services.onboarding import district_onboard

pytestmark = pytest.mark.django_db


def _role_of(district: District) -> str:
    return district_role_name(district.schema_name, connection.settings_dict["NAME"])


def _session_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_user")
        return str(cursor.fetchone()[0])


def _privilege(sql: str, params: list[Any]) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.fetchone()[0])


def _person_in_a(district_a: District) -> Person:
    with schema_context(district_a.schema_name):
        return person_make(actor=staff(slug="la-perla"), given_names="Persona De La Perla")


def _people_list_forcing_schema(schema_name: str) -> Callable[..., Any]:
    """The people list's selector, preceded by what a stale connection would do: a
    ``search_path`` pointing at another district's schema."""
    original = people_views.person_list

    def forced(**kwargs: Any) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(f'SET search_path TO "{schema_name}", public')
        return list(original(**kwargs))  # evaluated here, under the forced path

    return forced


def test_a_request_with_a_stale_search_path_fails_closed(
    district_a: District, district_b: District, client_b: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _person_in_a(district_a)
    login_as(client_b, district_b, DistrictRole.CASEWORKER)
    monkeypatch.setattr(
        people_views, "person_list", _people_list_forcing_schema(district_a.schema_name)
    )

    with pytest.raises(ProgrammingError, match="does not exist"), transaction.atomic():
        client_b.get("/people/")


def test_without_the_district_role_the_same_stale_path_would_leak(
    district_a: District, district_b: District
) -> None:
    """What the role prevents: the owner, with the same forced path, reads A's person.
    (Keeps the test above honest: it would pass for the wrong reason if the forced path
    found nothing to leak.)"""
    person = _person_in_a(district_a)
    forced = _people_list_forcing_schema(district_a.schema_name)
    with schema_context(district_b.schema_name):
        filters = PersonFilterForm({}).filters()
    with schema_context(district_b.schema_name), as_owner():
        leaked = forced(filters=filters)
    assert [p.pk for p in leaked] == [person.pk]
    with (
        schema_context(district_b.schema_name),
        pytest.raises(ProgrammingError),
        transaction.atomic(),
    ):
        forced(filters=filters)


def test_a_district_role_cannot_read_another_district_even_schema_qualified(
    district_a: District, district_b: District
) -> None:
    _person_in_a(district_a)
    with schema_context(district_b.schema_name):
        assert current_role() == _role_of(district_b)
        with (
            pytest.raises(ProgrammingError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f'SELECT count(*) FROM "{district_a.schema_name}".people_person')  # noqa: S608
        # Its own schema, qualified or not, is readable.
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM "{district_b.schema_name}".people_person')  # noqa: S608
            cursor.execute("SELECT count(*) FROM people_person")


def test_a_district_role_cannot_read_the_platform_accounts_nor_create_objects(
    district_b: District,
) -> None:
    with schema_context(district_b.schema_name):
        # auth_user resolves to the district's own table; the public one is refused.
        assert get_user_count() > 0
        with (
            pytest.raises(ProgrammingError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT count(*) FROM public.auth_user")
        with (
            pytest.raises(ProgrammingError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("CREATE TABLE leak (id int)")
        # The public tables district code uses are readable.
        assert District.objects.filter(pk=district_b.pk).exists()


def get_user_count() -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.count()


def test_the_connection_acts_as_the_role_of_the_schema_it_is_in(
    district_a: District, district_b: District
) -> None:
    owner = _session_user()  # the embedded server's superuser; no DATABASE_OWNER_ROLE here
    assert current_role() == owner
    with schema_context(district_a.schema_name):
        assert current_role() == _role_of(district_a)
        with schema_context(district_b.schema_name):
            assert current_role() == _role_of(district_b)
        assert current_role() == _role_of(district_a)
        with as_owner():
            assert current_role() == owner
        assert current_role() == _role_of(district_a)
    assert current_role() == owner
    assert _role_of(district_a) != _role_of(district_b)


def test_a_switch_that_fails_raises_instead_of_keeping_the_previous_district(
    district_a: District,
) -> None:
    """django-tenants swallows a failed ``SET search_path``; here the role is in the same
    statement, so swallowing would leave the previous district's path and role in place."""
    with schema_context(district_a.schema_name):
        assert current_role() == _role_of(district_a)
        # A schema with no role (no district was onboarded for it) cannot be entered.
        with (
            schema_context("d_ghost"),
            pytest.raises(DatabaseError, match="does not exist"),
            transaction.atomic(),
        ):
            Person.objects.count()


def test_requests_act_as_their_district_role_and_the_platform_host_as_the_owner(
    district_b: District, client_b: Client, public_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    original = people_views.person_list

    def recording(**kwargs: Any) -> Any:
        seen.append(current_role())
        return original(**kwargs)

    monkeypatch.setattr(people_views, "person_list", recording)
    login_as(client_b, district_b, DistrictRole.CASEWORKER)
    assert client_b.get("/people/").status_code == 200
    assert seen == [_role_of(district_b)]

    # The platform host is served as the owner: its pages and login work as before, and the
    # console's usage figures (one statement over every district) are read as the owner.
    assert public_client.get("/").status_code == 200
    response = public_client.post(
        "/accounts/login/",
        {"username": "admin@platform.test", "password": "una-clave-de-prueba-larga"},
    )
    assert response.status_code == 302
    usage = district_usage([district_b]).by_schema[district_b.schema_name]
    assert usage.users is not None
    assert usage.users >= len(DistrictRole)  # the test accounts of every role


def test_background_tasks_run_as_the_role_of_their_district(district_a: District) -> None:
    assert run_in_schema(district_a.schema_name, current_role, {}, district_only=True) == (
        _role_of(district_a)
    )


def test_onboarding_gives_the_new_district_a_role_on_its_own_schema_only(
    district_a: District,
) -> None:
    result = district_onboard(
        name="Ventanilla", slug="ventanilla", ubigeo="070106", coordinator_email="r@example.org"
    )
    schema = result.district.schema_name
    role = _role_of(result.district)
    usage = "SELECT has_schema_privilege(%s, %s, 'USAGE')"
    assert _privilege(usage, [role, schema])
    assert not _privilege(usage, [role, district_a.schema_name])
    assert not _privilege(usage, [_role_of(district_a), schema])
    assert not _privilege("SELECT has_schema_privilege(%s, %s, 'CREATE')", [role, schema]), (
        "a district role must not create objects"
    )
    table = "SELECT has_table_privilege(%s, %s, 'SELECT')"
    assert _privilege(table, [role, f"{schema}.people_person"])
    assert _privilege(table, [role, "public.tenants_district"])
    assert not _privilege(table, [role, "public.auth_user"])
    assert _privilege(
        "SELECT pg_has_role(%s, %s, 'MEMBER')",
        [role, districts_group_name(connection.settings_dict["NAME"])],
    )
    # Its objects belong to the owner, not to the district's role.
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = %s", [schema])
        assert [row[0] for row in cursor.fetchall()] == [_session_user()]
    # The coordinator's invitation was written as the district's role, in its schema.
    with schema_context(schema):
        assert current_role() == role
        assert get_user_count() == 1


def test_migrated_tables_belong_to_the_owner_and_new_ones_reach_the_district_role(
    district_b: District,
) -> None:
    schema = district_b.schema_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = %s", [schema])
        assert [row[0] for row in cursor.fetchall()] == [_session_user()]
        # A table a later migration makes (as the owner) is granted by default privileges.
        cursor.execute(f'CREATE TABLE "{schema}".later_table (id int)')
    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute("INSERT INTO later_table VALUES (1)")
        cursor.execute("SELECT count(*) FROM later_table")
        assert cursor.fetchone()[0] == 1


def test_roles_sync_grants_again_what_is_missing(district_b: District) -> None:
    role = _role_of(district_b)
    target = f"{district_b.schema_name}.people_person"
    with connection.cursor() as cursor:
        cursor.execute(f'REVOKE ALL ON {target} FROM "{role}"')
    assert not _privilege("SELECT has_table_privilege(%s, %s, 'SELECT')", [role, target])

    # migrate_all's pass grants only the districts lacking something, found in one query.
    assert district_roles_sync(only_missing=True).roles == [role]
    assert _privilege("SELECT has_table_privilege(%s, %s, 'SELECT')", [role, target])
    assert district_roles_sync(only_missing=True).roles == []

    with connection.cursor() as cursor:
        cursor.execute(f'REVOKE ALL ON {target} FROM "{role}"')
    call_command("district_roles_sync", verbosity=0)
    call_command("district_roles_sync", verbosity=0)  # idempotent
    assert _privilege("SELECT has_table_privilege(%s, %s, 'SELECT')", [role, target])


def test_role_names_differ_per_database_and_fit_postgresql() -> None:
    assert district_role_name("d_la_perla", "callao") != district_role_name(
        "d_la_perla", "test_callao"
    )
    long_schema = "d_" + "x" * 61
    name = district_role_name(long_schema, "callao")
    assert len(name) <= MAX_IDENTIFIER_LENGTH
    assert name != district_role_name("d_" + "x" * 60 + "y", "callao")
