"""Placeholder view, replaced as the pages are built."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)
