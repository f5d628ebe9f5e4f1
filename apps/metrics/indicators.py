"""The indicator catalogue: what the joint metrics count, and by which dimensions."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str | Promise
    unit: str | Promise
    dimensions: tuple[str, ...]


INDICATORS = {
    indicator.code: indicator
    for indicator in (
        Indicator(
            "people_served",
            _("People served"),
            _("people"),
            ("sex", "age_group", "nationality", "population_group"),
        ),
        Indicator("people_registered", _("People registered"), _("people"), ("sex", "nationality")),
        Indicator(
            "attentions", _("Attentions by service type"), _("services given"), ("service_type",)
        ),
        Indicator(
            "referrals", _("Referrals by partner and status"), _("referrals"), ("partner", "status")
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


def age_group(age: int | None) -> str:
    if age is None:
        return "unknown"
    for label, low, high in AGE_GROUPS:
        if low <= age <= high:
            return label
    return "unknown"
