"""Login, logout, password reset and invitations, on whichever host the request is:
each host authenticates against its own schema's users, so an account of one district
is unknown anywhere else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from apps.accounts.forms import EmailLoginForm
from apps.accounts.selectors import user_for_invitation
from apps.accounts.services import invitation_accept, normalise_email
from apps.accounts.two_factor import SESSION_STEP_KEY, STEP_SETUP, STEP_VERIFY
from config.rate_limits import rate_limit_hit, too_many_requests
from tenants.middleware import read_only_safe


def _typed_email(field: str) -> Callable[[str, HttpRequest], str]:
    """A rate-limit key: the e-mail address typed in ``field`` (hashed into the cache key)."""

    def key(_group: str, request: HttpRequest) -> str:
        return normalise_email(request.POST.get(field, ""))

    return key


def _limit_refusal(
    request: HttpRequest, group: str, limits: list[tuple[str, Any]]
) -> HttpResponse | None:
    """Count a POST once against each (rate, key) of ``limits``; the 429 page when any is
    over (with the longest wait of those over), else None."""
    hits = [
        hit
        for index, (rate, key) in enumerate(limits)
        if (hit := rate_limit_hit(request, group=f"{group}.{index}", rate=rate, key=key))
    ]
    if not hits:
        return None
    return too_many_requests(request, max(hits, key=lambda hit: hit.retry_after_seconds))


class LoginView(auth_views.LoginView):
    """The password step; accounts with two-factor go on to their code step, keeping
    where they were going (``next``)."""

    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limits = [
            (settings.LOGIN_RATE_PER_ADDRESS, "ip"),
            (settings.LOGIN_RATE_PER_ACCOUNT, _typed_email("username")),
        ]
        refused = _limit_refusal(request, "accounts.login", limits)
        if refused:
            return refused
        return super().post(request, *args, **kwargs)

    def get_success_url(self) -> str:
        url = super().get_success_url()
        step = self.request.session.get(SESSION_STEP_KEY)
        if step == STEP_VERIFY:
            return reverse("accounts:two_factor_verify") + "?" + urlencode({"next": url})
        if step == STEP_SETUP:
            return reverse("accounts:two_factor_setup") + "?" + urlencode({"next": url})
        return url


class PasswordResetView(auth_views.PasswordResetView):
    """The reset form, limited per address and per e-mail address typed (each e-mail sent
    costs the platform and reaches a person's inbox)."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limits = [
            (settings.PASSWORD_RESET_RATE_PER_ADDRESS, "ip"),
            (settings.PASSWORD_RESET_RATE_PER_ACCOUNT, _typed_email("email")),
        ]
        refused = _limit_refusal(request, "accounts.password_reset", limits)
        if refused:
            return refused
        return super().post(request, *args, **kwargs)


login = read_only_safe(LoginView.as_view())
logout = read_only_safe(auth_views.LogoutView.as_view())
password_reset = read_only_safe(PasswordResetView.as_view())
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = read_only_safe(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


@read_only_safe
@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@csrf_protect
def invitation_accept_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = user_for_invitation(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your password is set. Welcome!"))
            if request.session.get(SESSION_STEP_KEY) == STEP_SETUP:
                # Coordinators (and other roles that require it) set up two-factor now.
                return redirect("accounts:two_factor_setup")
            return redirect("home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invited_user": user})
