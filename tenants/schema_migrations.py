"""Bringing every schema up to date at a release: public, the template, the pool, the districts.

``manage.py migrate_all`` is the release step (``migrate_schemas`` stays for one schema at a
time). django-tenants' ``migrate_schemas`` runs Django's whole ``migrate`` in every district,
about a quarter of a second each even with nothing to apply (loading the migration graph,
rendering the models' state, looking for model changes, the post-migrate signals). Here:

1. which schemas are behind is read in **one statement** over all of them: each schema's
   ``django_migrations`` rows, set against the migrations on disk, in a ``UNION ALL`` with
   one branch per schema (a constant number of statements whatever the number of
   districts: a listing, that one, and the template and pool checks). The public schema is
   behind when any migration is missing; a district (or the template, or a pooled schema)
   only when a migration of a tenant app is: Django records every installed migration in
   every schema, but the router turns a shared-only app's migration into a no-op there, so
   a release that only changes the public schema migrates no district (the next real
   migration of a district records those rows too, in dependency order);
2. the public schema is migrated first, alone (districts may rely on it); then the template
   schema and its snapshot (``schema_template``), so onboarding stays on the fast path; then
   the pool: pooled schemas behind or of an older template are dropped and the pool filled
   again from the new snapshot;
3. only the districts behind are migrated, by django-tenants' own per-schema
   ``run_migrations``, in parallel worker processes (forked, each with its own connection).
   A district that fails does not stop the others; failures are collected and reported;
4. the seed (``district_seed``) follows: ``migrate_schemas`` reloads it in every district it
   migrates; here it is reloaded where a migration ran or where the fingerprint in the
   schema's comment differs from the code's (a change of the seed without a migration).

A PostgreSQL advisory lock, held on a connection of its own, makes a second run wait or
give up (``MigrateAllBusyError``): two runs migrating the same schemas collide.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.migration_executors.base import run_migrations
from django_tenants.utils import get_public_schema_name, get_tenant_base_migrate_command_class

from tenants.db import use_public_schema
from tenants.db_roles import as_owner, district_roles_sync
from tenants.district_seed import district_seed_marker, district_seed_refresh
from tenants.locks import AdvisoryLockBusyError, advisory_lock
from tenants.models import District, PooledSchema
from tenants.schema_pool import schema_pool_drop, schema_pool_fill
from tenants.schema_template import (
    template_fingerprint,
    template_schema_name,
    template_snapshot_current,
    template_snapshot_ensure,
)

# Serialises whole runs across processes and machines (the template has its own lock).
MIGRATE_ALL_LOCK_ID = 7_070_200
# Branches per statement when reading the schemas' migrations: each reads one table, and
# takes one lock until the statement ends (max_locks_per_transaction is per connection slot).
SCHEMAS_PER_STATEMENT = 1000
MAX_DEFAULT_JOBS = 4


class SchemaKind(StrEnum):
    PUBLIC = "public"
    TEMPLATE = "template"
    POOL = "pool"
    DISTRICT = "district"


class Action(StrEnum):
    MIGRATE = "migrate"
    SEED = "seed"


class MigrateAllError(RuntimeError):
    pass


class MigrateAllBusyError(MigrateAllError):
    """Another run holds the lock."""


@dataclass(frozen=True)
class SchemaState:
    schema_name: str
    kind: SchemaKind
    exists: bool
    pending: tuple[str, ...]  # "app.migration" names not recorded in the schema
    seed_current: bool

    @property
    def behind(self) -> bool:
        return not self.exists or bool(self.pending)


@dataclass(frozen=True)
class SchemaOutcome:
    schema_name: str
    action: Action
    seconds: float
    error: str = ""
    detail: str = ""  # the traceback, for verbose output

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass
class MigrateAllReport:
    states: list[SchemaState] = field(default_factory=list)
    check_seconds: float = 0.0
    public_migrated: bool = False
    template_refreshed: bool = False
    snapshot_fingerprint: str = ""
    pool_dropped: list[str] = field(default_factory=list)
    pool_made: int = 0
    outcomes: list[SchemaOutcome] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # schema (or "pool") -> message
    jobs: int = 1
    roles_synced: int = 0  # districts whose database role lacked a grant and got it
    seconds: float = 0.0

    def _names(self, action: Action) -> list[str]:
        return [o.schema_name for o in self.outcomes if o.action == action and o.ok]

    @property
    def migrated(self) -> list[str]:
        return self._names(Action.MIGRATE)

    @property
    def seeded(self) -> list[str]:
        return self._names(Action.SEED)

    def of_kind(self, kind: SchemaKind) -> list[SchemaState]:
        return [state for state in self.states if state.kind == kind]


Progress = Callable[[SchemaOutcome, int, int], None]


def default_jobs() -> int:
    return max(1, min(MAX_DEFAULT_JOBS, os.cpu_count() or 1))


@dataclass(frozen=True)
class ExpectedMigrations:
    """Migrations on disk, as ``app.name`` (squashed ones as their replacement)."""

    public: list[str]  # all of them
    tenant: list[str]  # those of the tenant apps: what a district schema needs


def expected_migrations() -> ExpectedMigrations:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    tenant_labels = {app_config.label for app_config in _tenant_app_configs()}
    nodes = sorted(loader.graph.nodes)
    return ExpectedMigrations(
        public=[f"{app}.{name}" for app, name in nodes],
        tenant=[f"{app}.{name}" for app, name in nodes if app in tenant_labels],
    )


def _tenant_app_configs() -> list[Any]:
    from django.apps import apps

    return [
        app_config
        for app_config in apps.get_app_configs()
        if app_config.name in settings.TENANT_APPS
    ]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pending_migrations(
    schema_names: list[str], expected: ExpectedMigrations
) -> dict[str, tuple[str, ...]]:
    """The expected migrations each schema has not recorded, read in one statement per
    ``SCHEMAS_PER_STATEMENT`` schemas. Each schema must have a ``django_migrations`` table."""
    public = get_public_schema_name()
    pending: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(schema_names), SCHEMAS_PER_STATEMENT):
        chunk = schema_names[start : start + SCHEMAS_PER_STATEMENT]
        branches = [
            _pending_branch(name, "public_expected" if name == public else "tenant_expected")
            for name in chunk
        ]
        sql = (
            "WITH public_expected(migration) AS (SELECT unnest(%s::text[])), "
            "tenant_expected(migration) AS (SELECT unnest(%s::text[])) "
        ) + " UNION ALL ".join(branches)
        with connection.cursor() as cursor:
            cursor.execute(sql, [expected.public, expected.tenant, *chunk])
            pending.update((name, tuple(missing)) for name, missing in cursor.fetchall())
    return pending


def _pending_branch(schema_name: str, expected: str) -> str:
    # A schema name is an identifier (quoted here), not a value: it cannot be a parameter.
    table = f"{_quote(schema_name)}.django_migrations"
    recorded = f"SELECT app || '.' || name FROM {table}"  # noqa: S608
    return f"SELECT %s, ARRAY(SELECT migration FROM {expected} EXCEPT {recorded} ORDER BY 1)"  # noqa: S608


def _public_ready() -> bool:
    """Whether the public schema has the tables the listing reads (a new database has not)."""
    tables = [
        "django_migrations",
        District._meta.db_table,
        PooledSchema._meta.db_table,
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bool_and(to_regclass(%s || '.' || quote_ident(t)) IS NOT NULL) "
            "FROM unnest(%s::text[]) AS t",
            [_quote(get_public_schema_name()), tables],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _schema_rows() -> list[tuple[str, str, bool, bool, str | None]]:
    """(kind, schema, exists, has django_migrations, comment) of every schema to keep
    current, public first, in one statement."""
    public = get_public_schema_name()
    sql = f"""
        SELECT s.kind, s.schema_name, n.oid IS NOT NULL, c.oid IS NOT NULL,
               obj_description(n.oid, 'pg_namespace')
        FROM (
            SELECT 0 AS position, %s AS kind, %s AS schema_name
            UNION ALL SELECT 1, %s, %s
            UNION ALL SELECT 2, %s, schema_name FROM {_quote(PooledSchema._meta.db_table)}
            UNION ALL SELECT 3, %s, schema_name FROM {_quote(District._meta.db_table)}
                WHERE schema_name <> %s
        ) AS s
        LEFT JOIN pg_namespace AS n ON n.nspname = s.schema_name
        LEFT JOIN pg_class AS c
            ON c.relnamespace = n.oid AND c.relname = 'django_migrations' AND c.relkind = 'r'
        ORDER BY s.position, s.schema_name
    """  # noqa: S608 - table names from the models, quoted
    params = [
        SchemaKind.PUBLIC.value,
        public,
        SchemaKind.TEMPLATE.value,
        template_schema_name(),
        SchemaKind.POOL.value,
        SchemaKind.DISTRICT.value,
        public,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def schema_states(expected: ExpectedMigrations | None = None) -> list[SchemaState]:
    """The state of every schema (public, template, pool, districts): two statements."""
    expected = expected_migrations() if expected is None else expected
    public = get_public_schema_name()
    use_public_schema()
    with as_owner():  # reads every schema's django_migrations in one statement
        rows = _schema_rows()
        pending = pending_migrations([row[1] for row in rows if row[3]], expected)
    marker = district_seed_marker()
    return [
        SchemaState(
            schema_name=name,
            kind=SchemaKind(kind),
            exists=exists,
            # A schema without the table has recorded nothing: everything is to apply.
            pending=pending.get(name, ())
            if has_table
            else tuple(expected.public if name == public else expected.tenant),
            seed_current=comment == marker,
        )
        for kind, name, exists, has_table, comment in rows
    ]


def migrate_options(verbosity: int = 0) -> dict[str, Any]:
    """Options of Django's ``migrate`` for one schema, as its parser would give them."""
    command = get_tenant_base_migrate_command_class()()
    options = vars(command.create_parser("manage.py", "migrate").parse_args([]))
    # Checks run once for the whole run (the command's own), not once per schema.
    options.update(verbosity=verbosity, interactive=False, skip_checks=True)
    return options


def _describe(error: BaseException) -> str:
    first_line = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first_line}" if first_line else type(error).__name__


def schema_task(schema_name: str, action: Action, options: dict[str, Any]) -> SchemaOutcome:
    """Migrate one schema (the seed follows, see ``district_seed_after_migration``) or only
    reload its seed. Never raises: a failure is returned. Runs in a worker process, or in
    the caller's with one job."""
    started = time.perf_counter()
    try:
        # Content type ids differ between schemas; never reuse the previous schema's.
        ContentType.objects.clear_cache()
        if action == Action.MIGRATE:
            # As the owner from the start: django-tenants may create the schema's
            # migrations table before Django's migrate (itself run as the owner) starts.
            with _migration_table_looked_up_directly(), as_owner():
                run_migrations(
                    args=[],
                    options=options,
                    executor_codename="migrate_all",
                    schema_name=schema_name,
                    allow_atomic=False,
                )
        else:
            district_seed_refresh(schema_name)
            use_public_schema()
    except Exception as error:
        connection.close()  # possibly in a failed transaction; the next task reconnects
        use_public_schema()
        return SchemaOutcome(
            schema_name,
            action,
            time.perf_counter() - started,
            error=_describe(error),
            detail=traceback.format_exc(),
        )
    return SchemaOutcome(schema_name, action, time.perf_counter() - started)


@contextmanager
def _migration_table_looked_up_directly() -> Iterator[None]:
    """Make Django's ``MigrationRecorder.has_table`` one catalogue lookup.

    Django asks whether ``django_migrations`` exists by listing every table visible to the
    connection, a scan of the whole ``pg_class`` (every relation of every district), and
    asks three to six times per schema migrated: about 30 ms each with 200 districts, and
    growing with their number (quadratic over a whole run). The lookup here is by schema
    and table name, the schema being the connection's own (django-tenants' introspection
    looks in that schema alone too). Only for the duration of one schema's migration.
    """
    original = MigrationRecorder.has_table

    def has_table(self: MigrationRecorder) -> bool:
        recorder = cast(Any, self)  # _has_table: Django's own cache of the answer
        if not recorder._has_table:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT EXISTS (SELECT 1 FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = %s AND c.relname = %s AND c.relkind IN ('r', 'p'))",
                    [
                        recorder.connection.schema_name,
                        self.Migration._meta.db_table,
                    ],
                )
                row = cursor.fetchone()
            recorder._has_table = bool(row and row[0])
        return recorder._has_table

    MigrationRecorder.has_table = has_table  # type: ignore[method-assign]
    try:
        yield
    finally:
        MigrationRecorder.has_table = original  # type: ignore[method-assign]


def run_schema_tasks(
    tasks: list[tuple[str, Action]],
    *,
    options: dict[str, Any],
    jobs: int,
    progress: Progress | None = None,
) -> list[SchemaOutcome]:
    """Run the tasks, ``jobs`` at a time in forked worker processes (or here with one job);
    every task runs whatever happens to the others."""
    outcomes: list[SchemaOutcome] = []

    def done(outcome: SchemaOutcome) -> None:
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome, len(outcomes), len(tasks))

    if jobs <= 1 or len(tasks) <= 1:
        for name, action in tasks:
            done(schema_task(name, action, options))
        return outcomes
    # Forked workers inherit the loaded code and settings; they must not inherit an open
    # connection (two processes on one socket), so close ours first.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        futures = {
            pool.submit(schema_task, name, action, options): (name, action)
            for name, action in tasks
        }
        for future in as_completed(futures):
            name, action = futures[future]
            try:
                done(future.result())
            except Exception as error:  # a worker died (killed, out of memory)
                done(SchemaOutcome(name, action, 0.0, error=f"worker failed: {_describe(error)}"))
    return outcomes


def migrate_all(
    *,
    jobs: int | None = None,
    verbosity: int = 0,
    lock_timeout: float | None = 0,
    progress: Progress | None = None,
) -> MigrateAllReport:
    """Bring every schema up to date (see the module's docstring) under the advisory lock.

    ``lock_timeout``: 0 gives up at once if another run holds the lock, ``None`` waits as
    long as needed, a number of seconds bounds the wait (``MigrateAllBusyError`` when refused).
    ``verbosity`` is passed to Django's ``migrate`` in each schema. Raises
    ``MigrateAllError`` when the public schema cannot be migrated (nothing else is tried);
    any other failure is in the report's ``failures``.
    """
    if connection.in_atomic_block:
        raise MigrateAllError("migrate_all cannot run inside a transaction.")
    try:
        with advisory_lock(MIGRATE_ALL_LOCK_ID, timeout=lock_timeout):
            return _migrate_all(jobs=jobs or default_jobs(), verbosity=verbosity, progress=progress)
    except AdvisoryLockBusyError as busy:
        raise MigrateAllBusyError(
            "Another migrate_all is running (PostgreSQL advisory lock "
            f"{MIGRATE_ALL_LOCK_ID} is held); it brings every schema up to date. Wait for it "
            "to finish, or run with --wait."
        ) from busy


def _migrate_all(*, jobs: int, verbosity: int, progress: Progress | None) -> MigrateAllReport:
    started = time.perf_counter()
    report = MigrateAllReport(jobs=jobs)
    options = migrate_options(verbosity)
    expected = expected_migrations()

    use_public_schema()
    if not _public_ready():  # a new database: the listing needs the public tables
        _public_migrate(options)
        report.public_migrated = True
    checking = time.perf_counter()
    report.states = schema_states(expected)
    report.check_seconds = time.perf_counter() - checking
    public_state = report.of_kind(SchemaKind.PUBLIC)[0]
    if public_state.behind and not report.public_migrated:
        _public_migrate(options)
        report.public_migrated = True

    _template_refresh(report, verbosity)
    if template_schema_name() not in report.failures:
        _pool_refresh(report)

    tasks: list[tuple[str, Action]] = []
    for state in report.of_kind(SchemaKind.DISTRICT):
        if not state.exists:
            report.failures[state.schema_name] = "the district's schema does not exist"
        elif state.pending:
            tasks.append((state.schema_name, Action.MIGRATE))
        elif not state.seed_current:
            tasks.append((state.schema_name, Action.SEED))
    report.outcomes = sorted(
        run_schema_tasks(tasks, options=options, jobs=jobs, progress=progress),
        key=lambda outcome: outcome.schema_name,
    )
    report.failures.update({o.schema_name: o.error for o in report.outcomes if not o.ok})
    use_public_schema()
    _roles_sync(report)
    report.seconds = time.perf_counter() - started
    return report


def _roles_sync(report: MigrateAllReport) -> None:
    """Give every district's role its rights again: on the tables just made (district and
    public), and to districts made before the roles existed (tenants/db_roles.py)."""
    try:
        report.roles_synced = len(district_roles_sync(only_missing=True).roles)
    except Exception as error:
        connection.close()
        report.failures["roles"] = _describe(error)
    finally:
        use_public_schema()


def _public_migrate(options: dict[str, Any]) -> None:
    outcome = schema_task(get_public_schema_name(), Action.MIGRATE, options)
    if not outcome.ok:
        raise MigrateAllError(
            f"The public schema could not be migrated ({outcome.error}); no district was "
            "migrated.\n" + outcome.detail
        )


def _template_refresh(report: MigrateAllReport, verbosity: int) -> None:
    """Migrate the template schema if it is behind, and dump it again if it was or if the
    snapshot is of older migrations or seed (``template_snapshot_ensure``)."""
    state = report.of_kind(SchemaKind.TEMPLATE)[0]
    try:
        snapshot = template_snapshot_current()
        if snapshot is None or state.behind:
            snapshot = template_snapshot_ensure(verbosity=verbosity, force=state.behind)
            report.template_refreshed = True
        report.snapshot_fingerprint = snapshot.fingerprint
    except Exception as error:
        connection.close()
        report.failures[state.schema_name] = _describe(error)
    finally:
        use_public_schema()


def _pool_refresh(report: MigrateAllReport) -> None:
    """Drop the pooled schemas behind or made from an older template; fill the pool again."""
    try:
        stale = {state.schema_name for state in report.of_kind(SchemaKind.POOL) if state.behind}
        stale.update(
            PooledSchema.objects.exclude(fingerprint=template_fingerprint()).values_list(
                "schema_name", flat=True
            )
        )
        report.pool_dropped = schema_pool_drop(sorted(stale)) if stale else []
        report.pool_made = schema_pool_fill() if settings.DISTRICT_SCHEMA_POOL_SIZE > 0 else 0
    except Exception as error:
        connection.close()
        report.failures["pool"] = _describe(error)
    finally:
        use_public_schema()
