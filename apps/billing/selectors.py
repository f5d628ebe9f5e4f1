"""A district's billing state as the rest of the platform reads it (the console, the
read-only banner). Billing is off while STRIPE_SECRET_KEY is unset: every district is
then active and nothing here is stored or called."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from apps.billing.models import BillingAccount, Plan, StripeEvent, SubscriptionStatus
from tenants.models import District


@dataclass(frozen=True)
class BillingSummary:
    enabled: bool
    plan: str  # the plan's name, "" when none
    state: str  # "off", "none", "active", "past_due", "unpaid", "canceled"
    state_label: str
    # Why the workspace is read-only for billing reasons, or None.
    read_only_reason: str | None = None
    user_seats: int | None = None  # the plan's limit; None: no limit (or no plan)
    current_period_end: datetime | None = None
    cancel_at_period_end: bool = False
    unpaid_since: datetime | None = None
    # When an unpaid subscription makes (or made) the workspace read-only.
    read_only_from: datetime | None = None
    has_customer: bool = False
    # No live subscription: a new one may be started through Checkout.
    can_subscribe: bool = False


@dataclass(frozen=True)
class DistrictBilling:
    district: District
    summary: BillingSummary


# Stripe's statuses folded into the summary's few states (its label keeps the detail).
_STATE_OF_STATUS = {
    SubscriptionStatus.ACTIVE: "active",
    SubscriptionStatus.TRIALING: "active",
    SubscriptionStatus.PAST_DUE: "past_due",
    SubscriptionStatus.UNPAID: "unpaid",
    SubscriptionStatus.PAUSED: "unpaid",
    SubscriptionStatus.CANCELED: "canceled",
    SubscriptionStatus.INCOMPLETE_EXPIRED: "canceled",
    SubscriptionStatus.INCOMPLETE: "none",
}
_ENDED = {SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED}


def billing_grace_period() -> timedelta:
    return timedelta(days=settings.BILLING_GRACE_DAYS)


def _off() -> BillingSummary:
    return BillingSummary(enabled=False, plan="", state="off", state_label=_("Billing is off"))


def _read_only_reason(district: District, unpaid_since: datetime) -> str:
    return _(
        "The subscription of %(district)s has been unpaid since %(date)s, longer than the "
        "%(days)s days of grace, so the workspace is read-only. No record has been deleted. "
        "A coordinator can pay or update the payment method on the Billing page; the "
        "workspace becomes writable again as soon as Stripe confirms the payment."
    ) % {
        "district": district.name,
        "date": date_format(localtime(unpaid_since)),
        "days": settings.BILLING_GRACE_DAYS,
    }


def _summary(district: District, account: BillingAccount | None) -> BillingSummary:
    if not settings.BILLING_ENABLED:
        return _off()
    if account is None or not account.subscription_status:
        return BillingSummary(
            enabled=True,
            plan="",
            state="none",
            state_label=_("No subscription"),
            has_customer=bool(account and account.stripe_customer_id),
            can_subscribe=True,
            unpaid_since=account.unpaid_since if account else None,
        )
    # A status a later API version may add is shown as Stripe spells it, never an error.
    known = account.subscription_status in SubscriptionStatus.values
    status = SubscriptionStatus(account.subscription_status) if known else None
    read_only_from = account.unpaid_since + billing_grace_period() if account.unpaid_since else None
    read_only = read_only_from is not None and read_only_from <= timezone.now()
    return BillingSummary(
        enabled=True,
        plan=account.plan.name if account.plan else "",
        state=_STATE_OF_STATUS[status] if status else "none",
        state_label=str(status.label) if status else account.subscription_status,
        read_only_reason=(
            _read_only_reason(district, account.unpaid_since)
            if read_only and account.unpaid_since
            else None
        ),
        user_seats=account.plan.user_seats if account.plan else None,
        current_period_end=account.current_period_end,
        cancel_at_period_end=account.cancel_at_period_end,
        unpaid_since=account.unpaid_since,
        read_only_from=read_only_from,
        has_customer=bool(account.stripe_customer_id),
        can_subscribe=status in _ENDED,
    )


def district_billing_summary(district: District) -> BillingSummary:
    if not settings.BILLING_ENABLED:
        return _off()
    if district.pk is None:  # the platform's own host: nothing to bill
        return _summary(district, None)
    account = BillingAccount.objects.select_related("plan").filter(district_id=district.pk).first()
    return _summary(district, account)


def districts_billing() -> list[DistrictBilling]:
    """Every district with its billing summary, in one query."""
    rows = []
    for district in District.objects.select_related("billing_account__plan").order_by("name"):
        try:
            account: BillingAccount | None = district.billing_account
        except ObjectDoesNotExist:
            account = None
        rows.append(DistrictBilling(district=district, summary=_summary(district, account)))
    return rows


def plans_offered() -> list[Plan]:
    return list(Plan.objects.filter(is_offered=True))


def district_stripe_events(district: District, *, limit: int = 20) -> list[StripeEvent]:
    """The latest Stripe events applied to (or ignored for) the district's billing."""
    return list(StripeEvent.objects.filter(account__district=district)[:limit])
