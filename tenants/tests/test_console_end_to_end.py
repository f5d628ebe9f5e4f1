"""The whole way in, as a new platform admin and a new coordinator would go: log in on the
platform's host, onboard a district from the console, open the invitation from the
e-mail, choose a password, and work (and log in again) in the new workspace."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from conftest import TEST_PASSWORD, in_english
from tenants.models import District, PlatformAdminAction

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "una-clave-nueva-para-ventanilla"


def _link(text: str, label: str) -> str:
    match = re.search(rf'<a[^>]*href="([^"]+)"[^>]*>\s*{re.escape(label)}', text)
    assert match is not None, f"no link “{label}”"
    return match.group(1)


def test_an_admin_onboards_a_district_and_its_coordinator_logs_in(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    started = time.perf_counter()
    admin = in_english(Client(HTTP_HOST="localhost"))

    # The platform's home links to the login page; the admin logs in with the form.
    landing = admin.get("/").content.decode()
    login = admin.get(_link(landing, "Log in"))
    assert login.status_code == 200
    response = admin.post(
        "/accounts/login/", {"username": "admin@platform.test", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302

    # From the portal's home to the console, and to its onboarding form.
    home = admin.get("/").content.decode()
    console = admin.get(_link(home, "Platform console")).content.decode()
    onboard_path = _link(console, "Onboard a district")
    form = admin.get(onboard_path).content.decode()
    for field in ("name", "slug", "ubigeo", "coordinator_email"):
        assert f'name="{field}"' in form

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            onboard_path,
            {
                "name": "Ventanilla",
                "slug": "ventanilla",
                "ubigeo": "070106",
                "coordinator_email": "Rosa.Quispe@Example.org",
            },
            follow=True,
        )
    page = response.content.decode()
    assert response.redirect_chain == [("/console/districts/ventanilla/", 302)]
    assert "Ventanilla is ready" in page
    assert "Every step is done: the workspace is ready." in page
    assert PlatformAdminAction.objects.get().district == District.objects.get(slug="ventanilla")

    # The coordinator's e-mail carries a one-time link to the new workspace.
    [email] = mail.outbox
    assert email.to == ["rosa.quispe@example.org"]
    found = re.search(r"http://\S+", email.body)
    assert found is not None
    link = urlsplit(found.group(0))
    assert link.netloc == "ventanilla.localhost"

    coordinator = in_english(Client(HTTP_HOST=link.netloc))
    invitation = coordinator.get(link.path)
    assert invitation.status_code == 200
    assert 'name="new_password1"' in invitation.content.decode()
    response = coordinator.post(
        link.path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1] == ("/", 302)
    workspace = response.content.decode()
    assert "Your password is set. Welcome!" in workspace
    assert "Ventanilla" in workspace
    assert "rosa.quispe@example.org" in workspace  # logged in

    # The link worked once; the password works from a fresh browser.
    assert coordinator.get(link.path).status_code == 410
    fresh = in_english(Client(HTTP_HOST=link.netloc))
    response = fresh.post(
        "/accounts/login/",
        {"username": "rosa.quispe@example.org", "password": NEW_PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert "rosa.quispe@example.org" in response.content.decode()
    # The account exists only in the new workspace, not on the platform's host.
    refused = in_english(Client(HTTP_HOST="localhost")).post(
        "/accounts/login/", {"username": "rosa.quispe@example.org", "password": NEW_PASSWORD}
    )
    assert refused.status_code == 200  # the form again, with its error; no redirect

    # The server's share of the "two minutes of clicking" is a few seconds.
    assert time.perf_counter() - started < 30
