"""Reads of the 5W: typed and derived rows side by side, totals by sector, and the
consolidated count of people reached. Counts only; inside the district's schema."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.db.models import QuerySet, Sum

from apps.activities.derived import DerivedRow, derived_rows, people_reached
from apps.activities.models import BENEFICIARY_GROUPS, PartnerActivity, Sector
from apps.metrics.publisher import month_bounds
from apps.workspace.bars import bars_of


@dataclass
class FiveWEntry:
    """One 5W row of a month, typed by the office or derived from the casework."""

    month: date
    sector: str
    sub_sector: str
    indicator: str
    activity: str
    appealing_partner: str  # "" for the municipality itself
    implementing_partner: str  # "" for the municipality itself
    ubigeo: str  # "" for the district's own
    groups: Counter[str] = field(default_factory=Counter)
    populations: Counter[str] = field(default_factory=Counter)
    new_beneficiaries: int = 0
    with_disability: int = 0
    lgbtiq: int = 0
    indigenous: int = 0
    cash_assistance: bool = False
    cash_value: Decimal | None = None
    typed: PartnerActivity | None = None  # None: derived from the casework

    @property
    def total(self) -> int:
        return sum(self.groups[group] for group in BENEFICIARY_GROUPS)

    @property
    def sector_label(self) -> str:
        return str(dict(Sector.choices).get(self.sector, self.sector))


def typed_activities(first: date, last: date) -> QuerySet[PartnerActivity]:
    return (
        PartnerActivity.objects.filter(month__range=(first, last))
        .select_related("appealing_partner", "implementing_partner")
        .order_by("month", "sector", "activity", "pk")
    )


def _from_typed(activity: PartnerActivity) -> FiveWEntry:
    return FiveWEntry(
        month=activity.month,
        sector=activity.sector,
        sub_sector=activity.sub_sector,
        indicator=activity.indicator,
        activity=activity.activity,
        appealing_partner=activity.appealing_partner.name,
        implementing_partner=(
            activity.implementing_partner.name if activity.implementing_partner else ""
        ),
        ubigeo=activity.ubigeo,
        groups=Counter({group: getattr(activity, group) for group in BENEFICIARY_GROUPS}),
        populations=Counter({activity.population_group: activity.total}),
        new_beneficiaries=activity.new_beneficiaries,
        with_disability=activity.with_disability,
        lgbtiq=activity.lgbtiq,
        indigenous=activity.indigenous,
        cash_assistance=activity.cash_assistance,
        cash_value=activity.cash_value,
        typed=activity,
    )


def _from_derived(row: DerivedRow) -> FiveWEntry:
    return FiveWEntry(
        month=row.month,
        sector=row.activity.sector,
        sub_sector=row.activity.sub_sector,
        indicator=str(row.activity.indicator),
        activity=str(row.activity.activity),
        appealing_partner="",
        implementing_partner="",
        ubigeo="",
        groups=row.groups,
        populations=row.populations,
        new_beneficiaries=row.new_beneficiaries,
        with_disability=row.with_disability,
        lgbtiq=row.lgbtiq,
        indigenous=row.indigenous,
    )


def month_entries(month: date) -> list[FiveWEntry]:
    """Every 5W row of one month: the office's typed rows, then the derived ones."""
    first, last = month_bounds(month)
    return [
        *(_from_typed(activity) for activity in typed_activities(first, last)),
        *(_from_derived(row) for row in derived_rows(first, last)),
    ]


def period_entries(period_from: date, period_to: date) -> Iterator[FiveWEntry]:
    """The rows of every month of the period, month by month (never added up)."""
    month = period_from.replace(day=1)
    while month <= period_to:
        yield from month_entries(month)
        month = _next_month(month)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def beneficiaries_by_sector(entries: list[FiveWEntry]) -> Counter[str]:
    """Beneficiaries of the rows by sector (people counted once per row and month)."""
    totals: Counter[str] = Counter()
    for entry in entries:
        totals[entry.sector] += entry.total
    return totals


def people_reached_to_date(period_from: date, period_to: date) -> int:
    """The consolidated count: unique people reached by the casework over the period, plus
    the new beneficiaries the office typed (each counted once in the year they are new)."""
    first, last = period_from.replace(day=1), month_bounds(period_to)[1]
    typed_new = (
        PartnerActivity.objects.filter(month__range=(first, last)).aggregate(
            n=Sum("new_beneficiaries")
        )["n"]
        or 0
    )
    return people_reached(first, last) + typed_new


def partner_activity_get(public_id: UUID) -> PartnerActivity | None:
    return (
        PartnerActivity.objects.select_related("appealing_partner", "implementing_partner")
        .filter(public_id=public_id)
        .first()
    )


def activities_dashboard(*, today: date) -> dict[str, object]:
    """The 5W of this month by sector, for the workspace's home."""
    sectors = dict(Sector.choices)
    by_sector = beneficiaries_by_sector(month_entries(today.replace(day=1)))
    return {"by_sector": bars_of([(str(sectors[code]), n) for code, n in by_sector.most_common()])}
