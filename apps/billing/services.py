"""Writes of billing: starting Checkout and the Customer Portal, and applying Stripe's
webhook events, each event exactly once.

State always comes from Stripe's current view of the subscription (retrieved while the
district's billing row is locked), never from the event's own payload: events arrive out
of order and more than once. Billing never changes a district's records or its lifecycle
status; an unpaid subscription only makes the workspace read-only (selectors)."""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.billing import stripe_client
from apps.billing.models import BillingAccount, Plan, StripeEvent, SubscriptionStatus
from apps.billing.stripe_client import SubscriptionSnapshot, WebhookEvent
from tenants.models import District

logger = logging.getLogger(__name__)

HANDLED_EVENT_TYPES = frozenset(
    {
        "checkout.session.completed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "invoice.paid",
        "invoice.payment_failed",
    }
)
PAYING_STATUSES = frozenset({SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING})
OVERDUE_STATUSES = frozenset({SubscriptionStatus.PAST_DUE, SubscriptionStatus.UNPAID})
ENDED_STATUSES = frozenset({SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED})
# Stripe's cancellation_details.reason when it ended the subscription for not being paid.
NON_PAYMENT_CANCELLATIONS = frozenset({"payment_failed", "payment_disputed"})


def billing_off_message() -> str:
    return _("Billing is off: no Stripe key is configured, so every district is active.")


def stripe_unavailable_message() -> str:
    return _("Stripe could not be reached or refused the request. Nothing was changed; try again.")


class WebhookOutcome(StrEnum):
    APPLIED = "applied"
    IGNORED = "ignored"
    DUPLICATE = "duplicate"


def _billing_enabled_check() -> None:
    if not settings.BILLING_ENABLED:
        raise ValidationError(billing_off_message())


def billing_account_ensure(*, district: District) -> BillingAccount:
    account, _created = BillingAccount.objects.get_or_create(district=district)
    return account


def _locked_account(district: District) -> BillingAccount:
    billing_account_ensure(district=district)
    return BillingAccount.objects.select_for_update().get(district=district)


def _customer_ensure(account: BillingAccount, district: District) -> str:
    if account.stripe_customer_id:
        return account.stripe_customer_id
    # The key makes a retried creation return the same customer, not a second one.
    customer_id = stripe_client.customer_create(
        district_name=district.name,
        district_slug=district.slug,
        idempotency_key=f"district-customer-{district.pk}",
    )
    account.stripe_customer_id = customer_id
    account.save(update_fields=["stripe_customer_id", "updated_at"])
    return customer_id


def billing_checkout_start(
    *, district: District, plan: Plan, success_url: str, cancel_url: str
) -> str:
    """The URL of a Stripe Checkout page that subscribes the district to ``plan``.
    Creates the district's Stripe customer first if it has none."""
    _billing_enabled_check()
    if not plan.is_offered:
        raise ValidationError({"plan": _("This plan is not offered any more.")})
    with transaction.atomic():
        account = _locked_account(district)
        if account.subscription_status and account.subscription_status not in ENDED_STATUSES:
            raise ValidationError(
                _(
                    "This district already has a subscription. Change its plan or payment "
                    "method in the customer portal."
                )
            )
        customer_id = _customer_ensure(account, district)
    url = stripe_client.checkout_session_create(
        customer_id=customer_id,
        price_id=plan.stripe_price_id,
        district_reference=str(district.pk),
        district_slug=district.slug,
        success_url=success_url,
        cancel_url=cancel_url,
    )
    logger.info("billing checkout started: schema=%s plan=%s", district.schema_name, plan.code)
    return url


def billing_portal_start(*, district: District, return_url: str) -> str:
    """The URL of the district's Stripe Customer Portal (pay, change card, plan, cancel)."""
    _billing_enabled_check()
    account = BillingAccount.objects.filter(district=district).first()
    if account is None or not account.stripe_customer_id:
        raise ValidationError(
            _("This district has no Stripe customer yet: start a subscription first.")
        )
    url = stripe_client.portal_session_create(
        customer_id=account.stripe_customer_id, return_url=return_url
    )
    logger.info("billing portal opened: schema=%s", district.schema_name)
    return url


def _adopts(account: BillingAccount, snapshot: SubscriptionSnapshot) -> bool:
    """Whether this subscription is (or becomes) the district's: its own, a first one, or
    a live one replacing an ended one. Late news about an older subscription is not."""
    if account.stripe_subscription_id in (None, "", snapshot.id):
        return True
    if snapshot.status in ENDED_STATUSES:
        return False
    return not account.subscription_status or account.subscription_status in ENDED_STATUSES


def _snapshot_apply(
    account: BillingAccount, snapshot: SubscriptionSnapshot, observed_at: datetime
) -> None:
    plan = Plan.objects.filter(stripe_price_id=snapshot.price_id).first()
    if plan is None and snapshot.price_id:
        logger.warning("billing: subscription %s has an unknown price", snapshot.id)
    account.stripe_subscription_id = snapshot.id
    account.subscription_status = snapshot.status
    account.plan = plan
    account.current_period_end = snapshot.current_period_end
    account.cancel_at_period_end = snapshot.cancel_at_period_end
    unpaid = snapshot.status in OVERDUE_STATUSES or (
        snapshot.status == SubscriptionStatus.CANCELED
        and snapshot.cancellation_reason in NON_PAYMENT_CANCELLATIONS
    )
    if snapshot.status in PAYING_STATUSES:
        account.unpaid_since = None
    elif unpaid and account.unpaid_since is None:
        account.unpaid_since = observed_at
    # Any other state (a voluntary cancellation, a pause, a first payment pending) keeps
    # what was known: cancelling does not clear a debt, and it does not create one.
    account.synced_at = timezone.now()
    account.save()


def billing_account_sync(*, district: District) -> BillingAccount:
    """Read the district's subscription from Stripe now (a platform admin's refresh, or
    recovery after missed webhooks)."""
    _billing_enabled_check()
    with transaction.atomic():
        account = _locked_account(district)
        if not account.stripe_subscription_id:
            raise ValidationError(_("This district has no subscription to refresh."))
        snapshot = stripe_client.subscription_retrieve(account.stripe_subscription_id)
        _snapshot_apply(account, snapshot, timezone.now())
    logger.info("billing synced: schema=%s status=%s", district.schema_name, snapshot.status)
    return account


def _event_account(event: WebhookEvent) -> BillingAccount | None:
    """The district the event is about, locked: by the reference a Checkout session
    carries, or else by the Stripe customer."""
    if event.district_reference and event.district_reference.isdigit():
        district = District.objects.filter(pk=int(event.district_reference)).first()
        if district is None:
            return None
        account = _locked_account(district)
        if account.stripe_customer_id and account.stripe_customer_id != event.customer_id:
            logger.warning("billing: event %s names another customer", event.id)
            return None
        if not account.stripe_customer_id and event.customer_id:
            account.stripe_customer_id = event.customer_id
        return account
    if not event.customer_id:
        return None
    return (
        BillingAccount.objects.select_for_update()
        .filter(stripe_customer_id=event.customer_id)
        .first()
    )


def _event_apply(event: WebhookEvent) -> tuple[WebhookOutcome, BillingAccount | None]:
    if event.type not in HANDLED_EVENT_TYPES or not event.subscription_id:
        return WebhookOutcome.IGNORED, None
    account = _event_account(event)
    if account is None:
        logger.warning("billing: event %s (%s) matches no district", event.id, event.type)
        return WebhookOutcome.IGNORED, None
    snapshot = stripe_client.subscription_retrieve(event.subscription_id)
    if snapshot.customer_id != account.stripe_customer_id or not _adopts(account, snapshot):
        logger.info("billing: event %s is about another subscription", event.id)
        return WebhookOutcome.IGNORED, account
    _snapshot_apply(account, snapshot, min(event.created, timezone.now()))
    return WebhookOutcome.APPLIED, account


def stripe_webhook_receive(*, payload: bytes, signature: str | None) -> WebhookOutcome:
    """Verify a webhook delivery and apply its event once.

    Raises WebhookRejected (bad signature, too old, not an event) and StripeUnavailable
    (the subscription could not be read: nothing is recorded, so Stripe's retry applies
    it later)."""
    event = stripe_client.webhook_event_verify(payload=payload, signature=signature)
    if StripeEvent.objects.filter(event_id=event.id).exists():
        return WebhookOutcome.DUPLICATE
    with transaction.atomic():
        try:
            # A concurrent delivery of the same event waits on the unique index here,
            # then fails once this transaction commits.
            with transaction.atomic():
                record = StripeEvent.objects.create(
                    event_id=event.id,
                    event_type=event.type,
                    outcome=StripeEvent.Outcome.IGNORED,
                    stripe_created_at=event.created,
                )
        except IntegrityError:
            return WebhookOutcome.DUPLICATE
        outcome, account = _event_apply(event)
        record.outcome = (
            StripeEvent.Outcome.APPLIED
            if outcome == WebhookOutcome.APPLIED
            else StripeEvent.Outcome.IGNORED
        )
        record.account = account
        record.save(update_fields=["outcome", "account"])
    logger.info("billing webhook: event=%s type=%s outcome=%s", event.id, event.type, outcome)
    return outcome
