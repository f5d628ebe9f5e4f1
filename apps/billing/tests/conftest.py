"""Billing switched on against a fake Stripe (no network), and pages in English."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import stripe
from django.test import Client
from django.utils import translation

from apps.billing.models import BillingAccount, Plan
from apps.billing.tests.fakes import PRICE_BASIC, WEBHOOK_SECRET, FakeStripe
from conftest import in_english
from tenants.models import District


@pytest.fixture
def fake_stripe(monkeypatch: pytest.MonkeyPatch) -> FakeStripe:
    fake = FakeStripe()
    monkeypatch.setattr(stripe, "default_http_client", fake)
    return fake


@pytest.fixture
def billing_on(settings: Any, fake_stripe: FakeStripe) -> FakeStripe:
    """Stripe keys set (so billing is on), every call answered by the fake."""
    settings.STRIPE_SECRET_KEY = "sk_test_only"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.BILLING_ENABLED = True
    settings.BILLING_GRACE_DAYS = 14
    return fake_stripe


@pytest.fixture
def plan(db: None) -> Plan:
    return Plan.objects.create(
        code="basico", name="Plan básico", stripe_price_id=PRICE_BASIC, user_seats=10
    )


@pytest.fixture
def account_a(district_a: District) -> BillingAccount:
    """La Perla's billing row with its Stripe customer, as a first Checkout leaves it."""
    return BillingAccount.objects.create(district=district_a, stripe_customer_id="cus_la_perla")


@pytest.fixture
def public_client(public_client: Client) -> Client:
    return in_english(public_client)


@pytest.fixture
def client_a(client_a: Client) -> Client:
    return in_english(client_a)


@pytest.fixture
def client_b(client_b: Client) -> Client:
    return in_english(client_b)


@pytest.fixture(autouse=True)
def _messages_in_english() -> Iterator[None]:
    """Messages and labels read in English: assertions do not depend on the catalogue."""
    with translation.override("en"):
        yield
