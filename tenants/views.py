from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.roles import PlatformRole
from apps.forum.selectors import secretariat_overview
from config.portal import portal_page
from tenants.selectors import district_directory


def landing(request: HttpRequest) -> HttpResponse:
    """The platform's own host: for the secretariat and platform admins, the portal's
    home (what needs attention, and every section); for everyone else, what the platform
    is, the districts on it, and how to log in."""
    user = request.user
    if (
        user.is_authenticated
        and user.groups.filter(
            name__in=[PlatformRole.SECRETARIAT, PlatformRole.PLATFORM_ADMIN]
        ).exists()
    ):
        return portal_page(
            request,
            "public/portal_home.html",
            {"overview": secretariat_overview(), "districts": district_directory()},
            section="home",
        )
    return render(request, "public/landing.html", {"districts": district_directory()})
