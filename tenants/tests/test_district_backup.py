"""``district_backup`` and ``district_restore``: every row comes back, into the same district
or a new one, and damaged, foreign or newer backups are refused before anything changes.

pg_dump and psql run on connections of their own, which cannot see a test's uncommitted
transaction, so this module works on committed data (as ``test_migrate_all`` does): one
district is onboarded and filled with records of every district app once for the module,
backed up, and everything made here is removed at the end.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context

from apps.accounts.roles import DistrictRole
from apps.accounts.services import user_create_with_password
from apps.audit.models import AccessLogEntry
from apps.audit.services import access_record
from apps.casework.demo import casework_demo_load
from apps.people.demo import people_demo_load
from apps.people.models import IdentityDocument, Person
from conftest import TEST_PASSWORD, client_for, role_email
from tenants.db import use_public_schema
from tenants.db_roles import as_owner, district_role_name
from tenants.demo import DISTRICT_APP_DEMOS
from tenants.models import District, Domain, PlatformAdminAction
from tenants.services.backup import (
    DUMP_NAME,
    MANIFEST_NAME,
    DistrictBackupError,
    backup_manifest_read,
    district_backup,
    district_restore,
)
from tenants.services.onboarding import district_onboard

ORIGIN = ("Distrito Respaldo", "respaldo", "079801")
COPY = ("Distrito Respaldo Copia", "respaldo-copia", "079802")
# A migration without SQL (an AlterField of choices): a schema can lack its row and be
# migrated again (as in test_migrate_all).
NO_SQL_MIGRATION = ("audit", "0002_access_log_merge")
# Tables that the records made here must fill: one or more per district app.
MUST_HAVE_ROWS = {
    "auth_user",
    "auth_group",
    "people_person",
    "people_identitydocument",
    "people_consent",
    "casework_case",
    "casework_attention",
    "casework_referral",
    "complaints_complaint",
    "inclusion_entrepreneur",
    "volunteers_volunteer",
    "activities_partneractivity",
    "audit_accesslogentry",
    "people_personevent",
    "django_migrations",
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def schema_fingerprint(schema: str) -> dict[str, tuple[int, str]]:
    """Row count and an MD5 of every row (as text, in a fixed order) of every table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY 1",
            [schema],
        )
        tables = [row[0] for row in cursor.fetchall()]
        fingerprint = {}
        for table in tables:
            cursor.execute(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "  # noqa: S608
                f"FROM {_q(schema)}.{_q(table)} t"
            )
            count, digest = cursor.fetchone()
            fingerprint[table] = (count, digest)
    return fingerprint


def leftover_schemas() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'restore\\_%' "
            "OR nspname LIKE 'replaced\\_%' OR nspname LIKE 'aside\\_%'"
        )
        return [row[0] for row in cursor.fetchall()]


def _drop(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {_q(schema)} CASCADE")


def _forget_district(slug: str) -> None:
    district = District.objects.filter(slug=slug).first()
    if district is None:
        return
    _drop(district.schema_name)
    PlatformAdminAction.objects.filter(district=district).delete()
    Domain.objects.filter(tenant=district).delete()
    district.delete()


@dataclass
class Origin:
    district: District
    backup: Path
    fingerprint: dict[str, tuple[int, str]]
    personal: list[str]  # names and document numbers that must never reach a log


@pytest.fixture
def db(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Replaces pytest-django's ``db`` here: database access without a transaction around
    the test (pg_dump and psql only see committed rows)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="module")
def origin(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Origin]:
    """A committed district with records in every district app, and its backup."""
    with django_db_blocker.unblock():
        try:
            yield _origin_make(tmp_path_factory.mktemp("backups"))
        finally:
            connection.close()  # a failed test may leave it in a broken transaction
            for slug in (ORIGIN[1], COPY[1]):
                _forget_district(slug)
            for schema in leftover_schemas():
                _drop(schema)
            use_public_schema()


def _origin_make(folder: Path) -> Origin:
    name, slug, ubigeo = ORIGIN
    district = district_onboard(
        name=name,
        slug=slug,
        ubigeo=ubigeo,
        coordinator_email=f"invited@{slug}.test",
        refill_pool_in_background=False,
    ).district
    with schema_context(district.schema_name):
        users = {
            role: user_create_with_password(
                email=role_email(slug, role), password=TEST_PASSWORD, role=role
            )
            for role in DistrictRole
        }
        people_demo_load(actor=users[DistrictRole.CASEWORKER], count=12, seed=slug)
        casework_demo_load(actor=users[DistrictRole.CASEWORKER], seed=slug)
        for module_name, role in DISTRICT_APP_DEMOS:
            import_module(module_name).demo_load(actor=users[role], seed=slug)
        for person in Person.objects.all()[:3]:
            access_record(
                user=users[DistrictRole.CASEWORKER],
                action=AccessLogEntry.Action.VIEW,
                object_type="person",
                object_id=str(person.pk),
            )
        personal = [p.given_names for p in Person.objects.all()[:5]] + [
            d.number for d in IdentityDocument.objects.all()[:5]
        ]
    use_public_schema()
    fingerprint = schema_fingerprint(district.schema_name)
    empty = sorted(t for t in MUST_HAVE_ROWS if fingerprint.get(t, (0, ""))[0] == 0)
    assert not empty, f"the set-up left these tables empty: {empty}"
    backup = district_backup(district=district, output_dir=folder).path
    return Origin(district=district, backup=backup, fingerprint=fingerprint, personal=personal)


def _retar(
    source: Path, target: Path, *, manifest: dict[str, Any] | None = None, dump: bytes | None = None
) -> Path:
    """A copy of a backup with its manifest or its dump replaced."""
    with tarfile.open(source) as tar:
        members = {
            member.name: tar.extractfile(member).read()  # type: ignore[union-attr]
            for member in tar.getmembers()
        }
    if manifest is not None:
        members[MANIFEST_NAME] = json.dumps(manifest).encode()
    if dump is not None:
        members[DUMP_NAME] = dump
    with tarfile.open(target, "w") as tar:
        for member_name in (MANIFEST_NAME, DUMP_NAME):
            info = tarfile.TarInfo(member_name)
            info.size = len(members[member_name])
            tar.addfile(info, io.BytesIO(members[member_name]))
    return target


def _manifest_dict(path: Path) -> dict[str, Any]:
    with tarfile.open(path) as tar:
        return json.loads(tar.extractfile(MANIFEST_NAME).read())  # type: ignore[union-attr]


# ---------------------------------------------------------------------------- backup
def test_backup_file_holds_a_manifest_that_describes_its_dump(origin: Origin, db: None) -> None:
    path = origin.backup
    assert path.name.startswith(f"{ORIGIN[1]}-")
    assert path.suffix == ".tar"
    assert path.stat().st_mode & 0o777 == 0o600  # personal data: the owner only
    with tarfile.open(path) as tar:
        assert [m.name for m in tar.getmembers()] == [MANIFEST_NAME, DUMP_NAME]
    manifest = backup_manifest_read(path)
    assert manifest.district_slug == ORIGIN[1]
    assert manifest.district_name == ORIGIN[0]
    assert manifest.schema_name == origin.district.schema_name
    assert manifest.tables == {t: count for t, (count, _) in origin.fingerprint.items()}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT app || '.' || name FROM {_q(manifest.schema_name)}.django_migrations"  # noqa: S608
        )
        assert set(manifest.migrations) == {row[0] for row in cursor.fetchall()}
    assert manifest.pg_dump_version.startswith("pg_dump (PostgreSQL)")
    assert manifest.server_version
    assert manifest.platform_release
    with tarfile.open(path) as tar:
        dump = tar.extractfile(DUMP_NAME).read()  # type: ignore[union-attr]
    assert hashlib.sha256(dump).hexdigest() == manifest.dump_sha256
    assert dump.startswith(b"PGDMP")  # pg_dump's custom format


def test_backup_command_refuses_an_unknown_slug(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No district has the slug “nowhere”"):
        call_command("district_backup", "nowhere", "--output", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_backup_command_writes_one_file_per_district(
    origin: Origin, db: None, tmp_path: Path
) -> None:
    out = io.StringIO()
    call_command("district_backup", ORIGIN[1], "--output", str(tmp_path), stdout=out)
    files = list(tmp_path.glob("*.tar"))
    assert len(files) == 1
    assert str(files[0]) in out.getvalue()
    assert not list(tmp_path.glob(".backup-*"))  # the work folder is gone


# ---------------------------------------------------------------------------- restore
def test_restore_into_the_same_district_brings_every_row_back(
    origin: Origin, db: None, caplog: pytest.LogCaptureFixture
) -> None:
    schema = origin.district.schema_name
    # Lose and change records after the backup (as the owner: TRUNCATE; in the schema: the
    # history triggers name their tables without a schema).
    with schema_context(schema), as_owner(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {_q(schema)}.casework_attention CASCADE")
        cursor.execute(f"UPDATE {_q(schema)}.people_person SET given_names = 'Cambiado'")  # noqa: S608
        cursor.execute(f"TRUNCATE {_q(schema)}.audit_accesslogentry")  # append-only to DML
        cursor.execute(
            f"DELETE FROM {_q(schema)}.auth_user WHERE last_login IS NULL AND NOT is_active"  # noqa: S608
        )
    assert schema_fingerprint(schema) != origin.fingerprint

    caplog.set_level(logging.INFO)
    call_command("district_restore", str(origin.backup), "--noinput", stdout=io.StringIO())

    assert schema_fingerprint(schema) == origin.fingerprint
    assert leftover_schemas() == []
    response = _login(origin.district, DistrictRole.CASEWORKER)
    assert response.status_code == 302
    # Audit: a platform log entry (public schema, survives the restore), no personal data.
    entry = PlatformAdminAction.objects.filter(
        district=origin.district, action=PlatformAdminAction.Action.RESTORE
    ).latest("id")
    assert entry.actor is None
    assert entry.detail["file"] == origin.backup.name
    assert entry.detail["into"] == "same"
    _assert_nothing_personal(origin, json.dumps(entry.detail) + caplog.text)


def test_restore_works_when_the_district_lost_its_schema(origin: Origin, db: None) -> None:
    _drop(origin.district.schema_name)

    result = district_restore(path=origin.backup)

    assert result.created is False
    assert result.leftover_schema is None
    assert schema_fingerprint(origin.district.schema_name) == origin.fingerprint


def test_restore_into_a_new_district_is_routable_and_its_users_log_in(
    origin: Origin, db: None
) -> None:
    name, slug, ubigeo = COPY
    out = io.StringIO()
    call_command(
        "district_restore",
        str(origin.backup),
        "--new-name",
        name,
        "--new-slug",
        slug,
        "--new-ubigeo",
        ubigeo,
        stdout=out,
    )

    copy = District.objects.get(slug=slug)
    assert copy.schema_name == "d_respaldo_copia"
    assert Domain.objects.get(tenant=copy, is_primary=True).domain == f"{slug}.localhost"
    assert schema_fingerprint(copy.schema_name) == origin.fingerprint
    assert leftover_schemas() == []
    # The copy's own database role, with rights on its schema (the dump carries no grants).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_schema_privilege(%s, %s, 'USAGE')",
            [
                district_role_name(copy.schema_name, connection.settings_dict["NAME"]),
                copy.schema_name,
            ],
        )
        assert cursor.fetchone()[0] is True
    # Its users are the backup's accounts; they log in on the new host and see its records.
    client = client_for(copy)
    response = client.post(
        "/accounts/login/",
        {"username": role_email(ORIGIN[1], DistrictRole.CASEWORKER), "password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    with schema_context(copy.schema_name):
        assert get_user_model().objects.count() == origin.fingerprint["auth_user"][0]
    entry = PlatformAdminAction.objects.get(district=copy)
    assert entry.action == PlatformAdminAction.Action.RESTORE
    assert entry.detail["into"] == "new"
    assert entry.detail["from_district"] == ORIGIN[1]


def test_restore_into_a_new_district_refuses_a_taken_slug(origin: Origin, db: None) -> None:
    with pytest.raises(ValidationError) as raised:
        district_restore(
            path=origin.backup, new_name="Otro nombre", new_slug="la-perla", new_ubigeo="079899"
        )
    assert "la-perla" in str(raised.value)
    assert leftover_schemas() == []


def test_restore_refuses_a_damaged_dump(origin: Origin, db: None, tmp_path: Path) -> None:
    before = schema_fingerprint(origin.district.schema_name)
    with tarfile.open(origin.backup) as tar:
        dump = bytearray(tar.extractfile(DUMP_NAME).read())  # type: ignore[union-attr]
    dump[len(dump) // 2] ^= 0xFF
    damaged = _retar(origin.backup, tmp_path / "damaged.tar", dump=bytes(dump))

    with pytest.raises(CommandError, match="does not match the checksum"):
        call_command("district_restore", str(damaged), "--noinput")

    assert schema_fingerprint(origin.district.schema_name) == before
    assert leftover_schemas() == []


def test_restore_refuses_a_file_that_is_not_a_backup(db: None, tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file at all" * 100)
    with pytest.raises(DistrictBackupError, match="is not a district backup"):
        district_restore(path=junk)


def test_restore_refuses_an_unknown_district(origin: Origin, db: None) -> None:
    with pytest.raises(CommandError, match="No district has the slug “nowhere”"):
        call_command("district_restore", str(origin.backup), "--into", "nowhere", "--noinput")
    assert leftover_schemas() == []


def test_restore_refuses_another_districts_backup_over_an_existing_district(
    origin: Origin, db: None
) -> None:
    la_perla = District.objects.get(slug="la-perla")
    before = schema_fingerprint(la_perla.schema_name)

    with pytest.raises(DistrictBackupError, match="would replace that district's records"):
        district_restore(path=origin.backup, into_slug="la-perla")

    assert schema_fingerprint(la_perla.schema_name) == before


def test_restore_refuses_a_backup_from_a_newer_release(
    origin: Origin, db: None, tmp_path: Path
) -> None:
    manifest = _manifest_dict(origin.backup)
    manifest["migrations"].append("people.9999_from_a_later_release")
    manifest["platform_release"] = "9.9.9"
    newer = _retar(origin.backup, tmp_path / "newer.tar", manifest=manifest)
    before = schema_fingerprint(origin.district.schema_name)

    with pytest.raises(DistrictBackupError) as raised:
        district_restore(path=newer)

    message = str(raised.value)
    assert "newer release" in message
    assert "people.9999_from_a_later_release" in message
    assert "9.9.9" in message
    assert schema_fingerprint(origin.district.schema_name) == before
    assert leftover_schemas() == []


def test_restore_of_an_older_backup_migrates_before_the_swap(
    origin: Origin, db: None, tmp_path: Path
) -> None:
    schema = origin.district.schema_name
    app, name = NO_SQL_MIGRATION
    with connection.cursor() as cursor:  # the district as an older release left it
        cursor.execute(
            f"DELETE FROM {_q(schema)}.django_migrations WHERE app = %s AND name = %s",  # noqa: S608
            [app, name],
        )
    older = district_backup(district=origin.district, output_dir=tmp_path).path
    assert f"{app}.{name}" not in backup_manifest_read(older).migrations

    result = district_restore(path=older)

    assert result.migrated == [f"{app}.{name}"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {_q(schema)}.django_migrations WHERE app = %s AND name = %s",  # noqa: S608
            [app, name],
        )
        assert cursor.fetchone() is not None
    assert leftover_schemas() == []


def test_backups_and_restores_are_in_the_platform_log_without_personal_data(
    origin: Origin, db: None
) -> None:
    entries = PlatformAdminAction.objects.filter(district=origin.district)
    backup = entries.filter(action=PlatformAdminAction.Action.BACKUP).earliest("id")
    assert backup.actor is None
    assert backup.detail["file"] == origin.backup.name
    assert backup.detail["rows"] == sum(count for count, _ in origin.fingerprint.values())
    assert set(backup.detail) == {
        "file",
        "schema",
        "sha256",
        "bytes",
        "tables",
        "rows",
        "migrations",
        "seconds",
    }
    for entry in entries:
        _assert_nothing_personal(origin, json.dumps(entry.detail))


def _login(district: District, role: DistrictRole) -> Any:
    return client_for(district).post(
        "/accounts/login/",
        {"username": role_email(district.slug, role), "password": TEST_PASSWORD},
    )


def _assert_nothing_personal(origin: Origin, text: str) -> None:
    assert origin.personal
    leaked = [value for value in origin.personal if value and value in text]
    assert leaked == []


def test_backup_and_restore_act_as_the_owner_role_when_one_is_set(
    origin: Origin, db: None, settings: Any, tmp_path: Path
) -> None:
    """With ``DATABASE_OWNER_ROLE``, pg_dump gets ``--role`` and psql ``SET ROLE`` (psql has
    no ``--role``). Here the owner is the login role itself, so only the plumbing is tested."""
    settings.DATABASE_OWNER_ROLE = connection.settings_dict["USER"] or "postgres"
    connection.close()  # the next connection switches roles with the new setting

    before = schema_fingerprint(origin.district.schema_name)
    backup = district_backup(district=origin.district, output_dir=tmp_path).path
    district_restore(path=backup)

    assert schema_fingerprint(origin.district.schema_name) == before
    assert leftover_schemas() == []
