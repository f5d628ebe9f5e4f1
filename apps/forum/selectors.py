"""Reads of the Forum of Mayors. Lists prefetch what their pages and GraphQL show, so the
number of queries does not grow with the list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Prefetch, Q, QuerySet, When
from django.utils import timezone

from apps.forum.models import AgendaItem, Agreement, AgreementProgress, ForumSession
from apps.metrics.models import MetricValue
from apps.metrics.selectors import hidden_counts
from tenants.models import District


def forum_sessions(*, status: str | None = None) -> QuerySet[ForumSession]:
    sessions = ForumSession.objects.select_related("host_district")
    if status:
        sessions = sessions.filter(status=status)
    return sessions.order_by("-held_on", "-number")


def forum_calendar(*, today: date | None = None) -> QuerySet[ForumSession]:
    """Sessions from today on, soonest first (the calendar districts see)."""
    today = today or timezone.localdate()
    return (
        ForumSession.objects.select_related("host_district")
        .filter(held_on__gte=today)
        .exclude(status=ForumSession.Status.DRAFT)
        .order_by("held_on", "number")
    )


def forum_session_detail(session_id: int) -> ForumSession | None:
    return (
        ForumSession.objects.select_related("host_district")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("proposed_by").order_by(
                    "position", "id"
                ),
            ),
            "minutes",
            "participants__district",
            Prefetch("agreements", queryset=agreements_with_related()),
        )
        .filter(pk=session_id)
        .first()
    )


def agenda_tree(session: ForumSession) -> list[tuple[AgendaItem, list[AgendaItem]]]:
    """The agenda as (item, sub-items) pairs, from the prefetched items."""
    items = list(session.agenda_items.all())
    children: dict[int, list[AgendaItem]] = {}
    for item in items:
        if item.parent_id is not None:
            children.setdefault(item.parent_id, []).append(item)
    return [(item, children.get(item.pk, [])) for item in items if item.parent_id is None]


def agreements_with_related() -> QuerySet[Agreement]:
    return Agreement.objects.select_related("session").prefetch_related(
        "responsible_districts",
        Prefetch("progress", queryset=AgreementProgress.objects.select_related("district")),
    )


def agreements(
    *,
    status: str | None = None,
    district: District | None = None,
    overdue: bool | None = None,
    today: date | None = None,
) -> QuerySet[Agreement]:
    """``status`` may be "overdue", which is computed from the deadline, never stored."""
    today = today or timezone.localdate()
    late = Q(deadline__lt=today) & ~Q(status=Agreement.Status.DONE)
    found = agreements_with_related()
    if status == Agreement.OVERDUE:
        found = found.filter(late)
    elif status:
        found = found.filter(status=status).exclude(late)
    if district is not None:
        found = found.filter(responsible_districts=district)
    if overdue is True:
        found = found.filter(late)
    elif overdue is False:
        found = found.exclude(late)
    return found.order_by("deadline", "id").distinct()


@dataclass(frozen=True)
class AgreementProgressFigures:
    """Target against actual, read from the joint metrics (shown counts only)."""

    indicator: str
    target: int
    baseline: int
    actual: int
    measured_from: date
    measured_to: date
    incomplete: bool  # some district counts were held back (small cells)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.actual / self.target)) if self.target else 100


def agreement_progress_figures(
    items: list[Agreement], *, today: date | None = None
) -> dict[int, AgreementProgressFigures]:
    """For every agreement naming an indicator: the baseline period's total and the total
    from the session's month to the deadline (or today). One query for the whole list.

    The figures add up each responsible district's shown counts (all districts when none
    is named), exactly like ``jointMetrics`` over several districts."""
    today = today or timezone.localdate()
    measured = [a for a in items if a.indicator and a.target is not None and a.baseline_from]
    if not measured:
        return {}
    windows = {a.pk: _windows(a, today) for a in measured}
    earliest = min(min(w[0][0], w[1][0]) for w in windows.values())
    latest = max(max(w[0][1], w[1][1]) for w in windows.values())
    counts = list(
        MetricValue.objects.filter(
            indicator__in={a.indicator for a in measured},
            dimension="",
            period__gte=earliest,
            period__lte=latest,
        )
        .annotate(hidden=Case(When(hidden_counts(), then=True), default=False))
        .values_list("indicator", "district_id", "period", "value", "hidden")
    )
    figures = {}
    for agreement in measured:
        (base_from, base_to), (from_, to) = windows[agreement.pk]
        districts = {d.pk for d in agreement.responsible_districts.all()}

        def total(
            start: date,
            end: date,
            agreement: Agreement = agreement,
            districts: set[int] = districts,
        ) -> tuple[int, bool]:
            shown = 0
            held = False
            for indicator, district_id, period, value, hidden in counts:
                if indicator != agreement.indicator or not start <= period <= end:
                    continue
                if districts and district_id not in districts:
                    continue
                if hidden:
                    held = True
                else:
                    shown += value
            return shown, held

        baseline, held_base = total(base_from, base_to)
        actual, held_actual = total(from_, to)
        figures[agreement.pk] = AgreementProgressFigures(
            indicator=agreement.indicator,
            target=agreement.target or 0,
            baseline=baseline,
            actual=actual,
            measured_from=from_,
            measured_to=to,
            incomplete=held_base or held_actual,
        )
    return figures


def _windows(agreement: Agreement, today: date) -> tuple[tuple[date, date], tuple[date, date]]:
    assert agreement.baseline_from is not None
    baseline = (agreement.baseline_from.replace(day=1), agreement.baseline_to or today)
    start = agreement.session.held_on.replace(day=1)
    end = min(agreement.deadline, today) if agreement.deadline else today
    return baseline, (start, max(start, end))
