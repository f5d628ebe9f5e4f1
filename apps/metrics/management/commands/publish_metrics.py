from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from apps.metrics.publisher import metrics_publish
from tenants.models import District


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError as error:
        raise CommandError(f"Months are written YYYY-MM, not “{text}”.") from error


class Command(BaseCommand):
    help = "Recompute the joint metrics of one district (--district) or all (--all), per month."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--district", help="The district's slug.")
        which.add_argument("--all", action="store_true", help="Every active or suspended district.")
        parser.add_argument(
            "--from", dest="month_from", help="First month, YYYY-MM (default: 11 months ago)."
        )
        parser.add_argument(
            "--to", dest="month_to", help="Last month, YYYY-MM (default: this month)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        last = _month(options["month_to"]) if options["month_to"] else today.replace(day=1)
        index = last.year * 12 + last.month - 1 - 11
        first = (
            _month(options["month_from"])
            if options["month_from"]
            else date(index // 12, index % 12 + 1, 1)
        )
        if first > last:
            raise CommandError("--from is after --to.")
        districts = District.objects.exclude(status=District.Status.ARCHIVED)
        if options["district"]:
            districts = districts.filter(slug=options["district"])
            if not districts:
                raise CommandError(f"No district has the slug “{options['district']}”.")
        months = []
        current = first
        while current <= last:
            months.append(current)
            current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
        for district in districts:
            rows = sum(metrics_publish(district=district, period=month) for month in months)
            self.stdout.write(f"{district.slug}: {len(months)} months, {rows} values")
