"""Background work runs in the schema it was queued for (tenants/background.py).

The tests use throwaway procrastinate apps, so the product's periodic jobs stay out of
them: one queues into PostgreSQL through Django's connection (the product's path, in the
test's transaction), the other keeps its jobs in memory for a real worker to run (a
worker's own connection could not see jobs the test has not committed). A task runs in a
worker thread with a database connection of its own, outside the test's transaction: the
probes only read what the session fixture committed (the districts, their accounts).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any, cast

import procrastinate
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import schema_context
from procrastinate.contrib.django import DjangoApp, app
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.testing import InMemoryConnector

from conftest import periodic_timestamp, role_email
from tenants.background import WrongSchemaError, day_of, schema_task
from tenants.models import District

pytestmark = pytest.mark.django_db

# The real Django connector (jobs in PostgreSQL, the test's own transaction).
database_app = DjangoApp(connector=app.connector)
# Jobs in memory, run by a real worker (DjangoApp: it closes each task's connection).
memory_connector = InMemoryConnector()
memory_app = DjangoApp(connector=memory_connector)

seen: list[dict[str, Any]] = []


def _what_the_task_sees(marker: str) -> None:
    tenant = getattr(connection, "tenant", None)
    seen.append(
        {
            "marker": marker,
            "schema": cast(Any, connection).schema_name,
            "district": getattr(tenant, "slug", None),
            # The district's own account table: only there does this account exist.
            "sees_the_district_accounts": get_user_model()
            .objects.filter(username=role_email("la-perla", "coordinator"))
            .exists(),
        }
    )


@schema_task(app=database_app)
def queued_probe(*, marker: str) -> None:
    _what_the_task_sees(marker)


@schema_task(app=memory_app)
def probe(*, marker: str) -> None:
    _what_the_task_sees(marker)


@memory_app.task(name="tenants.tests.test_background.naive_probe")
def naive_probe(*, marker: str) -> None:
    """A plain procrastinate task, without the helper: the bug the helper prevents."""
    _what_the_task_sees(marker)


calls = {"flaky": 0}


@schema_task(app=memory_app, retry=procrastinate.RetryStrategy(max_attempts=3))
def flaky(*, marker: str) -> None:
    calls["flaky"] += 1
    if calls["flaky"] == 1:
        raise ConnectionError("the mail server did not answer")
    _what_the_task_sees(marker)


@pytest.fixture(autouse=True)
def _queue_for_a_worker(settings: Any) -> None:
    settings.TASKS_IMMEDIATE = False
    seen.clear()
    calls["flaky"] = 0
    memory_connector.reset()


def _run_worker() -> None:
    """A worker started from the public schema that stops when no job is left."""
    assert cast(Any, connection).schema_name == "public"
    memory_app.run_worker(wait=False, listen_notify=False, install_signal_handlers=False)


def test_a_district_task_is_queued_in_postgresql_with_its_schema(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        queued_probe.enqueue(marker="helper")
    job = ProcrastinateJob.objects.get(task_name=queued_probe.name)
    assert (job.status, job.args) == ("todo", {"schema_name": "d_la_perla", "marker": "helper"})
    assert seen == []  # a worker runs it


def test_a_task_queued_in_a_district_runs_in_that_district_from_a_public_worker(
    district_a: District,
) -> None:
    with schema_context(district_a.schema_name):
        probe.enqueue(marker="helper")
        naive_probe.defer(marker="naive")

    _run_worker()

    by_marker = {entry["marker"]: entry for entry in seen}
    assert by_marker["helper"] == {
        "marker": "helper",
        "schema": "d_la_perla",
        "district": "la-perla",
        "sees_the_district_accounts": True,
    }
    # Without the helper, the same job runs wherever the worker's connection is: public.
    assert by_marker["naive"]["schema"] == "public"
    assert not by_marker["naive"]["sees_the_district_accounts"]
    assert {job["status"] for job in memory_connector.jobs.values()} == {"succeeded"}


def test_a_task_that_fails_once_is_retried_and_then_succeeds(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        flaky.enqueue(marker="retried")
    _run_worker()
    assert calls["flaky"] == 2
    assert [entry["schema"] for entry in seen] == ["d_la_perla"]  # the retry, in its district
    (job,) = memory_connector.jobs.values()
    assert job["status"] == "succeeded"


def test_a_district_task_is_refused_from_the_public_schema() -> None:
    with pytest.raises(WrongSchemaError):
        probe.enqueue(marker="nowhere")
    with pytest.raises(WrongSchemaError):
        queued_probe.enqueue(marker="nowhere")
    with pytest.raises(WrongSchemaError):
        probe.run_in("public", marker="nowhere")
    assert not memory_connector.jobs
    assert not ProcrastinateJob.objects.exists()


def test_job_arguments_are_scalars_only(district_a: District) -> None:
    with schema_context(district_a.schema_name), pytest.raises(TypeError):
        probe.enqueue(marker={"name": "María"})  # type: ignore[arg-type]


def test_a_job_for_a_district_that_is_gone_is_dropped(
    district_a: District, caplog: pytest.LogCaptureFixture
) -> None:
    District.objects.filter(pk=district_a.pk).update(status=District.Status.ARCHIVED)
    with caplog.at_level(logging.WARNING, logger="tenants.background"):
        assert probe.run_in("d_la_perla", marker="late") is None
        assert probe.run_in("d_nowhere", marker="late") is None
    assert seen == []
    assert "schema=d_nowhere" in caplog.text


def test_immediate_mode_runs_the_task_after_commit_in_its_district(
    district_a: District, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS_IMMEDIATE = True
    with django_capture_on_commit_callbacks(execute=True):
        with schema_context(district_a.schema_name):
            probe.enqueue(marker="now")
        assert seen == []  # not before the commit
    assert [(e["schema"], e["district"]) for e in seen] == [("d_la_perla", "la-perla")]
    assert cast(Any, connection).schema_name == "public"  # the caller's schema is restored
    assert not ProcrastinateJob.objects.exists()


def test_the_reminders_are_scheduled_and_read_the_day_in_lima() -> None:
    schedules = {
        task.task.name.rsplit(".", 1)[-1]: task.cron
        for task in app.periodic_registry.periodic_tasks.values()
    }
    assert schedules == {
        "follow_ups_due_remind_in_every_district": "0 12 * * 1-5",
        "complaints_overdue_remind_in_every_district": "0 12 * * 1-5",
        "documents_expiring_remind_in_every_district": "0 12 * * 1",
        "agreement_deadlines_remind_in_every_district": "0 13 * * 1",
        # The task queue's own housekeeping (tenants/tasks.py).
        "jobs_stalled_requeue_periodic": "* * * * *",
    }
    # 03:00 UTC on 2 March is still 1 March in Lima (UTC-5).
    assert day_of(periodic_timestamp(date(2026, 3, 2)) - 9 * 3600) == date(2026, 3, 1)


def test_a_periodic_fan_out_queues_one_job_per_open_district_and_day(
    district_a: District, district_b: District
) -> None:
    from apps.casework.tasks import follow_ups_due_remind

    District.objects.filter(pk=district_b.pk).update(status=District.Status.ARCHIVED)
    assert follow_ups_due_remind.fan_out is not None
    timestamp = periodic_timestamp(date(2026, 3, 2))
    follow_ups_due_remind.fan_out(timestamp=timestamp)
    follow_ups_due_remind.fan_out(timestamp=timestamp)  # a second run of the same day
    jobs = ProcrastinateJob.objects.filter(task_name=follow_ups_due_remind.name)
    assert [job.args for job in jobs] == [{"schema_name": "d_la_perla", "day": "2026-03-02"}]
