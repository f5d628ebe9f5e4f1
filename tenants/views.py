from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.selectors import district_directory


def landing(request: HttpRequest) -> HttpResponse:
    """The platform's public page: what it is, the districts on it, and how to log in."""
    return render(request, "public/landing.html", {"districts": district_directory()})
