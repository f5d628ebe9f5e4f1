"""Pages of entrepreneurs and their businesses. Thin: parse, check the permission, call one
service or selector, render. Every view of an entrepreneur's record is logged."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.audit.models import AccessLogEntry
from apps.audit.services import access_record
from apps.inclusion.forms import (
    BusinessForm,
    BusinessNewForm,
    BusinessStatusForm,
    EntrepreneurFilterForm,
    EntrepreneurRegisterForm,
    PersonSearchForm,
)
from apps.inclusion.models import Business, Entrepreneur
from apps.inclusion.selectors import (
    business_get,
    entrepreneur_get,
    entrepreneur_list,
    entrepreneur_timeline,
    people_to_pick,
)
from apps.inclusion.services import (
    business_add,
    business_status_record,
    business_update,
    entrepreneur_register,
)
from apps.people.models import Person
from apps.workspace.pages import service_errors_to_form, workspace_page
from apps.workspace.versioning import (
    RecordChangedError,
    carry_version,
    edit_conflict,
    loaded_version,
)

PAGE_SIZE = 25


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return workspace_page(request, template, context, section="inclusion", status=status)


def log_person_search(request: HttpRequest, object_type: str, results: int) -> None:
    """A search of the registry is in the access log: how many were found, never the text."""
    access_record(
        user=request_staff(request),
        action=AccessLogEntry.Action.SEARCH,
        object_type=object_type,
        detail={"results": results},
    )


def _entrepreneur(public_id: str) -> Entrepreneur:
    entrepreneur = entrepreneur_get(public_id=public_id)
    if entrepreneur is None:
        raise Http404
    return entrepreneur


def _business(public_id: str) -> Business:
    business = business_get(public_id=public_id)
    if business is None:
        raise Http404
    return business


@staff_permission_required("inclusion.view_entrepreneur")
def index(request: HttpRequest) -> HttpResponse:
    """The entrepreneurs: search by name or document, filter by formalisation stage."""
    form = EntrepreneurFilterForm(request.GET or None)
    entrepreneurs = entrepreneur_list(**form.values())
    listing = Paginator(entrepreneurs, PAGE_SIZE).get_page(request.GET.get("page"))
    if form.values()["query"]:
        log_person_search(request, "entrepreneur", listing.paginator.count)
    query = request.GET.copy()
    query.pop("page", None)
    return page(
        request,
        "tenant/inclusion/entrepreneurs.html",
        {"form": form, "page": listing, "query": query.urlencode()},
    )


@staff_permission_required("inclusion.add_entrepreneur", "people.view_person")
def entrepreneur_new(request: HttpRequest) -> HttpResponse:
    """Find the person in the registry, then register them as an entrepreneur."""
    search = PersonSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    candidates = people_to_pick(query=query)
    if query:
        log_person_search(request, "person", len(candidates))
    data = request.POST if request.method == "POST" else None
    chosen = request.GET.get("person", "") if data is None else ""
    form = EntrepreneurRegisterForm(data, initial={"person": chosen} if chosen else None)
    if data is not None and form.is_valid():
        try:
            entrepreneur = entrepreneur_register(
                actor=request_staff(request),
                person=form.cleaned_data["person"],
                registered_on=form.cleaned_data["registered_on"],
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was registered as an entrepreneur.")
                % {"name": entrepreneur.person.full_name},
            )
            return redirect("inclusion:entrepreneur_detail", public_id=entrepreneur.public_id)
    person = _chosen_person(form, chosen)
    return page(
        request,
        "tenant/inclusion/entrepreneur_new.html",
        {
            "search": search,
            "query": query,
            "candidates": candidates,
            "form": form,
            "person": person,
        },
        400 if form.errors else 200,
    )


def _chosen_person(form: EntrepreneurRegisterForm, chosen: str) -> Person | None:
    """The person the registration form is about: the posted one, or the one picked."""
    if form.is_bound:
        return form.cleaned_data.get("person") if hasattr(form, "cleaned_data") else None
    try:
        return Person.objects.filter(public_id=chosen, anonymised_on__isnull=True).first()
    except ValidationError:  # not a UUID
        return None


@staff_permission_required("inclusion.view_entrepreneur")
def entrepreneur_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    entrepreneur = _entrepreneur(public_id)
    access_record(
        user=request_staff(request),
        action=AccessLogEntry.Action.VIEW,
        object_type="entrepreneur",
        object_id=str(entrepreneur.public_id),
    )
    return page(
        request,
        "tenant/inclusion/entrepreneur_detail.html",
        {"entrepreneur": entrepreneur, "timeline": entrepreneur_timeline(entrepreneur)},
    )


@staff_permission_required("inclusion.add_business")
def business_new(request: HttpRequest, public_id: str) -> HttpResponse:
    entrepreneur = _entrepreneur(public_id)
    form = BusinessNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            business_add(
                actor=request_staff(request), entrepreneur=entrepreneur, **form.cleaned_data
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The business was added."))
            return redirect("inclusion:entrepreneur_detail", public_id=entrepreneur.public_id)
    return page(
        request,
        "tenant/inclusion/form.html",
        {"form": form, "entrepreneur": entrepreneur, "title": _("Add a business")},
        400 if form.errors else 200,
    )


@staff_permission_required("inclusion.change_business")
def business_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    business = _business(public_id)
    entrepreneur = business.entrepreneur
    form = _business_edit_form(request.POST or None, business)
    saved_name = business.name
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            version = loaded_version(form)
            business_update(
                actor=request_staff(request),
                business=business,
                expected_version=version,
                **form.cleaned_data,
            )
        except RecordChangedError as changed:
            business = _business(public_id)
            saved_name = business.name
            form, conflict = edit_conflict(form, _business_edit_form(None, business), changed)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("The changes to the business “%(name)s” were saved.")
                % {"name": form.cleaned_data.get("name") or saved_name},
            )
            return redirect("inclusion:entrepreneur_detail", public_id=entrepreneur.public_id)
    title = _("Edit the business “%(name)s”") % {"name": saved_name}
    return page(
        request,
        "tenant/inclusion/form.html",
        {
            "form": form,
            "entrepreneur": entrepreneur,
            "title": title,
            "edit_conflict": conflict,
        },
        409 if conflict is not None else 400 if form.errors else 200,
    )


def _business_edit_form(data: QueryDict | None, business: Business) -> BusinessForm:
    initial = {"name": business.name, "activity": business.activity, "ruc": business.ruc}
    form = BusinessForm(data, initial=initial)
    carry_version(form, business)
    return form


@staff_permission_required("inclusion.add_businessstatuschange")
def business_status(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a change of the business's formalisation status (the only way it moves)."""
    business = _business(public_id)
    entrepreneur = business.entrepreneur
    form = BusinessStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            business_status_record(
                actor=request_staff(request), business=business, **form.cleaned_data
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The new status was recorded."))
            return redirect("inclusion:entrepreneur_detail", public_id=entrepreneur.public_id)
    title = _("Formalisation of “%(name)s”") % {"name": business.name}
    return page(
        request,
        "tenant/inclusion/form.html",
        {"form": form, "entrepreneur": entrepreneur, "business": business, "title": title},
        400 if form.errors else 200,
    )
