"""Helpers of the staff pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from apps.accounts.decorators import request_staff
from apps.complaints.models import Complaint, Establishment
from apps.complaints.selectors import complaint_get, establishment_get
from apps.workspace.pages import workspace_page


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return workspace_page(request, template, context, section="complaints", status=status)


def complaint_or_404(request: HttpRequest, public_id: str) -> Complaint:
    """A complaint the user may see; another district's id, or one filed by someone else
    for a caseworker, is simply not found."""
    complaint = complaint_get(user=request_staff(request), public_id=public_id)
    if complaint is None:
        raise Http404
    return complaint


def establishment_or_404(public_id: str) -> Establishment:
    establishment = establishment_get(public_id=public_id)
    if establishment is None:
        raise Http404
    return establishment


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
