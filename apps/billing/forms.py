from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.billing.models import Plan


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Plan) -> str:
        if obj.user_seats is None:
            return _("%(plan)s (no limit of users)") % {"plan": obj.name}
        return _("%(plan)s (up to %(seats)s users)") % {"plan": obj.name, "seats": obj.user_seats}


class PlanChoiceForm(forms.Form):
    plan = PlanChoiceField(
        label=gettext_lazy("Plan"),
        queryset=Plan.objects.filter(is_offered=True),
        to_field_name="code",
        empty_label=None,
        widget=forms.RadioSelect,
    )
