"""The GTRM 5W export of the joint figures, as XLSX or CSV.

One row per district, month and exported indicator, in the 5W shape (DOMAIN.md): who
(appealing organisation, implementing partner), what (RMRP sector, indicator, activity),
where (country, region, province, district by ubigeo), when (month), for whom (people by
population type, and by sex and age). Months are never added up.

Every count is read through ``joint_metrics``, so it is suppressed exactly as on the
dashboard: a hidden count is an empty cell, named in the "Hidden cells" column, and never
written as a number, not even in a total.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.metrics.fivew_layout import (
    APPEALING_ORGANISATION,
    IMPLEMENTING_PARTNER,
    POPULATION_TYPES,
    FiveWLine,
    five_w_csv_lines,
    five_w_workbook,
    where,
)
from apps.metrics.labels import R4V_GROUP_LABELS
from apps.metrics.selectors import DISTRICT, joint_metrics
from tenants.models import District


@dataclass(frozen=True)
class FiveWActivity:
    sector: str | Promise
    indicator: str | Promise
    activity: str | Promise


# Which joint indicators the 5W carries, and as what. The RMRP wording is the platform's
# reading of the GTRM Peru form: verify it against the current form (DOMAIN.md) and change
# it here only. Only indicators that count people are exported, since 5W beneficiaries are
# persons, never services: "attentions" (services given) and "referrals" stay out, and
# "people_registered" is not an activity. People served are counted once per month.
FIVE_W_ACTIVITIES = {
    "people_served": FiveWActivity(
        sector=gettext_lazy("Protection"),
        indicator=gettext_lazy("People receiving orientation, information or legal counselling"),
        activity=gettext_lazy(
            "Orientation at the Municipal Office for Migrants, Refugees and Returnees"
        ),
    ),
}

# The beneficiary columns: (dimension, value) in the store, "" for the total.
BENEFICIARY_COLUMNS: list[tuple[str, str]] = [
    *(("population_group", value) for value in POPULATION_TYPES),
    *(("r4v_group", value) for value in R4V_GROUP_LABELS),
    ("", ""),
]
BREAKDOWNS = ("population_group", "r4v_group")

Count = int | None  # None: hidden
MISSING = -1  # a breakdown the publisher has not stored for that month yet


@dataclass(frozen=True)
class FiveWRow:
    district: District
    indicator: str
    period: date
    counts: dict[tuple[str, str], Count]


def five_w_rows(
    *, period_from: date, period_to: date, districts: list[District], every_district: list[District]
) -> list[FiveWRow]:
    """The rows of the export: three reads of the store per exported indicator."""
    scope = districts or every_district
    by_slug = {district.slug: district for district in scope}
    rows = []
    for code in FIVE_W_ACTIVITIES:
        counts: dict[tuple[str, date], dict[tuple[str, str], Count]] = {}
        for dimension in ("", *BREAKDOWNS):
            result = joint_metrics(
                indicator=code,
                period_from=period_from,
                period_to=period_to,
                districts=[district.slug for district in districts] or None,
                group_by=[DISTRICT, dimension] if dimension else [DISTRICT],
            )
            for row in result.rows:
                value = row.dimensions[0][1] if row.dimensions else ""
                counts.setdefault((str(row.district), row.period), {})[(dimension, value)] = (
                    row.value
                )
        rows += [
            FiveWRow(by_slug[slug], code, period, _complete(cells))
            for (slug, period), cells in counts.items()
            if slug in by_slug and ("", "") in cells  # a published district-month
        ]
    return sorted(rows, key=lambda row: (row.district.name, row.period, row.indicator))


def _complete(cells: dict[tuple[str, str], Count]) -> dict[tuple[str, str], Count]:
    """Every beneficiary column: a value absent from a stored breakdown counted nobody; a
    breakdown absent altogether (published before it existed) is MISSING, unless the
    month's total is 0."""
    stored = {dimension for dimension, _value in cells}
    total = cells[("", "")]
    return {
        column: cells.get(column, 0 if column[0] in stored or total == 0 else MISSING)
        for column in BENEFICIARY_COLUMNS
    }


def _line(row: FiveWRow) -> FiveWLine:
    """One row of the file; hidden counts are named, and never written."""
    activity = FIVE_W_ACTIVITIES[row.indicator]
    counts = {
        (f"population:{value}" if dimension == "population_group" else value or "total"): count
        for (dimension, value), count in row.counts.items()
    }
    return FiveWLine(
        values={
            **where(row.district.name, row.district.ubigeo),
            "appealing_organisation": str(APPEALING_ORGANISATION),
            "implementing_partner": IMPLEMENTING_PARTNER % {"district": row.district.name},
            "sector": str(activity.sector),
            "indicator": str(activity.indicator),
            "activity": str(activity.activity),
            "month": f"{row.period:%Y-%m}",
            **{
                key: count
                for key, count in counts.items()
                if count is not None and count != MISSING
            },
            "source": _("Joint metrics (suppressed)"),
            "notes": _("Breakdown not published for this month yet.")
            if MISSING in counts.values()
            else "",
        },
        hidden={key for key, count in counts.items() if count is None},
    )


def five_w_csv(rows: Iterable[FiveWRow]) -> Iterator[str]:
    return five_w_csv_lines(_line(row) for row in rows)


def five_w_xlsx(rows: Iterable[FiveWRow], *, period_from: date, period_to: date) -> bytes:
    return five_w_workbook((_line(row) for row in rows), notes=_notes(period_from, period_to))


def _notes(period_from: date, period_to: date) -> list[str]:
    threshold = settings.METRICS_SUPPRESSION_THRESHOLD
    return [
        _("GTRM 5W export of the joint figures of the Callao Mancomunidad."),
        _("Months: %(start)s to %(end)s. Made on %(day)s.")
        % {
            "start": f"{period_from:%Y-%m}",
            "end": f"{period_to:%Y-%m}",
            "day": timezone.localdate().strftime("%d/%m/%Y"),
        },
        _(
            "Hidden cells are empty (shaded) and named in the “Hidden cells” column: counts "
            "from 1 to %(max)d, and counts that would let someone work one out, are never "
            "shown outside the district that recorded them. An empty cell is not a zero."
        )
        % {"max": threshold - 1},
        _(
            "Beneficiaries are people, counted once per month in each district: adding up "
            "months (or districts) may count a person more than once."
        ),
        _(
            "Sector, indicator and activity names follow the platform's mapping; verify them "
            "against the current GTRM Peru form."
        ),
    ]


def five_w_filename(period_from: date, period_to: date, file_format: str) -> str:
    return f"gtrm-5w-{period_from:%Y-%m}_{period_to:%Y-%m}.{file_format}"
