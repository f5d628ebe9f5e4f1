"""District database roles benchmark: what switching the role with the schema costs.

The connection sends ``SET search_path = ...; SET ROLE <district role>`` where it used to
send only the ``search_path`` (``tenants/postgresql_backend``). This times, side by side
and alternating, in a scratch database of its own (``callao_bench_roles`` on the embedded
server, dropped and made anew each run) with two districts made as onboarding makes them:

- **switch + query**: what a request pays: enter a district (alternating two, so every
  iteration really switches) and run a one-row query on its people table; the variants are
  the backend as shipped (``with_role``) and the same backend sending only the
  ``search_path`` (``path_only``, as before the roles existed);
- **statement alone**: the switching statement itself, run on a raw cursor;
- **grant**: what onboarding adds, ``grant_district_role`` on an existing district.

Prints medians and worst samples (microseconds per iteration) and the ratio of medians;
writes ``bench/results/db_roles.json``.

Usage: .venv/bin/python bench/db_roles/run.py [--iterations 2000] [--samples 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common
from common import ROOT, django_setup_scratch

SCRATCH_DATABASE = "callao_bench_roles"
DISTRICTS = [("Rol Uno", "rol-uno", "150101"), ("Rol Dos", "rol-dos", "150102")]


def _setup() -> list[Any]:
    common.SCRATCH_DATABASE = SCRATCH_DATABASE  # a database of its own
    django_setup_scratch()
    from tenants.services.onboarding import district_onboard

    return [
        district_onboard(
            name=name,
            slug=slug,
            ubigeo=ubigeo,
            coordinator_email=f"coordinacion@{slug}.test",
            refill_pool_in_background=False,
            send_invitation=False,
        ).district
        for name, slug, ubigeo in DISTRICTS
    ]


def _switch_and_query(districts: list[Any], iterations: int, *, with_role: bool) -> float:
    """Microseconds per iteration: enter the other district, read one row."""
    from django.db import connections

    wrapper: Any = connections["default"]  # the wrapper itself, not the proxy
    shipped = type(wrapper).switch_statement

    def path_only(self: Any) -> str:
        return shipped(self).split(";", 1)[0]

    if not with_role:
        wrapper.switch_statement = path_only.__get__(wrapper)
    try:
        started = time.perf_counter()
        for i in range(iterations):
            wrapper.set_tenant(districts[i % 2])
            with wrapper.cursor() as cursor:
                cursor.execute("SELECT id FROM people_person LIMIT 1")
                cursor.fetchall()
        elapsed = time.perf_counter() - started
    finally:
        if not with_role:
            del wrapper.switch_statement
        wrapper.set_schema_to_public()
        with wrapper.cursor() as cursor:  # back to the owner before the next sample
            cursor.execute("SELECT 1")
    return elapsed / iterations * 1e6


def _statement_alone(districts: list[Any], iterations: int, *, with_role: bool) -> float:
    """Microseconds per switching statement, on a raw cursor (no Django in between)."""
    from django.db import connections

    wrapper: Any = connections["default"]  # the wrapper itself, not the proxy
    statements = []
    for district in districts:
        wrapper.set_tenant(district)
        statement = wrapper.switch_statement()
        statements.append(statement if with_role else statement.split(";", 1)[0])
    wrapper.set_schema_to_public()
    wrapper.ensure_connection()
    raw = wrapper.connection.cursor()
    try:
        started = time.perf_counter()
        for i in range(iterations):
            raw.execute(statements[i % 2])
        elapsed = time.perf_counter() - started
        raw.execute("RESET ROLE")
    finally:
        raw.close()
        wrapper.close()
    return elapsed / iterations * 1e6


def _grant_timings(districts: list[Any], samples: int) -> list[float]:
    """Milliseconds of ``grant_district_role`` (what onboarding adds: role, grants, default
    privileges, the group's check), run again on an existing district (idempotent)."""
    from tenants.db_roles import grant_district_role

    timings = []
    for i in range(samples):
        started = time.perf_counter()
        grant_district_role(districts[i % 2])
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _summary(samples: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    return {
        name: {"median_us": statistics.median(values), "worst_us": max(values)}
        for name, values in samples.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=7)
    args = parser.parse_args()

    districts = _setup()
    results: dict[str, Any] = {"iterations": args.iterations, "samples": args.samples}
    for label, measure in (
        ("switch_and_query", _switch_and_query),
        ("statement_alone", _statement_alone),
    ):
        samples: dict[str, list[float]] = {"path_only": [], "with_role": []}
        measure(districts, 200, with_role=True)  # warm-up: connection, caches
        for _ in range(args.samples):
            for variant in ("path_only", "with_role"):  # alternating, against drift
                samples[variant].append(
                    measure(districts, args.iterations, with_role=variant == "with_role")
                )
        summary = _summary(samples)
        ratio = summary["with_role"]["median_us"] / summary["path_only"]["median_us"]
        extra = summary["with_role"]["median_us"] - summary["path_only"]["median_us"]
        results[label] = {**summary, "ratio_of_medians": ratio, "extra_median_us": extra}
        print(f"{label} ({args.iterations} iterations x {args.samples} samples, µs/iteration):")
        for variant, figures in summary.items():
            print(
                f"  {variant:<10} median {figures['median_us']:8.1f}  "
                f"worst {figures['worst_us']:8.1f}"
            )
        print(f"  ratio with_role / path_only: {ratio:.2f} (+{extra:.1f} µs)")
    grants = _grant_timings(districts, max(15, args.samples))
    results["grant_district_role_ms"] = {
        "median": statistics.median(grants),
        "worst": max(grants),
        "n": len(grants),
    }
    print(
        f"grant_district_role: median {statistics.median(grants):.1f} ms, "
        f"worst {max(grants):.1f} ms ({len(grants)} runs)"
    )
    out = ROOT / "bench" / "results" / "db_roles.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
