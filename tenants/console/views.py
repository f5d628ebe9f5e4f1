"""Pages of the platform console (``/console/`` on the platform's host, platform admins
only). Each view parses its form, calls one console service or selector and renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.accounts.decorators import platform_admin_required, request_staff
from apps.workspace.pages import service_errors_to_form
from config.portal import portal_page
from tenants.console.forms import (
    DistrictOnboardForm,
    DomainAddForm,
    InvitationResendForm,
    TypedNameConfirmForm,
)
from tenants.console.selectors import (
    STATUS_CHANGE_LABELS,
    StatusChange,
    admin_action_entries,
    admin_actions,
    console_district_rows,
    district_detail,
    district_effective_status,
    district_status_actions,
)
from tenants.console.services import (
    console_coordinator_invitation_resend,
    console_district_onboard,
    console_district_status_change,
    console_domain_add,
    console_domain_primary_set,
    console_domain_remove,
)
from tenants.models import District, Domain

ACTIVITY_PAGE_SIZE = 50


def console_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Platform admins only, and never cached (the pages change with every action)."""
    return platform_admin_required(never_cache(view))


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return portal_page(request, template, context, section="console", status=status)


def _district(slug: str) -> District:
    return get_object_or_404(District, slug=slug)


@console_view
def districts(request: HttpRequest) -> HttpResponse:
    # "?sizes=fresh" measures the schemas again instead of reading the cached sizes.
    overview = console_district_rows(fresh_sizes=request.GET.get("sizes") == "fresh")
    return _page(request, "public/console/districts.html", {"overview": overview})


@console_view
def onboard(request: HttpRequest) -> HttpResponse:
    form = DistrictOnboardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = console_district_onboard(actor=request_staff(request), **form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            district = result.district
            if not result.created:
                messages.warning(
                    request,
                    _("District %(name)s (%(slug)s) already exists; nothing changed.")
                    % {"name": district.name, "slug": district.slug},
                )
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s is ready: workspace, roles and reference lists were created "
                        "in %(seconds).1f s, and the invitation is on its way to %(email)s."
                    )
                    % {
                        "name": district.name,
                        "seconds": result.seconds,
                        "email": result.invitation.email if result.invitation else "—",
                    },
                )
            return redirect("console:district", slug=district.slug)
    return _page(
        request, "public/console/onboard.html", {"form": form}, status=400 if form.errors else 200
    )


def _district_page(
    request: HttpRequest,
    district: District,
    *,
    domain_form: DomainAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return _page(
        request,
        "public/console/district.html",
        {"detail": district_detail(district), "domain_form": domain_form or DomainAddForm()},
        status=status,
    )


@console_view
def district(request: HttpRequest, slug: str) -> HttpResponse:
    return _district_page(request, _district(slug))


@console_view
def status_change(request: HttpRequest, slug: str, change: str) -> HttpResponse:
    district = _district(slug)
    try:
        wanted = StatusChange(change)
    except ValueError as error:
        raise Http404 from error
    if wanted not in district_status_actions(district):
        messages.error(
            request,
            _("%(name)s cannot take that change now: it is “%(status)s”.")
            % {"name": district.name, "status": district_effective_status(district).label},
        )
        return redirect("console:district", slug=district.slug)
    form = TypedNameConfirmForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        try:
            changed = console_district_status_change(
                actor=request_staff(request), district=district, change=wanted
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            done = {
                StatusChange.SUSPEND: _("%(name)s is suspended: its workspace is read-only."),
                StatusChange.REACTIVATE: _("%(name)s is active again."),
                StatusChange.ARCHIVE: _(
                    "%(name)s is archived: its workspace is closed (410); its data is kept."
                ),
            }[wanted]
            messages.success(request, done % {"name": changed.name})
            return redirect("console:district", slug=changed.slug)
    return _page(
        request,
        "public/console/status_confirm.html",
        {
            "district": district,
            "change": str(wanted),
            "change_label": STATUS_CHANGE_LABELS[wanted],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@console_view
@require_POST
def invitation_resend(request: HttpRequest, slug: str) -> HttpResponse:
    district = _district(slug)
    form = InvitationResendForm(request.POST)
    if form.is_valid():
        try:
            invitation = console_coordinator_invitation_resend(
                actor=request_staff(request), district=district, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("A new invitation link is on its way to %(email)s.")
                % {"email": invitation.email},
            )
    return redirect("console:district", slug=district.slug)


@console_view
@require_POST
def domain_add(request: HttpRequest, slug: str) -> HttpResponse:
    district = _district(slug)
    form = DomainAddForm(request.POST)
    if form.is_valid():
        try:
            domain = console_domain_add(
                actor=request_staff(request),
                district=district,
                host=form.cleaned_data["host"],
                primary=form.cleaned_data["primary"],
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("%(host)s now leads to %(name)s.")
                % {"host": domain.domain, "name": district.name},
            )
            return redirect("console:district", slug=district.slug)
    return _district_page(request, district, domain_form=form, status=400)


def _domain(district: District, domain_id: int) -> Domain:
    return get_object_or_404(Domain, pk=domain_id, tenant=district)


@console_view
@require_POST
def domain_primary(request: HttpRequest, slug: str, domain_id: int) -> HttpResponse:
    district = _district(slug)
    domain = _domain(district, domain_id)
    try:
        console_domain_primary_set(actor=request_staff(request), domain=domain)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(host)s is now the primary address of %(name)s.")
            % {"host": domain.domain, "name": district.name},
        )
    return redirect("console:district", slug=district.slug)


@console_view
def domain_remove(request: HttpRequest, slug: str, domain_id: int) -> HttpResponse:
    district = _district(slug)
    domain = _domain(district, domain_id)
    if request.method == "POST":
        try:
            console_domain_remove(actor=request_staff(request), domain=domain)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(host)s no longer leads to %(name)s.")
                % {"host": domain.domain, "name": district.name},
            )
        return redirect("console:district", slug=district.slug)
    return _page(
        request, "public/console/domain_remove.html", {"district": district, "domain": domain}
    )


@console_view
def activity(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("district", "")
    district = _district(slug) if slug else None
    page = Paginator(admin_actions(district=district), ACTIVITY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _page(
        request,
        "public/console/activity.html",
        {
            "page": page,
            "entries": admin_action_entries(list(page.object_list)),
            "district": district,
            "query": f"district={district.slug}" if district else "",
        },
    )
