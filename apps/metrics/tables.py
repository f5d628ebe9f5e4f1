"""The shape of one district-month's counts, and helpers to build it with GROUP BY.

A table maps ``""`` to the total and ``"dimension=value"`` to a breakdown count; within
a dimension the counts add up to the total (small-cell suppression relies on it)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, QuerySet

from apps.metrics.suppression import TOTAL

Table = dict[str, int]


def table_of(total: int, breakdowns: dict[str, Counter[str]]) -> Table:
    table: Table = {TOTAL: total}
    for dimension, counts in breakdowns.items():
        for value, count in counts.items():
            table[f"{dimension}={value}"] = count
    return table


def count_by(queryset: QuerySet[Any], field: str) -> Counter[str]:
    """SELECT field, count(*) ... GROUP BY field."""
    rows = queryset.values(field).annotate(n=Count("pk")).order_by()
    return Counter({str(row[field]): row["n"] for row in rows})
