"""Background work of the registry: imports with their progress, and the reminder about
identity documents that expire soon."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context
from procrastinate.contrib.django.models import ProcrastinateJob

from apps.people import imports
from apps.people.imports import import_preview
from apps.people.models import IdentityDocument, PendingImport, Person
from apps.people.tasks import documents_expiring_remind, people_import_run
from apps.people.tests.factories import person_make, staff
from apps.people.tests.test_imports import GOOD, _csv
from conftest import in_english, login_as, role_email
from tenants.models import District

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)


# ---------------------------------------------------------------------------- background imports
def _previewed(client: Client, district: District, *rows: str) -> PendingImport:
    login_as(client, district, "caseworker")
    response = client.post("/people/import/", {"file": SimpleUploadedFile("p.csv", _csv(*rows))})
    assert response.status_code == 200, response.content.decode()[:300]
    with schema_context(district.schema_name):
        return PendingImport.objects.get()


def _state(district: District) -> PendingImport:
    with schema_context(district.schema_name):
        return PendingImport.objects.get()


def _run(district: District, pending: PendingImport) -> int | None:
    """What the worker does with the queued job."""
    return people_import_run.run_in(district.schema_name, import_id=str(pending.public_id))


@pytest.fixture
def queued(settings: Any) -> None:
    settings.TASKS_IMMEDIATE = False


def test_the_preview_reports_its_progress_every_few_hundred_rows(district_a: District) -> None:
    rows = [f"Soto;Persona {i};mujer;01/01/1990;VE;en destino;;;;;;" for i in range(450)]
    reports: list[tuple[int, int]] = []
    with schema_context(district_a.schema_name):
        preview = import_preview(
            filename="p.csv",
            content=_csv(*rows),
            progress=lambda checked, total: reports.append((checked, total)),
        )
    assert preview.ok
    assert reports == [(0, 450), (200, 450), (400, 450), (450, 450)]


@pytest.mark.usefixtures("queued")
def test_confirming_queues_the_import_once_and_its_page_follows_it_to_the_end(
    district_a: District, client_a: Client
) -> None:
    pending = _previewed(client_a, district_a, *GOOD)
    status_url = f"/people/import/{pending.public_id}/"
    for _ in range(2):  # a double click queues one job
        response = client_a.post(f"/people/import/{pending.public_id}/confirm/")
        assert response["Location"] == status_url
    (job,) = ProcrastinateJob.objects.filter(task_name=people_import_run.name)
    assert job.args == {"schema_name": "d_la_perla", "import_id": str(pending.public_id)}

    waiting = in_english(client_a).get(status_url).content.decode()
    assert "Waiting its turn" in waiting
    assert 'http-equiv="refresh" content="2"' in waiting

    with schema_context(district_a.schema_name):
        PendingImport.objects.filter(pk=pending.pk).update(
            status=PendingImport.Status.CHECKING, checked_rows=200, total_rows=450
        )
    checking = client_a.get(status_url).content.decode()
    assert "200 of 450 rows checked." in checking
    assert '<progress max="450" value="200" aria-label="Rows checked">' in checking

    assert _run(district_a, pending) == 2
    finished = _state(district_a)
    assert (finished.status, finished.checked_rows, finished.total_rows) == ("done", 2, 2)
    assert bytes(finished.content) == b""
    done = client_a.get(status_url).content.decode()
    assert "2 people were imported." in done
    assert "http-equiv" not in done
    assert _run(district_a, pending) == 0  # a stray second run writes nothing more
    with schema_context(district_a.schema_name):
        assert Person.objects.count() == 2


@pytest.mark.usefixtures("queued")
def test_a_registry_changed_since_the_preview_fails_the_import_with_its_rows(
    district_a: District, client_a: Client
) -> None:
    pending = _previewed(client_a, district_a, *GOOD)
    client_a.post(f"/people/import/{pending.public_id}/confirm/")
    with schema_context(district_a.schema_name):
        person_make(document_type="cpp", document_number="CPP111")  # meanwhile, by hand
    _run(district_a, pending)
    failed = _state(district_a)
    assert failed.status == "failed"
    assert [(p["row"], p["column"]) for p in failed.problems] == [(2, "numero_documento")]
    page = in_english(client_a).get(f"/people/import/{pending.public_id}/").content.decode()
    assert "Nothing was imported." in page
    assert "numero_documento" in page
    with schema_context(district_a.schema_name):
        assert Person.objects.count() == 1


@pytest.mark.usefixtures("queued")
def test_an_unexpected_stop_writes_nothing_and_the_retry_imports(
    district_a: District, client_a: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    pending = _previewed(client_a, district_a, *GOOD)
    client_a.post(f"/people/import/{pending.public_id}/confirm/")
    real_commit = imports.import_commit

    def lost_connection(**kwargs: Any) -> int:
        raise ConnectionError("server closed the connection")

    monkeypatch.setattr(imports, "import_commit", lost_connection)
    with pytest.raises(ConnectionError):
        _run(district_a, pending)
    stopped = _state(district_a)
    assert stopped.status == "failed"
    assert bytes(stopped.content)  # kept for the retry
    monkeypatch.setattr(imports, "import_commit", real_commit)
    assert _run(district_a, pending) == 2  # the worker's retry
    assert _state(district_a).status == "done"


@pytest.mark.usefixtures("queued")
def test_an_import_is_seen_only_by_its_uploader_and_blocks_a_second_upload(
    district_a: District, client_a: Client
) -> None:
    pending = _previewed(client_a, district_a, *GOOD)
    client_a.post(f"/people/import/{pending.public_id}/confirm/")
    again = client_a.post("/people/import/", {"file": SimpleUploadedFile("q.csv", _csv(GOOD[1]))})
    assert again["Location"] == f"/people/import/{pending.public_id}/"
    other = Client(HTTP_HOST="la-perla.localhost")
    login_as(other, district_a, "coordinator")
    assert other.get(f"/people/import/{pending.public_id}/").status_code == 404


# ---------------------------------------------------------------------------- reminders
def test_whoever_registered_the_people_hears_of_their_documents_expiring(
    district_a: District,
    run_periodic: Callable[[Any, date], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with schema_context(district_a.schema_name):
        expiries = {
            "soon": (staff(), DAY + timedelta(days=10)),
            "later": (staff(), DAY + timedelta(days=40)),
            "expired": (staff(), DAY - timedelta(days=1)),
            "orphan": (staff("inclusion_officer"), DAY + timedelta(days=20)),
        }
        for number, (actor, expires_on) in expiries.items():
            person = person_make(
                actor=actor, given_names=f"Yulimar {number}", document_number=f"V-{number}"
            )
            IdentityDocument.objects.filter(person=person).update(expires_on=expires_on)
        # The inclusion officer left: the coordinators hear of the people they registered.
        get_user_model().objects.filter(
            username=role_email("la-perla", "inclusion_officer")
        ).update(is_active=False)
    with caplog.at_level(logging.INFO):
        run_periodic(documents_expiring_remind, DAY)
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {
        role_email("la-perla", "caseworker"),
        role_email("la-perla", "coordinator"),
    }
    assert all(message.subject.startswith("1 ") for message in sent.values())
    assert "http://la-perla.localhost/people/" in sent[role_email("la-perla", "caseworker")].body
    for text in [caplog.text, *(m.body for m in mail.outbox)]:
        assert "Yulimar" not in text
        assert "V-soon" not in text
    assert "@la-perla.test" not in caplog.text
