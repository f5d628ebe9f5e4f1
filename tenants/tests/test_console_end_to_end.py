"""The whole way in, as a new platform admin and a new coordinator would go: log in on the
platform's host, onboard a district from the console, open the invitation from the
e-mail, choose a password, and work (and log in again) in the new workspace."""

from __future__ import annotations

import re
import time
from binascii import unhexlify
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import TOTP

from apps.accounts.two_factor import SESSION_SETUP_KEY
from conftest import in_english, log_in
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
    log_in(admin, "admin@platform.test")

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
    # A coordinator must use two-factor: from the password straight to the app's setup.
    assert response.redirect_chain[-1] == ("/accounts/two-factor/setup/", 302)
    setup = response.content.decode()
    assert "Your password is set. Welcome!" in setup
    assert "Set up two-factor authentication" in setup
    key = coordinator.session[SESSION_SETUP_KEY]
    code = str(TOTP(unhexlify(key)).token()).zfill(6)
    response = coordinator.post("/accounts/two-factor/setup/", {"otp_token": code}, follow=True)
    assert "Your recovery codes" in response.content.decode()
    workspace = coordinator.get("/").content.decode()
    assert "Ventanilla" in workspace
    assert "rosa.quispe@example.org" in workspace  # logged in

    # The link worked once; the password (and the app's code) work from a fresh browser.
    assert coordinator.get(link.path).status_code == 410
    fresh = in_english(Client(HTTP_HOST=link.netloc))
    log_in(fresh, "rosa.quispe@example.org", NEW_PASSWORD)
    assert "rosa.quispe@example.org" in fresh.get("/").content.decode()
    # The account exists only in the new workspace, not on the platform's host.
    refused = in_english(Client(HTTP_HOST="localhost")).post(
        "/accounts/login/", {"username": "rosa.quispe@example.org", "password": NEW_PASSWORD}
    )
    assert refused.status_code == 200  # the form again, with its error; no redirect

    # The server's share of the "two minutes of clicking" is a few seconds.
    assert time.perf_counter() - started < 30
