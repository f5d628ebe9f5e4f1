from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.models import PooledSchema
from tenants.schema_migrations import (
    MigrateAllBusyError,
    MigrateAllError,
    MigrateAllReport,
    SchemaKind,
    SchemaOutcome,
    SchemaState,
    default_jobs,
    migrate_all,
    schema_states,
)
from tenants.schema_template import template_fingerprint, template_snapshot_current

EXIT_FAILED = 1
EXIT_BUSY = 3


class Command(BaseCommand):
    help = (
        "Bring every schema up to date at a release: the public schema, the district template "
        "and its snapshot, the pool of ready schemas, and the districts. Only the schemas "
        "behind are migrated (found in one query), in parallel; a district that fails does "
        "not stop the others and makes the command exit with status 1 at the end. A second "
        "run at the same time exits with status 3 (or waits, with --wait)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--jobs",
            type=int,
            default=default_jobs(),
            help="Schemas migrated at once, each in a worker process with its own database "
            "connection (default: the number of CPUs, at most 4).",
        )
        parser.add_argument(
            "--wait",
            nargs="?",
            type=float,
            const=-1.0,
            default=0.0,
            metavar="SECONDS",
            help="If another run holds the lock, wait for it (at most SECONDS; without a "
            "number, as long as needed) instead of exiting with status 3.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing: list what is behind and exit with status 1 if anything is.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        if options["check"]:
            self._check()
            return
        wait = options["wait"]
        try:
            report = migrate_all(
                jobs=options["jobs"],
                verbosity=max(0, verbosity - 1),
                lock_timeout=None if wait < 0 else wait,
                progress=self._progress_printer(verbosity),
            )
        except MigrateAllBusyError as busy:
            raise CommandError(str(busy), returncode=EXIT_BUSY) from busy
        except MigrateAllError as error:
            raise CommandError(str(error), returncode=EXIT_FAILED) from error
        self._summary(report, verbosity)
        if report.failures:
            raise CommandError(
                f"{len(report.failures)} failed: {', '.join(sorted(report.failures))}. "
                "The others are up to date; fix these and run migrate_all again.",
                returncode=EXIT_FAILED,
            )

    def _progress_printer(self, verbosity: int) -> Any:
        step = {"next": 0.1}
        started = time.perf_counter()

        def progress(outcome: SchemaOutcome, done: int, total: int) -> None:
            if not outcome.ok:
                self.stderr.write(
                    f"FAILED {outcome.schema_name} ({outcome.action}): {outcome.error}"
                )
                if verbosity >= 2:
                    self.stderr.write(outcome.detail)
            elif verbosity >= 2:
                self.stdout.write(
                    f"{outcome.schema_name}: {outcome.action} done in {outcome.seconds:.2f} s"
                )
            if verbosity >= 1 and total >= 20 and done / total >= step["next"]:
                self.stdout.write(
                    f"  {done}/{total} districts done ({time.perf_counter() - started:.0f} s)"
                )
                step["next"] += 0.1

        return progress

    def _summary(self, report: MigrateAllReport, verbosity: int) -> None:
        if verbosity < 1:
            return
        write = self.stdout.write
        pool = report.of_kind(SchemaKind.POOL)
        districts = report.of_kind(SchemaKind.DISTRICT)
        write(
            f"Checked {len(report.states)} schemas in {report.check_seconds:.2f} s "
            f"(public, template, {len(pool)} pooled, {len(districts)} districts)."
        )
        write(f"Public schema: {'migrated' if report.public_migrated else 'up to date'}.")
        template = report.of_kind(SchemaKind.TEMPLATE)[0]
        if template.schema_name in report.failures:
            write(f"Template: FAILED: {report.failures[template.schema_name]}")
        else:
            done = "migrated and snapshotted" if report.template_refreshed else "up to date"
            write(f"Template: {done} (snapshot {report.snapshot_fingerprint[:12]}).")
        if "pool" in report.failures:
            write(f"Pool: FAILED: {report.failures['pool']}")
        else:
            write(f"Pool: dropped {len(report.pool_dropped)}, made {report.pool_made}.")
        tasked = {outcome.schema_name for outcome in report.outcomes}
        failed = [s for s in districts if s.schema_name in report.failures]
        current = [s for s in districts if s.schema_name not in tasked | set(report.failures)]
        write(
            f"Districts: {len(report.migrated)} migrated, {len(report.seeded)} seed reloaded, "
            f"{len(failed)} failed, {len(current)} already up to date "
            f"({report.jobs} jobs)."
        )
        if "roles" in report.failures:
            write(f"Database roles: FAILED: {report.failures['roles']}")
        else:
            write(f"Database roles: {report.roles_synced} districts lacked grants, now granted.")
        if verbosity >= 2:
            for state in districts:
                if state.pending:
                    write(f"  {state.schema_name}: {', '.join(state.pending)}")
        for name in sorted(report.failures):
            self.stderr.write(f"FAILED {name}: {report.failures[name]}")
        write(self.style.SUCCESS(f"Done in {report.seconds:.2f} s."))

    def _check(self) -> None:
        states = schema_states()
        behind: list[str] = [_behind_line(state) for state in states if _needs_work(state)]
        if template_snapshot_current() is None:
            behind.append("template snapshot: made from older migrations or seed")
        stale_pool = PooledSchema.objects.exclude(fingerprint=template_fingerprint()).count()
        if stale_pool:
            behind.append(f"pool: {stale_pool} schema(s) made from an older template")
        self.stdout.write(f"Checked {len(states)} schemas.")
        for line in behind:
            self.stdout.write(f"  {line}")
        if behind:
            raise CommandError(
                f"{len(behind)} to bring up to date: run migrate_all.", returncode=EXIT_FAILED
            )
        self.stdout.write(self.style.SUCCESS("Everything is up to date."))


def _needs_work(state: SchemaState) -> bool:
    return state.behind or (state.kind == SchemaKind.DISTRICT and not state.seed_current)


def _behind_line(state: SchemaState) -> str:
    if not state.exists:
        return f"{state.kind} {state.schema_name}: the schema does not exist"
    if state.pending:
        names = ", ".join(state.pending[:5]) + (" ..." if len(state.pending) > 5 else "")
        return f"{state.kind} {state.schema_name}: {len(state.pending)} to apply ({names})"
    return f"{state.kind} {state.schema_name}: seed to reload"
