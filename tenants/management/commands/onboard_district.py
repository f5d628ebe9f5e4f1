from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.schema_pool import schema_pool_refill
from tenants.services.onboarding import OnboardingPath, district_onboard


class Command(BaseCommand):
    help = (
        "Onboard a district: domain, schema, reference data, roles and the coordinator's "
        "invitation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help='District name, e.g. "La Perla".')
        parser.add_argument("--slug", required=True, help="Host label, e.g. la-perla.")
        parser.add_argument("--ubigeo", required=True, help="Six-digit INEI ubigeo, e.g. 070104.")
        parser.add_argument(
            "--coordinator-email", required=True, help="E-mail of the first coordinator."
        )
        parser.add_argument(
            "--path",
            choices=[p.value for p in OnboardingPath],
            default=OnboardingPath.TEMPLATE.value,
            help="template (fast, default) or migrations (fallback).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = district_onboard(
                name=options["name"],
                slug=options["slug"],
                ubigeo=options["ubigeo"],
                coordinator_email=options["coordinator_email"],
                path=OnboardingPath(options["path"]),
                refill_pool_in_background=False,
                verbosity=max(0, options["verbosity"] - 1),
            )
        except ValidationError as error:
            lines = [
                f"{field}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("Nothing was created.\n" + "\n".join(lines)) from error

        district = result.district
        if not result.created:
            self.stdout.write(
                self.style.WARNING(
                    f"District {district.name} ({district.slug}) already exists; nothing changed."
                )
            )
            self.stdout.write(f"Workspace: {result.workspace_url}")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"District {district.name} onboarded in {result.seconds:.2f} s "
                f"(schema {district.schema_name})."
            )
        )
        self.stdout.write(f"Workspace: {result.workspace_url}")
        if result.invitation is not None:
            self.stdout.write(
                f"Coordinator invitation for {result.invitation.email}: {result.invitation.url}"
            )
        # The district is ready; now make the next onboarding fast too.
        schema_pool_refill(background=False)
