"""The workspace's Billing page: its coordinators start Checkout and open the Customer
Portal for their own district; nobody else does."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.billing.models import BillingAccount, Plan
from apps.billing.tests.fakes import CHECKOUT_URL, PORTAL_URL, PRICE_BASIC, FakeStripe
from conftest import client_for, in_english, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def test_a_coordinator_is_sent_to_stripe_checkout_for_the_chosen_plan(
    billing_on: FakeStripe, plan: Plan, district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    page = client_a.get("/billing/").content.decode()
    assert "Start a subscription" in page
    assert "Plan básico (up to 10 users)" in page
    response = client_a.post("/billing/checkout/", {"plan": "basico"})
    assert response.status_code == 302
    assert response["Location"] == CHECKOUT_URL

    [customer] = billing_on.calls("POST", "/v1/customers")
    assert customer["name"] == "La Perla"
    assert customer["metadata[district]"] == "la-perla"
    [session] = billing_on.calls("POST", "/v1/checkout/sessions")
    assert session["mode"] == "subscription"
    assert session["customer"] == "cus_test_1"
    assert session["line_items[0][price]"] == PRICE_BASIC
    assert session["client_reference_id"] == str(district_a.pk)
    assert session["success_url"] == "http://la-perla.localhost/billing/?checkout=done"
    assert session["cancel_url"] == "http://la-perla.localhost/billing/?checkout=canceled"
    account = BillingAccount.objects.get(district=district_a)
    assert account.stripe_customer_id == "cus_test_1"


def test_a_second_checkout_reuses_the_district_customer(
    billing_on: FakeStripe, plan: Plan, district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    client_a.post("/billing/checkout/", {"plan": "basico"})
    client_a.post("/billing/checkout/", {"plan": "basico"})  # the first was abandoned
    assert len(billing_on.calls("POST", "/v1/customers")) == 1
    assert len(billing_on.calls("POST", "/v1/checkout/sessions")) == 2


def test_back_from_checkout_the_page_says_what_happens_next(
    billing_on: FakeStripe, plan: Plan, district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    assert "as soon as Stripe confirms" in client_a.get("/billing/?checkout=done").content.decode()
    assert "nothing was charged" in client_a.get("/billing/?checkout=canceled").content.decode()


@pytest.mark.parametrize(
    "role", ["caseworker", "viewer", "complaints_officer", "inclusion_officer"]
)
def test_other_roles_are_refused(
    billing_on: FakeStripe, plan: Plan, district_a: District, client_a: Client, role: str
) -> None:
    login_as(client_a, district_a, role)
    assert client_a.get("/billing/").status_code == 403
    assert client_a.post("/billing/checkout/", {"plan": "basico"}).status_code == 403
    assert client_a.post("/billing/portal/").status_code == 403
    assert 'href="/billing/"' not in client_a.get("/").content.decode()
    assert billing_on.requests == []


def test_anonymous_visitors_go_to_the_login_page(
    billing_on: FakeStripe, plan: Plan, client_a: Client
) -> None:
    for response in (
        client_a.get("/billing/"),
        client_a.post("/billing/checkout/", {"plan": "basico"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert billing_on.requests == []


def test_a_coordinator_of_another_district_cannot_act_here(
    billing_on: FakeStripe, plan: Plan, district_a: District, district_b: District, client_b: Client
) -> None:
    login_as(client_b, district_b, "coordinator")
    # Bellavista's session is unknown on La Perla's host: to the login page, nothing made.
    intruder = in_english(client_for(district_a))
    for name, morsel in client_b.cookies.items():
        intruder.cookies[name] = morsel.value
    response = intruder.post("/billing/checkout/", {"plan": "basico"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert billing_on.requests == []
    assert not BillingAccount.objects.filter(district=district_a).exists()
    # On its own host, the checkout is for Bellavista only.
    client_b.post("/billing/checkout/", {"plan": "basico"})
    [session] = billing_on.calls("POST", "/v1/checkout/sessions")
    assert session["client_reference_id"] == str(district_b.pk)


def test_the_page_shows_the_subscription_and_the_portal_once_subscribed(
    billing_on: FakeStripe, plan: Plan, district_a: District, client_a: Client
) -> None:
    BillingAccount.objects.create(
        district=district_a,
        plan=plan,
        stripe_customer_id="cus_la_perla",
        stripe_subscription_id="sub_1",
        subscription_status="active",
    )
    login_as(client_a, district_a, "coordinator")
    page = client_a.get("/billing/").content.decode()
    assert "Plan básico" in page
    assert "Active" in page
    assert "of 10" in page  # active accounts against the plan's seats
    assert "Open the customer portal" in page
    assert "Start a subscription" not in page
    refused = client_a.post("/billing/checkout/", {"plan": "basico"})
    assert refused.status_code == 400
    assert "already has a subscription" in refused.content.decode()
    assert billing_on.calls("POST", "/v1/checkout/sessions") == []

    portal = client_a.post("/billing/portal/")
    assert portal.status_code == 302
    assert portal["Location"] == PORTAL_URL
    [session] = billing_on.calls("POST", "/v1/billing_portal/sessions")
    assert session == {
        "customer": "cus_la_perla",
        "return_url": "http://la-perla.localhost/billing/",
    }


def test_the_portal_needs_a_customer_first(
    billing_on: FakeStripe, plan: Plan, district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    response = client_a.post("/billing/portal/", follow=True)
    assert "start a subscription first" in response.content.decode()
    assert billing_on.requests == []


def test_a_plan_not_offered_is_refused(
    billing_on: FakeStripe, plan: Plan, district_a: District, client_a: Client
) -> None:
    Plan.objects.filter(pk=plan.pk).update(is_offered=False)
    login_as(client_a, district_a, "coordinator")
    response = client_a.post("/billing/checkout/", {"plan": "basico"})
    assert response.status_code == 400
    assert "No plan is offered yet" in response.content.decode()
    assert billing_on.requests == []


def test_when_stripe_fails_the_page_says_so_and_nothing_changes(
    billing_on: FakeStripe, plan: Plan, district_a: District, client_a: Client
) -> None:
    billing_on.fail_with = 500
    login_as(client_a, district_a, "coordinator")
    response = client_a.post("/billing/checkout/", {"plan": "basico"})
    assert response.status_code == 400
    assert "Stripe could not be reached" in response.content.decode()
    assert not BillingAccount.objects.filter(stripe_customer_id__isnull=False).exists()


def test_with_billing_off_the_page_says_so_and_nothing_is_called(
    fake_stripe: FakeStripe, plan: Plan, district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    page = client_a.get("/billing/").content.decode()
    assert "Billing is off" in page
    assert "Start a subscription" not in page
    response = client_a.post("/billing/checkout/", {"plan": "basico"})
    assert response.status_code == 400
    assert "Billing is off" in response.content.decode()
    assert fake_stripe.requests == []
    assert not BillingAccount.objects.exists()


def test_coordinators_find_billing_in_the_navigation(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    assert 'href="/billing/"' in client_a.get("/").content.decode()
