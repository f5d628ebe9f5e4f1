from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.audit.models import AccessLogEntry
from apps.casework.services import attention_record, case_open
from apps.catalogue.models import ServiceType
from apps.people.models import ConsentPurpose, Person
from apps.people.services import person_merge
from apps.people.tests.factories import person_make, staff
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def _pair(district: District) -> tuple[Person, Person]:
    with schema_context(district.schema_name):
        keep = person_make(phone="", document_number="CPP-1", document_type="cpp")
        duplicate = person_make(
            given_names="Maria",
            family_names="Perez",
            phone="999 111 222",
            document_number="P-77",
            consents=(ConsentPurpose.REFERRAL_SHARING,),
        )
        services = list(ServiceType.objects.filter(code="other"))
        attention_record(
            actor=staff(),
            person=duplicate,
            occurred_on=timezone.localdate(),
            channel="phone",
            service_types=services,
        )
        case_open(actor=staff(), person=duplicate, caseworker=staff())
    return keep, duplicate


def test_merging_moves_everything_and_logs_it(district_a: District) -> None:
    keep, duplicate = _pair(district_a)
    with schema_context(district_a.schema_name):
        merged = person_merge(actor=staff("coordinator"), keep=keep, duplicate=duplicate)
        assert not Person.objects.filter(pk=duplicate.pk).exists()
        assert sorted(merged.documents.values_list("number", flat=True)) == ["CPP-1", "P-77"]
        assert merged.attentions.count() == 1
        assert merged.cases.count() == 1
        assert merged.consents.filter(purpose=ConsentPurpose.REFERRAL_SHARING).exists()
        assert merged.phone == "999 111 222"  # filled from the duplicate
        entry = AccessLogEntry.objects.get(action="merge")
        assert entry.detail == {"merged_from": str(duplicate.public_id)}
        with pytest.raises(ValidationError):
            person_merge(actor=staff("coordinator"), keep=merged, duplicate=merged)


def test_the_coordinator_merges_from_the_record_page(
    district_a: District, client_a: Client
) -> None:
    keep, duplicate = _pair(district_a)
    login_as(client_a, district_a, "coordinator")
    page = client_a.get(f"/people/{keep.public_id}/merge/", {"q": "P-77"}).content.decode()
    assert str(duplicate.public_id) in page
    response = client_a.post(
        f"/people/{keep.public_id}/merge/", {"duplicate": str(duplicate.public_id)}
    )
    assert response.status_code == 302
    with schema_context(district_a.schema_name):
        assert Person.objects.count() == 1


def test_likely_duplicates_are_offered_without_a_search(
    district_a: District, client_a: Client
) -> None:
    keep, duplicate = _pair(district_a)
    login_as(client_a, district_a, "coordinator")
    assert keep.birth_date == date(1990, 5, 17)
    assert (
        str(duplicate.public_id)
        in client_a.get(f"/people/{keep.public_id}/merge/").content.decode()
    )


def test_a_caseworker_cannot_merge(district_a: District, client_a: Client) -> None:
    keep, duplicate = _pair(district_a)
    login_as(client_a, district_a, "caseworker")
    assert (
        client_a.post(
            f"/people/{keep.public_id}/merge/", {"duplicate": str(duplicate.public_id)}
        ).status_code
        == 403
    )
    with schema_context(district_a.schema_name):
        assert Person.objects.count() == 2
