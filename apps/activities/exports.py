"""The district's own 5W file (XLSX or CSV): typed and derived rows, month by month, in
the layout of apps/metrics/fivew_layout.py (the one place that knows the GTRM template).
Counts only; this is the district's own data, so nothing is hidden."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.activities.models import SubSector
from apps.activities.selectors import FiveWEntry
from apps.metrics.fivew_layout import (
    APPEALING_ORGANISATION,
    IMPLEMENTING_PARTNER,
    POPULATION_TYPES,
    FiveWLine,
    five_w_csv_lines,
    five_w_workbook,
    where,
)
from tenants.models import District


def _line(entry: FiveWEntry, district: District) -> FiveWLine:
    municipality = IMPLEMENTING_PARTNER % {"district": district.name}
    return FiveWLine(
        values={
            **where(district.name, entry.ubigeo or district.ubigeo),
            "appealing_organisation": entry.appealing_partner or str(APPEALING_ORGANISATION),
            "implementing_partner": entry.implementing_partner or municipality,
            "sector": entry.sector_label,
            "sub_sector": str(dict(SubSector.choices)[entry.sub_sector])
            if entry.sub_sector
            else "",
            "indicator": entry.indicator,
            "activity": entry.activity,
            "month": f"{entry.month:%Y-%m}",
            **{f"population:{value}": entry.populations[value] for value in POPULATION_TYPES},
            "girls": entry.groups["girls"],
            "boys": entry.groups["boys"],
            "women": entry.groups["women"],
            "men": entry.groups["men"],
            "other": entry.groups["other"],
            "total": entry.total,
            "new": entry.new_beneficiaries,
            "disability": entry.with_disability,
            "lgbtiq": entry.lgbtiq,
            "indigenous": entry.indigenous,
            "cash_assistance": _("Yes") if entry.cash_assistance else _("No"),
            "cash_value": entry.cash_value,
            "source": _("Typed by the office") if entry.typed else _("From the casework"),
        }
    )


def activities_csv(entries: Iterable[FiveWEntry], district: District) -> Iterator[str]:
    return five_w_csv_lines(_line(entry, district) for entry in entries)


def activities_xlsx(
    entries: Iterable[FiveWEntry], district: District, *, period_from: date, period_to: date
) -> bytes:
    notes = [
        _("GTRM 5W report of %(district)s.") % {"district": district.name},
        _("Months: %(start)s to %(end)s. Made on %(day)s.")
        % {
            "start": f"{period_from:%Y-%m}",
            "end": f"{period_to:%Y-%m}",
            "day": timezone.localdate().strftime("%d/%m/%Y"),
        },
        _(
            "Rows “From the casework” count the people with an attention or a completed "
            "referral in the month, each once; “New beneficiaries” are reached for the first "
            "time in the calendar year, so their sum over months counts each person once."
        ),
        _(
            "Beneficiaries are people, never services: monthly counts must not be added up "
            "over months."
        ),
    ]
    return five_w_workbook((_line(entry, district) for entry in entries), notes=notes)


def activities_filename(district: District, period_from: date, period_to: date, ext: str) -> str:
    return f"5w-{district.slug}-{period_from:%Y-%m}_{period_to:%Y-%m}.{ext}"
