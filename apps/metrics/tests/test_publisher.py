from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.casework.services import attention_record, referral_send
from apps.catalogue.models import Partner, ServiceType
from apps.metrics.models import MetricValue
from apps.metrics.publisher import metrics_publish
from apps.metrics.selectors import joint_metrics
from apps.people.models import ConsentPurpose, Person
from apps.people.tests.factories import person_make, staff
from tenants.models import District

pytestmark = pytest.mark.django_db


def _served(district: District, count: int, *, sex: str = "female", on: date | None = None) -> None:
    on = on or timezone.localdate().replace(day=1)
    with schema_context(district.schema_name):
        services = list(ServiceType.objects.filter(code="health-access"))
        for i in range(count):
            person = person_make(
                actor=staff(slug=district.slug),
                given_names=f"P{sex}{i}{district.slug}",
                document_number=f"{district.slug}-{sex}-{i}-{on}",
                sex=sex,
                consents=(ConsentPurpose.REFERRAL_SHARING,),
            )
            attention_record(
                actor=staff(slug=district.slug),
                person=person,
                occurred_on=on,
                channel="phone",
                service_types=services,
            )
            attention_record(
                actor=staff(slug=district.slug),
                person=person,
                occurred_on=on,
                channel="phone",
                service_types=services,
            )


def test_the_publisher_matches_direct_counts_in_the_district_schema(district_a: District) -> None:
    month = timezone.localdate().replace(day=1)
    _served(district_a, 7, sex="female", on=month)
    _served(district_a, 6, sex="male", on=month)
    with schema_context(district_a.schema_name):
        partner = Partner.objects.get(code="acnur")
        for person in Person.objects.all()[:3]:
            referral_send(actor=staff(), person=person, partner=partner, reason="x")
        direct_people = Person.objects.filter(attentions__occurred_on__gte=month).distinct().count()
    metrics_publish(district=district_a, period=month)
    stored = {
        (v.indicator, v.dimension, v.dimension_value): v
        for v in MetricValue.objects.filter(district=district_a, period=month)
    }
    assert stored[("people_served", "", "")].value == direct_people == 13  # people, not attentions
    assert stored[("people_served", "sex", "female")].value == 7
    assert stored[("attentions", "service_type", "health-access")].value == 26
    assert stored[("referrals", "partner", "acnur")].value == 3
    assert stored[("referrals", "partner", "acnur")].suppressed  # 3 < 5


def test_people_are_counted_once_per_month_not_summed_across_months(district_a: District) -> None:
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    _served(district_a, 6, on=last_month)
    with schema_context(district_a.schema_name):
        services = list(ServiceType.objects.filter(code="other"))
        for person in Person.objects.all():
            attention_record(
                actor=staff(),
                person=person,
                occurred_on=this_month,
                channel="phone",
                service_types=services,
            )
    for month in (last_month, this_month):
        metrics_publish(district=district_a, period=month)
    result = joint_metrics(
        indicator="people_served",
        period_from=last_month,
        period_to=this_month,
        districts=[district_a.slug],
    )
    assert [row.value for row in result.rows] == [6, 6]


def test_small_counts_never_leave_the_store_and_totals_add_only_shown_values(
    district_a: District, district_b: District
) -> None:
    month = timezone.localdate().replace(day=1)
    _served(district_a, 9, sex="female", on=month)
    _served(district_a, 2, sex="male", on=month)
    _served(district_b, 3, sex="female", on=month)
    for district in (district_a, district_b):
        metrics_publish(district=district, period=month)
    by_sex = joint_metrics(
        indicator="people_served", period_from=month, period_to=month, group_by="sex"
    )
    shown = {(r.district, r.dimensions): r.value for r in by_sex.rows}
    assert shown[("la-perla", (("sex", "male"),))] is None
    assert shown[("la-perla", (("sex", "female"),))] is None  # complementary: 11 - 9 = 2 otherwise
    assert shown[("bellavista", (("sex", "female"),))] is None
    assert by_sex.total == 0
    assert by_sex.suppressed_count == 3

    totals = joint_metrics(indicator="people_served", period_from=month, period_to=month)
    everyone = totals.total
    without_b = joint_metrics(
        indicator="people_served", period_from=month, period_to=month, districts=["la-perla"]
    ).total
    assert everyone - without_b == 0  # Bellavista's 3 cannot be recovered by subtraction
    assert {r.district: r.value for r in totals.rows} == {"la-perla": 11, "bellavista": None}


def test_the_command_rebuilds_one_district_or_all(
    district_a: District, capsys: pytest.CaptureFixture[str]
) -> None:
    _served(district_a, 5)
    call_command("publish_metrics", "--district", district_a.slug)
    assert "la-perla: 12 months" in capsys.readouterr().out
    assert MetricValue.objects.filter(
        district=district_a, indicator="people_served", dimension="", value=5
    ).exists()
    call_command("publish_metrics", "--all", "--from", "2026-01", "--to", "2026-02")
    assert "bellavista: 2 months" in capsys.readouterr().out
