"""Backup benchmark: ``district_backup`` of one district with many districts present.

A one-schema ``pg_dump`` still reads the whole system catalogue first, so its time grows
with the number of districts in the database, not with the size of the district dumped.
This makes ``--districts`` districts (200 by default) from the template snapshot, as
onboarding does, each with its database role and grants (so the catalogue looks as in
production), fills one with made-up records of every district app (``--people`` people
and the demo casework, complaints, inclusion, volunteers and 5W records), then times,
alternating the variants, ``--samples`` times each:

- ``service``: ``tenants.services.backup.district_backup`` in this process (snapshot,
  row counts, migrations, ``pg_dump --format=custom``, checksum, tar);
- ``command``: ``manage.py district_backup SLUG``, a process from start to exit;
- ``pg_dump``: plain ``pg_dump --format=custom --schema d_<slug>`` of the same schema;
- ``pg_dump_tuned``: the same with ``PGOPTIONS=-c enable_nestloop=off``, as
  ``district_backup`` runs it (see ``PG_DUMP_SESSION_OPTIONS`` in the service);
- ``restore``: ``district_restore`` of that backup into the same district (the swap).

Runs in a scratch database of its own on the embedded server, dropped and made anew:
``$EMBEDDED_DATABASE_NAME`` if set (it must contain "bench"), else ``callao_bench_backup``;
``--reuse`` keeps the one a previous run made (and its districts) and only measures.
Results are printed and written to ``bench/results/backup.json``.

Usage: .venv/bin/python bench/backup/run.py [--districts 200] [--people 200] [--samples 3]
       [--reuse]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common
from common import ROOT, django_setup_scratch

DEFAULT_DATABASE = "callao_bench_backup"
TARGET_SLUG = "bench-0000"


def _reuse() -> int:
    """Django on the scratch database a previous run left; return its number of districts."""
    sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
    os.environ.pop("DATABASE_URL", None)
    os.environ["EMBEDDED_DATABASE_NAME"] = _database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    os.environ.update(LOG_LEVEL="WARNING", DISTRICT_SCHEMA_POOL_SIZE="0", DEBUG="false")
    import django

    django.setup()
    from tenants.models import District

    return District.objects.count()


def _database() -> str:
    """The scratch database; it is dropped, so a name without "bench" is refused (an
    EMBEDDED_DATABASE_NAME left pointing at a development database must not lose it)."""
    name = os.environ.get("EMBEDDED_DATABASE_NAME") or DEFAULT_DATABASE
    if "bench" not in name:
        sys.exit(
            f"EMBEDDED_DATABASE_NAME={name}: this benchmark drops its database; use a name with 'bench'."
        )
    return name


def _setup(districts: int, people: int) -> None:
    common.SCRATCH_DATABASE = _database()
    django_setup_scratch()
    from django.db import transaction

    from tenants.db_roles import grant_district_role
    from tenants.models import District, Domain
    from tenants.schema_template import (
        district_schema_create_from_snapshot,
        template_snapshot_ensure,
    )
    from tenants.services.onboarding import district_host

    snapshot = template_snapshot_ensure()
    started = time.perf_counter()
    for i in range(districts):
        slug = f"bench-{i:04d}"
        schema_name = f"d_bench_{i:04d}"
        with transaction.atomic():
            district = District.objects.create(
                name=f"Distrito {i}", slug=slug, ubigeo=f"{150000 + i:06d}", schema_name=schema_name
            )
            Domain.objects.create(domain=district_host(slug), tenant=district, is_primary=True)
            district_schema_create_from_snapshot(schema_name, snapshot)
            grant_district_role(district)
        if (i + 1) % 50 == 0:
            print(f"  {i + 1} districts ({time.perf_counter() - started:.0f} s)", flush=True)
    print(f"{districts} districts made in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    _fill(people)
    print(f"records of {TARGET_SLUG} made in {time.perf_counter() - started:.1f} s", flush=True)


def _fill(people: int) -> None:
    """Made-up records of every district app in the district that is backed up."""
    from django_tenants.utils import schema_context

    from apps.accounts.roles import DistrictRole
    from apps.accounts.services import user_create_with_password
    from apps.casework.demo import casework_demo_load
    from apps.people.demo import people_demo_load
    from tenants.demo import DISTRICT_APP_DEMOS
    from tenants.models import District

    district = District.objects.get(slug=TARGET_SLUG)
    with schema_context(district.schema_name):
        users = {
            role: user_create_with_password(
                email=f"{role}@{TARGET_SLUG}.test", password="una-clave-de-bench-larga", role=role
            )
            for role in DistrictRole
        }
        people_demo_load(actor=users[DistrictRole.CASEWORKER], count=people, seed=TARGET_SLUG)
        casework_demo_load(actor=users[DistrictRole.CASEWORKER], seed=TARGET_SLUG)
        for module_name, role in DISTRICT_APP_DEMOS:
            import_module(module_name).demo_load(actor=users[role], seed=TARGET_SLUG)


def _time_service(folder: Path) -> tuple[float, Path]:
    from tenants.models import District
    from tenants.services.backup import district_backup

    district = District.objects.get(slug=TARGET_SLUG)
    started = time.perf_counter()
    result = district_backup(district=district, output_dir=folder)
    return time.perf_counter() - started, result.path


def _time_command(folder: Path) -> float:
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "district_backup",
        TARGET_SLUG,
        "--output",
        str(folder),
    ]
    started = time.perf_counter()
    result = subprocess.run(
        command, env=dict(os.environ), capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"district_backup failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def _time_pg_dump(folder: Path, *, tuned: bool = False) -> float:
    from tenants.models import District
    from tenants.schema_template import pg_connection_args, pg_tool

    schema = District.objects.get(slug=TARGET_SLUG).schema_name
    from tenants.services.backup import PG_DUMP_SESSION_OPTIONS

    connection_args, env = pg_connection_args()
    if tuned:
        env["PGOPTIONS"] = PG_DUMP_SESSION_OPTIONS
    target = folder / f"plain-{time.time_ns()}.dump"
    command = [
        pg_tool("pg_dump"),
        "--format=custom",
        "--schema",
        schema,
        "--file",
        str(target),
        *connection_args,
    ]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True)
    return time.perf_counter() - started


def _time_restore(path: Path) -> float:
    from tenants.services.backup import district_restore

    started = time.perf_counter()
    district_restore(path=path)
    return time.perf_counter() - started


def _catalogue() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM pg_namespace), (SELECT count(*) FROM pg_class), "
            "pg_total_relation_size('pg_catalog.pg_class') + "
            "pg_total_relation_size('pg_catalog.pg_attribute')"
        )
        schemas, relations, size = cursor.fetchone()
    return {"schemas": schemas, "relations": relations, "pg_class_and_attribute_bytes": size}


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values),
        "best": min(values),
        "worst": max(values),
        "n": len(values),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--districts", type=int, default=200)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="measure the previous run's database")
    args = parser.parse_args()

    if args.reuse:
        args.districts = _reuse()
    else:
        _setup(args.districts, args.people)
    from tenants.services.backup import backup_manifest_read

    variants = ["service", "command", "pg_dump", "pg_dump_tuned"]
    times: dict[str, list[float]] = {name: [] for name in [*variants, "restore"]}
    with tempfile.TemporaryDirectory(prefix="bench-backup-") as work:
        folder = Path(work)
        backup: Path | None = None
        for i in range(args.samples):
            plan = list(variants)
            if i % 2:
                plan.reverse()  # no variant always first
            for variant in plan:
                if variant == "service":
                    elapsed, backup = _time_service(folder)
                elif variant == "command":
                    elapsed = _time_command(folder)
                else:
                    elapsed = _time_pg_dump(folder, tuned=variant == "pg_dump_tuned")
                times[variant].append(elapsed)
                print(f"  sample {i + 1}: {variant} {elapsed:.2f} s", flush=True)
        assert backup is not None
        manifest = backup_manifest_read(backup)
        size = backup.stat().st_size
        for i in range(args.samples):
            elapsed = _time_restore(backup)
            times["restore"].append(elapsed)
            print(f"  sample {i + 1}: restore {elapsed:.2f} s", flush=True)

    results = {variant: _summary(values) for variant, values in times.items()}
    catalogue = _catalogue()
    print(
        f"\nOne district's backup with {args.districts} districts present "
        f"({catalogue['schemas']} schemas, {catalogue['relations']} relations); "
        f"{len(manifest.tables)} tables, {manifest.rows} rows, file {size / 1e6:.2f} MB"
    )
    print(f"{'variant':>13} {'n':>3} {'median':>8} {'best':>8} {'worst':>8}  (seconds)")
    for variant, s in results.items():
        print(
            f"{variant:>13} {s['n']:>3.0f} {s['median']:>8.2f} {s['best']:>8.2f} {s['worst']:>8.2f}"
        )
    overhead = results["service"]["median"] - results["pg_dump"]["median"]
    print(f"district_backup over plain pg_dump (medians): {overhead:+.2f} s")

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "backup.json").write_text(
        json.dumps(
            {
                "districts": args.districts,
                "people": args.people,
                "tables": len(manifest.tables),
                "rows": manifest.rows,
                "file_bytes": size,
                "pg_dump_version": manifest.pg_dump_version,
                "server_version": manifest.server_version,
                "catalogue": catalogue,
                "results": results,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
