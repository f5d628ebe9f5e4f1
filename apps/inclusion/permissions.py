"""What each district role may do in this app (merged into accounts.roles)."""

from __future__ import annotations

from apps.accounts.roles import DistrictRole

_MODELS = (
    "entrepreneur",
    "business",
    "businessstatuschange",
    "training",
    "trainingattendance",
    "event",
    "stallallotment",
    "eventattendance",
)
FIGURES = "inclusion.view_inclusion_figures"
# Everything in the app: its records with names, and the figures.
_ALL = [
    f"inclusion.{action}_{model}"
    for model in _MODELS
    for action in ("view", "add", "change", "delete")
] + [FIGURES]

ROLE_PERMISSIONS: dict[DistrictRole, list[str]] = {
    DistrictRole.INCLUSION_OFFICER: _ALL,
    DistrictRole.COORDINATOR: _ALL,
    # Counts only (the home dashboard's figures): no page with names.
    DistrictRole.VIEWER: [FIGURES],
}
