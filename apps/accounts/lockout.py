"""What django-axes shows and logs when logins are refused after repeated failures.

The counts themselves are axes' (settings: ``AXES_*``); they live in the host's schema, so a
district's failures lock nothing in another district or on the platform's host.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The lockout page (429): the login is blocked, until when, and what to do meanwhile.

    The time given is an upper bound (the cool-off counted from now): failures older than
    the cool-off stop counting, so the block may lift a little earlier, never later.
    """
    cool_off = get_cool_off(request) or settings.AXES_COOLOFF_TIME
    retry_at = timezone.localtime(timezone.now() + cool_off)
    minutes = max(int(cool_off.total_seconds() // 60), 1)
    response = render(
        request,
        "accounts/locked_out.html",
        {"retry_at": retry_at, "retry_minutes": minutes},
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def client_description(
    username: str | None, ip_address: str | None, user_agent: str, path_info: Any, request: Any
) -> str:
    """How axes names a client in log lines: address and path, never the e-mail typed."""
    if isinstance(path_info, tuple | list):
        path_info = path_info[0] if path_info else ""
    return f'{{ip_address: "{ip_address}", path_info: "{path_info}"}}'
