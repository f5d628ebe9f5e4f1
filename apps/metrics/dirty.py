"""A write in a district marks its district-month dirty; the publisher recomputes it.

``METRICS_PUBLISH``:

- ``"task"``: a background job (``apps.metrics.tasks``), queued in the writing
  transaction, so it exists only if the write commits. One job per district-month waits
  at a time (a queueing lock): a burst of writes queues one recompute, and a write made
  once the recompute has started queues the next one, so no write is left out;
- ``"sync"``: recomputed in the writing process right after commit (tests of the flow);
- ``"off"``: not at all (``manage.py publish_metrics`` rebuilds).
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.conf import settings
from django.db import connection, transaction


def district_month_changed(day: date) -> None:
    """Call inside the district's schema, in the writing transaction."""
    from apps.metrics.tasks import metrics_publish_district_month

    mode = settings.METRICS_PUBLISH
    schema_name = cast(Any, connection).schema_name
    if mode == "off" or not schema_name.startswith(settings.DISTRICT_SCHEMA_PREFIX):
        return
    period = day.replace(day=1).isoformat()
    if mode == "sync":
        transaction.on_commit(
            lambda: metrics_publish_district_month.run_in(schema_name, period=period)
        )
        return
    metrics_publish_district_month.enqueue(period=period)
