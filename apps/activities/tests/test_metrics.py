"""The 5W's joint-metrics table: beneficiaries by sector, typed and derived alike."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.activities.metrics import month_tables
from apps.activities.services import ActivityInput, partner_activity_record
from apps.casework.services import attention_record
from apps.catalogue.models import Partner, ServiceType
from apps.metrics.models import MetricValue
from apps.metrics.publisher import metrics_publish
from apps.people.tests.factories import person_make, staff
from tenants.models import District

pytestmark = pytest.mark.django_db


def _typed(month: date, women: int) -> None:
    partner_activity_record(
        actor=staff("coordinator"),
        data=ActivityInput(
            month=month,
            appealing_partner=Partner.objects.get(code="acnur"),
            implementing_partner=None,
            sector="wash",
            sub_sector="",
            indicator="Kits",
            activity="Entrega de kits",
            ubigeo="070104",
            population_group="in_transit",
            women=women,
        ),
    )


def test_beneficiaries_by_sector_match_direct_counts(district_a: District) -> None:
    month = timezone.localdate().replace(day=1)
    with schema_context(district_a.schema_name):
        _typed(month, 12)
        for i in range(6):
            person = person_make(given_names=f"P{i}", document_number=f"D-{i}")
            for code in ("legal-orientation", "documentation"):  # two Protection rows
                attention_record(
                    actor=staff(),
                    person=person,
                    occurred_on=month,
                    channel="phone",
                    service_types=list(ServiceType.objects.filter(code=code)),
                )
        table = month_tables(month, timezone.localdate())["fivew_beneficiaries"]
    # Each Protection row counts its 6 people once; the typed row its 12.
    assert table == {"": 24, "sector=protection": 12, "sector=wash": 12}
    metrics_publish(district=district_a, period=month)
    stored = dict(
        MetricValue.objects.filter(
            district=district_a, indicator="fivew_beneficiaries", period=month
        ).values_list("dimension_value", "value")
    )
    assert stored == {"": 24, "protection": 12, "wash": 12}
