from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from tenants.management.commands._district_status import DistrictStatusCommand
from tenants.models import District
from tenants.services.lifecycle import district_offboard


class Command(DistrictStatusCommand):
    help = (
        "Close a district's workspace: read-only during --grace-days, then archived (410). "
        "Its schema and data are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--grace-days",
            type=int,
            default=0,
            help="Days the workspace stays readable before it is archived (default 0: at once).",
        )

    def change(self, district: District, **options: Any) -> District:
        return district_offboard(district=district, grace_days=options["grace_days"])

    def done(self, district: District) -> str:
        if district.is_archived:
            return f"{district.name} archived: the workspace is closed (410); its data is kept."
        return (
            f"{district.name} is read-only until {district.archive_at:%Y-%m-%d %H:%M %Z}, "
            "then archived; its data is kept."
        )
