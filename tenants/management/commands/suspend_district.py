from __future__ import annotations

from typing import Any

from tenants.management.commands._district_status import DistrictStatusCommand
from tenants.models import District
from tenants.services.lifecycle import district_suspend


class Command(DistrictStatusCommand):
    help = "Suspend a district: its workspace becomes read-only, with a banner."

    def change(self, district: District, **options: Any) -> District:
        return district_suspend(district=district)

    def done(self, district: District) -> str:
        return f"{district.name} suspended: the workspace is read-only."
