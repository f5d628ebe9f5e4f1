"""Login, logout, password reset and invitations, on whichever host the request is:
each host authenticates against its own schema's users, so an account of one district
is unknown anywhere else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from apps.accounts.forms import EmailLoginForm
from apps.accounts.selectors import user_for_invitation
from apps.accounts.services import invitation_accept
from tenants.middleware import read_only_safe

login = read_only_safe(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", authentication_form=EmailLoginForm
    )
)
logout = read_only_safe(auth_views.LogoutView.as_view())
password_reset = read_only_safe(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset_form.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
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
            return redirect("home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invited_user": user})
