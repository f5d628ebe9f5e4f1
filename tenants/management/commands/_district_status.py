"""Shared argument handling of the district status commands."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.models import District


class DistrictStatusCommand(BaseCommand):
    """Find the district by ``--slug``, call ``change`` and print ``done``."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True, help="The district's slug, e.g. la-perla.")

    def change(self, district: District, **options: Any) -> District:
        raise NotImplementedError

    def done(self, district: District) -> str:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        district = District.objects.filter(slug=options["slug"]).first()
        if district is None:
            raise CommandError(f"No district has the slug “{options['slug']}”.")
        try:
            district = self.change(district, **options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(self.done(district)))
