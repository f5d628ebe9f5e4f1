from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.people.models import Person
from apps.people.tests.factories import person_make
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def test_a_household_is_created_and_members_added_and_removed(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        mother = person_make()
        child = person_make(
            given_names="Sofía",
            family_names="Pérez",
            document_number="P-2",
            birth_date=None,
            estimated_age=7,
        )
    login_as(client_a, district_a, "caseworker")
    path = f"/people/{mother.public_id}/household/"
    assert client_a.post(path, {"action": "create"}).status_code == 302
    page = client_a.get(path, {"q": "sofia"}).content.decode()
    assert str(child.public_id) in page
    client_a.post(path, {"action": "add", "member": str(child.public_id), "relationship": "child"})
    with schema_context(district_a.schema_name):
        mother, child = Person.objects.get(pk=mother.pk), Person.objects.get(pk=child.pk)
        assert mother.household_relationship == "head"
        assert child.household_id == mother.household_id
        assert child.household_relationship == "child"
    removal = {"action": "remove", "member": str(child.public_id)}
    asked = client_a.post(path, removal)  # the confirmation page first: nothing changes
    assert asked.status_code == 200
    assert 'name="confirmed" value="1"' in asked.content.decode()
    with schema_context(district_a.schema_name):
        assert Person.objects.get(pk=child.pk).household_id == mother.household_id
    client_a.post(path, {**removal, "confirmed": "1"})
    with schema_context(district_a.schema_name):
        assert Person.objects.get(pk=child.pk).household_id is None


def test_someone_in_another_household_is_refused(district_a: District, client_a: Client) -> None:
    with schema_context(district_a.schema_name):
        first = person_make()
        second = person_make(given_names="Luis", document_number="P-3")
    login_as(client_a, district_a, "caseworker")
    client_a.post(f"/people/{first.public_id}/household/", {"action": "create"})
    client_a.post(f"/people/{second.public_id}/household/", {"action": "create"})
    client_a.post(
        f"/people/{first.public_id}/household/",
        {"action": "add", "member": str(second.public_id), "relationship": "spouse"},
    )
    with schema_context(district_a.schema_name):
        assert Person.objects.get(pk=second.pk).household_relationship == "head"


def test_the_viewer_cannot_change_households(district_a: District, client_a: Client) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
    login_as(client_a, district_a, "viewer")
    assert (
        client_a.post(f"/people/{person.public_id}/household/", {"action": "create"}).status_code
        == 403
    )
