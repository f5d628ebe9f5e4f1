from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.catalogue.models import Partner
from apps.people.models import Sex
from apps.volunteers.grid import AGE_GROUP_LABELS, CELLS, SEXES, Participants, cell_key, hours_key
from apps.volunteers.models import MAX_HOURS_PER_DAY, Topic, Volunteer
from apps.volunteers.selectors import PAST, UPCOMING
from apps.volunteers.services import (
    HOURS_RANGE_MESSAGE,
    INACTIVE_VOLUNTEER_MESSAGE,
    MAX_PARTICIPANTS_PER_CELL,
    NEGATIVE_COUNT_MESSAGE,
    ActivityInput,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WHOLE_NUMBER_MESSAGE = _("Enter a whole number.")


class VolunteerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, document or phone"), required=False)
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("yes", _("Active")), ("no", _("Inactive"))],
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"query": "", "active": None}
        active = self.cleaned_data["active"]
        return {"query": self.cleaned_data["q"], "active": {"yes": True, "no": False}.get(active)}


class ActivityFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("All")), (UPCOMING, _("Upcoming")), (PAST, _("Past"))],
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All")), *Topic.choices]
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"when": "", "topic": ""}
        return {"when": self.cleaned_data["when"], "topic": self.cleaned_data["topic"]}


class VolunteerForm(forms.Form):
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What they can do: workshops, art, languages, social media..."),
    )
    availability = forms.CharField(
        label=_("Availability"),
        required=False,
        max_length=200,
        help_text=_("For example: Saturday mornings, weekday evenings."),
    )
    joined_on = forms.DateField(
        label=_("Volunteer since"), widget=DATE_WIDGET, initial=timezone.localdate
    )


class ActivityForm(forms.Form):
    """The activity's details, the participants grid (a box per sex and age group) and an
    hours box per volunteer (empty: did not take part)."""

    held_on = forms.DateField(
        label=_("Date"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Enter the date of the activity.")},
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("A short name, e.g. “Talk on living together without xenophobia”."),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.filter(is_active=True),
        required=False,
        empty_label=_("No partner"),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        volunteers: list[Volunteer],
        taking_part: frozenset[int] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        sex_labels = dict(Sex.choices)
        for sex, age_group in CELLS:
            self.fields[cell_key(sex, age_group)] = forms.IntegerField(
                label=_("%(sex)s, age %(age)s") % {"sex": sex_labels[sex], "age": age_group},
                required=False,
                min_value=0,
                max_value=MAX_PARTICIPANTS_PER_CELL,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
                error_messages={
                    "min_value": NEGATIVE_COUNT_MESSAGE,
                    "invalid": WHOLE_NUMBER_MESSAGE,
                },
            )
        self.volunteers = volunteers
        self.taking_part = taking_part
        hours_message = HOURS_RANGE_MESSAGE % {"limit": MAX_HOURS_PER_DAY}
        for volunteer in volunteers:
            self.fields[hours_key(volunteer)] = forms.IntegerField(
                label=volunteer.person.full_name,
                required=False,
                min_value=1,
                max_value=MAX_HOURS_PER_DAY,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "min": 1, "max": MAX_HOURS_PER_DAY}
                ),
                error_messages={
                    "min_value": hours_message,
                    "max_value": hours_message,
                    "invalid": WHOLE_NUMBER_MESSAGE,
                },
            )

    def clean(self) -> dict[str, Any]:
        """Inactive volunteers are refused here too, so the message comes with the others."""
        cleaned = super().clean() or {}
        for volunteer in self.volunteers:
            key = hours_key(volunteer)
            refused = not volunteer.is_active and volunteer.pk not in self.taking_part
            if refused and cleaned.get(key) is not None:
                name = volunteer.person.full_name
                self.add_error(key, str(INACTIVE_VOLUNTEER_MESSAGE) % {"name": name})
        return cleaned

    def details(self) -> ActivityInput:
        data = self.cleaned_data
        return ActivityInput(
            held_on=data["held_on"],
            topic=data["topic"],
            title=data["title"],
            place=data["place"],
            partner=data["partner"],
            description=data["description"],
        )

    def volunteer_hours(self) -> dict[Volunteer, int]:
        hours = {v: self.cleaned_data.get(hours_key(v)) for v in self.volunteers}
        return {volunteer: given for volunteer, given in hours.items() if given is not None}

    def participants(self) -> Participants:
        return {cell: self.cleaned_data.get(cell_key(*cell)) or 0 for cell in CELLS}

    # What the template lays out.
    DETAIL_FIELDS = ("held_on", "topic", "title", "place", "partner", "description")

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.DETAIL_FIELDS]

    def grid_rows(self) -> list[tuple[str, list[tuple[str, forms.BoundField]]]]:
        """A row per sex: (sex, [(age group, its box)])."""
        labels = dict(Sex.choices)
        return [
            (str(labels[sex]), [(age, self[cell_key(sex, age)]) for age in AGE_GROUP_LABELS])
            for sex in SEXES
        ]

    def _hours_fields(self, *, addable: bool) -> list[forms.BoundField]:
        return [
            self[hours_key(v)]
            for v in self.volunteers
            if (v.is_active or v.pk in self.taking_part) == addable
        ]

    def addable_hours_fields(self) -> list[forms.BoundField]:
        """Active volunteers, and those already in the activity whatever their status."""
        return self._hours_fields(addable=True)

    def inactive_hours_fields(self) -> list[forms.BoundField]:
        """Inactive volunteers not in the activity: listed apart, the service refuses them."""
        return self._hours_fields(addable=False)

    def inactive_have_errors(self) -> bool:
        return any(field.errors for field in self.inactive_hours_fields())

    @classmethod
    def initial_for(cls, activity: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "held_on": activity.held_on,
            "topic": activity.topic,
            "title": activity.title,
            "place": activity.place,
            "partner": activity.partner_id,
            "description": activity.description,
        }
        for count in activity.participant_counts.all():
            initial[cell_key(count.sex, count.age_group)] = count.count
        for part in activity.participations.all():
            initial[hours_key(part.volunteer)] = part.hours
        return initial
