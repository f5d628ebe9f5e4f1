"""What this app does when the registry merges, exports or anonymises a person
(see apps/people/links.py): complaints the person filed as a registered complainant."""

from __future__ import annotations

from apps.complaints.models import Complaint
from apps.people.links import PersonHooks, scrub_rows
from apps.people.models import Person

_OF_PERSON = "complainant_id = %s"
# The complaint stays (it is a municipal proceeding, and it still counts); what names or
# reaches the person goes, here and in the history.
COMPLAINTS_SCRUB: list[tuple[str, dict[str, str], str]] = [
    ("complaints_complaint", {"complainant_name": "", "complainant_contact": ""}, _OF_PERSON),
    (
        "complaints_complaintevent",
        {"complainant_name": "", "complainant_contact": ""},
        _OF_PERSON,
    ),
]


def complaints_person_merge(*, keep: Person, duplicate: Person) -> None:
    Complaint.objects.filter(complainant=duplicate).update(complainant=keep)


def complaints_person_data(person: Person) -> list[dict[str, object]]:
    return [
        {
            "tracking_code": complaint.tracking_code,
            "received_on": complaint.received_on.isoformat(),
            "stage": complaint.stage,
            "grounds": [ground.code for ground in complaint.grounds.all()],
            "narrative": complaint.narrative,
        }
        for complaint in Complaint.objects.filter(complainant=person)
        .prefetch_related("grounds")
        .order_by("received_on")
    ]


def complaints_person_scrub(person: Person) -> None:
    scrub_rows(person, COMPLAINTS_SCRUB, history_triggers=["complaints.ComplaintEvent:append_only"])  # type: ignore[arg-type]


PERSON_HOOKS = PersonHooks(
    key="complaints",
    merge=complaints_person_merge,
    data=complaints_person_data,
    scrub=complaints_person_scrub,
)
