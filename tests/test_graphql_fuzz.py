"""Property-based fuzzing of the GraphQL API: no query or mutation, valid or not, gets a
5xx or an "Internal error." (a resolver that raised).

schemathesis generates the operations from the checked-in ``schema.graphql``
(introspection is off, so the file is the contract); each one is sent through Django's
test client, in-process and inside the test's transaction, as a district's coordinator on
the district's host and as the secretariat on the platform's host. Valid operations
(every query and mutation, with arguments of the right types but arbitrary values: ids
that do not exist, impossible dates, empty and odd strings) and invalid ones (wrong
argument types, missing required arguments) are both generated.

The run is bounded and reproducible: a fixed number of examples, derandomized (the same
examples on every run and machine), no example database, no deadline.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.test import Client, override_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from conftest import log_in, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = schemathesis.graphql.from_path(ROOT / "schema.graphql")
OPERATIONS = st.one_of(
    SCHEMA.as_strategy(generation_mode=GenerationMode.POSITIVE),
    SCHEMA.as_strategy(generation_mode=GenerationMode.NEGATIVE),
)
EXAMPLES_PER_ACTOR = 150
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_ACTOR,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate, Phase.shrink],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


def _send(client: Client, case: Any) -> tuple[int, dict[str, Any]]:
    response = client.post("/graphql/", {"query": case.body}, content_type="application/json")
    assert response.status_code < 500, (case.body, response.content[:500])
    body = json.loads(response.content)
    messages = [error.get("message") for error in body.get("errors") or []]
    assert "Internal error." not in messages, (case.body, messages)
    return response.status_code, body


def _fuzz(client: Client) -> Counter[int]:
    client.raise_request_exception = False  # a 500 fails the example with its query
    statuses: Counter[int] = Counter()

    @FUZZ_SETTINGS
    @given(case=OPERATIONS)
    def run(case: Any) -> None:
        status, _body = _send(client, case)
        statuses[status] += 1

    run()
    return statuses


# The rate limit counts every request; the fuzzing run is one client sending hundreds.
UNLIMITED = override_settings(
    GRAPHQL_RATE_PER_ACCOUNT="100000/m", GRAPHQL_RATE_PER_ADDRESS="100000/m"
)


@UNLIMITED
def test_fuzzing_as_a_district_coordinator_finds_no_server_error(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    statuses = _fuzz(client_a)
    # Both kinds were sent: answered operations (200) and refused ones (400).
    assert statuses[200] > 0, statuses
    assert statuses[400] > 0, statuses


@UNLIMITED
def test_fuzzing_as_the_secretariat_finds_no_server_error(public_client: Client) -> None:
    log_in(public_client, "secretariat@platform.test")
    statuses = _fuzz(public_client)
    assert statuses[200] > 0, statuses
    assert statuses[400] > 0, statuses


def test_the_generator_covers_every_operation_of_the_schema() -> None:
    """Every query and mutation of schema.graphql is a fuzzing target (a new one is
    fuzzed without editing this file)."""
    results = list(SCHEMA.get_all_operations())
    assert all(isinstance(result, Ok) for result in results)  # the schema file loads whole
    names = {result.ok().label for result in results if isinstance(result, Ok)}
    assert {"Query.me", "Query.jointMetrics", "Mutation.forumSessionCreate"} <= names
