"""Lists of people as XLSX or CSV files (the spreadsheets offices already use)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.people.models import Person

MAX_EXPORT_ROWS = 50_000


def _header() -> list[object]:
    return [
        _("Family names"),
        _("Given names"),
        _("Sex"),
        _("Birth date"),
        _("Estimated age"),
        _("Nationality"),
        _("Population group"),
        _("Migratory situation"),
        _("Document"),
        _("Document number"),
        _("Phone"),
        _("E-mail"),
        _("Address"),
        _("Registered"),
    ]


def _rows(people: QuerySet[Person]) -> Iterator[list[object]]:
    for person in people.iterator(chunk_size=2000):
        documents = list(person.documents.all())
        document = documents[0] if documents else None
        yield [
            person.family_names,
            person.given_names,
            person.get_sex_display(),
            person.birth_date.strftime("%d/%m/%Y") if person.birth_date else "",
            person.estimated_age if person.estimated_age is not None else "",
            _country_name(person),
            person.get_population_group_display(),
            person.get_current_situation_display(),
            document.document_type.name if document else "",
            document.number if document else "",
            person.phone,
            person.email,
            person.address,
            # The registration day in Lima: a person registered at 21:00 is not a day older.
            timezone.localdate(person.created_at).strftime("%d/%m/%Y"),
        ]


def _country_name(person: Person) -> str:
    country = person.nationality  # a django-countries Country, typed as str by the stubs
    return str(getattr(country, "name", country))


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    """A cell a spreadsheet will not run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def people_csv(people: QuerySet[Person]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header())
    writer.writerows([_safe(cell) for cell in row] for row in _rows(people))
    # With a byte-order mark, Excel opens it as UTF-8 (accents intact).
    return ("\ufeff" + buffer.getvalue()).encode()


def people_xlsx(people: QuerySet[Person]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("People"))
    for row in _chain([_header()], _rows(people)):
        sheet.append([_safe(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _chain(*parts: Iterable[list[object]]) -> Iterator[list[object]]:
    for part in parts:
        yield from part
