"""Every list page costs the same number of queries whatever the number of rows it shows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.casework.services import attention_record, referral_send
from apps.catalogue.models import Partner, ServiceType
from apps.people.models import ConsentPurpose
from apps.people.tests.factories import person_make, staff
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def _add_people(district: District, start: int, stop: int) -> None:
    with schema_context(district.schema_name):
        services = list(ServiceType.objects.filter(code__in=["other", "gbv"]))
        partner = Partner.objects.get(code="oim")
        for i in range(start, stop):
            person = person_make(
                given_names=f"Persona {i}",
                document_number=f"Q-{i}",
                consents=(ConsentPurpose.REFERRAL_SHARING,),
            )
            attention_record(
                actor=staff(),
                person=person,
                occurred_on=timezone.localdate(),
                channel="phone",
                service_types=services,
            )
            referral_send(actor=staff(), person=person, partner=partner, reason="x")


def _queries(client: Client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "path",
    ["/people/", "/casework/referrals/", "/audit/", "/audit/?tab=changes", "/"],
)
def test_list_pages_do_not_grow_with_rows(
    district_a: District, client_a: Client, path: str
) -> None:
    login_as(client_a, district_a, "coordinator")
    _add_people(district_a, 0, 2)
    view: Callable[[], int] = lambda: _queries(client_a, path)  # noqa: E731
    few = view()
    _add_people(district_a, 2, 14)
    assert view() == few


def test_a_record_page_does_not_grow_with_its_history(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    with schema_context(district_a.schema_name):
        person = person_make(consents=(ConsentPurpose.REFERRAL_SHARING,))
        services = list(ServiceType.objects.filter(code="other"))
    path = f"/people/{person.public_id}/"
    with schema_context(district_a.schema_name):
        attention_record(
            actor=staff(),
            person=person,
            occurred_on=timezone.localdate(),
            channel="phone",
            service_types=services,
        )
    few = _queries(client_a, path)
    with schema_context(district_a.schema_name):
        for _ in range(6):
            attention_record(
                actor=staff(),
                person=person,
                occurred_on=timezone.localdate(),
                channel="phone",
                service_types=services,
            )
            referral_send(
                actor=staff(), person=person, partner=Partner.objects.get(code="oim"), reason="x"
            )
    assert _queries(client_a, path) == few
