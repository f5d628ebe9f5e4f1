"""What each district role may do in this app (merged into accounts.roles).

The viewer sees aggregates only: the activity calendar, the activities list and an
activity's page show dates, topics, places, partners and counts, and name no volunteer
unless the account also holds ``view_volunteer`` (the viewer does not). The complaints and
economic-inclusion officers have nothing here.
"""

from __future__ import annotations

from apps.accounts.roles import DistrictRole

_MODELS = ("volunteer", "awarenessactivity", "volunteerparticipation", "participantcount")

ROLE_PERMISSIONS: dict[DistrictRole, list[str]] = {
    DistrictRole.COORDINATOR: [
        f"volunteers.{action}_{model}"
        for model in _MODELS
        for action in ("view", "add", "change", "delete")
    ],
    DistrictRole.CASEWORKER: [f"volunteers.view_{model}" for model in _MODELS],
    DistrictRole.VIEWER: ["volunteers.view_awarenessactivity", "volunteers.view_participantcount"],
}
