from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tenants.db_roles import district_roles_sync


class Command(BaseCommand):
    help = (
        "Create each district's database role if missing and grant it its schema again "
        "(tables, sequences, functions, default privileges) and the districts' group the "
        "public tables. Idempotent; migrate_all runs it at the end. Exits 1 if a district's "
        "schema is missing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = district_roles_sync()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Group {report.group}: public tables granted.")
            for role in report.roles:
                self.stdout.write(f"  {role}")
            self.stdout.write(self.style.SUCCESS(f"{len(report.roles)} district roles granted."))
        if report.missing_schemas:
            raise CommandError(
                "Schema missing for: " + ", ".join(report.missing_schemas), returncode=1
            )
