"""Pages are asserted in English (the language switch's cookie); every test starts with an
empty cache (the root conftest clears it), so rate-limit counters never leak between tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django_tenants.utils import schema_context

from conftest import in_english
from tenants.models import District


@pytest.fixture
def client_a(client_a: Client) -> Client:
    return in_english(client_a)


@pytest.fixture
def client_b(client_b: Client) -> Client:
    return in_english(client_b)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def in_district_a(district_a: District) -> Iterator[District]:
    """Run the test body inside La Perla's schema."""
    with schema_context(district_a.schema_name):
        yield district_a
