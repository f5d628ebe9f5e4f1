"""Every call to Stripe goes through this module, and nothing else imports ``stripe``.

It speaks the API version the installed library pins (``stripe.api_version``;
stripe 16.1 pins 2026-10-28.endive) and hands back plain dataclasses read with that
version's field layout: a subscription's period is on its items (``items.data[].
current_period_end``), and an invoice names its subscription under
``parent.subscription_details.subscription``. The webhook endpoint configured in Stripe
must use the same API version, so that event payloads have this layout too.

Tests plug a fake HTTP client in ``stripe.default_http_client``; each client built here
uses it (and the library's own default when it is None).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stripe
from django.conf import settings

logger = logging.getLogger(__name__)

# The version every request and every event payload is read with.
API_VERSION: str = stripe.api_version
# Network errors and Stripe's 409/5xx answers are retried (requests carry idempotency keys).
MAX_NETWORK_RETRIES = 2


class StripeUnavailable(Exception):  # noqa: N818 - reads as a state, like Http404
    """Stripe refused a request or could not be reached."""


class WebhookRejected(Exception):  # noqa: N818
    """A webhook delivery whose signature, timestamp or body is not acceptable."""


@dataclass(frozen=True)
class SubscriptionSnapshot:
    """A subscription as Stripe has it now."""

    id: str
    customer_id: str
    status: str
    price_id: str | None
    current_period_end: datetime | None
    cancel_at_period_end: bool
    # cancellation_details.reason: cancellation_requested, payment_failed, payment_disputed
    cancellation_reason: str | None


@dataclass(frozen=True)
class WebhookEvent:
    """What the billing services need from a verified event: who and which subscription.
    The rest of the payload is not trusted for state (events arrive out of order)."""

    id: str
    type: str
    created: datetime
    customer_id: str | None
    subscription_id: str | None
    # Checkout sessions carry the district's reference (client_reference_id).
    district_reference: str | None


def _client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        http_client=stripe.default_http_client,
        max_network_retries=MAX_NETWORK_RETRIES,
    )


@contextmanager
def _calling_stripe(what: str) -> Iterator[None]:
    try:
        yield
    except stripe.StripeError as error:
        logger.warning(
            "stripe %s failed: %s (request %s)",
            what,
            type(error).__name__,
            getattr(error, "request_id", None),
        )
        raise StripeUnavailable(what) from error


def _timestamp(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def _id_of(value: Any) -> str | None:
    """An expandable field: an id, or the expanded object carrying it."""
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


def customer_create(*, district_name: str, district_slug: str, idempotency_key: str) -> str:
    """A Stripe customer for the municipality; returns its id."""
    with _calling_stripe("customer create"):
        customer = _client().v1.customers.create(
            params={"name": district_name, "metadata": {"district": district_slug}},
            options={"idempotency_key": idempotency_key},
        )
    return str(customer.id)


def checkout_session_create(
    *,
    customer_id: str,
    price_id: str,
    district_reference: str,
    district_slug: str,
    success_url: str,
    cancel_url: str,
) -> str:
    """A Checkout session that starts a subscription to ``price_id``; returns its URL."""
    with _calling_stripe("checkout session create"):
        session = _client().v1.checkout.sessions.create(
            params={
                "mode": "subscription",
                "customer": customer_id,
                "client_reference_id": district_reference,
                "line_items": [{"price": price_id, "quantity": 1}],
                "metadata": {"district": district_slug},
                "subscription_data": {"metadata": {"district": district_slug}},
                "success_url": success_url,
                "cancel_url": cancel_url,
            }
        )
    if not session.url:
        raise StripeUnavailable("checkout session without a URL")
    return str(session.url)


def portal_session_create(*, customer_id: str, return_url: str) -> str:
    """A Customer Portal session (payment method, invoices, plan, cancellation); its URL."""
    with _calling_stripe("portal session create"):
        session = _client().v1.billing_portal.sessions.create(
            params={"customer": customer_id, "return_url": return_url}
        )
    return str(session.url)


def subscription_retrieve(subscription_id: str) -> SubscriptionSnapshot:
    """The subscription's current state, canceled ones included."""
    with _calling_stripe("subscription retrieve"):
        subscription = _client().v1.subscriptions.retrieve(subscription_id)
    return subscription_snapshot(subscription.to_dict())


def subscription_snapshot(data: dict[str, Any]) -> SubscriptionSnapshot:
    items = (data.get("items") or {}).get("data") or []
    first_item: dict[str, Any] = items[0] if items else {}
    return SubscriptionSnapshot(
        id=str(data["id"]),
        customer_id=_id_of(data.get("customer")) or "",
        status=str(data.get("status") or ""),
        price_id=_id_of(first_item.get("price")),
        current_period_end=_timestamp(first_item.get("current_period_end")),
        cancel_at_period_end=bool(data.get("cancel_at_period_end")),
        cancellation_reason=(data.get("cancellation_details") or {}).get("reason"),
    )


def webhook_event_verify(*, payload: bytes, signature: str | None) -> WebhookEvent:
    """Check the ``Stripe-Signature`` header (signature and age) with the library and
    read the event's references. Raises WebhookRejected."""
    try:
        event = stripe.Webhook.construct_event(
            payload,
            signature,
            settings.STRIPE_WEBHOOK_SECRET,
            tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
        )
        data = event.to_dict()
        return _webhook_event(data)
    except (stripe.SignatureVerificationError, ValueError, KeyError, TypeError) as error:
        raise WebhookRejected(str(error)) from error


def _webhook_event(data: dict[str, Any]) -> WebhookEvent:
    event_type = str(data["type"])
    obj: dict[str, Any] = data["data"]["object"]
    customer_id = _id_of(obj.get("customer"))
    subscription_id: str | None = None
    district_reference: str | None = None
    if event_type.startswith("checkout.session."):
        subscription_id = _id_of(obj.get("subscription"))
        district_reference = obj.get("client_reference_id")
    elif event_type.startswith("customer.subscription."):
        subscription_id = _id_of(obj.get("id"))
    elif event_type.startswith("invoice."):
        parent = obj.get("parent") or {}
        subscription_id = _id_of((parent.get("subscription_details") or {}).get("subscription"))
    created = _timestamp(data.get("created"))
    if created is None:
        raise ValueError("event without a creation time")
    return WebhookEvent(
        id=str(data["id"]),
        type=event_type,
        created=created,
        customer_id=customer_id,
        subscription_id=subscription_id,
        district_reference=str(district_reference) if district_reference else None,
    )
