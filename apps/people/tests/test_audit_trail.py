"""Acceptance: a person created, viewed, edited, exported and anonymised leaves the expected
history (database triggers) and access-log entries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from apps.audit.models import AccessLogEntry
from apps.catalogue.models import DocumentType
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def test_the_whole_life_of_a_record_is_audited(district_a: District, client_a: Client) -> None:
    login_as(client_a, district_a, "coordinator")
    with schema_context(district_a.schema_name):
        cpp = DocumentType.objects.get(code="cpp").pk
    created = client_a.post(
        "/people/new/",
        {
            "given_names": "Yulimar",
            "family_names": "Rodríguez",
            "sex": "female",
            "birth_date": "1995-02-03",
            "nationality": "VE",
            "population_group": "in_destination",
            "document_type": cpp,
            "document_number": "CPP-1",
            "consents": ["registration"],
            "consent_form_version": "1",
            "consent_method": "signed",
        },
    )
    assert created.status_code == 302
    path = created["Location"]
    public_id = path.strip("/").split("/")[-1]
    client_a.get(path)  # viewed
    edited = client_a.post(
        f"{path}edit/",
        {
            "given_names": "Yulimar",
            "family_names": "Rodríguez",
            "sex": "female",
            "birth_date": "1995-02-03",
            "nationality": "VE",
            "population_group": "in_destination",
            "phone": "987 000 111",
            "record_version": "1",  # the version the edit form was loaded with
        },
    )
    assert edited.status_code == 302
    assert client_a.get("/people/export/", {"format": "csv"}).status_code == 200  # exported
    assert (
        client_a.post(f"{path}rights/anonymise/", {"confirm_name": "Yulimar Rodríguez"}).status_code
        == 302
    )

    with schema_context(district_a.schema_name):
        actions = list(
            AccessLogEntry.objects.order_by("at", "pk").values_list("action", "username")
        )
        assert actions == [
            ("view", "coordinator@la-perla.test"),
            ("export", "coordinator@la-perla.test"),
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.pgh_label, c.metadata->>'url' FROM people_personevent e "
                "JOIN pghistory_context c ON c.id = e.pgh_context_id "
                "JOIN people_person p ON p.id = e.pgh_obj_id "
                "WHERE p.public_id = %s ORDER BY e.pgh_id",
                [public_id],
            )
            events = cursor.fetchall()
    assert [label for label, _url in events] == ["insert", "update", "update"]
    assert events[0][1] == "/people/new/"
    assert events[1][1].endswith("/edit/")
    assert events[2][1].endswith("/rights/anonymise/")
