"""The client's address, the same way for the login lockout (django-axes) and every rate
limit (django-ratelimit): REMOTE_ADDR, or, behind ``TRUSTED_PROXY_COUNT`` reverse proxies,
the entry the outermost trusted proxy wrote into ``CLIENT_IP_HEADER``.

Only the entries our own proxies appended are trusted: a client can put anything at the
start of X-Forwarded-For, so the address is read from the right, never the left.
"""

from __future__ import annotations

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def _valid(candidate: str) -> str | None:
    try:
        return str(ip_address(candidate.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address the request came from, as far as our own proxies can tell."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get(settings.CLIENT_IP_HEADER, "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote  # reached us without the proxy (e.g. a probe on the pod's address)
    # Each trusted proxy appended the address it was reached from: the client's entry is
    # the proxies-th from the right (or the first when the chain is shorter).
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    return _valid(candidate) or remote
