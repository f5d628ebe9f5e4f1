"""Migrations benchmark: ``migrate_all`` against plain ``migrate_schemas``, side by side.

Runs in a scratch database of its own (``callao_bench_migrations`` on the embedded server,
dropped and made anew each run). It makes ``--districts`` districts from the template
snapshot (as onboarding does) and a pool of 2 ready schemas, then times each variant as a
release runs it, a ``manage.py`` process from start to exit, alternating the variants:

- **nothing to do**: every schema is current;
- **one migration**: a release adds one tenant migration (a new model). It comes from a
  scratch app written to a temporary folder for the run (``benchmig``, never in the
  repository) and installed through a settings module in that folder. After each sample
  the migration is undone in every schema with plain SQL (table, recorded migration,
  content types and permissions), the template snapshot and the pool are put back as they
  were before the release, so every sample starts from the same state.

``migrate_all`` also keeps the template, its snapshot and the pool current (in the
one-migration case it migrates and dumps the template too); ``migrate_schemas`` does only
the districts. Variants: ``migrate_all`` (``--jobs``, default: CPUs, at most 4),
``migrate_schemas`` (django-tenants' standard executor) and, if asked,
``migrate_schemas_mp`` (its multiprocessing executor). It prints medians, worst times and
the ratios of the medians; the results go to ``bench/results/migrations.json``.

Usage: make bench-migrations   (or: .venv/bin/python bench/migrations/run.py
       [--districts 200] [--samples 3] [--migration-samples 3]
       [--variants migrate_all migrate_schemas] [--jobs N] [--check])
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common
from common import ROOT, django_setup_scratch

SCRATCH_DATABASE = "callao_bench_migrations"
POOL_SIZE = 2
TARGET_NOTHING_TO_DO_S = 5.0
VARIANTS = {
    "migrate_all": ["migrate_all"],
    "migrate_schemas": ["migrate_schemas", "--noinput"],
    "migrate_schemas_mp": ["migrate_schemas", "--noinput", "--executor", "multiprocessing"],
}
SCRATCH_APP = "benchmig"
SCRATCH_TABLE = "benchmig_marker"
# Undoes the scratch migration in one schema: its table, its row, its content type.
_UNDO = """
    DROP TABLE IF EXISTS {schema}.benchmig_marker CASCADE;
    DELETE FROM {schema}.django_migrations WHERE app = 'benchmig';
    DELETE FROM {schema}.auth_permission WHERE content_type_id IN (
        SELECT id FROM {schema}.django_content_type WHERE app_label = 'benchmig');
    DELETE FROM {schema}.django_content_type WHERE app_label = 'benchmig'
"""

_SETTINGS = '''"""Benchmark settings: the development settings, plus the scratch app when asked."""

import os

from config.settings.development import *  # noqa: F403
from config.settings.development import INSTALLED_APPS, TENANT_APPS

if os.environ.get("BENCH_EXTRA_MIGRATION") == "1":
    TENANT_APPS = [*TENANT_APPS, "benchmig"]
    INSTALLED_APPS = [*INSTALLED_APPS, "benchmig"]
'''

_MODELS = """from django.db import models


class Marker(models.Model):
    note = models.CharField(max_length=40, default="")
    created_at = models.DateTimeField(auto_now_add=True)
"""

_MIGRATION = """from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Marker",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("note", models.CharField(default="", max_length=40)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
"""


def _scratch_folder() -> Path:
    """The settings module and the scratch app, in a temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="bench-migrations-"))
    (folder / "bench_migrations_settings.py").write_text(_SETTINGS)
    app = folder / SCRATCH_APP
    (app / "migrations").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "apps.py").write_text(
        "from django.apps import AppConfig\n\n\n"
        "class BenchmigConfig(AppConfig):\n"
        f'    name = "{SCRATCH_APP}"\n'
        '    default_auto_field = "django.db.models.BigAutoField"\n'
    )
    (app / "models.py").write_text(_MODELS)
    (app / "migrations" / "__init__.py").write_text("")
    (app / "migrations" / "0001_initial.py").write_text(_MIGRATION)
    return folder


def _env(folder: Path, *, extra_migration: bool) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "BENCH_EXTRA_MIGRATION"}
    }
    env.update(
        EMBEDDED_DATABASE_NAME=SCRATCH_DATABASE,
        DJANGO_SETTINGS_MODULE="bench_migrations_settings",
        PYTHONPATH=os.pathsep.join([str(folder), str(ROOT / "platform"), str(ROOT)]),
        DEBUG="false",
        LOG_LEVEL="WARNING",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DISTRICT_SCHEMA_POOL_SIZE=str(POOL_SIZE),
    )
    if extra_migration:
        env["BENCH_EXTRA_MIGRATION"] = "1"
    return env


def _setup(districts: int) -> None:
    common.SCRATCH_DATABASE = SCRATCH_DATABASE  # a database of its own (see the docstring)
    django_setup_scratch()
    from django.db import transaction

    from tenants.models import District
    from tenants.schema_template import (
        district_schema_create_from_snapshot,
        template_snapshot_ensure,
    )

    snapshot = template_snapshot_ensure()
    started = time.perf_counter()
    for i in range(districts):
        schema_name = f"d_bench_{i:04d}"
        with transaction.atomic():
            District.objects.create(
                name=f"Distrito {i}",
                slug=f"bench-{i:04d}",
                ubigeo=f"{150000 + i:06d}",
                schema_name=schema_name,
            )
            district_schema_create_from_snapshot(schema_name, snapshot)
    _pool_reset()
    print(f"{districts} districts made in {time.perf_counter() - started:.1f} s")


def _pool_reset() -> None:
    from django.db import connection

    from tenants.models import PooledSchema
    from tenants.schema_pool import schema_pool_fill

    with connection.cursor() as cursor:
        for name in PooledSchema.objects.values_list("schema_name", flat=True):
            cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    PooledSchema.objects.all().delete()
    schema_pool_fill(size=POOL_SIZE)


def _undo_extra_migration() -> None:
    """Put every schema back as it was before the release (outside the timing)."""
    from django.db import connection

    from tenants.models import TemplateSnapshot
    from tenants.schema_template import template_snapshot_ensure

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'django_migrations' AND c.relkind = 'r'"
        )
        schemas = [row[0] for row in cursor.fetchall()]
        cursor.execute(";\n".join(_UNDO.format(schema=f'"{name}"') for name in schemas))
    TemplateSnapshot.objects.all().delete()
    template_snapshot_ensure()  # the snapshot of before the release
    _pool_reset()


def _districts_with_scratch_table() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE tablename = %s AND schemaname LIKE 'd\\_%%'",
            [SCRATCH_TABLE],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _run(variant: str, folder: Path, *, extra_migration: bool, jobs: int) -> tuple[float, str]:
    command = [sys.executable, str(ROOT / "manage.py"), *VARIANTS[variant]]
    if variant == "migrate_all":
        command += ["--jobs", str(jobs)]
    env = _env(folder, extra_migration=extra_migration)
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{variant} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stdout


def _measure(
    case: str, *, variants: list[str], samples: int, folder: Path, districts: int, jobs: int
) -> dict[str, list[float]]:
    extra = case == "one migration"
    times: dict[str, list[float]] = {variant: [] for variant in variants}
    for i in range(samples):
        plan = variants if i % 2 == 0 else list(reversed(variants))  # no variant always first
        for variant in plan:
            elapsed, stdout = _run(variant, folder, extra_migration=extra, jobs=jobs)
            times[variant].append(elapsed)
            checked = re.search(r"Checked \d+ schemas in [\d.]+ s", stdout)
            note = f" ({checked.group(0)})" if checked else ""
            print(f"  {case}, sample {i + 1}: {variant} {elapsed:.2f} s{note}", flush=True)
            if extra:
                migrated = _districts_with_scratch_table()
                assert migrated == districts, (variant, migrated)
                _undo_extra_migration()
            elif variant == "migrate_all":
                assert "Districts: 0 migrated, 0 seed reloaded, 0 failed" in stdout, stdout
    return times


def _summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "worst": max(values), "n": len(values)}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--districts", type=int, default=200)
    parser.add_argument("--samples", type=int, default=3, help="samples of the nothing-to-do case")
    parser.add_argument("--migration-samples", type=int, default=3)
    parser.add_argument(
        "--variants", nargs="+", choices=list(VARIANTS), default=["migrate_all", "migrate_schemas"]
    )
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args()

    folder = _scratch_folder()
    results: dict[str, dict[str, dict[str, float]]] = {}
    try:
        _setup(args.districts)
        cases = (("nothing to do", args.samples), ("one migration", args.migration_samples))
        for case, samples in cases:
            if samples > 0:
                times = _measure(
                    case,
                    variants=args.variants,
                    samples=samples,
                    folder=folder,
                    districts=args.districts,
                    jobs=args.jobs,
                )
                results[case] = {variant: _summary(values) for variant, values in times.items()}
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(
        f"\nBringing every schema up to date, {args.districts} districts, {os.cpu_count()} CPUs, "
        f"migrate_all --jobs {args.jobs} (seconds, whole manage.py process)"
    )
    print(f"{'case':>14} {'variant':>19} {'n':>3} {'median':>8} {'worst':>8} {'per district':>13}")
    for case, variants in results.items():
        for variant, s in variants.items():
            per = s["median"] / args.districts
            print(
                f"{case:>14} {variant:>19} {s['n']:>3.0f} {s['median']:>8.2f} {s['worst']:>8.2f} "
                f"{per:>13.4f}"
            )
    print()
    ok = True
    for case, variants in results.items():
        if "migrate_all" not in variants:
            continue
        fast = variants["migrate_all"]["median"]
        for variant, s in variants.items():
            if variant != "migrate_all":
                print(f"{case}: {variant} / migrate_all = {s['median'] / fast:.1f}x (medians)")
    if "nothing to do" in results and "migrate_all" in results["nothing to do"]:
        median = results["nothing to do"]["migrate_all"]["median"]
        ok = median < TARGET_NOTHING_TO_DO_S
        print(
            f"target: nothing to do under {TARGET_NOTHING_TO_DO_S:.0f} s at {args.districts} "
            f"districts: {median:.2f} s, {'met' if ok else 'MISSED'}"
        )

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "migrations.json").write_text(
        json.dumps({"districts": args.districts, "jobs": args.jobs, "results": results}, indent=2)
    )
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
