"""API tokens for machine clients: the secretariat's on the platform's host, a
coordinator's in the district's workspace. The secret is shown once, never stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from apps.accounts.api_tokens import (
    MAX_DAYS,
    api_token_create,
    api_token_revoke,
    api_tokens_of_host,
)
from apps.accounts.decorators import request_staff
from apps.accounts.roles import DistrictRole, PlatformRole
from apps.workspace.pages import service_errors_to_form, workspace_page
from config.portal import portal_page

NEW_SECRET_KEY = "api_token_new_secret"  # noqa: S105 - a session key, not a secret


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What the client is for"),
        max_length=80,
        help_text=gettext_lazy("For example: “Tablero de Power BI de la secretaría”."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=90
    )


def _on_public_host(request: HttpRequest) -> bool:
    return not getattr(request.tenant, "pk", None)  # type: ignore[attr-defined]


def token_manager_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """The secretariat on the platform's host; a coordinator in a district's workspace."""

    def check(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        role = PlatformRole.SECRETARIAT if _on_public_host(request) else DistrictRole.COORDINATOR
        if not request_staff(request).groups.filter(name=role).exists():
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(never_cache(check))


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    render_page = portal_page if _on_public_host(request) else workspace_page
    return render_page(request, template, context, section="api_tokens", status=status)


@token_manager_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    # Shown once: kept in the session only until the page after the redirect reads it,
    # so reloading that page never makes a second token.
    secret = request.session.pop(NEW_SECRET_KEY, None) if request.method == "GET" else None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_token_create(
                account=request_staff(request),
                district=request.tenant,  # type: ignore[attr-defined]
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request, _("Token “%(name)s” created. Copy its secret now.") % {"name": token.name}
            )
            request.session[NEW_SECRET_KEY] = secret
            return redirect("api_tokens:list")
    tokens = api_tokens_of_host(request.tenant)  # type: ignore[attr-defined]
    return _page(
        request,
        "components/api_tokens.html",
        {"form": form, "tokens": tokens, "secret": secret},
        status=400 if form.errors else 200,
    )


@token_manager_required
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = api_tokens_of_host(request.tenant).filter(pk=token_id).first()  # type: ignore[attr-defined]
    if token is None or token.revoked_at is not None:
        raise Http404
    if request.method == "POST":
        api_token_revoke(token=token)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("api_tokens:list")
    return _page(request, "components/api_token_revoke.html", {"token": token})
