"""Stripe's webhook on the platform's host: signed, each event applied once, state taken
from Stripe's current subscription whatever order the events arrive in."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from apps.billing.models import BillingAccount, Plan, StripeEvent
from apps.billing.tests.fakes import (
    FakeStripe,
    checkout_session_object,
    deliver,
    event_object,
    invoice_object,
    signed,
    subscription_object,
)
from conftest import client_for
from tenants.models import District

pytestmark = pytest.mark.django_db

SUBSCRIPTIONS = "/v1/subscriptions/sub_1"


def _reload(account: BillingAccount) -> BillingAccount:
    return BillingAccount.objects.get(pk=account.pk)


def test_checkout_completed_links_the_subscription_and_its_plan(
    billing_on: FakeStripe, plan: Plan, account_a: BillingAccount, public_client: Client
) -> None:
    billing_on.subscription_set("sub_1", "cus_la_perla", "active", period_end=1_900_000_000)
    session = checkout_session_object("cus_la_perla", "sub_1", str(account_a.district_id))
    response = deliver(public_client, event_object("checkout.session.completed", session))
    assert response.status_code == 200
    assert response.json() == {"received": True, "outcome": "applied"}
    account = _reload(account_a)
    assert account.stripe_subscription_id == "sub_1"
    assert account.subscription_status == "active"
    assert account.plan == plan
    assert account.current_period_end is not None
    assert int(account.current_period_end.timestamp()) == 1_900_000_000
    assert account.synced_at is not None
    assert StripeEvent.objects.get().outcome == StripeEvent.Outcome.APPLIED


@pytest.mark.parametrize("secret", ["whsec_someone_else", ""])
def test_a_bad_signature_is_refused_and_changes_nothing(
    billing_on: FakeStripe, account_a: BillingAccount, public_client: Client, secret: str
) -> None:
    billing_on.subscription_set("sub_1", "cus_la_perla", "active")
    event = event_object(
        "customer.subscription.created", subscription_object("sub_1", "cus_la_perla", "active")
    )
    if secret:
        response = deliver(public_client, event, secret=secret)
    else:  # no signature header at all
        response = public_client.post(
            "/billing/stripe/webhook/", data=json.dumps(event), content_type="application/json"
        )
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert _reload(account_a).subscription_status == ""
    assert billing_on.requests == []


def test_a_tampered_body_is_refused(
    billing_on: FakeStripe, account_a: BillingAccount, public_client: Client
) -> None:
    event = event_object("invoice.paid", invoice_object("cus_la_perla", "sub_1", "paid"))
    _payload, header = signed(event)
    other = json.dumps({**event, "id": "evt_forged"})
    response = public_client.post(
        "/billing/stripe/webhook/",
        data=other,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_a_stale_timestamp_is_refused(
    billing_on: FakeStripe, account_a: BillingAccount, public_client: Client
) -> None:
    billing_on.subscription_set("sub_1", "cus_la_perla", "active")
    event = event_object(
        "customer.subscription.updated", subscription_object("sub_1", "cus_la_perla", "active")
    )
    # Correctly signed, but ten minutes ago: a captured delivery replayed later.
    response = deliver(public_client, event, timestamp=int(time.time()) - 600)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert _reload(account_a).subscription_status == ""
    assert billing_on.requests == []


def test_a_replayed_event_changes_things_once(
    billing_on: FakeStripe, plan: Plan, account_a: BillingAccount, public_client: Client
) -> None:
    billing_on.subscription_set("sub_1", "cus_la_perla", "past_due")
    event = event_object("invoice.payment_failed", invoice_object("cus_la_perla", "sub_1", "open"))
    first = deliver(public_client, event)
    assert first.json()["outcome"] == "applied"
    after_first = _reload(account_a)
    assert after_first.subscription_status == "past_due"
    assert after_first.unpaid_since is not None

    # Stripe's state moves on; the same event delivered again must not re-read or re-apply.
    billing_on.subscription_set("sub_1", "cus_la_perla", "active")
    for _attempt in range(2):
        again = deliver(public_client, event)
        assert again.status_code == 200
        assert again.json()["outcome"] == "duplicate"
    account = _reload(account_a)
    assert account.subscription_status == "past_due"
    assert account.unpaid_since == after_first.unpaid_since
    assert account.updated_at == after_first.updated_at
    assert len(billing_on.calls("GET", SUBSCRIPTIONS)) == 1
    assert StripeEvent.objects.count() == 1


def test_an_older_update_after_the_deletion_does_not_resurrect_the_subscription(
    billing_on: FakeStripe, plan: Plan, account_a: BillingAccount, public_client: Client
) -> None:
    now = int(time.time())
    account_a.stripe_subscription_id = "sub_1"
    account_a.subscription_status = "active"
    account_a.save()
    billing_on.subscription_set("sub_1", "cus_la_perla", "canceled")
    deleted = event_object(
        "customer.subscription.deleted",
        subscription_object("sub_1", "cus_la_perla", "canceled"),
        created=now - 10,
    )
    # Created before the deletion, delivered after it, and saying "active".
    older_update = event_object(
        "customer.subscription.updated",
        subscription_object("sub_1", "cus_la_perla", "active"),
        created=now - 60,
    )
    assert deliver(public_client, deleted).json()["outcome"] == "applied"
    assert deliver(public_client, older_update).json()["outcome"] == "applied"
    account = _reload(account_a)
    assert account.subscription_status == "canceled"
    assert len(billing_on.calls("GET", SUBSCRIPTIONS)) == 2


def test_a_payment_event_before_the_checkout_event_still_lands(
    billing_on: FakeStripe, plan: Plan, account_a: BillingAccount, public_client: Client
) -> None:
    """invoice.paid may arrive before checkout.session.completed: the customer is known
    from the moment Checkout started, so the subscription is found either way."""
    billing_on.subscription_set("sub_1", "cus_la_perla", "active")
    paid = event_object("invoice.paid", invoice_object("cus_la_perla", "sub_1", "paid"))
    assert deliver(public_client, paid).json()["outcome"] == "applied"
    session = checkout_session_object("cus_la_perla", "sub_1", str(account_a.district_id))
    completed = event_object("checkout.session.completed", session)
    assert deliver(public_client, completed).json()["outcome"] == "applied"
    account = _reload(account_a)
    assert (account.stripe_subscription_id, account.subscription_status) == ("sub_1", "active")


def test_late_news_of_an_older_subscription_does_not_replace_the_current_one(
    billing_on: FakeStripe, plan: Plan, account_a: BillingAccount, public_client: Client
) -> None:
    account_a.stripe_subscription_id = "sub_new"
    account_a.subscription_status = "active"
    account_a.save()
    billing_on.subscription_set("sub_old", "cus_la_perla", "canceled")
    event = event_object(
        "customer.subscription.deleted", subscription_object("sub_old", "cus_la_perla", "canceled")
    )
    assert deliver(public_client, event).json()["outcome"] == "ignored"
    account = _reload(account_a)
    assert (account.stripe_subscription_id, account.subscription_status) == ("sub_new", "active")


def test_a_new_subscription_replaces_one_canceled_for_non_payment(
    billing_on: FakeStripe, plan: Plan, account_a: BillingAccount, public_client: Client
) -> None:
    billing_on.subscription_set(
        "sub_old", "cus_la_perla", "canceled", cancellation_reason="payment_failed"
    )
    deleted = event_object(
        "customer.subscription.deleted", subscription_object("sub_old", "cus_la_perla", "canceled")
    )
    deliver(public_client, deleted)
    assert _reload(account_a).unpaid_since is not None
    billing_on.subscription_set("sub_new", "cus_la_perla", "active")
    session = checkout_session_object("cus_la_perla", "sub_new", str(account_a.district_id))
    deliver(public_client, event_object("checkout.session.completed", session))
    account = _reload(account_a)
    assert (account.stripe_subscription_id, account.subscription_status) == ("sub_new", "active")
    assert account.unpaid_since is None


def test_an_event_of_an_unknown_customer_is_recorded_and_ignored(
    billing_on: FakeStripe, account_a: BillingAccount, public_client: Client
) -> None:
    event = event_object("invoice.paid", invoice_object("cus_somebody_else", "sub_9", "paid"))
    response = deliver(public_client, event)
    assert response.json()["outcome"] == "ignored"
    assert StripeEvent.objects.get().outcome == StripeEvent.Outcome.IGNORED
    assert billing_on.requests == []
    assert _reload(account_a).subscription_status == ""


def test_a_checkout_naming_another_customer_is_ignored(
    billing_on: FakeStripe, account_a: BillingAccount, public_client: Client
) -> None:
    billing_on.subscription_set("sub_1", "cus_intruder", "active")
    session = checkout_session_object("cus_intruder", "sub_1", str(account_a.district_id))
    response = deliver(public_client, event_object("checkout.session.completed", session))
    assert response.json()["outcome"] == "ignored"
    account = _reload(account_a)
    assert (account.stripe_customer_id, account.stripe_subscription_id) == ("cus_la_perla", None)


def test_an_unhandled_event_type_is_acknowledged(
    billing_on: FakeStripe, public_client: Client
) -> None:
    event = event_object("customer.created", {"id": "cus_x", "object": "customer"})
    response = deliver(public_client, event)
    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"
    assert billing_on.requests == []


def test_when_stripe_cannot_be_read_nothing_is_recorded_and_the_retry_applies(
    billing_on: FakeStripe, plan: Plan, account_a: BillingAccount, public_client: Client
) -> None:
    billing_on.subscription_set("sub_1", "cus_la_perla", "active")
    event = event_object("invoice.paid", invoice_object("cus_la_perla", "sub_1", "paid"))
    billing_on.fail_with = 500
    response = deliver(public_client, event)
    assert response.status_code == 503  # Stripe delivers it again later
    assert not StripeEvent.objects.exists()
    assert _reload(account_a).subscription_status == ""
    billing_on.fail_with = None
    assert deliver(public_client, event).json()["outcome"] == "applied"
    assert _reload(account_a).subscription_status == "active"


def test_the_webhook_takes_posts_only_and_only_on_the_platform_host(
    billing_on: FakeStripe, district_a: District, public_client: Client
) -> None:
    assert public_client.get("/billing/stripe/webhook/").status_code == 405
    event = event_object("customer.created", {"id": "cus_x", "object": "customer"})
    assert deliver(client_for(district_a), event).status_code == 404
    assert not StripeEvent.objects.exists()


def test_the_webhook_is_off_while_billing_is_off(public_client: Client) -> None:
    event = event_object("customer.created", {"id": "cus_x", "object": "customer"})
    assert deliver(public_client, event).status_code == 404
    assert not StripeEvent.objects.exists()
