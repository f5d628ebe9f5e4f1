from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.inclusion.demo import demo_load
from apps.inclusion.models import (
    Business,
    BusinessStatusChange,
    Entrepreneur,
    Event,
    EventAttendance,
    StallAllotment,
    Training,
    TrainingAttendance,
)
from apps.people.demo import people_demo_load
from apps.people.tests.factories import staff
from tenants.models import District

pytestmark = pytest.mark.django_db

MODELS = (
    Entrepreneur,
    Business,
    BusinessStatusChange,
    Training,
    TrainingAttendance,
    Event,
    StallAllotment,
    EventAttendance,
)


def _load(district: District) -> tuple[dict[str, int], list[tuple[str, str, str, str]]]:
    with schema_context(district.schema_name):
        people_demo_load(actor=staff(slug=district.slug), count=24, seed="demo-seed")
        officer = staff("inclusion_officer", slug=district.slug)
        demo_load(actor=officer, seed="demo-seed")
        counts = {model.__name__: model.objects.count() for model in MODELS}
        demo_load(actor=officer, seed="demo-seed")  # a second run adds nothing
        assert counts == {model.__name__: model.objects.count() for model in MODELS}
        businesses = [
            (b.entrepreneur.person.full_name, b.name, b.status, b.ruc)
            for b in Business.objects.select_related("entrepreneur__person").order_by("pk")
        ]
    return counts, businesses


def test_the_demo_is_plausible_idempotent_and_the_same_for_the_same_seed(
    district_a: District, district_b: District
) -> None:
    counts, businesses = _load(district_a)
    assert counts["Entrepreneur"] >= 3
    assert counts["Business"] >= 1
    assert min(counts["Training"], counts["TrainingAttendance"]) > 0
    assert min(counts["Event"], counts["StallAllotment"], counts["EventAttendance"]) > 0
    assert _load(district_b) == (counts, businesses)
