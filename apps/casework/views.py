"""Pages for attentions, cases and referrals. Thin: parse, check the permission, call one
service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.audit.models import AccessLogEntry
from apps.audit.services import access_record
from apps.casework.forms import (
    AttentionForm,
    CaseCloseForm,
    CaseNoteForm,
    CaseOpenForm,
    FollowUpForm,
    ReferralForm,
    ReferralTransitionForm,
)
from apps.casework.models import Case, FollowUpTask, Referral
from apps.casework.selectors import case_get, case_notes_visible_to, referral_get, referral_list
from apps.casework.services import (
    attention_record,
    case_close,
    case_note_add,
    case_open,
    follow_up_add,
    follow_up_complete,
    referral_send,
    referral_transition,
)
from apps.people.views import person_or_404
from apps.workspace.pages import service_errors_to_form, workspace_page

# What staff are told after each form of a case page (shown to them only, never logged).
_CASE_DONE = {
    "note": gettext_lazy("The note was added to the case of %(name)s."),
    "task": gettext_lazy("The follow-up task was added to the case of %(name)s."),
    "close": gettext_lazy("The case of %(name)s was closed."),
}


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    section = "referrals" if "referral" in template else "people"
    return workspace_page(request, template, context, section=section, status=status)


def _case(public_id: str) -> Case:
    case = case_get(public_id=public_id)
    if case is None:
        raise Http404
    return case


@staff_permission_required("casework.add_attention")
def attention_new(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_or_404(public_id)
    form = AttentionForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            attention_record(actor=request_staff(request), person=person, **form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("The attention of %(name)s was recorded.") % {"name": person.full_name},
            )
            return redirect("people:detail", public_id=person.public_id)
    return _page(
        request,
        "tenant/casework/form.html",
        {"form": form, "person": person, "title": _("Record an attention")},
        400 if form.errors else 200,
    )


@staff_permission_required("casework.add_case")
def case_new(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_or_404(public_id)
    form = CaseOpenForm(request.POST or None, initial={"caseworker": request.user.pk})
    if request.method == "POST" and form.is_valid():
        case = case_open(actor=request_staff(request), person=person, **form.cleaned_data)
        messages.success(request, _("A case was opened for %(name)s.") % {"name": person.full_name})
        return redirect("casework:case_detail", public_id=case.public_id)
    return _page(
        request,
        "tenant/casework/form.html",
        {"form": form, "person": person, "title": _("Open a case")},
        400 if form.errors else 200,
    )


@staff_permission_required("casework.view_case")
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    case = _case(public_id)
    access_record(
        user=request_staff(request),
        action=AccessLogEntry.Action.VIEW,
        object_type="case",
        object_id=str(case.public_id),
    )
    return _page(
        request,
        "tenant/casework/case_detail.html",
        {
            "case": case,
            "notes": case_notes_visible_to(user=request_staff(request), case=case),
            "note_form": CaseNoteForm(prefix="note"),
            "task_form": FollowUpForm(prefix="task"),
            "close_form": CaseCloseForm(prefix="close"),
        },
    )


@staff_permission_required("casework.change_case")
def case_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    """POST targets of the case page: add a note or a task, close the case."""
    case = _case(public_id)
    if request.method != "POST":
        return redirect("casework:case_detail", public_id=case.public_id)
    forms_by_action = {"note": CaseNoteForm, "task": FollowUpForm, "close": CaseCloseForm}
    if action not in forms_by_action:
        raise Http404
    form = forms_by_action[action](request.POST, prefix=action)
    if form.is_valid():
        try:
            if action == "note":
                case_note_add(actor=request_staff(request), case=case, **form.cleaned_data)
            elif action == "task":
                follow_up_add(actor=request_staff(request), case=case, **form.cleaned_data)
            else:
                case_close(
                    actor=request_staff(request),
                    case=case,
                    reason=form.cleaned_data["closing_reason"],
                )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _CASE_DONE[action] % {"name": case.person.full_name})
            return redirect("casework:case_detail", public_id=case.public_id)
    context = {
        "case": case,
        "notes": case_notes_visible_to(user=request_staff(request), case=case),
        "note_form": CaseNoteForm(prefix="note"),
        "task_form": FollowUpForm(prefix="task"),
        "close_form": CaseCloseForm(prefix="close"),
        f"{action}_form": form,
    }
    return _page(request, "tenant/casework/case_detail.html", context, status=400)


@staff_permission_required("casework.change_followuptask")
def task_complete(request: HttpRequest, task_id: int) -> HttpResponse:
    task = FollowUpTask.objects.select_related("case").filter(pk=task_id).first()
    if task is None:
        raise Http404
    if request.method == "POST":
        try:
            follow_up_complete(actor=request_staff(request), task=task)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("casework:case_detail", public_id=task.case.public_id)


@staff_permission_required("casework.add_referral")
def referral_new(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_or_404(public_id)
    form = ReferralForm(request.POST or None)
    if not request.user.has_perm("casework.override_referral_consent"):
        del form.fields["consent_override_reason"]
    if request.method == "POST" and form.is_valid():
        try:
            referral = referral_send(
                actor=request_staff(request), person=person, **form.cleaned_data
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was referred to %(partner)s.")
                % {"name": person.full_name, "partner": referral.partner.name},
            )
            return redirect("casework:referral_detail", public_id=referral.public_id)
    return _page(
        request,
        "tenant/casework/form.html",
        {"form": form, "person": person, "title": _("Refer to a partner")},
        400 if form.errors else 200,
    )


@staff_permission_required("casework.view_referral")
def referrals(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Referral.Status.values:
        status = ""
    page = Paginator(referral_list(status=status), 25).get_page(request.GET.get("page"))
    return _page(
        request,
        "tenant/casework/referrals.html",
        {
            "page": page,
            "status": status,
            "statuses": Referral.Status.choices,
            "query": f"status={status}" if status else "",
        },
    )


@staff_permission_required("casework.view_referral")
def referral_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    referral = referral_get(public_id=public_id)
    if referral is None:
        raise Http404
    if request.method == "GET":
        access_record(
            user=request_staff(request),
            action=AccessLogEntry.Action.VIEW,
            object_type="referral",
            object_id=str(referral.public_id),
        )
    form = ReferralTransitionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("casework.change_referral"):
            return _page(request, "403.html", {}, status=403)
        if form.is_valid():
            try:
                referral_transition(
                    actor=request_staff(request), referral=referral, **form.cleaned_data
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                referral.refresh_from_db(fields=["status"])
                messages.success(
                    request,
                    _("The referral of %(name)s is now “%(status)s”.")
                    % {"name": referral.person.full_name, "status": referral.get_status_display()},
                )
                return redirect("casework:referral_detail", public_id=referral.public_id)
    return _page(
        request,
        "tenant/casework/referral_detail.html",
        {"referral": referral, "form": form},
        400 if form.errors else 200,
    )
