"""The workspace's Billing page, for the district's coordinators: the subscription's
state, Stripe Checkout to start one and the Customer Portal to manage it.

Its actions stay open in a read-only workspace (``read_only_safe``): paying is how an
unpaid one becomes writable again. The district is always ``request.tenant``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.accounts.decorators import coordinator_required
from apps.billing.forms import PlanChoiceForm
from apps.billing.selectors import district_billing_summary
from apps.billing.view_actions import checkout_redirect, portal_redirect
from apps.workspace.pages import workspace_page
from tenants.middleware import read_only_safe
from tenants.models import District


def _district(request: HttpRequest) -> District:
    district = getattr(request, "tenant", None)
    if not isinstance(district, District) or district.pk is None:
        raise PermissionDenied
    return district


def _page(
    request: HttpRequest, district: District, form: PlanChoiceForm, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "summary": district_billing_summary(district),
        "form": form,
        # Accounts of this workspace (its own schema) against the plan's seats.
        "seats_used": User.objects.filter(is_active=True).count(),
        "checkout": request.GET.get("checkout", ""),
    }
    return workspace_page(
        request, "tenant/billing/home.html", context, section="billing", status=status
    )


@never_cache
@coordinator_required
def billing_home(request: HttpRequest) -> HttpResponse:
    return _page(request, _district(request), PlanChoiceForm())


@read_only_safe
@coordinator_required
@require_POST
def billing_checkout(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    return checkout_redirect(
        request,
        district,
        back_path=reverse("billing:home"),
        render_form=lambda form: _page(request, district, form, status=400),
    )


@read_only_safe
@coordinator_required
@require_POST
def billing_portal(request: HttpRequest) -> HttpResponse:
    return portal_redirect(request, _district(request), back_path=reverse("billing:home"))
