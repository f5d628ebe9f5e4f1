from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.casework.models import Attention, Case, Referral
from apps.casework.services import case_note_add, case_open, referral_send
from apps.catalogue.models import Partner, ServiceType
from apps.people.models import ConsentPurpose, Person
from apps.people.tests.factories import person_make, staff
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def _person(district: District, **values: object) -> Person:
    with schema_context(district.schema_name):
        return person_make(**values)


def test_a_caseworker_records_an_attention_from_the_record_page(
    district_a: District, client_a: Client
) -> None:
    person = _person(district_a)
    login_as(client_a, district_a, "caseworker")
    page = client_a.get(f"/people/{person.public_id}/").content.decode()
    assert f"/casework/people/{person.public_id}/attentions/new/" in page
    with schema_context(district_a.schema_name):
        service = ServiceType.objects.get(code="legal-orientation").pk
    response = client_a.post(
        f"/casework/people/{person.public_id}/attentions/new/",
        {
            "occurred_on": timezone.localdate().isoformat(),
            "channel": "in_person",
            "service_types": [service],
            "notes": "CPP",
        },
    )
    assert response.status_code == 302
    with schema_context(district_a.schema_name):
        assert Attention.objects.get().notes == "CPP"
    refused = client_a.post(
        f"/casework/people/{person.public_id}/attentions/new/",
        {"occurred_on": timezone.localdate().isoformat(), "channel": "in_person"},
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors["service_types"]


def test_a_referral_without_consent_is_refused_next_to_the_field(
    district_a: District, client_a: Client
) -> None:
    person = _person(district_a, consents=(ConsentPurpose.REGISTRATION,))
    login_as(client_a, district_a, "caseworker")
    with schema_context(district_a.schema_name):
        partner = Partner.objects.get(code="acnur").pk
    response = client_a.post(
        f"/casework/people/{person.public_id}/referrals/new/",
        {"partner": partner, "reason": "Protección internacional", "shares_personal_data": "on"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["shares_personal_data"]
    with schema_context(district_a.schema_name):
        assert not Referral.objects.exists()


def test_referral_status_is_updated_and_impossible_moves_are_refused(
    district_a: District, client_a: Client
) -> None:
    person = _person(district_a, consents=(ConsentPurpose.REFERRAL_SHARING,))
    with schema_context(district_a.schema_name):
        referral = referral_send(
            actor=staff(), person=person, partner=Partner.objects.get(code="oim"), reason="Empleo"
        )
    login_as(client_a, district_a, "caseworker")
    path = f"/casework/referrals/{referral.public_id}/"
    refused = client_a.post(path, {"to_status": "completed"})
    assert refused.status_code == 400
    assert refused.context["form"].non_field_errors()
    assert (
        client_a.post(path, {"to_status": "accepted", "note": "Cita el lunes"}).status_code == 302
    )
    assert "Cita el lunes" in client_a.get(path).content.decode()
    assert "Pérez Núñez" in client_a.get("/casework/referrals/?status=accepted").content.decode()
    assert "Pérez Núñez" not in client_a.get("/casework/referrals/?status=sent").content.decode()


def test_sensitive_notes_are_hidden_from_other_roles_on_the_case_page(
    district_a: District, client_a: Client
) -> None:
    person = _person(district_a)
    with schema_context(district_a.schema_name):
        case = case_open(actor=staff(), person=person, caseworker=staff())
        case_note_add(actor=staff(), case=case, text="Nota reservada VBG", is_sensitive=True)
        # A complaints officer may see cases only if a coordinator grants it; give it here.
        from django.contrib.auth.models import Permission

        staff("complaints_officer").user_permissions.add(
            Permission.objects.get(codename="view_case")
        )
    login_as(client_a, district_a, "caseworker")
    assert (
        "Nota reservada VBG" in client_a.get(f"/casework/cases/{case.public_id}/").content.decode()
    )
    other = Client(HTTP_HOST="la-perla.localhost")
    login_as(other, district_a, "complaints_officer")
    page = other.get(f"/casework/cases/{case.public_id}/")
    assert page.status_code == 200
    assert "Nota reservada VBG" not in page.content.decode()


def test_closing_a_case_needs_a_reason(district_a: District, client_a: Client) -> None:
    person = _person(district_a)
    with schema_context(district_a.schema_name):
        case = case_open(actor=staff(), person=person, caseworker=staff())
    login_as(client_a, district_a, "caseworker")
    assert client_a.post(f"/casework/cases/{case.public_id}/close/", {}).status_code == 400
    assert (
        client_a.post(
            f"/casework/cases/{case.public_id}/close/", {"close-closing_reason": "resolved"}
        ).status_code
        == 302
    )
    with schema_context(district_a.schema_name):
        assert Case.objects.get().status == Case.Status.CLOSED


@pytest.mark.parametrize("role", ["viewer", "inclusion_officer"])
def test_roles_without_casework_get_403(district_a: District, client_a: Client, role: str) -> None:
    person = _person(district_a)
    with schema_context(district_a.schema_name):
        case = case_open(actor=staff(), person=person, caseworker=staff())
    login_as(client_a, district_a, role)
    for path in (
        f"/casework/people/{person.public_id}/attentions/new/",
        f"/casework/cases/{case.public_id}/",
        "/casework/referrals/",
    ):
        assert client_a.get(path).status_code == 403, path


def test_casework_of_another_district_is_not_found(
    district_a: District, district_b: District, client_b: Client
) -> None:
    person = _person(district_a, consents=(ConsentPurpose.REFERRAL_SHARING,))
    with schema_context(district_a.schema_name):
        case = case_open(actor=staff(), person=person, caseworker=staff())
        referral = referral_send(
            actor=staff(), person=person, partner=Partner.objects.get(code="oim"), reason="x"
        )
    login_as(client_b, district_b, "coordinator")
    for path in (
        f"/casework/people/{person.public_id}/attentions/new/",
        f"/casework/cases/{case.public_id}/",
        f"/casework/referrals/{referral.public_id}/",
    ):
        assert client_b.get(path).status_code == 404, path
