"""Figures shaped for pages: cells that know whether they are hidden, series over months,
rows of bars, and the geometry of a column chart drawn by the server as inline SVG.

No reads here: the callers pass what the selectors returned.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from apps.metrics.selectors import MetricRow, OwnMetricRow


@dataclass(frozen=True)
class Cell:
    """One figure as a page shows it.

    ``value`` None with ``published``: hidden (a marker, never a number). A value with
    ``held_back``: it adds up shown counts only, some were held back.
    """

    value: float | None = None
    held_back: bool = False
    published: bool = True
    # In a district's own pages: this count is hidden in the shared portal.
    hidden_in_portal: bool = False

    @property
    def hidden(self) -> bool:
        return self.published and self.value is None


NOT_PUBLISHED = Cell(published=False)


def _cell(value: float, *, held_back: bool, hidden_in_portal: bool = False) -> Cell:
    # Nothing shown and something held back: the marker alone, not "0 + hidden".
    if held_back and not value:
        return Cell(None, held_back=True, hidden_in_portal=hidden_in_portal)
    return Cell(value, held_back=held_back, hidden_in_portal=hidden_in_portal)


def joint_cell(row: MetricRow) -> Cell:
    if row.value is None:
        return Cell(None, held_back=True)
    return _cell(row.value, held_back=row.suppressed)


def own_cell(row: OwnMetricRow) -> Cell:
    return Cell(row.value, hidden_in_portal=row.hidden_in_portal)


def combine(cells: Iterable[Cell], *, average: bool, floor: int = 0) -> Cell:
    """The figure of a period from its monthly cells: the sum of the counts shown, or (for
    people counted once per month, who must not be added up over months) their average
    over the months with a shown count. Hidden months are left out and flagged.

    An average below ``floor`` (the suppression threshold, in the shared portal) is shown
    as hidden too: it reveals nothing, but a figure from 1 to 4 must never appear there."""
    published = [cell for cell in cells if cell.published]
    if not published:
        return NOT_PUBLISHED
    shown = [cell.value for cell in published if cell.value is not None]
    held_back = any(cell.held_back or cell.value is None for cell in published)
    in_portal = any(cell.hidden_in_portal for cell in published)
    if not shown:
        return Cell(None, held_back=True, hidden_in_portal=in_portal)
    total = sum(shown)
    value = round(total / len(shown), 1) if average else total
    if 0 < value < floor:
        return Cell(None, held_back=True, hidden_in_portal=in_portal)
    return _cell(value, held_back=held_back, hidden_in_portal=in_portal)


def months_between(first: date, last: date) -> list[date]:
    months = []
    index = first.year * 12 + first.month - 1
    while (month := date(index // 12, index % 12 + 1, 1)) <= last:
        months.append(month)
        index += 1
    return months


def month_count(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


@dataclass(frozen=True)
class MonthFigure:
    period: date
    cell: Cell


@dataclass(frozen=True)
class BarRow:
    key: str
    label: str
    cell: Cell
    percent: int  # of the largest figure shown, for drawing


def bar_rows(
    items: Iterable[tuple[str, str, Cell]], order: list[str] | None = None
) -> list[BarRow]:
    """(key, label, cell) as bars: in ``order`` when given, else largest first; hidden and
    unpublished figures last, whatever their (unknown) size."""
    items = list(items)
    top = max((cell.value or 0 for _key, _label, cell in items), default=0) or 1
    position = {key: index for index, key in enumerate(order or [])}

    def sort_key(item: tuple[str, str, Cell]) -> tuple[int, float, str]:
        key, label, cell = item
        if order:
            return (0, position.get(key, len(position)), label)
        return (int(cell.value is None), -(cell.value or 0), label)

    return [
        BarRow(key, label, cell, round(100 * (cell.value or 0) / top))
        for key, label, cell in sorted(items, key=sort_key)
    ]


# The column chart's drawing box (SVG user units; the SVG scales to the page's width).
CHART_WIDTH = 640
CHART_HEIGHT = 260
PLOT_LEFT = 48
PLOT_TOP = 16
PLOT_BOTTOM = 216  # month labels below, on two lines
MAX_LABELS = 12


@dataclass(frozen=True)
class Column:
    period: date
    cell: Cell
    x: float
    width: float
    y: float
    height: float
    centre: float
    labelled: bool  # month names are written under every n-th column only
    with_year: bool  # the year under the first labelled month of each year

    @property
    def mark_y(self) -> float:
        """Where the hidden-count marker goes: just above the column."""
        return round(self.y - 5, 1)


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    ticks: list[Tick]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = PLOT_LEFT
    top: int = PLOT_TOP
    bottom: int = PLOT_BOTTOM
    tick_x: int = PLOT_LEFT - 6
    month_y: int = PLOT_BOTTOM + 17
    year_y: int = PLOT_BOTTOM + 33


def _nice_step(largest: float) -> int:
    """A step of 1, 2 or 5 times a power of ten giving at most four steps up to ``largest``."""
    rough = max(largest / 4, 1)
    power = 10 ** math.floor(math.log10(rough))
    return next(f * power for f in (1, 2, 5, 10) if f * power >= rough)


def column_chart(series: list[MonthFigure]) -> ColumnChart:
    """Columns of the shown values (a hidden month has none: the template marks it)."""
    largest = max((figure.cell.value or 0 for figure in series), default=0)
    step = _nice_step(largest)
    top_value = step * max(1, math.ceil(largest / step))
    plot_height = PLOT_BOTTOM - PLOT_TOP
    slot = (CHART_WIDTH - PLOT_LEFT) / max(1, len(series))
    every = math.ceil(len(series) / MAX_LABELS) or 1
    columns = []
    labelled_year = 0
    for index, figure in enumerate(series):
        labelled = index % every == 0
        with_year = labelled and figure.period.year != labelled_year
        labelled_year = figure.period.year if labelled else labelled_year
        height = plot_height * (figure.cell.value or 0) / top_value
        x = PLOT_LEFT + index * slot
        columns.append(
            Column(
                period=figure.period,
                cell=figure.cell,
                x=round(x + slot * 0.15, 1),
                width=round(slot * 0.7, 1),
                y=round(PLOT_BOTTOM - height, 1),
                height=round(height, 1),
                centre=round(x + slot / 2, 1),
                labelled=labelled,
                with_year=with_year,
            )
        )
    ticks = [
        Tick(value, round(PLOT_BOTTOM - plot_height * value / top_value, 1))
        for value in range(0, top_value + 1, step)
    ]
    return ColumnChart(columns=columns, ticks=ticks)
