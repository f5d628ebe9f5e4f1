"""Pages of trainings, events (safe spaces and fairs) and the upcoming calendar. The
attendance lists and stalls name people: viewing them is logged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm, model_to_dict
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.audit.models import AccessLogEntry
from apps.audit.services import access_record
from apps.inclusion.event_services import (
    event_attendance_record,
    event_attendance_remove,
    event_save,
    stall_allot,
    stall_release,
    training_attendance_record,
    training_attendance_remove,
    training_save,
)
from apps.inclusion.forms import (
    AttendanceForm,
    EventForm,
    PersonSearchForm,
    StallForm,
    TrainingForm,
)
from apps.inclusion.models import Event, Training
from apps.inclusion.selectors import (
    event_get,
    event_list,
    people_to_pick,
    stall_free_numbers,
    training_get,
    training_list,
    upcoming_calendar,
)
from apps.inclusion.views import PAGE_SIZE, log_person_search, page
from apps.workspace.confirm import action_confirmed, confirm_page
from apps.workspace.pages import service_errors_to_form
from apps.workspace.versioning import (
    VERSION_FIELD,
    RecordChangedError,
    carry_version,
    edit_conflict,
    loaded_version,
)


def _training(public_id: str) -> Training:
    training = training_get(public_id=public_id)
    if training is None:
        raise Http404
    return training


def _event(public_id: str) -> Event:
    event = event_get(public_id=public_id)
    if event is None:
        raise Http404
    return event


def _when(request: HttpRequest) -> bool:
    """The list's tab: upcoming (the default) or past."""
    return request.GET.get("when") != "past"


@staff_permission_required("inclusion.view_training")
def trainings(request: HttpRequest) -> HttpResponse:
    upcoming = _when(request)
    listing = Paginator(
        training_list(upcoming=upcoming, today=timezone.localdate()), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return page(
        request,
        "tenant/inclusion/trainings.html",
        {"page": listing, "upcoming": upcoming, "query": "" if upcoming else "when=past"},
    )


def _save_page(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any], int | None], Training | Event],
    title: str,
    back: str,
    *,
    current_form: Callable[[], BaseForm] | None = None,
) -> HttpResponse:
    """The form of a new or changed training or event. ``save`` gets the values and the
    version the form was loaded with (None for a new one); after a refusal because someone
    else saved meanwhile, ``current_form`` gives the form with the current values."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            version = loaded_version(form) if VERSION_FIELD in form.fields else None
            saved = save(form.cleaned_data, version)
        except RecordChangedError as changed:
            if current_form is None:
                raise
            form, conflict = edit_conflict(form, current_form(), changed)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request,
                (
                    _("The training “%(title)s” was saved.")
                    if isinstance(saved, Training)
                    else _("The safe space or fair “%(title)s” was saved.")
                )
                % {"title": saved.title},
            )
            name = "training_detail" if isinstance(saved, Training) else "event_detail"
            return redirect(f"inclusion:{name}", public_id=saved.public_id)
    return page(
        request,
        "tenant/inclusion/form.html",
        {"form": form, "title": title, "back": back, "edit_conflict": conflict},
        409 if conflict is not None else 400 if form.errors else 200,
    )


@staff_permission_required("inclusion.add_training")
def training_new(request: HttpRequest) -> HttpResponse:
    form = TrainingForm(request.POST or None)
    return _save_page(
        request,
        form,
        lambda values, _version: training_save(actor=request_staff(request), **values),
        _("New training"),
        "inclusion:trainings",
    )


@staff_permission_required("inclusion.change_training")
def training_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    training = _training(public_id)

    def save(values: dict[str, Any], version: int | None) -> Training:
        return training_save(
            actor=request_staff(request), training=training, expected_version=version, **values
        )

    return _save_page(
        request,
        _edit_form(TrainingForm, request.POST or None, training),
        save,
        _("Edit the training"),
        "inclusion:trainings",
        current_form=lambda: _edit_form(TrainingForm, None, _training(public_id)),
    )


def _edit_form(
    form_class: type[TrainingForm | EventForm], data: QueryDict | None, record: Training | Event
) -> BaseForm:
    """The edit form of a training or an event, with the version it is loaded with."""
    form = form_class(data, initial=model_to_dict(record))
    carry_version(form, record)
    return form


def _attendance_context(
    request: HttpRequest, object_type: str, attended: set[int]
) -> dict[str, Any]:
    """The search box of the attendance list and its results (the search is logged)."""
    search = PersonSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    candidates = people_to_pick(query=query)
    if query:
        log_person_search(request, object_type, len(candidates))
    return {
        "search": search,
        "query": query,
        "candidates": [(person, person.pk in attended) for person in candidates],
    }


@staff_permission_required("inclusion.view_training")
def training_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _training_page(request, _training(public_id))


def _training_page(
    request: HttpRequest, training: Training, attend_form: AttendanceForm | None = None
) -> HttpResponse:
    """The training with its attendance list; again with the form's errors after a refusal."""
    access_record(
        user=request_staff(request),
        action=AccessLogEntry.Action.VIEW,
        object_type="training",
        object_id=str(training.public_id),
    )
    attended = {attendance.person_id for attendance in training.attendances.all()}
    context = {
        "training": training,
        "attend_form": attend_form or AttendanceForm(),
        "can_take_attendance": training.held_on <= timezone.localdate(),
        **_attendance_context(request, "training", attended),
    }
    return page(
        request,
        "tenant/inclusion/training_detail.html",
        context,
        400 if attend_form is not None else 200,
    )


def _attend(
    request: HttpRequest,
    occasion: Training | Event,
    record: Callable[..., Any],
    detail: str,
    render_page: Callable[..., HttpResponse],
) -> HttpResponse:
    """Put a person on a training's or an event's attendance list (POST only)."""
    if request.method != "POST":
        return redirect(detail, public_id=occasion.public_id)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            attendance = record(request_staff(request), **form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request, _("%(name)s is on the attendance list.") % {"name": attendance.person}
            )
            return redirect(detail, public_id=occasion.public_id)
    return render_page(request, occasion, attend_form=form)


def _unattend(
    request: HttpRequest,
    occasion: Training | Event,
    attendance_id: int,
    remove: Callable[..., Any],
    detail: str,
) -> HttpResponse:
    """Take a person off the list, after the confirmation page (a POST that skips it, or a
    GET, shows that page)."""
    attendance = occasion.attendances.filter(pk=attendance_id).first()
    if attendance is None:
        raise Http404
    names = {"name": attendance.person, "title": occasion.title}
    if not action_confirmed(request):
        return confirm_page(
            request,
            section="inclusion",
            title=_("Take %(name)s off the attendance list of “%(title)s”?") % names,
            consequences=[
                _(
                    "Their attendance no longer counts in the figures. The person and their "
                    "other records stay; you can add them again."
                )
            ],
            confirm_label=_("Take them off the list"),
            cancel_url=reverse(detail, kwargs={"public_id": occasion.public_id}),
        )
    remove(actor=request_staff(request), attendance=attendance)
    messages.success(
        request, _("%(name)s was taken off the attendance list of “%(title)s”.") % names
    )
    return redirect(detail, public_id=occasion.public_id)


@staff_permission_required("inclusion.add_trainingattendance")
def training_attend(request: HttpRequest, public_id: str) -> HttpResponse:
    training = _training(public_id)

    def record(actor: User, **fields: Any) -> Any:
        return training_attendance_record(actor=actor, training=training, **fields)

    return _attend(request, training, record, "inclusion:training_detail", _training_page)


@staff_permission_required("inclusion.delete_trainingattendance")
def training_unattend(request: HttpRequest, public_id: str, attendance_id: int) -> HttpResponse:
    return _unattend(
        request,
        _training(public_id),
        attendance_id,
        training_attendance_remove,
        "inclusion:training_detail",
    )


@staff_permission_required("inclusion.view_event")
def events(request: HttpRequest) -> HttpResponse:
    upcoming = _when(request)
    kind = request.GET.get("kind", "")
    if kind not in Event.Kind.values:
        kind = ""
    listing = Paginator(
        event_list(kind=kind, upcoming=upcoming, today=timezone.localdate()), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page(
        request,
        "tenant/inclusion/events.html",
        {
            "page": listing,
            "upcoming": upcoming,
            "kind": kind,
            "kinds": Event.Kind.choices,
            "query": query.urlencode(),
        },
    )


@staff_permission_required("inclusion.add_event")
def event_new(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    return _save_page(
        request,
        form,
        lambda values, _version: event_save(actor=request_staff(request), **values),
        _("New safe space or fair"),
        "inclusion:events",
    )


@staff_permission_required("inclusion.change_event")
def event_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    event = _event(public_id)

    def save(values: dict[str, Any], version: int | None) -> Event:
        return event_save(
            actor=request_staff(request), event=event, expected_version=version, **values
        )

    return _save_page(
        request,
        _edit_form(EventForm, request.POST or None, event),
        save,
        _("Edit the event"),
        "inclusion:events",
        current_form=lambda: _edit_form(EventForm, None, _event(public_id)),
    )


@staff_permission_required("inclusion.view_event")
def event_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _event_page(request, _event(public_id))


def _event_page(
    request: HttpRequest,
    event: Event,
    attend_form: AttendanceForm | None = None,
    stall_form: StallForm | None = None,
) -> HttpResponse:
    """The event with its stalls and attendance; again with a form's errors after a refusal."""
    access_record(
        user=request_staff(request),
        action=AccessLogEntry.Action.VIEW,
        object_type="event",
        object_id=str(event.public_id),
    )
    free = stall_free_numbers(event)
    attended = {attendance.person_id for attendance in event.attendances.all()}
    context = {
        "event": event,
        "free_stalls": free,
        "stall_form": stall_form or StallForm(initial={"stall_number": free[0] if free else None}),
        "attend_form": attend_form or AttendanceForm(),
        "can_take_attendance": event.starts_on <= timezone.localdate(),
        **_attendance_context(request, "event", attended),
    }
    failed = attend_form is not None or stall_form is not None
    return page(request, "tenant/inclusion/event_detail.html", context, 400 if failed else 200)


@staff_permission_required("inclusion.add_eventattendance")
def event_attend(request: HttpRequest, public_id: str) -> HttpResponse:
    event = _event(public_id)

    def record(actor: User, **fields: Any) -> Any:
        return event_attendance_record(actor=actor, event=event, **fields)

    return _attend(request, event, record, "inclusion:event_detail", _event_page)


@staff_permission_required("inclusion.delete_eventattendance")
def event_unattend(request: HttpRequest, public_id: str, attendance_id: int) -> HttpResponse:
    return _unattend(
        request, _event(public_id), attendance_id, event_attendance_remove, "inclusion:event_detail"
    )


@staff_permission_required("inclusion.add_stallallotment")
def stall_new(request: HttpRequest, public_id: str) -> HttpResponse:
    event = _event(public_id)
    if request.method != "POST":
        return redirect("inclusion:event_detail", public_id=event.public_id)
    form = StallForm(request.POST)
    if form.is_valid():
        try:
            stall = stall_allot(actor=request_staff(request), event=event, **form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Stall %(number)s was given to %(name)s.")
                % {"number": stall.stall_number, "name": stall.entrepreneur},
            )
            return redirect("inclusion:event_detail", public_id=event.public_id)
    return _event_page(request, event, stall_form=form)


@staff_permission_required("inclusion.delete_stallallotment")
def stall_remove(request: HttpRequest, public_id: str, stall_id: int) -> HttpResponse:
    event = _event(public_id)
    stall = event.stalls.filter(pk=stall_id).first()
    if stall is None:
        raise Http404
    names = {"number": stall.stall_number, "name": stall.entrepreneur}
    if not action_confirmed(request):
        return confirm_page(
            request,
            section="inclusion",
            title=_("Free stall %(number)s, given to %(name)s?") % names,
            consequences=[
                _(
                    "The entrepreneur loses the stall at this event; it can be given to "
                    "someone else."
                )
            ],
            confirm_label=_("Free the stall"),
            cancel_url=reverse("inclusion:event_detail", kwargs={"public_id": event.public_id}),
        )
    stall_release(actor=request_staff(request), stall=stall)
    messages.success(request, _("Stall %(number)s, given to %(name)s, is free again.") % names)
    return redirect("inclusion:event_detail", public_id=event.public_id)


@staff_permission_required("inclusion.view_training", "inclusion.view_event")
def calendar(request: HttpRequest) -> HttpResponse:
    """What is coming: trainings, safe spaces and fairs of the next months, by month."""
    today = timezone.localdate()
    return page(
        request,
        "tenant/inclusion/calendar.html",
        {"months": upcoming_calendar(today=today), "today": today},
    )
