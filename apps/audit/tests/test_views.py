from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.people.services import PersonInput, person_update
from apps.people.tests.factories import person_make, staff
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def test_the_coordinator_sees_who_viewed_and_what_changed_without_the_values(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
        person_update(
            actor=staff(),
            person=person,
            values=PersonInput(
                given_names="María José",
                family_names="Pérez Núñez",
                sex="female",
                nationality="VE",
                population_group="in_destination",
                birth_date=person.birth_date,
                phone="911 222 333",
            ),
        )
    caseworker = Client(HTTP_HOST="la-perla.localhost")
    login_as(caseworker, district_a, "caseworker")
    caseworker.get(f"/people/{person.public_id}/")

    login_as(client_a, district_a, "coordinator")
    access = client_a.get("/audit/").content.decode()
    assert "caseworker@la-perla.test" in access
    assert str(person.public_id)[:8] in access
    changes = client_a.get("/audit/", {"tab": "changes"}).content.decode()
    assert f"persona #{person.pk}" in changes
    assert "phone" in changes  # the field that changed
    assert "911 222 333" not in changes  # never its value
    assert "caseworker@la-perla.test" in changes
    filtered = client_a.get("/audit/", {"tab": "changes", "username": "nadie"}).content.decode()
    assert f"persona #{person.pk}" not in filtered


def test_filtering_the_access_log_by_user(district_a: District, client_a: Client) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
    viewer = Client(HTTP_HOST="la-perla.localhost")
    login_as(viewer, district_a, "caseworker")
    viewer.get(f"/people/{person.public_id}/")
    login_as(client_a, district_a, "coordinator")
    assert (
        "caseworker@la-perla.test"
        not in client_a.get("/audit/", {"username": "nadie"}).content.decode()
    )


@pytest.mark.parametrize("role", ["caseworker", "viewer", "complaints_officer"])
def test_only_the_coordinator_opens_the_audit(
    district_a: District, client_a: Client, role: str
) -> None:
    login_as(client_a, district_a, role)
    assert client_a.get("/audit/").status_code == 403
    assert "/audit/" not in client_a.get("/").content.decode()
