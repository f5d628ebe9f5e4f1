"""Plans, each district's Stripe customer and subscription, and the Stripe events already
handled. Public schema; no personal data (a district is billed as a municipality)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import District


class Plan(models.Model):
    """What a district can subscribe to: a Stripe price and the limits that come with it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    stripe_price_id = models.CharField(
        _("Stripe price"), max_length=255, unique=True, help_text=_("For example price_1Abc…")
    )
    user_seats = models.PositiveIntegerField(
        _("user seats"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    is_offered = models.BooleanField(
        _("offered"), default=True, help_text=_("Offered to districts starting a subscription.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.name


class SubscriptionStatus(models.TextChoices):
    """Stripe's subscription statuses, as the pinned API version spells them."""

    INCOMPLETE = "incomplete", _("Waiting for the first payment")
    INCOMPLETE_EXPIRED = "incomplete_expired", _("First payment never made")
    TRIALING = "trialing", _("Trial")
    ACTIVE = "active", _("Active")
    PAST_DUE = "past_due", _("Payment overdue")
    UNPAID = "unpaid", _("Unpaid")
    CANCELED = "canceled", _("Canceled")
    PAUSED = "paused", _("Paused")


class BillingAccount(models.Model):
    """A district's Stripe customer and its current subscription, as last read from Stripe.

    ``unpaid_since`` is when the subscription was first seen unpaid (overdue, or canceled
    for non-payment); it is cleared only when it is seen paid again. The workspace is
    read-only once that is older than ``BILLING_GRACE_DAYS``; nothing is ever deleted."""

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, related_name="billing_account"
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts"
    )
    stripe_customer_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    stripe_subscription_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    subscription_status = models.CharField(
        _("subscription status"), max_length=32, choices=SubscriptionStatus.choices, blank=True
    )
    current_period_end = models.DateTimeField(_("current period ends"), null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    unpaid_since = models.DateTimeField(_("unpaid since"), null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("billing account")
        verbose_name_plural = _("billing accounts")

    def __str__(self) -> str:
        return f"billing of {self.district_id}"


class StripeEvent(models.Model):
    """A Stripe event already handled: its id is recorded once, in the transaction that
    applied it, so a replayed or duplicated delivery changes nothing."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Applied")
        IGNORED = "ignored", _("Ignored")

    event_id = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=100)
    account = models.ForeignKey(
        BillingAccount, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    stripe_created_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"
