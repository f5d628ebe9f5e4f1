"""Known counts put into the store the way the publisher puts them (suppression pattern and
all-district sums included), for tests of what readers see."""

from __future__ import annotations

from datetime import date

from django.conf import settings

from apps.metrics.models import MetricValue
from apps.metrics.publisher import metrics_rollup
from apps.metrics.suppression import suppressed_keys
from tenants.models import District


def metric_table_store(
    district: District, period: date, table: dict[str, int], *, indicator: str = "people_served"
) -> dict[str, bool]:
    """Store one district-month ``table`` ("" total, "dimension=value" counts); return
    which keys the pattern hides."""
    threshold = settings.METRICS_SUPPRESSION_THRESHOLD
    hidden = suppressed_keys(table, threshold)
    MetricValue.objects.filter(district=district, period=period, indicator=indicator).delete()
    for key, value in table.items():
        dimension, _sep, dimension_value = key.partition("=")
        MetricValue.objects.create(
            district=district,
            indicator=indicator,
            period=period,
            dimension=dimension,
            dimension_value=dimension_value,
            value=value,
            suppressed=key in hidden,
            threshold=threshold,
        )
    metrics_rollup(period=period)
    return {key: key in hidden for key in table}
