"""Onboarding benchmark: the fast path against the migrations path, side by side.

Runs in a scratch database of its own (``callao_bench`` on the embedded server, dropped
and made anew each run). For each background size (0 and 200 districts already present)
it onboards sample districts, alternating three ways of making the schema:

- ``pool``: the fast path as it runs in production, renaming a ready-made schema (the
  pool is refilled between samples, outside the timing; the refill is timed on its own);
- ``snapshot``: the fast path with an empty pool, replaying the template snapshot;
- ``migrations``: the fallback, running every migration on an empty schema.

Each sample is removed right after it is measured, so the number present stays fixed.
It prints the median and worst time per district for each way and their ratios.

Usage: make bench   (or: .venv/bin/python bench/onboarding/run.py [--present 0 200]
                     [--fast-samples 15] [--migration-samples 5] [--check])
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import ROOT, django_setup_scratch

TARGET_FAST_MEDIAN_S = 0.5
TARGET_SPEEDUP = 6.0
TARGET_GROWTH = 1.5


def _setup() -> None:
    django_setup_scratch()
    from tenants.schema_template import template_snapshot_ensure

    template_snapshot_ensure()


def _district_remove(slug: str) -> None:
    """Bench-only clean-up (the platform itself never deletes a district's data)."""
    from django.db import connection

    from tenants.models import District, Domain

    district = District.objects.get(slug=slug)
    Domain.objects.filter(tenant=district).delete()
    District.objects.filter(pk=district.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA "{district.schema_name}" CASCADE')


_ubigeos = (
    f"15{province:02d}{district:02d}" for province in range(1, 100) for district in range(1, 100)
)


def _onboard(slug: str, way: str) -> float:
    from tenants.services.onboarding import OnboardingPath, district_onboard

    path = OnboardingPath.MIGRATIONS if way == "migrations" else OnboardingPath.TEMPLATE
    started = time.perf_counter()
    result = district_onboard(
        name=f"Distrito {slug}",
        slug=slug,
        ubigeo=next(_ubigeos),
        coordinator_email=f"coordinacion@{slug}.pe",
        path=path,
        refill_pool_in_background=False,
    )
    elapsed = time.perf_counter() - started
    assert result.created
    assert result.schema_source == way, (result.schema_source, way)
    return elapsed


def _fill_background(count: int) -> None:
    from tenants.models import District

    present = District.objects.count()
    for i in range(present, count):
        _onboard(f"fondo-{i:04d}", "snapshot")


def _measure(present: int, fast_samples: int, migration_samples: int) -> dict[str, list[float]]:
    from tenants.schema_pool import schema_pool_fill

    _fill_background(present)
    times: dict[str, list[float]] = {w: [] for w in ("pool", "snapshot", "migrations", "refill")}
    for i in range(max(fast_samples, migration_samples)):
        plan = ["pool", "snapshot"] if i < fast_samples else []
        if i < migration_samples:
            plan.append("migrations")
        if i % 2:
            plan.reverse()  # alternate the order so no way always runs first
        for way in plan:
            if way == "pool":
                started = time.perf_counter()
                schema_pool_fill(size=1)
                times["refill"].append(time.perf_counter() - started)
            slug = f"muestra-{way[:4]}-{i}"
            times[way].append(_onboard(slug, way))
            _district_remove(slug)
    return times


def _summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "worst": max(values), "n": len(values)}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--present", type=int, nargs="+", default=[0, 200])
    parser.add_argument("--fast-samples", type=int, default=15)
    parser.add_argument("--migration-samples", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    _setup()

    from django.conf import settings

    settings.DISTRICT_SCHEMA_POOL_SIZE = 0  # the bench fills the pool itself, between samples
    results: dict[int, dict[str, dict[str, float]]] = {}
    for present in sorted(args.present):
        times = _measure(present, args.fast_samples, args.migration_samples)
        results[present] = {way: _summary(values) for way, values in times.items()}

    print(f"\nOnboarding time per district (seconds), {os.cpu_count()} CPUs")
    print(f"{'present':>8} {'way':>11} {'n':>3} {'median':>8} {'worst':>8}")
    for present, ways in results.items():
        for way, s in ways.items():
            label = "pool refill" if way == "refill" else way
            print(f"{present:>8} {label:>11} {s['n']:>3.0f} {s['median']:>8.3f} {s['worst']:>8.3f}")

    ok = True
    print()
    for present, ways in results.items():
        migrations = ways["migrations"]["median"]
        for fast_way in ("pool", "snapshot"):
            speedup = migrations / ways[fast_way]["median"]
            print(
                f"{present:>4} present: {fast_way} {speedup:.1f}x faster than migrations (median)"
            )
        ok &= migrations / ways["pool"]["median"] >= TARGET_SPEEDUP
        ok &= ways["pool"]["median"] < TARGET_FAST_MEDIAN_S
    low, high = min(results), max(results)
    if low != high:
        for fast_way in ("pool", "snapshot"):
            growth = results[high][fast_way]["median"] / results[low][fast_way]["median"]
            print(f"{fast_way} with {high} present / with {low} present: {growth:.2f}x (median)")
        ok &= results[high]["pool"]["median"] / results[low]["pool"]["median"] <= TARGET_GROWTH
    print(
        f"targets for the fast path as deployed (pool: median < {TARGET_FAST_MEDIAN_S} s, "
        f">= {TARGET_SPEEDUP:.0f}x faster, <= {TARGET_GROWTH}x growth): {'met' if ok else 'MISSED'}"
    )

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "onboarding.json").write_text(json.dumps(results, indent=2))
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
