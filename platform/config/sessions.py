"""Sessions end after inactivity and at an absolute limit.

A session left open on a shared office computer, or a stolen session cookie, must stop
working on its own: after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and
``SESSION_ABSOLUTE_TIMEOUT`` seconds after the login whatever the activity. The login time
and the last activity are kept in the session itself (no table of their own); the last
activity is written at most once per ``ACTIVITY_PRECISION_SECONDS``, so that reading pages
does not write the session row on every request (the idle limit may then end a session up
to that many seconds early, never late).

An expired session is logged out: a page request is sent to the login page with "Your
session expired" (and back to the page after signing in, for a GET); a GraphQL request
with the session cookie gets HTTP 401 and a GraphQL-shaped JSON error. API tokens carry
no session and are not concerned (they expire on their own date).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

LOGIN_AT_KEY = "_session_login_at"
SEEN_AT_KEY = "_session_seen_at"
ACTIVITY_PRECISION_SECONDS = 60
GRAPHQL_PATH = "/graphql/"
SESSION_EXPIRED_CODE = "SESSION_EXPIRED"
GRAPHQL_EXPIRED_MESSAGE = "Your session expired: sign in again, or use an API token."


def now() -> float:
    """Seconds since the epoch; the tests move this clock (tests/test_session_expiry.py)."""
    return time.time()


def _stamp_login(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """At every login, start both clocks (the session key was just cycled)."""
    if request is None or not hasattr(request, "session"):
        return
    moment = now()
    request.session[LOGIN_AT_KEY] = moment
    request.session[SEEN_AT_KEY] = moment


def session_expired(login_at: float, seen_at: float, moment: float) -> bool:
    """Whether a session logged in at ``login_at`` and last seen at ``seen_at`` is over."""
    return (
        moment - seen_at >= settings.SESSION_IDLE_TIMEOUT
        or moment - login_at >= settings.SESSION_ABSOLUTE_TIMEOUT
    )


class SessionExpiryMiddleware:
    """Logs out a signed-in session that is idle or too old (placed right after
    ``AuthenticationMiddleware``, before anything that acts on the user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        user_logged_in.connect(_stamp_login, dispatch_uid="config.sessions.stamp_login")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # Only sessions with a login in them: no user query for anonymous visitors.
        if session is not None and auth.SESSION_KEY in session:
            moment = now()
            # Sessions opened before this middleware existed start their clocks now.
            login_at = float(session.setdefault(LOGIN_AT_KEY, moment))
            seen_at = float(session.setdefault(SEEN_AT_KEY, moment))
            if session_expired(login_at, seen_at, moment):
                return self._expired(request)
            if moment - seen_at >= ACTIVITY_PRECISION_SECONDS:
                session[SEEN_AT_KEY] = moment
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> HttpResponse:
        auth.logout(request)
        scheme = request.headers.get("Authorization", "").partition(" ")[0]
        if scheme.lower() == "bearer":
            # The token, not the old session, decides (graphql view).
            return self.get_response(request)
        if request.path_info.startswith(GRAPHQL_PATH):
            # API messages are in English, like GraphQL's own; clients read the code.
            error = {
                "message": GRAPHQL_EXPIRED_MESSAGE,
                "extensions": {"code": SESSION_EXPIRED_CODE},
            }
            return JsonResponse({"errors": [error]}, status=401)
        # MessageMiddleware comes later and never sees this answer: keep the message in
        # its storage here (a cookie; the session was just emptied).
        storage = default_storage(request)
        storage.add(messages.INFO, _("Your session expired. Sign in again to continue."))
        login_url = reverse(settings.LOGIN_URL, urlconf=getattr(request, "urlconf", None))
        # Back to the page after signing in; a form sent is not sent again.
        if request.method == "GET":
            response: HttpResponse = redirect_to_login(request.get_full_path(), login_url)
        else:
            response = HttpResponseRedirect(login_url)
        storage.update(response)
        return response
