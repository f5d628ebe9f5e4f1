"""The 5W pages are asserted in English (the language switch's cookie)."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def client_a(client_a: Client) -> Client:
    client_a.cookies["django_language"] = "en"
    return client_a


@pytest.fixture
def client_b(client_b: Client) -> Client:
    client_b.cookies["django_language"] = "en"
    return client_b
