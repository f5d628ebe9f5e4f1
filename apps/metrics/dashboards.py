"""What the metrics pages show, read through the selectors and shaped by figures.py.

The portal's figures come from ``joint_metrics`` only (suppressed); a district's own page
from ``district_own_metrics`` (its own store rows, unsuppressed).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from apps.metrics.figures import (
    NOT_PUBLISHED,
    BarRow,
    Cell,
    ColumnChart,
    MonthFigure,
    bar_rows,
    column_chart,
    combine,
    joint_cell,
    months_between,
    own_cell,
)
from apps.metrics.indicators import Indicator
from apps.metrics.labels import dimension_label, value_label, value_order
from apps.metrics.selectors import DISTRICT, MetricRow, district_own_metrics, joint_metrics
from tenants.models import District


@dataclass(frozen=True)
class Figures:
    indicator: Indicator
    dimension: str
    dimension_label: str
    months: list[MonthFigure]
    chart: ColumnChart
    by_value: list[BarRow]
    by_district: list[BarRow] = field(default_factory=list)

    @property
    def average(self) -> bool:
        """Period figures are monthly averages (people per month), not sums."""
        return self.indicator.people_per_month

    @property
    def any_published(self) -> bool:
        return any(figure.cell.published for figure in self.months)


def _by_value(
    dimension: str,
    cells: dict[str, dict[date, Cell]],
    months: list[date],
    *,
    average: bool,
    floor: int = 0,
) -> list[BarRow]:
    """Per value of the dimension, its figure over the months with a published total (a
    value missing from a published month counted nobody that month)."""
    return bar_rows(
        (
            (
                value,
                value_label(dimension, value),
                combine(
                    (by_month.get(month, Cell(0)) for month in months),
                    average=average,
                    floor=floor,
                ),
            )
            for value, by_month in cells.items()
        ),
        value_order(dimension),
    )


def joint_figures(
    *,
    indicator: Indicator,
    period_from: date,
    period_to: date,
    districts: list[District],
    dimension: str,
    every_district: list[District],
) -> Figures:
    """The portal's figures for the districts chosen (none chosen: all of them). Three reads
    of the store, whatever the number of districts or months."""

    def read(group_by: list[str] | None = None) -> list[MetricRow]:
        return joint_metrics(
            indicator=indicator.code,
            period_from=period_from,
            period_to=period_to,
            districts=[district.slug for district in districts] or None,
            group_by=group_by,
        ).rows

    totals = {row.period: joint_cell(row) for row in read()}
    cells: dict[str, dict[date, Cell]] = defaultdict(dict)
    for row in read([dimension]):
        cells[row.dimensions[0][1]][row.period] = joint_cell(row)
    per_district: dict[str, dict[date, Cell]] = defaultdict(dict)
    for row in read([DISTRICT]):
        per_district[str(row.district)][row.period] = joint_cell(row)

    months = months_between(period_from, period_to)
    series = [MonthFigure(month, totals.get(month, NOT_PUBLISHED)) for month in months]
    # None chosen: every district still on the platform, and archived ones with figures.
    scope = districts or [
        district
        for district in every_district
        if district.status != District.Status.ARCHIVED or district.slug in per_district
    ]
    average = indicator.people_per_month
    threshold = settings.METRICS_SUPPRESSION_THRESHOLD
    return Figures(
        indicator=indicator,
        dimension=dimension,
        dimension_label=dimension_label(dimension),
        months=series,
        chart=column_chart(series),
        by_value=_by_value(dimension, cells, sorted(totals), average=average, floor=threshold),
        by_district=bar_rows(
            (
                district.slug,
                district.name,
                combine(
                    (per_district[district.slug].get(month, NOT_PUBLISHED) for month in months),
                    average=average,
                    floor=threshold,
                ),
            )
            for district in scope
        ),
    )


def district_figures(
    *, district: District, indicator: Indicator, period_from: date, period_to: date, dimension: str
) -> Figures:
    """A district's own figures (unsuppressed), for its own workspace only."""
    rows = district_own_metrics(
        district=district,
        indicator=indicator.code,
        period_from=period_from,
        period_to=period_to,
        dimension=dimension,
    )
    totals = {row.period: own_cell(row) for row in rows if not row.dimension}
    cells: dict[str, dict[date, Cell]] = defaultdict(dict)
    for row in rows:
        if row.dimension:
            cells[row.dimension_value][row.period] = own_cell(row)
    series = [
        MonthFigure(m, totals.get(m, NOT_PUBLISHED)) for m in months_between(period_from, period_to)
    ]
    return Figures(
        indicator=indicator,
        dimension=dimension,
        dimension_label=dimension_label(dimension),
        months=series,
        chart=column_chart(series),
        by_value=_by_value(dimension, cells, sorted(totals), average=indicator.people_per_month),
    )
