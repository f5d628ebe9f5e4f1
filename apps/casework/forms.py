from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import DistrictRole
from apps.casework.models import Case, Channel, Referral
from apps.catalogue.models import Partner, ServiceType
from apps.people.models import Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _caseworkers() -> forms.ModelChoiceField:
    staff = (
        get_user_model()
        .objects.filter(
            is_active=True, groups__name__in=[DistrictRole.CASEWORKER, DistrictRole.COORDINATOR]
        )
        .distinct()
        .order_by("username")
    )
    return forms.ModelChoiceField(label=_("Caseworker"), queryset=staff)


class AttentionForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    service_types = forms.ModelMultipleChoiceField(
        label=_("Services given"),
        queryset=ServiceType.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    next_follow_up_on = forms.DateField(
        label=_("Next follow-up"), widget=DATE_WIDGET, required=False
    )
    case = forms.ModelChoiceField(
        label=_("Part of the case"), queryset=Case.objects.none(), required=False
    )

    def __init__(self, *args: object, person: Person, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["case"].queryset = person.cases.filter(status=Case.Status.OPEN)  # type: ignore[attr-defined]


class CaseOpenForm(forms.Form):
    plan = forms.CharField(
        label=_("Support plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["caseworker"] = _caseworkers()
        self.order_fields(["caseworker", "plan"])


class CaseCloseForm(forms.Form):
    closing_reason = forms.ChoiceField(
        label=_("Why is it closed?"), choices=Case.ClosingReason.choices
    )


class CaseNoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    is_sensitive = forms.BooleanField(
        label=_("Sensitive (protection, GBV): only the coordinator and the caseworker see it"),
        required=False,
    )


class FollowUpForm(forms.Form):
    description = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DATE_WIDGET)


class ReferralForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Refer to"), queryset=Partner.objects.filter(is_active=True)
    )
    service_type = forms.ModelChoiceField(
        label=_("Service"), queryset=ServiceType.objects.filter(is_active=True), required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    shares_personal_data = forms.BooleanField(
        label=_("Share the person's data with the partner"), required=False, initial=True
    )
    consent_override_reason = forms.CharField(
        label=_("Coordinators only: reason to send without the person's consent"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ReferralTransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=Referral.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
