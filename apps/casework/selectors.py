"""Reads on casework."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from apps.casework.models import (
    Attention,
    Case,
    CaseNote,
    FollowUpTask,
    Referral,
    ReferralStatusChange,
)
from apps.people.models import Person


def person_casework(person: Person) -> dict[str, object]:
    """What the person's record page shows of casework (a fixed number of queries)."""
    return {
        "show_casework": True,
        "attentions": list(
            person.attentions.select_related("staff").prefetch_related("service_types")[:20]
        ),
        "cases": list(person.cases.select_related("caseworker")),
        "referrals": list(person.referrals.select_related("partner", "service_type")[:20]),
    }


def case_get(*, public_id: str) -> Case | None:
    return (
        Case.objects.filter(public_id=public_id)
        .select_related("person", "caseworker")
        .prefetch_related(
            Prefetch("tasks", queryset=FollowUpTask.objects.select_related("assigned_to")),
            Prefetch("attentions", queryset=Attention.objects.prefetch_related("service_types")),
        )
        .first()
    )


def case_notes_visible_to(*, user: User, case: Case) -> QuerySet[CaseNote]:
    """Every ordinary note; sensitive notes only for those who need to know: holders of
    ``view_sensitive_casenote`` (coordinators), the note's author and the case's caseworker."""
    notes = case.notes.select_related("author")
    if user.has_perm("casework.view_sensitive_casenote") or case.caseworker_id == user.pk:
        return notes
    return notes.filter(Q(is_sensitive=False) | Q(author=user))


def referral_get(*, public_id: str) -> Referral | None:
    return (
        Referral.objects.filter(public_id=public_id)
        .select_related("person", "partner", "service_type", "created_by")
        .prefetch_related(
            Prefetch("changes", queryset=ReferralStatusChange.objects.select_related("changed_by"))
        )
        .first()
    )


def referral_list(*, status: str = "") -> QuerySet[Referral]:
    referrals = Referral.objects.select_related("person", "partner")
    if status:
        referrals = referrals.filter(status=status)
    return referrals


def follow_ups_due_counts(*, today: date) -> dict[int, int]:
    """Open follow-up tasks due on or before ``today``, counted per assigned account id."""
    return dict(
        FollowUpTask.objects.filter(done_on__isnull=True, due_on__lte=today)
        .values("assigned_to")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("assigned_to", "n")
    )


def work_queue(*, user: User, today: date) -> dict[str, object]:
    """A caseworker's own queue: follow-ups due, and referrals they sent awaiting an answer."""
    tasks = (
        FollowUpTask.objects.filter(assigned_to=user, done_on__isnull=True, due_on__lte=today)
        .select_related("case__person")
        .order_by("due_on")[:20]
    )
    # A follow-up planned at an attention is pending until the person is attended again.
    later_attention = Attention.objects.filter(
        person=OuterRef("person"), occurred_on__gt=OuterRef("occurred_on")
    )
    attentions_due = (
        Attention.objects.filter(staff=user, next_follow_up_on__lte=today + timedelta(days=7))
        .exclude(Exists(later_attention))
        .select_related("person")
        .order_by("next_follow_up_on")[:20]
    )
    awaiting = (
        Referral.objects.filter(created_by=user, status=Referral.Status.SENT)
        .select_related("person", "partner")
        .order_by("created_at")[:20]
    )
    return {
        "tasks": list(tasks),
        "attentions_due": list(attentions_due),
        "referrals_awaiting": list(awaiting),
    }
