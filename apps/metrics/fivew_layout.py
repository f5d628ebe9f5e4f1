"""The GTRM 5W layout: its columns, in order, and the CSV and XLSX writers.

The one place that knows the template: both the district's own 5W export (its typed and
derived activity rows) and the secretariat's joint export (the suppressed store) write
rows as ``{column key: value}`` through here, so a changed GTRM form is one edit below.
Column names follow the platform's reading of the GTRM Peru form (DOMAIN.md): verify them
against the current form.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from apps.metrics.labels import R4V_GROUP_LABELS

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POPULATION_TYPES = ("in_destination", "in_transit", "pendular", "returnee", "host_community")


class _PopulationHeader:
    """A header translated when written (the population labels live in the people app)."""

    def __init__(self, value: str) -> None:
        self.value = value

    def __str__(self) -> str:
        from apps.people.models import PopulationGroup

        label = dict(PopulationGroup.choices)[self.value]
        return str(_("Population type: %(type)s") % {"type": label})


@dataclass(frozen=True)
class Column:
    key: str
    header: str | Promise | _PopulationHeader


FIVE_W_COLUMNS: list[Column] = [
    Column("country", _("Country")),
    Column("admin1", _("Region (admin 1)")),
    Column("admin1_code", _("Region code")),
    Column("admin2", _("Province (admin 2)")),
    Column("admin2_code", _("Province code")),
    Column("admin3", _("District (admin 3)")),
    Column("admin3_code", _("District ubigeo")),
    Column("appealing_organisation", _("Appealing organisation")),
    Column("implementing_partner", _("Implementing partner")),
    Column("sector", _("RMRP sector")),
    Column("sub_sector", _("Sub-sector")),
    Column("indicator", _("Indicator")),
    Column("activity", _("Activity")),
    Column("month", _("Month")),
    *(Column(f"population:{value}", _PopulationHeader(value)) for value in POPULATION_TYPES),
    *(Column(group, label) for group, label in R4V_GROUP_LABELS.items()),
    Column("total", _("Total beneficiaries")),
    Column("new", _("New beneficiaries")),
    Column("disability", _("With disability")),
    Column("lgbtiq", _("LGBTIQ+")),
    Column("indigenous", _("Indigenous")),
    Column("cash_assistance", _("Cash assistance")),
    Column("cash_value", _("Cash value (PEN)")),
    Column("source", _("Source")),
    Column("hidden_cells", _("Hidden cells")),
    Column("notes", _("Notes")),
]
COLUMN_KEYS = [column.key for column in FIVE_W_COLUMNS]
# The counts of beneficiaries, in the layout's order (what can be hidden).
COUNT_KEYS = [
    *(f"population:{value}" for value in POPULATION_TYPES),
    *R4V_GROUP_LABELS,
    "total",
]


# Who reports, when the municipality itself carried the activity out: the Mancomunidad
# appeals, each municipality implements.
APPEALING_ORGANISATION = _("Callao Mancomunidad")
IMPLEMENTING_PARTNER = _("Municipality of %(district)s")


def where(district_name: str, ubigeo: str) -> dict[str, object]:
    """The "where" columns of a row in a district (country, region, province, district)."""
    from apps.metrics.ubigeo import department_of, province_of

    (region_code, region), (province_code, province) = department_of(ubigeo), province_of(ubigeo)
    return {
        "country": _("Peru"),
        "admin1": region,
        "admin1_code": region_code,
        "admin2": province,
        "admin2_code": province_code,
        "admin3": district_name,
        "admin3_code": ubigeo,
    }


@dataclass
class FiveWLine:
    """One row of the file: values by column key (missing keys are empty cells), and the
    keys of the counts hidden by small-cell suppression (empty and shaded)."""

    values: dict[str, object]
    hidden: set[str] = field(default_factory=set)


def headers() -> list[str]:
    return [str(column.header) for column in FIVE_W_COLUMNS]


def _cells(line: FiveWLine) -> list[object]:
    values = dict(line.values)
    if line.hidden:
        names = {column.key: str(column.header) for column in FIVE_W_COLUMNS}
        values["hidden_cells"] = "; ".join(names[key] for key in COLUMN_KEYS if key in line.hidden)
    return [None if key in line.hidden else _plain(values.get(key)) for key in COLUMN_KEYS]


def _plain(value: object) -> object:
    """Lazy translations become text (a spreadsheet cell takes plain values)."""
    return str(value) if isinstance(value, Promise) else value


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


def five_w_csv_lines(lines: Iterable[FiveWLine]) -> Iterator[str]:
    """The file as CSV lines, for a streaming response (UTF-8 with a byte-order mark, so
    Excel keeps the accents). The lines are made after the view has returned, so in the
    language of the request, kept here."""
    language = translation.get_language()

    def generate() -> Iterator[str]:
        with translation.override(language):
            writer = csv.writer(_Echo())
            yield "\ufeff" + writer.writerow(headers())
            for line in lines:
                yield writer.writerow(
                    ["" if cell is None else _safe(cell) for cell in _cells(line)]
                )

    return generate()


# Long texts: wide enough to read without resizing.
WIDE_COLUMNS = {"appealing_organisation", "implementing_partner", "indicator", "activity", "notes"}
HIDDEN_FILL = PatternFill("solid", start_color="FFF4D6", end_color="FFF4D6")


def five_w_workbook(lines: Iterable[FiveWLine], *, notes: list[str]) -> bytes:
    """The file as a workbook: the 5W sheet (hidden cells empty and shaded) and a sheet of
    notes. Written in openpyxl's write-only mode, row by row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("5W")
    titles = headers()
    sheet.freeze_panes = "A2"
    for index, title in enumerate(titles, start=1):
        wide = COLUMN_KEYS[index - 1] in WIDE_COLUMNS
        sheet.column_dimensions[get_column_letter(index)].width = (
            45 if wide else max(10, min(len(title) + 2, 30))
        )
    sheet.append([_bold(sheet, title) for title in titles])
    for line in lines:
        cells = _cells(line)
        sheet.append(
            [
                _hidden(sheet) if key in line.hidden else _safe(cell)
                for key, cell in zip(COLUMN_KEYS, cells, strict=True)
            ]
        )
    notes_sheet = workbook.create_sheet(str(_("Notes")))
    for note in notes:
        notes_sheet.append([note])
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
