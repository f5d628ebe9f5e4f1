"""Reading joint metrics: the only way figures leave the store, always suppressed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from apps.metrics.models import MetricValue


@dataclass(frozen=True)
class MetricRow:
    district: str  # slug
    period: date
    dimensions: tuple[tuple[str, str], ...]
    value: int | None  # None when suppressed
    suppressed: bool


@dataclass
class JointMetrics:
    rows: list[MetricRow] = field(default_factory=list)
    # The sum of the values shown; hidden counts are never part of a total.
    total: int = 0
    suppressed_count: int = 0


def joint_metrics(
    *,
    indicator: str,
    period_from: date,
    period_to: date,
    districts: list[str] | None = None,
    group_by: str = "",
) -> JointMetrics:
    """Counts of ``indicator`` per district and month (and per value of ``group_by``).

    One query on the store, whatever the number of districts.
    """
    values = MetricValue.objects.filter(
        indicator=indicator,
        dimension=group_by,
        period__gte=period_from.replace(day=1),
        period__lte=period_to,
    )
    if districts:
        values = values.filter(district__slug__in=districts)
    threshold = settings.METRICS_SUPPRESSION_THRESHOLD
    result = JointMetrics()
    for (
        district_slug,
        period,
        dimension_value,
        value,
        suppressed,
        stored_threshold,
    ) in values.order_by("district__slug", "period", "dimension_value").values_list(
        "district__slug", "period", "dimension_value", "value", "suppressed", "threshold"
    ):
        # A pattern computed for a lower threshold than today's is not trusted.
        hidden = suppressed or stored_threshold < threshold or 0 < value < threshold
        result.rows.append(
            MetricRow(
                district=district_slug,
                period=period,
                dimensions=((group_by, dimension_value),) if group_by else (),
                value=None if hidden else value,
                suppressed=hidden,
            )
        )
        if hidden:
            result.suppressed_count += 1
        else:
            result.total += value
    return result
