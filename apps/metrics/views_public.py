"""Joint metrics in the secretariat's portal (platform host): dashboard and 5W export.

Every figure is read through ``joint_metrics``, so small counts are hidden here as in
the API.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from apps.accounts.decorators import secretariat_required
from apps.metrics.dashboards import joint_figures
from apps.metrics.exports import (
    FIVE_W_ACTIVITIES,
    five_w_csv,
    five_w_filename,
    five_w_rows,
    five_w_xlsx,
)
from apps.metrics.fivew_layout import XLSX_CONTENT_TYPE
from apps.metrics.forms import FiveWExportForm, JointMetricsForm
from apps.metrics.indicators import INDICATORS
from apps.metrics.selectors import metric_districts, metrics_published
from config.downloads import download_token_echo
from config.portal import portal_page
from tenants.models import District


def _suppression(context: dict[str, object]) -> dict[str, object]:
    threshold = settings.METRICS_SUPPRESSION_THRESHOLD
    return {**context, "threshold": threshold, "largest_hidden": threshold - 1}


@secretariat_required
def dashboard(request: HttpRequest) -> HttpResponse:
    districts = metric_districts()
    form = JointMetricsForm(request.GET, today=timezone.localdate(), districts=districts)
    published = metrics_published()
    figures = None
    if published and form.is_valid():
        figures = joint_figures(
            indicator=form.chosen_indicator,
            period_from=form.cleaned_data["period_from"],
            period_to=form.cleaned_data["period_to"],
            districts=form.chosen_districts(),
            dimension=form.cleaned_data["dimension"],
            every_district=districts,
        )
    return portal_page(
        request,
        "public/metrics/dashboard.html",
        _suppression(
            {
                "form": form,
                "published": published,
                "figures": figures,
                "export_query": form.query_string("period_from", "period_to", "districts"),
            }
        ),
        section="metrics",
    )


@secretariat_required
def export(request: HttpRequest) -> HttpResponseBase:
    districts = metric_districts()
    form = FiveWExportForm(request.GET, today=timezone.localdate(), districts=districts)
    file_format = request.GET.get("format")
    if file_format is not None and file_format not in {"csv", "xlsx"}:
        return HttpResponseBadRequest("Unknown file format: ask for csv or xlsx.")
    if file_format and form.is_valid():
        return download_token_echo(request, _five_w_file(form, districts, csv=file_format == "csv"))
    return portal_page(
        request,
        "public/metrics/export.html",
        _suppression(
            {
                "form": form,
                "published": metrics_published(),
                "activities": [
                    (INDICATORS[code], activity) for code, activity in FIVE_W_ACTIVITIES.items()
                ],
            }
        ),
        section="export",
    )


def _five_w_file(
    form: FiveWExportForm, districts: list[District], *, csv: bool
) -> HttpResponseBase:
    """The file: CSV streamed line by line; XLSX written at once (a zip cannot stream)."""
    period_from, period_to = form.cleaned_data["period_from"], form.cleaned_data["period_to"]
    rows = five_w_rows(
        period_from=period_from,
        period_to=period_to,
        districts=form.chosen_districts(),
        every_district=districts,
    )
    response: HttpResponseBase
    if csv:
        response = StreamingHttpResponse(five_w_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        content = five_w_xlsx(rows, period_from=period_from, period_to=period_to)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = five_w_filename(period_from, period_to, "csv" if csv else "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
