"""Pages of volunteers and awareness activities. Thin: parse, check the permission, call
one service or selector, render. The calendar, the activities list and an activity's page
name no one unless the account may see volunteers (the viewer role sees counts only)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.audit.models import AccessLogEntry
from apps.audit.services import access_record
from apps.people.views import person_or_404
from apps.volunteers.forms import (
    ActivityFilterForm,
    ActivityForm,
    VolunteerFilterForm,
    VolunteerForm,
)
from apps.volunteers.models import AwarenessActivity, Volunteer
from apps.volunteers.selectors import (
    UPCOMING,
    activity_calendar,
    activity_form_volunteers,
    activity_get,
    activity_list,
    participant_grid,
    person_candidates,
    volunteer_get,
    volunteer_list,
    volunteer_participations,
)
from apps.volunteers.services import (
    activity_create,
    activity_update,
    volunteer_register,
    volunteer_set_active,
    volunteer_update,
)
from apps.workspace.confirm import action_confirmed, confirm_page
from apps.workspace.pages import service_errors_to_form, workspace_page
from apps.workspace.versioning import (
    RecordChangedError,
    carry_version,
    edit_conflict,
    loaded_version,
)

PAGE_SIZE = 25
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return workspace_page(request, template, context, section="volunteers", status=status)


def _volunteer(public_id: UUID) -> Volunteer:
    volunteer = volunteer_get(public_id=str(public_id))
    if volunteer is None:
        raise Http404
    return volunteer


def _activity(public_id: UUID) -> AwarenessActivity:
    activity = activity_get(public_id=str(public_id))
    if activity is None:
        raise Http404
    return activity


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# The calendar and the activities


@staff_permission_required("volunteers.view_awarenessactivity")
def index(request: HttpRequest) -> HttpResponse:
    """The activity calendar of the current month."""
    return _calendar_page(request, timezone.localdate().replace(day=1))


@staff_permission_required("volunteers.view_awarenessactivity")
def calendar_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404
    return _calendar_page(request, date(year, month, 1))


def _calendar_page(request: HttpRequest, first: date) -> HttpResponse:
    today = timezone.localdate()
    return _page(
        request,
        "tenant/volunteers/calendar.html",
        {
            "calendar": activity_calendar(first=first, today=today),
            "upcoming": list(activity_list(today=today, when=UPCOMING)[:5]),
            "weekdays": [(WEEKDAYS_ABBR[i], WEEKDAYS[i]) for i in range(7)],
            "today": today,
        },
    )


@staff_permission_required("volunteers.view_awarenessactivity")
def activities(request: HttpRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET or None)
    listed = activity_list(today=timezone.localdate(), **form.filters())
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return _page(
        request,
        "tenant/volunteers/activity_list.html",
        {"form": form, "page": page, "query": _query(request)},
    )


@staff_permission_required("volunteers.view_awarenessactivity")
def activity_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    activity = _activity(public_id)
    show_names = request.user.has_perm("volunteers.view_volunteer")
    if show_names:
        access_record(
            user=request_staff(request),
            action=AccessLogEntry.Action.VIEW,
            object_type="awareness_activity",
            object_id=str(activity.public_id),
        )
    participations = list(activity.participations.all())
    return _page(
        request,
        "tenant/volunteers/activity_detail.html",
        {
            "activity": activity,
            "grid": participant_grid(activity),
            "show_names": show_names,
            "participations": participations if show_names else [],
            "hours_total": sum(p.hours for p in participations),
        },
    )


@staff_permission_required("volunteers.add_awarenessactivity")
def activity_new(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(
        request.POST or None,
        volunteers=activity_form_volunteers(),
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_create(
                actor=request_staff(request),
                details=form.details(),
                volunteer_hours=form.volunteer_hours(),
                participants=form.participants(),
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request, _("The activity “%(title)s” was saved.") % {"title": activity.title}
            )
            return redirect("volunteers:activity_detail", public_id=activity.public_id)
    return _page(
        request,
        "tenant/volunteers/activity_form.html",
        {"form": form, "title": _("New awareness activity"), "activity": None},
        400 if form.errors else 200,
    )


@staff_permission_required("volunteers.change_awarenessactivity")
def activity_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    activity = _activity(public_id)
    form = _activity_edit_form(request.POST or None, activity)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            version = loaded_version(form)
            activity_update(
                actor=request_staff(request),
                activity=activity,
                details=form.details(),
                volunteer_hours=form.volunteer_hours(),
                participants=form.participants(),
                expected_version=version,
            )
        except RecordChangedError as changed:
            activity = _activity(public_id)
            form, conflict = edit_conflict(form, _activity_edit_form(None, activity), changed)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request, _("The activity “%(title)s” was saved.") % {"title": activity.title}
            )
            return redirect("volunteers:activity_detail", public_id=activity.public_id)
    return _page(
        request,
        "tenant/volunteers/activity_form.html",
        {
            "form": form,
            "title": _("Edit the activity"),
            "activity": activity,
            "edit_conflict": conflict,
        },
        409 if conflict is not None else 400 if form.errors else 200,
    )


def _activity_edit_form(data: QueryDict | None, activity: AwarenessActivity) -> ActivityForm:
    """The activity's form with its hours and grid, and the version it is loaded with."""
    form = ActivityForm(
        data,
        volunteers=activity_form_volunteers(),
        taking_part=frozenset(p.volunteer_id for p in activity.participations.all()),
        initial=ActivityForm.initial_for(activity),
    )
    carry_version(form, activity)
    return form


# Volunteers (personal data: every page names people)


@staff_permission_required("volunteers.view_volunteer")
def volunteers(request: HttpRequest) -> HttpResponse:
    form = VolunteerFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(volunteer_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    if filters["query"]:
        # Only that a search was made and how many it found: the text may be a name.
        access_record(
            user=request_staff(request),
            action=AccessLogEntry.Action.SEARCH,
            object_type="volunteer",
            detail={"results": page.paginator.count},
        )
    return _page(
        request,
        "tenant/volunteers/volunteer_list.html",
        {"form": form, "page": page, "query": _query(request)},
    )


@staff_permission_required("volunteers.add_volunteer", "people.view_person")
def volunteer_new(request: HttpRequest) -> HttpResponse:
    """Find the registered person who volunteers."""
    query = request.GET.get("q", "").strip()
    candidates = person_candidates(query=query)
    if query:
        access_record(
            user=request_staff(request),
            action=AccessLogEntry.Action.SEARCH,
            object_type="person",
            detail={"results": len(candidates), "for": "volunteer"},
        )
    return _page(
        request,
        "tenant/volunteers/volunteer_search.html",
        {"query": query, "candidates": candidates},
    )


@staff_permission_required("volunteers.add_volunteer", "people.view_person")
def volunteer_register_view(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = person_or_404(str(person_id))
    existing = Volunteer.objects.filter(person=person).first()
    if existing is not None:
        messages.info(request, _("This person is already registered as a volunteer."))
        return redirect("volunteers:volunteer_detail", public_id=existing.public_id)
    form = VolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = volunteer_register(
                actor=request_staff(request), person=person, **form.cleaned_data
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request, _("%(name)s is now a volunteer.") % {"name": person.full_name}
            )
            return redirect("volunteers:volunteer_detail", public_id=volunteer.public_id)
    return _page(
        request,
        "tenant/volunteers/volunteer_form.html",
        {"form": form, "person": person, "volunteer": None, "title": _("Register a volunteer")},
        400 if form.errors else 200,
    )


@staff_permission_required("volunteers.view_volunteer")
def volunteer_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    volunteer = _volunteer(public_id)
    access_record(
        user=request_staff(request),
        action=AccessLogEntry.Action.VIEW,
        object_type="volunteer",
        object_id=str(volunteer.public_id),
    )
    return _page(
        request,
        "tenant/volunteers/volunteer_detail.html",
        {"volunteer": volunteer, "participations": volunteer_participations(volunteer)},
    )


@staff_permission_required("volunteers.change_volunteer")
def volunteer_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    volunteer = _volunteer(public_id)
    form = _volunteer_edit_form(request.POST or None, volunteer)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            version = loaded_version(form)
            volunteer_update(
                actor=request_staff(request),
                volunteer=volunteer,
                expected_version=version,
                **form.cleaned_data,
            )
        except RecordChangedError as changed:
            volunteer = _volunteer(public_id)
            form, conflict = edit_conflict(form, _volunteer_edit_form(None, volunteer), changed)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("The changes to the volunteer %(name)s were saved.")
                % {"name": volunteer.person.full_name},
            )
            return redirect("volunteers:volunteer_detail", public_id=volunteer.public_id)
    return _page(
        request,
        "tenant/volunteers/volunteer_form.html",
        {
            "form": form,
            "person": volunteer.person,
            "volunteer": volunteer,
            "title": _("Edit the volunteer"),
            "edit_conflict": conflict,
        },
        409 if conflict is not None else 400 if form.errors else 200,
    )


def _volunteer_edit_form(data: QueryDict | None, volunteer: Volunteer) -> VolunteerForm:
    form = VolunteerForm(
        data,
        initial={
            "skills": volunteer.skills,
            "availability": volunteer.availability,
            "joined_on": volunteer.joined_on,
        },
    )
    carry_version(form, volunteer)
    return form


@staff_permission_required("volunteers.change_volunteer")
def volunteer_active(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """POST ``active=1`` to activate, ``active=0`` to deactivate; deactivating goes through
    the confirmation page first (``?active=0`` shows it)."""
    volunteer = _volunteer(public_id)
    wants_inactive = request.POST.get("active", request.GET.get("active")) == "0"
    if wants_inactive and volunteer.is_active and not action_confirmed(request):
        return confirm_page(
            request,
            section="volunteers",
            title=_("Take %(name)s off the active roster?") % {"name": volunteer.person.full_name},
            consequences=[
                _(
                    "They will not be offered for new awareness activities. The hours they "
                    "already gave stay recorded; you can activate them again later."
                )
            ],
            confirm_label=_("Deactivate the volunteer"),
            cancel_url=reverse("volunteers:volunteer_detail", args=[volunteer.public_id]),
            hidden={"active": "0"},
        )
    if request.method == "POST":
        is_active = request.POST.get("active") == "1"
        try:
            volunteer_set_active(
                actor=request_staff(request), volunteer=volunteer, is_active=is_active
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                (
                    _("%(name)s is an active volunteer again.")
                    if is_active
                    else _(
                        "%(name)s is now an inactive volunteer: they will not be added to new "
                        "activities."
                    )
                )
                % {"name": volunteer.person.full_name},
            )
    return redirect("volunteers:volunteer_detail", public_id=volunteer.public_id)
