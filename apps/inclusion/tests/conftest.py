"""Pages are asserted in English (the language switch's cookie), and service tests run
inside La Perla's schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context

from conftest import in_english
from tenants.models import District


@pytest.fixture
def in_district_a(district_a: District) -> Iterator[District]:
    with schema_context(district_a.schema_name):
        yield district_a


@pytest.fixture
def client_a(client_a: Client) -> Client:
    return in_english(client_a)


@pytest.fixture
def client_b(client_b: Client) -> Client:
    return in_english(client_b)


@pytest.fixture(autouse=True)
def _messages_in_english() -> Iterator[None]:
    """Services' messages and labels read in English: assertions do not depend on the
    Spanish catalogue's wording."""
    with translation.override("en"):
        yield
