"""Background work: every task names the schema it works in and enters it itself.

Jobs are kept in PostgreSQL by procrastinate (its tables are in the public schema) and run
by ``manage.py procrastinate worker``. A worker's connection starts in the public schema
and a pool thread keeps whatever schema its last job left, so a task must never rely on
the schema it happens to find: ``@schema_task`` records the schema the connection is in
when the task is queued (``task.enqueue(...)``) or the one named (``task.enqueue_in``),
and the worker enters exactly that schema (with the district as ``connection.tenant``)
before calling the function. A district task queued from the public schema is refused
at once, and a job for a schema that is no longer an open district is dropped, logged.

``@district_periodic(cron=...)`` makes a district task that also runs on a schedule in
every open district: a periodic job in the public schema lists the districts and queues
one job per district schema (this fan-out enters no district itself).

Job arguments are stored in the public schema's job table and written in the worker's
log lines: ids, codes and dates only, never personal data (scalars are enforced here).

``TASKS_IMMEDIATE`` runs a task in the process that queued it, right after the commit
(as a worker would see it), through the same schema entry; tests and development use it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, Generic, ParamSpec, TypeVar, cast

import procrastinate
from django.conf import settings
from django.db import connection, transaction
from django.urls import get_urlconf, set_urlconf
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context
from procrastinate.contrib.django import app as django_app
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.tasks import Task

from config.request_context import district_scope

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

SCHEMA_ARGUMENT = "schema_name"
# Transient failures (database restart, mail server down) are retried after about 4 s,
# 16 s, 1 min and 4 min; then the job stays "failed" in the job table for a look.
DEFAULT_RETRY = procrastinate.RetryStrategy(max_attempts=5, exponential_wait=4)
JOB_ARGUMENT_TYPES = (str, int, bool, type(None))


class WrongSchemaError(RuntimeError):
    """A district task asked to run outside a district."""


def current_schema_name() -> str:
    return str(cast(Any, connection).schema_name)


@contextmanager
def _urlconf(urlconf: str) -> Iterator[None]:
    """Links built inside a task (``reverse``) use the URL map of the schema's host."""
    previous = get_urlconf()
    set_urlconf(urlconf)
    try:
        yield
    finally:
        set_urlconf(previous)


def run_in_schema(
    schema_name: str, func: Callable[..., R], kwargs: dict[str, Any], *, district_only: bool
) -> R | None:
    """Call ``func(**kwargs)`` inside ``schema_name``; None when the district is gone."""
    from tenants.models import District

    public = get_public_schema_name()
    if schema_name == public:
        if district_only:
            raise WrongSchemaError(f"{func.__name__} runs in a district schema, not {public}")
        with (
            schema_context(public),
            _urlconf(settings.PUBLIC_SCHEMA_URLCONF),
            district_scope(public),
        ):
            return func(**kwargs)
    with schema_context(public):
        district = (
            District.objects.filter(schema_name=schema_name)
            .exclude(status=District.Status.ARCHIVED)
            .first()
        )
    if district is None:
        logger.warning(
            "task dropped: task=%s schema=%s (no open district)", func.__name__, schema_name
        )
        return None
    # district_scope: the task's log lines and Sentry events name the district, and so does
    # the worker's failure report, made once the schema is left.
    with tenant_context(district), _urlconf(settings.ROOT_URLCONF), district_scope(schema_name):
        return func(**kwargs)


class SchemaTask(Generic[P, R]):
    """A function run in the background inside the schema it was queued for."""

    def __init__(
        self,
        func: Callable[P, R],
        *,
        task: Task[Any, Any, Any],
        district_only: bool,
        lock: str | None,
        queueing_lock: str | None,
    ) -> None:
        self.func = func
        self.task = task
        self.district_only = district_only
        self.lock = lock
        self.queueing_lock = queueing_lock
        # Set by @district_periodic: the public-schema job that queues this task per district.
        self.fan_out: Callable[..., int] | None = None

    @property
    def name(self) -> str:
        return self.task.name

    def enqueue(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Queue the task for the schema the connection is in now."""
        self.enqueue_in(current_schema_name(), *args, **kwargs)

    def enqueue_in(self, schema_name: str, /, *args: P.args, **kwargs: P.kwargs) -> None:
        """Queue the task for ``schema_name`` (a district's, or the public one)."""
        if args:
            raise TypeError("Task arguments are keyword-only (they are stored by name).")
        if self.district_only and not schema_name.startswith(settings.DISTRICT_SCHEMA_PREFIX):
            raise WrongSchemaError(f"{self.name} runs in a district schema, not {schema_name}")
        if SCHEMA_ARGUMENT in kwargs:
            raise TypeError(f"{SCHEMA_ARGUMENT} is set by the helper, not by the caller.")
        for key, value in kwargs.items():
            if not isinstance(value, JOB_ARGUMENT_TYPES):
                raise TypeError(f"{self.name}: {key} must be an id, a code or a date string.")
        if settings.TASKS_IMMEDIATE:
            transaction.on_commit(lambda: self.run_in(schema_name, **kwargs))
            return
        values: dict[str, Any] = {SCHEMA_ARGUMENT: schema_name, **kwargs}
        options: dict[str, Any] = {}
        if self.lock:
            options["lock"] = self.lock.format(**values)
        if self.queueing_lock:
            options["queueing_lock"] = self.queueing_lock.format(**values)
        try:
            # In the caller's transaction (the job exists only if its write commits), in a
            # savepoint: a job refused by its queueing lock must not spoil that transaction.
            with transaction.atomic():
                self.task.configure(**options).defer(**values)
        except AlreadyEnqueued:
            logger.debug("task already waiting: task=%s schema=%s", self.name, schema_name)

    def run_in(self, schema_name: str, /, **kwargs: Any) -> R | None:
        """Run now, in this process, inside ``schema_name`` (what the worker does)."""
        return run_in_schema(schema_name, self.func, kwargs, district_only=self.district_only)


def schema_task(
    *,
    district_only: bool = True,
    retry: procrastinate.BaseRetryStrategy | bool | int = DEFAULT_RETRY,
    queue: str = "default",
    lock: str | None = None,
    queueing_lock: str | None = None,
    app: procrastinate.App | None = None,
) -> Callable[[Callable[P, R]], SchemaTask[P, R]]:
    """Declare a background task that runs inside the schema it is queued for.

    ``lock`` (no two such jobs run at once) and ``queueing_lock`` (no two such jobs wait
    at once: a second is dropped) are formatted with the job's arguments, ``schema_name``
    included, e.g. ``"metrics:{period}"``. ``app`` is for tests (a throwaway app).
    """

    def decorate(func: Callable[P, R]) -> SchemaTask[P, R]:
        name = f"{func.__module__}.{func.__name__}"

        def job(**kwargs: Any) -> Any:
            schema_name = kwargs.pop(SCHEMA_ARGUMENT)
            return run_in_schema(schema_name, func, kwargs, district_only=district_only)

        job.__name__ = func.__name__
        job.__qualname__ = func.__qualname__
        job.__module__ = func.__module__
        job.__doc__ = func.__doc__
        task = (app or django_app).task(name=name, retry=retry, queue=queue)(job)
        return SchemaTask(
            func, task=task, district_only=district_only, lock=lock, queueing_lock=queueing_lock
        )

    return decorate


def open_district_schemas() -> list[str]:
    """Schemas of the districts that are not archived (suspended ones still get reminders:
    their workspace stays readable and the work is still due)."""
    from tenants.models import District

    with schema_context(get_public_schema_name()):
        return list(
            District.objects.exclude(status=District.Status.ARCHIVED)
            .order_by("schema_name")
            .values_list("schema_name", flat=True)
        )


def day_of(timestamp: int) -> date:
    """The local calendar day (TIME_ZONE) of a periodic job's UTC timestamp."""
    return timezone.localtime(datetime.fromtimestamp(timestamp, tz=UTC)).date()


def district_periodic(
    *,
    cron: str,
    retry: procrastinate.BaseRetryStrategy | bool | int = DEFAULT_RETRY,
    app: procrastinate.App | None = None,
) -> Callable[[Callable[..., R]], SchemaTask[..., R]]:
    """A district task taking ``day`` (ISO date) that also runs in every open district on
    a schedule. ``cron`` is read in UTC (Lima is UTC-5 all year: 12:00 UTC is 07:00)."""

    def decorate(func: Callable[..., R]) -> SchemaTask[..., R]:
        # One waiting job per task, district and day: a second fan-out of the same day
        # (two workers, a manual run) queues nothing more.
        name = f"{func.__module__}.{func.__name__}"
        district_task = schema_task(
            retry=retry, queueing_lock=name + ":{schema_name}:{day}", app=app
        )(func)

        def fan_out(timestamp: int) -> int:
            day = day_of(timestamp).isoformat()
            with schema_context(get_public_schema_name()):
                schemas = open_district_schemas()
                for schema_name in schemas:
                    district_task.enqueue_in(schema_name, day=day)
            logger.info(
                "periodic job queued: task=%s districts=%d", district_task.name, len(schemas)
            )
            return len(schemas)

        fan_out.__name__ = f"{func.__name__}_in_every_district"
        fan_out.__module__ = func.__module__
        target = app or django_app
        periodic = target.periodic(cron=cron)(
            target.task(name=f"{name}_in_every_district", retry=retry)(fan_out)
        )
        district_task.fan_out = periodic.func
        return district_task

    return decorate
