"""5W rows derived from the casework, never typed twice.

Attentions (by service type) and completed referrals of a month become 5W rows: each row
counts PEOPLE, once per month however many times they came (beneficiaries are persons,
never services), with "new beneficiaries" = people reached by that row's activity for
the first time in the calendar year, so adding "new" over months counts each person once.
Counted here, inside the district's schema, from its own records.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.activities.models import BENEFICIARY_GROUPS, Sector, SubSector
from apps.metrics.indicators import age_on, r4v_group


@dataclass(frozen=True)
class DerivedActivity:
    """What a derived row reports, in the 5W's words."""

    key: str
    sector: str
    sub_sector: str
    indicator: str | Promise
    activity: str | Promise


def _kind(
    key: str, sector: str, indicator: str | Promise, activity: str | Promise, sub_sector: str = ""
) -> DerivedActivity:
    return DerivedActivity(key, sector, sub_sector, indicator, activity)


# Service type (catalogue code) -> the 5W activity its attentions report. "other" is not
# reported: it names no sector. Change the mapping here only.
SERVICE_ACTIVITIES: dict[str, DerivedActivity] = {
    "legal-orientation": _kind(
        "legal-orientation",
        Sector.PROTECTION,
        _("People receiving orientation, information or legal counselling"),
        _("Migratory and legal orientation at the municipal office"),
    ),
    "documentation": _kind(
        "documentation",
        Sector.PROTECTION,
        _("People supported with documentation and regularisation"),
        _("Support with documentation and regularisation"),
    ),
    "health-access": _kind(
        "health-access",
        Sector.HEALTH,
        _("People supported to access health services"),
        _("Orientation and support to access health (SIS)"),
    ),
    "education-access": _kind(
        "education-access",
        Sector.EDUCATION,
        _("People supported to access education"),
        _("Orientation and support to access education"),
    ),
    "employment": _kind(
        "employment",
        Sector.INTEGRATION,
        _("People supported with employment or entrepreneurship"),
        _("Orientation on employment and entrepreneurship"),
    ),
    "shelter": _kind(
        "shelter",
        Sector.SHELTER,
        _("People supported with housing or shelter"),
        _("Orientation and referral for housing and shelter"),
    ),
    "child-protection": _kind(
        "child-protection",
        Sector.PROTECTION,
        _("Children and adolescents receiving child-protection support"),
        _("Child-protection case support"),
        SubSector.CHILD_PROTECTION,
    ),
    "gbv": _kind(
        "gbv",
        Sector.PROTECTION,
        _("People receiving gender-based violence support"),
        _("Gender-based violence case support"),
        SubSector.GBV,
    ),
    "trafficking": _kind(
        "trafficking",
        Sector.PROTECTION,
        _("People receiving support against trafficking and smuggling"),
        _("Trafficking and smuggling case support"),
        SubSector.TRAFFICKING,
    ),
    "psychosocial": _kind(
        "psychosocial",
        Sector.HEALTH,
        _("People receiving mental health and psychosocial support"),
        _("Psychosocial support"),
    ),
    "cash-in-kind": _kind(
        "cash-in-kind",
        Sector.CASH,
        _("People receiving cash or in-kind assistance"),
        _("Cash or in-kind assistance"),
    ),
}
REFERRAL_ACTIVITY = _kind(
    "referral-completed",
    Sector.PROTECTION,
    _("People referred to specialised services"),
    _("Referrals completed to partners and state services"),
)
DERIVED_ACTIVITIES = [*SERVICE_ACTIVITIES.values(), REFERRAL_ACTIVITY]


@dataclass
class DerivedRow:
    activity: DerivedActivity
    month: date
    groups: Counter[str] = field(default_factory=Counter)  # girls, boys, women, men, other
    populations: Counter[str] = field(default_factory=Counter)
    new_beneficiaries: int = 0
    with_disability: int = 0
    lgbtiq: int = 0
    indigenous: int = 0

    @property
    def total(self) -> int:
        return sum(self.groups[group] for group in BENEFICIARY_GROUPS)


def _reached(first: date, last: date) -> set[tuple[int, str]]:
    """(person, activity key) pairs of attentions and completed referrals in the days."""
    from apps.casework.models import Attention, Referral, ReferralStatusChange

    services = (
        Attention.service_types.through.objects.filter(
            attention__occurred_on__range=(first, last),
            servicetype__code__in=list(SERVICE_ACTIVITIES),
        )
        .values_list("attention__person_id", "servicetype__code")
        .distinct()
    )
    referrals = (
        ReferralStatusChange.objects.filter(
            to_status=Referral.Status.COMPLETED, changed_at__date__range=(first, last)
        )
        .values_list("referral__person_id", flat=True)
        .distinct()
    )
    pairs = {(person, SERVICE_ACTIVITIES[code].key) for person, code in services}
    pairs |= {(person, REFERRAL_ACTIVITY.key) for person in referrals}
    return pairs


def derived_rows(first: date, last: date) -> list[DerivedRow]:
    """The month's derived rows (``first``..``last`` is one calendar month), in the order
    of ``DERIVED_ACTIVITIES``; activities that reached nobody have no row."""
    from apps.people.models import Person

    reached = _reached(first, last)
    if not reached:
        return []
    year_start = first.replace(month=1, day=1)
    earlier = _reached(year_start, first - timedelta(days=1)) if first > year_start else set()
    people = {
        row["pk"]: row
        for row in Person.objects.filter(pk__in={person for person, _key in reached}).values(
            "pk",
            "sex",
            "birth_date",
            "estimated_age",
            "estimated_age_on",
            "population_group",
            "has_disability",
            "is_lgbtiq",
            "is_indigenous",
        )
    }
    rows = {activity.key: DerivedRow(activity, first) for activity in DERIVED_ACTIVITIES}
    for person_id, key in reached:
        person, row = people[person_id], rows[key]
        row.groups[r4v_group(person["sex"], age_on(person, first))] += 1
        row.populations[person["population_group"]] += 1
        row.new_beneficiaries += (person_id, key) not in earlier
        row.with_disability += bool(person["has_disability"])
        row.lgbtiq += bool(person["is_lgbtiq"])
        row.indigenous += bool(person["is_indigenous"])
    return [row for row in rows.values() if row.total]


def people_reached(first: date, last: date) -> int:
    """Unique people reached by any derived activity over the days (the consolidated
    count: a person served in several months is counted once)."""
    return len({person for person, _key in _reached(first, last)})
