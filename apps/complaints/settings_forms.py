"""Forms of the ordinance's tables (grounds, sanctions, stage deadlines)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.complaints.models import Offence, Stage
from apps.complaints.settings_services import MAX_DEADLINE_DAYS, SanctionRuleInput


class DeadlinesForm(forms.Form):
    """One number of days per open stage."""

    def __init__(self, *args: Any, deadlines: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for stage, label in Stage.choices:
            if stage in deadlines:
                self.fields[stage] = forms.IntegerField(
                    label=label,
                    min_value=1,
                    max_value=MAX_DEADLINE_DAYS,
                    initial=deadlines[stage],
                )

    def days(self) -> dict[str, int]:
        return {stage: int(value) for stage, value in self.cleaned_data.items()}


class GroundForm(forms.Form):
    name_es = forms.CharField(label=_("Name (Spanish)"), max_length=160)
    name_en = forms.CharField(label=_("Name (English)"), max_length=160)


class SanctionRuleForm(forms.Form):
    name_es = forms.CharField(label=_("Name (Spanish)"), max_length=160)
    name_en = forms.CharField(label=_("Name (English)"), max_length=160)
    offence = forms.ChoiceField(label=_("Applies to"), choices=Offence.choices)
    fine_uit_fraction = forms.DecimalField(
        label=_("Fine (fraction of a UIT)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal("0"),
        help_text=_("0.50 is half a UIT (tax unit); 0 for no fine."),
    )
    closure_days = forms.IntegerField(
        label=_("Temporary closure (days)"), min_value=1, max_value=3650, required=False
    )
    definitive_closure = forms.BooleanField(label=_("Definitive closure"), required=False)
    licence_revocation = forms.BooleanField(label=_("Licence revocation"), required=False)
    is_active = forms.BooleanField(label=_("In force"), required=False, initial=True)

    def rule_input(self) -> SanctionRuleInput:
        return SanctionRuleInput(**self.cleaned_data)
