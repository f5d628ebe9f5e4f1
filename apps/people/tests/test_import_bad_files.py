"""Files that are not spreadsheets, zip bombs and oversized files: the import refuses them
with a clear message on the form, and nothing is written (no person, no pending import).

Every file is built in memory here."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import translation
from django_tenants.utils import schema_context
from openpyxl import Workbook

from apps.people import imports
from apps.people.imports import import_preview
from apps.people.models import PendingImport, Person
from apps.people.tests.factories import staff
from conftest import in_english, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db

HEADER = ["apellidos", "nombres", "sexo", "fecha_nacimiento", "nacionalidad", "grupo_poblacional"]
ROW = ["Soto", "Ana", "mujer", "01/01/1990", "VE", "en destino"]


def _xlsx(rows: int = 1) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for _ in range(rows):
        sheet.append(ROW)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _bomb() -> bytes:
    """A few hundred kilobytes that unpack to 60 MB of zeros, inside a real spreadsheet."""
    entries = {}
    with zipfile.ZipFile(io.BytesIO(_xlsx())) as good:
        for info in good.infolist():
            entries[info.filename] = good.read(info)
    entries["xl/worksheets/sheet1.xml"] = b"0" * (60 * 1024 * 1024)
    return _zip(entries)


def _billion_laughs() -> bytes:
    """XML entities that expand exponentially, as a worksheet (the parser must refuse it)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(entities)}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    entries = {}
    with zipfile.ZipFile(io.BytesIO(_xlsx())) as good:
        for info in good.infolist():
            entries[info.filename] = good.read(info)
    entries["xl/worksheets/sheet1.xml"] = xml
    return _zip(entries)


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages in English (the service's messages follow the active language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def importer(district_a: District, client_a: Client) -> Client:
    login_as(client_a, district_a, "caseworker")
    return in_english(client_a)


@pytest.fixture
def nothing_written(district_a: District) -> Iterator[None]:
    """After the test: no person and no pending import in the district."""
    yield
    with schema_context(district_a.schema_name):
        assert not Person.objects.exists()
        assert not PendingImport.objects.exists()


def _upload(client: Client, name: str, content: bytes) -> tuple[int, str]:
    response = client.post("/people/import/", {"file": SimpleUploadedFile(name, content)})
    return response.status_code, response.content.decode()


# Built when the test runs (the bomb takes 60 MB to make), not when it is collected.
BAD_FILES: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "random-bytes-as-xlsx": ("p.xlsx", lambda: os.urandom(4096), "This is not an XLSX spreadsheet"),
    "pdf-as-xlsx": ("p.xlsx", lambda: PDF, "This is not an XLSX spreadsheet"),
    "zip-not-a-workbook": (
        "p.xlsx",
        lambda: _zip({"hello.txt": b"not a workbook"}),
        "The file could not be read",
    ),
    "zip-bomb": ("p.xlsx", _bomb, "The spreadsheet unpacks to more than 50 MB"),
    "zip-with-too-many-entries": (
        "p.xlsx",
        lambda: _zip({f"f{i}.xml": b"" for i in range(1001)}),
        "This is not an XLSX spreadsheet",
    ),
    "xml-entity-bomb": ("p.xlsx", _billion_laughs, "The file could not be read"),
    "binary-as-csv": (
        "p.csv",
        lambda: b"apellidos;nombres\x00;sexo\n" + os.urandom(256),
        "This is not a CSV text file.",
    ),
    "undecodable-csv": (
        "p.csv",
        lambda: b"\x81\x8d\x8f\x90\x9d" * 50,
        "This is not a CSV text file.",
    ),
    "header-only": (
        "p.csv",
        lambda: ";".join(HEADER).encode() + b"\n",
        "The file has no rows under its header.",
    ),
    "pdf": ("p.pdf", lambda: PDF, "Use an XLSX or CSV file."),
    "empty-xlsx": ("p.xlsx", lambda: b"", "The submitted file is empty."),
    "empty-csv": ("p.csv", lambda: b"", "The submitted file is empty."),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_file_that_is_not_a_usable_spreadsheet_is_refused_on_the_form(
    importer: Client, nothing_written: None, case: str
) -> None:
    name, make, message = BAD_FILES[case]
    status, page = _upload(importer, name, make())
    assert status == 400
    assert message in page


def test_the_zip_bomb_is_refused_before_anything_unpacks_it(
    district_a: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []
    monkeypatch.setattr(imports, "load_workbook", lambda *a, **k: opened.append(a))
    with schema_context(district_a.schema_name):
        preview = import_preview(filename="p.xlsx", content=_bomb())
    assert opened == []
    assert not preview.ok
    assert "unpacks to more than" in str(preview.errors[0].message)


def test_a_highly_compressed_entry_is_refused_even_under_the_total_limit(
    district_a: District,
) -> None:
    content = _zip({"xl/worksheets/sheet1.xml": b"0" * (20 * 1024 * 1024)})
    assert len(content) * 100 < 20 * 1024 * 1024  # the ratio is far above 100
    with schema_context(district_a.schema_name):
        preview = import_preview(filename="p.xlsx", content=content)
    assert "unpacks to more than" in str(preview.errors[0].message)


def test_a_real_spreadsheet_passes_the_container_checks(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        preview = import_preview(filename="p.xlsx", content=_xlsx(rows=3))
    assert preview.ok, preview.errors
    assert len(preview.rows) == 3


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_too_many_rows_are_refused(
    district_a: District, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setattr(imports, "MAX_IMPORT_ROWS", 5)
    content = (
        _xlsx(rows=6)
        if kind == "xlsx"
        else "\n".join(";".join(r) for r in [HEADER, *[ROW] * 6]).encode()
    )
    with schema_context(district_a.schema_name):
        preview = import_preview(filename=f"p.{kind}", content=content)
        assert [str(e.message) for e in preview.errors] == ["At most 5 rows per file."]
        fine = import_preview(filename="p.xlsx", content=_xlsx(rows=5))
        assert fine.ok, fine.errors


@override_settings(UPLOAD_MAX_BYTES=2_000)
def test_an_upload_over_the_size_limit_is_refused_next_to_the_field(
    importer: Client, nothing_written: None
) -> None:
    status, page = _upload(importer, "p.csv", b"a;b\n" + b"x;y\n" * 600)
    assert status == 400
    assert 'class="field__errors"' in page
    assert "The file is larger than 2.0\xa0KB." in page


def test_a_file_name_too_long_to_keep_is_refused(importer: Client, nothing_written: None) -> None:
    rows = "\n".join(";".join(r) for r in [HEADER, ROW]).encode()
    status, page = _upload(importer, "p" * 250 + ".csv", rows)
    assert status == 400
    assert "Ensure this filename has at most 200 characters" in page


def test_a_refused_file_keeps_the_previous_preview(district_a: District, importer: Client) -> None:
    good = "\n".join(";".join(r) for r in [HEADER, ROW]).encode()
    assert _upload(importer, "p.csv", good)[0] == 200
    with schema_context(district_a.schema_name):
        before = list(PendingImport.objects.values_list("public_id", flat=True))
    assert _upload(importer, "p.xlsx", PDF)[0] == 400
    with schema_context(district_a.schema_name):
        assert list(PendingImport.objects.values_list("public_id", flat=True)) == before
        assert not Person.objects.exists()


def test_a_background_run_of_a_damaged_file_fails_cleanly(district_a: District) -> None:
    """A file that passed its preview but is damaged when the job reads it (the row was
    edited, or the checks changed): the import ends as failed, with nothing written."""
    with schema_context(district_a.schema_name):
        pending = PendingImport.objects.create(
            uploaded_by=staff(), filename="p.xlsx", content=_bomb(), status="queued"
        )
        finished = imports.import_run(pending=pending)
        assert finished.status == PendingImport.Status.FAILED
        assert "unpacks to more than" in finished.problems[0]["message"]
        assert bytes(finished.content) == b""
        assert not Person.objects.exists()
