"""What each district role may do with the 5W (merged into accounts.roles). The 5W holds
counts only, so every role may read it; the coordinator keeps it."""

from __future__ import annotations

from apps.accounts.roles import DistrictRole

_READ = ["activities.view_partneractivity"]
_WRITE = [
    "activities.add_partneractivity",
    "activities.change_partneractivity",
    "activities.delete_partneractivity",
]

ROLE_PERMISSIONS: dict[DistrictRole, list[str]] = {
    DistrictRole.COORDINATOR: [*_READ, *_WRITE],
    DistrictRole.CASEWORKER: _READ,
    DistrictRole.COMPLAINTS_OFFICER: _READ,
    DistrictRole.INCLUSION_OFFICER: _READ,
    DistrictRole.VIEWER: _READ,
}
