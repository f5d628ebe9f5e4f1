"""Requests that are too big or malformed get a clear answer, never a blank 400 or a 500.

Two places refuse them:

- ``RequestLimitsMiddleware`` looks at ``Content-Length`` before anything reads the
  body: over ``REQUEST_BODY_MAX_BYTES`` (a file upload plus its form) the answer is 413
  at once, so a huge upload is neither spooled to disk nor routed to a district. It also
  refuses a NUL character in the path or query string (400).
  Django's own limits (``DATA_UPLOAD_MAX_MEMORY_SIZE`` for the form fields,
  ``DATA_UPLOAD_MAX_NUMBER_FIELDS``, ``DATA_UPLOAD_MAX_NUMBER_FILES``) only apply when
  the body is parsed, later.
- ``bad_request`` is the ``handler400`` of both URL maps. Django turns the exceptions those
  limits raise (``RequestDataTooBig``, ``TooManyFieldsSent``, ``TooManyFilesSent``, all
  ``SuspiciousOperation``) into a call to it, wherever the body was parsed (a middleware
  reading ``request.POST``, a view, the GraphQL view): it answers 413 or 400 with a page
  in the person's language, or a GraphQL-shaped JSON error on ``/graphql/``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

GRAPHQL_PATH = "/graphql/"


def content_length(request: HttpRequest) -> int:
    """The body's declared size; 0 when absent or not a number (Django reads nothing then)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except (TypeError, ValueError):
        return 0


def _wants_json(request: HttpRequest) -> bool:
    return request.path_info.startswith(GRAPHQL_PATH) or "application/json" in request.headers.get(
        "Accept", ""
    )


def refusal(request: HttpRequest, *, status: int, title: str, message: str) -> HttpResponse:
    """The answer to a refused request: JSON for API clients, a page for people."""
    if _wants_json(request):
        return JsonResponse({"errors": [{"message": message}], "data": None}, status=status)
    return render(
        request, "request_refused.html", {"title": title, "message": message}, status=status
    )


def too_large(request: HttpRequest) -> HttpResponse:
    return refusal(
        request,
        status=413,
        title=_("The request is too large"),
        message=_("What you sent is too large. Files may be at most %(max)s.")
        % {"max": filesizeformat(settings.UPLOAD_MAX_BYTES)},
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler400``: why the request was refused, in words."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return refusal(
            request,
            status=400,
            title=_("The request could not be read"),
            message=_("The form sent too many fields or files."),
        )
    return refusal(
        request,
        status=400,
        title=_("The request could not be read"),
        message=_("The request was malformed or incomplete. Go back and try again."),
    )


def _has_nul(request: HttpRequest) -> bool:
    """A NUL character in the path or a query parameter. No page needs one, PostgreSQL
    refuses it in text (a 500 wherever a view filters on the value), and forms already
    refuse it in their fields."""
    if "\x00" in request.path_info:
        return True
    query_string = request.META.get("QUERY_STRING", "")
    if "%00" not in query_string and "\x00" not in query_string:
        return False  # the common case, without parsing the query string
    return any("\x00" in key or "\x00" in value for key, value in _query_items(request))


def _query_items(request: HttpRequest) -> list[tuple[str, str]]:
    return [(key, value) for key, values in request.GET.lists() for value in values]


class RequestLimitsMiddleware:
    """413 for a body declared larger than ``REQUEST_BODY_MAX_BYTES``, before it is read;
    400 for a NUL character in the path or the query string."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if content_length(request) > settings.REQUEST_BODY_MAX_BYTES:
            return too_large(request)
        if _has_nul(request):
            return refusal(
                request,
                status=400,
                title=_("The request could not be read"),
                message=_("The address contains a character that is not allowed."),
            )
        return self.get_response(request)
