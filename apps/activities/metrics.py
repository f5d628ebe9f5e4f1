"""The 5W's joint-metrics table for one district-month (run by the publisher inside the
district's schema): beneficiaries by sector, from typed and derived rows alike."""

from __future__ import annotations

from datetime import date

from apps.activities.selectors import beneficiaries_by_sector, month_entries
from apps.metrics.tables import Table, table_of


def month_tables(first: date, last: date) -> dict[str, Table]:
    by_sector = beneficiaries_by_sector(month_entries(first))
    return {"fivew_beneficiaries": table_of(sum(by_sector.values()), {"sector": by_sector})}
