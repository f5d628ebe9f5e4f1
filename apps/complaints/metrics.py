"""This app's joint-metrics tables for one district-month (run by the publisher inside the
district's schema). Every dimension's counts add up to the table's total."""

from __future__ import annotations

from datetime import date

from apps.complaints.models import Complaint
from apps.metrics.tables import Table, count_by, table_of


def month_tables(first: date, last: date) -> dict[str, Table]:
    """Complaints received in the month by their current stage and by channel; and one count
    per complaint and protected ground (a complaint on two grounds counts in both)."""
    received = Complaint.objects.filter(received_on__range=(first, last))
    stages = count_by(received, "stage")
    channels = count_by(received, "channel")
    pairs = Complaint.grounds.through.objects.filter(complaint__received_on__range=(first, last))
    grounds = count_by(pairs, "ground__code")
    return {
        "complaints": table_of(sum(stages.values()), {"stage": stages, "channel": channels}),
        "complaint_grounds": table_of(sum(grounds.values()), {"ground": grounds}),
    }
