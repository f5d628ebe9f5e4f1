from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.audit.models import AccessLogEntry
from apps.casework.services import attention_record, case_note_add, case_open, referral_send
from apps.catalogue.models import Partner, ServiceType
from apps.people.models import ConsentPurpose, DataSubjectRequest, Person
from apps.people.rights import business_days_after, data_request_record, person_anonymise
from apps.people.tests.factories import person_make, staff
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def test_deadlines_count_business_days() -> None:
    friday = date(2026, 11, 27)
    assert business_days_after(friday, 1) == date(2026, 11, 30)  # Monday
    assert business_days_after(friday, 10) == date(2026, 12, 11)


def _person_with_history(district: District) -> Person:
    with schema_context(district.schema_name):
        person = person_make(
            consents=(ConsentPurpose.REFERRAL_SHARING, ConsentPurpose.SENSITIVE_DATA),
            has_disability=True,
        )
        services = list(ServiceType.objects.filter(code="gbv"))
        attention_record(
            actor=staff(),
            person=person,
            occurred_on=timezone.localdate(),
            channel="phone",
            service_types=services,
            notes="Relato de violencia",
        )
        case = case_open(
            actor=staff(), person=person, caseworker=staff(), plan="Plan de protección"
        )
        case_note_add(actor=staff(), case=case, text="Detalle reservado", is_sensitive=True)
        referral_send(
            actor=staff(),
            person=person,
            partner=Partner.objects.get(code="cem"),
            reason="Atención VBG",
        )
    return person


def test_a_request_gets_its_legal_deadline(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
        request = data_request_record(
            actor=staff("coordinator"), person=person, kind="access", received_on=date(2026, 11, 27)
        )
    assert request.due_on == business_days_after(date(2026, 11, 27), 20)
    assert request.status == DataSubjectRequest.Status.RECEIVED


def test_the_complete_data_file_holds_everything_and_is_logged(
    district_a: District, client_a: Client
) -> None:
    person = _person_with_history(district_a)
    login_as(client_a, district_a, "coordinator")
    response = client_a.get(f"/people/{person.public_id}/rights/data.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["person"]["family_names"] == "Pérez Núñez"
    assert data["documents"][0]["number"] == "V-12.345.678"
    assert data["attentions"][0]["notes"] == "Relato de violencia"
    assert data["cases"][0]["notes"] == ["Detalle reservado"]
    assert data["referrals"][0]["partner"] == "cem"
    with schema_context(district_a.schema_name):
        assert AccessLogEntry.objects.filter(
            action="export", object_id=str(person.public_id)
        ).exists()
    assert (
        "Pérez Núñez"
        in client_a.get(f"/people/{person.public_id}/rights/summary/").content.decode()
    )


def test_opposition_keeps_the_person_out_of_exports_and_referrals(
    district_a: District, client_a: Client
) -> None:
    person = _person_with_history(district_a)
    login_as(client_a, district_a, "coordinator")
    assert client_a.post(f"/people/{person.public_id}/rights/opposition/").status_code == 302
    exported = client_a.get("/people/export/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "Pérez Núñez" not in exported
    with schema_context(district_a.schema_name):
        person.refresh_from_db()
        with pytest.raises(ValidationError) as refused:
            referral_send(
                actor=staff("coordinator"),
                person=person,
                partner=Partner.objects.get(code="oim"),
                reason="x",
                consent_override_reason="y",
            )
    assert "shares_personal_data" in refused.value.message_dict


def test_anonymisation_removes_identity_everywhere_and_keeps_the_counts(
    district_a: District, client_a: Client
) -> None:
    person = _person_with_history(district_a)
    login_as(client_a, district_a, "coordinator")
    wrong = client_a.post(
        f"/people/{person.public_id}/rights/anonymise/", {"confirm_name": "Otra Persona"}
    )
    assert wrong.status_code == 400
    response = client_a.post(
        f"/people/{person.public_id}/rights/anonymise/", {"confirm_name": "María José  Pérez Núñez"}
    )
    assert response.status_code == 302
    with schema_context(district_a.schema_name):
        person = Person.objects.get(pk=person.pk)
        assert person.full_name == "Anonimizado"
        assert (person.phone, person.birth_date, person.has_disability) == ("", None, None)
        assert person.estimated_age is not None
        assert (person.sex, str(person.nationality)) == ("female", "VE")
        assert person.documents.get().number == ""
        assert person.attentions.count() == 1
        assert person.attentions.get().notes == ""
        assert person.referrals.get().reason == ""
        assert person.cases.get().notes.get().text != "Detalle reservado"
        with connection.cursor() as cursor:
            for table, column in (
                ("people_personevent", "family_names"),
                ("people_identitydocumentevent", "number"),
                ("casework_attentionevent", "notes"),
                ("casework_casenoteevent", "text"),
            ):
                pattern = "ARRAY['%%Pérez%%', '%%12.345%%', '%%violencia%%', '%%reservado%%']"
                sql = f"SELECT count(*) FROM {table} WHERE {column} ILIKE ANY({pattern})"  # noqa: S608
                cursor.execute(sql)
                assert cursor.fetchone() == (0,), table
        with pytest.raises(ValidationError):
            person_anonymise(actor=staff("coordinator"), person=person)


@pytest.mark.parametrize("role", ["caseworker", "viewer"])
def test_rights_are_handled_by_the_coordinator_only(
    district_a: District, client_a: Client, role: str
) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
    login_as(client_a, district_a, role)
    for path in ("rights/data.json", "rights/anonymise/", "rights/new/"):
        assert client_a.get(f"/people/{person.public_id}/{path}").status_code == 403
