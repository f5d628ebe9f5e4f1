"""The GraphQL endpoint limits requests per client address and per signed-in account or
API token, answering HTTP 429 with Retry-After and a GraphQL-shaped error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django_tenants.utils import schema_context

from apps.accounts.api_tokens import api_token_create
from conftest import client_for, login_as, role_email
from tenants.models import District

QUERY = {"query": "{ __typename }"}


@pytest.fixture
def low_limits() -> Iterator[None]:
    with override_settings(GRAPHQL_RATE_PER_ACCOUNT="3/h", GRAPHQL_RATE_PER_ADDRESS="6/h"):
        yield


def _ask(client: Client, address: str = "10.0.0.1", **headers: Any) -> Any:
    return client.post(
        "/graphql/", QUERY, content_type="application/json", REMOTE_ADDR=address, **headers
    )


def _assert_limited(response: Any) -> None:
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 3600
    body = json.loads(response.content)
    assert "data" not in body  # the query never ran
    [error] = body["errors"]
    assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": retry_after}
    assert error["message"].startswith("Too many requests")


def _token(district: District | None, email: str) -> str:
    if district is None:
        account = get_user_model().objects.get(username=email)
        return api_token_create(account=account, district=None, name="client")[1]
    with schema_context(district.schema_name):
        account = get_user_model().objects.get(username=email)
        return api_token_create(account=account, district=district, name="client")[1]


@pytest.mark.usefixtures("low_limits")
def test_an_address_is_limited_on_every_host_together(
    public_client: Client, client_a: Client, client_b: Client
) -> None:
    for client in (public_client, client_a, client_b, public_client, client_a, client_b):
        assert _ask(client).status_code == 200
    _assert_limited(_ask(client_a))
    _assert_limited(_ask(public_client))
    # Another address is counted on its own.
    assert _ask(client_a, address="10.0.0.2").status_code == 200


@pytest.mark.usefixtures("low_limits")
def test_a_signed_in_account_is_limited_wherever_it_connects_from(
    client_a: Client, district_a: District
) -> None:
    login_as(client_a, district_a, "caseworker")
    for number in range(3):
        assert _ask(client_a, address=f"10.0.1.{number}").status_code == 200
    _assert_limited(_ask(client_a, address="10.0.1.9"))
    # Another account of the district, from the same address, is not affected.
    other = client_for(district_a)
    login_as(other, district_a, "viewer")
    assert _ask(other, address="10.0.1.9").status_code == 200


@pytest.mark.usefixtures("low_limits")
def test_accounts_of_different_districts_are_counted_apart(
    client_a: Client, client_b: Client, district_a: District, district_b: District
) -> None:
    """User ids repeat across district schemas: the count is per district's account."""
    login_as(client_a, district_a, "caseworker")
    login_as(client_b, district_b, "caseworker")
    for _ in range(3):
        assert _ask(client_a, address="10.0.2.1").status_code == 200
    _assert_limited(_ask(client_a, address="10.0.2.1"))
    assert _ask(client_b, address="10.0.2.2").status_code == 200


@pytest.mark.usefixtures("low_limits")
def test_an_api_token_is_limited(district_a: District) -> None:
    secret = _token(district_a, role_email(district_a.slug, "viewer"))
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client = client_for(district_a)
    for number in range(3):
        assert _ask(client, address=f"10.0.3.{number}", **bearer).status_code == 200
    _assert_limited(_ask(client, address="10.0.3.9", **bearer))
    # A second token is a second client.
    other = {
        "HTTP_AUTHORIZATION": f"Bearer {_token(district_a, role_email(district_a.slug, 'viewer'))}"
    }
    assert _ask(client, address="10.0.3.9", **other).status_code == 200


@pytest.mark.usefixtures("low_limits")
def test_token_guesses_count_against_the_address(public_client: Client) -> None:
    """The address is counted before the token is looked up."""
    for _ in range(6):
        guess = _ask(public_client, HTTP_AUTHORIZATION="Bearer cm_guessed")
        assert guess.status_code == 401
    valid = {"HTTP_AUTHORIZATION": f"Bearer {_token(None, 'secretariat@platform.test')}"}
    _assert_limited(_ask(public_client, **valid))


def test_the_default_limits_let_ordinary_use_through(client_a: Client) -> None:
    with override_settings(GRAPHQL_RATE_PER_ACCOUNT="120/m", GRAPHQL_RATE_PER_ADDRESS="300/m"):
        for _ in range(20):
            assert _ask(client_a).status_code == 200


def test_the_production_defaults() -> None:
    from config.settings import base

    assert base.GRAPHQL_RATE_PER_ACCOUNT == "120/m"
    assert base.GRAPHQL_RATE_PER_ADDRESS == "300/m"
