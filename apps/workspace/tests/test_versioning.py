"""The shared mechanism behind "the second save is told the record changed": the database
raises the version on every update, the check refuses a stale one, the form carries it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context

from apps.people.models import Person
from apps.people.tests.factories import person_make, staff
from apps.workspace.tests.concurrency import CHANGED_TEXT, form_data, open_form
from apps.workspace.versioning import (
    VERSION_FIELD,
    RecordChangedError,
    Versioned,
    version_check,
)
from conftest import in_english, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_district_a(district_a: District) -> Iterator[District]:
    with schema_context(district_a.schema_name):
        yield district_a


def _version(person: Person) -> int:
    return Person.objects.values_list("version", flat=True).get(pk=person.pk)


def test_every_update_of_the_row_raises_the_version(in_district_a: District) -> None:
    person = person_make()
    assert _version(person) == 1
    person.phone = "+51 911 111 111"
    person.save()
    assert _version(person) == 2
    # Writes that bypass save() count too: the trigger is in the database.
    Person.objects.filter(pk=person.pk).update(address="Jr. Callao 1")
    assert _version(person) == 3
    # An explicit version in the update cannot lower or fake it.
    Person.objects.filter(pk=person.pk).update(version=1)
    assert _version(person) == 4


def test_the_history_records_the_version(in_district_a: District) -> None:
    person = person_make()
    Person.objects.filter(pk=person.pk).update(address="Jr. Callao 1")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pgh_label, version FROM people_personevent WHERE pgh_obj_id = %s "
            "ORDER BY pgh_id",
            [person.pk],
        )
        assert cursor.fetchall() == [("insert", 1), ("update", 2)]


def test_every_versioned_table_has_its_trigger_in_the_district(in_district_a: District) -> None:
    versioned = [
        model
        for model in apps.get_models()
        if issubclass(model, Versioned) and not model._meta.proxy
    ]
    assert {model._meta.label for model in versioned} >= {
        "people.Person",
        "complaints.Establishment",
        "complaints.SanctionRule",
        "inclusion.Business",
        "inclusion.Training",
        "inclusion.Event",
        "volunteers.Volunteer",
        "volunteers.AwarenessActivity",
        "activities.PartnerActivity",
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND t.tgname LIKE 'pgtrigger_version_bump_%%'",
            [in_district_a.schema_name],
        )
        tables = {row[0] for row in cursor.fetchall()}
    assert tables == {model._meta.db_table for model in versioned}


def test_a_stale_version_is_refused_with_who_and_when(in_district_a: District) -> None:
    person = person_make()
    person.phone = "+51 922 222 222"
    person.save()
    with translation.override("en"), pytest.raises(RecordChangedError) as refused:
        version_check(person, 1)
    message = refused.value.messages[0]
    assert message.startswith(CHANGED_TEXT)
    assert re.search(r"\(by \S+ at \d\d:\d\d\)\. Your changes were not saved", message)
    version_check(person, 2)  # the current version passes
    version_check(person, None)  # callers without a form: no comparison


def test_the_message_names_whoever_saved(in_district_a: District) -> None:
    from apps.people.services import PersonInput, person_update

    person = person_make()
    values = PersonInput(
        given_names="María José",
        family_names="Pérez Núñez",
        sex="female",
        nationality="VE",
        population_group="in_destination",
        birth_date=person.birth_date,
        phone="+51 933 333 333",
    )
    coordinator = staff("coordinator")
    person_update(actor=coordinator, person=person, values=values, expected_version=1)
    with translation.override("en"), pytest.raises(RecordChangedError) as refused:
        version_check(person, 1)
    assert f"(by {coordinator.get_username()} at " in refused.value.messages[0]


def test_a_post_without_the_version_is_refused_and_writes_nothing(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
    login_as(in_english(client_a), district_a, "coordinator")
    url = f"/people/{person.public_id}/edit/"
    data = open_form(client_a, url)
    del data[VERSION_FIELD]
    response = client_a.post(url, {**data, "phone": "+51 944 444 444"})
    assert response.status_code == 400
    assert "This form is out of date or incomplete" in response.content.decode()
    with schema_context(district_a.schema_name):
        assert Person.objects.get(pk=person.pk).phone == "+51 987 654 321"
        assert _version(person) == 1


def test_after_the_refusal_the_reviewed_save_goes_through(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
    login_as(in_english(client_a), district_a, "coordinator")
    url = f"/people/{person.public_id}/edit/"
    stale = open_form(client_a, url)
    with schema_context(district_a.schema_name):
        Person.objects.filter(pk=person.pk).update(address="Jr. Callao 1")
    refused = client_a.post(url, {**stale, "phone": "+51 955 555 555"})
    assert refused.status_code == 409
    # What the user typed is shown beside the current value; the form holds the current one.
    conflict = refused.context["edit_conflict"]
    assert [(row.yours, row.current) for row in conflict] == [
        ("+51 955 555 555", "+51 987 654 321"),
        ("—", "Jr. Callao 1"),
    ]
    reviewed = form_data(refused.context["form"])
    assert reviewed["address"] == "Jr. Callao 1"
    assert client_a.post(url, {**reviewed, "phone": "+51 955 555 555"}).status_code == 302
    with schema_context(district_a.schema_name):
        saved = Person.objects.get(pk=person.pk)
        assert (saved.phone, saved.address) == ("+51 955 555 555", "Jr. Callao 1")
