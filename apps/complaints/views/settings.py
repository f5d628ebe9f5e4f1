"""The ordinance's tables a district keeps: protected grounds, sanctions, stage deadlines."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.complaints.models import Ground, SanctionRule
from apps.complaints.selectors import stage_deadlines
from apps.complaints.settings_forms import DeadlinesForm, GroundForm, SanctionRuleForm
from apps.complaints.settings_services import (
    ground_add,
    ground_set_active,
    sanction_rule_save,
    stage_deadlines_update,
)
from apps.complaints.views.common import page
from apps.workspace.pages import service_errors_to_form
from apps.workspace.versioning import (
    RecordChangedError,
    carry_version,
    edit_conflict,
    loaded_version,
)


def _settings_page(request: HttpRequest, status: int = 200, **forms: BaseForm) -> HttpResponse:
    context: dict[str, Any] = {
        "grounds": Ground.objects.all(),
        "rules": SanctionRule.objects.all(),
        "deadlines_form": DeadlinesForm(deadlines=stage_deadlines(), prefix="days"),
        "ground_form": GroundForm(prefix="ground"),
        **forms,
    }
    return page(request, "tenant/complaints/settings.html", context, status)


@staff_permission_required("complaints.view_stagedeadline", "complaints.view_sanctionrule")
def settings_page(request: HttpRequest) -> HttpResponse:
    return _settings_page(request)


@staff_permission_required("complaints.change_stagedeadline")
def deadlines_update(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("complaints:settings")
    form = DeadlinesForm(request.POST, deadlines=stage_deadlines(), prefix="days")
    if form.is_valid():
        try:
            stage_deadlines_update(actor=request_staff(request), days=form.days())
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The deadlines were saved."))
            return redirect("complaints:settings")
    return _settings_page(request, 400, deadlines_form=form)


@staff_permission_required("complaints.add_ground")
def ground_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("complaints:settings")
    form = GroundForm(request.POST, prefix="ground")
    if form.is_valid():
        try:
            ground_add(actor=request_staff(request), **form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The ground was added."))
            return redirect("complaints:settings")
    return _settings_page(request, 400, ground_form=form)


@staff_permission_required("complaints.change_ground")
def ground_toggle(request: HttpRequest, ground_id: int) -> HttpResponse:
    ground = Ground.objects.filter(pk=ground_id).first()
    if ground is None:
        raise Http404
    if request.method == "POST":
        try:
            ground_set_active(
                actor=request_staff(request), ground=ground, is_active=not ground.is_active
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                (
                    _("The ground “%(name)s” can be chosen again in new complaints.")
                    if not ground.is_active
                    else _("The ground “%(name)s” is no longer offered in new complaints.")
                )
                % {"name": ground.name},
            )
    return redirect("complaints:settings")


@staff_permission_required("complaints.view_sanctionrule")
def sanction_rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    rule = None
    if rule_id is not None:
        rule = SanctionRule.objects.filter(pk=rule_id).first()
        if rule is None:
            raise Http404
    needed = "complaints.change_sanctionrule" if rule else "complaints.add_sanctionrule"
    if not request.user.has_perm(needed):
        raise PermissionDenied
    form = _sanction_rule_form(request.POST or None, rule)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            version = loaded_version(form) if rule is not None else None
            sanction_rule_save(
                actor=request_staff(request),
                values=form.rule_input(),
                rule=rule,
                expected_version=version,
            )
        except RecordChangedError as changed:
            rule = SanctionRule.objects.filter(pk=rule_id or 0).first()
            if rule is None:
                raise Http404 from changed
            current = _sanction_rule_form(None, rule)
            form, conflict = edit_conflict(form, current, changed)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The sanction table was saved."))
            return redirect("complaints:settings")
    return page(
        request,
        "tenant/complaints/sanction_rule_form.html",
        {"form": form, "rule": rule, "edit_conflict": conflict},
        409 if conflict is not None else 400 if form.errors else 200,
    )


def _sanction_rule_form(data: QueryDict | None, rule: SanctionRule | None) -> SanctionRuleForm:
    """A new line, or ``rule`` with the version the form is loaded with."""
    if rule is None:
        return SanctionRuleForm(data)
    initial = {name: getattr(rule, name) for name in SanctionRuleForm.base_fields}
    form = SanctionRuleForm(data, initial=initial)
    carry_version(form, rule)
    return form
