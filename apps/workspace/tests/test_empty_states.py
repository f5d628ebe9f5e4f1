"""Every list page, when empty, says what the list is for and offers the first step the
user's role may take; a search that finds nothing says so and offers to clear it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conftest import in_english, log_in, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db

EMPTY_STATE = re.compile(r'<div class="empty-state" data-empty-state="([a-z-]+)">(.*?)</div>', re.S)


def _empty_state(client: Client, path: str) -> tuple[str, str]:
    """The kind ("nothing-yet" or "no-match") and the markup of the page's empty state."""
    response = client.get(path)
    assert response.status_code == 200, path
    found = EMPTY_STATE.search(response.content.decode())
    assert found, f"no empty state on {path}"
    return found.group(1), found.group(2)


# (role, list page, a sentence of its "nothing yet" text, the first action's link or None)
TENANT_LISTS = [
    ("caseworker", "/people/", "The registry holds the people the office serves", "/people/new/"),
    # reads the registry but may not register anyone: no button
    ("complaints_officer", "/people/", "The registry holds the people the office serves", None),
    ("caseworker", "/casework/referrals/", "Referrals send a person", "/people/"),
    ("complaints_officer", "/complaints/", "Complaints taken at the office", "/complaints/new/"),
    (
        "complaints_officer",
        "/complaints/establishments/",
        "Register the places complaints concern",
        "/complaints/establishments/new/",
    ),
    (
        "inclusion_officer",
        "/inclusion/",
        "Entrepreneurs are people of the registry",
        "/inclusion/entrepreneurs/new/",
    ),
    (
        "inclusion_officer",
        "/inclusion/trainings/",
        "No training is planned",
        "/inclusion/trainings/new/",
    ),
    (
        "inclusion_officer",
        "/inclusion/events/",
        "No safe space or fair is planned",
        "/inclusion/events/new/",
    ),
    (
        "coordinator",
        "/volunteers/roster/",
        "Volunteers are people already registered",
        "/volunteers/roster/new/",
    ),
    (
        "coordinator",
        "/volunteers/activities/",
        "No awareness activity yet",
        "/volunteers/activities/new/",
    ),
    ("coordinator", "/activities/", "No row typed for this month", "/activities/new/"),
    ("coordinator", "/audit/", "Nothing recorded yet", None),
    ("coordinator", "/api-tokens/", "No token yet", "#new-token-title"),
]


@pytest.mark.parametrize("case", TENANT_LISTS, ids=lambda case: f"{case[0]}:{case[1]}")
def test_an_empty_list_says_what_it_is_for_and_what_to_do(
    district_a: District, client_a: Client, case: tuple[str, str, str, str | None]
) -> None:
    role, path, says, action = case
    login_as(in_english(client_a), district_a, role)
    kind, markup = _empty_state(client_a, path)
    assert kind == "nothing-yet"
    assert says in markup
    buttons = re.findall(r'<a class="button[^"]*" href="([^"]*)"', markup)
    if action is None:
        assert buttons == []  # a role that may not act is not offered the action
    else:
        assert action in buttons


@pytest.mark.parametrize(
    "case",
    [
        ("caseworker", "/people/?query=Zzyzx", "Nobody matches this search", "/people/"),
        ("complaints_officer", "/complaints/?query=Zzyzx", "No complaint matches", "/complaints/"),
        ("inclusion_officer", "/inclusion/?query=Zzyzx", "No entrepreneur matches", "/inclusion/"),
        (
            "coordinator",
            "/volunteers/roster/?query=Zzyzx",
            "No volunteer matches",
            "/volunteers/roster/",
        ),
        (
            "caseworker",
            "/casework/referrals/?status=accepted",
            "No referral has this status",
            "/casework/referrals/",
        ),
    ],
)
def test_a_search_that_finds_nothing_offers_to_clear_it(
    district_a: District, client_a: Client, case: tuple[str, str, str, str]
) -> None:
    role, path, no_match, clear = case
    login_as(in_english(client_a), district_a, role)
    kind, markup = _empty_state(client_a, path)
    assert kind == "no-match"
    assert no_match in markup
    assert f'href="{clear}">Clear the filters</a>' in markup
    assert "The registry holds" not in markup  # never mistaken for an empty register


def test_the_pages_of_the_month_and_tab_are_not_filters(
    district_a: District, client_a: Client
) -> None:
    login_as(in_english(client_a), district_a, "coordinator")
    assert _empty_state(client_a, "/activities/?month=2025-01")[0] == "nothing-yet"
    assert _empty_state(client_a, "/audit/?tab=changes")[0] == "nothing-yet"
    assert _empty_state(client_a, "/inclusion/trainings/?when=past")[0] == "nothing-yet"


def test_the_forum_lists_of_the_secretariat_say_what_to_do(public_client: Client) -> None:
    log_in(in_english(public_client), "secretariat@platform.test")
    kind, markup = _empty_state(public_client, "/forum/")
    assert (kind, "Create the first one" in markup) == ("nothing-yet", True)
    assert 'href="#new-session-title"' in markup
    kind, markup = _empty_state(public_client, "/forum/agreements/")
    assert kind == "nothing-yet"
    assert 'href="/forum/">Go to the sessions</a>' in markup
    kind, markup = _empty_state(public_client, "/forum/agreements/?status=done")
    assert kind == "no-match"
    assert 'href="/forum/agreements/">Clear the filters</a>' in markup
