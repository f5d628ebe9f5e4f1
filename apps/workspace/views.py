from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.selectors import user_roles
from apps.catalogue.selectors import catalogue_summary
from apps.workspace.navigation import WORKSPACE_SECTIONS


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tenant/home.html",
        {
            "sections": WORKSPACE_SECTIONS,
            "active_section": "home",
            "roles": user_roles(request.user),  # type: ignore[arg-type]
            "catalogue": catalogue_summary(),
        },
    )
