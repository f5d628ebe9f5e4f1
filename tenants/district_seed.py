"""What every new district schema starts with besides its tables: the reference lists and
the role groups with their permissions.

The seed is loaded into the template schema before it is snapshotted, so the fast path
copies it with the tables; the migrations path loads it after migrating. Its fingerprint
is part of the snapshot's, so changing the reference data or a role's permissions makes
the next onboarding refresh the template; existing districts get the change the next time
``migrate_schemas`` migrates them (``district_seed_after_migration``) or ``migrate_all`` runs.

Each schema holding the seed carries its fingerprint in its PostgreSQL comment
(``COMMENT ON SCHEMA``, see ``district_seed_marker``): a comment travels with the schema
when a pooled schema is renamed, and ``migrate_all`` reads every district's in the query
that lists them, so it reloads the seed only where it changed.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from apps.accounts.roles import district_role_permissions, district_roles_ensure
from apps.catalogue.reference_data import (
    DOCUMENT_TYPES,
    PARTNERS,
    SERVICE_TYPES,
    reference_data_load,
)
from tenants.db_roles import as_owner


def district_seed_load() -> None:
    """Load the seed into the current schema (idempotent)."""
    reference_data_load()
    district_roles_ensure()


def district_seed_refresh(schema_name: str) -> None:
    """Load the seed into ``schema_name`` and record its fingerprint on the schema.

    As the owner role: platform reference data, and the schema's comment is the owner's
    to write (it also runs for a district whose role is not made yet)."""
    with as_owner():
        with schema_context(schema_name):
            district_seed_load()
        district_seed_mark(schema_name)


def district_seed_mark(schema_name: str) -> None:
    """Record on the schema (its comment) that it holds the current seed."""
    quoted = '"' + schema_name.replace('"', '""') + '"'
    with connection.cursor() as cursor:
        cursor.execute(f"COMMENT ON SCHEMA {quoted} IS %s", [district_seed_marker()])


def district_seed_marker() -> str:
    """The schema comment of a schema holding the current seed."""
    return f"district seed {district_seed_fingerprint()}"


def district_seed_after_migration(sender: Any, schema_name: str, **kwargs: Any) -> None:
    """After ``migrate_schemas`` migrates a district (or the template), bring its seed up to
    date too, so a role's new permissions reach the districts that already exist. A schema
    already marked with the current seed is left alone: the seed is code (its fingerprint
    covers the reference lists and every role's permissions), so it has nothing to add."""
    if schema_name == get_public_schema_name() or schema_name.startswith("pool_"):
        return
    if district_seed_current(schema_name):
        return
    district_seed_refresh(schema_name)


def district_seed_current(schema_name: str) -> bool:
    """Whether the schema is marked as holding the current seed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s",
            [schema_name],
        )
        row = cursor.fetchone()
    return row is not None and row[0] == district_seed_marker()


@cache
def district_seed_fingerprint() -> str:
    """Hash of the seed as the code defines it (cached per process: it cannot change under
    a running process)."""
    content = json.dumps(
        [SERVICE_TYPES, DOCUMENT_TYPES, PARTNERS, district_role_permissions()],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(content.encode()).hexdigest()
