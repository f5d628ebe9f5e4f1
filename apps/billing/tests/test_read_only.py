"""Unpaid past the grace period: the workspace becomes read-only with the reason and the
way out; paying makes it writable again; nothing is deleted on the way."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_tenants.utils import schema_context

from apps.billing.models import BillingAccount
from apps.billing.tests.fakes import (
    PORTAL_URL,
    FakeStripe,
    deliver,
    event_object,
    invoice_object,
    subscription_object,
)
from conftest import login_as
from tenants.middleware import workspace_write_block_reason
from tenants.models import District

# A plan exists for the subscriptions' price, as in real use.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plan")]

INVITE = {
    "email": "nueva.colega@la-perla.test",
    "role": "viewer",
    "first_name": "",
    "last_name": "",
}


def _subscribed(account: BillingAccount, fake: FakeStripe, status: str = "active") -> None:
    account.stripe_subscription_id = "sub_1"
    account.subscription_status = status
    account.save()
    fake.subscription_set("sub_1", account.stripe_customer_id or "", status)


def _days_pass(account: BillingAccount, days: int) -> None:
    """As if ``days`` had gone by since the payment failed."""
    unpaid_since = BillingAccount.objects.get(pk=account.pk).unpaid_since
    assert unpaid_since is not None
    BillingAccount.objects.filter(pk=account.pk).update(
        unpaid_since=unpaid_since - timedelta(days=days)
    )


def _user_count(district: District) -> int:
    with schema_context(district.schema_name):
        return User.objects.count()


def test_payment_failure_then_grace_then_read_only_then_paid_and_writable(
    billing_on: FakeStripe,
    district_a: District,
    account_a: BillingAccount,
    client_a: Client,
    public_client: Client,
) -> None:
    _subscribed(account_a, billing_on)
    login_as(client_a, district_a, "coordinator")

    # The payment fails: Stripe has the subscription past due.
    billing_on.subscription_set("sub_1", "cus_la_perla", "past_due")
    failed = event_object("invoice.payment_failed", invoice_object("cus_la_perla", "sub_1", "open"))
    assert deliver(public_client, failed).json()["outcome"] == "applied"

    # Within the grace period: still writable, and the Billing page warns.
    response = client_a.post("/team/invite/", INVITE)
    assert response.status_code == 302
    page = client_a.get("/billing/").content.decode()
    assert "A payment has been pending since" in page
    assert "Read-only workspace." not in page

    # Past the grace period: every write is refused with the reason and the way out.
    _days_pass(account_a, 15)
    users_before = _user_count(district_a)
    refused = client_a.post("/team/invite/", {**INVITE, "email": "otra@la-perla.test"})
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "This change was not saved" in text
    assert "has been unpaid since" in text
    assert "the Billing page" in text
    assert _user_count(district_a) == users_before
    home = client_a.get("/").content.decode()
    assert "Read-only workspace." in home
    assert "has been unpaid since" in home

    # The way out stays open: the customer portal (pay, change the card).
    portal = client_a.post("/billing/portal/")
    assert portal.status_code == 302
    assert portal["Location"] == PORTAL_URL

    # Paid: Stripe has it active again, and the workspace is writable at once.
    billing_on.subscription_set("sub_1", "cus_la_perla", "active")
    paid = event_object("invoice.paid", invoice_object("cus_la_perla", "sub_1", "paid"))
    assert deliver(public_client, paid).json()["outcome"] == "applied"
    assert BillingAccount.objects.get(pk=account_a.pk).unpaid_since is None
    again = client_a.post("/team/invite/", {**INVITE, "email": "otra@la-perla.test"})
    assert again.status_code == 302
    assert "Read-only workspace." not in client_a.get("/").content.decode()
    # Nothing was deleted, and the district's own lifecycle status was never touched.
    assert _user_count(district_a) == users_before + 1
    district_a.refresh_from_db()
    assert district_a.status == District.Status.ACTIVE


def test_a_failure_delivered_late_counts_from_when_it_happened(
    billing_on: FakeStripe,
    district_a: District,
    account_a: BillingAccount,
    public_client: Client,
) -> None:
    _subscribed(account_a, billing_on, "past_due")
    twenty_days_ago = int(time.time()) - 20 * 24 * 3600
    failed = event_object(
        "invoice.payment_failed",
        invoice_object("cus_la_perla", "sub_1", "open"),
        created=twenty_days_ago,
    )
    deliver(public_client, failed)
    reason = workspace_write_block_reason(district_a)
    assert reason is not None
    assert "has been unpaid since" in reason


def test_a_subscription_canceled_for_non_payment_keeps_the_workspace_read_only(
    billing_on: FakeStripe,
    district_a: District,
    account_a: BillingAccount,
    public_client: Client,
) -> None:
    _subscribed(account_a, billing_on, "unpaid")
    billing_on.subscription_set(
        "sub_1", "cus_la_perla", "canceled", cancellation_reason="payment_failed"
    )
    deleted = event_object(
        "customer.subscription.deleted", subscription_object("sub_1", "cus_la_perla", "canceled")
    )
    deliver(public_client, deleted)
    _days_pass(account_a, 15)
    assert workspace_write_block_reason(district_a) is not None


def test_cancelling_an_unpaid_subscription_does_not_clear_the_debt(
    billing_on: FakeStripe,
    district_a: District,
    account_a: BillingAccount,
    public_client: Client,
) -> None:
    _subscribed(account_a, billing_on)
    billing_on.subscription_set("sub_1", "cus_la_perla", "past_due")
    deliver(
        public_client,
        event_object("invoice.payment_failed", invoice_object("cus_la_perla", "sub_1", "open")),
    )
    billing_on.subscription_set(
        "sub_1", "cus_la_perla", "canceled", cancellation_reason="cancellation_requested"
    )
    deliver(
        public_client,
        event_object(
            "customer.subscription.deleted",
            subscription_object("sub_1", "cus_la_perla", "canceled"),
        ),
    )
    _days_pass(account_a, 15)
    assert workspace_write_block_reason(district_a) is not None


def test_a_voluntary_cancellation_leaves_the_workspace_writable(
    billing_on: FakeStripe,
    district_a: District,
    account_a: BillingAccount,
    public_client: Client,
) -> None:
    _subscribed(account_a, billing_on)
    billing_on.subscription_set(
        "sub_1", "cus_la_perla", "canceled", cancellation_reason="cancellation_requested"
    )
    deliver(
        public_client,
        event_object(
            "customer.subscription.deleted",
            subscription_object("sub_1", "cus_la_perla", "canceled"),
        ),
    )
    assert BillingAccount.objects.get(pk=account_a.pk).subscription_status == "canceled"
    assert workspace_write_block_reason(district_a) is None


def test_other_districts_stay_writable(
    billing_on: FakeStripe,
    district_a: District,
    district_b: District,
    account_a: BillingAccount,
    public_client: Client,
) -> None:
    _subscribed(account_a, billing_on, "past_due")
    deliver(
        public_client,
        event_object("invoice.payment_failed", invoice_object("cus_la_perla", "sub_1", "open")),
    )
    _days_pass(account_a, 15)
    assert workspace_write_block_reason(district_a) is not None
    assert workspace_write_block_reason(district_b) is None


def test_without_stripe_keys_an_unpaid_record_blocks_nothing(
    district_a: District, account_a: BillingAccount
) -> None:
    """Billing off: every district is active, whatever was stored while it was on."""
    BillingAccount.objects.filter(pk=account_a.pk).update(
        subscription_status="unpaid", unpaid_since=account_a.created_at - timedelta(days=90)
    )
    assert workspace_write_block_reason(district_a) is None
