"""Database roles per district: the database itself refuses cross-district reads.

Routing picks a district's schema by host name and django-tenants sets the connection's
``search_path``; if that ever went wrong (a stale ``search_path`` on a reused connection,
a schema-qualified query naming another district, a bug in a cross-tenant helper), the
application's connection could read another district's people. So each district schema
has a ``NOLOGIN`` role of its own, with rights on that schema only, and the connection
switches to it together with the ``search_path`` (``tenants.postgresql_backend``):

- ``<prefix>_d_<slug>``: the district's role. ``USAGE`` on its schema; ``SELECT``,
  ``INSERT``, ``UPDATE``, ``DELETE`` on its tables; its sequences and functions (the
  history triggers'); default privileges for what later migrations create there. No
  ``CREATE``: it cannot make or alter objects. No right at all on another district's schema,
  so a query against a stale ``search_path`` fails with "relation does not exist" (PostgreSQL
  skips a schema the role has no ``USAGE`` on), and a schema-qualified one with "permission
  denied", instead of returning another district's rows;
- ``<prefix>_districts``: a group every district role belongs to, with ``SELECT``,
  ``INSERT``, ``UPDATE``, ``DELETE`` on the public schema's tables that district requests
  use (districts, plans, forum, metrics store, the task queue...). Not on the tables the
  public schema shares names with a district schema (``auth_*``, ``django_session``,
  ``django_content_type``, ``django_migrations``) nor the admin log: the platform's own
  accounts stay out of a district's reach;
- the **owner**: the role that owns every table and runs migrations, onboarding and the
  deliberate cross-schema reads (``as_owner``). ``DATABASE_OWNER_ROLE`` names it (the
  connection does ``SET ROLE`` to it); empty means the login role itself (``RESET ROLE``),
  as with the embedded server. The public schema is served as the owner.

Role names are unique in the cluster, which may hold several databases (development,
tests, benchmarks): ``<prefix>`` is ``dr_`` and a short hash of the database name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

if TYPE_CHECKING:
    from tenants.models import District

# Serialises the grants (two GRANTs on one object at once fail with "tuple concurrently
# updated"); an advisory lock of the transaction that grants.
ROLES_LOCK_ID = 7_070_300
ROLE_PREFIX = "dr_"
MAX_IDENTIFIER_LENGTH = 63
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
# Public tables a district role must not read although district code never needs them:
# those of the apps both lists hold (their district copies are in the district's schema).
_PUBLIC_ONLY_TABLES = ("django_migrations", "django_admin_log")


class DistrictRoleError(RuntimeError):
    pass


def _checked(name: str) -> str:
    if not _IDENTIFIER.match(name) or len(name) > MAX_IDENTIFIER_LENGTH:
        raise DistrictRoleError(f"Not a plain identifier: {name!r}")
    return name


def _quote(name: str) -> str:
    return '"' + _checked(name) + '"'


def _database_name(using: str = DEFAULT_DB_ALIAS) -> str:
    return str(connections[using].settings_dict["NAME"])


@lru_cache(maxsize=64)
def role_prefix(database_name: str) -> str:
    """``dr_`` and 8 hex digits of the database name's hash: one set of roles per database."""
    return ROLE_PREFIX + hashlib.sha256(database_name.encode()).hexdigest()[:8]


@lru_cache(maxsize=4096)
def district_role_name(schema_name: str, database_name: str) -> str:
    """The role of a district schema in a database, within PostgreSQL's 63 characters."""
    name = f"{role_prefix(database_name)}_{schema_name}"
    if len(name) > MAX_IDENTIFIER_LENGTH:
        digest = hashlib.sha256(schema_name.encode()).hexdigest()[:8]
        name = name[: MAX_IDENTIFIER_LENGTH - 9] + "_" + digest
    return _checked(name)


def districts_group_name(database_name: str) -> str:
    return _checked(f"{role_prefix(database_name)}_districts")


def owner_role() -> str:
    """The owner role's name, or "" for the login role itself."""
    return str(getattr(settings, "DATABASE_OWNER_ROLE", "") or "")


def owner_statement() -> str:
    role = owner_role()
    return f"SET ROLE {_quote(role)}" if role else "RESET ROLE"


def schema_served_as_owner(schema_name: str) -> bool:
    """Schemas without a district role: public, the template and the pool (no personal
    data). Every other schema is a district's and is served as its role, which fails
    closed if it is missing."""
    from django_tenants.utils import get_public_schema_name

    return (
        schema_name == get_public_schema_name()
        or schema_name == settings.DISTRICT_TEMPLATE_SCHEMA
        or schema_name.startswith("pool_")
    )


def role_statement(schema_name: str, database_name: str, *, as_owner: bool) -> str:
    """The statement run with each ``SET search_path``: the district's role, or the owner."""
    if as_owner or schema_served_as_owner(schema_name):
        return owner_statement()
    return f"SET ROLE {_quote(district_role_name(schema_name, database_name))}"


@contextmanager
def as_owner(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block as the owner role whatever schema the connection is in.

    For what must not be limited to one district: migrations, onboarding (creating a
    schema), seeding, the console's usage figures read from every schema in one statement.
    Nested blocks are fine; the connection takes its district's role again afterwards.
    """
    wrapper: Any = connections[using]
    wrapper.role_owner_depth = getattr(wrapper, "role_owner_depth", 0) + 1
    wrapper.search_path_set_schemas = None  # the next cursor sets the role again
    try:
        yield
    finally:
        wrapper.role_owner_depth -= 1
        wrapper.search_path_set_schemas = None


def current_role(using: str = DEFAULT_DB_ALIAS) -> str:
    """The role the connection acts as now (after switching, as any query would)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT current_user")
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def _create_role_sql(role: str) -> str:
    # Idempotent, and quiet when a concurrent run made it first. The name is checked to be
    # a plain identifier (a DO block takes no parameters).
    return f"""
        DO $roles$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{_checked(role)}') THEN
                CREATE ROLE {_quote(role)} NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $roles$
    """  # noqa: S608


def _login_may_switch_sql(role: str) -> str:
    """The login role must be a member of a role to ``SET ROLE`` to it (a superuser, as
    with the embedded server, needs nothing). No ``%`` in the text: an execute wrapper
    (pghistory's context) may add parameters, and the driver would read it as one."""
    return f"""
        DO $roles$ BEGIN
            IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
               AND NOT pg_has_role(session_user, '{_checked(role)}', 'MEMBER') THEN
                EXECUTE 'GRANT ' || quote_ident('{_checked(role)}')
                    || ' TO ' || quote_ident(session_user);
            END IF;
        END $roles$
    """  # noqa: S608


def _public_denied_tables() -> list[str]:
    """Tables of the public schema kept from district roles: those of the apps in both
    ``SHARED_APPS`` and ``TENANT_APPS`` (auth, contenttypes, sessions) and the platform's
    migration record and admin log."""
    from django.apps import apps

    both = set(settings.SHARED_APPS) & set(settings.TENANT_APPS)
    tables = set(_PUBLIC_ONLY_TABLES)
    for app_config in apps.get_app_configs():
        if app_config.name not in both:
            continue
        for model in app_config.get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    return sorted(tables)


def _group_grants_missing(cursor: Any, group: str, denied: list[str]) -> bool:
    cursor.execute(
        "SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s) OR EXISTS ("
        " SELECT 1 FROM pg_tables WHERE schemaname = 'public'"
        " AND tablename <> ALL(%s::text[])"
        " AND NOT has_table_privilege(%s, quote_ident(schemaname) || '.' ||"
        " quote_ident(tablename), 'SELECT'))",
        [group, denied, group],
    )
    row = cursor.fetchone()
    return bool(row and row[0])


def _group_ensure(cursor: Any, group: str, *, force: bool) -> bool:
    """Create the districts' group and grant it the public tables (when a table lacks the
    grant, or ``force``). Returns whether grants were written."""
    denied = _public_denied_tables()
    if not force and not _group_grants_missing(cursor, group, denied):
        return False
    cursor.execute(_create_role_sql(group))
    quoted = _quote(group)
    cursor.execute(f"GRANT USAGE ON SCHEMA public TO {quoted}")
    cursor.execute(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}"
    )
    cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}")
    cursor.execute(
        "SELECT quote_ident(tablename) FROM pg_tables "
        "WHERE schemaname = 'public' AND tablename = ANY(%s::text[])",
        [denied],
    )
    present = [row[0] for row in cursor.fetchall()]
    if present:
        names = ", ".join(f"public.{name}" for name in present)
        cursor.execute(f"REVOKE ALL ON TABLE {names} FROM {quoted}")
    return True


def _district_grants(cursor: Any, schema_name: str, role: str, group: str) -> None:
    """The role and its rights, sent as one string (one round trip; onboarding waits)."""
    schema, quoted = _quote(schema_name), _quote(role)
    # For the objects later migrations create there (as the owner, the current role here).
    default = f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT"
    statements = [
        _create_role_sql(role),
        f"GRANT {_quote(group)} TO {quoted}",
        _login_may_switch_sql(role),
        f"GRANT USAGE ON SCHEMA {schema} TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {quoted}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}",
        f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {quoted}",
        f"{default} SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
        f"{default} USAGE, SELECT, UPDATE ON SEQUENCES TO {quoted}",
        f"{default} EXECUTE ON FUNCTIONS TO {quoted}",
    ]
    cursor.execute(";\n".join(statements))


def grant_district_role(
    district: District | str, *, using: str = DEFAULT_DB_ALIAS, refresh_group: bool = False
) -> str:
    """Create (if needed) the district's role and grant it its schema; return its name.

    Idempotent. Call it whenever a district schema appears (onboarding does, whatever the
    path; so must a restore into a new district) or gets new tables (``migrate_all`` does,
    through ``district_roles_sync``). Runs as the owner, in the caller's transaction if
    any (a rollback takes the role back with the schema).
    """
    schema_name = _checked(district if isinstance(district, str) else district.schema_name)
    database = _database_name(using)
    role = district_role_name(schema_name, database)
    group = districts_group_name(database)
    with (
        as_owner(using),
        transaction.atomic(using=using),
        connections[using].cursor() as cursor,
    ):
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROLES_LOCK_ID])
        _group_ensure(cursor, group, force=refresh_group)
        _district_grants(cursor, schema_name, role, group)
    return role


@dataclass(frozen=True)
class RolesSyncReport:
    group: str
    roles: list[str]
    missing_schemas: list[str]


def _schemas_lacking_grants(cursor: Any, pairs: list[tuple[str, str]]) -> set[str]:
    """Of the (schema, role) pairs, the schemas whose role is missing, lacks ``USAGE`` on
    the schema, or lacks ``SELECT`` on one of its tables: one catalogue query for all."""
    if not pairs:
        return set()
    cursor.execute(
        """
        SELECT p.schema_name
          FROM unnest(%s::text[], %s::text[]) AS p(schema_name, role_name)
          JOIN pg_namespace n ON n.nspname = p.schema_name
          LEFT JOIN pg_roles r ON r.rolname = p.role_name
         WHERE CASE WHEN r.oid IS NULL THEN true
                    WHEN NOT has_schema_privilege(r.oid, n.oid, 'USAGE') THEN true
                    ELSE EXISTS (
                        SELECT 1 FROM pg_class c
                         WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm')
                           AND NOT has_table_privilege(r.oid, c.oid, 'SELECT'))
               END
        """,
        [[schema for schema, _ in pairs], [role for _, role in pairs]],
    )
    return {row[0] for row in cursor.fetchall()}


def district_roles_sync(
    *, using: str = DEFAULT_DB_ALIAS, only_missing: bool = False
) -> RolesSyncReport:
    """Apply the roles and grants of every district again (idempotent): after migrations
    (new tables, new public tables), and for districts made before roles existed.

    ``only_missing`` (``migrate_all``) grants only the districts a catalogue query finds
    lacking something (a role, its schema, a table), so a release with nothing new costs
    one query whatever the number of districts; ``roles`` then names those granted."""
    from tenants.models import District

    database = _database_name(using)
    group = districts_group_name(database)
    roles: list[str] = []
    missing: list[str] = []
    with as_owner(using):
        schemas = list(
            District.objects.using(using)
            .exclude(schema_name="public")
            .order_by("schema_name")
            .values_list("schema_name", flat=True)
        )
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROLES_LOCK_ID])
            _group_ensure(cursor, group, force=not only_missing)
            cursor.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s::text[])", [schemas]
            )
            existing = {row[0] for row in cursor.fetchall()}
            present = [s for s in schemas if s in existing]
            if only_missing:
                lacking = _schemas_lacking_grants(
                    cursor, [(s, district_role_name(s, database)) for s in present]
                )
                present = [s for s in present if s in lacking]
        missing = [s for s in schemas if s not in existing]
        roles = [grant_district_role(schema_name, using=using) for schema_name in present]
    return RolesSyncReport(group=group, roles=roles, missing_schemas=missing)
