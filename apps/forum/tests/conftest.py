"""The forum's pages are asserted in English (the language switch's cookie): the Spanish
catalogue is filled in separately, and the pages must not depend on it."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import in_english


@pytest.fixture
def public_client(public_client: Client) -> Client:
    return in_english(public_client)


@pytest.fixture
def client_a(client_a: Client) -> Client:
    return in_english(client_a)


@pytest.fixture
def client_b(client_b: Client) -> Client:
    return in_english(client_b)
