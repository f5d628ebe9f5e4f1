"""Refusals and protections added after reviewing the registry as a user would."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.casework.services import attention_record, case_open, follow_up_add, referral_send
from apps.catalogue.models import Partner, ServiceType
from apps.people.imports import import_preview
from apps.people.models import ConsentPurpose, Person
from apps.people.rights import data_request_record, person_anonymise, person_opposition_record
from apps.people.services import person_merge
from apps.people.tests.factories import person_make, staff
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db

HEADER = (
    "apellidos;nombres;sexo;fecha_nacimiento;edad_estimada;nacionalidad;grupo_poblacional;"
    "tipo_documento;numero_documento"
)


def test_an_export_with_an_invalid_filter_is_refused_not_widened(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        person_make()
    login_as(client_a, district_a, "caseworker")
    response = client_a.get(
        "/people/export/", {"format": "csv", "q": "nadie", "registered_from": "28-13-2026"}
    )
    assert response.status_code == 302
    assert (
        "Pérez"
        not in client_a.get("/people/", {"q": "nadie", "registered_from": "x"}).content.decode()
    )


def test_words_of_a_name_match_in_any_order(district_a: District, client_a: Client) -> None:
    with schema_context(district_a.schema_name):
        person_make()
    login_as(client_a, district_a, "caseworker")
    for query in ("María Pérez", "perez maria", "Núñez José"):
        assert "Pérez Núñez" in client_a.get("/people/", {"q": query}).content.decode(), query
    assert "Pérez Núñez" not in client_a.get("/people/", {"q": "maria gomez"}).content.decode()


def test_the_search_text_never_reaches_the_access_log(
    district_a: District, client_a: Client
) -> None:
    from apps.audit.models import AccessLogEntry

    with schema_context(district_a.schema_name):
        person_make()
    login_as(client_a, district_a, "caseworker")
    client_a.get("/people/export/", {"format": "csv", "q": "Pérez"})
    with schema_context(district_a.schema_name):
        assert AccessLogEntry.objects.get().detail["filters"] == {"query": "…"}


def test_a_birth_date_in_the_future_is_refused(district_a: District) -> None:
    with schema_context(district_a.schema_name), pytest.raises(ValidationError) as refused:
        person_make(birth_date=timezone.localdate() + timedelta(days=1))
    assert "birth_date" in refused.value.message_dict


def test_merging_keeps_an_opposition_and_refuses_anonymised_records(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        keep = person_make(document_number="A-1")
        opposed = person_opposition_record(
            actor=staff("coordinator"),
            person=person_make(given_names="Otra", document_number="A-2"),
        )
        merged = person_merge(actor=staff("coordinator"), keep=keep, duplicate=opposed)
        assert merged.opposed_on is not None
        gone = person_anonymise(
            actor=staff("coordinator"), person=person_make(given_names="Eva", document_number="A-3")
        )
        with pytest.raises(ValidationError):
            person_merge(actor=staff("coordinator"), keep=merged, duplicate=gone)


def test_anonymisation_leaves_no_trace_in_any_text_column(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        person = person_make(
            given_names="Zoraida",
            family_names="Quintanilla",
            phone="955 444 333",
            document_number="ZQ-778899",
            consents=(ConsentPurpose.REFERRAL_SHARING,),
        )
        services = list(ServiceType.objects.filter(code="gbv"))
        attention_record(
            actor=staff(),
            person=person,
            occurred_on=timezone.localdate(),
            channel="phone",
            service_types=services,
            notes="Zoraida llamó",
        )
        case = case_open(actor=staff(), person=person, caseworker=staff(), plan="Plan para Zoraida")
        follow_up_add(
            actor=staff(),
            case=case,
            description="Llamar a Zoraida al 955 444 333",
            due_on=timezone.localdate(),
        )
        referral_send(
            actor=staff("coordinator"),
            person=person,
            partner=Partner.objects.get(code="cem"),
            reason="Zoraida Quintanilla",
            shares_personal_data=False,
        )
        data_request_record(
            actor=staff("coordinator"),
            person=person,
            kind="cancellation",
            received_on=date(2026, 1, 5),
            note="Pedido de Zoraida",
        )
        person_anonymise(actor=staff("coordinator"), person=person)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() "
                "AND data_type IN ('text', 'character varying', 'jsonb')"
            )
            leaks = []
            for table, column in cursor.fetchall():
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ~* %s',  # noqa: S608 - catalogue names
                    ["zoraida|quintanilla|955 ?444|zq-?778899"],
                )
                if cursor.fetchone()[0]:
                    leaks.append(f"{table}.{column}")
    assert leaks == []


def _csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode(encoding)


def test_import_refuses_what_the_database_would_refuse(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        preview = import_preview(
            filename="p.csv",
            content=_csv(
                f"{'x' * 130};Ana;mujer;01/01/1990;;VE;en destino;;",
                "Soto;Ana;mujer;;40000;VE;en destino;;",
                "Soto;Eva;mujer;01/01/2090;;VE;en destino;;",
                "Soto;Ivo;hombre;01/01/1990;;VE;en destino;dni;",
            ),
        )
    assert {(e.row, e.column) for e in preview.errors} == {
        (2, "apellidos"),
        (3, "edad_estimada"),
        (4, "fecha_nacimiento"),
        (5, "numero_documento"),
    }


def test_import_reads_excel_csv_and_country_names_in_spanish_or_english(
    district_a: District,
) -> None:
    with schema_context(district_a.schema_name):
        preview = import_preview(
            filename="p.csv",
            content=_csv(
                "Núñez Peña;José;hombre;01/01/1990;;Haití;en destino;;",
                "Souza;Ana;mujer;01/01/1990;;Brazil;en destino;;",
            ),
        )
        assert preview.ok, preview.errors
        windows = import_preview(
            filename="p.csv",
            content=_csv(
                "Núñez Peña;José;hombre;01/01/1990;;Brasil;en destino;;", encoding="cp1252"
            ),
        )
    assert windows.ok, windows.errors
    assert windows.rows[0]["family_names"] == "Núñez Peña"
    assert [r["nationality"] for r in preview.rows] == ["HT", "BR"]


def test_exports_neutralise_spreadsheet_formulas(district_a: District, client_a: Client) -> None:
    with schema_context(district_a.schema_name):
        person_make(given_names='=HYPERLINK("http://evil.example","Ver")')
    login_as(client_a, district_a, "caseworker")
    exported = client_a.get("/people/export/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in exported


def test_a_caseworker_is_not_offered_the_consent_override(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
    login_as(client_a, district_a, "caseworker")
    page = client_a.get(f"/casework/people/{person.public_id}/referrals/new/").content.decode()
    assert "consent_override_reason" not in page
    login_as(client_a, district_a, "coordinator")
    assert (
        "consent_override_reason"
        in client_a.get(f"/casework/people/{person.public_id}/referrals/new/").content.decode()
    )


def test_the_viewer_menu_has_no_links_to_personal_data(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "viewer")
    page = client_a.get("/").content.decode()
    assert 'href="/people/"' not in page
    assert 'href="/casework/referrals/"' not in page
    assert 'href="/"' in page  # the menu itself is there


def test_an_edit_can_answer_a_rectification_request(district_a: District, client_a: Client) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
        request = data_request_record(
            actor=staff("coordinator"),
            person=person,
            kind="rectification",
            received_on=timezone.localdate(),
        )
    login_as(client_a, district_a, "coordinator")
    assert "rectification" in client_a.get(f"/people/{person.public_id}/edit/").content.decode()
    response = client_a.post(
        f"/people/{person.public_id}/edit/",
        {
            "given_names": "María José",
            "family_names": "Pérez Núñez",
            "sex": "female",
            "birth_date": "1990-05-17",
            "nationality": "VE",
            "population_group": "in_destination",
            "rectification": request.pk,
            "record_version": "1",  # the version the edit form was loaded with
        },
    )
    assert response.status_code == 302
    with schema_context(district_a.schema_name):
        request.refresh_from_db()
        assert request.status == "answered"


def test_opposition_and_cancellation_answer_their_pending_requests_and_opposition_can_be_withdrawn(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
        opposition = data_request_record(
            actor=staff("coordinator"),
            person=person,
            kind="opposition",
            received_on=timezone.localdate(),
        )
    login_as(client_a, district_a, "coordinator")
    client_a.post(f"/people/{person.public_id}/rights/opposition/")
    with schema_context(district_a.schema_name):
        opposition.refresh_from_db()
        assert opposition.status == "answered"
    client_a.post(f"/people/{person.public_id}/rights/opposition/", {"action": "withdraw"})
    with schema_context(district_a.schema_name):
        assert Person.objects.get(pk=person.pk).opposed_on is None


def test_an_anonymised_record_cannot_receive_new_data(district_a: District) -> None:
    from apps.people.services import PersonInput, person_update, situation_record

    with schema_context(district_a.schema_name):
        person = person_anonymise(actor=staff("coordinator"), person=person_make())
        services = list(ServiceType.objects.filter(code="other"))
        with pytest.raises(ValidationError):
            attention_record(
                actor=staff(),
                person=person,
                occurred_on=timezone.localdate(),
                channel="phone",
                service_types=services,
            )
        with pytest.raises(ValidationError):
            situation_record(actor=staff(), person=person, status="refugee", since=date(2025, 1, 1))
        with pytest.raises(ValidationError):
            person_update(
                actor=staff(),
                person=person,
                values=PersonInput(
                    given_names="Vuelve",
                    family_names="X",
                    sex="female",
                    nationality="VE",
                    population_group="in_destination",
                    birth_date=date(1990, 1, 1),
                ),
            )


def test_future_dates_are_refused_for_situations(district_a: District) -> None:
    from apps.people.services import situation_record

    with schema_context(district_a.schema_name), pytest.raises(ValidationError) as refused:
        situation_record(
            actor=staff(),
            person=person_make(),
            status="refugee",
            since=timezone.localdate() + timedelta(days=3),
        )
    assert "since" in refused.value.message_dict


def test_case_and_referral_pages_are_in_the_access_log(
    district_a: District, client_a: Client
) -> None:
    from apps.audit.models import AccessLogEntry

    with schema_context(district_a.schema_name):
        person = person_make(consents=(ConsentPurpose.REFERRAL_SHARING,))
        case = case_open(actor=staff(), person=person, caseworker=staff())
        referral = referral_send(
            actor=staff(), person=person, partner=Partner.objects.get(code="oim"), reason="x"
        )
    login_as(client_a, district_a, "caseworker")
    client_a.get(f"/casework/cases/{case.public_id}/")
    client_a.get(f"/casework/referrals/{referral.public_id}/")
    with schema_context(district_a.schema_name):
        logged = set(AccessLogEntry.objects.values_list("object_type", "object_id"))
    assert logged == {("case", str(case.public_id)), ("referral", str(referral.public_id))}
