"""Reading joint metrics: the only way figures leave the store, always suppressed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum

from apps.metrics.models import MetricRollup, MetricValue
from tenants.models import District

DISTRICT = "district"


@dataclass(frozen=True)
class MetricRow:
    district: str | None  # the slug, or None when the row adds up several districts
    period: date
    dimensions: tuple[tuple[str, str], ...]
    value: int | None  # None when suppressed
    suppressed: bool


@dataclass
class JointMetrics:
    rows: list[MetricRow] = field(default_factory=list)
    # The sum of the values shown; hidden counts are never part of a total.
    total: int = 0
    # How many district counts were held back (small, or complements of small ones).
    suppressed_count: int = 0


def hidden_counts() -> Q:
    """A stored count that must not be shown (its pattern, or a stricter threshold now)."""
    threshold = settings.METRICS_SUPPRESSION_THRESHOLD
    return Q(suppressed=True) | Q(threshold__lt=threshold) | Q(value__gt=0, value__lt=threshold)


def joint_metrics(
    *,
    indicator: str,
    period_from: date,
    period_to: date,
    districts: list[str] | None = None,
    group_by: list[str] | None = None,
) -> JointMetrics:
    """Counts of ``indicator`` per month, and per value of one dimension of ``group_by``;
    per district when ``group_by`` holds "district", otherwise added up over the districts
    asked for. One query on the store, whatever the number of districts.

    A row that adds up districts adds only their shown counts, so comparing two answers
    that differ by one district never reveals that district's hidden count.
    """
    group_by = group_by or []
    dimension = next((name for name in group_by if name != DISTRICT), "")
    values = MetricValue.objects.filter(
        indicator=indicator,
        dimension=dimension,
        period__gte=period_from.replace(day=1),
        period__lte=period_to,
    )
    if districts:
        values = values.filter(district__slug__in=districts)
    if DISTRICT in group_by:
        return _per_district(values, dimension)
    if not districts:
        from_rollup = _from_rollup(indicator, period_from, period_to, dimension)
        if from_rollup is not None:
            return from_rollup
    return _over_districts(values, dimension)


def _from_rollup(
    indicator: str, period_from: date, period_to: date, dimension: str
) -> JointMetrics | None:
    """All districts: the publisher's monthly sums (one small read, flat in districts);
    None when they were kept for a lower threshold than today's (then summed live)."""
    threshold = settings.METRICS_SUPPRESSION_THRESHOLD
    result = JointMetrics()
    rollups = MetricRollup.objects.filter(
        indicator=indicator,
        dimension=dimension,
        period__gte=period_from.replace(day=1),
        period__lte=period_to,
    ).order_by("period", "dimension_value")
    for rollup in rollups:
        if rollup.threshold < threshold:
            return None
        result.rows.append(
            MetricRow(
                district=None,
                period=rollup.period,
                dimensions=((dimension, rollup.dimension_value),) if dimension else (),
                value=rollup.shown_value,
                suppressed=rollup.held_back > 0,
            )
        )
        result.total += rollup.shown_value
        result.suppressed_count += rollup.held_back
    return result


def _per_district(values: QuerySet[MetricValue], dimension: str) -> JointMetrics:
    result = JointMetrics()
    rows = (
        values.annotate(hidden=Count("pk", filter=hidden_counts()))
        .order_by("district__slug", "period", "dimension_value")
        .values_list("district__slug", "period", "dimension_value", "value", "hidden")
    )
    for district, period, dimension_value, value, hidden in rows:
        result.rows.append(
            MetricRow(
                district=district,
                period=period,
                dimensions=((dimension, dimension_value),) if dimension else (),
                value=None if hidden else value,
                suppressed=bool(hidden),
            )
        )
        if hidden:
            result.suppressed_count += 1
        else:
            result.total += value
    return result


def _over_districts(values: QuerySet[MetricValue], dimension: str) -> JointMetrics:
    result = JointMetrics()
    rows = (
        values.values("period", "dimension_value")
        .annotate(
            shown=Sum("value", filter=~hidden_counts()),
            held_back=Count("pk", filter=hidden_counts()),
        )
        .order_by("period", "dimension_value")
    )
    for row in rows:
        shown = row["shown"] or 0
        result.rows.append(
            MetricRow(
                district=None,
                period=row["period"],
                dimensions=((dimension, row["dimension_value"]),) if dimension else (),
                value=shown,
                suppressed=row["held_back"] > 0,
            )
        )
        result.total += shown
        result.suppressed_count += row["held_back"]
    return result


def metrics_published() -> bool:
    """Whether the publisher has stored anything yet (the portal's empty state)."""
    return MetricValue.objects.exists()


def metric_districts() -> list[District]:
    """Districts a reader may choose among, archived ones included (their past figures
    stay in the store)."""
    return list(District.objects.order_by("name"))


@dataclass(frozen=True)
class OwnMetricRow:
    period: date
    dimension: str  # "" for the month's total
    dimension_value: str
    value: int  # never suppressed: the district's own figure
    hidden_in_portal: bool  # what the shared portal does with this count


def district_own_metrics(
    *, district: District, indicator: str, period_from: date, period_to: date, dimension: str = ""
) -> list[OwnMetricRow]:
    """One district's own counts of ``indicator`` per month: the totals and, when asked, the
    counts by ``dimension``. Unsuppressed, so only for that district's own workspace; the
    district is the caller's, never a parameter a user chooses."""
    values = (
        MetricValue.objects.filter(
            district=district,
            indicator=indicator,
            dimension__in={"", dimension},
            period__gte=period_from.replace(day=1),
            period__lte=period_to,
        )
        .annotate(hidden=Count("pk", filter=hidden_counts()))
        .order_by("period", "dimension", "dimension_value")
        .values_list("period", "dimension", "dimension_value", "value", "hidden")
    )
    return [
        OwnMetricRow(
            period=period,
            dimension=dimension,
            dimension_value=dimension_value,
            value=value,
            hidden_in_portal=bool(hidden),
        )
        for period, dimension, dimension_value, value, hidden in values
    ]
