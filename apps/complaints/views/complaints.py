"""The complaints list, the intake form and a complaint's page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.audit.models import AccessLogEntry
from apps.audit.services import access_record
from apps.complaints import services
from apps.complaints.forms import ComplaintFilterForm, IntakeForm
from apps.complaints.models import Stage
from apps.complaints.selectors import (
    can_read_narrative,
    complaint_list,
    establishment_offence_level,
)
from apps.complaints.services import complaint_receive
from apps.complaints.views.common import complaint_or_404, page, query_without_page
from apps.complaints.views.transitions import next_actions
from apps.people.models import Person
from apps.people.selectors import PersonFilters, person_get, person_list
from apps.workspace.pages import service_errors_to_form

PAGE_SIZE = 25
PEOPLE_FOUND_MAX = 10


@staff_permission_required("complaints.view_complaint")
def index(request: HttpRequest) -> HttpResponse:
    user = request_staff(request)
    today = timezone.localdate()
    form = ComplaintFilterForm(request.GET or None)
    filters = form.filters()
    complaints = complaint_list(user=user, filters=filters, today=today)
    page_obj = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    if filters.query:
        # The search may match a complainant's name: log that one was made, not its text.
        access_record(
            user=user,
            action=AccessLogEntry.Action.SEARCH,
            object_type="complaint",
            detail={"results": page_obj.paginator.count},
        )
    return page(
        request,
        "tenant/complaints/list.html",
        {"form": form, "page": page_obj, "query": query_without_page(request), "today": today},
    )


def _chosen_person(request: HttpRequest, user: User) -> Person | None:
    if not user.has_perm("people.view_person"):
        return None
    raw = request.POST.get("complainant") or request.GET.get("person") or ""
    try:
        public_id = str(uuid.UUID(raw))
    except ValueError:
        return None
    return person_get(public_id=public_id)


def _people_found(request: HttpRequest, user: User) -> list[Person] | None:
    text = request.GET.get("find", "").strip()[:100]
    if not text or not user.has_perm("people.view_person"):
        return None
    found = list(person_list(filters=PersonFilters(query=text))[:PEOPLE_FOUND_MAX])
    access_record(
        user=user,
        action=AccessLogEntry.Action.SEARCH,
        object_type="person",
        detail={"results": len(found), "purpose": "complaint intake"},
    )
    return found


@staff_permission_required("complaints.add_complaint")
def complaint_new(request: HttpRequest) -> HttpResponse:
    user = request_staff(request)
    person = _chosen_person(request, user)
    form = IntakeForm(
        request.POST or None,
        person=person,
        with_registry=user.has_perm("complaints.view_establishment"),
        initial={"complainant": person.public_id if person else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_receive(actor=user, intake=form.intake())
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("The complaint was recorded. Tracking code for the complainant: %(code)s")
                % {"code": complaint.tracking_code},
            )
            return redirect("complaints:detail", public_id=complaint.public_id)
    return page(
        request,
        "tenant/complaints/intake.html",
        {
            "form": form,
            "person": person,
            "people_found": _people_found(request, user),
            "find": request.GET.get("find", ""),
        },
        400 if form.errors else 200,
    )


@staff_permission_required("complaints.view_complaint")
def complaint_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = request_staff(request)
    complaint = complaint_or_404(request, public_id)
    shows_narrative = can_read_narrative(user, complaint)
    access_record(
        user=user,
        action=AccessLogEntry.Action.VIEW,
        object_type="complaint",
        object_id=str(complaint.public_id),
        detail={"narrative": shows_narrative},
    )
    # Before a sanction is imposed, say whether it would be a repeat offence.
    may_be_sanctioned = Stage.SANCTION in services.reachable_stages(complaint.stage)
    offence_level = (
        establishment_offence_level(complaint.establishment)
        if complaint.establishment and may_be_sanctioned
        else None
    )
    return page(
        request,
        "tenant/complaints/detail.html",
        {
            "complaint": complaint,
            "shows_narrative": shows_narrative,
            "actions": next_actions(complaint)
            if user.has_perm("complaints.change_complaint")
            else [],
            "offence_level": offence_level,
            "today": timezone.localdate(),
        },
    )
