"""Forms of the forum pages. They parse input only: the rules live in apps/forum/services.py,
whose refusals the views put next to these forms' fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.forum.models import AgendaItem, Agreement, ForumSession, SessionParticipant
from apps.metrics.indicators import INDICATORS
from tenants.models import District

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _districts() -> Any:
    return District.objects.exclude(status=District.Status.ARCHIVED).order_by("name")


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    starts_at = forms.TimeField(label=_("Start time"), widget=TIME_WIDGET, required=False)
    place = forms.CharField(label=_("Place"), max_length=200)
    host_district = forms.ModelChoiceField(
        label=_("Host district"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("No host district"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host_district"].queryset = _districts()  # type: ignore[attr-defined]


class SessionUpdateForm(SessionForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ForumSession.Status.choices,
        help_text=_("Draft → convened → held → minutes approved."),
    )

    @classmethod
    def for_session(cls, session: ForumSession, **kwargs: Any) -> SessionUpdateForm:
        initial = {
            "held_on": session.held_on,
            "starts_at": session.starts_at,
            "place": session.place,
            "host_district": session.host_district_id,
            "status": session.status,
        }
        return cls(initial=initial, **kwargs)


class AgendaItemForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=_("Under the item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("None: a main item"),
        help_text=_("Choose an item to add a sub-item to it."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    planned_minutes = forms.IntegerField(
        label=_("Planned duration (minutes)"), min_value=1, max_value=600, initial=15
    )

    def __init__(self, *args: Any, session: ForumSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = AgendaItem.objects.filter(  # type: ignore[attr-defined]
            session=session, parent__isnull=True
        ).order_by("position", "id")


class AgendaDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (AgendaItem.Status.ACCEPTED, _("Accept")),
            (AgendaItem.Status.DEFERRED, _("Defer")),
            (AgendaItem.Status.DISCUSSED, _("Mark as discussed")),
        ],
    )
    note = forms.CharField(label=_("Note on the decision"), max_length=300, required=False)


class AgendaMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])

    @property
    def offset(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1


class ParticipantForm(forms.Form):
    kind = forms.ChoiceField(label=_("Taking part as"), choices=SessionParticipant.Kind.choices)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("For a mayor or a district delegate."),
    )
    organisation = forms.CharField(
        label=_("Partner organisation"),
        max_length=120,
        required=False,
        help_text=_("For a GTRM partner, e.g. ACNUR or OIM."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = _districts()  # type: ignore[attr-defined]


def _attended(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        label=_("Attendance"),
        choices=[("", _("Not recorded")), ("yes", _("Attended")), ("no", _("Absent"))],
        coerce=_attended,
        empty_value=None,
        required=False,
    )


class MinutesForm(forms.Form):
    body = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 12}))
    change_note = forms.CharField(
        label=_("What changed"),
        max_length=200,
        required=False,
        help_text=_("For a new version: what it corrects or adds."),
    )


def _partner_names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


class AgreementForm(forms.Form):
    text = forms.CharField(label=_("Agreement"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_districts = forms.ModelMultipleChoiceField(
        label=_("Responsible districts"),
        queryset=District.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    responsible_partners = forms.CharField(
        label=_("Responsible partners"),
        max_length=600,
        required=False,
        help_text=_("Separated by commas, e.g. ACNUR, OIM."),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_WIDGET, required=False)
    indicator = forms.ChoiceField(
        label=_("Indicator"),
        required=False,
        help_text=_("Progress is then read from the joint metrics, target against actual."),
    )
    target = forms.IntegerField(label=_("Target"), min_value=0, required=False)
    baseline_from = forms.DateField(
        label=_("Baseline from"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("The period before the agreement to compare with; counted in whole months."),
    )
    baseline_to = forms.DateField(label=_("Baseline to"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_districts"].queryset = _districts()  # type: ignore[attr-defined]
        self.fields["indicator"].choices = [  # type: ignore[attr-defined]
            ("", _("No indicator")),
            *((code, indicator.name) for code, indicator in INDICATORS.items()),
        ]

    def clean_responsible_partners(self) -> list[str]:
        return _partner_names(self.cleaned_data["responsible_partners"])

    def clean_responsible_districts(self) -> list[District]:
        return list(self.cleaned_data["responsible_districts"])


class AgreementStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Agreement.Status.choices)


# ---------------------------------------------------------------------------- districts
class ProposalForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=ForumSession.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Why the forum should discuss it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    planned_minutes = forms.IntegerField(
        label=_("Time needed (minutes)"), min_value=1, max_value=600, initial=15
    )

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["session"]
        field.queryset = sessions  # type: ignore[attr-defined]
        field.label_from_instance = _session_label  # type: ignore[attr-defined]


def _session_label(session: ForumSession) -> str:
    return gettext("Session %(number)s of %(date)s") % {
        "number": session.number,
        "date": date_format(session.held_on, "SHORT_DATE_FORMAT"),
    }


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status now"), choices=Agreement.Status.choices)
    note = forms.CharField(
        label=_("Progress"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the district did, in figures where possible. No personal data."),
    )
