"""Billing on the platform's host: platform admins see every district's state and act
for one district; nobody else does."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from apps.billing.models import BillingAccount, Plan
from apps.billing.tests.fakes import CHECKOUT_URL, PORTAL_URL, FakeStripe
from conftest import TEST_PASSWORD, log_in, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def _login(client: Client, email: str) -> Client:
    log_in(client, email)
    return client


@pytest.fixture
def admin(public_client: Client) -> Client:
    return _login(public_client, "admin@platform.test")


def test_platform_admins_see_every_district_and_its_state(
    billing_on: FakeStripe, plan: Plan, district_a: District, admin: Client
) -> None:
    BillingAccount.objects.create(
        district=district_a,
        plan=plan,
        stripe_customer_id="cus_la_perla",
        subscription_status="past_due",
    )
    page = admin.get("/billing/").content.decode()
    assert "La Perla" in page
    assert "Bellavista" in page
    assert "Payment overdue" in page
    assert "No subscription" in page
    assert 'href="/billing/districts/la-perla/"' in page
    assert 'href="/billing/"' in page  # the portal's navigation


@pytest.mark.parametrize("email", ["secretariat@platform.test", "soporte@platform.test"])
def test_other_platform_accounts_are_refused(
    billing_on: FakeStripe, plan: Plan, district_a: District, public_client: Client, email: str
) -> None:
    if email.startswith("soporte"):
        User.objects.create_user(username=email, email=email, password=TEST_PASSWORD)
    _login(public_client, email)
    assert public_client.get("/billing/").status_code == 403
    assert public_client.get("/billing/districts/la-perla/").status_code == 403
    response = public_client.post("/billing/districts/la-perla/checkout/", {"plan": "basico"})
    assert response.status_code == 403
    assert billing_on.requests == []


def test_anonymous_visitors_go_to_the_login_page(
    billing_on: FakeStripe, public_client: Client
) -> None:
    response = public_client.get("/billing/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_district_coordinator_cannot_reach_the_admin_pages(
    billing_on: FakeStripe, district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    assert client_a.get("/billing/districts/la-perla/").status_code == 404


def test_a_platform_admin_starts_checkout_for_a_district(
    billing_on: FakeStripe, plan: Plan, district_b: District, admin: Client
) -> None:
    page = admin.get("/billing/districts/bellavista/").content.decode()
    assert "Start a subscription for the district" in page
    response = admin.post("/billing/districts/bellavista/checkout/", {"plan": "basico"})
    assert response.status_code == 302
    assert response["Location"] == CHECKOUT_URL
    [session] = billing_on.calls("POST", "/v1/checkout/sessions")
    assert session["client_reference_id"] == str(district_b.pk)
    assert session["success_url"] == "http://localhost/billing/districts/bellavista/?checkout=done"
    assert BillingAccount.objects.get(district=district_b).stripe_customer_id == "cus_test_1"


def test_a_platform_admin_opens_the_portal_and_refreshes_from_stripe(
    billing_on: FakeStripe, plan: Plan, district_a: District, admin: Client
) -> None:
    BillingAccount.objects.create(
        district=district_a,
        stripe_customer_id="cus_la_perla",
        stripe_subscription_id="sub_1",
        subscription_status="incomplete",
    )
    portal = admin.post("/billing/districts/la-perla/portal/")
    assert portal["Location"] == PORTAL_URL
    billing_on.subscription_set("sub_1", "cus_la_perla", "active")
    response = admin.post("/billing/districts/la-perla/sync/", follow=True)
    assert "read again from Stripe" in response.content.decode()
    account = BillingAccount.objects.get(district=district_a)
    assert (account.subscription_status, account.plan) == ("active", plan)


def test_a_refresh_without_a_subscription_says_why(
    billing_on: FakeStripe, district_a: District, admin: Client
) -> None:
    response = admin.post("/billing/districts/la-perla/sync/", follow=True)
    assert "no subscription to refresh" in response.content.decode()
    assert billing_on.requests == []


def test_an_unknown_district_is_not_found(billing_on: FakeStripe, admin: Client) -> None:
    assert admin.get("/billing/districts/nowhere/").status_code == 404


def test_with_billing_off_the_pages_say_so(district_a: District, admin: Client) -> None:
    page = admin.get("/billing/").content.decode()
    assert "Billing is off" in page
    assert "Billing is off" in admin.get("/billing/districts/la-perla/").content.decode()
