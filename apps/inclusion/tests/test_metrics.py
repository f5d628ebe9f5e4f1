from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django_tenants.utils import schema_context

from apps.inclusion.event_services import training_attendance_record
from apps.inclusion.metrics import month_tables
from apps.inclusion.models import STAGE_ORDER, Business, Entrepreneur, TrainingAttendance
from apps.inclusion.services import business_add, business_status_record
from apps.inclusion.tests.factories import (
    RUC_COMPANY,
    entrepreneur_make,
    person_new,
    training_make,
)
from apps.metrics.indicators import INDICATORS
from apps.metrics.models import MetricValue
from apps.metrics.publisher import district_month_tables, metrics_publish
from apps.people.tests.factories import staff
from tenants.models import District

pytestmark = pytest.mark.django_db

MARCH = (date(2025, 3, 1), date(2025, 3, 31))
MAY = (date(2025, 5, 1), date(2025, 5, 31))


def _business(entrepreneur: Entrepreneur, since: date, *moves: tuple[str, date]) -> Business:
    officer = staff("inclusion_officer")
    business = business_add(
        actor=officer,
        entrepreneur=entrepreneur,
        name="Negocio",
        activity="Comida",
        ruc=RUC_COMPANY,
        since=since,
    )
    for status, day in moves:
        business_status_record(actor=officer, business=business, status=status, since=day)
    return business


def _direct_stage(entrepreneur: Entrepreneur, on: date) -> str:
    """An entrepreneur's stage on a day, worked out row by row from the history."""
    stages = []
    for business in entrepreneur.businesses.all():
        changes = [c for c in business.changes.all() if c.since <= on]
        if changes:
            stages.append(max(changes, key=lambda c: (c.since, c.pk)).status)
    ranked = [s for s in STAGE_ORDER if s in stages]
    return ranked[-1] if ranked else "no_business"


def _direct_stock(on: date) -> Counter[str]:
    return Counter(
        _direct_stage(e, on)
        for e in Entrepreneur.objects.filter(registered_on__lte=on).prefetch_related(
            "businesses__changes"
        )
    )


def _scenario() -> None:
    """Entrepreneurs whose businesses move over the months, one registered late, one with
    two businesses, one with none."""
    ana = entrepreneur_make(registered_on=date(2025, 1, 10))
    _business(ana, date(2025, 1, 10), ("ruc", date(2025, 3, 31)), ("licence", date(2025, 4, 1)))
    luis = entrepreneur_make(registered_on=date(2025, 2, 1))
    _business(luis, date(2025, 2, 1))
    _business(luis, date(2025, 2, 15), ("ruc", date(2025, 2, 20)), ("tax_paying", date(2025, 5, 9)))
    entrepreneur_make(registered_on=date(2025, 3, 5))  # no business
    late = entrepreneur_make(registered_on=date(2025, 4, 20))
    _business(late, date(2024, 12, 1), ("ruc", date(2025, 1, 5)))  # RUC before registering
    # A business started after the month: its owner has no business yet in March.
    newcomer = entrepreneur_make(registered_on=date(2025, 3, 1))
    _business(newcomer, date(2025, 4, 2))


def test_entrepreneurs_are_counted_by_their_stage_at_the_end_of_the_month(
    in_district_a: District,
) -> None:
    _scenario()
    march = month_tables(*MARCH)["entrepreneurs"]
    may = month_tables(*MAY)["entrepreneurs"]
    assert march == {
        "": 4,
        "formalisation=ruc": 2,  # ana's RUC dated the 31st; luis's best business
        "formalisation=no_business": 2,
    }
    assert may == {
        "": 5,
        "formalisation=licence": 1,
        "formalisation=tax_paying": 1,
        "formalisation=ruc": 1,
        "formalisation=informal": 1,
        "formalisation=no_business": 1,
    }
    for (_first, last), table in ((MARCH, march), (MAY, may)):
        direct = _direct_stock(last)
        assert (
            table[""]
            == sum(direct.values())
            == Entrepreneur.objects.filter(registered_on__lte=last).count()
        )
        assert {k.split("=")[1]: v for k, v in table.items() if k} == dict(direct)


def test_people_trained_are_counted_once_a_month_by_sex(in_district_a: District) -> None:
    women = [person_new(sex="female") for _ in range(3)]
    man = person_new(sex="male")
    first = training_make(held_on=date(2025, 3, 3))
    second = training_make(held_on=date(2025, 3, 20), title="Ahorro", topic="finance")
    april = training_make(held_on=date(2025, 4, 2))
    officer = staff("inclusion_officer")
    for person in [*women, man]:
        training_attendance_record(actor=officer, training=first, person=person)
    for person in women[:2]:  # twice in March, counted once
        training_attendance_record(actor=officer, training=second, person=person)
    training_attendance_record(actor=officer, training=april, person=women[0])
    table = month_tables(*MARCH)["training_attendance"]
    direct = (
        TrainingAttendance.objects.filter(training__held_on__range=MARCH)
        .values("person")
        .distinct()
        .count()
    )
    assert table == {"": direct, "sex=female": 3, "sex=male": 1}
    assert direct == 4
    assert month_tables(*MAY)["training_attendance"] == {"": 0}


def test_the_publisher_stores_both_indicators(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        _scenario()
    tables = district_month_tables(district_a.schema_name, MAY[0])
    assert tables["entrepreneurs"][""] == 5
    for code in ("entrepreneurs", "training_attendance"):
        assert code in INDICATORS
        dimension = INDICATORS[code].dimensions[0]
        table = tables[code]
        assert sum(v for k, v in table.items() if k.startswith(f"{dimension}=")) == table[""]
    assert INDICATORS["training_attendance"].people_per_month
    metrics_publish(district=district_a, period=MAY[0])
    stored = MetricValue.objects.get(
        district=district_a, period=MAY[0], indicator="entrepreneurs", dimension=""
    )
    assert stored.value == 5
