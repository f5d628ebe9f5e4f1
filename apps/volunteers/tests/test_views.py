from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.audit.models import AccessLogEntry
from apps.people.models import Person
from apps.people.tests.factories import staff
from apps.volunteers.grid import cell_key, hours_key
from apps.volunteers.models import AwarenessActivity, ParticipantCount, Volunteer
from apps.volunteers.services import volunteer_set_active
from apps.volunteers.tests.factories import activity_make, person_new, volunteer_make
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def _records(district: District) -> tuple[Volunteer, AwarenessActivity, Person]:
    with schema_context(district.schema_name):
        volunteer = volunteer_make(person=person_new(given_names="Yulimar", family_names="Rojas"))
        activity = activity_make(
            held_on=timezone.localdate(),
            title="Feria intercultural del barrio",
            volunteer_hours={volunteer: 3},
            participants={("female", "6-11"): 11},
        )
        candidate = person_new(given_names="Wilmer", family_names="Blanco")
        return volunteer, activity, candidate


def _pages(volunteer: Volunteer, activity: AwarenessActivity) -> dict[str, list[str]]:
    """Pages by the permission they need."""
    return {
        "read_activities": [
            "/volunteers/",
            "/volunteers/calendar/2025/3/",
            "/volunteers/activities/",
            f"/volunteers/activities/{activity.public_id}/",
        ],
        "read_volunteers": ["/volunteers/roster/", f"/volunteers/roster/{volunteer.public_id}/"],
        "write": [
            "/volunteers/activities/new/",
            f"/volunteers/activities/{activity.public_id}/edit/",
            "/volunteers/roster/new/",
            f"/volunteers/roster/{volunteer.public_id}/edit/",
        ],
    }


def _form_data(**values: object) -> dict[str, object]:
    return {
        "held_on": timezone.localdate().isoformat(),
        "topic": "environment",
        "title": "Limpieza de playa",
        "place": "Malecón",
        "partner": "",
        "description": "",
        **values,
    }


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("coordinator", {"read_activities", "read_volunteers", "write"}),
        ("caseworker", {"read_activities", "read_volunteers"}),
        ("viewer", {"read_activities"}),
        ("inclusion_officer", set()),
        ("complaints_officer", set()),
    ],
)
def test_each_role_reaches_only_its_pages(
    district_a: District, client_a: Client, role: str, allowed: set[str]
) -> None:
    volunteer, activity, _candidate = _records(district_a)
    login_as(client_a, district_a, role)
    for group, paths in _pages(volunteer, activity).items():
        for path in paths:
            expected = 200 if group in allowed else 403
            assert client_a.get(path).status_code == expected, (role, path)
    home = client_a.get("/").content.decode()
    assert ('href="/volunteers/"' in home) == ("read_activities" in allowed)


def test_the_viewer_sees_counts_but_no_names(district_a: District, client_a: Client) -> None:
    _volunteer, activity, _candidate = _records(district_a)
    login_as(client_a, district_a, "viewer")
    for path in ("/volunteers/", f"/volunteers/activities/{activity.public_id}/"):
        page = client_a.get(path).content.decode()
        assert "Feria intercultural del barrio" in page
        assert "Yulimar" not in page
    page = client_a.get(f"/volunteers/activities/{activity.public_id}/").content.decode()
    assert "1 volunteer gave 3 hours." in page
    with schema_context(district_a.schema_name):
        assert not AccessLogEntry.objects.exists()


def test_the_caseworker_reads_but_cannot_change(district_a: District, client_a: Client) -> None:
    volunteer, activity, _candidate = _records(district_a)
    login_as(client_a, district_a, "caseworker")
    page = client_a.get(f"/volunteers/activities/{activity.public_id}/").content.decode()
    assert "Yulimar Rojas" in page
    assert "/edit/" not in page
    assert client_a.post("/volunteers/activities/new/", _form_data()).status_code == 403
    response = client_a.post(f"/volunteers/roster/{volunteer.public_id}/active/", {"active": "0"})
    assert response.status_code == 403
    with schema_context(district_a.schema_name):
        assert Volunteer.objects.get().is_active


def test_viewing_a_volunteer_is_logged(district_a: District, client_a: Client) -> None:
    volunteer, _activity, _candidate = _records(district_a)
    login_as(client_a, district_a, "caseworker")
    page = client_a.get(f"/volunteers/roster/{volunteer.public_id}/").content.decode()
    assert "Yulimar Rojas" in page
    assert "Feria intercultural del barrio" in page
    assert "Total hours" in page
    with schema_context(district_a.schema_name):
        entry = AccessLogEntry.objects.get(object_type="volunteer")
        assert entry.action == AccessLogEntry.Action.VIEW
        assert entry.object_id == str(volunteer.public_id)
        assert entry.username == "caseworker@la-perla.test"
    client_a.get("/volunteers/roster/", {"q": "rojas"})
    with schema_context(district_a.schema_name):
        search = AccessLogEntry.objects.get(action=AccessLogEntry.Action.SEARCH)
        assert search.detail == {"results": 1}  # never the text searched


def test_the_volunteer_list_searches_and_filters(district_a: District, client_a: Client) -> None:
    _volunteer, _activity, _candidate = _records(district_a)
    with schema_context(district_a.schema_name):
        other = volunteer_make(person=person_new(given_names="Kelvin", family_names="Suárez"))
        volunteer_set_active(actor=staff("coordinator"), volunteer=other, is_active=False)
    login_as(client_a, district_a, "coordinator")
    page = client_a.get("/volunteers/roster/", {"q": "yulimar"}).content.decode()
    assert "Rojas, Yulimar" in page
    assert "Suárez" not in page
    page = client_a.get("/volunteers/roster/", {"active": "no"}).content.decode()
    assert "Suárez, Kelvin" in page
    assert "Rojas" not in page
    assert "1 volunteer found" in page


def test_a_coordinator_registers_a_volunteer_found_by_search(
    district_a: District, client_a: Client
) -> None:
    volunteer, _activity, candidate = _records(district_a)
    login_as(client_a, district_a, "coordinator")
    page = client_a.get("/volunteers/roster/new/", {"q": "blanco"}).content.decode()
    assert "Wilmer Blanco" in page
    # Already a volunteer: not offered again.
    assert "Yulimar" not in client_a.get("/volunteers/roster/new/", {"q": "rojas"}).content.decode()
    path = f"/volunteers/roster/new/{candidate.public_id}/"
    refused = client_a.post(path, {"skills": "Teatro", "joined_on": ""})
    assert refused.status_code == 400
    assert refused.context["form"].errors["joined_on"]
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    refused = client_a.post(path, {"skills": "Teatro", "joined_on": future})
    assert refused.status_code == 400
    assert refused.context["form"].errors["joined_on"] == ["The date cannot be in the future."]
    response = client_a.post(
        path, {"skills": "Teatro", "availability": "Domingos", "joined_on": "2025-01-15"}
    )
    assert response.status_code == 302
    with schema_context(district_a.schema_name):
        registered = Volunteer.objects.get(person=candidate)
    assert response["Location"] == f"/volunteers/roster/{registered.public_id}/"
    # The registration page of a volunteer leads to their page.
    again = client_a.get(f"/volunteers/roster/new/{volunteer.person.public_id}/")
    assert again.status_code == 302


def test_a_coordinator_deactivates_and_activates(district_a: District, client_a: Client) -> None:
    volunteer, _activity, _candidate = _records(district_a)
    login_as(client_a, district_a, "coordinator")
    path = f"/volunteers/roster/{volunteer.public_id}/active/"
    assert client_a.post(path, {"active": "0", "confirmed": "1"}).status_code == 302
    page = client_a.get(f"/volunteers/roster/{volunteer.public_id}/").content.decode()
    assert "Inactive" in page
    assert "Activate" in page
    client_a.post(path, {"active": "0"})  # already inactive: a message, nothing changes
    with schema_context(district_a.schema_name):
        assert not Volunteer.objects.get().is_active
    client_a.post(path, {"active": "1"})
    with schema_context(district_a.schema_name):
        assert Volunteer.objects.get().is_active


def test_a_coordinator_records_an_activity_with_its_grid_and_hours(
    district_a: District, client_a: Client
) -> None:
    volunteer, _activity, _candidate = _records(district_a)
    login_as(client_a, district_a, "coordinator")
    form = client_a.get("/volunteers/activities/new/").content.decode()
    assert f'name="{hours_key(volunteer)}"' in form
    assert f'name="{cell_key("male", "60+")}"' in form
    response = client_a.post(
        "/volunteers/activities/new/",
        _form_data(
            **{
                hours_key(volunteer): "4",
                cell_key("female", "0-5"): "3",
                cell_key("male", "60+"): "2",
                cell_key("male", "6-11"): "",
            }
        ),
    )
    assert response.status_code == 302
    with schema_context(district_a.schema_name):
        activity = AwarenessActivity.objects.get(title="Limpieza de playa")
        assert activity.participations.get().hours == 4
        assert sum(activity.participant_counts.values_list("count", flat=True)) == 5
    page = client_a.get(response["Location"]).content.decode()
    assert "Limpieza de playa" in page
    assert "1 volunteer gave 4 hours." in page
    volunteer_page = client_a.get(f"/volunteers/roster/{volunteer.public_id}/").content.decode()
    assert "Limpieza de playa" in volunteer_page


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({cell_key("female", "18-29"): "-2"}, cell_key("female", "18-29"), "Enter 0 or more"),
        ({"held_on": ""}, "held_on", "Enter the date of the activity."),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_bad_input_is_refused_next_to_the_field(
    district_a: District, client_a: Client, values: dict[str, str], field: str, message: str
) -> None:
    _records(district_a)
    login_as(client_a, district_a, "coordinator")
    response = client_a.post("/volunteers/activities/new/", _form_data(**values))
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert "Nothing was saved" in response.content.decode()
    with schema_context(district_a.schema_name):
        assert AwarenessActivity.objects.count() == 1


def test_hours_over_a_day_and_inactive_volunteers_are_refused(
    district_a: District, client_a: Client
) -> None:
    volunteer, activity, _candidate = _records(district_a)
    with schema_context(district_a.schema_name):
        resting = volunteer_make(person=person_new(given_names="Dayana"))
        volunteer_set_active(actor=staff("coordinator"), volunteer=resting, is_active=False)
    login_as(client_a, district_a, "coordinator")
    response = client_a.post(
        "/volunteers/activities/new/", _form_data(**{hours_key(volunteer): "25"})
    )
    assert response.status_code == 400
    assert "from 1 to 24" in response.context["form"].errors[hours_key(volunteer)][0]
    # 3 hours already given today at the other activity.
    response = client_a.post(
        "/volunteers/activities/new/", _form_data(**{hours_key(volunteer): "22"})
    )
    assert response.status_code == 400
    assert (
        "no more than 24 hours in a day" in response.context["form"].errors[hours_key(volunteer)][0]
    )
    # Refused with the other mistakes of the same form.
    response = client_a.post(
        "/volunteers/activities/new/", _form_data(held_on="", **{hours_key(resting): "2"})
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"held_on", hours_key(resting)}
    page = response.content.decode()
    assert "Dayana Pérez Núñez is inactive and cannot be added to a new activity" in page
    assert "<details open>" in page
    with schema_context(district_a.schema_name):
        assert AwarenessActivity.objects.get() == activity


def test_an_activity_is_edited(district_a: District, client_a: Client) -> None:
    volunteer, activity, _candidate = _records(district_a)
    login_as(client_a, district_a, "coordinator")
    path = f"/volunteers/activities/{activity.public_id}/edit/"
    form = client_a.get(path)
    assert form.context["form"].initial[hours_key(volunteer)] == 3
    assert form.context["form"].initial[cell_key("female", "6-11")] == 11
    version = form.context["form"]["record_version"].value()
    response = client_a.post(
        path,
        _form_data(
            title="Feria corregida", record_version=version, **{cell_key("male", "30-59"): "4"}
        ),
    )
    assert response.status_code == 302
    with schema_context(district_a.schema_name):
        activity.refresh_from_db()
        assert activity.title == "Feria corregida"
        assert not activity.participations.exists()
        assert list(ParticipantCount.objects.values_list("count", flat=True)) == [4]


def test_the_calendar_shows_the_month_and_the_next_activities(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        activity_make(held_on=date(2025, 3, 14), title="Siembra de árboles")
        activity_make(held_on=timezone.localdate() + timedelta(days=3), title="Cine-foro")
    login_as(client_a, district_a, "viewer")
    page = client_a.get("/volunteers/calendar/2025/3/").content.decode()
    assert "March 2025" in page
    assert "Siembra de árboles" in page
    assert 'href="#day-2025-03-14"' in page
    assert "Cine-foro" in page  # among the next activities
    assert "/volunteers/calendar/2025/2/" in page
    assert "/volunteers/calendar/2025/4/" in page
    assert client_a.get("/volunteers/calendar/2025/13/").status_code == 404
    listed = client_a.get("/volunteers/activities/", {"when": "past"}).content.decode()
    assert "Siembra de árboles" in listed
    assert "Cine-foro" not in listed


def test_records_of_another_district_are_not_found(
    district_a: District, district_b: District, client_b: Client
) -> None:
    volunteer, activity, candidate = _records(district_a)
    login_as(client_b, district_b, "coordinator")
    for path in (
        f"/volunteers/activities/{activity.public_id}/",
        f"/volunteers/activities/{activity.public_id}/edit/",
        f"/volunteers/roster/{volunteer.public_id}/",
        f"/volunteers/roster/{volunteer.public_id}/edit/",
        f"/volunteers/roster/new/{candidate.public_id}/",
    ):
        assert client_b.get(path).status_code == 404, path
    assert (
        client_b.post(
            f"/volunteers/roster/{volunteer.public_id}/active/", {"active": "0"}
        ).status_code
        == 404
    )
