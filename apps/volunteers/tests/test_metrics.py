"""The joint-metrics tables against counts made directly, one row at a time."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.utils import timezone

from apps.metrics.indicators import INDICATORS
from apps.metrics.models import MetricValue
from apps.metrics.publisher import metrics_publish
from apps.people.tests.factories import staff
from apps.volunteers.metrics import month_tables
from apps.volunteers.models import ParticipantCount, Topic, VolunteerParticipation
from apps.volunteers.services import volunteer_set_active
from apps.volunteers.tests.factories import activity_make, person_new, volunteer_make
from tenants.models import District

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_district_a")]

MARCH = (date(2025, 3, 1), date(2025, 3, 31))


def _month_of_activities() -> None:
    ana = volunteer_make(person=person_new(sex="female"))
    rosa = volunteer_make(person=person_new(sex="female"))
    luis = volunteer_make(person=person_new(sex="male"))
    volunteer_make(person=person_new(sex="male"))  # takes part in nothing
    activity_make(
        held_on=date(2025, 3, 1),
        topic=Topic.ANTI_XENOPHOBIA,
        volunteer_hours={ana: 3, luis: 4},
        participants={("female", "6-11"): 10, ("male", "6-11"): 8, ("female", "30-59"): 6},
    )
    activity_make(
        held_on=date(2025, 3, 31),
        topic=Topic.ENVIRONMENT,
        volunteer_hours={ana: 2, rosa: 5},
        participants={("male", "60+"): 3, ("female", "18-29"): 9},
    )
    # Outside the month: counted in neither table.
    activity_make(
        held_on=date(2025, 4, 1),
        topic=Topic.ENVIRONMENT,
        volunteer_hours={luis: 8},
        participants={("male", "18-29"): 50},
    )
    # Deactivated later: still active in March, when she took part.
    volunteer_set_active(actor=staff("coordinator"), volunteer=rosa, is_active=False)


def _direct() -> dict[str, Counter[str]]:
    parts = VolunteerParticipation.objects.filter(activity__held_on__range=MARCH).select_related(
        "activity", "volunteer__person"
    )
    counts = ParticipantCount.objects.filter(activity__held_on__range=MARCH).select_related(
        "activity"
    )
    direct: dict[str, Counter[str]] = {
        "volunteers": Counter(),
        "hours": Counter(),
        "topic": Counter(),
        "sex": Counter(),
        "age_group": Counter(),
    }
    for volunteer in {part.volunteer for part in parts}:
        direct["volunteers"][volunteer.person.sex] += 1
    for part in parts:
        direct["hours"][part.activity.topic] += part.hours
    for cell in counts:
        direct["topic"][cell.activity.topic] += cell.count
        direct["sex"][cell.sex] += cell.count
        direct["age_group"][cell.age_group] += cell.count
    return direct


def test_the_month_tables_match_direct_counts() -> None:
    _month_of_activities()
    tables, direct = month_tables(*MARCH), _direct()
    assert tables["volunteers_active"] == {
        "": 3,
        **{f"sex={k}": v for k, v in direct["volunteers"].items()},
    }
    assert tables["volunteers_active"]["sex=female"] == 2  # Ana once, though in two activities
    assert tables["volunteer_hours"] == {
        "": 14,
        **{f"topic={k}": v for k, v in direct["hours"].items()},
    }
    participants = tables["awareness_participants"]
    assert participants[""] == 36
    for dimension in ("topic", "sex", "age_group"):
        for value, count in direct[dimension].items():
            assert participants[f"{dimension}={value}"] == count
        # Each dimension adds up to the total.
        assert sum(v for k, v in participants.items() if k.startswith(f"{dimension}=")) == 36


def test_a_month_without_activities_has_empty_tables() -> None:
    assert month_tables(date(2024, 1, 1), date(2024, 1, 31)) == {
        "volunteers_active": {"": 0},
        "volunteer_hours": {"": 0},
        "awareness_participants": {"": 0},
    }


def test_the_tables_are_indicators_of_the_catalogue_and_are_published(
    in_district_a: District,
) -> None:
    _month_of_activities()
    for code, table in month_tables(*MARCH).items():
        dimensions = {key.partition("=")[0] for key in table if key}
        assert dimensions <= set(INDICATORS[code].dimensions)
    assert INDICATORS["volunteers_active"].people_per_month
    metrics_publish(district=in_district_a, period=date(2025, 3, 1))
    stored = MetricValue.objects.get(
        district=in_district_a,
        period=date(2025, 3, 1),
        indicator="awareness_participants",
        dimension="age_group",
        dimension_value="6-11",
    )
    assert stored.value == 18
    assert not stored.suppressed


def test_the_current_month_counts_today(in_district_a: District) -> None:
    today = timezone.localdate()
    activity_make(held_on=today, volunteer_hours={volunteer_make(): 2})
    first = today.replace(day=1)
    assert month_tables(first, today)["volunteer_hours"][""] == 2
