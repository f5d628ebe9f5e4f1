"""The establishments registry: list, record, signage inspections."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.complaints.establishment_services import (
    EstablishmentInput,
    establishment_register,
    establishment_update,
    signage_inspection_record,
)
from apps.complaints.forms import EstablishmentFilterForm, EstablishmentForm, SignageInspectionForm
from apps.complaints.models import Establishment, Offence
from apps.complaints.selectors import (
    establishment_list,
    establishment_offence_level,
    sanction_rules_for,
)
from apps.complaints.views.common import establishment_or_404, page, query_without_page
from apps.workspace.pages import service_errors_to_form
from apps.workspace.versioning import (
    RecordChangedError,
    carry_version,
    edit_conflict,
    loaded_version,
)

PAGE_SIZE = 25


@staff_permission_required("complaints.view_establishment")
def establishments(request: HttpRequest) -> HttpResponse:
    form = EstablishmentFilterForm(request.GET or None)
    query, sanctioned = "", False
    if form.is_bound and form.is_valid():
        query, sanctioned = form.cleaned_data["q"], form.cleaned_data["sanctioned"]
    listing = establishment_list(query=query, sanctioned_only=sanctioned)
    page_obj = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    return page(
        request,
        "tenant/complaints/establishments.html",
        {"form": form, "page": page_obj, "query": query_without_page(request)},
    )


@staff_permission_required("complaints.add_establishment")
def establishment_new(request: HttpRequest) -> HttpResponse:
    form = EstablishmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            establishment = establishment_register(
                actor=request_staff(request), values=EstablishmentInput(**form.cleaned_data)
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The establishment was registered."))
            return redirect("complaints:establishment_detail", public_id=establishment.public_id)
    return page(
        request,
        "tenant/complaints/establishment_form.html",
        {"form": form, "title": _("Register an establishment")},
        400 if form.errors else 200,
    )


def _establishment_edit_form(data: QueryDict | None, establishment: Establishment) -> BaseForm:
    initial = {
        name: getattr(establishment, name)
        for name in ("name", "address", "licence_number", "activity")
    }
    form = EstablishmentForm(data, initial=initial)
    carry_version(form, establishment)
    return form


@staff_permission_required("complaints.change_establishment")
def establishment_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    establishment = establishment_or_404(public_id)
    form = _establishment_edit_form(request.POST or None, establishment)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            version = loaded_version(form)
            establishment_update(
                actor=request_staff(request),
                establishment=establishment,
                values=EstablishmentInput(**form.cleaned_data),
                expected_version=version,
            )
        except RecordChangedError as changed:
            establishment = establishment_or_404(public_id)
            current = _establishment_edit_form(None, establishment)
            form, conflict = edit_conflict(form, current, changed)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("The changes to “%(name)s” were saved.")
                % {"name": form.cleaned_data.get("name") or establishment.name},
            )
            return redirect("complaints:establishment_detail", public_id=establishment.public_id)
    return page(
        request,
        "tenant/complaints/establishment_form.html",
        {
            "form": form,
            "establishment": establishment,
            "title": _("Edit the establishment"),
            "edit_conflict": conflict,
        },
        409 if conflict is not None else 400 if form.errors else 200,
    )


@staff_permission_required("complaints.view_establishment")
def establishment_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    establishment = establishment_or_404(public_id)
    level = establishment_offence_level(establishment)
    return page(
        request,
        "tenant/complaints/establishment_detail.html",
        {
            "establishment": establishment,
            "next_offence": level,
            "is_repeat_next": level == Offence.REPEAT,
            "next_rules": list(sanction_rules_for(level)),
        },
    )


@staff_permission_required("complaints.add_signageinspection")
def signage_new(request: HttpRequest, public_id: str) -> HttpResponse:
    establishment = establishment_or_404(public_id)
    form = SignageInspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signage_inspection_record(
                actor=request_staff(request), establishment=establishment, **form.cleaned_data
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The signage inspection was recorded."))
            return redirect("complaints:establishment_detail", public_id=establishment.public_id)
    return page(
        request,
        "tenant/complaints/establishment_form.html",
        {
            "form": form,
            "establishment": establishment,
            "title": _("Record a signage inspection"),
        },
        400 if form.errors else 200,
    )
