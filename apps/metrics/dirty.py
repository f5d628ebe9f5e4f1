"""A write in a district marks its district-month dirty; the publisher recomputes it after
commit. Until the task queue lands (issue 8) the recompute runs in a background thread of
the process that wrote (``METRICS_PUBLISH = "thread"``), synchronously (``"sync"``, for
tests of the flow) or not at all (``"off"``; ``manage.py publish_metrics`` rebuilds)."""

from __future__ import annotations

import logging
import threading
from datetime import date
from typing import Any, cast

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger(__name__)


def district_month_changed(day: date) -> None:
    """Call inside the district's schema, in the writing transaction."""
    mode = settings.METRICS_PUBLISH
    schema_name = cast(Any, connection).schema_name
    if mode == "off" or not schema_name.startswith(settings.DISTRICT_SCHEMA_PREFIX):
        return
    period = day.replace(day=1)
    transaction.on_commit(lambda: _publish_later(schema_name, period, mode))


# District-months waiting for their thread in this process: a burst of writes to one
# district-month starts one recompute, not one per write.
_pending: set[tuple[str, date]] = set()
_pending_lock = threading.Lock()


def _publish_later(schema_name: str, period: date, mode: str) -> None:
    if mode == "sync":
        _publish(schema_name, period)
        return
    with _pending_lock:
        if (schema_name, period) in _pending:
            return
        _pending.add((schema_name, period))
    threading.Thread(target=_publish_in_thread, args=(schema_name, period), daemon=True).start()


def _publish(schema_name: str, period: date) -> None:
    from apps.metrics.publisher import metrics_publish
    from tenants.db import use_public_schema
    from tenants.models import District

    previous = getattr(cast(Any, connection), "tenant", None)
    use_public_schema()
    try:
        metrics_publish(district=District.objects.get(schema_name=schema_name), period=period)
    finally:
        if previous is not None:
            cast(Any, connection).set_tenant(previous)


def _publish_in_thread(schema_name: str, period: date) -> None:
    with _pending_lock:
        _pending.discard((schema_name, period))  # later writes start a new recompute
    try:
        _publish(schema_name, period)
    except Exception:
        logger.exception("metrics publish failed: schema=%s period=%s", schema_name, period)
    finally:
        connection.close()
