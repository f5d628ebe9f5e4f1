"""Two staff editing the same establishment or line of the sanction table: the second
save is refused, the first one's values stay (``apps.workspace.versioning``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from apps.complaints.establishment_services import EstablishmentInput, establishment_update
from apps.complaints.models import Establishment, Offence, SanctionRule
from apps.complaints.settings_services import SanctionRuleInput, sanction_rule_save
from apps.complaints.tests.factories import establishment_make, officer
from apps.people.tests.factories import staff
from apps.workspace.tests.concurrency import two_staff_edit
from apps.workspace.versioning import RecordChangedError
from conftest import client_for, in_english, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def _two_staff(district: District, first_role: str, second_role: str) -> tuple:
    first, second = in_english(client_for(district)), in_english(client_for(district))
    login_as(first, district, first_role)
    login_as(second, district, second_role)
    return first, second


def test_the_second_edit_of_an_establishment_is_refused(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        establishment = establishment_make()
    first, second = _two_staff(district_a, "complaints_officer", "coordinator")
    refused = two_staff_edit(
        first,
        second,
        f"/complaints/establishments/{establishment.public_id}/edit/",
        {"address": "Av. Sáenz Peña 1300"},
        {"address": "Av. Sáenz Peña 999", "activity": "Bar"},
    )
    assert "by complaints_officer@la-perla.test at" in refused.content.decode()
    with schema_context(district_a.schema_name):
        saved = Establishment.objects.get(pk=establishment.pk)
        assert (saved.address, saved.activity) == ("Av. Sáenz Peña 1300", "")


def test_a_stale_establishment_version_writes_nothing(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        establishment = establishment_make()
        values = EstablishmentInput(name="Discoteca La Chalaca", address="Jr. Lima 1")
        establishment_update(
            actor=officer(), establishment=establishment, values=values, expected_version=1
        )
        with pytest.raises(RecordChangedError):
            establishment_update(
                actor=staff("coordinator"),
                establishment=Establishment.objects.get(pk=establishment.pk),
                values=EstablishmentInput(name="Otra", address="Jr. Lima 2"),
                expected_version=1,
            )
        saved = Establishment.objects.get(pk=establishment.pk)
        assert (saved.name, saved.address, saved.version) == (
            "Discoteca La Chalaca",
            "Jr. Lima 1",
            2,
        )


def test_the_second_edit_of_a_sanction_rule_is_refused(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        rule = SanctionRule.objects.order_by("pk").first()
        assert rule is not None
        name_before = rule.name_en
    first, second = _two_staff(district_a, "complaints_officer", "coordinator")
    two_staff_edit(
        first,
        second,
        f"/complaints/settings/sanctions/{rule.pk}/",
        {"fine_uit_fraction": "0.75"},
        {"fine_uit_fraction": "0.10", "name_en": "Something else"},
    )
    with schema_context(district_a.schema_name):
        saved = SanctionRule.objects.get(pk=rule.pk)
        assert (saved.fine_uit_fraction, saved.name_en) == (Decimal("0.75"), name_before)


def test_a_stale_sanction_rule_version_writes_nothing(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        rule = SanctionRule.objects.order_by("pk").first()
        assert rule is not None
        SanctionRule.objects.filter(pk=rule.pk).update(is_active=False)
        values = SanctionRuleInput(
            name_es="Multa",
            name_en="Fine",
            offence=Offence.FIRST,
            fine_uit_fraction=Decimal("0.20"),
        )
        with pytest.raises(RecordChangedError):
            sanction_rule_save(
                actor=staff("coordinator"), values=values, rule=rule, expected_version=rule.version
            )
        saved = SanctionRule.objects.get(pk=rule.pk)
        assert saved.name_en == rule.name_en
        assert saved.version == rule.version + 1
