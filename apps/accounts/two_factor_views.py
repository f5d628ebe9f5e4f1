"""Two-factor pages: the code step after the password, setting up an authenticator app
(QR code, then its first code, then ten recovery codes shown once) and the account's
"Security" page. Writes go through apps/accounts/two_factor.py."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.models import Device

from apps.accounts.decorators import request_staff
from apps.accounts.forms import OneTimeCodeForm, SetupCodeForm
from apps.accounts.two_factor import (
    SESSION_NEW_CODES_KEY,
    SESSION_SETUP_KEY,
    SESSION_STEP_KEY,
    STEP_DONE,
    STEP_VERIFY,
    new_setup_key,
    provisioning_uri,
    qr_code_svg,
    recovery_codes_left,
    recovery_codes_regenerate,
    secret_for_people,
    session_step,
    two_factor_disable,
    two_factor_enable,
    two_factor_enabled,
    two_factor_required,
    two_factor_verify,
)
from apps.workspace.pages import service_errors_to_form
from config.rate_limits import rate_limit_hit, too_many_requests
from tenants.middleware import read_only_safe


def _next_url(request: HttpRequest) -> str:
    """Where to go after the step: ``next`` when it is a page of this host, else home."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _account_code_limit(request: HttpRequest) -> HttpResponse | None:
    """Codes typed per account (on top of django-otp's growing delay after wrong ones)."""
    user_id = str(request.user.pk)
    limited = rate_limit_hit(
        request,
        group="accounts.two_factor",
        rate=settings.TWO_FACTOR_RATE_PER_ACCOUNT,
        key=lambda _group, _request: user_id,
    )
    return too_many_requests(request, limited) if limited else None


def _passed(request: HttpRequest, device: Device) -> None:
    """The session passed the code step: new session key, device remembered, step done."""
    request.session.cycle_key()
    otp_login(request, device)
    request.session[SESSION_STEP_KEY] = STEP_DONE


@read_only_safe
@sensitive_post_parameters("otp_token")
@never_cache
@login_required
def two_factor_verify_view(request: HttpRequest) -> HttpResponse:
    """The code step after the password, for accounts that have an app."""
    user = request_staff(request)
    step = session_step(request.session, user)
    if step == STEP_DONE:
        return redirect(_next_url(request))
    if step != STEP_VERIFY:
        return redirect("accounts:two_factor_setup")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST":
        refused = _account_code_limit(request)
        if refused:
            return refused
        if form.is_valid():
            try:
                device = two_factor_verify(user=user, code=form.cleaned_data["otp_token"])
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                _passed(request, device)
                return redirect(_next_url(request))
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )


@read_only_safe
@sensitive_post_parameters("otp_token")
@never_cache
@login_required
def two_factor_setup_view(request: HttpRequest) -> HttpResponse:
    """Set up (or replace) the authenticator app: QR code and secret, then its first code.

    A session still at the code step may not replace the app (that would let a stolen
    password take over the second factor): it is sent to the code step."""
    user = request_staff(request)
    if session_step(request.session, user) == STEP_VERIFY:
        return redirect("accounts:two_factor_verify")
    key = request.session.get(SESSION_SETUP_KEY)
    if not key:
        key = new_setup_key()
        request.session[SESSION_SETUP_KEY] = key
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST":
        refused = _account_code_limit(request)
        if refused:
            return refused
        if form.is_valid():
            try:
                device, codes = two_factor_enable(
                    user=user, key=key, code=form.cleaned_data["otp_token"]
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                del request.session[SESSION_SETUP_KEY]
                _passed(request, device)
                request.session[SESSION_NEW_CODES_KEY] = codes
                messages.success(request, _("Two-factor authentication is on."))
                return redirect(
                    reverse("accounts:two_factor_recovery_codes")
                    + "?"
                    + urlencode({"next": _next_url(request)})
                )
    uri = provisioning_uri(user=user, key=key)
    context = {
        "form": form,
        "qr_svg": qr_code_svg(uri, title=_("QR code for your authenticator app")),
        "secret": secret_for_people(key),
        "replacing": two_factor_enabled(user),
        "required": two_factor_required(user),
        "next": _next_url(request),
    }
    status = 400 if form.errors else 200
    return render(request, "accounts/two_factor_setup.html", context, status=status)


@never_cache
@login_required
def two_factor_recovery_codes_view(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once (they leave the session as they are shown)."""
    codes = request.session.pop(SESSION_NEW_CODES_KEY, None)
    if not codes:
        return redirect("accounts:security")
    return render(
        request,
        "accounts/two_factor_recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@read_only_safe
@sensitive_post_parameters("otp_token")
@never_cache
@login_required
def security_view(request: HttpRequest) -> HttpResponse:
    """The account's security page: two-factor on or off, new recovery codes."""
    user = request_staff(request)
    disable_form = OneTimeCodeForm(request.POST if request.POST.get("action") == "off" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "codes" and two_factor_enabled(user):
            request.session[SESSION_NEW_CODES_KEY] = recovery_codes_regenerate(user=user)
            return redirect("accounts:two_factor_recovery_codes")
        if action == "off":
            refused = _account_code_limit(request)
            if refused:
                return refused
            if disable_form.is_valid():
                try:
                    two_factor_disable(user=user, code=disable_form.cleaned_data["otp_token"])
                except ValidationError as error:
                    service_errors_to_form(disable_form, error)
                else:
                    messages.success(request, _("Two-factor authentication is off."))
                    return redirect("accounts:security")
    context = {
        "enabled": two_factor_enabled(user),
        "required": two_factor_required(user),
        "codes_left": recovery_codes_left(user),
        "disable_form": disable_form,
    }
    status = 400 if disable_form.errors else 200
    return render(request, "accounts/security.html", context, status=status)
