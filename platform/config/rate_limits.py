"""Rate limits of HTML forms (login, password reset, one-time codes) and their 429 page.

Counts live in the cache (django-ratelimit), one counter per district (the schema is part
of the group), per client address (config: ``RATELIMIT_IP_META_KEY``, proxies included)
or per value typed (an e-mail address, hashed into the cache key, never stored as is).
The GraphQL endpoint answers its own JSON 429 (config/graphql/view.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage


@dataclass(frozen=True)
class Limited:
    """A limit went over: how long until its window ends."""

    retry_after_seconds: int


def rate_limit_hit(
    request: HttpRequest,
    *,
    group: str,
    rate: str,
    key: str | Callable[[str, HttpRequest], str],
) -> Limited | None:
    """Count this request against ``rate`` and say whether it is over.

    ``key`` is ``"ip"`` (the client's address) or a callable ``(group, request) -> value``.
    Counting happens on every call, so call it once per request and limit.
    """
    schema = getattr(getattr(request, "tenant", None), "schema_name", "")
    usage = get_usage(request, group=f"{group}:{schema}", key=key, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return Limited(retry_after_seconds=max(int(usage["time_left"]), 1))


def too_many_requests(request: HttpRequest, limited: Limited) -> HttpResponse:
    """The 429 page: what happened and how long to wait, with a ``Retry-After`` header."""
    minutes = max(math.ceil(limited.retry_after_seconds / 60), 1)
    response = render(request, "429.html", {"retry_minutes": minutes}, status=429)
    response["Retry-After"] = str(limited.retry_after_seconds)
    return response
