"""What each district role may do in this app (merged into accounts.roles)."""

from __future__ import annotations

from apps.accounts.roles import DistrictRole

ROLE_PERMISSIONS: dict[DistrictRole, list[str]] = {}
