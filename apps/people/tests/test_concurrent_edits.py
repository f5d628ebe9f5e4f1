"""Two staff editing the same person: the second save is refused, the first one's values
stay (``apps.workspace.versioning``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.people.models import Person
from apps.people.services import PersonInput, person_update
from apps.people.tests.factories import person_make, staff
from apps.workspace.tests.concurrency import two_staff_edit
from apps.workspace.versioning import RecordChangedError
from conftest import client_for, in_english, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def test_the_second_edit_of_a_person_is_refused(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
    first, second = in_english(client_for(district_a)), in_english(client_for(district_a))
    login_as(first, district_a, "caseworker")
    login_as(second, district_a, "coordinator")
    refused = two_staff_edit(
        first,
        second,
        f"/people/{person.public_id}/edit/",
        {"phone": "+51 911 000 111"},
        {"phone": "+51 922 000 222", "address": "Av. Grau 5"},
    )
    assert "by caseworker@la-perla.test at" in refused.content.decode()
    with schema_context(district_a.schema_name):
        saved = Person.objects.get(pk=person.pk)
        assert (saved.phone, saved.address) == ("+51 911 000 111", "")
    # The user's typed values are shown beside the current ones.
    rows = {row.label: (row.yours, row.current) for row in refused.context["edit_conflict"]}
    assert rows["Phone"] == ("+51 922 000 222", "+51 911 000 111")
    assert rows["Address in the district"] == ("Av. Grau 5", "—")


def test_a_stale_version_writes_nothing(district_a: District, client_a: Client) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
        values = PersonInput(
            given_names="Ana",
            family_names="Rojas",
            sex="female",
            nationality="VE",
            population_group="in_destination",
            birth_date=person.birth_date,
        )
        person_update(actor=staff(), person=person, values=values, expected_version=1)
        stale = PersonInput(**{**values.__dict__, "given_names": "Ana María"})
        events_before = person.events.count()  # type: ignore[attr-defined]
        with pytest.raises(RecordChangedError):
            person_update(
                actor=staff("coordinator"), person=person, values=stale, expected_version=1
            )
        saved = Person.objects.get(pk=person.pk)
        assert (saved.given_names, saved.version) == ("Ana", 2)
        # Refused before any UPDATE: the history (pghistory triggers) records nothing either.
        assert person.events.count() == events_before  # type: ignore[attr-defined]
