"""Staff forms: intake, workflow steps, establishments and signage inspections. Forms check
fields; the services check the rules (their messages go next to the same field names)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.complaints.models import (
    AppealOutcome,
    Channel,
    Complaint,
    Establishment,
    Ground,
    Offence,
    SanctionRule,
    Stage,
)
from apps.complaints.selectors import (
    ComplaintFilters,
    establishment_offence_level,
    inspectors,
    sanction_rules_for,
)
from apps.complaints.services import ComplaintIntake
from apps.people.models import Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NARRATIVE_MAX_LENGTH = 10_000


def _text(label: Any, rows: int = 3, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required,
        max_length=kwargs.pop("max_length", 4000),
        **kwargs,
    )


def _grounds_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Protected grounds"),
        queryset=Ground.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the service says "choose at least one" next to the field
    )


class ComplaintFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Establishment, place, complainant's name or tracking code."),
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All")), *Stage.choices], required=False
    )
    ground = forms.ChoiceField(label=_("Protected ground"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *((g.code, g.name) for g in Ground.objects.all()),
        ]

    def filters(self) -> ComplaintFilters:
        if not self.is_bound or not self.is_valid():
            return ComplaintFilters()
        data = self.cleaned_data
        return ComplaintFilters(
            query=data["q"], stage=data["stage"], ground=data["ground"], overdue=data["overdue"]
        )


class IntakeForm(forms.Form):
    """A complaint taken by staff (in person, third party, writing, verbal, online)."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    received_on = forms.DateField(
        label=_("Received on"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonymous: keep no name or contact of the complainant"), required=False
    )
    complainant = forms.UUIDField(required=False, widget=forms.HiddenInput)
    complainant_name = forms.CharField(
        label=_("Complainant's name (when not registered)"), max_length=120, required=False
    )
    complainant_contact = forms.CharField(
        label=_("Complainant's phone or e-mail"), max_length=120, required=False
    )
    establishment = forms.ModelChoiceField(
        label=_("Establishment (from the registry)"),
        queryset=Establishment.objects.all(),
        required=False,
    )
    place_description = forms.CharField(
        label=_("Where it happened"),
        max_length=200,
        required=False,
        help_text=_("Name and address of the place, as the complainant gives them."),
    )
    occurred_on = forms.DateField(label=_("Date of the facts"), widget=DATE_WIDGET, required=False)
    narrative = _text(
        _("What happened"),
        rows=8,
        max_length=NARRATIVE_MAX_LENGTH,
        help_text=_("Confidential: only the complaints officer and the coordinator read it."),
    )

    def __init__(
        self, *args: Any, person: Person | None = None, with_registry: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["grounds"] = _grounds_field()
        if not with_registry:
            del self.fields["establishment"]
        self.order_fields(
            [
                "channel",
                "received_on",
                "is_anonymous",
                "complainant_name",
                "complainant_contact",
                "establishment",
                "place_description",
                "occurred_on",
                "grounds",
                "narrative",
            ]
        )

    def intake(self) -> ComplaintIntake:
        data = self.cleaned_data
        return ComplaintIntake(
            channel=data["channel"],
            received_on=data["received_on"],
            occurred_on=data.get("occurred_on"),
            is_anonymous=data["is_anonymous"],
            complainant=self.person,
            complainant_name=data["complainant_name"],
            complainant_contact=data["complainant_contact"],
            establishment=data.get("establishment"),
            place_description=data["place_description"],
            grounds=list(data["grounds"]),
            narrative=data["narrative"],
        )


# ---------------------------------------------------------------------------- workflow steps


class StepForm(forms.Form):
    """The form of one workflow step; it may adapt its fields to the complaint."""

    def __init__(self, *args: Any, complaint: Complaint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        self.adapt(complaint)

    def adapt(self, complaint: Complaint) -> None:
        """Add or drop fields for this complaint (nothing by default)."""


class AdmitForm(StepForm):
    on = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
    establishment = forms.ModelChoiceField(
        label=_("Establishment concerned"), queryset=Establishment.objects.all(), required=False
    )
    note = _text(_("Note"), rows=2)

    def adapt(self, complaint: Complaint) -> None:
        if complaint.establishment_id:
            del self.fields["establishment"]


class DismissForm(StepForm):
    on = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = _text(_("Reason for dismissal"))


class InspectForm(StepForm):
    inspected_on = forms.DateField(
        label=_("Inspected on"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    establishment = forms.ModelChoiceField(
        label=_("Establishment inspected"), queryset=Establishment.objects.all(), required=False
    )
    findings = _text(_("Findings"), rows=5)

    def adapt(self, complaint: Complaint) -> None:
        self.fields["inspector"] = forms.ModelChoiceField(
            label=_("Inspector"), queryset=inspectors(), required=False
        )
        self.order_fields(["inspected_on", "inspector", "establishment", "findings"])
        if complaint.establishment_id:
            del self.fields["establishment"]


class InfractionReportForm(StepForm):
    on = forms.DateField(
        label=_("Date of the report"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    number = forms.CharField(label=_("Report number"), max_length=40, required=False)
    description = _text(_("Infraction"), rows=4)


class SanctionForm(StepForm):
    on = forms.DateField(label=_("Imposed on"), widget=DATE_WIDGET, initial=timezone.localdate)
    resolution_number = forms.CharField(label=_("Resolution number"), max_length=40, required=False)

    def adapt(self, complaint: Complaint) -> None:
        self.level = (
            establishment_offence_level(complaint.establishment)
            if complaint.establishment
            else Offence.FIRST
        )
        self.fields["rule"] = forms.ModelChoiceField(
            label=_("Sanction (from the ordinance's table)"),
            queryset=SanctionRule.objects.filter(is_active=True),
            initial=sanction_rules_for(self.level).first(),
        )
        self.order_fields(["rule", "on", "resolution_number"])


class AppealForm(StepForm):
    filed_on = forms.DateField(
        label=_("Appeal filed on"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    grounds = _text(_("Grounds of the appeal"), rows=4)


class CloseForm(StepForm):
    on = forms.DateField(label=_("Closed on"), widget=DATE_WIDGET, initial=timezone.localdate)
    appeal_outcome = forms.ChoiceField(
        label=_("Outcome of the appeal"),
        choices=[("", "—"), *AppealOutcome.choices],
        required=False,
    )
    note = _text(_("How the complaint ends"))

    def adapt(self, complaint: Complaint) -> None:
        if complaint.stage != Stage.APPEAL:
            del self.fields["appeal_outcome"]


# ---------------------------------------------------------------------------- establishments


class EstablishmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    address = forms.CharField(label=_("Address"), max_length=200)
    licence_number = forms.CharField(
        label=_("Operating licence number"), max_length=60, required=False
    )
    activity = forms.CharField(
        label=_("Activity"),
        max_length=120,
        required=False,
        help_text=_("Restaurant, disco, shop, transport…"),
    )


class EstablishmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sanctioned = forms.BooleanField(label=_("Sanctioned before"), required=False)


class SignageInspectionForm(forms.Form):
    inspected_on = forms.DateField(
        label=_("Inspected on"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    sign_displayed = forms.BooleanField(
        label=_("The “discrimination is prohibited” sign is displayed where it can be seen"),
        required=False,
    )
    banned_phrase_found = forms.BooleanField(
        label=_("A banned phrase was found (e.g. “nos reservamos el derecho de admisión”)"),
        required=False,
    )
    banned_phrases = _text(_("Banned phrases seen"), rows=2)
    notes = _text(_("Notes"), rows=2)
