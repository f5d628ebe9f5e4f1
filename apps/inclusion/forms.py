from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.inclusion.models import (
    STAGE_CHOICES,
    Entrepreneur,
    Event,
    FormalisationStatus,
    Training,
)
from apps.people.models import Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
PICK_PERSON_MESSAGE = _("Choose a registered person from the search results.")


class _PublicIdChoiceField(forms.ModelChoiceField):
    """A record by its public id; a malformed id is "not found" like any unknown one."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


def _person_field() -> forms.ModelChoiceField:
    """A person of this district's registry, by the public id the search results carry."""
    return _PublicIdChoiceField(
        label=_("Person"),
        queryset=Person.objects.all(),
        to_field_name="public_id",
        widget=forms.HiddenInput,
        error_messages={"required": PICK_PERSON_MESSAGE, "invalid_choice": PICK_PERSON_MESSAGE},
    )


class EntrepreneurFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name, document or phone"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    stage = forms.ChoiceField(
        label=_("Formalisation stage"),
        choices=[("", _("All stages")), *STAGE_CHOICES],
        required=False,
    )

    def values(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {"query": "", "stage": ""}
        return {"query": self.cleaned_data["q"], "stage": self.cleaned_data["stage"]}


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a registered person (name, document or phone)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class EntrepreneurRegisterForm(forms.Form):
    registered_on = forms.DateField(
        label=_("Registered as an entrepreneur on"), widget=DATE_WIDGET, initial=timezone.localdate
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = _person_field()


class BusinessForm(forms.Form):
    name = forms.CharField(label=_("Business name"), max_length=120)
    activity = forms.CharField(
        label=_("Activity"),
        max_length=120,
        help_text=_("What the business does, for example: sale of arepas, sewing, barbershop."),
    )
    ruc = forms.CharField(
        label=_("RUC"),
        max_length=20,
        required=False,
        help_text=_("11 digits. Leave it empty while the business is informal."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class BusinessNewForm(BusinessForm):
    status = forms.ChoiceField(
        label=_("Formalisation status today"),
        choices=FormalisationStatus.choices,
        initial=FormalisationStatus.INFORMAL,
    )
    since = forms.DateField(
        label=_("In this status since"), widget=DATE_WIDGET, initial=timezone.localdate
    )


class BusinessStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=FormalisationStatus.choices)
    since = forms.DateField(label=_("Since"), widget=DATE_WIDGET, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("For example: licence number or SUNAT regime."),
    )


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["title", "topic", "held_on", "starts_at", "place", "facilitator", "description"]
        widgets = {
            "held_on": DATE_WIDGET,
            "starts_at": TIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["kind", "title", "starts_on", "ends_on", "place", "stall_count", "description"]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "ends_on": _("Only for events of more than one day."),
            "stall_count": _("Stalls to give to entrepreneurs (0 if none)."),
        }


class StallForm(forms.Form):
    entrepreneur = forms.ModelChoiceField(
        label=_("Entrepreneur"),
        queryset=Entrepreneur.objects.select_related("person"),
        error_messages={"invalid_choice": _("Choose a registered entrepreneur.")},
    )
    stall_number = forms.IntegerField(label=_("Stall number"), min_value=1, max_value=32767)


class AttendanceForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = _person_field()
