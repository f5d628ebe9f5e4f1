"""Backing up one district's schema, and restoring it into the same or a new district.

A backup is one tar file, ``<slug>-<UTC timestamp>.tar``, readable only by its owner:

- ``manifest.json`` (first, so it is read without going through the dump): the district,
  its schema, when, the platform's release, the schema's applied migrations, the server
  and ``pg_dump`` versions, the row count of every table and the SHA-256 of the dump;
- ``schema.dump``: ``pg_dump --format=custom --schema <schema>`` (compressed; tables,
  sequences and their values, indexes, constraints, triggers and functions, the schema's
  comment that marks its seed). No owners and no grants: a restored schema belongs to the
  role that restores it and gets the grants of the district it becomes.

The manifest and the dump describe the same instant: a ``REPEATABLE READ`` transaction
exports its snapshot, counts the rows and reads the migrations in it, and ``pg_dump`` runs
with ``--snapshot`` on that snapshot. A restore can therefore check the rows it loaded
against the manifest exactly.

Restoring never edits the dump's text. A custom-format dump names its schema, so
``psql`` replays ``pg_restore``'s output under that name inside one transaction that
first renames a schema of that name aside (when there is one) and at the end renames the
restored schema to a temporary name (``restore_<hex>``) and the aside one back: other
sessions never see the renames, and a failure leaves nothing. Rewriting the schema name in
the SQL text instead (as the template snapshot does) would also rewrite any row whose text
happens to contain it; and renaming a schema is already what onboarding does with pooled
schemas, so district schemas are known to survive it (nothing in them is qualified by
their own name). The temporary schema is then checked (row counts and migrations against
the manifest), migrated if the backup is from an older release, and swapped in with
``ALTER SCHEMA ... RENAME`` in one short transaction: the district's current schema is
renamed ``replaced_<hex>`` and dropped once that transaction has committed. Into a new
district, the same transaction creates the district and its domain instead (no seed: the
data comes from the dump).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import re
import secrets
import shutil
import subprocess
import tarfile
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from tenants.db import use_public_schema
from tenants.db_roles import as_owner, grant_district_role, owner_statement
from tenants.models import District, Domain, PlatformAdminAction, schema_name_for_slug
from tenants.schema_migrations import expected_migrations
from tenants.schema_template import pg_connection_args, pg_tool, schema_exists

# Onboarding's own conflict checks (ubigeo, name, host, leftover schema) for a new district.
from tenants.services.onboarding import SLUG_TAKEN_MESSAGE, _refuse_conflicts, district_host

logger = logging.getLogger(__name__)

BACKUP_FORMAT = "callao-district-backup"
BACKUP_FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DUMP_NAME = "schema.dump"
RESTORE_SCHEMA_PREFIX = "restore_"
REPLACED_SCHEMA_PREFIX = "replaced_"
_ASIDE_SCHEMA_PREFIX = "aside_"  # only ever inside the restore's own transaction
# Every schema name this module writes into SQL text: district, template-made and its own.
_SAFE_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# How long the backup waits for a table lock (a migration running at that moment).
DEFAULT_LOCK_WAIT_SECONDS = 300
# pg_dump's session: no nested loops. When it dumps data, pg_dump looks for materialized
# views' dependencies with a query on pg_depend, pg_class and pg_rewrite that the planner
# misjudges once the catalogue is large (it expects one view dependency, finds about 400 in
# the system views, and scans every table's dependencies for each): 15-20 s of a 25-30 s
# one-district dump with 200 districts present, about 0.1 s as a hash join. Only pg_dump's
# catalogue queries are affected (the data is read with COPY). Sent as PGOPTIONS: a
# connection pooler in between must pass startup options, or point backups at the server.
PG_DUMP_SESSION_OPTIONS = "-c enable_nestloop=off"
# How long dropping the replaced schema waits for requests still using it.
_DROP_LOCK_TIMEOUT = "30s"

UNKNOWN_DISTRICT_MESSAGE = "No district has the slug “{slug}”."
OTHER_DISTRICT_MESSAGE = (
    "This backup is of the district “{backup}”; restoring it over “{target}” would replace "
    "that district's records with another district's. Restore it as a new district "
    "(--new-name, --new-slug, --new-ubigeo) instead."
)
CHECKSUM_MESSAGE = (
    "The dump in {file} does not match the checksum of its manifest: the file is damaged "
    "or was changed. Nothing was restored."
)
NEWER_MESSAGE = (
    "This backup was made by a newer release: its schema has migrations this code does not "
    "know ({migrations}). Restore it with release {release} or newer. Nothing was restored."
)
NOT_A_BACKUP_MESSAGE = "{file} is not a district backup ({reason})."
MISMATCH_MESSAGE = (
    "The restored schema does not match the backup's manifest ({reason}). Nothing was "
    "changed; the district keeps its current records."
)


class DistrictBackupError(Exception):
    """A backup or restore refused, with a message for the operator."""


@dataclass(frozen=True)
class BackupManifest:
    district_slug: str
    district_name: str
    district_ubigeo: str
    schema_name: str
    created_at: str
    platform_release: str
    migrations: list[str]
    tables: dict[str, int]
    dump_sha256: str
    dump_bytes: int
    pg_dump_version: str
    server_version: str
    format: str = BACKUP_FORMAT
    format_version: int = BACKUP_FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes, *, file: str) -> BackupManifest:
        try:
            data = json.loads(raw)
            if data.get("format") != BACKUP_FORMAT:
                raise ValueError("unknown format")
            if data.get("format_version") != BACKUP_FORMAT_VERSION:
                raise ValueError(f"format version {data.get('format_version')}")
            manifest = cls(**data)
        except (ValueError, TypeError) as error:
            raise DistrictBackupError(
                NOT_A_BACKUP_MESSAGE.format(file=file, reason=f"manifest: {error}")
            ) from error
        if not _SAFE_SCHEMA_NAME.match(manifest.schema_name):
            raise DistrictBackupError(
                NOT_A_BACKUP_MESSAGE.format(file=file, reason="bad schema name")
            )
        return manifest

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


@dataclass
class BackupResult:
    path: Path
    manifest: BackupManifest
    seconds: float


@dataclass
class RestoreResult:
    district: District
    created: bool
    migrated: list[str] = field(default_factory=list)
    leftover_schema: str | None = None  # the replaced schema, when it could not be dropped
    seconds: float = 0.0


# ---------------------------------------------------------------------------- backup
def district_backup(
    *,
    district: District,
    output_dir: Path,
    actor: User | None = None,
    lock_wait_seconds: int = DEFAULT_LOCK_WAIT_SECONDS,
) -> BackupResult:
    """Write ``<slug>-<timestamp>.tar`` (manifest and dump) into ``output_dir``; return it.

    The file appears complete or not at all (written aside, then renamed), with mode 0600:
    it holds every personal record of the district. Runs as the owner role.
    """
    with as_owner():
        return _district_backup(
            district=district,
            output_dir=output_dir,
            actor=actor,
            lock_wait_seconds=lock_wait_seconds,
        )


def _district_backup(
    *, district: District, output_dir: Path, actor: User | None, lock_wait_seconds: int
) -> BackupResult:
    started = time.perf_counter()
    schema = district.schema_name
    _check_name(schema)
    if not schema_exists(schema):
        raise DistrictBackupError(f"The schema {schema} of {district.slug} does not exist.")
    output_dir.mkdir(parents=True, exist_ok=True)
    created_at = timezone.now()
    target = _backup_path(output_dir, district.slug, created_at)
    # The dump is written next to the result (same file system, no /tmp size limit).
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as work:
        dump_path = Path(work) / DUMP_NAME
        state = _dump_consistent(schema, dump_path, lock_wait_seconds)
        manifest = BackupManifest(
            district_slug=district.slug,
            district_name=district.name,
            district_ubigeo=district.ubigeo,
            schema_name=schema,
            created_at=created_at.isoformat(),
            platform_release=str(getattr(settings, "RELEASE", "")),
            migrations=state.migrations,
            tables=state.tables,
            dump_sha256=_sha256(dump_path),
            dump_bytes=dump_path.stat().st_size,
            pg_dump_version=_tool_version("pg_dump"),
            server_version=state.server_version,
        )
        partial = Path(work) / (target.name + ".partial")
        _tar_write(partial, manifest, dump_path)
        partial.replace(target)
    seconds = time.perf_counter() - started
    PlatformAdminAction.objects.create(
        actor=actor,
        action=PlatformAdminAction.Action.BACKUP,
        district=district,
        detail=_audit_detail(target, manifest, seconds=seconds),
    )
    logger.info(
        "district backup: schema=%s file=%s bytes=%d tables=%d seconds=%.2f",
        schema,
        target.name,
        target.stat().st_size,
        len(manifest.tables),
        seconds,
    )
    return BackupResult(path=target, manifest=manifest, seconds=seconds)


def _backup_path(output_dir: Path, slug: str, created_at: datetime) -> Path:
    stem = f"{slug}-{created_at:%Y%m%dT%H%M%SZ}"
    target, n = output_dir / f"{stem}.tar", 1
    while target.exists():  # two backups within a second: never overwrite one
        n += 1
        target = output_dir / f"{stem}-{n}.tar"
    return target


@dataclass
class _SchemaState:
    migrations: list[str]
    tables: dict[str, int]
    server_version: str


def _dump_consistent(schema: str, dump_path: Path, lock_wait_seconds: int) -> _SchemaState:
    """Count, read the migrations and dump, all from one exported snapshot."""
    raw: Any = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True  # the transaction below is begun explicitly, whatever the driver
        cursor = raw.cursor()
        cursor.execute(owner_statement())
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot_id, server_version = cursor.fetchone()
        tables = _row_counts(cursor, schema)
        migrations = _applied_migrations(cursor, schema)
        connection_args, env = pg_connection_args()
        args = [
            pg_tool("pg_dump"),
            "--format=custom",
            "--schema",
            schema,
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot_id}",
            f"--lock-wait-timeout={lock_wait_seconds}s",
            "--file",
            str(dump_path),
            *connection_args,
        ]
        env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} {PG_DUMP_SESSION_OPTIONS}".strip()
        result = subprocess.run(args, capture_output=True, text=True, env=env, check=False)  # noqa: S603
        if result.returncode != 0:
            raise DistrictBackupError(f"pg_dump failed: {result.stderr.strip()}")
    finally:
        raw.close()  # ends the snapshot's transaction; nothing was written
    return _SchemaState(migrations=migrations, tables=tables, server_version=server_version)


def _table_names(cursor: Any, schema: str) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
        [schema],
    )
    return [row[0] for row in cursor.fetchall()]


def _row_counts(cursor: Any, schema: str) -> dict[str, int]:
    """Rows of every table of ``schema``, in one statement."""
    names = _table_names(cursor, schema)
    if not names:
        return {}
    branches = [
        f"SELECT %s, count(*) FROM {_quote(schema)}.{_quote(name)}"  # noqa: S608 - quoted names
        for name in names
    ]
    cursor.execute(" UNION ALL ".join(branches), names)
    return {name: int(count) for name, count in cursor.fetchall()}


def _applied_migrations(cursor: Any, schema: str) -> list[str]:
    cursor.execute(
        f"SELECT app || '.' || name FROM {_quote(schema)}.django_migrations ORDER BY 1"  # noqa: S608
    )
    return [row[0] for row in cursor.fetchall()]


def _tar_write(path: Path, manifest: BackupManifest, dump_path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
        mtime = int(time.time())
        body = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size, info.mode, info.mtime = len(body), 0o600, mtime
        tar.addfile(info, io.BytesIO(body))
        info = tarfile.TarInfo(DUMP_NAME)
        info.size, info.mode, info.mtime = dump_path.stat().st_size, 0o600, mtime
        with dump_path.open("rb") as dump:
            tar.addfile(info, dump)


# ---------------------------------------------------------------------------- reading
def backup_manifest_read(path: Path) -> BackupManifest:
    """The manifest of a backup file, without reading its dump."""
    with _tar_open(path) as tar:
        return _manifest_from(tar, path)


def _tar_open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r:")
    except (OSError, tarfile.TarError) as error:
        raise DistrictBackupError(
            NOT_A_BACKUP_MESSAGE.format(file=path.name, reason=str(error))
        ) from error


def _manifest_from(tar: tarfile.TarFile, path: Path) -> BackupManifest:
    member = _member(tar, MANIFEST_NAME, path)
    body = tar.extractfile(member)
    assert body is not None  # a regular file, checked by _member
    return BackupManifest.from_json(body.read(), file=path.name)


def _member(tar: tarfile.TarFile, name: str, path: Path) -> tarfile.TarInfo:
    try:
        member = tar.getmember(name)
    except KeyError as error:
        raise DistrictBackupError(
            NOT_A_BACKUP_MESSAGE.format(file=path.name, reason=f"no {name}")
        ) from error
    if not member.isfile():
        raise DistrictBackupError(
            NOT_A_BACKUP_MESSAGE.format(file=path.name, reason=f"{name} is not a file")
        )
    return member


def _dump_extract(tar: tarfile.TarFile, path: Path, manifest: BackupManifest, to: Path) -> None:
    """Copy the dump out of the tar (only that member, by name) and verify its checksum."""
    source = tar.extractfile(_member(tar, DUMP_NAME, path))
    assert source is not None
    digest = hashlib.sha256()
    fd = os.open(to, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != manifest.dump_sha256:
        raise DistrictBackupError(CHECKSUM_MESSAGE.format(file=path.name))


# ---------------------------------------------------------------------------- restore
def district_restore(
    *,
    path: Path,
    into_slug: str | None = None,
    new_name: str | None = None,
    new_slug: str | None = None,
    new_ubigeo: str | None = None,
    actor: User | None = None,
    verbosity: int = 0,
) -> RestoreResult:
    """Restore the backup at ``path`` into its own district (the default; ``into_slug``
    must then name it) or, given ``new_name``/``new_slug``/``new_ubigeo``, into a new
    district with the host ``<new_slug>.<PLATFORM_DOMAIN>``.

    Refuses (``DistrictBackupError``, ``ValidationError`` for the new district's fields)
    before changing anything: a damaged file, a backup from a newer release, an unknown
    district, another district's backup over an existing district. Runs as the owner role.
    """
    use_public_schema()
    with as_owner():
        return _district_restore(
            path=path,
            into_slug=into_slug,
            new_values=(new_name, new_slug, new_ubigeo),
            actor=actor,
            verbosity=verbosity,
        )


def _district_restore(
    *,
    path: Path,
    into_slug: str | None,
    new_values: tuple[str | None, str | None, str | None],
    actor: User | None,
    verbosity: int,
) -> RestoreResult:
    started = time.perf_counter()
    creating = any(value is not None for value in new_values)
    with tempfile.TemporaryDirectory(prefix="district-restore-") as work:
        dump_path = Path(work) / DUMP_NAME
        with _tar_open(path) as tar:
            manifest = _manifest_from(tar, path)
            behind = _migrations_check(manifest)
            target = (
                _new_district(*new_values) if creating else _existing_district(manifest, into_slug)
            )
            _dump_extract(tar, path, manifest, dump_path)
        staging = RESTORE_SCHEMA_PREFIX + secrets.token_hex(6)
        swapped = False
        try:
            _replay(dump_path, manifest.schema_name, staging)
            _staging_check(staging, manifest)
            if behind:
                _staging_migrate(staging, verbosity=verbosity)
            audit = _RestoreAudit(
                actor=actor,
                detail={
                    **_audit_detail(path, manifest, seconds=time.perf_counter() - started),
                    "into": "new" if creating else "same",
                    "from_district": manifest.district_slug,
                    "migrated": len(behind),
                },
            )
            replaced: str | None = None
            if creating:
                district = _swap_into_new(target, staging, audit)
            else:
                district, replaced = target, _swap_into_existing(target, staging, audit)
            swapped = True
        finally:
            if not swapped:
                _drop_schema(staging)
            use_public_schema()
    leftover = _drop_replaced(replaced) if replaced else None
    seconds = time.perf_counter() - started
    logger.info(
        "district restore: schema=%s from=%s into=%s migrated=%d seconds=%.2f",
        district.schema_name,
        manifest.schema_name,
        "new" if creating else "same",
        len(behind),
        seconds,
    )
    return RestoreResult(
        district=district,
        created=creating,
        migrated=behind,
        leftover_schema=leftover,
        seconds=seconds,
    )


def _migrations_check(manifest: BackupManifest) -> list[str]:
    """Refuse a backup with migrations this code does not know; return the tenant
    migrations it lacks (the restored schema is migrated before it is swapped in)."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    for migration in loader.disk_migrations.values():  # squashed ones stay known
        known.update(f"{app}.{name}" for app, name in getattr(migration, "replaces", []))
    unknown = sorted(set(manifest.migrations) - known)
    if unknown:
        shown = ", ".join(unknown[:5]) + (
            f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        )
        raise DistrictBackupError(
            NEWER_MESSAGE.format(migrations=shown, release=manifest.platform_release or "?")
        )
    return sorted(set(expected_migrations().tenant) - set(manifest.migrations))


def _existing_district(manifest: BackupManifest, into_slug: str | None) -> District:
    slug = into_slug or manifest.district_slug
    district = District.objects.filter(slug=slug).first()
    if district is None:
        raise DistrictBackupError(UNKNOWN_DISTRICT_MESSAGE.format(slug=slug))
    if slug != manifest.district_slug:
        raise DistrictBackupError(
            OTHER_DISTRICT_MESSAGE.format(backup=manifest.district_slug, target=slug)
        )
    _check_name(district.schema_name)
    return district


def _new_district(name: str | None, slug: str | None, ubigeo: str | None) -> District:
    """The unsaved new district, validated as onboarding validates one."""
    missing = [
        option
        for option, value in (("--new-name", name), ("--new-slug", slug), ("--new-ubigeo", ubigeo))
        if not value
    ]
    if missing:
        raise DistrictBackupError(
            "A restore into a new district needs " + ", ".join(missing) + " as well."
        )
    assert name is not None
    assert slug is not None
    assert ubigeo is not None
    slug = slug.strip().lower()
    district = District(
        name=name.strip(), slug=slug, ubigeo=ubigeo, schema_name=schema_name_for_slug(slug)
    )
    district.full_clean(exclude=["schema_name"], validate_unique=False)
    holder = District.objects.filter(slug=slug).first()
    if holder is not None:
        raise ValidationError({"slug": [SLUG_TAKEN_MESSAGE % {"slug": slug, "name": holder.name}]})
    _refuse_conflicts(district)
    _check_name(district.schema_name)
    return district


def _replay(dump_path: Path, schema: str, staging: str) -> None:
    """Load the dump as the schema ``staging``, in one transaction (see the module's
    docstring): psql reads pg_restore's SQL between a rename aside and the renames back."""
    _check_name(schema)
    aside = _ASIDE_SCHEMA_PREFIX + secrets.token_hex(6)
    before = owner_statement() + ";" + _rename_if_exists(schema, aside)
    after = f"ALTER SCHEMA {_quote(schema)} RENAME TO {_quote(staging)};" + _rename_if_exists(
        aside, schema
    )
    connection_args, env = _psql_connection_args()
    restore_args = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-"]
    psql_args = [
        pg_tool("psql"),
        "--no-psqlrc",
        "--quiet",
        "--set=ON_ERROR_STOP=1",
        "--single-transaction",
        f"--output={os.devnull}",
        *connection_args,
        "--command",
        before,
        "--file=-",
        "--command",
        after,
    ]
    # pg_restore 17+ sets transaction_timeout, which servers before 17 do not know.
    drop_transaction_timeout = _server_version_num() < 170000
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        restore = subprocess.Popen(  # noqa: S603
            [*restore_args, str(dump_path)], stdout=subprocess.PIPE, stderr=restore_err, env=env
        )
        psql = subprocess.Popen(  # noqa: S603
            psql_args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_err, env=env
        )
        assert restore.stdout is not None
        assert psql.stdin is not None
        pump = threading.Thread(
            target=_pump, args=(restore.stdout, psql.stdin, drop_transaction_timeout), daemon=True
        )
        pump.start()
        psql_code = psql.wait()
        if psql_code != 0 and restore.poll() is None:
            restore.kill()  # psql stopped on an error: nobody reads pg_restore any more
        restore_code = restore.wait()
        pump.join()
        if restore_code != 0 or psql_code != 0:
            restore_err.seek(0)
            psql_err.seek(0)
            detail = (restore_err.read() + psql_err.read()).decode(errors="replace").strip()
            raise DistrictBackupError(f"The dump could not be restored: {detail[-2000:]}")


def _pump(source: IO[bytes], sink: IO[bytes], drop_transaction_timeout: bool) -> None:
    """Copy pg_restore's output to psql. Only its session header is looked at (a newer
    pg_restore sets ``transaction_timeout``, which a server before 17 rejects)."""
    try:
        for line in source:
            if drop_transaction_timeout and line.startswith(b"SET transaction_timeout"):
                continue
            sink.write(line)
            if line.startswith(b"CREATE SCHEMA"):
                break
        shutil.copyfileobj(source, sink, 1 << 20)
    except BrokenPipeError:  # psql stopped on an error; its exit status says which
        pass
    finally:
        with contextlib.suppress(BrokenPipeError):
            sink.close()


def _psql_connection_args() -> tuple[list[str], dict[str, str]]:
    """The tools' connection arguments without ``--role``, which psql does not take: the
    replay's first statement switches to the owner role instead (``owner_statement``)."""
    args, env = pg_connection_args()
    kept: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--role":
            skip = True
        elif not arg.startswith("--role="):
            kept.append(arg)
    return kept, env


def _rename_if_exists(old: str, new: str) -> str:
    return (
        "DO $$BEGIN IF EXISTS (SELECT FROM pg_namespace WHERE nspname = "
        f"'{old}') THEN ALTER SCHEMA {_quote(old)} RENAME TO {_quote(new)}; END IF; END$$;"
    )


def _staging_check(staging: str, manifest: BackupManifest) -> None:
    with connection.cursor() as cursor:
        tables = _row_counts(cursor, staging)
        migrations = _applied_migrations(cursor, staging)
    if set(tables) != set(manifest.tables):
        reason = f"tables {sorted(set(tables) ^ set(manifest.tables))[:5]}"
        raise DistrictBackupError(MISMATCH_MESSAGE.format(reason=reason))
    differing = sorted(name for name, count in tables.items() if count != manifest.tables[name])
    if differing:
        raise DistrictBackupError(MISMATCH_MESSAGE.format(reason=f"row counts of {differing[:5]}"))
    if set(migrations) != set(manifest.migrations):
        raise DistrictBackupError(MISMATCH_MESSAGE.format(reason="applied migrations"))


def _staging_migrate(staging: str, *, verbosity: int) -> None:
    """Bring a backup from an older release up to date before anyone can use it."""
    call_command(
        "migrate_schemas",
        tenant=True,
        schema_name=staging,
        interactive=False,
        verbosity=verbosity,
    )
    use_public_schema()


@dataclass
class _RestoreAudit:
    actor: User | None
    detail: dict[str, Any]

    def record(self, district: District) -> None:
        """In the swap's transaction: the entry exists exactly when the restore does."""
        PlatformAdminAction.objects.create(
            actor=self.actor,
            action=PlatformAdminAction.Action.RESTORE,
            district=district,
            detail=self.detail,
        )


def _swap_into_existing(district: District, staging: str, audit: _RestoreAudit) -> str | None:
    """Put ``staging`` in place of the district's schema in one transaction; return the
    name the old schema now has (dropped by the caller once this has committed), or None
    when the district had lost its schema (a restore after a disaster)."""
    replaced: str | None = REPLACED_SCHEMA_PREFIX + secrets.token_hex(6)
    with transaction.atomic():
        locked = District.objects.select_for_update().get(pk=district.pk)
        with connection.cursor() as cursor:
            if schema_exists(locked.schema_name):
                cursor.execute(
                    f"ALTER SCHEMA {_quote(locked.schema_name)} RENAME TO {_quote(replaced)}"  # type: ignore[arg-type]
                )
            else:
                replaced = None
            cursor.execute(f"ALTER SCHEMA {_quote(staging)} RENAME TO {_quote(locked.schema_name)}")
        _district_role_grant(locked)
        audit.record(locked)
    return replaced


def _swap_into_new(district: District, staging: str, audit: _RestoreAudit) -> District:
    """Create the district and its domain, and name ``staging`` its schema, at once."""
    host = district_host(district.slug)
    try:
        with transaction.atomic():
            district.save()
            Domain.objects.create(domain=host, tenant=district, is_primary=True)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"ALTER SCHEMA {_quote(staging)} RENAME TO {_quote(district.schema_name)}"
                )
            _district_role_grant(district)
            audit.record(district)
    except IntegrityError as error:  # another onboarding took the slug, ubigeo or host
        _refuse_conflicts(district)
        raise DistrictBackupError(
            "Another district took this slug, ubigeo or address meanwhile; nothing was restored."
        ) from error
    return district


def _district_role_grant(district: District) -> None:
    """Give the restored schema the grants of the district it now is, in the swap's
    transaction. The dump carries no grants (``--no-privileges``): a backup of another
    district restored as a new one must not keep that district's role's rights."""
    grant_district_role(district)


def _drop_replaced(schema: str) -> str | None:
    """Drop the district's previous schema; on a timeout keep it and say so."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{_DROP_LOCK_TIMEOUT}'")
            cursor.execute(f"DROP SCHEMA {_quote(schema)} CASCADE")
    except Exception:
        logger.warning("district restore: could not drop the replaced schema %s", schema)
        return schema
    return None


def _drop_schema(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(schema)} CASCADE")


# ---------------------------------------------------------------------------- helpers
def _audit_detail(path: Path, manifest: BackupManifest, *, seconds: float) -> dict[str, Any]:
    """Identifiers and sizes only: no row of the district's data."""
    return {
        "file": path.name,
        "schema": manifest.schema_name,
        "sha256": manifest.dump_sha256,
        "bytes": manifest.dump_bytes,
        "tables": len(manifest.tables),
        "rows": manifest.rows,
        "migrations": len(manifest.migrations),
        "seconds": round(seconds, 2),
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _tool_version(name: str) -> str:
    result = subprocess.run(  # noqa: S603
        [pg_tool(name), "--version"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip()


def _server_version_num() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        return int(cursor.fetchone()[0])


def _check_name(schema: str) -> None:
    if not _SAFE_SCHEMA_NAME.match(schema):
        raise DistrictBackupError(f"Unexpected schema name {schema!r}.")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
