"""Capacity of one database server: many districts, their people, and workspace pages under load.

Runs in a scratch database of its own (``callao_capacity`` on the embedded server, dropped
and made anew each run; not ``callao_bench``, so it can run beside the other benchmarks).

1. Onboards ``--districts`` districts by the fast path (replaying the template snapshot),
   and fills each with ``--people`` people (each with a document) and ``--attentions``
   attentions, with the registry benchmark's bulk loader (history triggers firing).
2. Reads the size of the system catalogue before and after (``pg_class``, ``pg_attribute``,
   everything in ``pg_catalog``) and the relations each district adds.
3. One connection's memory: a fresh connection renders the home and the people list of one
   district, then of every district; ``pg_backend_memory_contexts`` gives the size of its
   catalogue caches (``CacheMemoryContext`` and its children) after each step.
4. Requests per second: gunicorn (``--workers`` sync workers, the project's
   ``CONN_MAX_AGE``) on loopback, ``--clients`` concurrent clients for ``--seconds`` per
   sample, logged in as a caseworker; the people list and the home dashboard, each with
   every request in one district ("one") and in a random district of all of them
   ("spread"). ``--rounds`` samples each, alternating the order; medians are reported.
5. ``pg_dump``: one district (schema and data), and the whole database's schema, timed;
   the locks a whole-database dump (one per table) and one onboarding transaction take,
   against the nominal size of the server's shared lock table.

The load generator, the web workers and PostgreSQL share the machine's cores: read the
requests per second as what one small server does with everything on it, not as the
database's own limit.

Usage: .venv/bin/python bench/capacity/run.py [--districts 100] [--people 200]
       [--attentions 400] [--seconds 15] [--rounds 4] [--clients 2] [--workers 2]
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common
from common import ROOT, django_setup_scratch

SCRATCH_DATABASE = "callao_capacity"
CASEWORKER = "bench@bench.pe"  # made by the registry loader in each district
PAGES = {"people list": "/people/", "home dashboard": "/"}
MB = 1024 * 1024


def _registry_loader() -> Any:
    """The registry benchmark's bulk loader (``_fill``), loaded from its file."""
    spec = importlib.util.spec_from_file_location(
        "bench_registry_run", ROOT / "bench" / "registry" / "run.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._fill


# ----------------------------------------------------------------------------- database facts


def _one(sql: str, params: list[Any] | None = None) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()


def catalogue_sizes() -> dict[str, int]:
    """Bytes on disk of pg_class, pg_attribute and of every table of pg_catalog (with
    their indexes and TOAST)."""
    pg_class, pg_attribute, pg_depend = _one(
        "SELECT pg_total_relation_size('pg_catalog.pg_class'),"
        " pg_total_relation_size('pg_catalog.pg_attribute'),"
        " pg_total_relation_size('pg_catalog.pg_depend')"
    )
    (everything,) = _one(
        "SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r'"
    )
    return {
        "pg_class": pg_class,
        "pg_attribute": pg_attribute,
        "pg_depend": pg_depend,
        "pg_catalog": everything,
    }


def relations_of(schema: str) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relkind, count(*) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s GROUP BY 1",
            [schema],
        )
        kinds = dict(cursor.fetchall())
    return {
        "tables": kinds.get("r", 0) + kinds.get("p", 0),
        "indexes": kinds.get("i", 0),
        "sequences": kinds.get("S", 0),
    }


def cache_memory() -> dict[str, int]:
    """This connection's catalogue caches (CacheMemoryContext and everything under it) and
    all its memory contexts, in bytes."""
    cache, total = _one(
        "WITH cache AS (SELECT path[array_length(path, 1)] AS id"
        "  FROM pg_backend_memory_contexts WHERE name = 'CacheMemoryContext')"
        " SELECT (SELECT sum(total_bytes) FROM pg_backend_memory_contexts, cache"
        "          WHERE cache.id = ANY(path))::bigint,"
        "        (SELECT sum(total_bytes) FROM pg_backend_memory_contexts)::bigint"
    )
    return {"cache": cache, "total": total}


LOCK_SETTINGS = [
    "max_connections",
    "autovacuum_worker_slots",  # PostgreSQL 18; autovacuum_max_workers before
    "autovacuum_max_workers",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
]


def server_settings() -> dict[str, str]:
    from django.db import connection

    names = ["server_version", "max_locks_per_transaction", "shared_buffers", *LOCK_SETTINGS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [names])
        return dict(cursor.fetchall())


def lock_table_slots(server: dict[str, str]) -> int:
    """Nominal size of the shared lock table: max_locks_per_transaction for each server
    process (client connections, autovacuum, background workers, WAL senders) and each
    prepared transaction. PostgreSQL may fit a few more into spare shared memory."""
    workers = server.get("autovacuum_worker_slots") or server["autovacuum_max_workers"]
    processes = sum(
        int(server[name]) for name in ("max_connections", "max_worker_processes", "max_wal_senders")
    ) + int(workers)
    return int(server["max_locks_per_transaction"]) * (
        processes + int(server["max_prepared_transactions"])
    )


# ----------------------------------------------------------------------------- districts

_ubigeos = (
    f"15{province:02d}{district:02d}" for province in range(1, 100) for district in range(1, 100)
)


def onboard(count: int) -> tuple[list[str], list[float]]:
    from tenants.services.onboarding import OnboardingPath, district_onboard

    slugs, times = [], []
    for i in range(count):
        slug = f"cap-{i:04d}"
        started = time.perf_counter()
        result = district_onboard(
            name=f"Distrito {slug}",
            slug=slug,
            ubigeo=next(_ubigeos),
            coordinator_email=f"coordinacion@{slug}.pe",
            path=OnboardingPath.TEMPLATE,
            refill_pool_in_background=False,
            send_invitation=False,
        )
        times.append(time.perf_counter() - started)
        assert result.created and result.schema_source == "snapshot", result
        slugs.append(slug)
    return slugs, times


def fill(slugs: list[str], people: int, attentions: int) -> None:
    from django.db import connection
    from django_tenants.utils import schema_context

    from tenants.models import District

    loader = _registry_loader()
    for i, slug in enumerate(slugs):
        with schema_context(District.objects.get(slug=slug).schema_name):
            loader(people, attentions, seed=i)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def session_cookies(slugs: list[str]) -> dict[str, str]:
    """A logged-in caseworker session in each district (made the way the test client
    logs in), by slug."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_tenants.utils import schema_context

    from tenants.models import District
    from tenants.services.onboarding import district_host

    cookies = {}
    for slug in slugs:
        with schema_context(District.objects.get(slug=slug).schema_name):
            client = Client(HTTP_HOST=district_host(slug))
            client.force_login(get_user_model().objects.get(username=CASEWORKER))
            cookies[slug] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


# ----------------------------------------------------------------------------- memory


def connection_memory(slugs: list[str], cookies: dict[str, str]) -> dict[str, Any]:
    """Catalogue-cache size of one fresh, persistent connection: after one district's
    pages, then after each further district's.

    A connection drops all its caches when it falls too far behind the server's queue of
    catalogue invalidations (other sessions' DDL, in any database of the server), so the
    size is read after every district: ``resets`` counts the steps where the caches shrank,
    and the growth per district is the mean of the steps that did not. (The steps are
    uneven: memory contexts grow by blocks of doubling size, so most steps add little and
    a few add megabytes; only the mean means something.)"""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from tenants.db import use_public_schema
    from tenants.services.onboarding import district_host

    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = None  # keep it across the requests
    use_public_schema()
    fresh = cache_memory()
    (pid,) = _one("SELECT pg_backend_pid()")

    def visit(slug: str) -> dict[str, int]:
        client = Client(HTTP_HOST=district_host(slug))
        client.cookies[settings.SESSION_COOKIE_NAME] = cookies[slug]
        for path in PAGES.values():
            response = client.get(path)
            assert response.status_code == 200, (slug, path, response.status_code)
        use_public_schema()
        return cache_memory()

    one = visit(slugs[0])
    started = time.perf_counter()
    series = [one] + [visit(slug) for slug in slugs[1:]]
    elapsed = time.perf_counter() - started
    assert _one("SELECT pg_backend_pid()") == (pid,), "the connection was replaced"
    connection.close()
    steps = [b["cache"] - a["cache"] for a, b in itertools.pairwise(series)]
    return {
        "fresh": fresh,
        "one district": one,
        "every district": series[-1],
        "largest": max(series, key=lambda m: m["cache"]),
        "growth per district": statistics.fmean([step for step in steps if step >= 0] or [0]),
        "resets": sum(1 for step in steps if step < 0),
        "seconds for every district": elapsed,
    }


def onboarding_locks() -> int:
    """Locks held by one onboarding transaction just before it commits (one per relation
    it creates, and more); rolled back."""
    from django.db import transaction

    from tenants.services.onboarding import OnboardingPath, district_onboard

    with transaction.atomic():
        district_onboard(
            name="Distrito de prueba de bloqueos",
            slug="cap-locks",
            ubigeo="159999",
            coordinator_email="coordinacion@cap-locks.pe",
            path=OnboardingPath.TEMPLATE,
            refill_pool_in_background=False,
            send_invitation=False,
        )
        (locks,) = _one("SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid()")
        transaction.set_rollback(True)
    return int(locks)


# ----------------------------------------------------------------------------- load


@dataclass
class Sample:
    page: str
    variant: str
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.development",
        EMBEDDED_DATABASE_NAME=SCRATCH_DATABASE,
        DEBUG="false",
        LOG_LEVEL="WARNING",
        DISTRICT_SCHEMA_POOL_SIZE="0",
        METRICS_PUBLISH="off",
        # One cache per worker process, as with a cache server: no file reads per request.
        CACHE_URL="locmemcache://",
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--pythonpath",
            f"{ROOT / 'platform'},{ROOT}",
            "--chdir",
            str(ROOT),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    return server, port


def _get(port: int, host: str, path: str, cookie: str) -> int:
    from django.conf import settings

    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "GET",
            path,
            headers={"Host": host, "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def wait_ready(server: subprocess.Popen[bytes], port: int, host: str, cookie: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            if _get(port, host, "/", cookie) == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer in 90 s")


def load(
    port: int,
    hosts: list[tuple[str, str]],
    path: str,
    *,
    seconds: float,
    clients: int,
    sample: Sample | None,
) -> None:
    """``clients`` threads request ``path`` back to back for ``seconds``, each request in a
    random district of ``hosts`` ((host, cookie) pairs)."""
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client(seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311 - load pattern, not security
        while time.monotonic() < stop:
            host, cookie = rng.choice(hosts)
            started = time.perf_counter()
            status = _get(port, host, path, cookie)
            elapsed = (time.perf_counter() - started) * 1000
            if sample is None:
                continue
            with lock:
                if status == 200:
                    sample.latencies_ms.append(elapsed)
                else:
                    sample.errors += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def measure_load(
    slugs: list[str],
    cookies: dict[str, str],
    *,
    workers: int,
    clients: int,
    seconds: float,
    rounds: int,
) -> list[Sample]:
    from tenants.services.onboarding import district_host

    every = [(district_host(slug), cookies[slug]) for slug in slugs]
    variants = {"one district": every[:1], f"spread over {len(slugs)}": every}
    server, port = start_server(workers)
    samples: list[Sample] = []
    try:
        wait_ready(server, port, *every[0])
        plan = [(page, variant) for page in PAGES for variant in variants]
        for round_ in range(rounds):
            for page, variant in plan if round_ % 2 == 0 else list(reversed(plan)):
                # a short warm-up, not counted, so each sample starts from the same state
                load(port, variants[variant], PAGES[page], seconds=2, clients=clients, sample=None)
                sample = Sample(page, variant, seconds)
                load(
                    port,
                    variants[variant],
                    PAGES[page],
                    seconds=seconds,
                    clients=clients,
                    sample=sample,
                )
                samples.append(sample)
                print(
                    f"  round {round_ + 1}: {page:<15} {variant:<16} {sample.rps:6.1f} req/s"
                    f"  median {statistics.median(sample.latencies_ms):6.1f} ms"
                    f"  errors {sample.errors}",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return samples


# ----------------------------------------------------------------------------- pg_dump


def pg_dump_seconds(*args: str) -> tuple[float, int, str]:
    """Seconds, exit code and last error line of a pg_dump of the scratch database."""
    from django.db import connection

    from config.embedded_db import pg_bin_dir

    db = connection.settings_dict
    bin_dir = pg_bin_dir()
    command = [str(bin_dir / "pg_dump") if bin_dir else "pg_dump", *args, "--file", os.devnull]
    command += ["--dbname", db["NAME"], "--username", db.get("USER") or "postgres"]
    if db.get("HOST"):
        command += ["--host", db["HOST"]]
    if db.get("PORT"):
        command += ["--port", str(db["PORT"])]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    error = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
    return time.perf_counter() - started, result.returncode, error


# ----------------------------------------------------------------------------- report


def collect(args: argparse.Namespace) -> dict[str, Any]:
    common.SCRATCH_DATABASE = SCRATCH_DATABASE  # a database of its own (see the docstring)
    django_setup_scratch()
    from django.conf import settings
    from django.db import connection

    from tenants.schema_template import template_snapshot_ensure

    template_snapshot_ensure()
    facts: dict[str, Any] = {
        "districts": args.districts,
        "people_per_district": args.people,
        "attentions_per_district": args.attentions,
        "workers": args.workers,
        "clients": args.clients,
        "server": server_settings(),
        "conn_max_age": connection.settings_dict.get("CONN_MAX_AGE"),
        "catalogue_before": catalogue_sizes(),
    }
    slugs, onboard_times = onboard(args.districts)
    started = time.perf_counter()
    fill(slugs, args.people, args.attentions)
    facts["fill_s"] = time.perf_counter() - started
    facts["onboard_median_s"] = statistics.median(onboard_times)
    facts["catalogue_after"] = catalogue_sizes()
    facts["onboarding_locks"] = onboarding_locks()
    schema = settings.DISTRICT_SCHEMA_PREFIX + slugs[0].replace("-", "_")
    facts["relations_per_district"] = relations_of(schema)
    facts["database_bytes"] = _one("SELECT pg_database_size(current_database())")[0]
    print(
        f"{args.districts} districts onboarded (median {facts['onboard_median_s']:.3f} s each),"
        f" filled with {args.people} people and {args.attentions} attentions each in"
        f" {facts['fill_s']:.0f} s",
        flush=True,
    )

    cookies = session_cookies(slugs)
    facts["connection_memory"] = connection_memory(slugs, cookies)
    print("connection memory measured; load test starting", flush=True)
    facts["load_average_before"] = os.getloadavg()
    samples = measure_load(
        slugs,
        cookies,
        workers=args.workers,
        clients=args.clients,
        seconds=args.seconds,
        rounds=args.rounds,
    )
    facts["load_average_after"] = os.getloadavg()
    facts["load"] = summarise(samples)
    facts["pg_dump_one_district"] = pg_dump_seconds("--schema", schema)
    facts["pg_dump_schema_only"] = pg_dump_seconds("--schema-only")
    return facts


def summarise(samples: list[Sample]) -> list[dict[str, Any]]:
    rows = []
    for page in PAGES:
        for variant in dict.fromkeys(s.variant for s in samples):
            chosen = [s for s in samples if s.page == page and s.variant == variant]
            rates = [s.rps for s in chosen]
            latencies = sorted(ms for s in chosen for ms in s.latencies_ms)
            rows.append(
                {
                    "page": page,
                    "variant": variant,
                    "rps": rates,
                    "rps_median": statistics.median(rates),
                    "ms_median": statistics.median(latencies),
                    "ms_p95": latencies[int(0.95 * (len(latencies) - 1))],
                    "errors": sum(s.errors for s in chosen),
                }
            )
    return rows


def report(facts: dict[str, Any]) -> None:
    n, server, relations = facts["districts"], facts["server"], facts["relations_per_district"]
    print(f"\nCapacity of one server, {n} districts, {os.cpu_count()} CPUs (shared)")
    print(
        f"PostgreSQL {server['server_version']}, max_connections {server['max_connections']},"
        f" max_locks_per_transaction {server['max_locks_per_transaction']};"
        f" web: gunicorn {facts['workers']} sync workers, CONN_MAX_AGE {facts['conn_max_age']};"
        f" {facts['clients']} clients"
    )
    print(
        f"each district: {relations['tables']} tables, {relations['indexes']} indexes,"
        f" {relations['sequences']} sequences; database {facts['database_bytes'] / MB:.0f} MB"
    )

    before, after = facts["catalogue_before"], facts["catalogue_after"]
    print(
        f"\n{'catalogue':<12} {'0 districts MB':>15} {f'{n} districts MB':>16} {'kB/district':>12}"
    )
    for name in before:
        per = (after[name] - before[name]) / n / 1024
        print(f"{name:<12} {before[name] / MB:>15.1f} {after[name] / MB:>16.1f} {per:>12.0f}")

    memory = facts["connection_memory"]
    print(f"\n{'one connection':<16} {'catalogue caches MB':>20} {'all contexts MB':>16}")
    for label in ("fresh", "one district", "every district", "largest"):
        cache, total = memory[label]["cache"] / MB, memory[label]["total"] / MB
        print(f"{label:<16} {cache:>20.1f} {total:>16.1f}")
    growth = memory["growth per district"]
    print(
        f"growth per district touched (mean step): {growth / 1024:.0f} kB;"
        f" cache resets seen: {memory['resets']}"
    )

    print(
        f"\n{'page':<16} {'districts':<17} {'req/s median':>12} {'min':>6} {'max':>6}"
        f" {'ms median':>10} {'ms p95':>7} {'errors':>7}"
    )
    for row in facts["load"]:
        print(
            f"{row['page']:<16} {row['variant']:<17} {row['rps_median']:>12.1f}"
            f" {min(row['rps']):>6.1f} {max(row['rps']):>6.1f} {row['ms_median']:>10.1f}"
            f" {row['ms_p95']:>7.1f} {row['errors']:>7}"
        )
    load_before, load_after = facts["load_average_before"][0], facts["load_average_after"][0]
    print(
        f"machine load average (1 min) before / after the load test: {load_before:.1f} / {load_after:.1f}"
    )

    one, whole = facts["pg_dump_one_district"], facts["pg_dump_schema_only"]
    slots = lock_table_slots(server)
    print(
        f"\npg_dump of one district (schema and data): {one[0]:.1f} s (exit {one[1]})"
        f"\npg_dump --schema-only of the whole database: {whole[0]:.1f} s (exit {whole[1]})"
        f" {whole[2]}"
        f"\nlocks: a whole-database pg_dump takes one per table ({relations['tables']} a"
        f" district, {relations['tables'] * n} here); one onboarding transaction holds"
        f" {facts['onboarding_locks']}; the shared lock table's nominal size is {slots}"
        f" (max_locks_per_transaction {server['max_locks_per_transaction']}), for every"
        " session of the server together"
    )

    k = 1000
    print(f"\nat {k} districts, if it stays linear:")
    grown = before["pg_catalog"] + (after["pg_catalog"] - before["pg_catalog"]) / n * k
    print(f"  system catalogue about {grown / MB:.0f} MB")
    print(f"  one connection that touched every district: about {growth * k / MB:.0f} MB of caches")
    needed = int(server["max_locks_per_transaction"]) * relations["tables"] * k // slots
    print(f"  a whole-database pg_dump needs max_locks_per_transaction of about {needed}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--districts", type=int, default=100)
    parser.add_argument("--people", type=int, default=200, help="per district")
    parser.add_argument("--attentions", type=int, default=400, help="per district")
    parser.add_argument("--seconds", type=float, default=15.0, help="per load sample")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args()
    started = time.perf_counter()
    facts = collect(args)
    report(facts)
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "capacity.json").write_text(json.dumps(facts, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
