"""The platform host's home: the public landing, or the portal for the secretariat."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import TEST_PASSWORD, client_for, log_in

pytestmark = pytest.mark.django_db


def _logged_in(email: str) -> Client:
    client = client_for(None)
    client.cookies["django_language"] = "en"
    log_in(client, email)
    return client


@pytest.mark.parametrize("email", ["secretariat@platform.test", "admin@platform.test"])
def test_portal_accounts_land_on_the_portal_with_every_section(email: str) -> None:
    page = _logged_in(email).get("/").content.decode()
    assert "What needs attention" in page
    for path in ("/forum/", "/forum/agreements/", "/metrics/", "/metrics/export/"):
        assert f'href="{path}' in page


def test_visitors_get_the_public_landing(public_client: Client) -> None:
    page = public_client.get("/").content.decode()
    assert "What needs attention" not in page
    assert 'href="/accounts/login/"' in page


def test_an_account_without_a_portal_role_gets_the_public_landing() -> None:
    from django.contrib.auth.models import User

    User.objects.create_user("norole@platform.test", "norole@platform.test", TEST_PASSWORD)
    page = _logged_in("norole@platform.test").get("/").content.decode()
    assert "What needs attention" not in page
