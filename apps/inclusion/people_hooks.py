"""What this app must do when the registry merges two records of a person or anonymises
one (``apps.people.services.person_merge`` and ``apps.people.rights.person_anonymise``
call these inside their own transaction)."""

from __future__ import annotations

from apps.inclusion.models import (
    Business,
    Entrepreneur,
    EventAttendance,
    StallAllotment,
    TrainingAttendance,
)
from apps.inclusion.services import figures_changed_since, stage_refresh
from apps.people.links import PersonHooks, scrub_rows
from apps.people.models import Person

_OF_PERSON = "entrepreneur_id IN (SELECT id FROM inclusion_entrepreneur WHERE person_id = %s)"
_OF_PERSON_BUSINESS = (
    "business_id IN (SELECT b.id FROM inclusion_business b JOIN inclusion_entrepreneur e "
    "ON e.id = b.entrepreneur_id WHERE e.person_id = %s)"
)
# Business names often carry the owner's name, and a natural person's RUC holds their DNI;
# the activity and the formalisation stages still count. (table, values, rows of the person)
INCLUSION_SCRUB: list[tuple[str, dict[str, str], str]] = [
    ("inclusion_business", {"name": "(eliminado a pedido de la persona)", "ruc": ""}, _OF_PERSON),
    ("inclusion_businessevent", {"name": "", "ruc": ""}, _OF_PERSON),
    ("inclusion_businessstatuschange", {"note": ""}, _OF_PERSON_BUSINESS),
    ("inclusion_businessstatuschangeevent", {"note": ""}, _OF_PERSON_BUSINESS),
]


def inclusion_person_scrub(person: Person) -> None:
    """Remove identifying text about ``person`` from this app's tables and their history
    (the history tables are append-only; anonymisation is the one writer let past)."""
    triggers = [
        "inclusion.BusinessEvent:append_only",
        "inclusion.BusinessStatusChangeEvent:append_only",
    ]
    scrub_rows(person, INCLUSION_SCRUB, history_triggers=triggers)  # type: ignore[arg-type]


def inclusion_person_merge(*, keep: Person, duplicate: Person) -> None:
    """Move what this app holds of ``duplicate`` over to ``keep`` (before the duplicate is
    deleted): attendance (once per training or event), and the entrepreneur record (two
    become one: the businesses move over, a stall at an event where ``keep`` has one goes)."""
    for model, activity in ((TrainingAttendance, "training"), (EventAttendance, "event")):
        held = model.objects.filter(person=keep).values(activity)
        model.objects.filter(person=duplicate, **{f"{activity}__in": held}).delete()
        model.objects.filter(person=duplicate).update(person=keep)
    moving = Entrepreneur.objects.filter(person=duplicate).first()
    if moving is None:
        return
    staying = Entrepreneur.objects.filter(person=keep).first()
    if staying is None:
        moving.person = keep
        moving.save(update_fields=["person"])
        return
    Business.objects.filter(entrepreneur=moving).update(entrepreneur=staying)
    events = StallAllotment.objects.filter(entrepreneur=staying).values("event")
    StallAllotment.objects.filter(entrepreneur=moving, event__in=events).delete()
    StallAllotment.objects.filter(entrepreneur=moving).update(entrepreneur=staying)
    staying.registered_on = min(staying.registered_on, moving.registered_on)
    staying.save(update_fields=["registered_on"])
    moving.delete()
    stage_refresh(staying)
    figures_changed_since(staying.registered_on)


def inclusion_person_data(person: Person) -> dict[str, object] | None:
    """What this app holds about ``person``, as plain data (for the person's data file)."""
    entrepreneur = Entrepreneur.objects.filter(person=person).first()
    trainings = list(
        TrainingAttendance.objects.filter(person=person)
        .select_related("training")
        .order_by("training__held_on")
    )
    events = list(
        EventAttendance.objects.filter(person=person)
        .select_related("event")
        .order_by("event__starts_on")
    )
    if entrepreneur is None and not trainings and not events:
        return None
    businesses = (
        Business.objects.filter(entrepreneur=entrepreneur).prefetch_related("changes")
        if entrepreneur
        else Business.objects.none()
    )
    return {
        "entrepreneur": {
            "registered_on": entrepreneur.registered_on.isoformat(),
            "stage": entrepreneur.stage,
            "businesses": [
                {
                    "name": business.name,
                    "activity": business.activity,
                    "ruc": business.ruc,
                    "status": business.status,
                    "history": [
                        {"status": change.status, "since": change.since.isoformat()}
                        for change in business.changes.all()
                    ],
                }
                for business in businesses
            ],
        }
        if entrepreneur
        else None,
        "trainings": [
            {"title": a.training.title, "date": a.training.held_on.isoformat()} for a in trainings
        ],
        "events": [{"title": a.event.title, "date": a.event.starts_on.isoformat()} for a in events],
    }


PERSON_HOOKS = PersonHooks(
    key="economic_inclusion",
    merge=inclusion_person_merge,
    data=inclusion_person_data,
    scrub=inclusion_person_scrub,
)
