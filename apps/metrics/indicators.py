"""The indicator catalogue: what the joint metrics count, and by which dimensions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The longest period a reader may ask for at once (GraphQL, pages, exports).
MAX_MONTHS = 36


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str | Promise
    unit: str | Promise
    dimensions: tuple[str, ...]
    # People counted once per month: the same person may be counted in several months, so
    # monthly counts are never added up over a period (an R4V 5W rule); readers average them.
    people_per_month: bool = False


INDICATORS = {
    indicator.code: indicator
    for indicator in (
        Indicator(
            "people_served",
            _("People served"),
            _("people"),
            ("sex", "age_group", "nationality", "population_group", "r4v_group"),
            people_per_month=True,
        ),
        Indicator("people_registered", _("People registered"), _("people"), ("sex", "nationality")),
        Indicator(
            "attentions", _("Attentions by service type"), _("services given"), ("service_type",)
        ),
        Indicator(
            "referrals", _("Referrals by partner and status"), _("referrals"), ("partner", "status")
        ),
        Indicator(
            "complaints",
            _("Complaints by stage and channel"),
            _("complaints"),
            ("stage", "channel"),
        ),
        Indicator(
            "complaint_grounds", _("Complaints by protected ground"), _("complaints"), ("ground",)
        ),
        # inclusion
        Indicator(
            "entrepreneurs",
            _("Entrepreneurs by formalisation stage"),
            _("entrepreneurs"),
            ("formalisation",),
            # A running total (registered by each month's end): never added over months.
            people_per_month=True,
        ),
        Indicator(
            "training_attendance",
            _("People trained"),
            _("people"),
            ("sex",),
            people_per_month=True,
        ),
        # partner activity (5W): beneficiaries of the month in each sector (typed rows and
        # rows derived from the casework); people are counted once per row and month.
        Indicator(
            "fivew_beneficiaries",
            _("5W beneficiaries by sector"),
            _("beneficiaries"),
            ("sector",),
            people_per_month=True,
        ),
        # volunteers
        Indicator(
            "volunteers_active",
            _("Active volunteers"),
            _("volunteers"),
            ("sex",),
            people_per_month=True,
        ),
        Indicator("volunteer_hours", _("Volunteer hours"), _("hours"), ("topic",)),
        Indicator(
            "awareness_participants",
            _("Awareness participants by topic"),
            _("participants"),
            ("topic", "sex", "age_group"),
        ),
    )
}

# R4V age groups: (label, lowest age, highest age).
AGE_GROUPS = [
    ("0-5", 0, 5),
    ("6-11", 6, 11),
    ("12-17", 12, 17),
    ("18-29", 18, 29),
    ("30-59", 30, 59),
    ("60+", 60, 200),
]


def age_on(row: Mapping[str, Any], on: date) -> int | None:
    """A person's age on a day, from the values of ``birth_date`` or else ``estimated_age``
    (as recorded on ``estimated_age_on``); None when neither is known."""
    birth = row["birth_date"]
    if isinstance(birth, date):
        return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    estimated, recorded = row["estimated_age"], row["estimated_age_on"]
    if isinstance(estimated, int) and isinstance(recorded, date):
        return estimated + max(0, (on - recorded).days // 365)
    return None


def age_group(age: int | None) -> str:
    if age is None:
        return "unknown"
    for label, low, high in AGE_GROUPS:
        if low <= age <= high:
            return label
    return "unknown"


# The R4V 5W beneficiary breakdown: sex and age together (under 18 / 18 and over).
ADULT_AGE = 18
R4V_GROUPS = ("girls", "boys", "women", "men", "other")


def r4v_group(sex: str, age: int | None) -> str:
    """A person's 5W group; "other" when the age is unknown or the sex neither female nor male."""
    if age is None or sex not in ("female", "male"):
        return "other"
    if age < ADULT_AGE:
        return "girls" if sex == "female" else "boys"
    return "women" if sex == "female" else "men"
