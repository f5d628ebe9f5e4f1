"""The printable summary of a person: laid out for paper, marked confidential, logged."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.audit.models import AccessLogEntry
from apps.people.tests.factories import person_make
from conftest import in_english, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def test_the_summary_prints_with_its_header_and_confidential_footer_and_is_logged(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
    login_as(in_english(client_a), district_a, "caseworker")
    record = client_a.get(f"/people/{person.public_id}/").content.decode()
    assert f'href="/people/{person.public_id}/print/">Print summary</a>' in record

    response = client_a.get(f"/people/{person.public_id}/print/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Summary of María José Pérez Núñez" in page
    assert "Municipality of La Perla" in page
    assert "Printed on " in page
    assert "Confidential — personal data." in page
    assert "V-12.345.678" in page
    assert 'class="print-sheet print-sheet--confidential"' in page
    assert 'src="/static/js/print.js"' in page
    with schema_context(district_a.schema_name):
        entry = AccessLogEntry.objects.filter(object_id=str(person.public_id)).latest("at")
        assert entry.action == AccessLogEntry.Action.EXPORT
        assert entry.detail == {"format": "print"}
        assert entry.username == f"caseworker@{district_a.slug}.test"

    audit = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    login_as(in_english(audit), district_a, "coordinator")
    assert "printed summary" in audit.get("/audit/?tab=access").content.decode()


def test_a_role_without_the_registry_cannot_print(district_a: District, client_a: Client) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
    login_as(client_a, district_a, "viewer")
    assert client_a.get(f"/people/{person.public_id}/print/").status_code == 403
    with schema_context(district_a.schema_name):
        assert not AccessLogEntry.objects.filter(object_id=str(person.public_id)).exists()


def test_a_person_of_another_district_cannot_be_printed(
    district_a: District, client_b: Client, district_b: District
) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
    login_as(client_b, district_b, "caseworker")
    assert client_b.get(f"/people/{person.public_id}/print/").status_code == 404


def test_the_forum_minutes_print_with_a_button_and_no_inline_script(public_client: Client) -> None:
    from apps.forum.models import ForumSession
    from apps.forum.services import minutes_publish
    from apps.forum.tests.factories import portal_login, secretariat_actor, session_make

    session = session_make(status=ForumSession.Status.HELD)
    minutes_publish(actor=secretariat_actor(), session=session, body="Acta de la sesión.")
    portal_login(in_english(public_client))
    page = public_client.get(f"/forum/sessions/{session.pk}/minutes/").content.decode()
    assert 'class="forum-minutes"' in page
    assert "Print the minutes</button>" in page
    assert "data-print hidden" in page  # shown by print.js; without scripts, no dead button
    assert 'src="/static/js/print.js"' in page
    assert "<script>" not in page
