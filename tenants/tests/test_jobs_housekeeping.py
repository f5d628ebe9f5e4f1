"""Jobs left "doing" by a worker that died run again (tenants/tasks.py).

Found by bench/faults/pg_restart.py: a database restart stops the worker, its running
metrics job stayed "doing" and its lock held back every later metrics job of the month.
"""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from procrastinate.contrib.django import app

from tenants.tasks import jobs_stalled_requeue

pytestmark = pytest.mark.django_db

TASK = "apps.metrics.tasks.metrics_publish_district_month"


def _worker(seconds_since_heartbeat: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat)"
            " VALUES (now() - make_interval(secs => %s)) RETURNING id",
            [seconds_since_heartbeat],
        )
        return int(cursor.fetchone()[0])


def _job(
    worker_id: int | None, lock: str, *, status: str = "doing", queueing_lock: str | None = None
) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_jobs"
            " (queue_name, task_name, lock, queueing_lock, args, status, worker_id)"
            " VALUES ('default', %s, %s, %s, '{}'::jsonb, %s, %s) RETURNING id",
            [TASK, lock, queueing_lock, status, worker_id],
        )
        return int(cursor.fetchone()[0])


def _status(job_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", [job_id])
        return str(cursor.fetchone()[0])


def test_jobs_of_a_silent_or_vanished_worker_are_requeued_and_a_live_workers_are_not(
    caplog: pytest.LogCaptureFixture,
) -> None:
    orphan = _job(_worker(seconds_since_heartbeat=300), "metrics:2026-03-01")
    unowned = _job(None, "metrics:2026-04-01")  # its worker row was pruned
    running = _job(_worker(seconds_since_heartbeat=2), "metrics:2026-05-01")

    with caplog.at_level(logging.WARNING, logger="tenants.tasks"):
        assert jobs_stalled_requeue() == 2

    assert (_status(orphan), _status(unowned), _status(running)) == ("todo", "todo", "doing")
    assert f"id={orphan} task={TASK}" in caplog.text
    assert jobs_stalled_requeue() == 0  # nothing left to requeue


def test_a_worker_silent_for_less_than_the_delay_keeps_its_jobs() -> None:
    job = _job(_worker(seconds_since_heartbeat=30), "metrics:2026-06-01")
    assert jobs_stalled_requeue() == 0
    assert _status(job) == "doing"


def test_a_stalled_job_whose_work_waits_in_the_queue_already_is_ended_not_requeued(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A write queued the same district-month's recompute while the job ran: that one waits
    # (same queueing lock) behind the stalled one (same lock).
    queueing_lock = "metrics:d_la_perla:2026-03-01"
    stalled = _job(
        _worker(seconds_since_heartbeat=300), "metrics:2026-03-01", queueing_lock=queueing_lock
    )
    waiting = _job(None, "metrics:2026-03-01", status="todo", queueing_lock=queueing_lock)

    with caplog.at_level(logging.WARNING, logger="tenants.tasks"):
        assert jobs_stalled_requeue() == 1

    assert (_status(stalled), _status(waiting)) == ("aborted", "todo")
    assert f"superseded by a waiting one: id={stalled}" in caplog.text


def test_the_requeue_runs_every_minute() -> None:
    (periodic,) = [
        task
        for task in app.periodic_registry.periodic_tasks.values()
        if task.task.name == "tenants.tasks.jobs_stalled_requeue_periodic"
    ]
    assert periodic.cron == "* * * * *"
