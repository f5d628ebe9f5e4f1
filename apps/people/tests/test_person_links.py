"""Records other apps keep about a person follow the registry's merge, data file and
anonymisation (apps/people/links.py)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.inclusion.models import Business, Entrepreneur
from apps.inclusion.services import business_add, entrepreneur_register
from apps.people.rights import person_anonymise, person_data
from apps.people.services import person_merge
from apps.people.tests.factories import person_make, staff
from apps.volunteers.models import Volunteer
from apps.volunteers.services import volunteer_register
from tenants.models import District

pytestmark = pytest.mark.django_db


def test_a_duplicate_volunteer_and_entrepreneur_merges_into_the_record_kept(
    district_a: District,
) -> None:
    with schema_context(district_a.schema_name):
        keep = person_make(document_number="K-1")
        duplicate = person_make(given_names="Maria Jose", document_number="D-1")
        volunteer_register(actor=staff("coordinator"), person=duplicate, skills="Cocina")
        entrepreneur = entrepreneur_register(actor=staff("coordinator"), person=duplicate)
        business_add(
            actor=staff("coordinator"),
            entrepreneur=entrepreneur,
            name="Arepas Maria",
            activity="Comida",
        )
        person_merge(actor=staff("coordinator"), keep=keep, duplicate=duplicate)
        assert Volunteer.objects.get().person == keep
        assert Entrepreneur.objects.get().person == keep
        data = person_data(actor=staff("coordinator"), person=keep)
    assert data["volunteer"] is not None
    assert data["economic_inclusion"]["entrepreneur"]["businesses"][0]["name"] == "Arepas Maria"


def test_anonymisation_removes_what_other_apps_say_about_the_person(
    district_a: District,
) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
        volunteer_register(
            actor=staff("coordinator"), person=person, skills="Enfermera en Maracaibo"
        )
        entrepreneur = entrepreneur_register(actor=staff("coordinator"), person=person)
        business_add(
            actor=staff("coordinator"),
            entrepreneur=entrepreneur,
            name="Peluquería María José",
            activity="Peluquería",
        )
        person_anonymise(actor=staff("coordinator"), person=person)
        volunteer = Volunteer.objects.get()
        business = Business.objects.get()
        assert volunteer.skills == ""
        assert "María" not in business.name
        assert business.activity == "Peluquería"  # still counts
        from apps.volunteers.models import VolunteerEvent  # type: ignore[attr-defined]

        assert not VolunteerEvent.objects.filter(skills__contains="Maracaibo").exists()


def test_complaints_follow_the_merge_and_the_data_file(
    district_a: District,
) -> None:
    from apps.complaints.models import Complaint
    from apps.complaints.tests.factories import complaint_make

    with schema_context(district_a.schema_name):
        keep = person_make(document_number="K-1")
        duplicate = person_make(given_names="Maria Jose", document_number="D-1")
        complaint_make(complainant=duplicate, complainant_name="")
        person_merge(actor=staff("coordinator"), keep=keep, duplicate=duplicate)
        complaint = Complaint.objects.get()
        assert complaint.complainant == keep
        data = person_data(actor=staff("coordinator"), person=keep)
        assert data["complaints"][0]["tracking_code"] == complaint.tracking_code
        person_anonymise(actor=staff("coordinator"), person=keep)
        assert Complaint.objects.get().complainant == keep  # the proceeding still counts
