from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from apps.accounts.decorators import request_staff
from apps.accounts.selectors import user_roles
from apps.casework.selectors import work_queue
from apps.catalogue.selectors import catalogue_summary
from apps.workspace.pages import workspace_page
from apps.workspace.selectors import district_dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The district's dashboard (counts only, every role), and a caseworker's own queue."""
    user = request_staff(request)
    today = timezone.localdate()
    queue = work_queue(user=user, today=today) if user.has_perm("casework.view_case") else None
    return workspace_page(
        request,
        "tenant/home.html",
        {
            "roles": user_roles(user),
            "catalogue": catalogue_summary(),
            "dashboard": district_dashboard(today=today),
            "queue": queue,
        },
        section="home",
    )
