"""Importing people (and, optionally, one attention each) from the spreadsheets offices keep.

Two steps: ``import_preview`` reads the file and checks every row, writing nothing; it
returns the rows ready to write and every error (row, column, reason). ``import_commit``
writes all the rows in one transaction, or none.

Confirmed imports run in the background (``import_queue`` queues, the job calls
``import_run``): the rows are checked again (the registry may have changed since the
preview), with the count of checked rows saved as it goes, then written all together.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pghistory
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries
from openpyxl import Workbook, load_workbook

from apps.casework.models import Attention, Channel
from apps.catalogue.models import DocumentType, ServiceType
from apps.metrics.dirty import district_month_changed
from apps.people.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    IdentityDocument,
    MigratorySituation,
    MigratoryStatus,
    PendingImport,
    Person,
    PopulationGroup,
    Sex,
)
from apps.people.normalise import document_number_key, name_key, phone_key

MAX_IMPORT_ROWS = 20_000
# Spreadsheet column -> what it holds. Headers are matched without accents or case.
COLUMNS = [
    ("apellidos", True),
    ("nombres", True),
    ("sexo", True),
    ("fecha_nacimiento", False),
    ("edad_estimada", False),
    ("nacionalidad", True),
    ("grupo_poblacional", True),
    ("tipo_documento", False),
    ("numero_documento", False),
    ("telefono", False),
    ("direccion", False),
    ("situacion_migratoria", False),
    ("fecha_atencion", False),
    ("servicios", False),
    ("canal", False),
    # "si" when the signed registration consent exists (with the form's version).
    ("consentimiento_registro", False),
    ("version_formulario", False),
]
EXAMPLE_ROW = [
    "Pérez Núñez",
    "María José",
    "mujer",
    "17/05/1990",
    "",
    "VE",
    "en destino",
    "cpp",
    "CPP123456789",
    "987654321",
    "Av. Santa Rosa 123",
    "cpp_ptp",
    "15/03/2026",
    "legal-orientation;health-access",
    "in_person",
    "si",
    "2025-1",
]


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportPreview:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    attentions: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _key(text: object) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text or "").strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(" ", "_")


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "personas"
    sheet.append([name for name, _required in COLUMNS])
    sheet.append(EXAMPLE_ROW)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class UnreadableFileError(ValueError):
    """The upload is not a spreadsheet this import can read; the message says why."""


# A spreadsheet is a zip of XML files. Before openpyxl opens one, its directory is checked:
# a "zip bomb" (a few kilobytes that unpack to gigabytes) is refused by the sizes the
# archive declares. Python's zipfile never unpacks an entry past its declared size (a
# lying archive fails its CRC check instead), so checking the declared sizes is enough.
MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_XLSX_ENTRIES = 1_000
# Unpacked/packed size of one entry; spreadsheets' XML packs at about 5-20 to 1.
MAX_XLSX_COMPRESSION_RATIO = 100
# Entries smaller than this are not held to the ratio (tiny files pack oddly).
XLSX_RATIO_CHECKED_FROM_BYTES = 1024 * 1024


def _xlsx_container_check(content: bytes) -> None:
    """Refuse what is not a zip, or a zip that would unpack to too much."""
    not_xlsx = _("This is not an XLSX spreadsheet: use the XLSX template or a CSV file.")
    buffer = io.BytesIO(content)
    if not zipfile.is_zipfile(buffer):
        raise UnreadableFileError(not_xlsx)
    try:
        with zipfile.ZipFile(buffer) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise UnreadableFileError(not_xlsx) from error
    too_big = UnreadableFileError(
        _("The spreadsheet unpacks to more than %(max)d MB: split it into smaller files.")
        % {"max": MAX_XLSX_UNCOMPRESSED_BYTES // (1024 * 1024)}
    )
    if len(entries) > MAX_XLSX_ENTRIES:
        raise UnreadableFileError(not_xlsx)
    if sum(entry.file_size for entry in entries) > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise too_big
    for entry in entries:
        if (
            entry.file_size >= XLSX_RATIO_CHECKED_FROM_BYTES
            and entry.file_size > MAX_XLSX_COMPRESSION_RATIO * max(entry.compress_size, 1)
        ):
            raise too_big


def _too_many_rows() -> UnreadableFileError:
    return UnreadableFileError(_("At most %(max)d rows per file.") % {"max": MAX_IMPORT_ROWS})


def _read(filename: str, content: bytes) -> list[list[Any]]:
    """The non-empty rows of the file (header first). Stops reading, and refuses the file,
    past ``MAX_IMPORT_ROWS`` data rows, so a huge file is not held in memory whole."""
    limit = MAX_IMPORT_ROWS + 1  # with the header
    table: list[list[Any]] = []
    if filename.lower().endswith(".csv"):
        if b"\x00" in content:  # binary data renamed .csv (and NUL cannot be stored)
            raise UnreadableFileError(_("This is not a CSV text file."))
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel on Windows saves CSV as Windows-1252 by default.
            try:
                text = content.decode("cp1252", errors="strict")
            except UnicodeDecodeError as error:
                raise UnreadableFileError(_("This is not a CSV text file.")) from error
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
        for row in csv.reader(io.StringIO(text), dialect):
            if any(cell.strip() for cell in row):
                table.append(row)
                if len(table) > limit:
                    raise _too_many_rows()
        return table
    _xlsx_container_check(content)
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            if any(c not in (None, "") for c in values):
                table.append(list(values))
                if len(table) > limit:
                    raise _too_many_rows()
    finally:
        workbook.close()
    return table


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date (dd/mm/aaaa).") % {"value": text})


def _choice(value: str, choices: Sequence[tuple[str, object]], aliases: dict[str, str]) -> str:
    wanted = _key(value)
    for code, label in choices:
        if wanted in (_key(code), _key(label)):
            return code
    if wanted in aliases:
        return aliases[wanted]
    raise ValueError(
        _("“%(value)s” is not one of: %(options)s.")
        % {"value": value, "options": ", ".join(str(label) for _c, label in choices)}
    )


class _Lookups:
    def __init__(self) -> None:
        self.documents = {d.code: d for d in DocumentType.objects.all()}
        self.documents.update({_key(d.name_es): d for d in self.documents.values()})
        self.services = {s.code: s for s in ServiceType.objects.all()}
        self.countries = {_key(code): code for code, _name in countries}
        for language in ("es", "en"):  # "Venezuela", "Haití" or "Haiti", "Brasil" or "Brazil"
            with translation.override(language):
                self.countries.update({_key(name): code for code, name in countries})


# Rows checked between two progress reports of a background import.
PROGRESS_EVERY_ROWS = 200


def import_preview(
    *, filename: str, content: bytes, progress: Callable[[int, int], None] | None = None
) -> ImportPreview:
    """Read and check every row; nothing is written. ``progress(checked, total)`` is
    called every ``PROGRESS_EVERY_ROWS`` rows and at the end."""
    preview = ImportPreview()
    try:
        table = _read(filename, content)
    except UnreadableFileError as error:
        preview.errors.append(RowError(0, "", str(error)))
        return preview
    except Exception:
        # openpyxl and csv fail in many ways on a damaged file; none is worth a 500.
        preview.errors.append(
            RowError(0, "", _("The file could not be read: use the XLSX template or a CSV file."))
        )
        return preview
    if not table:
        preview.errors.append(RowError(0, "", _("The file is empty.")))
        return preview
    if len(table) == 1:
        preview.errors.append(RowError(0, "", _("The file has no rows under its header.")))
        return preview
    header = [_key(cell) for cell in table[0]]
    missing = [name for name, required in COLUMNS if required and name not in header]
    if missing:
        preview.errors.append(RowError(1, ", ".join(missing), _("Required columns are missing.")))
        return preview
    lookups = _Lookups()
    existing = set(
        IdentityDocument.objects.exclude(number_key="").values_list(
            "document_type_id", "number_key"
        )
    )
    seen: dict[tuple[int, str], int] = {}
    total = len(table) - 1
    for number, raw in enumerate(table[1:], start=2):
        if progress is not None and (number - 2) % PROGRESS_EVERY_ROWS == 0:
            progress(number - 2, total)
        cells = {name: raw[i] if i < len(raw) else None for i, name in enumerate(header)}
        row = _row(number, cells, lookups, preview.errors)
        if row is None:
            continue
        if row.get("document_type") and row["number_key"]:
            key = (row["document_type"].pk, row["number_key"])
            if key in existing:
                preview.errors.append(
                    RowError(number, "numero_documento", _("This document is already registered."))
                )
                continue
            if key in seen:
                preview.errors.append(
                    RowError(
                        number,
                        "numero_documento",
                        _("Same document as row %(row)d.") % {"row": seen[key]},
                    )
                )
                continue
            seen[key] = number
        preview.rows.append(row)
        preview.attentions += 1 if row.get("attention_on") else 0
    if progress is not None:
        progress(total, total)
    return preview


# Longest text each column may hold (the database's limits).
MAX_LENGTHS = {
    "apellidos": 120,
    "nombres": 120,
    "numero_documento": 40,
    "telefono": 40,
    "direccion": 200,
}


def _text(cells: dict[str, Any], name: str) -> str:
    value = cells.get(name)
    return "" if value is None else str(value).strip()


def _past_date(value: Any) -> date:
    day = _date(value)
    if day > timezone.localdate():
        raise ValueError(_("The date cannot be in the future."))
    return day


def _age(text: str) -> int:
    age = int(text)
    if not 0 <= age <= 120:
        raise ValueError(_("An age between 0 and 120."))
    return age


def _row(
    number: int, cells: dict[str, Any], lookups: _Lookups, errors: list[RowError]
) -> dict[str, Any] | None:
    row: dict[str, Any] = {}
    before = len(errors)

    def check(column: str, parse: Any) -> Any:
        try:
            return parse()
        except (ValueError, KeyError) as error:
            errors.append(
                RowError(
                    number,
                    column,
                    str(error) if isinstance(error, ValueError) else _("Unknown value."),
                )
            )
            return None

    for column in ("apellidos", "nombres"):
        if not _text(cells, column):
            errors.append(RowError(number, column, _("This column is required.")))
    for column, longest in MAX_LENGTHS.items():
        if len(_text(cells, column)) > longest:
            errors.append(
                RowError(number, column, _("At most %(max)d characters.") % {"max": longest})
            )
    row["family_names"], row["given_names"] = _text(cells, "apellidos"), _text(cells, "nombres")
    row["sex"] = check(
        "sexo",
        lambda: _choice(
            _text(cells, "sexo"),
            Sex.choices,
            {"f": "female", "m": "male", "mujer": "female", "hombre": "male"},
        ),
    )
    row["nationality"] = check(
        "nacionalidad", lambda: lookups.countries[_key(_text(cells, "nacionalidad"))]
    )
    row["population_group"] = check(
        "grupo_poblacional",
        lambda: _choice(
            _text(cells, "grupo_poblacional"),
            PopulationGroup.choices,
            {
                "en_destino": "in_destination",
                "en_transito": "in_transit",
                "retornado": "returnee",
                "comunidad_de_acogida": "host_community",
            },
        ),
    )
    row["birth_date"] = (
        check("fecha_nacimiento", lambda: _past_date(cells["fecha_nacimiento"]))
        if _text(cells, "fecha_nacimiento")
        else None
    )
    row["estimated_age"] = (
        check("edad_estimada", lambda: _age(_text(cells, "edad_estimada")))
        if _text(cells, "edad_estimada")
        else None
    )
    if row["birth_date"] is None and row["estimated_age"] is None and len(errors) == before:
        errors.append(
            RowError(number, "fecha_nacimiento", _("Enter the birth date or an estimated age."))
        )
    if _text(cells, "tipo_documento"):
        row["document_type"] = check(
            "tipo_documento", lambda: lookups.documents[_key(_text(cells, "tipo_documento"))]
        )
        row["document_number"] = _text(cells, "numero_documento")
        row["number_key"] = document_number_key(row["document_number"])
        document_type = row["document_type"]
        if document_type is not None and document_type.code != "none" and not row["number_key"]:
            errors.append(RowError(number, "numero_documento", _("Enter the document number.")))
    else:
        row["document_type"], row["document_number"], row["number_key"] = None, "", ""
    row["phone"], row["address"] = _text(cells, "telefono"), _text(cells, "direccion")
    row["situation"] = (
        check(
            "situacion_migratoria",
            lambda: _choice(_text(cells, "situacion_migratoria"), MigratoryStatus.choices, {}),
        )
        if _text(cells, "situacion_migratoria")
        else ""
    )
    row["attention_on"] = (
        check("fecha_atencion", lambda: _past_date(cells["fecha_atencion"]))
        if _text(cells, "fecha_atencion")
        else None
    )
    if row["attention_on"]:
        codes = [
            c.strip() for c in _text(cells, "servicios").replace(",", ";").split(";") if c.strip()
        ]
        row["services"] = (
            check("servicios", lambda: [lookups.services[c] for c in codes]) if codes else None
        )
        if not codes:
            errors.append(
                RowError(number, "servicios", _("An attention needs at least one service code."))
            )
        row["channel"] = check(
            "canal",
            lambda: _choice(
                _text(cells, "canal") or "in_person",
                Channel.choices,
                {"presencial": "in_person", "telefono": "phone"},
            ),
        )
    consent = _key(_text(cells, "consentimiento_registro"))
    if consent and consent not in {"si", "no", "yes"}:
        errors.append(RowError(number, "consentimiento_registro", _("Write si or no.")))
    row["consent_version"] = (
        (_text(cells, "version_formulario") or "importado") if consent in {"si", "yes"} else ""
    )
    return row if len(errors) == before else None


def import_commit(*, actor: User, preview: ImportPreview) -> int:
    """Write every previewed row in one transaction (all or nothing); return how many people."""
    if not preview.ok:
        raise ValueError("Only a preview without errors can be imported.")
    today = timezone.localdate()
    with transaction.atomic(), pghistory.context(user=actor.pk, source="import"):
        people = Person.objects.bulk_create(
            [
                Person(
                    given_names=r["given_names"],
                    family_names=r["family_names"],
                    sex=r["sex"],
                    nationality=r["nationality"],
                    population_group=r["population_group"],
                    birth_date=r["birth_date"],
                    estimated_age=r["estimated_age"] if not r["birth_date"] else None,
                    estimated_age_on=today if not r["birth_date"] else None,
                    phone=r["phone"],
                    phone_key=phone_key(r["phone"]),
                    address=r["address"],
                    name_key=name_key(f"{r['given_names']} {r['family_names']}"),
                    current_situation=r["situation"],
                    registered_by=actor,
                )
                for r in preview.rows
            ],
            batch_size=1000,
        )
        pairs = list(zip(people, preview.rows, strict=True))
        IdentityDocument.objects.bulk_create(
            [
                IdentityDocument(
                    person=p,
                    document_type=r["document_type"],
                    number=r["document_number"],
                    number_key=r["number_key"],
                )
                for p, r in pairs
                if r["document_type"]
            ],
            batch_size=1000,
        )
        MigratorySituation.objects.bulk_create(
            [
                MigratorySituation(person=p, status=r["situation"], since=today, recorded_by=actor)
                for p, r in pairs
                if r["situation"]
            ],
            batch_size=1000,
        )
        Consent.objects.bulk_create(
            [
                Consent(
                    person=p,
                    purpose=ConsentPurpose.REGISTRATION,
                    given_on=today,
                    form_version=r["consent_version"][:20],
                    method=ConsentMethod.SIGNED,
                    recorded_by=actor,
                )
                for p, r in pairs
                if r["consent_version"]
            ],
            batch_size=1000,
        )
        attended = [(p, r) for p, r in pairs if r.get("attention_on")]
        attentions = Attention.objects.bulk_create(
            [
                Attention(
                    person=p, occurred_on=r["attention_on"], staff=actor, channel=r["channel"]
                )
                for p, r in attended
            ],
            batch_size=1000,
        )
        through = Attention.service_types.through
        through.objects.bulk_create(
            [
                through(attention_id=a.pk, servicetype_id=s.pk)
                for a, (_p, r) in zip(attentions, attended, strict=True)
                for s in r["services"]
            ],
            batch_size=2000,
        )
        for month in {
            timezone.localdate(),
            *(r["attention_on"] for r in preview.rows if r.get("attention_on")),
        }:
            district_month_changed(month)
    return len(people)


def import_queue(*, pending: PendingImport) -> PendingImport:
    """Queue a previewed import for the background job; confirming twice queues it once."""
    from apps.people.tasks import people_import_run

    with transaction.atomic():
        pending = PendingImport.objects.select_for_update().get(pk=pending.pk)
        if pending.status != PendingImport.Status.PREVIEWED:
            return pending
        pending.status = PendingImport.Status.QUEUED
        pending.language = translation.get_language() or ""
        pending.save(update_fields=["status", "language"])
        people_import_run.enqueue(import_id=str(pending.public_id))
    return pending


def _problems(errors: list[RowError]) -> list[dict[str, Any]]:
    return [{"row": e.row, "column": e.column, "message": str(e.message)} for e in errors[:200]]


def import_run(*, pending: PendingImport) -> PendingImport:
    """Check every row again, then write them all (or none), saving the progress on the
    ``PendingImport`` row as it goes. Outside a transaction on purpose: each progress
    update is committed at once, so the import's page sees it."""
    imports = PendingImport.objects.filter(pk=pending.pk)
    imports.update(status=PendingImport.Status.CHECKING, checked_rows=0, problems=[])

    def progress(checked: int, total: int) -> None:
        imports.update(checked_rows=checked, total_rows=total)

    preview = import_preview(
        filename=pending.filename, content=bytes(pending.content), progress=progress
    )
    if not preview.ok:  # the registry changed since the preview (e.g. a document was registered)
        imports.update(
            status=PendingImport.Status.FAILED,
            problems=_problems(preview.errors),
            content=b"",
            finished_at=timezone.now(),
        )
    else:
        imports.update(status=PendingImport.Status.WRITING)
        count = import_commit(actor=pending.uploaded_by, preview=preview)
        imports.update(
            status=PendingImport.Status.DONE,
            imported_count=count,
            content=b"",
            finished_at=timezone.now(),
        )
    return imports.get()
