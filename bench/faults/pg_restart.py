"""Fault: PostgreSQL restarts in the middle of a write-heavy load.

The stand of the load benchmark (bench/load/harness.py: a PostgreSQL cluster of its own
in a temporary folder on 127.0.0.1, never the shared one; demo-like districts; gunicorn
with the image's configuration and the task worker). ``--users`` caseworkers register
people and record attentions through the forms' POST, as fast as they get answers
(``--think``). Every write the server acknowledges (a redirect to the saved record) is
noted by the client: the new person's id from the redirect, and the attention's token,
which it wrote into the attention's notes.

At ``--stop-at`` seconds PostgreSQL is stopped (``pg_ctl -m fast``: sessions cut, a clean
shutdown; ``--mode immediate`` stops it like a crash, and the next start replays the
write-ahead log), stays down ``--down`` seconds and starts again on the same address and
port; the load goes on until ``--seconds``. Nothing restarts the web server or the worker.

Reported: how long after PostgreSQL was back the first write succeeded and after how long
no request failed any more; the failures (expected only while the database is down,
counted apart); and, read from the database afterwards, the people and attentions the
simulated staff stored against those acknowledged: every acknowledged write must be there
(a write stored but not acknowledged, its answer lost in the outage, is allowed and
counted). Exit 1 if an acknowledged write is missing, a request failed outside the outage
or the server did not recover within ``--recover-within`` seconds.

Usage: .venv/bin/python bench/faults/pg_restart.py [--seconds 60] [--users 30]
       [--stop-at 20] [--down 5] [--mode fast|immediate] [--keep]
Results: bench/results/faults_pg_restart.json.
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "load"))
import harness

TOKEN = re.compile(r"Atención de prueba de carga ([0-9a-f]{32})")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--districts", type=int, default=4)
    parser.add_argument("--people", type=int, default=1000, help="synthetic people per district")
    parser.add_argument("--attentions", type=int, default=2000, help="per district")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--think", type=float, nargs=2, default=(0.0, 0.2), metavar=("MIN", "MAX"))
    parser.add_argument("--stop-at", type=float, default=20, help="seconds into the load")
    parser.add_argument("--down", type=float, default=5, help="seconds PostgreSQL stays down")
    parser.add_argument("--mode", choices=["fast", "immediate"], default="fast")
    parser.add_argument(
        "--recover-within",
        type=float,
        default=10,
        help="seconds after PostgreSQL is back by which requests must succeed again",
    )
    parser.add_argument("--keep", action="store_true", help="keep the cluster's folder")
    args = parser.parse_args()
    if not 0 < args.stop_at < args.stop_at + args.down < args.seconds:
        parser.error("the restart must fall inside the run (--stop-at + --down < --seconds)")
    return args


def main() -> int:
    args = parse_args()
    cluster = harness.new_cluster()
    run_dir = cluster.data_dir.parent
    print(f"PostgreSQL on 127.0.0.1:{cluster.port}, files under {run_dir}", flush=True)
    stack: harness.Stack | None = None
    try:
        env = harness.bench_environment(cluster)
        harness.django_setup(env)
        from django.db import connection

        database = connection.settings_dict
        settings_checked = {
            "CONN_MAX_AGE": database["CONN_MAX_AGE"],
            "CONN_HEALTH_CHECKS": database["CONN_HEALTH_CHECKS"],
        }
        if database["CONN_HEALTH_CHECKS"] is not True:
            raise SystemExit("CONN_HEALTH_CHECKS is not on: the server would not recover")
        fixtures = harness.prepare_districts(
            districts=args.districts,
            users=args.users,
            people=args.people,
            attentions=args.attentions,
            roles=["caseworker"],
        )
        print(f"{args.districts} districts, {args.users} caseworkers ready", flush=True)
        stack = harness.Stack(
            env,
            harness.RESULTS / f"logs-faults_pg_restart_{args.mode}",
            workers=args.workers,
            threads=args.threads,
        )
        stack.start()
        stack.wait_ready(fixtures.accounts[0].host)
        receipts = harness.Receipts()
        harness.warm_up(stack, fixtures, receipts)
        result = run(cluster, stack, fixtures, args, receipts)
        result["settings"] = settings_checked
        result["stored"] = stored_writes(fixtures)
        verdict = compare(result, args)
        path = harness.write_result(f"faults_pg_restart_{args.mode}", result)
        print(f"\nresults written to {path.relative_to(harness.ROOT)}")
        print("PASS" if verdict else "FAIL", flush=True)
        return 0 if verdict else 1
    finally:
        if stack is not None:
            stack.stop()
        if args.keep:
            print(f"kept {run_dir}")
        else:
            cluster.destroy(keep_log_in=harness.RESULTS / f"logs-faults_pg_restart_{args.mode}")


def run(
    cluster: harness.Cluster,
    stack: harness.Stack,
    fixtures: harness.Fixtures,
    args: Any,
    receipts: harness.Receipts,
) -> dict[str, Any]:
    recorder = harness.Recorder()
    staff = [
        harness.Staff(
            stack.base_url,
            account,
            fixtures.districts[account.slug],
            recorder,
            seed=i + 1,
            receipts=receipts,
            timeout=30,
        )
        for i, account in enumerate(fixtures.accounts)
    ]
    events: dict[str, float] = {}

    def restart() -> None:
        time.sleep(max(0.0, args.stop_at - recorder.now()))
        events["stop_sent"] = recorder.now()
        cluster.stop(args.mode)
        events["stopped"] = recorder.now()
        time.sleep(args.down)
        events["start_sent"] = recorder.now()
        cluster.start()
        events["ready"] = recorder.now()

    before = harness.machine_facts()
    pids_before = web_worker_pids(stack)
    fault = threading.Thread(target=restart, daemon=True)

    def window_opens() -> None:
        recorder.open_window()
        fault.start()

    failures = harness.run_staff(
        staff,
        seconds=args.seconds,
        think=tuple(args.think),
        ramp=2,
        work="write",
        on_start=window_opens,
    )
    fault.join()
    elapsed = recorder.now()
    timeline = analyse(recorder.samples, events)
    summary = harness.summarise(recorder.samples, elapsed)
    harness.print_table(
        summary,
        f"{len(staff)} caseworkers writing for {elapsed:.1f} s; PostgreSQL stopped ({args.mode})"
        f" at {events['stop_sent']:.1f} s, ready again at {events['ready']:.1f} s;"
        f" load average {before['load_average'][0]:.2f}",
    )
    return {
        "seconds": elapsed,
        "users": len(staff),
        "mode": args.mode,
        "down_seconds": args.down,
        "districts": list(fixtures.districts),
        "gunicorn": {"workers": stack.workers, "threads": stack.threads},
        "machine_before": before,
        "machine_after": harness.machine_facts(),
        "login_failures": failures,
        "events": events,
        "timeline": timeline,
        "summary": summary,
        "acknowledged": {
            "people": sorted(receipts.people),
            "attentions": sorted(receipts.attentions),
        },
        "worker_restarts": stack.worker_restarts,
        "web_workers_before": pids_before,
        "web_workers_after": web_worker_pids(stack),
        "jobs": jobs_settled(timeout=240),
    }


def analyse(samples: list[harness.Sample], events: dict[str, float]) -> dict[str, Any]:
    """When requests failed and succeeded again, against when PostgreSQL went down and
    came back (seconds since the start; a request is placed when its answer came)."""
    stop, ready = events["stop_sent"], events["ready"]

    def end(sample: harness.Sample) -> float:
        return sample.at + sample.ms / 1000

    failed = [s for s in samples if not s.ok]
    before = [s for s in failed if end(s) < stop]
    late = [s for s in failed if s.at >= ready]
    first_ok = min((end(s) for s in samples if s.ok and s.at >= ready), default=None)
    last_failed = max((end(s) for s in failed), default=None)
    per_second: dict[int, list[int]] = {}
    for sample in samples:
        counts = per_second.setdefault(int(end(sample)), [0, 0])
        counts[0 if sample.ok else 1] += 1
    return {
        "failed_before_stop": len(before),
        "failed_during_outage": len(failed) - len(before) - len(late),
        "failed_sent_after_ready": len(late),
        "first_failure_s": min((end(s) for s in failed), default=None),
        "last_failure_s": last_failed,
        "first_success_after_ready_s": None if first_ok is None else first_ok - ready,
        "last_failure_after_ready_s": None if last_failed is None else last_failed - ready,
        "outage_causes": dict(Counter(f"{s.kind}: {s.problem}" for s in failed)),
        "succeeded_after_ready": sum(1 for s in samples if s.ok and s.at >= ready),
        # second -> [succeeded, failed], by the time the answer came
        "per_second": {str(k): v for k, v in sorted(per_second.items())},
    }


def jobs_settled(timeout: float) -> dict[str, int]:
    """The task queue by status once nothing is waiting or running (or after ``timeout``
    seconds): the metrics jobs the writes queued, including those of the outage."""
    from django.db import connection

    deadline = time.monotonic() + timeout
    counts: dict[str, int] = {}
    while True:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT status, count(*) FROM procrastinate_jobs GROUP BY status")
                counts = dict(cursor.fetchall())
        except Exception:  # the connection died with the restart: open a new one
            connection.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
            continue
        if not (counts.get("todo") or counts.get("doing")) or time.monotonic() > deadline:
            return counts
        time.sleep(1)


def web_worker_pids(stack: harness.Stack) -> list[int]:
    """The gunicorn worker processes (children of the master), to tell whether any had to
    be replaced to recover."""
    import psutil

    assert stack.web is not None
    return sorted(child.pid for child in psutil.Process(stack.web.pid).children())


def stored_writes(fixtures: harness.Fixtures) -> dict[str, list[str]]:
    """The people the simulated staff registered and the attention tokens they wrote, read
    from every district's schema after the run."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.casework.models import Attention
    from apps.people.models import Person
    from tenants.models import District

    connection.close()  # its connection died with the restart
    emails = [account.email for account in fixtures.accounts]
    people: list[str] = []
    tokens: list[str] = []
    for slug in fixtures.districts:
        with schema_context(District.objects.get(slug=slug).schema_name):
            people += [
                str(pk)
                for pk in Person.objects.filter(registered_by__username__in=emails).values_list(
                    "public_id", flat=True
                )
            ]
            for notes in Attention.objects.filter(
                staff__username__in=emails, notes__startswith="Atención de prueba de carga"
            ).values_list("notes", flat=True):
                match = TOKEN.search(notes)
                if match:
                    tokens.append(match.group(1))
    return {"people": people, "attentions": tokens}


def compare(result: dict[str, Any], args: Any) -> bool:
    acknowledged, stored = result["acknowledged"], result["stored"]
    ok = True
    print("\nacknowledged writes against rows in the database afterwards")
    print(f"{'':<12} {'acknowledged':>13} {'stored':>8} {'missing':>8} {'unacknowledged':>15}")
    checks: dict[str, Any] = {}
    for kind in ("people", "attentions"):
        acked, rows = set(acknowledged[kind]), set(stored[kind])
        duplicates = len(stored[kind]) - len(rows)
        missing, extra = acked - rows, rows - acked
        checks[kind] = {
            "acknowledged": len(acked),
            "stored": len(stored[kind]),
            "missing": len(missing),
            "stored_not_acknowledged": len(extra),
            "duplicated": duplicates,
        }
        print(
            f"{kind:<12} {len(acked):>13} {len(stored[kind]):>8} {len(missing):>8} {len(extra):>15}"
        )
        if missing or duplicates:
            ok = False
    result["check"] = checks
    timeline = result["timeline"]
    events = result["events"]
    print(
        f"\nPostgreSQL: stop sent at {events['stop_sent']:.2f} s, down at {events['stopped']:.2f} s,"
        f" start sent at {events['start_sent']:.2f} s, ready at {events['ready']:.2f} s"
    )
    first = timeline["first_success_after_ready_s"]
    last = timeline["last_failure_after_ready_s"]
    print(
        f"first success {first:.2f} s after PostgreSQL was ready; last failure"
        f" {'none' if last is None else f'{last:.2f} s'} after it (negative: before it was back)"
        if first is not None
        else "no request succeeded after PostgreSQL came back"
    )
    print(
        f"failed requests: {timeline['failed_before_stop']} before the stop,"
        f" {timeline['failed_during_outage']} during the outage,"
        f" {timeline['failed_sent_after_ready']} sent after PostgreSQL was ready"
    )
    replaced = set(result["web_workers_before"]) - set(result["web_workers_after"])
    print(f"gunicorn worker processes replaced during the run: {len(replaced)}")
    jobs = result["jobs"]
    print(
        f"task worker: restarted {result['worker_restarts']} time(s) by the stand (as compose's"
        f" restart policy or Kubernetes would); jobs afterwards: {jobs}"
    )
    if timeline["failed_before_stop"]:
        ok = False
    if first is None or first > args.recover_within:
        ok = False
    if last is not None and last > args.recover_within:
        ok = False
    if result["login_failures"] or result["jobs"].get("failed") or result["jobs"].get("todo"):
        ok = False
    result["passed"] = ok
    return ok


if __name__ == "__main__":
    sys.exit(main())
