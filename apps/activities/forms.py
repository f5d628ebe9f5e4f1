from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.activities.models import PartnerActivity
from apps.catalogue.models import Partner
from apps.metrics.forms import month_start

MONTHS_OFFERED = 24


def _month_choices(today: date) -> list[tuple[str, str]]:
    months = [month_start(today, back) for back in range(MONTHS_OFFERED)]
    return [(f"{m:%Y-%m}", date_format(m, "YEAR_MONTH_FORMAT")) for m in months]


def _parse_month(value: str) -> date:
    year, month = (int(part) for part in value.split("-"))
    return date(year, month, 1)


class PartnerActivityForm(forms.ModelForm):
    """A 5W row as the office types it; the service validates the figures together."""

    month = forms.TypedChoiceField(label=_("Month"), coerce=_parse_month)
    appealing_partner = forms.ModelChoiceField(
        label=_("Appealing organisation"), queryset=Partner.objects.filter(is_active=True)
    )
    implementing_partner = forms.ModelChoiceField(
        label=_("Implementing partner"),
        queryset=Partner.objects.filter(is_active=True),
        required=False,
        empty_label=_("The municipality itself"),
    )

    class Meta:
        model = PartnerActivity
        fields = [
            "month",
            "appealing_partner",
            "implementing_partner",
            "sector",
            "sub_sector",
            "indicator",
            "activity",
            "ubigeo",
            "population_group",
            "girls",
            "boys",
            "women",
            "men",
            "other",
            "new_beneficiaries",
            "with_disability",
            "lgbtiq",
            "indigenous",
            "cash_assistance",
            "cash_value",
        ]

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = _month_choices(today)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["month"] = f"{self.instance.month:%Y-%m}"
        for name in ("girls", "boys", "women", "men", "other"):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})

    def _post_clean(self) -> None:
        # The service validates and saves; the form only parses what was typed.
        pass
