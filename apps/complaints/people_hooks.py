"""What this app does when the registry merges, exports or anonymises a person
(see apps/people/links.py): complaints the person filed as a registered complainant."""

from __future__ import annotations

import pgtrigger
from django.db import connection

from apps.complaints.models import Complaint
from apps.people.links import PersonHooks
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
    with (
        pgtrigger.ignore("complaints.ComplaintEvent:append_only"),
        connection.cursor() as cursor,
    ):
        for table, values, rows in COMPLAINTS_SCRUB:
            assignments = ", ".join(f"{column} = %s" for column in values)
            # Table, column and condition texts are the constants above, never input.
            sql = f"UPDATE {table} SET {assignments} WHERE {rows}"  # noqa: S608
            cursor.execute(sql, [*values.values(), person.pk])


PERSON_HOOKS = PersonHooks(
    key="complaints",
    merge=complaints_person_merge,
    data=complaints_person_data,
    scrub=complaints_person_scrub,
)
