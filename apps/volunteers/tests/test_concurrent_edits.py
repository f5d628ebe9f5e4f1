"""Two staff editing the same volunteer or awareness activity: the second save is
refused, the first one's values stay (``apps.workspace.versioning``)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.people.tests.factories import staff
from apps.volunteers.grid import CELLS, cell_key
from apps.volunteers.models import AwarenessActivity, ParticipantCount, Volunteer
from apps.volunteers.services import activity_update, volunteer_set_active, volunteer_update
from apps.volunteers.tests.factories import activity_make, details, volunteer_make
from apps.workspace.tests.concurrency import two_staff_edit
from apps.workspace.versioning import RecordChangedError
from conftest import client_for, in_english, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def _two_coordinators(district: District) -> tuple[Client, Client]:
    """Two sessions (two browsers) of staff allowed to edit here."""
    first, second = in_english(client_for(district)), in_english(client_for(district))
    login_as(first, district, "coordinator")
    login_as(second, district, "coordinator")
    return first, second


def test_the_second_edit_of_a_volunteer_is_refused(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        volunteer = volunteer_make()
    first, second = _two_coordinators(district_a)
    refused = two_staff_edit(
        first,
        second,
        f"/volunteers/roster/{volunteer.public_id}/edit/",
        {"availability": "Domingos"},
        {"availability": "Lunes", "skills": "Primeros auxilios"},
    )
    assert "by coordinator@la-perla.test at" in refused.content.decode()
    with schema_context(district_a.schema_name):
        saved = Volunteer.objects.get(pk=volunteer.pk)
        assert (saved.availability, saved.skills) == ("Domingos", "Talleres")


def test_a_stale_volunteer_version_writes_nothing(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        volunteer = volunteer_make()
        # Deactivating is a change too: a form opened before it is stale.
        volunteer_set_active(actor=staff("coordinator"), volunteer=volunteer, is_active=False)
        with pytest.raises(RecordChangedError):
            volunteer_update(
                actor=staff("coordinator"),
                volunteer=Volunteer.objects.get(pk=volunteer.pk),
                skills="Otra",
                availability="Lunes",
                joined_on=date(2024, 1, 1),
                expected_version=1,
            )
        saved = Volunteer.objects.get(pk=volunteer.pk)
        assert (saved.skills, saved.is_active, saved.version) == ("Talleres", False, 2)


def test_the_second_edit_of_an_activity_is_refused(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        activity = activity_make()
    sex, age_group = CELLS[0]
    first, second = _two_coordinators(district_a)
    # The first changes only the participants grid (rows of another table): still a change.
    two_staff_edit(
        first,
        second,
        f"/volunteers/activities/{activity.public_id}/edit/",
        {cell_key(sex, age_group): "7"},
        {"title": "Otra feria", cell_key(sex, age_group): "2"},
    )
    with schema_context(district_a.schema_name):
        saved = AwarenessActivity.objects.get(pk=activity.pk)
        assert saved.title == "Feria intercultural"
        assert list(ParticipantCount.objects.filter(activity=saved).values_list("count")) == [(7,)]


def test_a_stale_activity_version_writes_nothing(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        activity = activity_make()
        activity_update(
            actor=staff("coordinator"),
            activity=activity,
            details=details(place="Plaza Grau"),
            expected_version=1,
        )
        with pytest.raises(RecordChangedError):
            activity_update(
                actor=staff("coordinator"),
                activity=AwarenessActivity.objects.get(pk=activity.pk),
                details=details(title="Otra"),
                participants={CELLS[0]: 4},
                expected_version=1,
            )
        saved = AwarenessActivity.objects.get(pk=activity.pk)
        assert (saved.title, saved.place) == ("Feria intercultural", "Plaza Grau")
        assert not ParticipantCount.objects.filter(activity=saved).exists()
