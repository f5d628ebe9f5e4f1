"""The metrics publisher as a background job: one waiting job per district-month."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from procrastinate.contrib.django.models import ProcrastinateJob

from apps.metrics.dirty import district_month_changed
from apps.metrics.models import MetricValue
from apps.metrics.tasks import metrics_publish_district_month
from apps.metrics.tests.test_publisher import _served
from tenants.models import District

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings: Any) -> None:
    settings.METRICS_PUBLISH = "task"
    settings.TASKS_IMMEDIATE = False


def _jobs() -> list[dict[str, Any]]:
    return [
        job.args
        for job in ProcrastinateJob.objects.filter(
            task_name=metrics_publish_district_month.name, status="todo"
        ).order_by("id")
    ]


@pytest.mark.usefixtures("queued")
def test_a_burst_of_writes_queues_one_recompute_per_district_month(
    district_a: District, district_b: District
) -> None:
    with schema_context(district_a.schema_name):
        for day in (date(2026, 3, 2), date(2026, 3, 20), date(2026, 3, 31)):
            district_month_changed(day)
        district_month_changed(date(2026, 4, 1))
    with schema_context(district_b.schema_name):
        district_month_changed(date(2026, 3, 5))
    assert _jobs() == [
        {"schema_name": "d_la_perla", "period": "2026-03-01"},
        {"schema_name": "d_la_perla", "period": "2026-04-01"},
        {"schema_name": "d_bellavista", "period": "2026-03-01"},
    ]
    locks = ProcrastinateJob.objects.filter(task_name=metrics_publish_district_month.name)
    assert {job.lock for job in locks} == {"metrics:2026-03-01", "metrics:2026-04-01"}


@pytest.mark.usefixtures("queued")
def test_a_write_rolled_back_leaves_no_job(district_a: District) -> None:
    def failing_write() -> None:
        with transaction.atomic():
            district_month_changed(date(2026, 3, 2))
            raise RuntimeError("the write failed")

    with schema_context(district_a.schema_name), pytest.raises(RuntimeError):
        failing_write()
    assert _jobs() == []


@pytest.mark.usefixtures("queued")
def test_a_real_write_queues_its_month_and_the_job_publishes_it(district_a: District) -> None:
    month = timezone.localdate().replace(day=1)
    _served(district_a, 6, on=month)  # people and attentions, through the services
    assert _jobs() == [{"schema_name": "d_la_perla", "period": month.isoformat()}]
    assert not MetricValue.objects.filter(district=district_a).exists()
    # What the worker does with the job (here, in the test's transaction).
    metrics_publish_district_month.run_in("d_la_perla", period=month.isoformat())
    assert cast(Any, connection).schema_name == "public"
    total = MetricValue.objects.get(district=district_a, indicator="people_served", dimension="")
    assert (total.period, total.value) == (month, 6)
