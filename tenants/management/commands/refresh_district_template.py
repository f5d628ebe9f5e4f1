from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tenants.schema_template import template_snapshot_ensure


class Command(BaseCommand):
    help = "Bring the district template schema up to the current migrations and snapshot it."

    def handle(self, *args: Any, **options: Any) -> None:
        snapshot = template_snapshot_ensure(verbosity=max(0, options["verbosity"] - 1))
        self.stdout.write(
            self.style.SUCCESS(f"Template snapshot ready ({snapshot.fingerprint[:12]}).")
        )
