"""Request limits of the GraphQL endpoint: per client address, and per signed-in account
or API token (django-ratelimit's counters, in the default cache).

The address is counted first, before the token is even looked up, so guessing tokens or
flooding anonymously is bounded too; the account or token is counted once the request is
authenticated. Accounts are counted per schema (a user id means nothing across districts),
tokens by the hash of their secret (never the secret itself). Over either limit: HTTP 429,
a ``Retry-After`` header and a GraphQL-shaped error with code ``RATE_LIMITED``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django_ratelimit.core import get_usage

RATE_LIMITED_CODE = "RATE_LIMITED"
ADDRESS_GROUP = "graphql.address"
ACCOUNT_GROUP = "graphql.account"
# django-ratelimit's key: a name it knows ("ip") or a function of (group, request).
RateKey = str | Callable[[str, HttpRequest], str]


def account_key(request: HttpRequest, bearer_secret: str | None) -> str | None:
    """What the per-account limit counts: the token, or the signed-in account of this
    host's schema; None for an anonymous request (counted by address only)."""
    if bearer_secret:
        return "token:" + hashlib.sha256(bearer_secret.encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    schema = getattr(getattr(request, "tenant", None), "schema_name", "")
    return f"user:{schema}:{user.pk}"


def _retry_after(request: HttpRequest, group: str, key: RateKey, rate: str) -> int | None:
    """Count this request; seconds until the window ends when it went over ``rate``."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, int(usage["time_left"]))


def address_retry_after(request: HttpRequest) -> int | None:
    """Counts the request against its client address (``RATELIMIT_IP_META_KEY``)."""
    return _retry_after(request, ADDRESS_GROUP, "ip", settings.GRAPHQL_RATE_PER_ADDRESS)


def account_retry_after(request: HttpRequest, bearer_secret: str | None) -> int | None:
    """Counts an authenticated request against its token or account."""
    key = account_key(request, bearer_secret)
    if key is None:
        return None
    return _retry_after(
        request, ACCOUNT_GROUP, lambda _group, _request: key, settings.GRAPHQL_RATE_PER_ACCOUNT
    )


def too_many_requests(retry_after: int) -> JsonResponse:
    """The 429 answer, shaped like any GraphQL error so clients read it the same way."""
    body = {
        "errors": [
            {
                "message": f"Too many requests: try again in {retry_after} seconds.",
                "extensions": {"code": RATE_LIMITED_CODE, "retryAfter": retry_after},
            }
        ]
    }
    response = JsonResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response
