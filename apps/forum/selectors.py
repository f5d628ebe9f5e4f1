"""Reads of the Forum of Mayors. Lists prefetch what their pages and GraphQL show, so the
number of queries does not grow with the list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Prefetch, Q, QuerySet, When
from django.utils import timezone

from apps.forum.models import (
    AgendaItem,
    Agreement,
    AgreementProgress,
    ForumSession,
    SessionParticipant,
)
from apps.metrics.indicators import INDICATORS
from apps.metrics.models import MetricValue
from apps.metrics.selectors import hidden_counts
from tenants.models import District


def forum_sessions(*, status: str | None = None) -> QuerySet[ForumSession]:
    sessions = _sessions_with_related()
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


def forum_past_sessions() -> QuerySet[ForumSession]:
    """Sessions already held (minutes approved or not), latest first."""
    return (
        ForumSession.objects.select_related("host_district")
        .filter(status__in=[ForumSession.Status.HELD, ForumSession.Status.MINUTES_APPROVED])
        .order_by("-held_on", "-number")
    )


def forum_session_detail(session_id: int) -> ForumSession | None:
    return _sessions_with_related().filter(pk=session_id).first()


def forum_session_for_districts(session_id: int) -> ForumSession | None:
    """A session as districts read it: never a draft, which stays with the secretariat."""
    return (
        _sessions_with_related()
        .exclude(status=ForumSession.Status.DRAFT)
        .filter(pk=session_id)
        .first()
    )


def district_proposals(*, district: District) -> QuerySet[AgendaItem]:
    """The agenda items a district proposed, with the secretariat's decision, latest
    session first; items of a session sent back to draft are left out."""
    return (
        AgendaItem.objects.filter(proposed_by=district)
        .exclude(session__status=ForumSession.Status.DRAFT)
        .select_related("session")
        .order_by("-session__held_on", "-session__number", "position", "id")
    )


def _sessions_with_related() -> QuerySet[ForumSession]:
    return ForumSession.objects.select_related("host_district").prefetch_related(
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.select_related("proposed_by").order_by("position", "id"),
        ),
        "minutes",
        "participants__district",
        Prefetch("agreements", queryset=agreements_with_related()),
    )


def agenda_tree(session: ForumSession) -> list[tuple[AgendaItem, list[AgendaItem]]]:
    """The agenda as (item, sub-items) pairs, from the prefetched items."""
    items = list(session.agenda_items.all())
    children: dict[int, list[AgendaItem]] = {}
    for item in items:
        if item.parent_id is not None:
            children.setdefault(item.parent_id, []).append(item)
    return [(item, children.get(item.pk, [])) for item in items if item.parent_id is None]


def agenda_planned_minutes(tree: list[tuple[AgendaItem, list[AgendaItem]]]) -> int:
    """The agenda's planned time: the items and sub-items on it, accepted or already
    discussed. Proposals still waiting and deferred items do not count, and a sub-item
    counts only when its parent item is on the agenda too."""
    on_agenda = {AgendaItem.Status.ACCEPTED, AgendaItem.Status.DISCUSSED}
    return sum(
        item.planned_minutes
        for parent, children in tree
        if parent.status in on_agenda
        for item in (parent, *children)
        if item.status in on_agenda
    )


def agenda_item_get(*, session_id: int, item_id: int) -> AgendaItem | None:
    return AgendaItem.objects.filter(session_id=session_id, pk=item_id).first()


def session_participant_get(*, session_id: int, participant_id: int) -> SessionParticipant | None:
    return SessionParticipant.objects.filter(session_id=session_id, pk=participant_id).first()


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
    # People are never added up across months: then baseline and actual are monthly averages.
    per_month: bool = False
    baseline_from: date | None = None
    baseline_to: date | None = None
    # False while the session is still to come: nothing is measured yet (not 0 %).
    started: bool = True

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.actual / self.target)) if self.target else 100

    @property
    def indicator_name(self) -> str:
        found = INDICATORS.get(self.indicator)
        return str(found.name) if found else self.indicator


def agreement_progress_figures(
    items: list[Agreement], *, today: date | None = None
) -> dict[int, AgreementProgressFigures]:
    """For every agreement naming an indicator: the baseline period's figure and the one
    from the session's month to the deadline (or today), both totals, or monthly averages
    for people counted per month. One query for the whole list.

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
        per_month = INDICATORS[agreement.indicator].people_per_month
        districts = {d.pk for d in agreement.responsible_districts.all()}
        rows = [
            row
            for row in counts
            if row[0] == agreement.indicator and (not districts or row[1] in districts)
        ]
        baseline, held_base = _measure(rows, base_from, base_to, per_month=per_month)
        actual, held_actual = _measure(rows, from_, to, per_month=per_month)
        figures[agreement.pk] = AgreementProgressFigures(
            indicator=agreement.indicator,
            target=agreement.target or 0,
            baseline=baseline,
            actual=actual,
            measured_from=from_,
            measured_to=to,
            incomplete=held_base or held_actual,
            per_month=per_month,
            baseline_from=base_from,
            baseline_to=base_to,
            started=agreement.session.held_on <= today,
        )
    return figures


def _measure(
    rows: list[tuple[str, int, date, int, bool]], start: date, end: date, *, per_month: bool
) -> tuple[int, bool]:
    """Shown counts of the window added up, or, for people counted per month (never added
    across months), their average per month; and whether any count was held back."""
    by_month: dict[date, int] = {}
    held = False
    for _indicator, _district, period, value, hidden in rows:
        if not start <= period <= end:
            continue
        if hidden:
            held = True
        else:
            by_month[period] = by_month.get(period, 0) + value
    if per_month:
        return (round(sum(by_month.values()) / len(by_month)) if by_month else 0), held
    return sum(by_month.values()), held


def _windows(agreement: Agreement, today: date) -> tuple[tuple[date, date], tuple[date, date]]:
    assert agreement.baseline_from is not None
    baseline = (agreement.baseline_from.replace(day=1), agreement.baseline_to or today)
    start = agreement.session.held_on.replace(day=1)
    end = min(agreement.deadline, today) if agreement.deadline else today
    return baseline, (start, max(start, end))


@dataclass(frozen=True)
class SecretariatOverview:
    next_session: ForumSession | None
    proposals_waiting: int
    overdue_agreements: int
    open_agreements: int


def secretariat_overview(*, today: date | None = None) -> SecretariatOverview:
    """What needs the secretariat's attention, for the portal's home."""
    today = today or timezone.localdate()
    late = Q(deadline__lt=today) & ~Q(status=Agreement.Status.DONE)
    return SecretariatOverview(
        next_session=ForumSession.objects.filter(held_on__gte=today)
        .exclude(status=ForumSession.Status.MINUTES_APPROVED)
        .order_by("held_on", "number")
        .first(),
        proposals_waiting=AgendaItem.objects.filter(status=AgendaItem.Status.PROPOSED).count(),
        overdue_agreements=Agreement.objects.filter(late).count(),
        open_agreements=Agreement.objects.exclude(status=Agreement.Status.DONE).count(),
    )
