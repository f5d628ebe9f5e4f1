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

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from apps.metrics.labels import R4V_GROUP_LABELS
from apps.metrics.selectors import DISTRICT, joint_metrics
from apps.metrics.ubigeo import department_of, province_of
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
# Who reports: the Mancomunidad appeals, each municipality implements.
APPEALING_ORGANISATION = gettext_lazy("Callao Mancomunidad")
IMPLEMENTING_PARTNER = gettext_lazy("Municipality of %(district)s")

# The beneficiary columns: (dimension, value) in the store, "" for the total.
POPULATION_TYPES = ("in_destination", "in_transit", "pendular", "returnee", "host_community")
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


def _header() -> list[str]:
    from apps.people.models import PopulationGroup

    populations = dict(PopulationGroup.choices)
    return [
        _("Country"),
        _("Region (admin 1)"),
        _("Region code"),
        _("Province (admin 2)"),
        _("Province code"),
        _("District (admin 3)"),
        _("District ubigeo"),
        _("Appealing organisation"),
        _("Implementing partner"),
        _("RMRP sector"),
        _("Indicator"),
        _("Activity"),
        _("Month"),
        *(
            _("Population type: %(type)s") % {"type": populations[value]}
            if dimension == "population_group"
            else str(R4V_GROUP_LABELS[value])
            for dimension, value in BENEFICIARY_COLUMNS
            if dimension
        ),
        _("Total beneficiaries"),
        _("Hidden cells"),
        _("Notes"),
    ]


def _cells(row: FiveWRow, header: list[str]) -> tuple[list[object], set[int]]:
    """One row's cells (hidden and missing counts as None, an empty cell), and the
    positions of the hidden ones."""
    activity = FIVE_W_ACTIVITIES[row.indicator]
    ubigeo = row.district.ubigeo
    counts = [row.counts[column] for column in BENEFICIARY_COLUMNS]
    first = len(header) - len(counts) - 2
    hidden = {first + i for i, count in enumerate(counts) if count is None}
    (region_code, region), (province_code, province) = department_of(ubigeo), province_of(ubigeo)
    cells: list[object] = [
        _("Peru"),
        region,
        region_code,
        province,
        province_code,
        row.district.name,
        ubigeo,
        str(APPEALING_ORGANISATION),
        IMPLEMENTING_PARTNER % {"district": row.district.name},
        str(activity.sector),
        str(activity.indicator),
        str(activity.activity),
        f"{row.period:%Y-%m}",
        *(None if count is None or count == MISSING else count for count in counts),
        "; ".join(header[i] for i in sorted(hidden)),
        _("Breakdown not published for this month yet.") if MISSING in counts else "",
    ]
    return cells, hidden


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    """A text cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """csv.writer writes into this, which hands each line back to the generator."""

    def write(self, line: str) -> str:
        return line


def five_w_csv(rows: Iterable[FiveWRow]) -> Iterator[str]:
    """The export as CSV lines, for a streaming response (UTF-8 with a byte-order mark, so
    Excel keeps the accents). The lines are made after the view has returned, so in the
    language of the request, kept here."""
    language = translation.get_language()

    def lines() -> Iterator[str]:
        with translation.override(language):
            writer = csv.writer(_Echo())
            header = _header()
            yield "\ufeff" + writer.writerow(header)
            for row in rows:
                cells, _hidden_cells = _cells(row, header)
                yield writer.writerow(["" if cell is None else _safe(cell) for cell in cells])

    return lines()


HIDDEN_FILL = PatternFill("solid", start_color="FFF4D6", end_color="FFF4D6")


def five_w_xlsx(rows: Iterable[FiveWRow], *, period_from: date, period_to: date) -> bytes:
    """The export as a workbook: the 5W sheet (hidden cells empty and shaded) and a sheet
    of notes. Written in openpyxl's write-only mode, row by row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("5W")
    header = _header()
    sheet.freeze_panes = "A2"
    for index, title in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(len(title), 40))
    sheet.append([_bold(sheet, title) for title in header])
    for row in rows:
        cells, hidden = _cells(row, header)
        sheet.append(
            [_hidden(sheet) if i in hidden else _safe(cell) for i, cell in enumerate(cells)]
        )
    notes = workbook.create_sheet(_("Notes"))
    for line in _notes(period_from, period_to):
        notes.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bold(sheet: object, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def _hidden(sheet: object) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=None)
    cell.fill = HIDDEN_FILL
    return cell


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
