"""Background jobs of the joint metrics (see ``dirty.py`` for when they are queued)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.background import schema_task


# ``lock``: the month's all-district rollup is rewritten by every district's recompute, so
# recomputes of one month run one at a time. ``queueing_lock``: one waiting job per
# district-month.
@schema_task(
    lock="metrics:{period}",
    queueing_lock="metrics:{schema_name}:{period}",
)
def metrics_publish_district_month(*, period: str) -> int:
    """Recompute one district-month (``period``: ISO date of its first day)."""
    from apps.metrics.publisher import metrics_publish

    district = cast(Any, connection).tenant
    # The publisher enters the district's schema itself and writes the public store.
    with schema_context(get_public_schema_name()):
        return metrics_publish(district=district, period=date.fromisoformat(period))
