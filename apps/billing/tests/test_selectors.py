"""The billing summary other parts of the platform read (the console, the banner)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from apps.billing.models import BillingAccount, Plan
from apps.billing.selectors import district_billing_summary, districts_billing
from apps.billing.tests.fakes import FakeStripe
from tenants.middleware import public_district
from tenants.models import District

pytestmark = pytest.mark.django_db


def test_billing_off_every_district_is_active(district_a: District) -> None:
    summary = district_billing_summary(district_a)
    assert (summary.enabled, summary.state, summary.read_only_reason) == (False, "off", None)
    assert summary.state_label == "Billing is off"


def test_no_subscription_yet(billing_on: FakeStripe, district_a: District) -> None:
    summary = district_billing_summary(district_a)
    assert (summary.enabled, summary.plan, summary.state) == (True, "", "none")
    assert summary.can_subscribe
    assert not summary.has_customer


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("active", "active"),
        ("trialing", "active"),
        ("past_due", "past_due"),
        ("unpaid", "unpaid"),
        ("paused", "unpaid"),
        ("canceled", "canceled"),
        ("incomplete_expired", "canceled"),
        ("incomplete", "none"),
    ],
)
def test_stripe_statuses_fold_into_the_summary_states(
    billing_on: FakeStripe, plan: Plan, district_a: District, status: str, state: str
) -> None:
    BillingAccount.objects.create(district=district_a, plan=plan, subscription_status=status)
    summary = district_billing_summary(district_a)
    assert summary.state == state
    assert summary.plan == "Plan básico"
    assert summary.user_seats == 10
    assert summary.can_subscribe == (state == "canceled")


def test_a_status_this_code_does_not_know_is_shown_as_is(
    billing_on: FakeStripe, district_a: District
) -> None:
    BillingAccount.objects.create(district=district_a, subscription_status="hibernating")
    summary = district_billing_summary(district_a)
    assert (summary.state, summary.state_label) == ("none", "hibernating")
    assert summary.read_only_reason is None


def test_read_only_only_after_the_grace_period(
    billing_on: FakeStripe, settings: Any, district_a: District
) -> None:
    now = timezone.now()
    account = BillingAccount.objects.create(
        district=district_a, subscription_status="past_due", unpaid_since=now - timedelta(days=13)
    )
    summary = district_billing_summary(district_a)
    assert summary.read_only_reason is None
    assert summary.read_only_from == account.unpaid_since + timedelta(days=14)
    BillingAccount.objects.filter(pk=account.pk).update(unpaid_since=now - timedelta(days=15))
    reason = district_billing_summary(district_a).read_only_reason
    assert reason is not None
    assert "La Perla" in reason
    assert "14 days of grace" in reason
    assert "Billing page" in reason
    settings.BILLING_GRACE_DAYS = 30
    assert district_billing_summary(district_a).read_only_reason is None


def test_the_platform_host_has_nothing_to_bill(billing_on: FakeStripe) -> None:
    summary = district_billing_summary(public_district())
    assert summary.state == "none"
    assert summary.read_only_reason is None


def test_the_list_of_districts_is_one_query(
    billing_on: FakeStripe,
    plan: Plan,
    district_a: District,
    district_b: District,
    django_assert_num_queries: Any,
) -> None:
    BillingAccount.objects.create(district=district_a, plan=plan, subscription_status="active")
    BillingAccount.objects.create(district=district_b, subscription_status="canceled")
    with django_assert_num_queries(1):
        rows = districts_billing()
    assert [(row.district.slug, row.summary.state) for row in rows] == [
        ("bellavista", "canceled"),
        ("la-perla", "active"),
    ]
