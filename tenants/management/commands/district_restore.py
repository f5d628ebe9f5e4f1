"""``manage.py district_restore FILE``: into the backup's own district, or a new one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.services.backup import (
    DistrictBackupError,
    backup_manifest_read,
    district_restore,
)
from tenants.services.onboarding import district_host


class Command(BaseCommand):
    help = (
        "Restore a district backup (from district_backup): into its own district, replacing "
        "all of that district's records at once, or into a new district with --new-name, "
        "--new-slug and --new-ubigeo. The checksum and the migrations are checked first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A <slug>-<timestamp>.tar backup file.")
        parser.add_argument(
            "--into",
            dest="into_slug",
            help="The district to restore into; must be the backup's own (the default).",
        )
        parser.add_argument("--new-name", help='A new district\'s name, e.g. "La Perla (copia)".')
        parser.add_argument("--new-slug", help="A new district's slug (its host name label).")
        parser.add_argument("--new-ubigeo", help="A new district's six-digit ubigeo.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation before replacing a district's records.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        creating = any(options[key] for key in ("new_name", "new_slug", "new_ubigeo"))
        try:
            manifest = backup_manifest_read(path)
            if not creating and options["interactive"]:
                self._confirm(manifest.district_slug, manifest.created_at)
            result = district_restore(
                path=path,
                into_slug=options["into_slug"],
                new_name=options["new_name"],
                new_slug=options["new_slug"],
                new_ubigeo=options["new_ubigeo"],
                verbosity=max(0, options["verbosity"] - 1),
            )
        except DistrictBackupError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            lines = [
                f"{field}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("Nothing was restored.\n" + "\n".join(lines)) from error
        district = result.district
        what = "new district" if result.created else "district"
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path.name} into the {what} {district.name} ({district.slug}, "
                f"schema {district.schema_name}) in {result.seconds:.2f} s."
            )
        )
        if result.created:
            self.stdout.write(f"Host: {district_host(district.slug)}")
        if result.migrated:
            self.stdout.write(f"Migrated after restoring: {len(result.migrated)} migrations.")
        if result.leftover_schema:
            self.stdout.write(
                self.style.WARNING(
                    f"The previous schema is kept as {result.leftover_schema} (it was still "
                    f'in use); drop it later: DROP SCHEMA "{result.leftover_schema}" CASCADE'
                )
            )

    def _confirm(self, slug: str, created_at: str) -> None:
        answer = input(
            f"Every record of the district {slug} will be replaced by the backup of "
            f"{created_at}. Type the slug to go on: "
        )
        if answer.strip() != slug:
            raise CommandError("Nothing was restored.")
