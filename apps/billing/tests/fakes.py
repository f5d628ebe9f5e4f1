"""A Stripe that answers from memory, plugged into the library as its HTTP client, and
webhook deliveries signed with the library's own helper. Nothing leaves the machine."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe
from django.test import Client

from apps.billing import stripe_client

WEBHOOK_SECRET = "whsec_test_only_secret"  # tests only
CHECKOUT_URL = "https://checkout.stripe.test/c/pay/cs_test_1"
PORTAL_URL = "https://billing.stripe.test/p/session/bps_test_1"
PRICE_BASIC = "price_basic_test"


class FakeStripe(stripe.HTTPClient):
    """Answers the few endpoints billing uses; records every request it gets."""

    name = "fake"

    def __init__(self) -> None:
        super().__init__()
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.customers_made = 0
        # An HTTP status to answer every request with (Stripe down, or refusing).
        self.fail_with: int | None = None

    def request(
        self,
        method: str,
        url: str,
        headers: Any,
        post_data: Any = None,
        *,
        _usage: Any = None,
    ) -> tuple[str, int, dict[str, str]]:
        parts = urlsplit(url)
        params = dict(parse_qsl(post_data or parts.query or "", keep_blank_values=True))
        self.requests.append((method.upper(), parts.path, params))
        answer = {"request-id": f"req_{uuid.uuid4().hex[:12]}", "stripe-should-retry": "false"}
        if self.fail_with is not None:
            error = {"error": {"type": "api_error", "message": "Stripe is having a bad day."}}
            return json.dumps(error), self.fail_with, answer
        body, status = self._route(method.upper(), parts.path, params)
        return json.dumps(body), status, answer

    def _route(self, method: str, path: str, params: dict[str, str]) -> tuple[Any, int]:
        if method == "POST" and path == "/v1/customers":
            self.customers_made += 1
            return {"id": f"cus_test_{self.customers_made}", "object": "customer"}, 200
        if method == "POST" and path == "/v1/checkout/sessions":
            return {"id": "cs_test_1", "object": "checkout.session", "url": CHECKOUT_URL}, 200
        if method == "POST" and path == "/v1/billing_portal/sessions":
            return {"id": "bps_test_1", "object": "billing_portal.session", "url": PORTAL_URL}, 200
        if method == "GET" and path.startswith("/v1/subscriptions/"):
            found = self.subscriptions.get(path.rsplit("/", 1)[1])
            if found is not None:
                return found, 200
        missing = {"error": {"type": "invalid_request_error", "code": "resource_missing"}}
        return missing, 404

    def close(self) -> None:
        return None

    def calls(self, method: str, path: str) -> list[dict[str, str]]:
        return [params for m, p, params in self.requests if m == method and p == path]

    def subscription_set(
        self, subscription_id: str, customer_id: str, status: str, **extra: Any
    ) -> None:
        self.subscriptions[subscription_id] = subscription_object(
            subscription_id, customer_id, status, **extra
        )


def subscription_object(
    subscription_id: str,
    customer_id: str,
    status: str,
    *,
    price: str = PRICE_BASIC,
    period_end: int | None = None,
    cancel_at_period_end: bool = False,
    cancellation_reason: str | None = None,
) -> dict[str, Any]:
    """A subscription in the pinned API version's layout: the period is on the items."""
    now = int(time.time())
    return {
        "id": subscription_id,
        "object": "subscription",
        "customer": customer_id,
        "status": status,
        "cancel_at_period_end": cancel_at_period_end,
        "cancellation_details": {"reason": cancellation_reason, "comment": None, "feedback": None},
        "metadata": {},
        "items": {
            "object": "list",
            "has_more": False,
            "url": f"/v1/subscription_items?subscription={subscription_id}",
            "data": [
                {
                    "id": f"si_{subscription_id}",
                    "object": "subscription_item",
                    "price": {"id": price, "object": "price"},
                    "quantity": 1,
                    "current_period_start": now,
                    "current_period_end": period_end or now + 30 * 24 * 3600,
                }
            ],
        },
    }


def invoice_object(customer_id: str, subscription_id: str, status: str) -> dict[str, Any]:
    """An invoice naming its subscription under ``parent`` (the pinned layout)."""
    return {
        "id": f"in_{uuid.uuid4().hex[:10]}",
        "object": "invoice",
        "customer": customer_id,
        "status": status,
        "parent": {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {"subscription": subscription_id, "metadata": {}},
        },
    }


def checkout_session_object(
    customer_id: str, subscription_id: str, district_reference: str
) -> dict[str, Any]:
    return {
        "id": f"cs_{uuid.uuid4().hex[:10]}",
        "object": "checkout.session",
        "mode": "subscription",
        "status": "complete",
        "payment_status": "paid",
        "customer": customer_id,
        "subscription": subscription_id,
        "client_reference_id": district_reference,
    }


def event_object(
    event_type: str, obj: dict[str, Any], *, event_id: str | None = None, created: int | None = None
) -> dict[str, Any]:
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex}",
        "object": "event",
        "api_version": stripe_client.API_VERSION,
        "created": created or int(time.time()),
        "type": event_type,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "data": {"object": obj},
    }


def signed(
    event: dict[str, Any], *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[str, str]:
    """The body and the Stripe-Signature header, as Stripe would send them."""
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp)
    return payload, header


def deliver(
    client: Client,
    event: dict[str, Any],
    *,
    secret: str = WEBHOOK_SECRET,
    timestamp: int | None = None,
) -> Any:
    payload, header = signed(event, secret=secret, timestamp=timestamp)
    return client.post(
        "/billing/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
