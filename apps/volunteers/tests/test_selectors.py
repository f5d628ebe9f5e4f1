from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation

from apps.people.tests.factories import staff
from apps.volunteers.models import Topic
from apps.volunteers.selectors import (
    activity_calendar,
    activity_list,
    person_volunteer_data,
    volunteers_dashboard,
)
from apps.volunteers.services import volunteer_set_active
from apps.volunteers.tests.factories import activity_make, person_new, volunteer_make

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_district_a")]

TODAY = date(2025, 3, 12)


def test_the_dashboard_counts_this_month_only() -> None:
    ana, luis = volunteer_make(), volunteer_make()
    activity_make(
        held_on=date(2025, 3, 2),
        topic=Topic.CLIMATE_CHANGE,
        volunteer_hours={ana: 3, luis: 2},
        participants={("female", "12-17"): 7, ("male", "12-17"): 5},
    )
    volunteer_set_active(actor=staff("coordinator"), volunteer=luis, is_active=False)
    activity_make(
        held_on=date(2025, 2, 27), volunteer_hours={ana: 6}, participants={("male", "60+"): 9}
    )
    activity_make(held_on=date(2025, 3, 20), title="Próxima")
    with translation.override("en"):
        dashboard = volunteers_dashboard(TODAY)
    assert dashboard["active_volunteers"] == 1
    assert dashboard["hours_this_month"] == 5
    assert dashboard["participants_this_month"] == 12
    bars = {bar.label: bar.value for bar in dashboard["participants_by_topic"]}  # type: ignore[attr-defined]
    assert bars == {
        "Forced displacement": 0,
        "Climate change": 12,
        "Environment": 0,
        "Anti-xenophobia": 0,
        "Other": 0,
    }
    assert [a.title for a in dashboard["next_activities"]] == ["Próxima"]  # type: ignore[attr-defined]


def test_the_month_calendar_places_activities_on_their_days() -> None:
    activity_make(held_on=date(2025, 3, 1), title="Primera", participants={("female", "0-5"): 4})
    activity_make(held_on=date(2025, 3, 31), title="Última")
    activity_make(held_on=date(2025, 4, 1), title="Abril")
    month = activity_calendar(first=date(2025, 3, 1), today=TODAY)
    assert (month.previous, month.next) == (date(2025, 2, 1), date(2025, 4, 1))
    assert all(len(week) == 7 for week in month.weeks)
    assert month.weeks[0][0].day == date(2025, 2, 24)  # Monday first
    busy = {d.day: [a.title for a in d.activities] for d in month.busy_days}
    assert busy == {date(2025, 3, 1): ["Primera"], date(2025, 3, 31): ["Última"]}
    assert month.busy_days[0].activities[0].participants_total == 4  # type: ignore[attr-defined]
    assert [d.day for w in month.weeks for d in w if d.is_today] == [TODAY]
    december = activity_calendar(first=date(2025, 12, 1), today=TODAY)
    assert december.next == date(2026, 1, 1)
    january = activity_calendar(first=date(2026, 1, 1), today=TODAY)
    assert january.previous == date(2025, 12, 1)


def test_totals_of_a_list_are_not_multiplied_by_joins() -> None:
    ana, luis = volunteer_make(), volunteer_make()
    activity_make(
        held_on=TODAY - timedelta(days=1),
        volunteer_hours={ana: 1, luis: 1},
        participants={("female", "0-5"): 4, ("male", "0-5"): 6, ("male", "60+"): 1},
    )
    (activity,) = activity_list(today=TODAY, when="past")
    assert (activity.participants_total, activity.volunteers_count) == (11, 2)  # type: ignore[attr-defined]
    assert not activity_list(today=TODAY, when="upcoming").exists()


def test_a_volunteers_data_for_the_persons_data_file() -> None:
    ana = volunteer_make()
    activity_make(held_on=date(2025, 3, 1), title="Charla", volunteer_hours={ana: 2})
    data = person_volunteer_data(ana.person)
    assert data is not None
    assert data["skills"] == "Talleres"
    assert data["activities"] == [
        {"date": "2025-03-01", "title": "Charla", "topic": "anti_xenophobia", "hours": 2}
    ]
    assert person_volunteer_data(person_new()) is None
