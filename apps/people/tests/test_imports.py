from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from apps.casework.models import Attention
from apps.people.imports import import_commit, import_preview
from apps.people.models import PendingImport, Person
from apps.people.tests.factories import person_make, staff
from conftest import in_english, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db

HEADER = ";".join(
    [
        "apellidos",
        "nombres",
        "sexo",
        "fecha_nacimiento",
        "nacionalidad",
        "grupo_poblacional",
        "tipo_documento",
        "numero_documento",
        "telefono",
        "fecha_atencion",
        "servicios",
        "canal",
    ]
)
GOOD = [
    (
        "Rodríguez Díaz;Yulimar;mujer;03/02/1995;VE;en destino;cpp;CPP-111;987111222;10/03/2026;"
        "legal-orientation;presencial"
    ),
    "Baptiste;Jean;hombre;1988-07-21;Haití;en tránsito;passport;HT-9;;;;",
]


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def test_a_clean_file_is_previewed_then_imported_all_together(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        preview = import_preview(filename="personas.csv", content=_csv(*GOOD))
        assert preview.ok, preview.errors
        assert (len(preview.rows), preview.attentions) == (2, 1)
        assert not Person.objects.exists()  # the preview writes nothing
        assert import_commit(actor=staff(), preview=preview) == 2
        yulimar = Person.objects.get(given_names="Yulimar")
        assert yulimar.documents.get().number_key == "CPP111"
        assert str(Person.objects.get(given_names="Jean").nationality) == "HT"
        assert Attention.objects.get().service_types.get().code == "legal-orientation"


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_written(
    district_a: District,
) -> None:
    with schema_context(district_a.schema_name):
        person_make(document_number="CPP-999", document_type="cpp")
        rows = [
            *GOOD,
            ";Ana;mujer;01/01/1990;VE;en destino;;;;;;",  # 4: no family names
            "Soto;Luis;x;01/01/1990;VE;en destino;;;;;;",  # 5: bad sex
            "Soto;Eva;mujer;31/02/1990;VE;en destino;;;;;;",  # 6: not a date
            "Soto;Ivo;hombre;01/01/1990;Atlántida;en destino;;;;;;",  # 7: unknown country
            "Soto;Rut;mujer;01/01/1990;VE;en destino;cpp;cpp 111;;;;",  # 8: same document as row 2
            "Soto;Leo;hombre;01/01/1990;VE;en destino;cpp;CPP999;;;;",  # 9: already registered
            # 10: an attention without a service
            "Soto;Mar;mujer;01/01/1990;VE;en destino;;;;10/03/2026;;",
        ]
        preview = import_preview(filename="personas.csv", content=_csv(*rows))
        found = {(e.row, e.column) for e in preview.errors}
        assert found == {
            (4, "apellidos"),
            (5, "sexo"),
            (6, "fecha_nacimiento"),
            (7, "nacionalidad"),
            (8, "numero_documento"),
            (9, "numero_documento"),
            (10, "servicios"),
        }
        assert not preview.ok
        with pytest.raises(ValueError, match="without errors"):
            import_commit(actor=staff(), preview=preview)
        assert Person.objects.count() == 1


def test_missing_required_columns_are_named(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        preview = import_preview(filename="p.csv", content=b"apellidos;nombres\nA;B\n")
    assert preview.errors[0].column == "sexo, nacionalidad, grupo_poblacional"


def test_the_upload_preview_confirm_journey(
    district_a: District, client_a: Client, django_capture_on_commit_callbacks
) -> None:
    login_as(client_a, district_a, "caseworker")
    template = client_a.get("/people/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert next(sheet.iter_rows(values_only=True))[0] == "apellidos"

    bad = client_a.post(
        "/people/import/",
        {"file": SimpleUploadedFile("p.csv", _csv(GOOD[0], "X;Y;z;;VE;en destino;;;;;;"))},
    )
    assert bad.status_code == 400
    assert "sexo" in bad.content.decode()

    good = client_a.post("/people/import/", {"file": SimpleUploadedFile("p.csv", _csv(*GOOD))})
    assert good.status_code == 200
    with schema_context(district_a.schema_name):
        pending = PendingImport.objects.get()
        assert not Person.objects.exists()
    # Confirming queues the import (run here, in-process, once the request commits) and
    # leads to the import's own page.
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client_a.post(f"/people/import/{pending.public_id}/confirm/")
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/people/import/{pending.public_id}/"
    with schema_context(district_a.schema_name):
        assert Person.objects.count() == 2
        finished = PendingImport.objects.get()
        assert (finished.status, finished.imported_count) == ("done", 2)
        assert bytes(finished.content) == b""  # the file's personal data is not kept
    page = in_english(client_a).get(confirmed["Location"])
    assert "2 people were imported." in page.content.decode()
    assert 'http-equiv="refresh"' not in page.content.decode()


def test_the_viewer_cannot_import(district_a: District, client_a: Client) -> None:
    login_as(client_a, district_a, "viewer")
    assert client_a.get("/people/import/").status_code == 403


def test_a_registration_consent_column_records_the_consent(district_a: District) -> None:
    header = "apellidos;nombres;sexo;fecha_nacimiento;nacionalidad;grupo_poblacional;consentimiento_registro;version_formulario"
    content = f"{header}\nSoto;Ana;mujer;01/01/1990;VE;en destino;sí;F-7\nSoto;Eva;mujer;01/01/1991;VE;en destino;no;\nSoto;Ivo;hombre;01/01/1992;VE;en destino;quizás;\n".encode()
    with schema_context(district_a.schema_name):
        preview = import_preview(filename="p.csv", content=content)
        assert [(e.row, e.column) for e in preview.errors] == [(4, "consentimiento_registro")]
        preview.errors.clear()
        preview.rows = preview.rows[:2]
        import_commit(actor=staff(), preview=preview)
        ana = Person.objects.get(given_names="Ana")
        assert ana.consents.get().form_version == "F-7"
        assert not Person.objects.get(given_names="Eva").consents.exists()
