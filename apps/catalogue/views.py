from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.catalogue.selectors import document_type_list, partner_list, service_type_list
from apps.workspace.navigation import WORKSPACE_SECTIONS


@login_required
@permission_required("catalogue.view_servicetype", raise_exception=True)
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tenant/catalogue/catalogue.html",
        {
            "sections": WORKSPACE_SECTIONS,
            "active_section": "catalogue",
            "service_types": service_type_list(),
            "document_types": document_type_list(),
            "partners": partner_list(),
        },
    )
