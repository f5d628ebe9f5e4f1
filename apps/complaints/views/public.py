"""The public pages on the district's host: report a complaint and follow it. No login
(views here carry no login decorator on purpose); each POST is rate-limited per client
address and district. They never show anything of a complaint but its stage and dates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_ratelimit.core import is_ratelimited

from apps.complaints.public_forms import PublicReportForm, TrackForm
from apps.complaints.selectors import complaint_track
from apps.complaints.services import complaint_receive
from apps.workspace.pages import service_errors_to_form
from tenants.middleware import read_only_safe

# Sends per client address and district (the documentation promises these figures).
REPORT_RATE = "5/h"
TRACK_RATE = "30/h"
RETRY_AFTER_SECONDS = 60 * 60
SESSION_CODE_KEY = "complaints_tracking_code"


def _limited(request: HttpRequest, group: str, rate: str) -> bool:
    """Count this POST and say whether the address went over ``rate`` (per district)."""
    schema = getattr(getattr(request, "tenant", None), "schema_name", "")
    return bool(
        is_ratelimited(
            request,
            group=f"complaints.{group}:{schema}",
            key="ip",
            rate=rate,
            method="POST",
            increment=True,
        )
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "tenant/complaints/public/too_many.html", status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def report(request: HttpRequest) -> HttpResponse:
    """The public complaint form. In a suspended workspace the form is not shown and its
    POST is refused by ``WorkspaceReadOnlyMiddleware``."""
    if request.method == "POST" and _limited(request, "report", REPORT_RATE):
        return _too_many(request)
    form = PublicReportForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                complaint = complaint_receive(actor=None, intake=form.intake())
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                request.session[SESSION_CODE_KEY] = complaint.tracking_code
                return redirect("complaints:report_sent")
        form.renew_token()
    status = 400 if form.errors else 200
    return render(request, "tenant/complaints/public/report.html", {"form": form}, status=status)


def report_sent(request: HttpRequest) -> HttpResponse:
    """Shows the tracking code once (it leaves the session as it is shown)."""
    code = request.session.pop(SESSION_CODE_KEY, None)
    if not code:
        return redirect("complaints:report")
    return render(request, "tenant/complaints/public/sent.html", {"code": code})


@read_only_safe  # a lookup, not a change: it works in a suspended workspace too
def track(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and _limited(request, "track", TRACK_RATE):
        return _too_many(request)
    form = TrackForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "searched": False}
    if request.method == "POST" and form.is_valid():
        context.update(searched=True, tracking=complaint_track(code=form.cleaned_data["code"]))
    return render(request, "tenant/complaints/public/track.html", context)
