"""Reads on economic inclusion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from django.db.models import Count, Prefetch, Q, QuerySet

from apps.inclusion.models import (
    STAGE_CHOICES,
    STAGE_ORDER,
    Business,
    BusinessStatusChange,
    Entrepreneur,
    Event,
    EventAttendance,
    StallAllotment,
    Training,
    TrainingAttendance,
)
from apps.metrics.tables import count_by
from apps.people.models import Person
from apps.people.selectors import PersonFilters, person_list
from apps.workspace.bars import bars_of

# How far ahead the upcoming list and the dashboard look.
UPCOMING_DAYS = 90


def entrepreneur_list(*, query: str = "", stage: str = "") -> QuerySet[Entrepreneur]:
    """Entrepreneurs matching a search on their person (name, document, phone) and a stage."""
    entrepreneurs = Entrepreneur.objects.select_related("person").annotate(
        business_count=Count("businesses")
    )
    if query.strip():
        matches = person_list(filters=PersonFilters(query=query)).order_by().values("pk")
        entrepreneurs = entrepreneurs.filter(person__in=matches)
    if stage:
        entrepreneurs = entrepreneurs.filter(stage=stage)
    return entrepreneurs.order_by("person__family_names", "person__given_names", "pk")


def entrepreneur_get(*, public_id: str) -> Entrepreneur | None:
    """One entrepreneur with their businesses, history, stalls and trainings."""
    return (
        Entrepreneur.objects.filter(public_id=public_id)
        .select_related("person", "registered_by")
        .prefetch_related(
            Prefetch(
                "businesses",
                queryset=Business.objects.prefetch_related(
                    Prefetch(
                        "changes",
                        queryset=BusinessStatusChange.objects.select_related("recorded_by"),
                    )
                ),
            ),
            Prefetch(
                "stalls",
                queryset=StallAllotment.objects.select_related("event").order_by(
                    "-event__starts_on"
                ),
            ),
            Prefetch(
                "person__training_attendances",
                queryset=TrainingAttendance.objects.select_related("training").order_by(
                    "-training__held_on"
                ),
            ),
        )
        .first()
    )


@dataclass(frozen=True)
class TimelineEntry:
    since: date
    business: Business
    change: BusinessStatusChange


def entrepreneur_timeline(entrepreneur: Entrepreneur) -> list[TimelineEntry]:
    """Every formalisation change of the entrepreneur's businesses, oldest first (from the
    prefetched businesses of ``entrepreneur_get``)."""
    entries = [
        TimelineEntry(change.since, business, change)
        for business in entrepreneur.businesses.all()
        for change in business.changes.all()
    ]
    return sorted(entries, key=lambda entry: (entry.since, entry.change.pk))


def business_get(*, public_id: str) -> Business | None:
    return (
        Business.objects.filter(public_id=public_id)
        .select_related("entrepreneur__person")
        .prefetch_related("changes")
        .first()
    )


def people_to_pick(*, query: str, limit: int = 10) -> list[Person]:
    """Registered people matching a search, to register or to mark present (none without a
    search: lists of names are not shown by default)."""
    if not query.strip():
        return []
    people = person_list(filters=PersonFilters(query=query)).filter(anonymised_on__isnull=True)
    return list(people.select_related("entrepreneur")[:limit])


def training_list(*, upcoming: bool | None = None, today: date) -> QuerySet[Training]:
    trainings = Training.objects.annotate(attendance_count=Count("attendances"))
    if upcoming is True:
        return trainings.filter(held_on__gte=today).order_by("held_on", "pk")
    if upcoming is False:
        trainings = trainings.filter(held_on__lt=today)
    return trainings.order_by("-held_on", "-pk")


def training_get(*, public_id: str) -> Training | None:
    return (
        Training.objects.filter(public_id=public_id)
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=TrainingAttendance.objects.select_related("person__entrepreneur"),
            )
        )
        .first()
    )


def event_list(*, kind: str = "", today: date, upcoming: bool | None = None) -> QuerySet[Event]:
    events = Event.objects.annotate(
        stall_taken=Count("stalls", distinct=True),
        attendance_count=Count("attendances", distinct=True),
    )
    if kind:
        events = events.filter(kind=kind)
    if upcoming is True:
        ongoing = Q(ends_on__gte=today) | Q(ends_on__isnull=True, starts_on__gte=today)
        return events.filter(ongoing).order_by("starts_on", "pk")
    if upcoming is False:
        finished = Q(ends_on__lt=today) | Q(ends_on__isnull=True, starts_on__lt=today)
        events = events.filter(finished)
    return events.order_by("-starts_on", "-pk")


def event_get(*, public_id: str) -> Event | None:
    return (
        Event.objects.filter(public_id=public_id)
        .prefetch_related(
            Prefetch(
                "stalls", queryset=StallAllotment.objects.select_related("entrepreneur__person")
            ),
            Prefetch(
                "attendances",
                queryset=EventAttendance.objects.select_related("person__entrepreneur"),
            ),
        )
        .first()
    )


def stall_free_numbers(event: Event) -> list[int]:
    """The stall numbers still free (from the prefetched stalls of ``event_get``)."""
    taken = {stall.stall_number for stall in event.stalls.all()}
    return [number for number in range(1, event.stall_count + 1) if number not in taken]


@dataclass(frozen=True)
class CalendarItem:
    day: date
    kind: str  # "training", "fair" or "safe_space"
    item: Training | Event


def upcoming_calendar(
    *, today: date, days: int = UPCOMING_DAYS
) -> list[tuple[date, list[CalendarItem]]]:
    """Trainings and events from today on (events under way included), by month."""
    until = today + timedelta(days=days)
    trainings = Training.objects.filter(held_on__gte=today, held_on__lte=until)
    events = event_list(today=today, upcoming=True).filter(starts_on__lte=until)
    items = [CalendarItem(t.held_on, "training", t) for t in trainings] + [
        CalendarItem(max(e.starts_on, today), e.kind, e) for e in events
    ]
    items.sort(key=lambda item: (item.day, item.kind, item.item.pk))
    return [
        (month, list(group))
        for month, group in groupby(items, key=lambda item: item.day.replace(day=1))
    ]


def inclusion_dashboard(today: date) -> dict[str, object]:
    """Counts for the workspace home (no names): entrepreneurs by their current stage,
    people trained this month, and the next trainings and events."""
    stages = count_by(Entrepreneur.objects.order_by(), "stage")
    month = today.replace(day=1)
    trained = (
        TrainingAttendance.objects.filter(
            training__held_on__gte=month, training__held_on__lte=today
        )
        .values("person_id")
        .distinct()
        .count()
    )
    return {
        "entrepreneurs": sum(stages.values()),
        "formalised": sum(stages[code] for code in STAGE_ORDER[1:]),
        "by_stage": bars_of([(str(label), stages[code]) for code, label in STAGE_CHOICES]),
        "trained_this_month": trained,
        "upcoming_trainings": list(
            Training.objects.filter(held_on__gte=today).order_by("held_on", "pk")[:5]
        ),
        "upcoming_events": list(event_list(today=today, upcoming=True)[:5]),
    }
