"""Reads on volunteers and awareness activities."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from apps.people.models import Person, Sex
from apps.people.selectors import PersonFilters, person_list
from apps.volunteers.grid import AGE_GROUP_LABELS, SEXES
from apps.volunteers.models import (
    AwarenessActivity,
    ParticipantCount,
    Topic,
    Volunteer,
    VolunteerParticipation,
)
from apps.workspace.bars import bars_of

UPCOMING, PAST = "upcoming", "past"


def month_last_day(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def volunteer_list(*, query: str = "", active: bool | None = None) -> QuerySet[Volunteer]:
    """Volunteers with their total hours; ``query`` searches as the people list does (name
    without accents or case, document number, phone)."""
    volunteers = Volunteer.objects.select_related("person")
    if query.strip():
        matching = person_list(filters=PersonFilters(query=query)).order_by().values("pk")
        volunteers = volunteers.filter(person__in=matching)
    if active is not None:
        volunteers = volunteers.filter(is_active=active)
    return volunteers.annotate(
        total_hours=Coalesce(Sum("participations__hours"), 0),
        activities_count=Count("participations"),
    ).order_by("person__family_names", "person__given_names", "pk")


def volunteer_get(*, public_id: str) -> Volunteer | None:
    return volunteer_list().filter(public_id=public_id).first()


def volunteer_participations(volunteer: Volunteer) -> list[VolunteerParticipation]:
    return list(
        volunteer.participations.select_related("activity").order_by(
            "-activity__held_on", "-activity__pk"
        )
    )


def person_candidates(*, query: str, limit: int = 10) -> list[Person]:
    """People found by a search who could become volunteers (not one yet, not anonymised)."""
    if not query.strip():
        return []
    people = person_list(filters=PersonFilters(query=query)).filter(
        volunteer__isnull=True, anonymised_on__isnull=True
    )
    return list(people[:limit])


def _with_totals(activities: QuerySet[AwarenessActivity]) -> QuerySet[AwarenessActivity]:
    """Participants and volunteers of each activity, as subqueries (two joins would
    multiply each other's rows)."""
    participants = (
        ParticipantCount.objects.filter(activity=OuterRef("pk"))
        .values("activity")
        .annotate(n=Sum("count"))
        .values("n")
    )
    volunteers = (
        VolunteerParticipation.objects.filter(activity=OuterRef("pk"))
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return activities.select_related("partner").annotate(
        participants_total=Coalesce(Subquery(participants, output_field=IntegerField()), 0),
        volunteers_count=Coalesce(Subquery(volunteers, output_field=IntegerField()), 0),
    )


def activity_list(*, today: date, topic: str = "", when: str = "") -> QuerySet[AwarenessActivity]:
    """Upcoming activities soonest first; past (or all) activities latest first."""
    activities = _with_totals(AwarenessActivity.objects.all())
    if topic:
        activities = activities.filter(topic=topic)
    if when == UPCOMING:
        return activities.filter(held_on__gte=today).order_by("held_on", "pk")
    if when == PAST:
        activities = activities.filter(held_on__lt=today)
    return activities.order_by("-held_on", "-pk")


def activity_get(*, public_id: str) -> AwarenessActivity | None:
    return (
        _with_totals(AwarenessActivity.objects.filter(public_id=public_id))
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=VolunteerParticipation.objects.select_related("volunteer__person"),
            ),
            "participant_counts",
        )
        .first()
    )


def activity_form_volunteers() -> list[Volunteer]:
    """Everyone the activity form lists: active volunteers first, then inactive ones (the
    service refuses to add those unless they already took part in this activity)."""
    volunteers = Volunteer.objects.select_related("person").order_by(
        "-is_active", "person__family_names", "person__given_names", "pk"
    )
    return list(volunteers)


@dataclass(frozen=True)
class GridRow:
    sex: str
    label: str
    counts: list[int]
    total: int


def participant_grid(activity: AwarenessActivity) -> dict[str, object]:
    """The activity's counts as a table: a row per sex, a column per age group, totals."""
    cells = {(c.sex, c.age_group): c.count for c in activity.participant_counts.all()}
    labels = dict(Sex.choices)
    rows = [
        GridRow(
            sex,
            str(labels[sex]),
            [cells.get((sex, age), 0) for age in AGE_GROUP_LABELS],
            sum(cells.get((sex, age), 0) for age in AGE_GROUP_LABELS),
        )
        for sex in SEXES
    ]
    return {
        "age_groups": AGE_GROUP_LABELS,
        "rows": rows,
        "column_totals": [sum(row.counts[i] for row in rows) for i in range(len(AGE_GROUP_LABELS))],
        "total": sum(row.total for row in rows),
    }


@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    activities: list[AwarenessActivity] = field(default_factory=list)


@dataclass(frozen=True)
class MonthCalendar:
    first: date
    previous: date
    next: date
    weeks: list[list[CalendarDay]]

    @property
    def busy_days(self) -> list[CalendarDay]:
        return [d for week in self.weeks for d in week if d.in_month and d.activities]


def activity_calendar(*, first: date, today: date) -> MonthCalendar:
    """One month, Monday first: each day with the month's activities held that day."""
    first = first.replace(day=1)
    last = month_last_day(first)
    by_day: dict[date, list[AwarenessActivity]] = {}
    activities = _with_totals(AwarenessActivity.objects.filter(held_on__range=(first, last)))
    for activity in activities.order_by("held_on", "pk"):
        by_day.setdefault(activity.held_on, []).append(activity)
    weeks = [
        [
            CalendarDay(day, day.month == first.month, day == today, by_day.get(day, []))
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
            first.year, first.month
        )
    ]
    previous = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return MonthCalendar(first, previous, following, weeks)


def volunteers_dashboard(today: date) -> dict[str, object]:
    """Counts for the workspace home (no names): active volunteers, this month's hours and
    participants by topic, and the next activities."""
    first, last = today.replace(day=1), month_last_day(today)
    in_month = {"activity__held_on__range": (first, last)}
    hours = VolunteerParticipation.objects.filter(**in_month).aggregate(n=Sum("hours"))["n"]
    by_topic = dict(
        ParticipantCount.objects.filter(**in_month)
        .values("activity__topic")
        .annotate(n=Sum("count"))
        .values_list("activity__topic", "n")
    )
    return {
        "active_volunteers": Volunteer.objects.filter(is_active=True).count(),
        "hours_this_month": hours or 0,
        "participants_this_month": sum(by_topic.values()),
        "participants_by_topic": bars_of(
            [(str(label), by_topic.get(value, 0)) for value, label in Topic.choices]
        ),
        "next_activities": list(
            AwarenessActivity.objects.filter(held_on__gte=today)
            .select_related("partner")
            .order_by("held_on", "pk")[:5]
        ),
    }


def person_volunteer_data(person: Person) -> dict[str, object] | None:
    """What this app holds about a person, as plain data (for ``people.rights.person_data``);
    None if they never volunteered."""
    volunteer = Volunteer.objects.filter(person=person).first()
    if volunteer is None:
        return None
    return {
        "id": str(volunteer.public_id),
        "skills": volunteer.skills,
        "availability": volunteer.availability,
        "is_active": volunteer.is_active,
        "joined_on": volunteer.joined_on.isoformat(),
        "activities": [
            {
                "date": part.activity.held_on.isoformat(),
                "title": part.activity.title,
                "topic": part.activity.topic,
                "hours": part.hours,
            }
            for part in volunteer_participations(volunteer)
        ],
    }
