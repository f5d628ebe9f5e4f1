"""What the workspace's Billing page and the platform admin's billing page share: send
the browser to Stripe Checkout or the Customer Portal, or say why not."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect

from apps.billing import services
from apps.billing.forms import PlanChoiceForm
from apps.billing.stripe_client import StripeUnavailable
from apps.workspace.pages import service_errors_to_form
from tenants.models import District

CHECKOUT_DONE = "done"
CHECKOUT_CANCELED = "canceled"


def absolute_url(request: HttpRequest, path: str) -> str:
    """Where Stripe sends the browser back: this host, with the platform's scheme (the
    request's own may be plain HTTP behind a TLS proxy)."""
    return f"{settings.PLATFORM_URL_SCHEME}://{request.get_host()}{path}"


def checkout_redirect(
    request: HttpRequest,
    district: District,
    *,
    back_path: str,
    render_form: Callable[[PlanChoiceForm], HttpResponse],
) -> HttpResponse:
    """To Stripe Checkout for the chosen plan; or the page again with the reason."""
    form = PlanChoiceForm(request.POST)
    if form.is_valid():
        back = absolute_url(request, back_path)
        try:
            url = services.billing_checkout_start(
                district=district,
                plan=form.cleaned_data["plan"],
                success_url=f"{back}?checkout={CHECKOUT_DONE}",
                cancel_url=f"{back}?checkout={CHECKOUT_CANCELED}",
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        except StripeUnavailable:
            form.add_error(None, services.stripe_unavailable_message())
        else:
            return HttpResponseRedirect(url)
    return render_form(form)


def portal_redirect(request: HttpRequest, district: District, *, back_path: str) -> HttpResponse:
    """To the district's Stripe Customer Portal; or back with the reason."""
    try:
        url = services.billing_portal_start(
            district=district, return_url=absolute_url(request, back_path)
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back_path)
    except StripeUnavailable:
        messages.error(request, services.stripe_unavailable_message())
        return redirect(back_path)
    return HttpResponseRedirect(url)
