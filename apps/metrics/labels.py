"""Names people read for the store's codes: dimensions and their values.

The store keeps stable codes ("female", "VE", "health-access"); pages and exports show them
in the reader's language. Catalogue codes a district added itself have no built-in name
here (the catalogue lives in each district's schema): they are shown as their code.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from apps.metrics.indicators import AGE_GROUPS, R4V_GROUPS

DIMENSION_LABELS: dict[str, str | Promise] = {
    "sex": _("Sex"),
    "age_group": _("Age group"),
    "nationality": _("Nationality"),
    "population_group": _("Population group"),
    "r4v_group": _("Sex and age (R4V)"),
    "service_type": _("Service type"),
    "partner": _("Partner"),
    "status": _("Status"),
    "formalisation": _("Formalisation stage"),
    "topic": _("Topic"),
    "sector": _("RMRP sector"),
    "stage": _("Stage"),
    "channel": _("Channel"),
    "ground": _("Protected ground"),
}

R4V_GROUP_LABELS: dict[str, str | Promise] = {
    "girls": _("Girls (under 18)"),
    "boys": _("Boys (under 18)"),
    "women": _("Women (18 and over)"),
    "men": _("Men (18 and over)"),
    "other": _("Other or age unknown"),
}
assert tuple(R4V_GROUP_LABELS) == R4V_GROUPS


def dimension_label(dimension: str) -> str:
    return str(DIMENSION_LABELS.get(dimension, dimension))


def _choices(dimension: str) -> dict[str, str | Promise]:
    """Value names of the dimensions with a fixed list of values, in their natural order."""
    from apps.activities.models import Sector
    from apps.casework.models import Referral
    from apps.catalogue.reference_data import PARTNERS, SERVICE_TYPES
    from apps.complaints.models import Channel, Stage
    from apps.complaints.reference_data import GROUNDS
    from apps.inclusion.models import STAGE_CHOICES
    from apps.people.models import PopulationGroup, Sex
    from apps.volunteers.models import Topic

    english = (get_language() or "es").startswith("en")
    fixed: dict[str, dict[str, str | Promise]] = {
        "sex": dict(Sex.choices),
        "age_group": {label: label for label, _low, _high in AGE_GROUPS}
        | {"unknown": _("Unknown")},
        "population_group": dict(PopulationGroup.choices),
        "r4v_group": R4V_GROUP_LABELS,
        "status": dict(Referral.Status.choices),
        "service_type": {code: en if english else es for code, es, en in SERVICE_TYPES},
        "partner": {code: en if english else es for code, es, en, _kind in PARTNERS},
        "formalisation": dict(STAGE_CHOICES),
        "topic": dict(Topic.choices),
        "sector": dict(Sector.choices),
        "stage": dict(Stage.choices),
        "channel": dict(Channel.choices),
        "ground": {code: en if english else es for code, es, en in GROUNDS},
    }
    return fixed.get(dimension, {})


def value_label(dimension: str, value: str) -> str:
    if dimension == "nationality":
        return str(countries.name(value) or value)
    return str(_choices(dimension).get(value, value))


def value_order(dimension: str) -> list[str]:
    """The natural order of a dimension's values (age groups by age...); empty if none."""
    return [] if dimension == "nationality" else list(_choices(dimension))
