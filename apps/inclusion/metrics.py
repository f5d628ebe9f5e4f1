"""This app's joint-metrics tables for one district-month (run by the publisher inside the
district's schema). Every dimension's counts add up to the table's total."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When

from apps.inclusion.models import (
    NO_BUSINESS,
    STAGE_ORDER,
    Business,
    BusinessStatusChange,
    Entrepreneur,
    TrainingAttendance,
)
from apps.metrics.tables import Table, count_by, table_of
from apps.people.models import Person


def _stage_rank(field: str) -> Case:
    """A status as its position in ``STAGE_ORDER`` (higher is more formal)."""
    return Case(
        *[When(**{field: status}, then=Value(rank)) for rank, status in enumerate(STAGE_ORDER)],
        output_field=IntegerField(),
    )


def entrepreneurs_by_stage(on: date) -> Counter[str]:
    """Entrepreneurs registered by ``on``, by the most advanced status any of their
    businesses had on that day, read from the dated history (one GROUP BY query)."""
    status_then = (
        BusinessStatusChange.objects.filter(business=OuterRef("pk"), since__lte=on)
        .order_by("-since", "-pk")
        .annotate(rank=_stage_rank("status"))
        .values("rank")[:1]
    )
    best_business = (
        Business.objects.filter(entrepreneur=OuterRef("pk"))
        .annotate(rank=Subquery(status_then))
        .filter(rank__isnull=False)
        .order_by("-rank")
        .values("rank")[:1]
    )
    rows = (
        Entrepreneur.objects.filter(registered_on__lte=on)
        .annotate(rank=Subquery(best_business))
        .values("rank")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter(
        {NO_BUSINESS if row["rank"] is None else STAGE_ORDER[row["rank"]]: row["n"] for row in rows}
    )


def month_tables(first: date, last: date) -> dict[str, Table]:
    stages = entrepreneurs_by_stage(last)
    trained = Person.objects.filter(
        pk__in=TrainingAttendance.objects.filter(training__held_on__range=(first, last)).values(
            "person_id"
        )
    )
    by_sex = count_by(trained, "sex")
    return {
        "entrepreneurs": table_of(sum(stages.values()), {"formalisation": stages}),
        "training_attendance": table_of(sum(by_sex.values()), {"sex": by_sex}),
    }
