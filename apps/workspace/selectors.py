"""The district's dashboard: counts only, computed with GROUP BY in the district's schema."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count
from django.db.models.functions import TruncMonth

from apps.casework.models import Attention, Case, FollowUpTask, Referral
from apps.catalogue.models import ServiceType
from apps.people.models import IdentityDocument
from apps.workspace.bars import bars_of


def _month_start(day: date, months_back: int = 0) -> date:
    month_index = day.year * 12 + day.month - 1 - months_back
    return date(month_index // 12, month_index % 12 + 1, 1)


def district_dashboard(*, today: date) -> dict[str, object]:
    month = _month_start(today)
    first_month = _month_start(today, 11)
    served_by_month = dict(
        Attention.objects.filter(occurred_on__gte=first_month, occurred_on__lte=today)
        .annotate(month=TruncMonth("occurred_on"))
        .values("month")
        .annotate(people=Count("person", distinct=True))
        .values_list("month", "people")
    )
    trend = [
        (_month_start(today, back), served_by_month.get(_month_start(today, back), 0))
        for back in range(11, -1, -1)
    ]
    names = {service.pk: service.name for service in ServiceType.objects.all()}
    by_service = (
        Attention.service_types.through.objects.filter(
            attention__occurred_on__gte=month, attention__occurred_on__lte=today
        )
        .values("servicetype_id")
        .annotate(total=Count("id"))
        .order_by("-total")
    )
    referrals = dict(
        Referral.objects.values("status").annotate(total=Count("id")).values_list("status", "total")
    )
    return {
        "people_served_this_month": trend[-1][1],
        "trend": bars_of([(f"{m:%m/%Y}", n) for m, n in trend]),
        "attentions_by_service": bars_of(
            [(names[row["servicetype_id"]], row["total"]) for row in by_service]
        ),
        "open_cases": Case.objects.filter(status=Case.Status.OPEN).count(),
        "overdue_follow_ups": FollowUpTask.objects.filter(
            done_on__isnull=True, due_on__lt=today
        ).count(),
        "referrals_by_status": bars_of(
            [(str(label), referrals.get(value, 0)) for value, label in Referral.Status.choices]
        ),
        "documents_expiring": IdentityDocument.objects.filter(
            expires_on__gte=today, expires_on__lte=today + timedelta(days=30)
        ).count(),
    }
