"""This app's joint-metrics tables for one district-month (run by the publisher inside the
district's schema). Every dimension's counts add up to the table's total.

A volunteer counts as active in a month when they took part in an activity of that month
(each once), whatever their flag says today: the flag is not dated, and a later
deactivation must not rewrite the past months' figures."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum

from apps.metrics.tables import Table, count_by, table_of
from apps.volunteers.models import ParticipantCount, Volunteer, VolunteerParticipation


def _sum_by(queryset: QuerySet[Any], field: str, value: str) -> Counter[str]:
    """SELECT field, sum(value) ... GROUP BY field."""
    rows = queryset.values(field).annotate(n=Sum(value)).order_by()
    return Counter({str(row[field]): row["n"] for row in rows if row["n"]})


def month_tables(first: date, last: date) -> dict[str, Table]:
    parts = VolunteerParticipation.objects.filter(activity__held_on__range=(first, last))
    active = Volunteer.objects.filter(pk__in=parts.values("volunteer_id"))
    active_by_sex = count_by(active, "person__sex")
    hours = _sum_by(parts, "activity__topic", "hours")
    counts = ParticipantCount.objects.filter(activity__held_on__range=(first, last))
    participants = {
        "topic": _sum_by(counts, "activity__topic", "count"),
        "sex": _sum_by(counts, "sex", "count"),
        "age_group": _sum_by(counts, "age_group", "count"),
    }
    return {
        "volunteers_active": table_of(sum(active_by_sex.values()), {"sex": active_by_sex}),
        "volunteer_hours": table_of(sum(hours.values()), {"topic": hours}),
        "awareness_participants": table_of(sum(participants["topic"].values()), participants),
    }
