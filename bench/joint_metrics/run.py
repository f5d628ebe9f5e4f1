"""Joint-metrics benchmark: the store read by ``jointMetrics`` against a naive version that
visits every district schema per request, side by side, with 7, 100 and 1,000 districts.

Every district gets some real activity in its schema (30 people, 60 attentions), which
the naive version reads with one GROUP BY per district schema; the store holds 12 months
of ``people_served`` by sex for every district (synthetic counts, so that filling 1,000
districts takes a minute; the publisher itself is timed on one district-month with 20,000
people by ``--publisher-people``).

Usage: .venv/bin/python bench/joint_metrics/run.py [--districts 7 100 1000] [--repeat 15]
       [--publisher-people 20000] [--check]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import django_setup_scratch

TARGET_MS = 50.0
TARGET_SPEEDUP_AT_100 = 20.0
QUERY = """query($from: Date!, $to: Date!) {
  jointMetrics(indicator: "people_served", periodFrom: $from, periodTo: $to, groupBy: ["sex"]) {
    rows { district period dimensions { name value } value suppressed } total suppressedCount
  }
}"""


def _months(last: date) -> list[date]:
    index = last.year * 12 + last.month - 1
    return [date((index - back) // 12, (index - back) % 12 + 1, 1) for back in range(11, -1, -1)]


def _grow_to(count: int, months: list[date]) -> None:
    from apps.metrics.models import MetricValue
    from tenants.models import District
    from tenants.services.onboarding import district_onboard

    rng = random.Random(count)  # noqa: S311 - synthetic counts
    present = District.objects.count()
    for i in range(present, count):
        district = district_onboard(
            name=f"Distrito {i}",
            slug=f"d{i:04d}",
            ubigeo=f"{(i // 9801) + 15:02d}{(i // 99) % 99 + 1:02d}{i % 99 + 1:02d}",
            coordinator_email=f"c{i}@bench.pe",
            refill_pool_in_background=False,
            send_invitation=False,
        ).district
        _activity(district.schema_name, months, rng)
        values = []
        for month in months:
            female, male = rng.randint(0, 60), rng.randint(0, 60)
            for dimension, value, count_ in (
                ("", "", female + male),
                ("sex", "female", female),
                ("sex", "male", male),
            ):
                values.append(
                    MetricValue(
                        district=district,
                        indicator="people_served",
                        period=month,
                        dimension=dimension,
                        dimension_value=value,
                        value=count_,
                        suppressed=0 < count_ < 5,
                        threshold=5,
                    )
                )
        MetricValue.objects.bulk_create(values)


def _activity(schema_name: str, months: list[date], rng: random.Random) -> None:
    """Some real activity in the district's schema (30 people, 60 attentions over the year),
    so the naive version reads what it would read in production."""
    from django.contrib.auth import get_user_model
    from django_tenants.utils import schema_context

    from apps.casework.models import Attention
    from apps.people.models import Person

    with schema_context(schema_name):
        user = get_user_model().objects.create(username=f"staff@{schema_name}.pe")
        people = Person.objects.bulk_create(
            [
                Person(
                    given_names=f"P{i}",
                    family_names="X",
                    name_key=f"p{i} x",
                    sex=rng.choice(["female", "male"]),
                    birth_date=date(1990, 1, 1),
                    nationality="VE",
                    population_group="in_destination",
                    registered_by=user,
                )
                for i in range(30)
            ]
        )
        Attention.objects.bulk_create(
            [
                Attention(
                    person=person, occurred_on=rng.choice(months), staff=user, channel="phone"
                )
                for person in people
                for _ in range(2)
            ]
        )


def _naive(months: list[date]) -> int:
    """What a design without the store would do: visit each district schema per request."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth
    from django_tenants.utils import schema_context

    from apps.casework.models import Attention
    from tenants.models import District

    rows = 0
    for schema_name in District.objects.values_list("schema_name", flat=True):
        with schema_context(schema_name):
            rows += len(
                list(
                    Attention.objects.filter(occurred_on__gte=months[0])
                    .annotate(month=TruncMonth("occurred_on"))
                    .values("month", "person__sex")
                    .annotate(people=Count("person", distinct=True))
                )
            )
    return rows


def _median_ms(function: object, repeat: int) -> tuple[float, float]:
    timings = []
    function()  # type: ignore[operator]  # warm up
    for _ in range(repeat):
        started = time.perf_counter()
        function()  # type: ignore[operator]
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--districts", type=int, nargs="+", default=[7, 100, 1000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--publisher-people", type=int, default=20_000)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()

    django_setup_scratch()
    from django.test import Client
    from django.utils import timezone

    from apps.accounts.roles import PlatformRole, platform_roles_ensure
    from apps.accounts.services import user_create_with_password
    from apps.accounts.testing import force_login_past_two_factor
    from tenants.schema_template import template_snapshot_ensure

    template_snapshot_ensure()
    platform_roles_ensure()
    secretariat = user_create_with_password(
        email="s@bench.pe",
        password="bench-password-long",
        role=PlatformRole.SECRETARIAT,
    )
    client = Client(HTTP_HOST="localhost")
    force_login_past_two_factor(client, secretariat)  # the secretariat must use two-factor
    months = _months(timezone.localdate())
    variables = {"from": months[0].isoformat(), "to": months[-1].isoformat()}

    def graphql() -> None:
        response = client.post(
            "/graphql/", {"query": QUERY, "variables": variables}, content_type="application/json"
        )
        assert response.status_code == 200 and "errors" not in response.json(), response.content[
            :300
        ]

    ok = True
    results = {}
    print(
        f"{'districts':>9} {'store (GraphQL) ms':>19} {'worst':>7} {'naive ms':>9} {'worst':>7} {'naive/store':>11}"
    )
    from apps.metrics.publisher import metrics_rollup

    for count in sorted(args.districts):
        _grow_to(count, months)
        for month in months:
            metrics_rollup(period=month)
        store, store_worst = _median_ms(graphql, args.repeat)
        naive, naive_worst = _median_ms(lambda: _naive(months), max(3, args.repeat // 5))
        results[count] = (store, naive)
        print(
            f"{count:>9} {store:>19.1f} {store_worst:>7.1f} {naive:>9.1f} {naive_worst:>7.1f} {naive / store:>10.1f}x"
        )
    largest = max(results)
    ok &= results[largest][0] < TARGET_MS
    if 100 in results:
        ok &= results[100][1] / results[100][0] >= TARGET_SPEEDUP_AT_100
    smallest = min(results)
    print(
        f"store at {largest} districts / at {smallest}: {results[largest][0] / results[smallest][0]:.2f}x"
    )

    if args.publisher_people:
        ok &= _time_publisher(args.publisher_people)
    print(
        f"targets (< {TARGET_MS:.0f} ms at {largest} districts, >= {TARGET_SPEEDUP_AT_100:.0f}x at 100): {'met' if ok else 'MISSED'}"
    )
    return 0 if ok or not args.check else 1


def _time_publisher(people: int) -> bool:
    """One district-month with ``people`` people served (two attentions each)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from apps.accounts.roles import DistrictRole
    from apps.accounts.services import user_create_with_password
    from apps.casework.models import Attention
    from apps.metrics.publisher import metrics_publish
    from apps.people.models import Person
    from tenants.models import District
    from tenants.services.onboarding import district_onboard

    district = district_onboard(
        name="Publicador",
        slug="publisher",
        ubigeo="259999",
        coordinator_email="p@bench.pe",
        refill_pool_in_background=False,
        send_invitation=False,
    ).district
    month = timezone.localdate().replace(day=1)
    with schema_context(district.schema_name):
        user = user_create_with_password(
            email="w@bench.pe", password="bench-password-long", role=DistrictRole.CASEWORKER
        )
        Person.objects.bulk_create(
            [
                Person(
                    given_names=f"P{i}",
                    family_names="X",
                    name_key=f"p{i} x",
                    sex="female" if i % 2 else "male",
                    birth_date=date(1980 + i % 40, 1 + i % 12, 1),
                    nationality="VE",
                    population_group="in_destination",
                    registered_by=user,
                )
                for i in range(people)
            ],
            batch_size=5000,
        )
        ids = list(Person.objects.values_list("pk", flat=True))
        Attention.objects.bulk_create(
            [
                Attention(person_id=pk, occurred_on=month, staff=user, channel="phone")
                for pk in ids
                for _ in range(2)
            ],
            batch_size=5000,
        )
    del get_user_model
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        metrics_publish(district=District.objects.get(pk=district.pk), period=month)
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    print(
        f"publisher, one district-month with {people} people served: median {median:.2f} s, worst {max(timings):.2f} s"
    )
    return True


if __name__ == "__main__":
    sys.exit(main())
