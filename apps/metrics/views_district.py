"""A district's own figures, in its workspace: its coordinators see its counts in full."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from apps.accounts.decorators import coordinator_required
from apps.metrics.dashboards import district_figures as own_figures
from apps.metrics.forms import DistrictFiguresForm
from apps.workspace.pages import workspace_page
from tenants.models import District


@coordinator_required
def district_figures(request: HttpRequest) -> HttpResponse:
    district: District = request.tenant  # type: ignore[attr-defined]
    form = DistrictFiguresForm(request.GET, today=timezone.localdate())
    figures = None
    if form.is_valid():
        figures = own_figures(
            district=district,
            indicator=form.chosen_indicator,
            period_from=form.cleaned_data["period_from"],
            period_to=form.cleaned_data["period_to"],
            dimension=form.cleaned_data["dimension"],
        )
    threshold = settings.METRICS_SUPPRESSION_THRESHOLD
    return workspace_page(
        request,
        "tenant/metrics/figures.html",
        {"form": form, "figures": figures, "largest_hidden": threshold - 1},
        section="figures",
    )
