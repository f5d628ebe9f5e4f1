"""Placeholder views, replaced as the pages are built."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def api_tokens(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    return HttpResponse(status=501)
