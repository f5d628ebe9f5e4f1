from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.audit.models import AccessLogEntry
from apps.inclusion.event_services import stall_allot, training_attendance_record
from apps.inclusion.models import (
    Business,
    BusinessStatusChange,
    Entrepreneur,
    Event,
    StallAllotment,
    Training,
    TrainingAttendance,
)
from apps.inclusion.services import business_add
from apps.inclusion.tests.factories import (
    RUC_COMPANY,
    entrepreneur_make,
    event_make,
    person_new,
    training_make,
)
from apps.people.models import Person
from apps.people.tests.factories import staff
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db

ALLOWED = ("inclusion_officer", "coordinator")
REFUSED = ("caseworker", "complaints_officer", "viewer")


def _records(district: District) -> dict[str, object]:
    with schema_context(district.schema_name):
        entrepreneur = entrepreneur_make(given_names="Yulimar", family_names="Rojas Peña")
        business = business_add(
            actor=staff("inclusion_officer"),
            entrepreneur=entrepreneur,
            name="Arepas Doña Yuli",
            activity="Comida venezolana",
        )
        training = training_make(held_on=date(2025, 4, 10))
        event = event_make(starts_on=date(2025, 5, 3), stall_count=4)
    return {
        "entrepreneur": entrepreneur,
        "business": business,
        "training": training,
        "event": event,
    }


def _pages(records: dict[str, object]) -> list[str]:
    entrepreneur, business = records["entrepreneur"], records["business"]
    training, event = records["training"], records["event"]
    return [
        "/inclusion/",
        "/inclusion/entrepreneurs/new/",
        f"/inclusion/entrepreneurs/{entrepreneur.public_id}/",  # type: ignore[attr-defined]
        f"/inclusion/entrepreneurs/{entrepreneur.public_id}/businesses/new/",  # type: ignore[attr-defined]
        f"/inclusion/businesses/{business.public_id}/edit/",  # type: ignore[attr-defined]
        f"/inclusion/businesses/{business.public_id}/status/",  # type: ignore[attr-defined]
        "/inclusion/trainings/",
        "/inclusion/trainings/new/",
        f"/inclusion/trainings/{training.public_id}/",  # type: ignore[attr-defined]
        f"/inclusion/trainings/{training.public_id}/edit/",  # type: ignore[attr-defined]
        "/inclusion/events/",
        "/inclusion/events/new/",
        f"/inclusion/events/{event.public_id}/",  # type: ignore[attr-defined]
        f"/inclusion/events/{event.public_id}/edit/",  # type: ignore[attr-defined]
        "/inclusion/calendar/",
    ]


@pytest.mark.parametrize("role", ALLOWED)
def test_the_inclusion_roles_open_every_page(
    district_a: District, client_a: Client, role: str
) -> None:
    records = _records(district_a)
    login_as(client_a, district_a, role)
    for path in _pages(records):
        assert client_a.get(path).status_code == 200, path
    assert 'href="/inclusion/"' in client_a.get("/").content.decode()  # in the menu


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_get_403_and_no_menu_entry(
    district_a: District, client_a: Client, role: str
) -> None:
    records = _records(district_a)
    login_as(client_a, district_a, role)
    for path in _pages(records):
        assert client_a.get(path).status_code == 403, path
    assert 'href="/inclusion/"' not in client_a.get("/").content.decode()
    event = records["event"]
    response = client_a.post(
        f"/inclusion/events/{event.public_id}/stalls/",  # type: ignore[attr-defined]
        {"entrepreneur": 1, "stall_number": 1},
    )
    assert response.status_code == 403


def test_another_districts_records_are_not_found(
    district_a: District, district_b: District, client_b: Client
) -> None:
    records = _records(district_a)
    login_as(client_b, district_b, "inclusion_officer")
    ids = [str(record.public_id) for record in records.values()]  # type: ignore[attr-defined]
    record_pages = [path for path in _pages(records) if any(i in path for i in ids)]
    assert len(record_pages) == 8
    for path in record_pages:
        assert client_b.get(path).status_code == 404, path
    entrepreneur = records["entrepreneur"]
    assert "Yulimar" not in client_b.get("/inclusion/").content.decode()
    # Registering district A's person from district B is refused next to the field.
    with schema_context(district_a.schema_name):
        person = Person.objects.get(entrepreneur=entrepreneur)
    response = client_b.post(
        "/inclusion/entrepreneurs/new/",
        {"person": str(person.public_id), "registered_on": "2025-01-10"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["person"]
    with schema_context(district_b.schema_name):
        assert not Entrepreneur.objects.exists()


def test_an_entrepreneur_is_found_registered_and_their_page_logged(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        person = person_new(given_names="Génesis", family_names="Salazar Díaz")
    login_as(client_a, district_a, "inclusion_officer")
    found = client_a.get("/inclusion/entrepreneurs/new/", {"q": "genesis salazar"})
    assert f"?person={person.public_id}" in found.content.decode()
    chosen = client_a.get("/inclusion/entrepreneurs/new/", {"person": str(person.public_id)})
    assert "Register Génesis Salazar Díaz as an entrepreneur." in chosen.content.decode()
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    refused = client_a.post(
        "/inclusion/entrepreneurs/new/", {"person": str(person.public_id), "registered_on": future}
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors["registered_on"] == ["The date cannot be in the future."]
    response = client_a.post(
        "/inclusion/entrepreneurs/new/",
        {"person": str(person.public_id), "registered_on": "2025-02-03"},
    )
    assert response.status_code == 302
    with schema_context(district_a.schema_name):
        entrepreneur = Entrepreneur.objects.get()
        search = AccessLogEntry.objects.get(action="search")
    assert search.detail == {"results": 1}  # the search text never reaches the log
    assert response["Location"] == f"/inclusion/entrepreneurs/{entrepreneur.public_id}/"
    again = client_a.post(
        "/inclusion/entrepreneurs/new/",
        {"person": str(person.public_id), "registered_on": "2025-02-03"},
    )
    assert again.status_code == 400
    assert "already registered as an entrepreneur" in again.content.decode()
    page = client_a.get(response["Location"]).content.decode()
    assert "Génesis Salazar Díaz" in page
    assert "No business recorded yet." in page
    with schema_context(district_a.schema_name):
        logged = AccessLogEntry.objects.get(action="view")
    assert (logged.object_type, logged.object_id) == ("entrepreneur", str(entrepreneur.public_id))
    listed = client_a.get("/inclusion/", {"q": "Salazar", "stage": "no_business"})
    assert "Salazar Díaz, Génesis" in listed.content.decode()
    with schema_context(district_a.schema_name):
        logged_search = AccessLogEntry.objects.filter(action="search", object_type="entrepreneur")
        assert logged_search.get().detail == {"results": 1}
    assert "Salazar" not in client_a.get("/inclusion/", {"stage": "informal"}).content.decode()


def test_a_bad_ruc_is_shown_next_to_the_field_and_nothing_is_stored(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        entrepreneur = entrepreneur_make()
    login_as(client_a, district_a, "inclusion_officer")
    path = f"/inclusion/entrepreneurs/{entrepreneur.public_id}/businesses/new/"
    values = {
        "name": "Bodega El Chamo",
        "activity": "Bodega",
        "status": "ruc",
        "since": "2025-03-01",
    }
    refused = client_a.post(path, {**values, "ruc": "20131312954"})
    assert refused.status_code == 400
    assert "its last digit does not match" in refused.context["form"].errors["ruc"][0]
    assert 'id="id_ruc_error"' in refused.content.decode()
    with schema_context(district_a.schema_name):
        assert not Business.objects.exists()
    assert client_a.post(path, {**values, "ruc": RUC_COMPANY}).status_code == 302
    with schema_context(district_a.schema_name):
        business = Business.objects.get()
    assert (business.status, business.ruc) == ("ruc", RUC_COMPANY)
    edit = f"/inclusion/businesses/{business.public_id}/edit/"
    emptied = client_a.post(
        edit,
        {"name": "Bodega", "activity": "Bodega", "ruc": "", "record_version": business.version},
    )
    assert emptied.status_code == 400
    assert emptied.context["form"].errors["ruc"]


def test_the_status_is_changed_on_its_page_and_shown_on_the_timeline(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        entrepreneur = entrepreneur_make()
        business = business_add(
            actor=staff("inclusion_officer"),
            entrepreneur=entrepreneur,
            name="Dulces de Rosa",
            activity="Repostería",
            ruc=RUC_COMPANY,
            since=date(2025, 1, 20),
        )
    login_as(client_a, district_a, "inclusion_officer")
    path = f"/inclusion/businesses/{business.public_id}/status/"
    before = client_a.post(path, {"status": "ruc", "since": "2025-01-02"})
    assert before.status_code == 400
    assert before.context["form"].errors["since"] == [
        "The date cannot be before the last recorded change (20/01/2025)."
    ]
    same = client_a.post(path, {"status": "informal", "since": "2025-02-02"})
    assert same.context["form"].errors["status"]
    ok = client_a.post(path, {"status": "licence", "since": "2025-04-02", "note": "Lic. 55"})
    assert ok.status_code == 302
    page = client_a.get(f"/inclusion/entrepreneurs/{entrepreneur.public_id}/").content.decode()
    timeline = page[page.index("Progress over time") :]
    assert timeline.index("Informal") < timeline.index("Municipal licence")
    assert "Lic. 55" in page
    with schema_context(district_a.schema_name):
        assert BusinessStatusChange.objects.count() == 2


def test_stalls_are_given_once_and_refusals_shown_next_to_the_field(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        event = event_make(starts_on=date(2025, 5, 3), stall_count=4)
        ana, luis = entrepreneur_make(given_names="Ana"), entrepreneur_make(given_names="Luis")
    login_as(client_a, district_a, "inclusion_officer")
    path = f"/inclusion/events/{event.public_id}/stalls/"
    assert client_a.post(path, {"entrepreneur": ana.pk, "stall_number": 2}).status_code == 302
    taken = client_a.post(path, {"entrepreneur": luis.pk, "stall_number": 2})
    assert taken.status_code == 400
    assert taken.context["stall_form"].errors["stall_number"] == [
        f"Stall 2 is already given to {ana.person.full_name}."
    ]
    twice = client_a.post(path, {"entrepreneur": ana.pk, "stall_number": 3})
    assert twice.context["stall_form"].errors["entrepreneur"]
    outside = client_a.post(path, {"entrepreneur": luis.pk, "stall_number": 9})
    assert outside.context["stall_form"].errors["stall_number"]
    with schema_context(district_a.schema_name):
        assert StallAllotment.objects.count() == 1
        stall = StallAllotment.objects.get()
    page = client_a.get(f"/inclusion/events/{event.public_id}/").content.decode()
    assert "1 of 4 given" in page
    assert "Free stalls: 1, 3, 4" in page
    release = f"/inclusion/events/{event.public_id}/stalls/{stall.pk}/remove/"
    assert client_a.post(release).status_code == 200  # the confirmation page: nothing yet
    with schema_context(district_a.schema_name):
        assert StallAllotment.objects.count() == 1
    freed = client_a.post(release, {"confirmed": "1"})
    assert freed.status_code == 302
    with schema_context(district_a.schema_name):
        assert not StallAllotment.objects.exists()


def test_training_attendance_is_taken_from_a_search(district_a: District, client_a: Client) -> None:
    with schema_context(district_a.schema_name):
        training = training_make(held_on=date(2025, 4, 10))
        person = person_new(given_names="Wislande", family_names="Jean-Baptiste")
        upcoming = training_make(held_on=timezone.localdate() + timedelta(days=5))
    login_as(client_a, district_a, "inclusion_officer")
    detail = f"/inclusion/trainings/{training.public_id}/"
    found = client_a.get(detail, {"q": "wislande"}).content.decode()
    assert "Mark present" in found
    add = f"/inclusion/trainings/{training.public_id}/attendance/"
    assert client_a.post(add, {"person": str(person.public_id)}).status_code == 302
    again = client_a.post(add, {"person": str(person.public_id)})
    assert again.status_code == 400
    assert "already on the attendance list" in again.content.decode()
    unknown = client_a.post(add, {"person": "not-a-uuid"})
    assert unknown.status_code == 400
    assert "Choose a registered person from the search results." in unknown.content.decode()
    early = client_a.post(
        f"/inclusion/trainings/{upcoming.public_id}/attendance/", {"person": str(person.public_id)}
    )
    assert early.status_code == 400
    assert "Attendance can be taken from the day it takes place" in early.content.decode()
    with schema_context(district_a.schema_name):
        attendance = TrainingAttendance.objects.get()
        logged = set(AccessLogEntry.objects.values_list("action", "object_type"))
    assert {("view", "training"), ("search", "training")} <= logged
    assert "Jean-Baptiste" in client_a.get(detail).content.decode()
    asked = client_a.post(f"{add}{attendance.pk}/remove/")
    assert asked.status_code == 200  # the confirmation page: nothing removed yet
    with schema_context(district_a.schema_name):
        assert TrainingAttendance.objects.exists()
    removed = client_a.post(f"{add}{attendance.pk}/remove/", {"confirmed": "1"})
    assert removed.status_code == 302
    with schema_context(district_a.schema_name):
        assert not TrainingAttendance.objects.exists()


def test_trainings_and_events_are_created_and_refusals_keep_nothing(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    soon = timezone.localdate() + timedelta(days=10)
    response = client_a.post(
        "/inclusion/trainings/new/",
        {
            "title": "Marketing digital",
            "topic": "marketing",
            "held_on": soon.isoformat(),
            "place": "Biblioteca",
        },
    )
    assert response.status_code == 302
    missing = client_a.post("/inclusion/trainings/new/", {"title": "", "topic": "marketing"})
    assert missing.status_code == 400
    assert set(missing.context["form"].errors) == {"title", "held_on", "place"}
    bad_dates = client_a.post(
        "/inclusion/events/new/",
        {
            "kind": "fair",
            "title": "Feria",
            "place": "Plaza",
            "starts_on": soon.isoformat(),
            "ends_on": (soon - timedelta(days=1)).isoformat(),
            "stall_count": 10,
        },
    )
    assert bad_dates.status_code == 400
    assert bad_dates.context["form"].errors["ends_on"] == [
        "The end date cannot be before the start date."
    ]
    with schema_context(district_a.schema_name):
        assert Training.objects.count() == 1
        assert not Event.objects.exists()
    calendar = client_a.get("/inclusion/calendar/").content.decode()
    assert "Marketing digital" in calendar
    assert "Marketing digital" in client_a.get("/inclusion/trainings/").content.decode()
    assert (
        "Marketing digital" not in client_a.get("/inclusion/trainings/?when=past").content.decode()
    )


def test_the_attendance_of_an_event_and_its_page(district_a: District, client_a: Client) -> None:
    with schema_context(district_a.schema_name):
        event = event_make(starts_on=date(2025, 5, 3), kind="safe_space", stall_count=0)
        person = person_new()
    login_as(client_a, district_a, "inclusion_officer")
    add = f"/inclusion/events/{event.public_id}/attendance/"
    assert client_a.post(add, {"person": str(person.public_id)}).status_code == 302
    page = client_a.get(f"/inclusion/events/{event.public_id}/").content.decode()
    assert person.full_name in page
    assert "Give a stall" not in page  # a safe space without stalls


def test_an_entrepreneur_page_shows_trainings_and_stalls(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        entrepreneur = entrepreneur_make()
        training = training_make(held_on=date(2025, 4, 10), title="Ahorro en familia")
        training_attendance_record(
            actor=staff("inclusion_officer"), training=training, person=entrepreneur.person
        )
        event = event_make(starts_on=date(2025, 5, 3), title="Feria del Callao")
        stall_allot(
            actor=staff("inclusion_officer"), event=event, entrepreneur=entrepreneur, stall_number=7
        )
    login_as(client_a, district_a, "inclusion_officer")
    page = client_a.get(f"/inclusion/entrepreneurs/{entrepreneur.public_id}/").content.decode()
    assert "Ahorro en familia" in page
    assert "Stall 7" in page
    assert "Feria del Callao" in page


def _queries(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def test_pages_do_not_grow_with_their_rows(district_a: District, client_a: Client) -> None:
    with schema_context(district_a.schema_name):
        entrepreneur = entrepreneur_make()
        training = training_make(held_on=date(2025, 4, 10))
        event = event_make(starts_on=date(2025, 5, 3), stall_count=30)
    paths = [
        "/inclusion/",
        "/inclusion/trainings/?when=past",
        "/inclusion/events/?when=past",
        f"/inclusion/entrepreneurs/{entrepreneur.public_id}/",
        f"/inclusion/trainings/{training.public_id}/",
        f"/inclusion/events/{event.public_id}/",
    ]
    login_as(client_a, district_a, "inclusion_officer")

    def add(count: int) -> None:
        officer = staff("inclusion_officer")
        with schema_context(district_a.schema_name):
            for _ in range(count):
                other = entrepreneur_make()
                for target in (entrepreneur, other):
                    business_add(
                        actor=officer,
                        entrepreneur=target,
                        name="Negocio",
                        activity="Comida",
                        ruc=RUC_COMPANY,
                        status="ruc",
                        since=date(2025, 2, 1),
                    )
                training_attendance_record(actor=officer, training=training, person=other.person)
                stall_allot(
                    actor=officer,
                    event=event,
                    entrepreneur=other,
                    stall_number=StallAllotment.objects.count() + 1,
                )

    add(1)
    few = [_queries(client_a, path) for path in paths]
    add(5)
    assert [_queries(client_a, path) for path in paths] == few


def test_each_role_holds_exactly_its_inclusion_permissions(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        held = {
            role: {p for p in staff(role).get_all_permissions() if p.startswith("inclusion.")}
            for role in (*ALLOWED, *REFUSED)
        }
    assert held["inclusion_officer"] == held["coordinator"]
    assert {"inclusion.add_stallallotment", "inclusion.view_entrepreneur"} <= held["coordinator"]
    assert held["viewer"] == {"inclusion.view_inclusion_figures"}  # counts, no names
    assert held["caseworker"] == held["complaints_officer"] == set()
