"""Reads on complaints and establishments.

Who sees which complaint is decided here, failing closed: holders of
``view_all_complaints`` (complaints officer, coordinator) see every complaint; anyone else
with ``view_complaint`` (a caseworker) only those they filed; nobody else any.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from apps.accounts.roles import DistrictRole
from apps.complaints.models import (
    FINAL_STAGES,
    Complaint,
    ComplaintTransition,
    Establishment,
    Ground,
    Offence,
    Sanction,
    SanctionRule,
    SignageInspection,
    Stage,
    StageDeadline,
)
from apps.complaints.tracking import tracking_code_normalise
from apps.people.normalise import name_key
from apps.workspace.bars import bars_of

# ---------------------------------------------------------------------------- complaints


@dataclass(frozen=True)
class ComplaintFilters:
    query: str = ""
    stage: str = ""
    ground: str = ""
    overdue: bool = False


def complaints_visible_to(user: User | AnonymousUser) -> QuerySet[Complaint]:
    complaints = Complaint.objects.all()
    if user.has_perm("complaints.view_all_complaints"):
        return complaints
    if user.has_perm("complaints.view_complaint") and user.pk is not None:
        return complaints.filter(filed_by_id=user.pk)
    return complaints.none()


def can_read_narrative(user: User | AnonymousUser, complaint: Complaint) -> bool:
    """The narrative is need-to-know: holders of ``view_complaint_narrative`` (complaints
    officer, coordinator), and the staff member who typed it in at intake."""
    if user.has_perm("complaints.view_complaint_narrative"):
        return True
    return complaint.filed_by_id is not None and complaint.filed_by_id == user.pk


def stage_deadlines() -> dict[str, int]:
    """Days allowed in each open stage (the district's table)."""
    return {
        stage: days
        for stage, days in StageDeadline.objects.values_list("stage", "days")
        if stage not in FINAL_STAGES
    }


def _overdue(today: date, deadlines: dict[str, int]) -> Q:
    late = Q(pk__in=[])
    for stage, days in deadlines.items():
        late |= Q(stage=stage, stage_since__lt=today - timedelta(days=days))
    return late


def with_due_dates(
    complaints: QuerySet[Complaint], deadlines: dict[str, int]
) -> QuerySet[Complaint]:
    """Annotate ``due_on``: the last day in the current stage (None in final stages)."""
    if not deadlines:
        return complaints.annotate(due_on=Value(None, output_field=DateField()))
    days = Case(
        *[When(stage=stage, then=Value(n)) for stage, n in deadlines.items()],
        default=None,
        output_field=IntegerField(),
    )
    return complaints.annotate(
        due_on=ExpressionWrapper(F("stage_since") + days, output_field=DateField())
    )


def complaint_list(
    *, user: User | AnonymousUser, filters: ComplaintFilters, today: date
) -> QuerySet[Complaint]:
    deadlines = stage_deadlines()
    complaints = complaints_visible_to(user)
    text = filters.query.strip()
    if text:
        # Every word must appear in the establishment, the place or the complainant's name.
        match = Q()
        for word in name_key(text).split():
            match &= (
                Q(establishment__name_key__contains=word)
                | Q(place_description__icontains=word)
                | Q(complainant_name__icontains=word)
                | Q(complainant__name_key__contains=word)
            )
        code = tracking_code_normalise(text)
        if code:
            match |= Q(tracking_code=code)
        complaints = complaints.filter(match)
    if filters.stage:
        complaints = complaints.filter(stage=filters.stage)
    if filters.ground:
        complaints = complaints.filter(grounds__code=filters.ground)
    if filters.overdue:
        complaints = complaints.filter(_overdue(today, deadlines))
    return (
        with_due_dates(complaints, deadlines)
        .select_related("establishment", "complainant")
        .prefetch_related("grounds")
        .order_by("-received_on", "-pk")
    )


def complaint_get(*, user: User | AnonymousUser, public_id: str) -> Complaint | None:
    """One complaint the user may see, with everything its page shows, or None."""
    return (
        with_due_dates(complaints_visible_to(user), stage_deadlines())
        .filter(public_id=public_id)
        .select_related("establishment", "complainant", "filed_by", "inspector", "sanction__rule")
        .prefetch_related(
            "grounds",
            Prefetch(
                "transitions", queryset=ComplaintTransition.objects.select_related("changed_by")
            ),
        )
        .first()
    )


def complaints_overdue(today: date) -> QuerySet[Complaint]:
    """Complaints that stayed in their stage longer than the table allows, oldest first."""
    deadlines = stage_deadlines()
    return (
        with_due_dates(Complaint.objects.filter(_overdue(today, deadlines)), deadlines)
        .select_related("establishment")
        .order_by("stage_since", "pk")
    )


def complaints_dashboard(today: date) -> dict[str, Any]:
    """Counts for the workspace home: by stage, by ground, overdue (a fixed number of
    queries). The overdue list is for those who may open complaints."""
    by_stage = dict(
        Complaint.objects.values("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    by_ground = {
        row["ground_id"]: row["n"]
        for row in Complaint.grounds.through.objects.values("ground_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    grounds = Ground.objects.filter(Q(is_active=True) | Q(pk__in=list(by_ground)))
    overdue = complaints_overdue(today)
    month_start = today.replace(day=1)
    return {
        "total": sum(by_stage.values()),
        "open": sum(n for stage, n in by_stage.items() if stage not in FINAL_STAGES),
        "received_this_month": Complaint.objects.filter(
            received_on__gte=month_start, received_on__lte=today
        ).count(),
        "by_stage": bars_of(
            [(str(label), by_stage.get(value, 0)) for value, label in Stage.choices]
        ),
        "by_ground": bars_of([(ground.name, by_ground.get(ground.pk, 0)) for ground in grounds])
        if by_ground
        else [],
        "overdue_count": overdue.count(),
        "overdue": list(overdue[:10]),
    }


@dataclass(frozen=True)
class TrackingStep:
    stage: str
    label: str
    on: date


@dataclass(frozen=True)
class Tracking:
    """What the public tracking page may show: stages and dates, nothing else."""

    code: str
    stage: str
    label: str
    received_on: date
    stage_since: date
    is_final: bool
    steps: list[TrackingStep]


def complaint_track(*, code: str) -> Tracking | None:
    normalised = tracking_code_normalise(code)
    if not normalised:
        return None
    complaint = (
        Complaint.objects.filter(tracking_code=normalised)
        .only("tracking_code", "stage", "received_on", "stage_since")
        .first()
    )
    if complaint is None:
        return None
    steps = [
        TrackingStep(stage, str(Stage(stage).label), on)
        for stage, on in complaint.transitions.order_by("changed_at", "pk").values_list(
            "to_stage", "effective_on"
        )
    ]
    return Tracking(
        code=complaint.tracking_code,
        stage=complaint.stage,
        label=str(Stage(complaint.stage).label),
        received_on=complaint.received_on,
        stage_since=complaint.stage_since,
        is_final=complaint.stage in FINAL_STAGES,
        steps=steps,
    )


def inspectors() -> QuerySet[User]:
    """Staff who may be named as the inspector of a complaint."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name__in=[DistrictRole.COMPLAINTS_OFFICER, DistrictRole.COORDINATOR],
        )
        .distinct()
        .order_by("username")
    )


# ---------------------------------------------------------------------------- establishments


def establishment_offence_level(establishment: Establishment) -> Offence:
    """A repeat offence when the establishment already has a sanction not annulled on appeal."""
    earlier = Sanction.objects.filter(establishment=establishment, annulled_on__isnull=True)
    return Offence.REPEAT if earlier.exists() else Offence.FIRST


def sanction_rules_for(level: Offence | str) -> QuerySet[SanctionRule]:
    return SanctionRule.objects.filter(is_active=True, offence=level)


def _with_record(establishments: QuerySet[Establishment]) -> QuerySet[Establishment]:
    """Annotate the sanction count (annulled ones left out) and the last signage check."""
    sanctions = (
        Sanction.objects.filter(establishment=OuterRef("pk"), annulled_on__isnull=True)
        .order_by()
        .values("establishment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_check = SignageInspection.objects.filter(establishment=OuterRef("pk")).order_by(
        "-inspected_on", "-pk"
    )
    compliant = ExpressionWrapper(
        Q(sign_displayed=True, banned_phrase_found=False), output_field=BooleanField()
    )
    return establishments.annotate(
        sanction_count=Coalesce(Subquery(sanctions), 0),
        last_inspected_on=Subquery(last_check.values("inspected_on")[:1]),
        last_compliant=Subquery(last_check.annotate(ok=compliant).values("ok")[:1]),
    )


def establishment_list(
    *, query: str = "", sanctioned_only: bool = False
) -> QuerySet[Establishment]:
    establishments = Establishment.objects.all()
    text = query.strip()
    if text:
        match = Q()
        for word in name_key(text).split():
            match &= Q(name_key__contains=word) | Q(address__icontains=word)
        establishments = establishments.filter(match | Q(licence_number__iexact=text))
    establishments = _with_record(establishments)
    if sanctioned_only:
        establishments = establishments.filter(Q(sanction_count__gte=1))
    return establishments.order_by("name", "pk")


def establishment_get(*, public_id: str) -> Establishment | None:
    return (
        _with_record(Establishment.objects.filter(public_id=public_id))
        .prefetch_related(
            Prefetch(
                "signage_inspections",
                queryset=SignageInspection.objects.select_related("inspector"),
            ),
            Prefetch("sanctions", queryset=Sanction.objects.select_related("rule", "complaint")),
            Prefetch("complaints", queryset=Complaint.objects.order_by("-received_on", "-pk")),
        )
        .first()
    )
