"""What this app does when the registry merges, exports or anonymises a person
(see apps/people/links.py)."""

from __future__ import annotations

from apps.people.links import PersonHooks, scrub_rows
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
    scrub_rows(person, VOLUNTEERS_SCRUB, history_triggers=["volunteers.VolunteerEvent:append_only"])  # type: ignore[arg-type]


PERSON_HOOKS = PersonHooks(
    key="volunteer",
    merge=volunteer_person_merged,
    data=person_volunteer_data,
    scrub=volunteers_person_scrub,
)
