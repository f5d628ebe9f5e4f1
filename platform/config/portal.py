"""The forum secretariat's portal on the platform's own host: its sections, and the
helper every portal view renders through (the counterpart of the workspace's)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from apps.workspace.navigation import Section, visible_sections

PORTAL_SECTIONS = [
    Section("home", _("Home"), "home"),
    Section("sessions", _("Forum sessions"), "forum:sessions"),
    Section("agreements", _("Agreements"), "forum:agreements"),
    Section("metrics", _("Joint metrics"), "metrics:dashboard"),
    Section("export", _("5W export"), "metrics:export"),
    Section("api_tokens", _("API tokens"), "api_tokens:list", role="secretariat"),
    Section("console", _("Platform console"), "console:districts", role="platform_admin"),
    Section("billing", _("Billing"), "billing:districts", role="platform_admin"),
]


def portal_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, section: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "sections": visible_sections(PORTAL_SECTIONS, request.user),
            "active_section": section,
            **context,
        },
        status=status,
    )
