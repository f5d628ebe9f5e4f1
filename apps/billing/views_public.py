"""Billing on the platform's own host: the platform admins' pages (every district's
state; Checkout, the Customer Portal and a refresh from Stripe for one district) and the
Stripe webhook endpoint."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, user_passes_test
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.accounts.roles import PlatformRole
from apps.billing import services
from apps.billing.forms import PlanChoiceForm
from apps.billing.selectors import (
    district_billing_summary,
    district_stripe_events,
    districts_billing,
    plans_offered,
)
from apps.billing.stripe_client import StripeUnavailable, WebhookRejected
from apps.billing.view_actions import checkout_redirect, portal_redirect
from config.portal import portal_page
from tenants.models import District

logger = logging.getLogger(__name__)


def platform_admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Platform admins only. Anonymous: to the login page; another account: the 403 page."""

    def check(user: Any) -> bool:
        if not user.groups.filter(name=PlatformRole.PLATFORM_ADMIN).exists():
            raise PermissionDenied
        return True

    return never_cache(login_required(user_passes_test(check)(view)))


def _district_page(
    request: HttpRequest, district: District, form: PlanChoiceForm, status: int = 200
) -> HttpResponse:
    context = {
        "billed_district": district,
        "summary": district_billing_summary(district),
        "form": form,
        "events": district_stripe_events(district),
        "checkout": request.GET.get("checkout", ""),
    }
    return portal_page(
        request, "public/billing/district.html", context, section="billing", status=status
    )


def _back_path(district: District) -> str:
    return reverse("billing:district", args=[district.slug])


@platform_admin_required
def billing_districts(request: HttpRequest) -> HttpResponse:
    context = {
        "rows": districts_billing(),
        "billing_enabled": settings.BILLING_ENABLED,
        "plans": plans_offered(),
        "grace_days": settings.BILLING_GRACE_DAYS,
    }
    return portal_page(request, "public/billing/districts.html", context, section="billing")


@platform_admin_required
def billing_district(request: HttpRequest, slug: str) -> HttpResponse:
    district = get_object_or_404(District, slug=slug)
    return _district_page(request, district, PlanChoiceForm())


@platform_admin_required
@require_POST
def billing_district_checkout(request: HttpRequest, slug: str) -> HttpResponse:
    district = get_object_or_404(District, slug=slug)
    return checkout_redirect(
        request,
        district,
        back_path=_back_path(district),
        render_form=lambda form: _district_page(request, district, form, status=400),
    )


@platform_admin_required
@require_POST
def billing_district_portal(request: HttpRequest, slug: str) -> HttpResponse:
    district = get_object_or_404(District, slug=slug)
    return portal_redirect(request, district, back_path=_back_path(district))


@platform_admin_required
@require_POST
def billing_district_sync(request: HttpRequest, slug: str) -> HttpResponse:
    district = get_object_or_404(District, slug=slug)
    try:
        services.billing_account_sync(district=district)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except StripeUnavailable:
        messages.error(request, services.stripe_unavailable_message())
    else:
        messages.success(request, _("The subscription was read again from Stripe."))
    return redirect(_back_path(district))


@csrf_exempt  # Stripe signs its deliveries; there is no session or cookie here
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's deliveries: 400 for a bad signature or a stale one (nothing changes),
    503 when the subscription could not be read back (Stripe delivers again later),
    200 otherwise, duplicates included."""
    if not settings.BILLING_ENABLED:
        return HttpResponse(status=404)
    try:
        outcome = services.stripe_webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except WebhookRejected as error:
        logger.warning("billing webhook rejected: %s", error)
        return HttpResponseBadRequest("invalid signature or payload")
    except StripeUnavailable:
        return HttpResponse("stripe unavailable, retry later", status=503)
    return JsonResponse({"received": True, "outcome": str(outcome)})
