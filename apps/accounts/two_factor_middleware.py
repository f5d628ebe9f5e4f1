"""Holds a logged-in session at the two-factor step until it is passed.

After the password, a session whose account has an authenticator app must enter a code,
and one whose role requires two-factor but has no app yet must set one up. Until then
every page sends it to that step; GraphQL with the session cookie answers 403 (JSON).
Requests with an API token (``Authorization: Bearer``) are not sessions: the GraphQL view
authenticates them itself and this middleware leaves them alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.two_factor import STEP_DONE, STEP_SETUP, session_step

# Views a session at the two-factor step may still open.
ALLOWED_VIEWS = frozenset(
    {
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "accounts:login",
        "accounts:logout",
        "set_language",
    }
)


def _not_a_session_login(request: HttpRequest) -> bool:
    """Static files, anonymous visitors and API-token requests (the GraphQL view, not this
    session, says who a token acts as)."""
    return (
        request.path.startswith(settings.STATIC_URL)
        or request.headers.get("Authorization", "").lower().startswith("bearer ")
        or not request.user.is_authenticated
    )


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if _not_a_session_login(request) or not isinstance(user, User):
            return None
        step = session_step(request.session, user)
        if step == STEP_DONE:
            return None
        match = request.resolver_match
        view_name = match.view_name if match else ""
        if view_name in ALLOWED_VIEWS:
            return None
        if view_name == "graphql":
            message = _("Two-factor authentication is required: finish logging in first.")
            return JsonResponse({"errors": [{"message": message}]}, status=403)
        target = reverse(
            "accounts:two_factor_setup" if step == STEP_SETUP else "accounts:two_factor_verify"
        )
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
