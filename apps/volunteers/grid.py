"""The names shared by the activity form and the services: one participants-grid cell per
sex and R4V age group, one hours box per volunteer. A service's refusal keyed by these
names lands next to the matching box of the form."""

from __future__ import annotations

from apps.metrics.indicators import AGE_GROUPS
from apps.people.models import Sex
from apps.volunteers.models import Volunteer

AGE_GROUP_LABELS = [label for label, _low, _high in AGE_GROUPS]
SEXES = [str(value) for value in Sex.values]

# (sex, age group) of every cell, rows by sex.
CELLS = [(sex, age_group) for sex in SEXES for age_group in AGE_GROUP_LABELS]

Participants = dict[tuple[str, str], int]


def cell_key(sex: str, age_group: str) -> str:
    """``count_female_0_5``, ``count_male_60_plus``: usable as a form field name and HTML id."""
    return f"count_{sex}_{age_group.replace('-', '_').replace('+', '_plus')}"


def hours_key(volunteer: Volunteer) -> str:
    return f"hours_{volunteer.public_id.hex}"
