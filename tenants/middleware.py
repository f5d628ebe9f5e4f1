"""Request routing by host name, and the workspace states (suspended, archived)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name

from apps.billing.selectors import district_billing_summary
from tenants.db import use_district_schema, use_public_schema
from tenants.models import District
from tenants.routing import district_for_host

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def public_district() -> District:
    """An unsaved stand-in for the public schema: the platform's own host has no row."""
    return District(schema_name=get_public_schema_name(), name=_("Platform"), slug="", ubigeo="")


def _not_found(request: HttpRequest, hostname: str) -> HttpResponse:
    """The friendly 404 of an address no district uses, with a way to the platform."""
    from apps.accounts.services import base_url_for_host

    platform_url = base_url_for_host(settings.PLATFORM_DOMAIN) + "/"
    return render(
        request,
        "public/district_not_found.html",
        {"hostname": hostname, "platform_url": platform_url},
        status=404,
    )


class DistrictRoutingMiddleware(TenantMainMiddleware):
    """Select the district schema from the host name (cached), or the public schema."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        use_public_schema()
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            return _not_found(request, "")
        if hostname in settings.PUBLIC_HOSTS:
            district = public_district()
        else:
            found = district_for_host(hostname)
            if found is None:
                return _not_found(request, hostname)
            district = found
        district.domain_url = hostname
        request.tenant = district  # type: ignore[attr-defined]
        if district.is_archived:
            return render(request, "tenant/archived.html", {"district": district}, status=410)
        use_district_schema(district)
        self.setup_url_routing(request)
        return None


def read_only_safe(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view as allowed to take POSTs in a read-only workspace (login, logout...)."""
    view.workspace_read_only_safe = True  # type: ignore[attr-defined]
    return view


def workspace_write_block_reason(district: District) -> str | None:
    """Why writes are refused in this workspace, or None when they are allowed."""
    if district.is_read_only and district.archive_at is not None:
        return _(
            "The %(district)s workspace is being closed: it is read-only, and from %(date)s it "
            "will be archived. Its records are kept; ask the platform administrators for them."
        ) % {"district": district.name, "date": date_format(localtime(district.archive_at))}
    if district.is_read_only:
        return _(
            "The %(district)s workspace is suspended: you can read its records but not change "
            "them. Ask the platform administrators to reactivate it."
        ) % {"district": district.name}
    if district.pk is not None:
        # Unpaid past the grace period (apps/billing); None while billing is off.
        return district_billing_summary(district).read_only_reason
    return None


class WorkspaceReadOnlyMiddleware:
    """Refuse writes in a suspended or unpaid workspace with a clear message (HTTP 403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        district = getattr(request, "tenant", None)
        if district is None or request.method in SAFE_METHODS:
            return None
        if getattr(view_func, "workspace_read_only_safe", False):
            return None
        reason = workspace_write_block_reason(district)
        if reason is None:
            return None
        return render(request, "tenant/read_only_refused.html", {"reason": reason}, status=403)
