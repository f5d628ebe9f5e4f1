from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from apps.accounts.decorators import request_staff
from apps.accounts.selectors import user_roles
from apps.casework.selectors import work_queue
from apps.catalogue.selectors import catalogue_summary
from apps.workspace.navigation import WORKSPACE_SECTIONS
from apps.workspace.selectors import district_dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The district's dashboard (counts only, every role), and a caseworker's own queue."""
    user = request_staff(request)
    today = timezone.localdate()
    queue = work_queue(user=user, today=today) if user.has_perm("casework.view_case") else None
    return render(
        request,
        "tenant/home.html",
        {
            "sections": WORKSPACE_SECTIONS,
            "active_section": "home",
            "roles": user_roles(user),
            "catalogue": catalogue_summary(),
            "dashboard": district_dashboard(today=today),
            "queue": queue,
        },
    )
