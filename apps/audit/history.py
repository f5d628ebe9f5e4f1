"""The history every table of personal data keeps (database triggers, django-pghistory)."""

from __future__ import annotations

from typing import Any

import pghistory


def tracked() -> Any:
    """Record inserts, updates and deletes (a fresh set of trackers for each model)."""
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
    )
