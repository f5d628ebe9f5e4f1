from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.complaints.metrics import month_tables
from apps.complaints.models import Complaint, Stage
from apps.complaints.tests.factories import complaint_at, complaint_make, step
from apps.metrics.indicators import INDICATORS
from apps.metrics.models import MetricValue
from apps.metrics.publisher import metrics_publish, month_bounds
from tenants.models import District

pytestmark = pytest.mark.django_db


def _month_of_data(district: District) -> None:
    today = timezone.localdate()
    first = today.replace(day=1)
    with schema_context(district.schema_name):
        complaint_make(received_on=first, grounds=("nationality", "migratory-status"))
        complaint_make(
            received_on=today,
            channel="online",
            grounds=("race",),
            is_anonymous=True,
            complainant_name="",
        )
        complaint_at(Stage.ADMITTED, received_on=first, grounds=("nationality",))
        complaint_at(
            Stage.DISMISSED, received_on=today, channel="written", grounds=("other", "sex")
        )
        # Last month: counted in its own month only.
        complaint_make(received_on=first - timedelta(days=1), grounds=("nationality",))


def _dimension(table: dict[str, int], dimension: str) -> dict[str, int]:
    prefix = f"{dimension}="
    return {key[len(prefix) :]: n for key, n in table.items() if key.startswith(prefix)}


def test_month_tables_match_direct_counts(district_a: District) -> None:
    _month_of_data(district_a)
    first, last = month_bounds(timezone.localdate())
    with schema_context(district_a.schema_name):
        tables = month_tables(first, last)
        received = Complaint.objects.filter(received_on__gte=first, received_on__lte=last)
        direct_stages = Counter(received.values_list("stage", flat=True))
        direct_channels = Counter(received.values_list("channel", flat=True))
        direct_grounds = Counter(
            code
            for complaint in received
            for code in complaint.grounds.values_list("code", flat=True)
        )
        direct_total = received.count()
    complaints, grounds = tables["complaints"], tables["complaint_grounds"]
    assert complaints[""] == direct_total == 4
    assert _dimension(complaints, "stage") == dict(direct_stages)
    assert _dimension(complaints, "channel") == dict(direct_channels)
    assert grounds[""] == sum(direct_grounds.values()) == 6
    assert _dimension(grounds, "ground") == dict(direct_grounds)
    # Within each dimension the counts add up to the total (suppression relies on it).
    for code, table in tables.items():
        for dimension in INDICATORS[code].dimensions:
            assert sum(_dimension(table, dimension).values()) == table[""], (code, dimension)


def test_an_empty_month_has_zero_totals(district_a: District) -> None:
    first, last = month_bounds(timezone.localdate())
    with schema_context(district_a.schema_name):
        assert month_tables(first, last) == {"complaints": {"": 0}, "complaint_grounds": {"": 0}}


def test_the_publisher_stores_the_complaint_indicators(district_a: District) -> None:
    _month_of_data(district_a)
    month = timezone.localdate().replace(day=1)
    metrics_publish(district=district_a, period=month)
    stored = MetricValue.objects.filter(district=district_a, period=month, indicator="complaints")
    assert stored.get(dimension="").value == 4
    assert stored.get(dimension="stage", dimension_value="received").value == 2
    # Counts under the threshold are suppressed in the shared store.
    assert stored.get(dimension="").suppressed
    grounds = MetricValue.objects.filter(
        district=district_a, period=month, indicator="complaint_grounds", dimension="ground"
    )
    assert grounds.get(dimension_value="nationality").value == 2


def test_a_complaint_marks_its_reception_month_dirty(
    district_a: District,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., ContextManager[list[Callable[[], None]]]],
) -> None:
    settings.METRICS_PUBLISH = "sync"
    last_month = timezone.localdate().replace(day=1) - timedelta(days=3)
    with schema_context(district_a.schema_name):
        with django_capture_on_commit_callbacks(execute=True):
            complaint = complaint_make(received_on=last_month)
        assert (
            MetricValue.objects.filter(
                district=district_a,
                period=last_month.replace(day=1),
                indicator="complaints",
                dimension="stage",
                dimension_value="received",
            )
            .get()
            .value
            == 1
        )
        with django_capture_on_commit_callbacks(execute=True):
            step(Stage.ADMITTED, complaint)
        stages = MetricValue.objects.filter(
            district=district_a,
            period=last_month.replace(day=1),
            indicator="complaints",
            dimension="stage",
        )
        assert {row.dimension_value: row.value for row in stages} == {"admitted": 1}
