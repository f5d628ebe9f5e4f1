from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.catalogue.models import DocumentType
from apps.people.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    IdentityDocument,
    MigratoryStatus,
    Person,
)
from apps.people.services import (
    ConsentInput,
    DocumentInput,
    PersonInput,
    consent_record,
    consent_withdraw,
    document_add,
    person_register,
    person_update,
    situation_record,
)
from apps.people.tests.factories import person_make, staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_district_a")]


def test_register_stores_person_document_situation_and_consents() -> None:
    person = person_make(document_number=" v-12.345 678 ")
    assert person.name_key == "maria jose perez nunez"
    assert person.phone_key == "51987654321"
    assert person.current_situation == MigratoryStatus.CPP_PTP
    document = person.documents.get()
    assert document.number_key == "V12345678"
    assert person.consents.get().purpose == ConsentPurpose.REGISTRATION
    assert person.registered_by == staff()


def test_register_leaves_history_rows_tagged_with_the_user() -> None:
    person = person_make()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.pgh_label, c.metadata->>'user' FROM people_personevent e "
            "JOIN pghistory_context c ON c.id = e.pgh_context_id WHERE e.pgh_obj_id = %s",
            [person.pk],
        )
        rows = cursor.fetchall()
    assert rows == [("insert", str(staff().pk))]


def test_bulk_updates_are_caught_by_the_history_too() -> None:
    person = person_make()
    Person.objects.filter(pk=person.pk).update(phone="999")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pgh_label FROM people_personevent WHERE pgh_obj_id = %s ORDER BY pgh_id",
            [person.pk],
        )
        assert [row[0] for row in cursor.fetchall()] == ["insert", "update"]


def test_a_registered_document_number_is_refused_with_a_link_to_its_holder() -> None:
    first = person_make(document_number="V-12345678")
    with pytest.raises(ValidationError) as refused:
        person_make(given_names="Otra", family_names="Persona", document_number="v 12 345 678")
    message = refused.value.message_dict["document_number"][0]
    assert str(first.public_id) in message
    assert "María José Pérez Núñez" in message
    assert Person.objects.count() == 1


def test_the_same_number_in_another_document_type_is_not_a_duplicate() -> None:
    person_make(document_number="12345678", document_type="passport")
    person_make(given_names="Ana", document_number="12345678", document_type="ve-cedula")
    assert IdentityDocument.objects.count() == 2


def test_sensitive_data_without_the_consent_is_refused_and_nothing_is_stored() -> None:
    with pytest.raises(ValidationError) as refused:
        person_make(has_disability=True, is_lgbtiq=False)
    assert set(refused.value.message_dict) == {"has_disability", "is_lgbtiq"}
    assert not Person.objects.exists()


def test_sensitive_data_with_the_consent_is_stored() -> None:
    person = person_make(
        consents=(ConsentPurpose.REGISTRATION, ConsentPurpose.SENSITIVE_DATA), is_indigenous=True
    )
    assert person.is_indigenous is True


def test_withdrawing_the_sensitive_consent_erases_the_sensitive_data() -> None:
    person = person_make(
        consents=(ConsentPurpose.SENSITIVE_DATA,),
        has_disability=True,
        gender_identity="mujer trans",
    )
    consent = person.consents.get(purpose=ConsentPurpose.SENSITIVE_DATA)
    consent_withdraw(actor=staff(), consent=consent)
    person.refresh_from_db()
    assert person.has_disability is None
    assert person.gender_identity == ""
    with pytest.raises(ValidationError):
        consent_withdraw(actor=staff(), consent=Consent.objects.get(pk=consent.pk))


def test_editing_in_sensitive_data_needs_the_consent_on_record() -> None:
    person = person_make()
    values = PersonInput(
        given_names=person.given_names,
        family_names=person.family_names,
        sex=person.sex,
        nationality="VE",
        population_group=person.population_group,
        birth_date=person.birth_date,
        is_lgbtiq=True,
    )
    with pytest.raises(ValidationError):
        person_update(actor=staff(), person=person, values=values)
    consent_record(
        actor=staff(),
        person=person,
        consent=ConsentInput(
            ConsentPurpose.SENSITIVE_DATA, date(2025, 1, 1), "2025-1", ConsentMethod.DIGITAL
        ),
    )
    assert person_update(actor=staff(), person=person, values=values).is_lgbtiq is True


def test_a_similar_name_with_the_same_birth_date_needs_confirmation() -> None:
    person_make(document_number=None)
    details = PersonInput(
        given_names="Maria",
        family_names="Perez",
        sex="female",
        nationality="VE",
        population_group="in_destination",
        birth_date=date(1990, 5, 17),
    )
    with pytest.raises(ValidationError) as refused:
        person_register(actor=staff(), person=details)
    assert refused.value.code == "possible_duplicate"
    assert Person.objects.count() == 1
    person_register(actor=staff(), person=details, confirm_not_duplicate=True)
    assert Person.objects.count() == 2


def test_birth_date_or_estimated_age_is_required() -> None:
    with pytest.raises(ValidationError) as refused:
        person_make(birth_date=None)
    assert "birth_date" in refused.value.message_dict
    estimated = person_make(birth_date=None, estimated_age=34, document_number=None)
    assert estimated.age_on(date(2100, 1, 1)) > 34


def test_the_current_situation_is_the_latest_dated_one() -> None:
    person = person_make(situation=MigratoryStatus.ASYLUM_SEEKER)
    situation_record(
        actor=staff(), person=person, status=MigratoryStatus.REFUGEE, since=date(2025, 3, 1)
    )
    situation_record(
        actor=staff(), person=person, status=MigratoryStatus.IRREGULAR, since=date(2020, 1, 1)
    )
    person.refresh_from_db()
    assert person.current_situation == MigratoryStatus.REFUGEE
    assert person.situations.count() == 3


def test_adding_a_document_checks_duplicates_too() -> None:
    holder = person_make(document_number="P-1")
    other = person_make(given_names="Luis", document_number=None)
    with pytest.raises(ValidationError):
        document_add(
            actor=staff(),
            person=other,
            document=DocumentInput(
                document_type=DocumentType.objects.get(code="passport"), number="p1"
            ),
        )
    assert holder.documents.count() == 1
    assert not other.documents.exists()


def test_a_document_needs_a_number_unless_it_is_no_document() -> None:
    with pytest.raises(ValidationError) as refused:
        person_make(document_number="")
    assert "document_number" in refused.value.message_dict
    assert person_make(document_number="", document_type="none").documents.get().number == ""
