"""Placeholder views, replaced as the pages are built."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def _not_built(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


sessions = agreements_board = forum_home = dashboard = export = district_figures = _not_built
