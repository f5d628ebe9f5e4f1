"""The secretariat's agreements board: every agreement by status, target against actual,
and the secretariat's own correction of a status."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.decorators import request_staff, secretariat_required
from apps.forum import services
from apps.forum.forms import AgreementStatusForm
from apps.forum.models import Agreement
from apps.forum.selectors import agreement_progress_figures, agreements
from apps.forum.services import ForumActor
from apps.forum.views_public import post_only
from apps.workspace.pages import service_errors_to_form
from config.portal import portal_page

BOARD_FILTERS = [
    ("", gettext_lazy("All")),
    (Agreement.OVERDUE, gettext_lazy("Overdue")),
    *Agreement.Status.choices,
]


class AgreementRow:
    """An agreement with its figures (target against actual) and, on the board, its form."""

    def __init__(self, agreement: Agreement, figures: Any, form: Form | None = None) -> None:
        self.agreement = agreement
        self.figures = figures
        self.form = form
        self.latest_progress = list(agreement.progress.all())[:3]


def agreement_rows(
    items: list[Agreement], bound: dict[str, Form] | None = None, *, with_forms: bool = True
) -> list[AgreementRow]:
    """Rows for a list of agreements: one query for the figures of the whole list."""
    figures = agreement_progress_figures(items)
    bound = bound or {}
    rows = []
    for agreement in items:
        prefix = f"agreement-{agreement.pk}"
        form = None
        if with_forms:
            form = bound.get(prefix) or AgreementStatusForm(
                prefix=prefix, initial={"status": agreement.status}
            )
        rows.append(AgreementRow(agreement, figures.get(agreement.pk), form))
    return rows


def _board(request: HttpRequest, status: str, bound: dict[str, Form] | None = None) -> HttpResponse:
    items = list(agreements(status=status or None))
    return portal_page(
        request,
        "public/forum/agreements.html",
        {"rows": agreement_rows(items, bound), "status": status, "filters": BOARD_FILTERS},
        section="agreements",
        status=400 if bound else 200,
    )


def _status_filter(value: str | None) -> str:
    return value if value in {code for code, _label in BOARD_FILTERS} else ""


@secretariat_required
def agreements_board(request: HttpRequest) -> HttpResponse:
    return _board(request, _status_filter(request.GET.get("status")))


def _back_to_board(agreement_id: int) -> str:
    return f"{reverse('forum:agreements')}#agreement-{agreement_id}"


@secretariat_required
@post_only(_back_to_board)
def agreement_status(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """The secretariat corrects the status an agreement was left in."""
    agreement = agreements().filter(pk=agreement_id).first()
    if agreement is None:
        raise Http404
    prefix = f"agreement-{agreement.pk}"
    form = AgreementStatusForm(request.POST, prefix=prefix)
    shown = _status_filter(request.POST.get("shown_status"))
    if form.is_valid():
        try:
            services.agreement_status_set(
                actor=ForumActor.secretariat(request_staff(request)),
                agreement=agreement,
                **form.cleaned_data,
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The status of the agreement was corrected."))
            query = f"?status={shown}" if shown else ""
            return redirect(f"{reverse('forum:agreements')}{query}#{prefix}")
    return _board(request, shown, {prefix: form})
