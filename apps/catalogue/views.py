from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse

from apps.catalogue.selectors import document_type_list, partner_list, service_type_list
from apps.workspace.pages import workspace_page


@login_required
@permission_required("catalogue.view_servicetype", raise_exception=True)
def catalogue(request: HttpRequest) -> HttpResponse:
    return workspace_page(
        request,
        "tenant/catalogue/catalogue.html",
        {
            "service_types": service_type_list(),
            "document_types": document_type_list(),
            "partners": partner_list(),
        },
        section="catalogue",
    )
