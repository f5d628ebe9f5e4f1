"""The public complaint form (no login) and the tracking form."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from apps.complaints.models import Channel, Ground
from apps.complaints.services import ComplaintIntake
from apps.complaints.spam import HONEYPOT_MESSAGE, fill_time_problem, form_started_token

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NARRATIVE_MIN_LENGTH = 20
NARRATIVE_MAX_LENGTH = 5_000
_LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)

LINKS_MESSAGE = _(
    "Links are not accepted (they are how spam arrives). Describe what happened in words; "
    "bring photos or documents to the office."
)
SHORT_NARRATIVE_MESSAGE = _(
    "Tell us a little more (at least %(min)d characters): what happened, where and when."
)
PRIVACY_MESSAGE = _("Tick this box so the office may use your data to handle the complaint.")


class PublicReportForm(forms.Form):
    is_anonymous = forms.BooleanField(
        label=_("I want to complain anonymously (no name, no contact)"), required=False
    )
    complainant_name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    complainant_contact = forms.CharField(
        label=_("Your phone or e-mail"),
        max_length=120,
        required=False,
        help_text=_("Optional: so the office can ask you for details."),
    )
    place_description = forms.CharField(
        label=_("Where did it happen?"),
        max_length=200,
        help_text=_("Name and address of the establishment or place."),
        error_messages={"required": _("Tell us where it happened.")},
    )
    occurred_on = forms.DateField(
        label=_("When did it happen?"), widget=DATE_WIDGET, required=False
    )
    narrative = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=NARRATIVE_MAX_LENGTH,
        error_messages={"required": _("Describe what happened.")},
    )
    accepts_privacy = forms.BooleanField(
        label=_(
            "I agree that the municipality uses this information only to handle my complaint "
            "(Law 29733 on personal data protection)."
        ),
        error_messages={"required": PRIVACY_MESSAGE},
    )
    # Left empty by people (hidden from sight and from screen readers); bots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    # Checked in clean(), so that its refusal is a message people see at the top.
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grounds"] = forms.ModelMultipleChoiceField(
            label=_("Why do you think you were discriminated against?"),
            queryset=Ground.objects.filter(is_active=True),
            widget=forms.CheckboxSelectMultiple,
            required=False,  # the service says "choose at least one" next to the field
        )
        self.order_fields(
            [
                "is_anonymous",
                "complainant_name",
                "complainant_contact",
                "place_description",
                "occurred_on",
                "grounds",
                "narrative",
                "accepts_privacy",
            ]
        )
        if not self.is_bound:
            self.fields["started"].initial = form_started_token()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_narrative(self) -> str:
        narrative: str = self.cleaned_data["narrative"].strip()
        if _LINK.search(narrative):
            raise forms.ValidationError(LINKS_MESSAGE, code="links")
        if len(narrative) < NARRATIVE_MIN_LENGTH:
            raise forms.ValidationError(
                SHORT_NARRATIVE_MESSAGE, code="short", params={"min": NARRATIVE_MIN_LENGTH}
            )
        return narrative

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            raise forms.ValidationError(HONEYPOT_MESSAGE, code="honeypot")
        problem = fill_time_problem(self.data.get("started", ""))
        if problem:
            raise forms.ValidationError(problem, code="fill_time")
        return cleaned

    def renew_token(self) -> None:
        """Show the form again with a fresh timestamp (after an error)."""
        if isinstance(self.data, QueryDict):
            data = self.data.copy()
            data["started"] = form_started_token()
            self.data = data

    def intake(self) -> ComplaintIntake:
        data = self.cleaned_data
        return ComplaintIntake(
            channel=Channel.ONLINE,
            is_anonymous=data["is_anonymous"],
            complainant_name=data["complainant_name"],
            complainant_contact=data["complainant_contact"],
            place_description=data["place_description"],
            occurred_on=data.get("occurred_on"),
            grounds=list(data["grounds"]),
            narrative=data["narrative"],
        )


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        help_text=_("The code you were given when you filed the complaint, e.g. DEN-ABCDE-FGHJK."),
    )
