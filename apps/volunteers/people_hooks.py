"""What this app does when the registry merges, exports or anonymises a person
(see apps/people/links.py)."""

from __future__ import annotations

import pgtrigger
from django.db import connection

from apps.people.links import PersonHooks
from apps.people.models import Person
from apps.volunteers.selectors import person_volunteer_data
from apps.volunteers.services import volunteer_person_merged

_OF_PERSON = "person_id = %s"
# Skills and availability are free text about the person; the hours still count.
VOLUNTEERS_SCRUB: list[tuple[str, dict[str, str], str]] = [
    ("volunteers_volunteer", {"skills": "", "availability": ""}, _OF_PERSON),
    ("volunteers_volunteerevent", {"skills": "", "availability": ""}, _OF_PERSON),
]


def volunteers_person_scrub(person: Person) -> None:
    with (
        pgtrigger.ignore("volunteers.VolunteerEvent:append_only"),
        connection.cursor() as cursor,
    ):
        for table, values, rows in VOLUNTEERS_SCRUB:
            assignments = ", ".join(f"{column} = %s" for column in values)
            # Table, column and condition texts are the constants above, never input.
            sql = f"UPDATE {table} SET {assignments} WHERE {rows}"  # noqa: S608
            cursor.execute(sql, [*values.values(), person.pk])


PERSON_HOOKS = PersonHooks(
    key="volunteer",
    merge=volunteer_person_merged,
    data=person_volunteer_data,
    scrub=volunteers_person_scrub,
)
