"""Two staff editing the same typed 5W row: the second save is refused, the first one's
values stay (``apps.workspace.versioning``)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.activities.models import PartnerActivity
from apps.activities.services import ActivityInput, partner_activity_record, partner_activity_update
from apps.catalogue.models import Partner
from apps.people.tests.factories import staff
from apps.workspace.tests.concurrency import two_staff_edit
from apps.workspace.versioning import RecordChangedError
from conftest import client_for, in_english, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def _input(**values: object) -> ActivityInput:
    fields = {
        "month": timezone.localdate().replace(day=1),
        "appealing_partner": Partner.objects.get(code="acnur"),
        "implementing_partner": None,
        "sector": "wash",
        "sub_sector": "",
        "indicator": "Personas que reciben kits de higiene",
        "activity": "Entrega de kits de higiene",
        "ubigeo": "070104",
        "population_group": "in_transit",
        "women": 10,
        "men": 5,
        "new_beneficiaries": 12,
        **values,
    }
    return ActivityInput(**fields)  # type: ignore[arg-type]


def test_the_second_edit_of_a_5w_row_is_refused(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        row = partner_activity_record(actor=staff("coordinator"), data=_input())
    first, second = in_english(client_for(district_a)), in_english(client_for(district_a))
    login_as(first, district_a, "coordinator")
    login_as(second, district_a, "coordinator")
    two_staff_edit(
        first,
        second,
        f"/activities/{row.public_id}/edit/",
        {"women": "12", "new_beneficiaries": "14"},
        {"men": "9", "new_beneficiaries": "14"},
    )
    with schema_context(district_a.schema_name):
        saved = PartnerActivity.objects.get(pk=row.pk)
        assert (saved.women, saved.men) == (12, 5)


def test_a_stale_5w_version_writes_nothing(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        row = partner_activity_record(actor=staff("coordinator"), data=_input())
        partner_activity_update(
            actor=staff("coordinator"), activity=row, data=_input(women=11), expected_version=1
        )
        with pytest.raises(RecordChangedError):
            partner_activity_update(
                actor=staff("coordinator"),
                activity=PartnerActivity.objects.get(pk=row.pk),
                data=_input(men=30, new_beneficiaries=30),
                expected_version=1,
            )
        saved = PartnerActivity.objects.get(pk=row.pk)
        assert (saved.women, saved.men, saved.version) == (11, 5, 2)
