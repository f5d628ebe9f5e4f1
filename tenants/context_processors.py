from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_tenants.utils import get_public_schema_name

from tenants.middleware import workspace_write_block_reason


def district(request: HttpRequest) -> dict[str, Any]:
    """The current district (None on the platform's own host) and its read-only banner.

    The layout reads ``workspace``: a page about some district (the console's) passes its
    own ``district`` without turning the platform's header into that district's."""
    current = getattr(request, "tenant", None)
    if current is None or current.schema_name == get_public_schema_name():
        return {"district": None, "workspace": None, "read_only_reason": None}
    return {
        "district": current,
        "workspace": current,
        "read_only_reason": workspace_write_block_reason(current),
    }
