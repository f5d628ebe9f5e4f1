"""The one module that talks to Stripe: the pinned API version's layout, and the
library's own signature check."""

from __future__ import annotations

import json
import time

import pytest
import stripe

from apps.billing import stripe_client
from apps.billing.stripe_client import StripeUnavailable, WebhookRejected
from apps.billing.tests.fakes import (
    WEBHOOK_SECRET,
    FakeStripe,
    event_object,
    invoice_object,
    signed,
    subscription_object,
)


def test_requests_use_the_api_version_the_library_pins(billing_on: FakeStripe) -> None:
    assert stripe.api_version == stripe_client.API_VERSION
    billing_on.subscription_set("sub_1", "cus_1", "active")
    stripe_client.subscription_retrieve("sub_1")
    assert billing_on.requests[0][:2] == ("GET", "/v1/subscriptions/sub_1")


def test_a_subscription_is_read_with_its_period_on_the_items(billing_on: FakeStripe) -> None:
    billing_on.subscription_set(
        "sub_1",
        "cus_1",
        "canceled",
        price="price_x",
        period_end=1_900_000_000,
        cancellation_reason="payment_failed",
    )
    snapshot = stripe_client.subscription_retrieve("sub_1")
    assert snapshot.id == "sub_1"
    assert snapshot.customer_id == "cus_1"
    assert snapshot.status == "canceled"
    assert snapshot.price_id == "price_x"
    assert snapshot.current_period_end is not None
    assert int(snapshot.current_period_end.timestamp()) == 1_900_000_000
    assert snapshot.cancellation_reason == "payment_failed"


def test_expanded_fields_are_read_too() -> None:
    data = subscription_object("sub_1", "cus_1", "active")
    data["customer"] = {"id": "cus_1", "object": "customer"}
    assert stripe_client.subscription_snapshot(data).customer_id == "cus_1"


def test_an_error_from_stripe_becomes_stripe_unavailable(billing_on: FakeStripe) -> None:
    with pytest.raises(StripeUnavailable):
        stripe_client.subscription_retrieve("sub_missing")  # 404 from the fake
    billing_on.fail_with = 503
    with pytest.raises(StripeUnavailable):
        stripe_client.portal_session_create(customer_id="cus_1", return_url="http://x/")


def test_an_invoice_event_names_its_subscription_under_parent(billing_on: FakeStripe) -> None:
    event = event_object("invoice.payment_failed", invoice_object("cus_1", "sub_1", "open"))
    payload, header = signed(event)
    verified = stripe_client.webhook_event_verify(payload=payload.encode(), signature=header)
    assert (verified.id, verified.type) == (event["id"], "invoice.payment_failed")
    assert (verified.customer_id, verified.subscription_id) == ("cus_1", "sub_1")
    assert verified.district_reference is None


@pytest.mark.parametrize(
    "case", ["wrong secret", "stale", "no header", "garbage header", "not json"]
)
def test_the_library_check_refuses_bad_deliveries(billing_on: FakeStripe, case: str) -> None:
    event = event_object("invoice.paid", invoice_object("cus_1", "sub_1", "paid"))
    payload, header = signed(event)
    signature: str | None = header
    if case == "wrong secret":
        payload, signature = signed(event, secret="whsec_other")
    elif case == "stale":
        payload, signature = signed(event, timestamp=int(time.time()) - 301)
    elif case == "no header":
        signature = None
    elif case == "garbage header":
        signature = "nonsense"
    elif case == "not json":
        payload = "not json"
        signature = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)
    with pytest.raises(WebhookRejected):
        stripe_client.webhook_event_verify(payload=payload.encode(), signature=signature)


def test_a_delivery_within_the_tolerance_is_accepted(billing_on: FakeStripe) -> None:
    event = event_object("invoice.paid", invoice_object("cus_1", "sub_1", "paid"))
    payload, header = signed(event, timestamp=int(time.time()) - 120)
    assert stripe_client.webhook_event_verify(payload=payload.encode(), signature=header).id
    assert json.loads(payload)["api_version"] == stripe.api_version
