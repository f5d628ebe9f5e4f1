from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.utils import DatabaseError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.audit.models import AccessLogEntry
from apps.people.models import Person
from apps.people.tests.factories import person_make
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "given_names": "  Yulimar ",
    "family_names": "Rodríguez",
    "sex": "female",
    "birth_date": "1995-02-03",
    "nationality": "VE",
    "population_group": "in_destination",
    "phone": "987 111 222",
    "document_type": "",  # set in the test (a catalogue id)
    "document_number": "CPP-0011223",
    "situation": "cpp_ptp",
    "situation_since": "2023-06-01",
    "consents": ["registration"],
    "consent_form_version": "2025-1",
    "consent_method": "signed",
}


def _document_type_id(district: District, code: str = "cpp") -> int:
    from apps.catalogue.models import DocumentType

    with schema_context(district.schema_name):
        return DocumentType.objects.get(code=code).pk


def _make(district: District, **values: object) -> Person:
    with schema_context(district.schema_name):
        return person_make(**values)


def test_a_caseworker_registers_a_person_through_the_form(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "caseworker")
    response = client_a.post(
        "/people/new/", {**REGISTRATION, "document_type": _document_type_id(district_a)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context(district_a.schema_name):
        person = Person.objects.get()
        assert person.given_names == "Yulimar"
        assert person.documents.get().number_key == "CPP0011223"
    assert response["Location"] == f"/people/{person.public_id}/"


def test_a_duplicate_document_is_shown_next_to_the_field_and_the_typing_is_kept(
    district_a: District, client_a: Client
) -> None:
    holder = _make(district_a, document_number="CPP-0011223", document_type="cpp")
    login_as(client_a, district_a, "caseworker")
    response = client_a.post(
        "/people/new/", {**REGISTRATION, "document_type": _document_type_id(district_a)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"/people/{holder.public_id}/" in page
    assert 'value="Yulimar"' in page or "Yulimar" in page
    assert response.context["form"].errors["document_number"]
    with schema_context(district_a.schema_name):
        assert Person.objects.count() == 1


def test_a_possible_duplicate_is_listed_and_can_be_confirmed(
    district_a: District, client_a: Client
) -> None:
    existing = _make(
        district_a,
        given_names="Yulimar",
        family_names="Rodriguez",
        birth_date=date(1995, 2, 3),
        document_number=None,
    )
    login_as(client_a, district_a, "caseworker")
    data = {**REGISTRATION, "document_type": _document_type_id(district_a)}
    first = client_a.post("/people/new/", data)
    assert first.status_code == 400
    assert f"/people/{existing.public_id}/" in first.content.decode()
    confirmed = client_a.post("/people/new/", {**data, "confirm_not_duplicate": "on"})
    assert confirmed.status_code == 302


def test_viewing_a_record_is_logged(district_a: District, client_a: Client) -> None:
    person = _make(district_a)
    login_as(client_a, district_a, "caseworker")
    page = client_a.get(f"/people/{person.public_id}/")
    assert page.status_code == 200
    assert "María José Pérez Núñez" in page.content.decode()
    with schema_context(district_a.schema_name):
        entry = AccessLogEntry.objects.get()
        assert (entry.username, entry.action, entry.object_id) == (
            "caseworker@la-perla.test",
            "view",
            str(person.public_id),
        )


def test_the_access_log_is_append_only_in_the_database(
    district_a: District, client_a: Client
) -> None:
    person = _make(district_a)
    login_as(client_a, district_a, "caseworker")
    client_a.get(f"/people/{person.public_id}/")
    # The trigger's RAISE: InternalError under psycopg2, ProgrammingError under psycopg 3.
    with schema_context(district_a.schema_name), pytest.raises(DatabaseError):
        AccessLogEntry.objects.all().delete()


@pytest.mark.parametrize("path", ["/people/", "/people/new/", "{detail}", "{detail}edit/"])
def test_the_viewer_role_sees_no_personal_details(
    district_a: District, client_a: Client, path: str
) -> None:
    person = _make(district_a)
    login_as(client_a, district_a, "viewer")
    response = client_a.get(path.format(detail=f"/people/{person.public_id}/"))
    assert response.status_code == 403
    assert "María" not in response.content.decode()


def test_complaints_officers_can_find_but_not_edit_people(
    district_a: District, client_a: Client
) -> None:
    person = _make(district_a)
    login_as(client_a, district_a, "complaints_officer")
    assert client_a.get(f"/people/{person.public_id}/").status_code == 200
    assert client_a.get(f"/people/{person.public_id}/edit/").status_code == 403
    assert client_a.post("/people/new/", {}).status_code == 403


def test_anonymous_is_sent_to_login(district_a: District, client_a: Client) -> None:
    person = _make(district_a)
    response = client_a.get(f"/people/{person.public_id}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_person_of_another_district_is_not_found(
    district_a: District, district_b: District, client_b: Client
) -> None:
    person = _make(district_a)
    login_as(client_b, district_b, "coordinator")
    for path in ("", "edit/"):
        assert client_b.get(f"/people/{person.public_id}/{path}").status_code == 404
    assert client_b.post(f"/people/{person.public_id}/consents/", {}).status_code == 404


def test_search_finds_partial_names_without_accents_documents_and_phones(
    district_a: District, client_a: Client
) -> None:
    _make(district_a)
    _make(
        district_a,
        given_names="Carlos",
        family_names="Gómez",
        document_number="X-1",
        phone="01 555 0000",
    )
    login_as(client_a, district_a, "caseworker")
    for query in ("jose perez", "NÚÑEZ", "v12345678", "987654321"):
        page = client_a.get("/people/", {"q": query}).content.decode()
        assert "Pérez Núñez" in page, query
        assert "Gómez" not in page, query
    assert "Gómez" in client_a.get("/people/", {"q": "gomez"}).content.decode()


def test_list_filters_by_nationality_and_situation(district_a: District, client_a: Client) -> None:
    _make(district_a)
    _make(
        district_a,
        given_names="Jean",
        family_names="Baptiste",
        nationality="HT",
        document_number="H-1",
        situation=None,
    )
    login_as(client_a, district_a, "caseworker")
    page = client_a.get("/people/", {"nationality": "HT"}).content.decode()
    assert "Baptiste" in page
    assert "Pérez" not in page
    page = client_a.get("/people/", {"situation": "cpp_ptp"}).content.decode()
    assert "Pérez" in page
    assert "Baptiste" not in page


def test_the_list_costs_the_same_queries_for_3_or_30_people(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "caseworker")

    def queries_for_list() -> int:
        client_a.get("/people/")  # warm the routing cache and the session
        with CaptureQueriesContext(connection) as context:
            assert client_a.get("/people/").status_code == 200
        return len(context.captured_queries)

    for i in range(3):
        _make(district_a, given_names=f"Persona {i}", document_number=f"A-{i}")
    few = queries_for_list()
    for i in range(3, 30):
        _make(district_a, given_names=f"Persona {i}", document_number=f"A-{i}")
    many = queries_for_list()
    assert many == few


def test_the_list_is_paginated(district_a: District, client_a: Client) -> None:
    for i in range(30):
        _make(district_a, given_names=f"Persona {i:02d}", document_number=f"A-{i}")
    login_as(client_a, district_a, "caseworker")
    first = client_a.get("/people/")
    assert first.context["page"].paginator.count == 30
    assert len(first.context["page"].object_list) == 25
    assert len(client_a.get("/people/", {"page": 2}).context["page"].object_list) == 5


def test_edit_keeps_the_consent_rule(district_a: District, client_a: Client) -> None:
    person = _make(district_a)
    login_as(client_a, district_a, "caseworker")
    data = {
        "given_names": "María José",
        "family_names": "Pérez Núñez",
        "sex": "female",
        "birth_date": "1990-05-17",
        "nationality": "VE",
        "population_group": "in_destination",
        "is_lgbtiq": "true",
        "record_version": "1",  # the version the edit form was loaded with
    }
    refused = client_a.post(f"/people/{person.public_id}/edit/", data)
    assert refused.status_code == 400
    assert refused.context["form"].errors["is_lgbtiq"]
    data.pop("is_lgbtiq")
    data["phone"] = "999 888 777"
    assert client_a.post(f"/people/{person.public_id}/edit/", data).status_code == 302
    with schema_context(district_a.schema_name):
        assert Person.objects.get(pk=person.pk).phone_key == "999888777"


def test_recording_and_withdrawing_a_consent_from_the_record_page(
    district_a: District, client_a: Client
) -> None:
    person = _make(district_a)
    login_as(client_a, district_a, "caseworker")
    response = client_a.post(
        f"/people/{person.public_id}/consents/",
        {
            "con-purpose": "photos",
            "con-given_on": "2025-02-01",
            "con-form_version": "F1",
            "con-method": "signed",
        },
    )
    assert response.status_code == 302
    with schema_context(district_a.schema_name):
        consent = person.consents.get(purpose="photos")
    assert (
        client_a.post(
            f"/people/{person.public_id}/consents/{consent.pk}/withdraw/", {"confirmed": "1"}
        ).status_code
        == 302
    )
    with schema_context(district_a.schema_name):
        consent.refresh_from_db()
        assert consent.withdrawn_on is not None
    missing = client_a.post(f"/people/{person.public_id}/consents/", {"con-purpose": "photos"})
    assert missing.status_code == 400
    assert missing.context["consent_form"].errors["given_on"]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_exporting_a_filtered_list_is_logged(
    district_a: District, client_a: Client, file_format: str
) -> None:
    import io

    from openpyxl import load_workbook

    _make(district_a)
    _make(
        district_a,
        given_names="Jean",
        family_names="Baptiste",
        nationality="HT",
        document_number="H-1",
    )
    login_as(client_a, district_a, "caseworker")
    response = client_a.get("/people/export/", {"nationality": "HT", "format": file_format})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    if file_format == "csv":
        rows = response.content.decode("utf-8-sig").splitlines()
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [",".join(str(c or "") for c in row) for row in sheet.iter_rows(values_only=True)]
    assert len(rows) == 2
    assert "Baptiste" in rows[1]
    assert "Pérez" not in "".join(rows)
    with schema_context(district_a.schema_name):
        entry = AccessLogEntry.objects.get(action="export")
        assert entry.detail == {"format": file_format, "rows": 1, "filters": {"nationality": "HT"}}


@pytest.mark.parametrize("role", ["viewer", "complaints_officer"])
def test_roles_without_the_export_permission_cannot_export(
    district_a: District, client_a: Client, role: str
) -> None:
    _make(district_a)
    login_as(client_a, district_a, role)
    assert client_a.get("/people/export/", {"format": "csv"}).status_code == 403


def test_list_filters_by_service_received_and_by_caseworker(
    district_a: District, client_a: Client
) -> None:
    from django.utils import timezone

    from apps.casework.services import attention_record
    from apps.catalogue.models import ServiceType
    from apps.people.tests.factories import staff

    with schema_context(district_a.schema_name):
        helped = person_make()
        person_make(given_names="Jean", family_names="Baptiste", document_number="H-1")
        attention_record(
            actor=staff("coordinator"),
            person=helped,
            occurred_on=timezone.localdate(),
            channel="phone",
            service_types=list(ServiceType.objects.filter(code="health-access")),
        )
        coordinator_id = staff("coordinator").pk
    login_as(client_a, district_a, "caseworker")
    page = client_a.get("/people/", {"service_type": "health-access"}).content.decode()
    assert "Pérez Núñez" in page
    assert "Baptiste" not in page
    page = client_a.get("/people/", {"caseworker": coordinator_id}).content.decode()
    assert "Pérez Núñez" in page
    assert "Baptiste" not in page
