"""The export buttons say "Preparing the file…" until the file arrives: the page's script
sends a random token, and the export hands it back as a cookie (config.downloads)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from conftest import in_english, log_in, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db

TOKEN = "0123456789abcdef01234567"


def test_the_people_export_hands_the_token_back(district_a: District, client_a: Client) -> None:
    from django_tenants.utils import schema_context

    from apps.people.tests.factories import person_make

    with schema_context(district_a.schema_name):
        person_make()
    login_as(in_english(client_a), district_a, "coordinator")
    page = client_a.get("/people/").content.decode()
    assert 'data-download="Preparing the file…' in page
    assert 'data-download-status="download-status"' in page
    assert (
        '<p id="download-status" class="download-status" role="status" aria-live="polite">' in page
    )
    assert 'src="/static/js/download.js"' in page

    response = client_a.get(f"/people/export/?format=csv&download_token={TOKEN}")
    assert response.status_code == 200
    cookie = response.cookies["download_token"]
    assert cookie.value == TOKEN
    assert cookie["samesite"] == "Strict"
    assert int(cookie["max-age"]) <= 120


@pytest.mark.parametrize("token", ["", "short", "<script>", "x" * 30, "A" * 24])
def test_anything_but_a_random_hex_token_is_not_echoed(
    district_a: District, client_a: Client, token: str
) -> None:
    login_as(client_a, district_a, "coordinator")
    response = client_a.get("/activities/export/", {"format": "csv", "download_token": token})
    assert response.status_code == 200
    assert "download_token" not in response.cookies


def test_the_5w_exports_hand_the_token_back(
    district_a: District, client_a: Client, public_client: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    assert 'data-download="' in client_a.get("/activities/").content.decode()
    district_file = client_a.get("/activities/export/", {"format": "xlsx", "download_token": TOKEN})
    assert district_file.cookies["download_token"].value == TOKEN

    log_in(public_client, "secretariat@platform.test")
    page = public_client.get("/metrics/export/").content.decode()
    assert 'data-download="' in page
    joint = public_client.get("/metrics/export/", {"format": "csv", "download_token": TOKEN})
    assert joint.status_code == 200
    assert joint.cookies["download_token"].value == TOKEN


def test_the_script_is_a_static_file_the_policy_allows() -> None:
    script = Path("frontend/static/js/download.js").read_text()
    assert "download_token" in script
    assert re.search(r"aria-busy", script)
