"""Housekeeping of the task queue: jobs left "doing" by a worker that died run again.

procrastinate's worker stops on purpose when it loses its database connection (a database
restart or failover) and its supervisor (compose's restart policy, a Kubernetes
Deployment) starts a new one. The jobs the old worker was running stay "doing" in the job
table for ever, and a job that holds a ``lock`` (the joint metrics' ``metrics:{period}``)
then blocks every later job with that lock: measured with bench/faults/pg_restart.py, the
metrics of the month stopped being published after one restart. A periodic job puts the
jobs of workers that stopped sending heartbeats back to "todo" (procrastinate's own
recipe), or ends them when the same work already waits in the queue; each task here is
safe to run twice (recomputes, or an e-mail sent again).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context
from procrastinate import sql
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.exceptions import UniqueViolation

logger = logging.getLogger(__name__)

# A worker writes a heartbeat every 10 s (procrastinate's default); one silent this long
# is gone, so its running jobs are orphans.
STALLED_AFTER_SECONDS = 60
# Through Django's connection, in the worker as anywhere else (the worker's own connector
# is asynchronous; this task is not).
_queries = DjangoConnector()


def jobs_stalled_requeue(*, seconds_since_heartbeat: float = STALLED_AFTER_SECONDS) -> int:
    """Put the "doing" jobs of workers silent for ``seconds_since_heartbeat`` (or gone from
    the worker table) back to "todo", to run now; return how many were handled.

    A job whose ``queueing_lock`` is taken by a job already waiting (a write queued the
    same recompute while it ran) cannot wait beside it, and need not: the waiting job does
    the same work. It is marked "aborted" instead, which also releases its ``lock``.
    """
    with schema_context(get_public_schema_name()):  # the job tables are in the public schema
        rows = _queries.execute_query_all(
            query=sql.queries["select_stalled_jobs_by_heartbeat"],
            queue=None,
            task_name=None,
            seconds_since_heartbeat=seconds_since_heartbeat,
        )
        for row in rows:
            # Ids and task names only: job arguments never go to the logs from here.
            try:
                with transaction.atomic():
                    _queries.execute_query(
                        query=sql.queries["retry_job"],
                        job_id=row["id"],
                        retry_at=timezone.now(),
                        new_priority=None,
                        new_queue_name=None,
                        new_lock=None,
                    )
            except UniqueViolation:
                _queries.execute_query(
                    query=sql.queries["finish_job"],
                    job_id=row["id"],
                    status="aborted",
                    delete_job=False,
                )
                logger.warning(
                    "stalled job superseded by a waiting one: id=%s task=%s",
                    row["id"],
                    row["task_name"],
                )
            else:
                logger.warning("stalled job requeued: id=%s task=%s", row["id"], row["task_name"])
    return len(rows)


# Every minute: a restart's orphans wait at most about a minute past the stall delay.
@app.periodic(cron="* * * * *")
@app.task(
    name="tenants.tasks.jobs_stalled_requeue_periodic",
    queueing_lock="tenants.tasks.jobs_stalled_requeue_periodic",
    retry=False,
)
def jobs_stalled_requeue_periodic(timestamp: int) -> int:
    return jobs_stalled_requeue()
