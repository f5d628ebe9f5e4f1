"""Every district schema is self-contained: no database foreign key leaves it.

A district schema (and the template and pooled schemas new districts are made from) may
only have foreign keys to tables of its own schema. A key to a public-schema table would
tie the schema to the platform's tables, so it could no longer be cloned, backed up,
restored or moved on its own, and Citus refuses it when the schema is distributed
("foreign keys from distributed schemas can only point to the same distributed schema or
reference tables"). Refer to shared entries by a stable code instead (docs/SCALING.md).

The checks read the catalogue, so they see every key whether Django, a migration's raw SQL
or an extension made it: ``pg_constraint`` for foreign keys, ``pg_depend`` for any other
dependency (column types, defaults, sequences, triggers), and the template snapshot's text
for what the catalogue does not track (names inside function bodies).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection

from tenants.models import District, PooledSchema, TemplateSnapshot
from tenants.schema_template import template_fingerprint

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class ForeignKey:
    name: str
    table: str  # schema-qualified
    referenced: str  # schema-qualified
    definition: str

    def __str__(self) -> str:
        return f'constraint "{self.name}" on {self.table} -> {self.referenced} ({self.definition})'


def self_contained_schemas() -> list[str]:
    """The schemas that must stand alone: every district's, the template, the pool."""
    schemas = list(District.objects.values_list("schema_name", flat=True))
    schemas.append(settings.DISTRICT_TEMPLATE_SCHEMA)
    schemas += PooledSchema.objects.values_list("schema_name", flat=True)
    return sorted(schemas)


def foreign_keys_from(schemas: list[str], *, leaving: bool) -> list[ForeignKey]:
    """Foreign keys declared on tables of ``schemas``: those pointing to a table of another
    schema (``leaving=True``) or those staying inside their own schema (``leaving=False``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT con.conname,
                   format('%%I.%%I', src_ns.nspname, src.relname),
                   format('%%I.%%I', dst_ns.nspname, dst.relname),
                   pg_get_constraintdef(con.oid)
              FROM pg_constraint con
              JOIN pg_class src ON src.oid = con.conrelid
              JOIN pg_namespace src_ns ON src_ns.oid = src.relnamespace
              JOIN pg_class dst ON dst.oid = con.confrelid
              JOIN pg_namespace dst_ns ON dst_ns.oid = dst.relnamespace
             WHERE con.contype = 'f'
               AND src_ns.nspname = ANY(%s)
               AND (dst_ns.oid <> src_ns.oid) = %s
             ORDER BY 2, 1
            """,
            [schemas, leaving],
        )
        return [ForeignKey(*row) for row in cursor.fetchall()]


def _schemas_present(schemas: list[str]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [schemas])
        return {name for (name,) in cursor.fetchall()}


def test_no_foreign_key_leaves_a_district_or_the_template_schema() -> None:
    schemas = self_contained_schemas()
    # Really checking the test districts and the template, and they really have keys.
    assert {"d_la_perla", "d_bellavista", settings.DISTRICT_TEMPLATE_SCHEMA} <= set(schemas)
    assert _schemas_present(schemas) == set(schemas)
    inside = foreign_keys_from(schemas, leaving=False)
    assert any(fk.table == "d_la_perla.people_identitydocument" for fk in inside), inside[:5]

    leaving = foreign_keys_from(schemas, leaving=True)
    assert leaving == [], (
        "A district schema must be self-contained (no foreign key to the public schema or "
        "to another schema; refer to shared entries by a stable code, see docs/SCALING.md). "
        "Found:\n  " + "\n  ".join(str(fk) for fk in leaving)
    )


def test_the_check_names_a_foreign_key_to_the_public_schema(district_a: District) -> None:
    """The check is not blind: a key from a district table to ``public.tenants_district``
    (made here, rolled back with the test) is reported by its name."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TABLE "{district_a.schema_name}".probe_owner ('
            "  id integer PRIMARY KEY,"
            "  district_id bigint CONSTRAINT probe_owner_district_fk"
            "    REFERENCES public.tenants_district (id))"
        )
    leaving = foreign_keys_from([district_a.schema_name], leaving=True)
    assert [(fk.name, fk.table, fk.referenced) for fk in leaving] == [
        ("probe_owner_district_fk", "d_la_perla.probe_owner", "public.tenants_district")
    ]
    assert set(dependencies_leaving([district_a.schema_name])) == {
        (
            "constraint probe_owner_district_fk on table d_la_perla.probe_owner",
            "column id of table tenants_district",
        ),
        (
            "constraint probe_owner_district_fk on table d_la_perla.probe_owner",
            "index tenants_district_pkey",
        ),
    }


# Public-schema objects a district schema may name, with the reason. Only functions that
# exist identically in every database of the platform belong here, never a table.
ALLOWED_PUBLIC_NAMES = {
    "_pgtrigger_should_ignore": (
        "django-pgtrigger's helper, called by every pgtrigger trigger function; the tenant "
        "migrations (re)create it in the public schema, so it exists wherever the platform's "
        "public schema does (see docs/SCALING.md, 'What a district schema still needs')"
    ),
}
_PUBLIC_NAME = re.compile(r'(?<![\w"])"?public"?\."?(\w+)"?')


def test_the_template_snapshot_names_no_public_schema_table() -> None:
    """New districts are made by replaying the template's dump: nothing in it (keys,
    defaults, trigger functions, views) may name an object of the public schema other than
    the allowed helper functions."""
    snapshot = TemplateSnapshot.objects.get(fingerprint=template_fingerprint())
    named = {match.group(1) for match in _PUBLIC_NAME.finditer(snapshot.sql)}
    assert named - set(ALLOWED_PUBLIC_NAMES) == set(), (
        "the template snapshot refers to public-schema objects: "
        + ", ".join(sorted(named - set(ALLOWED_PUBLIC_NAMES)))
    )
    assert set(ALLOWED_PUBLIC_NAMES) <= named, "stale entries in ALLOWED_PUBLIC_NAMES"


def dependencies_leaving(schemas: list[str]) -> list[tuple[str, str]]:
    """(object, referenced object) for every catalogue dependency (``pg_depend``) of an
    object of ``schemas`` on an object in another schema, the system schemas excepted:
    column types, defaults, sequences, indexes, triggers, constraints. Function bodies are
    not tracked there, hence the snapshot check."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT pg_describe_object(d.classid, d.objid, d.objsubid),
                   pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid)
              FROM pg_depend d
             CROSS JOIN LATERAL pg_identify_object(d.classid, d.objid, d.objsubid) o
             CROSS JOIN LATERAL pg_identify_object(d.refclassid, d.refobjid, d.refobjsubid) r
             WHERE o.schema = ANY(%s)
               AND r.schema IS NOT NULL  -- not schemas themselves, languages, extensions
               AND r.schema <> o.schema
               AND r.schema NOT IN ('pg_catalog', 'information_schema')
             ORDER BY 1, 2
            """,
            [schemas],
        )
        return cursor.fetchall()


def test_no_catalogue_dependency_leaves_a_district_schema() -> None:
    """Beyond foreign keys: no column type, default, sequence, index or trigger of a
    district or template schema depends on an object of another schema."""
    leaving = dependencies_leaving(self_contained_schemas())
    assert leaving == [], "objects depending on another schema:\n  " + "\n  ".join(
        f"{obj} -> {ref}" for obj, ref in leaving
    )
