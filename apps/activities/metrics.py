"""This app's joint-metrics tables for one district-month (run by the publisher inside the
district's schema). Every dimension's counts add up to the table's total."""

from __future__ import annotations

from datetime import date

from apps.metrics.tables import Table


def month_tables(first: date, last: date) -> dict[str, Table]:
    return {}
