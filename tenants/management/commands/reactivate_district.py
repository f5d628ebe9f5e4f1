from __future__ import annotations

from typing import Any

from tenants.management.commands._district_status import DistrictStatusCommand
from tenants.models import District
from tenants.services.lifecycle import district_reactivate


class Command(DistrictStatusCommand):
    help = "Reactivate a suspended, closing or archived district."

    def change(self, district: District, **options: Any) -> District:
        return district_reactivate(district=district)

    def done(self, district: District) -> str:
        return f"{district.name} is active again."
