"""Other district apps that hold records about a person (a volunteer, an entrepreneur, a
complainant) say here what to do when the registry merges two records of the person,
exports the person's data file, or anonymises the person. Each lists a ``PERSON_HOOKS``
in its ``people_hooks`` module; the people services call every one, inside their own
transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apps.people.models import Person


@dataclass(frozen=True)
class PersonHooks:
    key: str  # the section of the person's data file
    merge: Callable[..., None]  # (keep=, duplicate=): before the duplicate is deleted
    data: Callable[[Person], Any]  # the app's records of the person, as plain data
    scrub: Callable[[Person], None]  # remove identifying text, history included


PERSON_HOOK_MODULES = [
    "apps.complaints.people_hooks",
    "apps.inclusion.people_hooks",
    "apps.volunteers.people_hooks",
]


def person_hooks() -> list[PersonHooks]:
    return [import_module(name).PERSON_HOOKS for name in PERSON_HOOK_MODULES]


# (table, column values to set, the condition selecting the person's rows, with one %s)
ScrubRows = list[tuple[str, dict[str, object], str]]


def scrub_rows(person: Person, rows: ScrubRows, *, history_triggers: list[str]) -> None:
    """Overwrite identifying text of ``person`` in the given tables, history tables
    included: their append-only triggers are lifted for these statements only
    (anonymisation is the one writer let past)."""
    import pgtrigger
    from django.db import connection

    with pgtrigger.ignore(*history_triggers), connection.cursor() as cursor:
        for table, values, condition in rows:
            assignments = ", ".join(f"{column} = %s" for column in values)
            # Table, column and condition texts are the callers' constants, never input.
            sql = f"UPDATE {table} SET {assignments} WHERE {condition}"  # noqa: S608
            cursor.execute(sql, [*values.values(), person.pk])  # type: ignore[list-item]
