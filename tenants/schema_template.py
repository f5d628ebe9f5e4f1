"""The district template schema and its snapshot: how a new district schema is made fast.

A schema ``tpl_district`` is kept migrated to the current tenant migrations. ``pg_dump``
takes a dump of it (tables, sequences, constraints, and the rows migrations put there:
content types, permissions, applied migrations) once per migration state; the dump is
stored in ``TemplateSnapshot`` in the public schema. The template also holds the district
seed (reference lists and role groups, see ``tenants.district_seed``), so it is copied too.
Making a district schema is then replaying that SQL, with the schema name substituted,
inside the onboarding transaction: about the same cost whatever the number of migrations
or of districts already present. ``tenants.schema_pool`` goes one step further and keeps a
few schemas replayed in advance.

Running migrations on an empty schema is the fallback (``OnboardingPath.MIGRATIONS``).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from functools import cache

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from config.embedded_db import pg_bin_dir
from tenants.db import use_public_schema
from tenants.db_roles import as_owner, owner_role
from tenants.district_seed import (
    district_seed_fingerprint,
    district_seed_mark,
    district_seed_refresh,
)
from tenants.locks import advisory_lock
from tenants.models import TemplateSnapshot

# Serialises template refreshes across processes (web workers, commands).
_TEMPLATE_LOCK_ID = 7_070_100


class TemplateSnapshotError(RuntimeError):
    pass


def template_schema_name() -> str:
    return settings.DISTRICT_TEMPLATE_SCHEMA


@cache
def template_fingerprint() -> str:
    """Hash of every migration of the tenant apps, as found on disk, and of the seed.

    Cached per process: neither changes under a running process.
    """
    tenant_labels = {app.rsplit(".", 1)[-1] for app in settings.TENANT_APPS}
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    nodes = sorted(f"{app}.{name}" for app, name in loader.disk_migrations if app in tenant_labels)
    nodes.append(district_seed_fingerprint())
    return hashlib.sha256("\n".join(nodes).encode()).hexdigest()


def template_snapshot_current() -> TemplateSnapshot | None:
    return TemplateSnapshot.objects.filter(fingerprint=template_fingerprint()).first()


def template_snapshot_ensure(*, verbosity: int = 0, force: bool = False) -> TemplateSnapshot:
    """Return the snapshot for the current migrations, refreshing the template if needed.

    ``force`` migrates the template and dumps it again even when a snapshot with the current
    fingerprint exists (``migrate_all`` does when it finds the template schema behind).
    Must run outside any transaction: migrations commit, and pg_dump reads committed data.
    """
    snapshot = template_snapshot_current()
    if snapshot is not None and not force:
        return snapshot
    if connection.in_atomic_block:
        raise TemplateSnapshotError(
            "The template snapshot cannot be refreshed inside a transaction."
        )
    # On a connection of its own: migrate_schemas closes Django's connection after
    # migrating the template, which would release a lock held there half-way.
    with advisory_lock(_TEMPLATE_LOCK_ID):
        try:
            snapshot = template_snapshot_current()  # another process may have just made it
            if snapshot is None or force:
                template_schema_migrate(verbosity=verbosity)
                sql = _template_schema_dump()
                snapshot, _ = TemplateSnapshot.objects.update_or_create(
                    fingerprint=template_fingerprint(), defaults={"sql": sql}
                )
                TemplateSnapshot.objects.exclude(pk=snapshot.pk).delete()
            return snapshot
        finally:
            use_public_schema()


def template_schema_migrate(*, verbosity: int = 0) -> None:
    """Create the template schema if missing, bring it up to the current migrations and
    load the district seed into it."""
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{template_schema_name()}"')
    call_command(
        "migrate_schemas",
        tenant=True,
        schema_name=template_schema_name(),
        interactive=False,
        verbosity=verbosity,
    )
    district_seed_refresh(template_schema_name())
    use_public_schema()


def pg_tool(name: str) -> str:
    """Path of a PostgreSQL client tool (``pg_dump``, ``pg_restore``, ``psql``).

    The newest ones shipped with the embedded server first (a newer pg_dump reads older
    servers; the reverse fails), else ``PATH``. Tools that work together (pg_restore's
    output read by psql) must come from the same place: both come from here.
    """
    bin_dir = pg_bin_dir()
    if bin_dir is not None and (bin_dir / name).exists():
        return str(bin_dir / name)
    found = shutil.which(name)
    if not found:
        raise TemplateSnapshotError(f"{name} was not found (set PG_BIN_DIR).")
    return found


def pg_connection_args() -> tuple[list[str], dict[str, str]]:
    """Command-line arguments and environment that point a client tool at Django's
    database (the password goes through the environment, never the command line)."""
    db = connection.settings_dict
    args = ["--dbname", db["NAME"], "--username", db.get("USER") or "postgres"]
    if owner_role():  # a login role without rights of its own reads as the owner
        args += ["--role", owner_role()]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:  # DATABASE_URL=...?sslmode=require reaches the tools too
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def _template_schema_dump() -> str:
    connection_args, env = pg_connection_args()
    args = [
        pg_tool("pg_dump"),
        "--schema",
        template_schema_name(),
        "--no-owner",
        "--no-privileges",
        "--no-comments",
        "--inserts",
        "--rows-per-insert=500",
        *connection_args,
    ]
    result = subprocess.run(args, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        raise TemplateSnapshotError(f"pg_dump failed: {result.stderr.strip()}")
    return _replayable_sql(result.stdout)


def _replayable_sql(dump: str) -> str:
    """Keep only the statements that build the schema; drop session settings, psql
    meta-commands and comments (they would change our connection's search_path or fail
    on an older server)."""
    kept = []
    for line in dump.splitlines():
        if not line or line.startswith(("--", "SET ", "\\")):
            continue
        if line.startswith("SELECT pg_catalog.set_config("):
            continue
        kept.append(line)
    return "\n".join(kept) + "\n"


def _identifier_pattern() -> re.Pattern[str]:
    return re.compile(rf'(?<![\w"]){re.escape(template_schema_name())}(?![\w"])')


def district_schema_create_from_snapshot(schema_name: str, snapshot: TemplateSnapshot) -> None:
    """Create ``schema_name`` by replaying the template snapshot (in the caller's transaction).

    A current snapshot holds the current seed (its fingerprint includes the seed's), so the
    new schema is marked as holding it; ``migrate_all`` reloads the seed of unmarked ones.
    """
    sql = _identifier_pattern().sub(schema_name, snapshot.sql)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
        if snapshot.fingerprint == template_fingerprint():
            district_seed_mark(schema_name)


def district_schema_create_by_migrations(schema_name: str, *, verbosity: int = 0) -> None:
    """Fallback: create an empty schema, run every tenant migration on it, load the seed.

    As the owner role: django-tenants creates the migrations table in the new schema
    before the (owner's) ``migrate`` runs."""
    with as_owner():
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema_name}"')
        call_command(
            "migrate_schemas",
            tenant=True,
            schema_name=schema_name,
            interactive=False,
            verbosity=verbosity,
        )
        district_seed_refresh(schema_name)
    use_public_schema()


def schema_exists(schema_name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema_name])
        return cursor.fetchone() is not None
