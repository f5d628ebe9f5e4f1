"""``migrate_all``: only the schemas behind are migrated, failures are reported, the template
and the pool are kept current, and two runs never overlap.

The command migrates in forked worker processes, which cannot see a test's uncommitted
transaction, so these tests work on committed data: the ``committed`` fixture makes scratch
districts (replays of the template snapshot, as onboarding does) and removes them at the
end, and puts the template back if a test left it behind.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.catalogue.models import ServiceType
from tenants import schema_migrations, schema_template
from tenants.db_roles import grant_district_role
from tenants.locks import advisory_lock
from tenants.models import District, PooledSchema, TemplateSnapshot
from tenants.schema_migrations import (
    MIGRATE_ALL_LOCK_ID,
    SchemaKind,
    expected_migrations,
    migrate_all,
    schema_states,
)
from tenants.schema_pool import schema_pool_fill
from tenants.schema_template import (
    district_schema_create_from_snapshot,
    schema_exists,
    template_schema_name,
    template_snapshot_current,
    template_snapshot_ensure,
)

AUDIT_LAST = ("audit", "0002_access_log_merge")  # an AlterField of choices: no SQL to redo
# A leaf migration that adds a column (and a trigger): applying it again fails.
ACTIVITIES_LAST = ("activities", "0002_record_version")


@dataclass
class Scratch:
    schemas: list[str] = field(default_factory=list)

    def district(self, slug: str) -> str:
        """A committed district made as onboarding makes one (from the snapshot)."""
        schema_name = "d_" + slug.replace("-", "_")
        snapshot = template_snapshot_current()
        assert snapshot is not None
        with transaction.atomic():
            District.objects.create(
                name=slug.title(),
                slug=slug,
                ubigeo=f"0799{len(self.schemas) + 1:02d}",
                schema_name=schema_name,
            )
            district_schema_create_from_snapshot(schema_name, snapshot)
            grant_district_role(schema_name)
        self.schemas.append(schema_name)
        return schema_name


@pytest.fixture
def db(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Replaces pytest-django's ``db`` in this module: database access without a
    transaction around the test. (Being named ``db`` is also what makes pytest-django set
    the test database up when only this module runs.)"""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def committed(db: None) -> Iterator[Scratch]:
    scratch = Scratch()
    try:
        yield scratch
    finally:
        connection.close()  # a failed test may leave it in a broken transaction
        with connection.cursor() as cursor:
            for schema_name in scratch.schemas:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
            for pooled in PooledSchema.objects.all():
                cursor.execute(f'DROP SCHEMA IF EXISTS "{pooled.schema_name}" CASCADE')
        PooledSchema.objects.all().delete()
        District.objects.filter(schema_name__in=scratch.schemas).delete()
        template = next(s for s in schema_states() if s.kind == SchemaKind.TEMPLATE)
        snapshot = template_snapshot_current()
        if template.behind or snapshot is None or "CREATE TABLE" not in snapshot.sql:
            template_snapshot_ensure(force=True)
        connection.set_schema_to_public()


def _forget(schema_name: str, migration: tuple[str, str]) -> None:
    """Delete a migration's row: the schema looks as if it had not applied it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{schema_name}".django_migrations WHERE app = %s AND name = %s',  # noqa: S608
            list(migration),
        )


def _recorded(schema_name: str, migration: tuple[str, str]) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT 1 FROM "{schema_name}".django_migrations WHERE app = %s AND name = %s',  # noqa: S608
            list(migration),
        )
        return cursor.fetchone() is not None


def _never_migrate(*args: object, **kwargs: object) -> None:
    raise AssertionError("no schema should be migrated")


def _everything_current() -> bool:
    return all(
        not s.behind and (s.kind != SchemaKind.DISTRICT or s.seed_current) for s in schema_states()
    )


def test_nothing_to_do_migrates_no_schema_and_reads_the_schemas_in_one_statement(
    committed: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema_migrations, "run_migrations", _never_migrate)
    committed.district("mig-uno")
    with CaptureQueriesContext(connection) as few:
        migrate_all(jobs=1)
    for slug in ("mig-dos", "mig-tres", "mig-cuatro"):
        committed.district(slug)

    with CaptureQueriesContext(connection) as more:
        report = migrate_all(jobs=1)

    assert report.outcomes == []
    assert report.failures == {}
    assert not report.public_migrated
    assert not report.template_refreshed
    assert report.pool_dropped == []
    assert report.pool_made == 0
    districts = report.of_kind(SchemaKind.DISTRICT)
    assert {"d_mig_uno", "d_mig_dos", "d_mig_tres"} <= {s.schema_name for s in districts}
    assert all(not s.pending and s.seed_current for s in districts)
    # The same statements whatever the number of districts; one reads all their migrations.
    assert len(more.captured_queries) == len(few.captured_queries)
    reading = [q["sql"] for q in more.captured_queries if '".django_migrations' in q["sql"]]
    assert len(reading) == 1
    assert all(f'"{name}".django_migrations' in reading[0] for name in committed.schemas)


def test_only_the_district_behind_is_migrated(committed: Scratch) -> None:
    behind = committed.district("mig-uno")
    current = committed.district("mig-dos")
    _forget(behind, AUDIT_LAST)

    out = StringIO()
    with pytest.raises(CommandError) as checked:
        call_command("migrate_all", check=True, stdout=out)
    assert checked.value.returncode == 1
    assert f"district {behind}: 1 to apply (audit.0002_access_log_merge)" in out.getvalue()
    assert current not in out.getvalue()

    report = migrate_all(jobs=2)

    assert report.migrated == [behind]
    assert report.seeded == []
    assert report.failures == {}
    assert _recorded(behind, AUDIT_LAST)
    assert _everything_current()
    call_command("migrate_all", check=True, stdout=StringIO())  # exits 0 now


def _shared_only_leaf() -> tuple[str, str]:
    """A migration of an app only in the public schema that no other migration depends on
    (as the newest migration of such an app is, right after a release)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    tenant_apps = {name.split(".")[0] for name in expected_migrations().tenant}
    return next(
        node
        for node in sorted(loader.graph.leaf_nodes())
        if node[0] not in tenant_apps and not loader.graph.node_map[node].children
    )


def _record(schema_name: str, migration: tuple[str, str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{schema_name}".django_migrations (app, name, applied) '  # noqa: S608
            "VALUES (%s, %s, now())",
            list(migration),
        )


def test_a_migration_of_a_shared_only_app_leaves_the_districts_alone(committed: Scratch) -> None:
    district = committed.district("mig-uno")
    shared_only = _shared_only_leaf()
    for schema_name in (district, template_schema_name(), "public"):
        _forget(schema_name, shared_only)
    try:
        states = {s.schema_name: s for s in schema_states()}

        assert states[district].pending == ()
        assert states[template_schema_name()].pending == ()
        assert states["public"].pending == (".".join(shared_only),)  # required there
    finally:
        for schema_name in (template_schema_name(), "public"):
            _record(schema_name, shared_only)
    report = migrate_all(jobs=1)
    assert report.outcomes == []
    assert not report.template_refreshed


def test_a_failing_district_is_reported_and_the_others_are_still_migrated(
    committed: Scratch,
) -> None:
    behind = committed.district("mig-uno")
    failing = committed.district("mig-dos")
    also_behind = committed.district("mig-tres")
    _forget(behind, AUDIT_LAST)
    _forget(also_behind, AUDIT_LAST)
    _forget(failing, ACTIVITIES_LAST)  # its column exists: applying it again fails

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("migrate_all", jobs=2, stdout=out, stderr=err)

    assert failed.value.returncode == 1
    assert "1 failed: d_mig_dos" in str(failed.value)
    assert f"FAILED {failing}" in err.getvalue()
    assert "already exists" in err.getvalue()
    assert "Districts: 2 migrated" in out.getvalue()
    assert _recorded(behind, AUDIT_LAST)
    assert _recorded(also_behind, AUDIT_LAST)
    assert not _recorded(failing, ACTIVITIES_LAST)


def test_a_changed_seed_is_reloaded_without_migrating(committed: Scratch) -> None:
    stale = committed.district("mig-uno")
    committed.district("mig-dos")
    with connection.cursor() as cursor:
        cursor.execute(f"COMMENT ON SCHEMA \"{stale}\" IS 'district seed of an older release'")
    with schema_context(stale):
        ServiceType.objects.all().delete()

    report = migrate_all(jobs=2)

    assert report.migrated == []
    assert report.seeded == [stale]
    with schema_context(stale):
        assert ServiceType.objects.exists()
    state = next(s for s in schema_states() if s.schema_name == stale)
    assert state.seed_current


@pytest.mark.parametrize("how", ["template schema behind", "snapshot of older migrations"])
def test_the_template_and_its_snapshot_are_left_current(committed: Scratch, how: str) -> None:
    if how == "template schema behind":
        _forget(template_schema_name(), AUDIT_LAST)
        TemplateSnapshot.objects.update(sql="-- stale")
    else:
        TemplateSnapshot.objects.update(fingerprint="older")

    report = migrate_all(jobs=1)

    assert report.template_refreshed
    assert report.failures == {}
    assert _recorded(template_schema_name(), AUDIT_LAST)
    snapshot = template_snapshot_current()
    assert snapshot is not None
    assert "0002_access_log_merge" in snapshot.sql
    assert TemplateSnapshot.objects.count() == 1
    # Onboarding replays it: a district made from it is current.
    made = committed.district("mig-uno")
    assert next(s for s in schema_states() if s.schema_name == made).pending == ()


def test_pooled_schemas_behind_are_dropped_and_the_pool_filled_again(
    committed: Scratch, settings: Any
) -> None:
    settings.DISTRICT_SCHEMA_POOL_SIZE = 2
    schema_pool_fill(size=2)
    behind, older = PooledSchema.objects.values_list("schema_name", flat=True)
    _forget(behind, AUDIT_LAST)
    PooledSchema.objects.filter(schema_name=older).update(fingerprint="older")

    report = migrate_all(jobs=1)

    assert sorted(report.pool_dropped) == sorted([behind, older])
    assert report.pool_made == 2
    assert not schema_exists(behind)
    assert not schema_exists(older)
    assert PooledSchema.objects.count() == 2
    assert all(not s.behind for s in schema_states() if s.kind == SchemaKind.POOL)


def test_a_second_run_is_refused_while_one_is_running(
    committed: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    running, finish = threading.Event(), threading.Event()
    first: dict[str, Any] = {}
    template_refresh = schema_migrations._template_refresh

    def slow_template_refresh(*args: Any, **kwargs: Any) -> None:
        running.set()
        finish.wait(30)
        template_refresh(*args, **kwargs)

    def first_run() -> None:
        try:
            first["report"] = migrate_all(jobs=1)
        finally:
            connections.close_all()

    monkeypatch.setattr(schema_migrations, "_template_refresh", slow_template_refresh)
    thread = threading.Thread(target=first_run)
    thread.start()
    try:
        assert running.wait(30)
        err = StringIO()
        with pytest.raises(CommandError) as refused:
            call_command("migrate_all", stderr=err)
        assert refused.value.returncode == 3
        assert "Another migrate_all is running" in str(refused.value)

        started = time.perf_counter()
        with pytest.raises(CommandError) as refused:
            call_command("migrate_all", wait=0.3)
        assert refused.value.returncode == 3
        assert time.perf_counter() - started >= 0.25
    finally:
        finish.set()
        thread.join(60)
    assert first["report"].failures == {}


def test_waiting_runs_once_the_other_run_is_done(committed: Scratch) -> None:
    holding, release = threading.Event(), threading.Event()

    def other_run() -> None:
        with advisory_lock(MIGRATE_ALL_LOCK_ID):
            holding.set()
            release.wait(30)
            time.sleep(0.3)

    thread = threading.Thread(target=other_run)
    thread.start()
    try:
        assert holding.wait(30)
        release.set()
        out = StringIO()
        started = time.perf_counter()
        call_command("migrate_all", wait=-1, stdout=out)  # `--wait` without a number
        assert time.perf_counter() - started >= 0.2
        assert "Done in" in out.getvalue()
    finally:
        release.set()
        thread.join(30)


def test_a_template_refresh_keeps_its_lock_while_the_migrations_close_the_connection(
    committed: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate = schema_template.template_schema_migrate
    held_during_migrations: list[bool] = []

    def migrate_then_look(**kwargs: Any) -> None:
        migrate(**kwargs)  # migrate_schemas closes Django's connection when it is done
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_try_advisory_lock(%s)", [schema_template._TEMPLATE_LOCK_ID]
                )
                held_during_migrations.append(not cursor.fetchone()[0])
        finally:
            other.close()

    monkeypatch.setattr(schema_template, "template_schema_migrate", migrate_then_look)
    template_snapshot_ensure(force=True)

    assert held_during_migrations == [True]
