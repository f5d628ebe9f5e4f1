"""The workflow steps of a complaint: one page per allowed next stage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.complaints import services
from apps.complaints.forms import (
    AdmitForm,
    AppealForm,
    CloseForm,
    DismissForm,
    InfractionReportForm,
    InspectForm,
    SanctionForm,
    StepForm,
)
from apps.complaints.models import Complaint, Stage
from apps.complaints.views.common import complaint_or_404, page
from apps.workspace.pages import service_errors_to_form


@dataclass(frozen=True)
class Step:
    stage: Stage
    label: str | Promise
    form: type[StepForm]
    # The service that makes the move; the form's fields are its keyword arguments.
    service: Callable[..., Complaint]


STEPS = {
    step.stage.value: step
    for step in (
        Step(Stage.ADMITTED, gettext_lazy("Admit"), AdmitForm, services.complaint_admit),
        Step(Stage.DISMISSED, gettext_lazy("Dismiss"), DismissForm, services.complaint_dismiss),
        Step(
            Stage.INSPECTION,
            gettext_lazy("Record the inspection"),
            InspectForm,
            services.complaint_inspect,
        ),
        Step(
            Stage.INFRACTION_REPORT,
            gettext_lazy("Record the infraction report"),
            InfractionReportForm,
            services.complaint_report_infraction,
        ),
        Step(
            Stage.SANCTION,
            gettext_lazy("Impose a sanction"),
            SanctionForm,
            services.complaint_sanction,
        ),
        Step(Stage.APPEAL, gettext_lazy("Record an appeal"), AppealForm, services.complaint_appeal),
        Step(
            Stage.CLOSED, gettext_lazy("Close the complaint"), CloseForm, services.complaint_close
        ),
    )
}


def next_actions(complaint: Complaint) -> list[Step]:
    """The steps the complaint may take from its stage, in the workflow's order."""
    allowed = services.COMPLAINT_TRANSITIONS[complaint.stage]
    return [step for stage, step in STEPS.items() if stage in allowed]


@staff_permission_required("complaints.view_complaint", "complaints.change_complaint")
def complaint_move(request: HttpRequest, public_id: str, stage: str) -> HttpResponse:
    complaint = complaint_or_404(request, public_id)
    step = STEPS.get(stage)
    if step is None:
        raise Http404
    context: dict[str, Any] = {"complaint": complaint, "step": step}
    if stage not in services.COMPLAINT_TRANSITIONS[complaint.stage]:
        context["refusal"] = services.TRANSITION_MESSAGE % {
            "current": complaint.get_stage_display(),
            "target": step.stage.label,
        }
        return page(request, "tenant/complaints/move.html", context, status=400)
    form = step.form(request.POST or None, complaint=complaint)
    if request.method == "POST" and form.is_valid():
        try:
            step.service(actor=request_staff(request), complaint=complaint, **form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request, _("The complaint is now “%(stage)s”.") % {"stage": step.stage.label}
            )
            return redirect("complaints:detail", public_id=complaint.public_id)
    context["form"] = form
    return page(request, "tenant/complaints/move.html", context, 400 if form.errors else 200)
