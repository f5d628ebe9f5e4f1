"""Load: simulated staff of several districts using the real server at once.

A PostgreSQL cluster of its own (a temporary folder, 127.0.0.1 only; bench/load/harness.py)
gets ``--districts`` districts with the demo's records and ``--people`` synthetic people
each; gunicorn runs with the image's configuration (``infra/gunicorn.conf.py``,
``--workers`` processes of ``--threads`` threads) beside the task worker. Then ``--users``
simulated staff (caseworkers, complaints and inclusion officers, spread over the
districts) log in through the login form and, for ``--seconds``, view the home page, the
people list and people's records, search people by part of a name, register people and
record attentions through the forms (with their CSRF token), and query GraphQL with their
session, pausing ``--think`` seconds between steps.

Every request is timed and checked: an error is an exception, a status of 400 or more, a
page that redirects elsewhere (a lost session), a form that does not redirect to the
record it saved, or a GraphQL answer with errors. Exit 1 if there is any error.

The clients, the web workers, the task worker and PostgreSQL share this machine's cores:
the figures are what one small server does with everything on it.

Usage: .venv/bin/python bench/load/run.py [--seconds 60] [--users 50] [--districts 4]
       [--people 2000] [--workers 4] [--threads 4] [--think 0.5 1.5] [--keep]
Results: bench/results/load.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

NAME = "load"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--districts", type=int, default=4)
    parser.add_argument("--people", type=int, default=2000, help="synthetic people per district")
    parser.add_argument("--attentions", type=int, default=4000, help="per district")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(0.5, 1.5),
        metavar=("MIN", "MAX"),
        help="seconds between two steps of one member of staff (uniform); 0 0 for none",
    )
    parser.add_argument("--ramp", type=float, default=10, help="seconds over which staff log in")
    parser.add_argument("--keep", action="store_true", help="keep the cluster's folder")
    args = parser.parse_args()

    cluster = harness.new_cluster()
    run_dir = cluster.data_dir.parent
    print(f"PostgreSQL on 127.0.0.1:{cluster.port}, files under {run_dir}", flush=True)
    stack: harness.Stack | None = None
    try:
        env = harness.bench_environment(cluster)
        harness.django_setup(env)
        started = time.perf_counter()
        fixtures = harness.prepare_districts(
            districts=args.districts,
            users=args.users,
            people=args.people,
            attentions=args.attentions,
        )
        setup_s = time.perf_counter() - started
        print(
            f"{args.districts} districts and {args.users} staff accounts ready in {setup_s:.0f} s",
            flush=True,
        )
        stack = harness.Stack(
            env, harness.RESULTS / f"logs-{NAME}", workers=args.workers, threads=args.threads
        )
        stack.start()
        first = fixtures.accounts[0]
        stack.wait_ready(first.host)
        harness.warm_up(stack, fixtures)
        result = measure(stack, fixtures, args)
        result["setup_seconds"] = setup_s
        errors = result["summary"]["overall"]["errors"] + len(result["login_failures"])
        path = harness.write_result(NAME, result)
        print(f"\nresults written to {path.relative_to(harness.ROOT)}")
        if result["login_failures"]:
            print("login failures:", *result["login_failures"][:5], sep="\n  ")
        print("ZERO errors" if errors == 0 else f"{errors} ERRORS", flush=True)
        return 0 if errors == 0 else 1
    finally:
        if stack is not None:
            stack.stop()
        if args.keep:
            print(
                f"kept {run_dir} (stop: runuser -u pgserver -- pg_ctl -D {cluster.data_dir} stop)"
            )
        else:
            cluster.destroy(keep_log_in=harness.RESULTS / f"logs-{NAME}")


def measure(stack: harness.Stack, fixtures: harness.Fixtures, args: Any) -> dict[str, Any]:
    recorder = harness.Recorder()
    staff = [
        harness.Staff(
            stack.base_url, account, fixtures.districts[account.slug], recorder, seed=i + 1
        )
        for i, account in enumerate(fixtures.accounts)
    ]
    before = harness.machine_facts()
    print(
        f"{len(staff)} staff for {args.seconds:.0f} s (load average before:"
        f" {', '.join(f'{x:.2f}' for x in before['load_average'])})",
        flush=True,
    )

    failures = harness.run_staff(
        staff,
        seconds=args.seconds,
        think=tuple(args.think),
        ramp=args.ramp,
        on_start=recorder.open_window,
    )
    elapsed = recorder.now()
    after = harness.machine_facts()
    summary = harness.summarise(recorder.samples, elapsed)
    roles: dict[str, int] = {}
    for account in fixtures.accounts:
        roles[account.role] = roles.get(account.role, 0) + 1
    harness.print_table(
        summary,
        f"{len(staff)} staff over {len(fixtures.districts)} districts for {elapsed:.1f} s;"
        f" gunicorn {stack.workers} x {stack.threads} threads; {os.cpu_count()} CPUs, shared"
        f" (load average {before['load_average'][0]:.2f} before, {after['load_average'][0]:.2f}"
        " after)",
    )
    return {
        "seconds": elapsed,
        "users": len(staff),
        "roles": roles,
        "districts": list(fixtures.districts),
        "people_per_district": args.people,
        "attentions_per_district": args.attentions,
        "gunicorn": {"workers": stack.workers, "threads": stack.threads},
        "think_seconds": list(args.think),
        "machine_before": before,
        "machine_after": after,
        "login_failures": failures,
        "summary": summary,
    }


if __name__ == "__main__":
    sys.exit(main())
