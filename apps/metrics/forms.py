"""Choosing what the metrics pages show: indicator, period (months), districts, breakdown.

The forms read the query string (GET): a field left out takes its default, so a plain
link to the page shows the last 12 months of the first indicator.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.metrics.figures import month_count
from apps.metrics.indicators import INDICATORS, MAX_MONTHS, Indicator
from apps.metrics.labels import DIMENSION_LABELS, dimension_label
from tenants.models import District

MONTHS_OFFERED = 72  # how far back the month lists go
DEFAULT_MONTHS = 12

TO_BEFORE_FROM_MESSAGE = _("“To” must be the same month as “From” or a later one.")
TOO_MANY_MONTHS_MESSAGE = _(
    "Choose at most %(max)d months; from %(start)s to %(end)s there are %(count)d."
)
NOT_A_DIMENSION_MESSAGE = _(
    "“%(indicator)s” has no breakdown by “%(dimension)s”. Choose one of: %(choices)s."
)


def month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _month_value(month: date) -> str:
    return f"{month:%Y-%m}"


def _parse_month(value: str) -> date:
    year, month = (int(part) for part in value.split("-"))
    return date(year, month, 1)


class PeriodForm(forms.Form):
    """From and to months (first days of months), at most MAX_MONTHS apart."""

    period_from = forms.TypedChoiceField(label=_("From"), coerce=_parse_month)
    period_to = forms.TypedChoiceField(label=_("To"), coerce=_parse_month)

    def __init__(self, query: QueryDict, *, today: date, **kwargs: Any) -> None:
        data = query.copy()
        for name, value in self.defaults(today).items():
            if not data.get(name):
                data[name] = value
        super().__init__(data, **kwargs)
        self.query = data
        months = [month_start(today, back) for back in range(MONTHS_OFFERED - 1, -1, -1)]
        choices = [(_month_value(m), date_format(m, "YEAR_MONTH_FORMAT")) for m in months]
        for name in ("period_from", "period_to"):
            self.fields[name].choices = choices  # type: ignore[attr-defined]

    def query_string(self, *names: str) -> str:
        """These fields of the query (defaults filled in), for a link to another page."""
        query = QueryDict(mutable=True)
        for name in names:
            query.setlist(name, self.query.getlist(name))
        return query.urlencode()

    def defaults(self, today: date) -> dict[str, str]:
        return {
            "period_from": _month_value(month_start(today, DEFAULT_MONTHS - 1)),
            "period_to": _month_value(month_start(today)),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_from"), data.get("period_to")
        if start and end:
            if end < start:
                self.add_error("period_to", TO_BEFORE_FROM_MESSAGE)
            elif (count := month_count(start, end)) > MAX_MONTHS:
                self.add_error(
                    "period_from",
                    TOO_MANY_MONTHS_MESSAGE
                    % {
                        "max": MAX_MONTHS,
                        "start": date_format(start, "YEAR_MONTH_FORMAT"),
                        "end": date_format(end, "YEAR_MONTH_FORMAT"),
                        "count": count,
                    },
                )
        return data


class IndicatorForm(PeriodForm):
    """An indicator, and one of its breakdowns (blank: its first)."""

    indicator = forms.ChoiceField(
        label=_("Indicator"),
        choices=[(code, indicator.name) for code, indicator in INDICATORS.items()],
    )
    dimension = forms.ChoiceField(
        label=_("Break down by"),
        required=False,
        choices=[("", _("The indicator's main breakdown"))]
        + [(code, label) for code, label in DIMENSION_LABELS.items()],
    )

    field_order = ["indicator", "period_from", "period_to", "dimension"]

    def defaults(self, today: date) -> dict[str, str]:
        return {**super().defaults(today), "indicator": next(iter(INDICATORS))}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        indicator = INDICATORS.get(data.get("indicator", ""))
        if indicator is None:
            return data
        dimension = data.get("dimension") or indicator.dimensions[0]
        if dimension not in indicator.dimensions:
            self.add_error(
                "dimension",
                NOT_A_DIMENSION_MESSAGE
                % {
                    "indicator": indicator.name,
                    "dimension": dimension_label(dimension),
                    "choices": ", ".join(dimension_label(d) for d in indicator.dimensions),
                },
            )
        data["dimension"] = dimension
        return data

    @property
    def chosen_indicator(self) -> Indicator:
        return INDICATORS[self.cleaned_data["indicator"]]


class DistrictChoiceForm(PeriodForm):
    """Adds the districts to choose among (none ticked: every district)."""

    def __init__(self, query: QueryDict, *, today: date, districts: list[District]) -> None:
        super().__init__(query, today=today)
        self.fields["districts"] = forms.MultipleChoiceField(
            label=_("Districts"),
            required=False,
            help_text=_("Tick none for every district."),
            widget=forms.CheckboxSelectMultiple,
            choices=[(district.slug, _district_label(district)) for district in districts],
        )
        self._by_slug = {district.slug: district for district in districts}

    def chosen_districts(self) -> list[District]:
        return [self._by_slug[slug] for slug in self.cleaned_data["districts"]]


def _district_label(district: District) -> str:
    if district.status == District.Status.ARCHIVED:
        return f"{district.name} ({_('archived')})"
    return district.name


class JointMetricsForm(DistrictChoiceForm, IndicatorForm):
    """The secretariat's dashboard: indicator, period, districts and breakdown."""

    field_order = ["indicator", "period_from", "period_to", "dimension", "districts"]


class FiveWExportForm(DistrictChoiceForm):
    """The GTRM 5W export: a period and the districts."""


class DistrictFiguresForm(IndicatorForm):
    """A district's own figures: indicator, period and breakdown."""
