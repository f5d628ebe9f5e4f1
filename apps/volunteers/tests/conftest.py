"""Pages are asserted in English (the language switch's cookie); service tests run inside
La Perla's schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context

from tenants.models import District


@pytest.fixture
def in_district_a(district_a: District) -> Iterator[District]:
    with schema_context(district_a.schema_name):
        yield district_a


@pytest.fixture(autouse=True)
def _language_not_left_behind() -> Iterator[None]:
    """A request in English leaves English active in the thread: later tests that read
    labels outside a request must find the default language again."""
    yield
    translation.deactivate()


def _in_english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def client_a(client_a: Client) -> Client:
    return _in_english(client_a)


@pytest.fixture
def client_b(client_b: Client) -> Client:
    return _in_english(client_b)
