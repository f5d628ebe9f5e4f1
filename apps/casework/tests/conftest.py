from __future__ import annotations

from collections.abc import Iterator

import pytest
from django_tenants.utils import schema_context

from tenants.models import District


@pytest.fixture
def in_district_a(district_a: District) -> Iterator[District]:
    """Run the test body inside La Perla's schema."""
    with schema_context(district_a.schema_name):
        yield district_a
