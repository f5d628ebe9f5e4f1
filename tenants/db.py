"""Switching the connection's schema, named for what it does.

django-tenants adds these methods to its database wrapper; the type stubs of Django's
connection do not know them, so they are called through this one typed place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db import connection

if TYPE_CHECKING:
    from tenants.models import District


def use_public_schema() -> None:
    cast(Any, connection).set_schema_to_public()


def use_district_schema(district: District) -> None:
    cast(Any, connection).set_tenant(district)
