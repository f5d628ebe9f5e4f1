"""PostgreSQL advisory locks held on a connection of their own.

A session advisory lock lives as long as the session that took it. Django's connection of
the thread is the wrong place for one around migrations: django-tenants closes that
connection after migrating each schema, which silently drops the lock half-way. So the
lock gets a dedicated connection, opened when the block starts and closed (releasing the
lock, whatever happened) when it ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

_LOCK_NOT_AVAILABLE = "55P03"


class AdvisoryLockBusyError(RuntimeError):
    """Another session holds the lock (and the caller chose not to wait, or not longer)."""


@contextmanager
def advisory_lock(lock_id: int, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the session advisory lock ``lock_id`` for the duration of the block.

    ``timeout``: ``None`` waits as long as needed, ``0`` refuses at once when the lock is
    held, a number of seconds bounds the wait. Raises ``AdvisoryLockBusyError`` when refused.
    """
    lock_connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with lock_connection.cursor() as cursor:
            if timeout is not None and timeout <= 0:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_id])
                row = cursor.fetchone()
                if not (row and row[0]):
                    raise AdvisoryLockBusyError(lock_id)
            else:
                if timeout is not None:
                    # lock_timeout bounds the wait for advisory locks too.
                    milliseconds = f"{max(1, round(timeout * 1000))}ms"
                    cursor.execute("SELECT set_config('lock_timeout', %s, false)", [milliseconds])
                try:
                    cursor.execute("SELECT pg_advisory_lock(%s)", [lock_id])
                except OperationalError as error:
                    if _sqlstate(error) == _LOCK_NOT_AVAILABLE:
                        raise AdvisoryLockBusyError(lock_id) from error
                    raise
        yield
    finally:
        lock_connection.close()  # ends the session: the lock is released with it


def _sqlstate(error: OperationalError) -> str | None:
    cause = error.__cause__
    # psycopg 3 names it sqlstate, psycopg2 pgcode.
    return getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
