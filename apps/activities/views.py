"""The district's 5W pages: the month's rows (typed and from the casework), typing a row,
and the export. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.http.response import HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.activities.exports import activities_csv, activities_filename, activities_xlsx
from apps.activities.forms import PartnerActivityForm
from apps.activities.models import PartnerActivity, Sector
from apps.activities.selectors import (
    beneficiaries_by_sector,
    month_entries,
    partner_activity_get,
    people_reached_to_date,
    period_entries,
)
from apps.activities.services import (
    ActivityInput,
    partner_activity_delete,
    partner_activity_record,
    partner_activity_update,
)
from apps.metrics.fivew_layout import XLSX_CONTENT_TYPE
from apps.metrics.forms import PeriodForm, month_start
from apps.workspace.pages import service_errors_to_form, workspace_page
from apps.workspace.versioning import (
    RecordChangedError,
    carry_version,
    edit_conflict,
    loaded_version,
)
from config.downloads import download_token_echo


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return workspace_page(request, template, context, section="activities", status=status)


def _month(request: HttpRequest, today: date) -> date:
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


@staff_permission_required("activities.view_partneractivity")
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    month = min(_month(request, today), today.replace(day=1))
    entries = month_entries(month)
    by_sector = beneficiaries_by_sector(entries)
    sectors = dict(Sector.choices)
    return _page(
        request,
        "tenant/activities/index.html",
        {
            "month": month,
            "previous_month": month_start(month, 1),
            "next_month": month_start(month, -1) if month < today.replace(day=1) else None,
            "typed": [entry for entry in entries if entry.typed],
            "derived": [entry for entry in entries if not entry.typed],
            "by_sector": [(sectors[code], value) for code, value in by_sector.most_common()],
            "month_total": sum(by_sector.values()),
            "reached_this_year": people_reached_to_date(month.replace(month=1), month),
            "export_form": PeriodForm(request.GET, today=today),
        },
    )


def _input(form: PartnerActivityForm) -> ActivityInput:
    names = {field.name for field in fields(ActivityInput)}
    return ActivityInput(
        **{name: value for name, value in form.cleaned_data.items() if name in names}
    )


@staff_permission_required("activities.add_partneractivity")
def activity_new(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    district = request.tenant  # type: ignore[attr-defined]
    form = PartnerActivityForm(
        request.POST or None,
        today=today,
        initial={"ubigeo": district.ubigeo, "month": f"{today:%Y-%m}"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = partner_activity_record(actor=request_staff(request), data=_input(form))
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The 5W row was recorded."))
            return redirect(f"{_index_url()}?month={activity.month:%Y-%m}")
    return _page(
        request,
        "tenant/activities/form.html",
        {"form": form, "title": _("Record a partner activity (5W)")},
        400 if form.errors else 200,
    )


def _activity(public_id: str) -> PartnerActivity:
    try:
        activity = partner_activity_get(public_id)  # type: ignore[arg-type]
    except ValidationError:
        activity = None
    if activity is None:
        raise Http404
    return activity


def _index_url() -> str:
    from django.urls import reverse

    return reverse("activities:index")


@staff_permission_required("activities.change_partneractivity")
def activity_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    activity = _activity(public_id)
    form = _edit_form(request.POST or None, activity)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            version = loaded_version(form)
            partner_activity_update(
                actor=request_staff(request),
                activity=activity,
                data=_input(form),
                expected_version=version,
            )
        except RecordChangedError as changed:
            # The form was bound to ``activity``: read the row again for its current values.
            activity = _activity(public_id)
            form, conflict = edit_conflict(form, _edit_form(None, activity), changed)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The 5W row was updated."))
            return redirect(f"{_index_url()}?month={activity.month:%Y-%m}")
    return _page(
        request,
        "tenant/activities/form.html",
        {
            "form": form,
            "activity": activity,
            "title": _("Edit a partner activity (5W)"),
            "edit_conflict": conflict,
        },
        409 if conflict is not None else 400 if form.errors else 200,
    )


def _edit_form(data: QueryDict | None, activity: PartnerActivity) -> PartnerActivityForm:
    form = PartnerActivityForm(data, instance=activity, today=timezone.localdate())
    carry_version(form, activity)
    return form


@staff_permission_required("activities.delete_partneractivity")
def activity_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    activity = _activity(public_id)
    if request.method == "POST":
        month = activity.month
        partner_activity_delete(actor=request_staff(request), activity=activity)
        messages.success(request, _("The 5W row was deleted."))
        return redirect(f"{_index_url()}?month={month:%Y-%m}")
    return _page(request, "tenant/activities/delete.html", {"activity": activity})


@staff_permission_required("activities.view_partneractivity")
def export(request: HttpRequest) -> HttpResponseBase:
    file_format = request.GET.get("format")
    if file_format not in {"csv", "xlsx"}:
        return HttpResponseBadRequest("Unknown file format: ask for csv or xlsx.")
    form = PeriodForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return redirect(_index_url())
    period_from, period_to = form.cleaned_data["period_from"], form.cleaned_data["period_to"]
    district = request.tenant  # type: ignore[attr-defined]
    entries = period_entries(period_from, period_to)
    response: HttpResponseBase
    if file_format == "csv":
        response = StreamingHttpResponse(
            activities_csv(entries, district), content_type="text/csv; charset=utf-8"
        )
    else:
        content = activities_xlsx(entries, district, period_from=period_from, period_to=period_to)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = activities_filename(district, period_from, period_to, file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return download_token_echo(request, response)
