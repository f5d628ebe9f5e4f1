"""Two staff editing the same business, training or event: the second save is refused,
the first one's values stay (``apps.workspace.versioning``)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from apps.inclusion.event_services import event_save, training_save
from apps.inclusion.models import Business, Event, Training
from apps.inclusion.services import business_add, business_status_record, business_update
from apps.inclusion.tests.factories import (
    RUC_PERSON,
    entrepreneur_make,
    event_make,
    training_make,
)
from apps.people.tests.factories import staff
from apps.workspace.tests.concurrency import two_staff_edit
from apps.workspace.versioning import RecordChangedError
from conftest import client_for, in_english, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def _two_staff(district: District) -> tuple[Client, Client]:
    first, second = in_english(client_for(district)), in_english(client_for(district))
    login_as(first, district, "inclusion_officer")
    login_as(second, district, "coordinator")
    return first, second


def _business() -> Business:
    return business_add(
        actor=staff("inclusion_officer"),
        entrepreneur=entrepreneur_make(),
        name="Arepas Doña Rosa",
        activity="Venta de arepas",
    )


def test_the_second_edit_of_a_business_is_refused(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        business = _business()
    first, second = _two_staff(district_a)
    refused = two_staff_edit(
        first,
        second,
        f"/inclusion/businesses/{business.public_id}/edit/",
        {"ruc": RUC_PERSON},
        {"name": "Arepas Rosa", "activity": "Comida"},
    )
    assert "by inclusion_officer@la-perla.test at" in refused.content.decode()
    with schema_context(district_a.schema_name):
        saved = Business.objects.get(pk=business.pk)
        assert (saved.name, saved.activity, saved.ruc) == (
            "Arepas Doña Rosa",
            "Venta de arepas",
            RUC_PERSON,
        )


def test_a_status_change_makes_an_open_business_form_stale(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        business = _business()
        business_update(
            actor=staff("inclusion_officer"),
            business=business,
            name=business.name,
            activity=business.activity,
            ruc=RUC_PERSON,
            expected_version=1,
        )
        business_status_record(
            actor=staff("coordinator"),
            business=business,
            status="ruc",
            since=timezone.localdate(),
        )
        with pytest.raises(RecordChangedError):
            business_update(
                actor=staff("inclusion_officer"),
                business=Business.objects.get(pk=business.pk),
                name="Otro nombre",
                activity="Otra",
                ruc=RUC_PERSON,
                expected_version=2,
            )
        assert Business.objects.get(pk=business.pk).name == "Arepas Doña Rosa"


def test_the_second_edit_of_a_training_is_refused(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        training = training_make(held_on=date(2030, 5, 4))
    first, second = _two_staff(district_a)
    refused = two_staff_edit(
        first,
        second,
        f"/inclusion/trainings/{training.public_id}/edit/",
        {"place": "Casa de la Juventud"},
        {"place": "Biblioteca", "facilitator": "SUNAT"},
    )
    # Trainings keep no history: the message says no name, the refusal is the same.
    assert "(by " not in refused.content.decode()
    with schema_context(district_a.schema_name):
        saved = Training.objects.get(pk=training.pk)
        assert (saved.place, saved.facilitator) == ("Casa de la Juventud", "")


def test_a_stale_training_version_writes_nothing(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        training = training_make(held_on=date(2030, 5, 4))
        Training.objects.filter(pk=training.pk).update(place="Casa de la Juventud")
        with translation.override("en"), pytest.raises(RecordChangedError) as refused:
            training_save(
                actor=staff("coordinator"),
                training=training,
                title="Otro",
                topic=training.topic,
                held_on=training.held_on,
                place="Biblioteca",
                expected_version=1,
            )
        assert refused.value.messages[0].startswith(
            "Someone else changed this record while you were editing. Your changes"
        )
        saved = Training.objects.get(pk=training.pk)
        assert (saved.title, saved.place) == ("Formalización y RUC", "Casa de la Juventud")


def test_the_second_edit_of_an_event_is_refused(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        event = event_make(starts_on=date(2030, 6, 1))
    first, second = _two_staff(district_a)
    two_staff_edit(
        first,
        second,
        f"/inclusion/events/{event.public_id}/edit/",
        {"stall_count": "20"},
        {"stall_count": "5", "title": "Feria de invierno"},
    )
    with schema_context(district_a.schema_name):
        saved = Event.objects.get(pk=event.pk)
        assert (saved.stall_count, saved.title) == (20, "Feria Emprende")


def test_a_stale_event_version_writes_nothing(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        event = event_make(starts_on=date(2030, 6, 1))
        event_save(
            actor=staff("inclusion_officer"),
            event=event,
            kind=event.kind,
            title=event.title,
            starts_on=event.starts_on,
            place="Malecón",
            stall_count=event.stall_count,
            expected_version=1,
        )
        with pytest.raises(RecordChangedError):
            event_save(
                actor=staff("coordinator"),
                event=Event.objects.get(pk=event.pk),
                kind=event.kind,
                title="Otra feria",
                starts_on=event.starts_on,
                place="Plaza",
                stall_count=3,
                expected_version=1,
            )
        saved = Event.objects.get(pk=event.pk)
        assert (saved.title, saved.place, saved.stall_count) == ("Feria Emprende", "Malecón", 10)
