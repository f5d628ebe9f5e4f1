from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from tenants.db_roles import district_roles_sync
from tenants.demo import DEMO_PASSWORD, demo_setup


class Command(BaseCommand):
    help = "Onboard the seven Callao districts with demo accounts (idempotent) and print them."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("es")
        # Demo districts made before database roles existed get theirs (idempotent).
        district_roles_sync()
        accounts = demo_setup()
        self.stdout.write(
            self.style.SUCCESS("\nDemo ready. Password of every demo account: " + DEMO_PASSWORD)
        )
        current = None
        for account in accounts:
            if account.workspace != current:
                current = account.workspace
                self.stdout.write(f"\n{account.workspace}  {account.url}")
            self.stdout.write(f"  {account.role:<40} {account.email}")
        self.stdout.write("")
