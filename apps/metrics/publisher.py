"""The metrics publisher: the one place (with onboarding) that crosses districts.

It enters one district's schema explicitly, counts with GROUP BY queries, returns plain
data, and upserts the counts of that district-month into the public store, with their
suppression pattern. Never a person leaves the schema: only (dimension, value, count).
"""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django_tenants.utils import schema_context

from apps.metrics.indicators import INDICATORS, age_group, age_on, r4v_group
from apps.metrics.models import MetricRollup, MetricValue
from apps.metrics.suppression import suppressed_keys
from apps.metrics.tables import Table, count_by, table_of
from tenants.models import District


def month_bounds(period: date) -> tuple[date, date]:
    first = period.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


# District apps that count their own indicators (``month_tables(first, last)``), called
# inside the district's schema.
APP_METRIC_MODULES = [
    "apps.complaints.metrics",
    "apps.inclusion.metrics",
    "apps.volunteers.metrics",
    "apps.activities.metrics",
]


def district_month_tables(schema_name: str, period: date) -> dict[str, Table]:
    """Count every indicator of one district-month inside the district's schema."""
    from apps.casework.models import Attention, Referral
    from apps.people.models import Person

    first, last = month_bounds(period)
    with schema_context(schema_name):
        people_served, served_total = _people_served(first, last)
        registered = Person.objects.filter(created_at__date__range=(first, last))
        registered_by = {
            dimension: count_by(registered, dimension) for dimension in ("sex", "nationality")
        }
        services = count_by(
            Attention.service_types.through.objects.filter(
                attention__occurred_on__range=(first, last)
            ),
            "servicetype__code",
        )
        referrals = Referral.objects.filter(created_at__date__range=(first, last))
        referral_counts = {
            "partner": count_by(referrals, "partner__code"),
            "status": count_by(referrals, "status"),
        }
        tables = {
            "people_served": table_of(served_total, people_served),
            "people_registered": table_of(registered.count(), registered_by),
            "attentions": table_of(sum(services.values()), {"service_type": services}),
            "referrals": table_of(referrals.count(), referral_counts),
        }
        for module_name in APP_METRIC_MODULES:
            tables.update(import_module(module_name).month_tables(first, last))
        return tables


def _people_served(first: date, last: date) -> tuple[dict[str, Counter[str]], int]:
    """People with an attention in the month, each once: one GROUP BY over the columns the
    breakdowns need (ages are worked out here, at the first of the month)."""
    from apps.casework.models import Attention
    from apps.people.models import Person

    attended = Attention.objects.filter(occurred_on__range=(first, last)).values("person_id")
    groups = (
        Person.objects.filter(pk__in=attended)
        .values(
            "sex",
            "nationality",
            "population_group",
            "birth_date",
            "estimated_age",
            "estimated_age_on",
        )
        .annotate(people=Count("pk"))
        .order_by()
    )
    breakdowns: dict[str, Counter[str]] = {
        dimension: Counter() for dimension in INDICATORS["people_served"].dimensions
    }
    total = 0
    for group in groups:
        people, age = group["people"], age_on(group, first)
        breakdowns["sex"][group["sex"]] += people
        breakdowns["age_group"][age_group(age)] += people
        breakdowns["nationality"][str(group["nationality"])] += people
        breakdowns["population_group"][group["population_group"]] += people
        breakdowns["r4v_group"][r4v_group(group["sex"], age)] += people
        total += people
    return breakdowns, total


def metrics_publish(*, district: District, period: date) -> int:
    """Recompute one district-month and replace its rows in the store; return the row count."""
    first, _last = month_bounds(period)
    threshold = settings.METRICS_SUPPRESSION_THRESHOLD
    tables = district_month_tables(district.schema_name, first)
    values = []
    for code, table in tables.items():
        assert code in INDICATORS
        hidden = suppressed_keys(table, threshold)
        for key, count in table.items():
            dimension, _sep, dimension_value = key.partition("=")
            values.append(
                MetricValue(
                    district=district,
                    indicator=code,
                    period=first,
                    dimension=dimension,
                    dimension_value=dimension_value,
                    value=count,
                    suppressed=key in hidden,
                    threshold=threshold,
                )
            )
    with transaction.atomic():
        MetricValue.objects.filter(district=district, period=first).delete()
        MetricValue.objects.bulk_create(values)
        metrics_rollup(period=first)
    return len(values)


def metrics_rollup(*, period: date) -> None:
    """Recompute the all-district sums of one month from the store (shown counts only)."""
    from apps.metrics.selectors import hidden_counts

    threshold = settings.METRICS_SUPPRESSION_THRESHOLD
    sums = (
        MetricValue.objects.filter(period=period)
        .values("indicator", "dimension", "dimension_value")
        .annotate(
            shown=Sum("value", filter=~hidden_counts()),
            held_back=Count("pk", filter=hidden_counts()),
        )
    )
    MetricRollup.objects.filter(period=period).delete()
    MetricRollup.objects.bulk_create(
        [
            MetricRollup(
                indicator=row["indicator"],
                period=period,
                dimension=row["dimension"],
                dimension_value=row["dimension_value"],
                shown_value=row["shown"] or 0,
                held_back=row["held_back"],
                threshold=threshold,
            )
            for row in sums
        ]
    )
