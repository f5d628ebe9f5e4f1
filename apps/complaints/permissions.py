"""What each district role may do in this app (merged into accounts.roles).

- complaints officer and coordinator: everything (no deletes: nothing here is deleted),
  including every complaint's narrative and the ordinance's tables;
- caseworker: takes complaints in and reads only those they filed (``view_complaint``
  without ``view_all_complaints``; the selectors scope it), with the narrative they typed;
- viewer: aggregates only (the dashboard on the home page and the joint metrics), no page
  of this app.
"""

from __future__ import annotations

from apps.accounts.roles import DistrictRole

_MANAGE = [
    *(
        f"complaints.{action}_{model}"
        for model in ("complaint", "establishment", "signageinspection", "sanction")
        for action in ("view", "add", "change")
    ),
    "complaints.view_all_complaints",
    "complaints.view_complaint_narrative",
    "complaints.view_complainttransition",
    *(
        f"complaints.{action}_{model}"
        for model in ("ground", "sanctionrule", "stagedeadline")
        for action in ("view", "add", "change")
    ),
]

ROLE_PERMISSIONS: dict[DistrictRole, list[str]] = {
    DistrictRole.COMPLAINTS_OFFICER: _MANAGE,
    DistrictRole.COORDINATOR: _MANAGE,
    DistrictRole.CASEWORKER: [
        "complaints.add_complaint",
        "complaints.view_complaint",
        "complaints.view_ground",
    ],
    DistrictRole.VIEWER: [],
}
