"""``manage.py district_backup SLUG`` (or ``--all``): one backup file per district."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.models import District
from tenants.services.backup import (
    DEFAULT_LOCK_WAIT_SECONDS,
    UNKNOWN_DISTRICT_MESSAGE,
    DistrictBackupError,
    district_backup,
)


class Command(BaseCommand):
    help = (
        "Back up a district's schema to <slug>-<UTC timestamp>.tar (pg_dump custom format "
        "plus a manifest with the migrations, row counts and a SHA-256 checksum). The file "
        "holds personal data: store it encrypted (docs/OPERATIONS.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", nargs="?", help="The district's slug, e.g. la-perla.")
        parser.add_argument(
            "--all", action="store_true", help="Every district, one file each (the nightly job)."
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.DATA_DIR) / "backups",
            help="Directory for the backup files (default: .data/backups).",
        )
        parser.add_argument(
            "--lock-wait",
            type=int,
            default=DEFAULT_LOCK_WAIT_SECONDS,
            help="Seconds to wait for a table lock (a running migration) before giving up.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["slug"]) == options["all"]:
            raise CommandError("Give one district's slug or --all.")
        if options["all"]:
            districts = list(District.objects.order_by("slug"))
        else:
            district = District.objects.filter(slug=options["slug"]).first()
            if district is None:
                raise CommandError(UNKNOWN_DISTRICT_MESSAGE.format(slug=options["slug"]))
            districts = [district]
        failed: list[str] = []
        for district in districts:
            try:
                result = district_backup(
                    district=district,
                    output_dir=options["output"],
                    lock_wait_seconds=options["lock_wait"],
                )
            except DistrictBackupError as error:
                failed.append(district.slug)
                self.stderr.write(f"{district.slug}: {error}")
                continue
            self.stdout.write(
                f"{result.path} ({result.path.stat().st_size} bytes, "
                f"{len(result.manifest.tables)} tables, {result.manifest.rows} rows, "
                f"{result.seconds:.2f} s)"
            )
        if failed:
            raise CommandError("Backup failed for: " + ", ".join(failed))
