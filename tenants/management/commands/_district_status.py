"""Shared argument handling of the district status commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.models import District


class DistrictStatusCommand(BaseCommand):
    action: Callable[..., District]
    done_message = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True, help="The district's slug, e.g. la-perla.")

    def handle(self, *args: Any, **options: Any) -> None:
        district = District.objects.filter(slug=options["slug"]).first()
        if district is None:
            raise CommandError(f"No district has the slug “{options['slug']}”.")
        try:
            district = self.action(district=district)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(self.done_message.format(name=district.name)))
