"""Forms of the forum pages. They parse input, and run the services' personal-data
screening and date-range check in ``clean()`` so that those errors come together with the
others; the rules live in apps/forum/services.py, whose refusals the views put next to
these forms' fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.forum import services
from apps.forum.models import AgendaItem, Agreement, ForumSession, SessionParticipant
from apps.metrics.indicators import INDICATORS
from tenants.models import District

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _districts() -> Any:
    return District.objects.exclude(status=District.Status.ARCHIVED).order_by("name")


class ScreenedForm(forms.Form):
    """A form whose free texts are screened for personal data and whose dates are checked
    for range, as the services do, so that these errors come with the form's own."""

    screened_fields: tuple[str, ...] = ()
    dated_fields: tuple[str, ...] = ()

    def screened_texts(self) -> dict[str, str]:
        return {
            name: value
            for name in self.screened_fields
            if isinstance(value := self.cleaned_data.get(name), str)
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        dates = {name: self.cleaned_data.get(name) for name in self.dated_fields}
        problems = {
            **services.personal_data_errors(**self.screened_texts()),
            **services.date_errors(**dates),
        }
        for field, errors in problems.items():
            self.add_error(field, errors)
        return cleaned


class SessionForm(ScreenedForm):
    screened_fields = ("place",)
    dated_fields = ("held_on",)
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


class AgendaItemForm(ScreenedForm):
    screened_fields = ("title", "description")
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
        label=_("Planned duration (minutes)"),
        min_value=1,
        max_value=services.PLANNED_MINUTES_MAX,
        initial=15,
    )

    def __init__(self, *args: Any, session: ForumSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = AgendaItem.objects.filter(  # type: ignore[attr-defined]
            session=session, parent__isnull=True
        ).order_by("position", "id")


DECISION_LABELS: dict[str, Promise] = {
    AgendaItem.Status.ACCEPTED: _("Accept"),
    AgendaItem.Status.DEFERRED: _("Defer"),
    AgendaItem.Status.DISCUSSED: _("Mark as discussed"),
}


class AgendaDecisionForm(ScreenedForm):
    """Only the decisions open on the item now (``services.agenda_decisions_allowed``),
    none chosen in advance. ``current`` carries the status the person saw, so a decision
    taken by someone else in the meantime is noticed instead of overwritten."""

    screened_fields = ("note",)
    current = forms.CharField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label=_("Decision"))
    note = forms.CharField(label=_("Note on the decision"), max_length=300, required=False)

    def __init__(self, *args: Any, item: AgendaItem, session: ForumSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        self.decisions = services.agenda_decisions_allowed(item=item, session=session)
        field = self.fields["status"]
        field.choices = [  # type: ignore[attr-defined]
            ("", _("Choose a decision")),
            *((status, DECISION_LABELS[status]) for status in self.decisions),
        ]
        field.error_messages["invalid_choice"] = gettext(
            "This decision is not open for an item that is “%(current)s”."
        ) % {"current": item.get_status_display()}
        self.fields["current"].initial = item.status

    @property
    def stale(self) -> bool:
        """Whether the item changed since the page that sent this form was shown."""
        seen = self.data.get(self.add_prefix("current")) if self.is_bound else None
        return bool(seen) and seen != self.item.status


class AgendaMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])

    @property
    def offset(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1


class ParticipantForm(ScreenedForm):
    screened_fields = ("organisation",)
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


class MinutesForm(ScreenedForm):
    screened_fields = ("body", "change_note")
    body = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 12}))
    change_note = forms.CharField(
        label=_("What changed"),
        max_length=200,
        required=False,
        help_text=_("For a new version: what it corrects or adds."),
    )


class AgreementForm(ScreenedForm):
    screened_fields = ("text",)
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
    target = forms.IntegerField(
        label=_("Target"),
        min_value=0,
        required=False,
        help_text=_(
            "For people served, counted per month, the target is a number of people per month."
        ),
    )
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
        names = services.partner_names(self.cleaned_data["responsible_partners"].split(","))
        if errors := services.partner_name_errors(names):
            raise forms.ValidationError(errors)
        return names

    def screened_texts(self) -> dict[str, str]:
        texts = super().screened_texts()
        if partners := self.cleaned_data.get("responsible_partners"):
            texts["responsible_partners"] = " · ".join(partners)
        return texts

    def clean_responsible_districts(self) -> list[District]:
        return list(self.cleaned_data["responsible_districts"])


class AgreementStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Agreement.Status.choices)


# ---------------------------------------------------------------------------- districts
class ProposalForm(ScreenedForm):
    screened_fields = ("title", "description")
    session = forms.ModelChoiceField(label=_("Session"), queryset=ForumSession.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Why the forum should discuss it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    planned_minutes = forms.IntegerField(
        label=_("Time needed (minutes)"),
        min_value=1,
        max_value=services.PLANNED_MINUTES_MAX,
        initial=15,
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


class ProgressForm(ScreenedForm):
    screened_fields = ("note",)
    status = forms.ChoiceField(
        label=_("Your district's part is"),
        choices=Agreement.Status.choices,
        help_text=_(
            "The agreement is done once every responsible district reports its part done "
            "(the secretariat closes it when partners share it)."
        ),
    )
    note = forms.CharField(
        label=_("Progress"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the district did, in figures where possible. No personal data."),
    )
