from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.accounts.decorators import request_staff
from apps.accounts.selectors import user_roles
from apps.casework.selectors import work_queue
from apps.catalogue.selectors import catalogue_summary
from apps.workspace.pages import workspace_page
from apps.workspace.selectors import district_dashboard

# The district apps' panels on the home page: (context name, selector, template, the
# permission that shows it). Counts only; each selector takes ``today``.
DASHBOARD_PANELS: list[tuple[str, str, str, str | None]] = [
    (
        "complaints",
        "apps.complaints.selectors.complaints_dashboard",
        "tenant/complaints/_dashboard.html",
        None,  # counts for everyone; the overdue list links only for complaints staff
    ),
    (
        "inclusion",
        "apps.inclusion.selectors.inclusion_dashboard",
        "tenant/inclusion/_dashboard.html",
        "inclusion.view_inclusion_figures",
    ),
    (
        "volunteers_dashboard",
        "apps.volunteers.selectors.volunteers_dashboard",
        "tenant/volunteers/_dashboard.html",
        "volunteers.view_awarenessactivity",
    ),
    (
        "fivew",
        "apps.activities.selectors.activities_dashboard",
        "tenant/activities/_dashboard.html",
        "activities.view_partneractivity",
    ),
]


def _panels(user: User, today: date) -> tuple[dict[str, object], list[str]]:
    context: dict[str, object] = {}
    templates = []
    for name, selector, template, permission in DASHBOARD_PANELS:
        if permission is None or user.has_perm(permission):
            context[name] = import_string(selector)(today=today)
            templates.append(template)
    return context, templates


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The district's dashboard (counts only, every role), and a caseworker's own queue."""
    user = request_staff(request)
    today = timezone.localdate()
    queue = work_queue(user=user, today=today) if user.has_perm("casework.view_case") else None
    panels, panel_templates = _panels(user, today)
    return workspace_page(
        request,
        "tenant/home.html",
        {
            "roles": user_roles(user),
            "catalogue": catalogue_summary(),
            "dashboard": district_dashboard(today=today),
            "queue": queue,
            "panel_templates": panel_templates,
            **panels,
        },
        section="home",
    )
