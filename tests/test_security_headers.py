"""Browser-side protections: the Content Security Policy and the other security headers on
every page, templates the policy can enforce (no inline script or style), and
``Cache-Control: no-store`` on every answer that may hold personal data."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from django_tenants.utils import schema_context

from apps.accounts.api_tokens import api_token_create
from apps.people.tests.factories import person_make
from conftest import login_as
from tenants.models import District

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [
    ROOT / "frontend" / "templates",
    *sorted(ROOT.glob("apps/*/templates")),
    *sorted(ROOT.glob("tenants/**/templates")),
]
EXPECTED_DIRECTIVES = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def _policy(header: str) -> dict[str, set[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def _assert_security_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    policy = _policy(headers["Content-Security-Policy"])
    for directive, values in EXPECTED_DIRECTIVES.items():
        assert policy[directive] == values, directive
    # Nothing may run or style the page from inside it.
    assert not any("'unsafe-inline'" in values for values in policy.values())
    assert not any("'unsafe-eval'" in values for values in policy.values())
    # Forms post here, or (billing) are redirected to Stripe's own pages only.
    assert policy["form-action"] == {
        "'self'",
        "https://checkout.stripe.com",
        "https://billing.stripe.com",
    }
    assert "Content-Security-Policy-Report-Only" not in headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


def _no_store(response: object) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")  # type: ignore[attr-defined]


@pytest.fixture
def person_url(district_a: District) -> str:
    with schema_context(district_a.schema_name):
        person = person_make()
    return reverse("people:detail", args=[person.public_id], urlconf="config.urls_tenant")


# ---------------------------------------------------------------------------- headers


def test_a_persons_page_has_the_policy_and_is_never_stored(
    client_a: Client, district_a: District, person_url: str
) -> None:
    login_as(client_a, district_a, "caseworker")
    response = client_a.get(person_url)
    assert response.status_code == 200
    assert "Pérez Núñez" in response.content.decode()
    _assert_security_headers(response)
    assert _no_store(response)
    assert "private" in response["Cache-Control"]


def test_public_pages_and_refusals_have_the_policy_too(
    public_client: Client, client_a: Client
) -> None:
    _assert_security_headers(public_client.get("/"))
    _assert_security_headers(client_a.get("/accounts/login/"))
    # A refusal (not signed in) and an unknown host's page.
    _assert_security_headers(client_a.get("/people/"))
    _assert_security_headers(Client(HTTP_HOST="nobody.localhost").get("/"))


def test_report_only_mode_sends_the_same_policy_without_enforcing_it(
    client_a: Client,
) -> None:
    directives = {"default-src": ["'self'"], "script-src": ["'self'"]}
    with override_settings(
        CONTENT_SECURITY_POLICY=None,
        CONTENT_SECURITY_POLICY_REPORT_ONLY={"DIRECTIVES": directives},
    ):
        response = client_a.get("/accounts/login/")
    assert "Content-Security-Policy" not in response.headers
    assert _policy(response["Content-Security-Policy-Report-Only"]) == {
        "default-src": {"'self'"},
        "script-src": {"'self'"},
    }


def _settings_policies(**env: str) -> str:
    """Both policy settings as the production settings build them from ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CSP_")}
    code = (
        "import config.settings.production as s; "
        "print(bool(s.CONTENT_SECURITY_POLICY), bool(s.CONTENT_SECURITY_POLICY_REPORT_ONLY), "
        "(s.CONTENT_SECURITY_POLICY or s.CONTENT_SECURITY_POLICY_REPORT_ONLY)['DIRECTIVES']"
        ".get('report-uri'))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
            "DJANGO_READ_DOT_ENV": "false",
            "SECRET_KEY": "k" * 50,
            "DATABASE_URL": "postgres://u:p@db/x",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_the_environment_switches_the_policy_to_report_only() -> None:
    assert _settings_policies() == "True False None"
    assert (
        _settings_policies(CSP_REPORT_ONLY="true", CSP_REPORT_URI="https://csp.example.pe/r")
        == "False True ['https://csp.example.pe/r']"
    )


# ---------------------------------------------------------------------------- templates

INLINE_PATTERNS = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_no_template_needs_unsafe_inline() -> None:
    """The policy allows no inline script or style: a template that adds one (a style
    attribute on a chart bar, an onclick) fails here instead of breaking in the browser."""
    found = []
    templates = [path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")]
    assert len(templates) > 50
    for path in templates:
        text = path.read_text()
        for what, pattern in INLINE_PATTERNS.items():
            if pattern.search(text):
                found.append(f"{path.relative_to(ROOT)}: {what}")
    assert found == []


def test_the_template_scan_finds_what_it_looks_for() -> None:
    samples = {
        "inline script": '<script>alert(1)</script><script src="/static/x.js" defer></script>',
        "style element": "<style>p{}</style>",
        "style attribute": '<rect style="width: 50%">',
        "event handler attribute": "<button onclick='go()'>",
        "javascript: URL": '<a href="javascript:void(0)">',
    }
    for what, sample in samples.items():
        assert INLINE_PATTERNS[what].search(sample), what
    assert not INLINE_PATTERNS["inline script"].search('<script src="/static/js/console.js" defer>')
    assert not INLINE_PATTERNS["style attribute"].search('<link rel="stylesheet" href="x.css">')


# ---------------------------------------------------------------------------- no-store


def test_every_workspace_answer_is_never_stored(client_a: Client, district_a: District) -> None:
    login_as(client_a, district_a, "caseworker")
    for path, status in (("/", 200), ("/people/", 200), ("/no-such/", 404)):
        response = client_a.get(path)
        assert response.status_code == status, path
        assert _no_store(response), path


def test_the_public_complaint_pages_are_never_stored(client_a: Client) -> None:
    """Anonymous, but they show what was typed and a complaint's stage."""
    for name in ("complaints:report", "complaints:track"):
        response = client_a.get(reverse(name, urlconf="config.urls_tenant"))
        assert response.status_code == 200, name
        assert _no_store(response), name
    sent = client_a.post(reverse("complaints:track", urlconf="config.urls_tenant"), {})
    assert _no_store(sent)


def test_static_files_stay_cacheable(client_a: Client, public_client: Client) -> None:
    for client in (client_a, public_client):
        response = client.get("/static/css/app.css")
        assert response.status_code == 200
        assert not _no_store(response)
        assert "max-age" in response["Cache-Control"]


def test_anonymous_platform_pages_stay_cacheable_but_not_once_signed_in(
    public_client: Client,
) -> None:
    assert not _no_store(public_client.get("/"))
    public_client.force_login(get_user_model().objects.get(username="secretariat@platform.test"))
    assert _no_store(public_client.get("/"))
    assert _no_store(public_client.get("/console/"))


def test_an_api_token_answer_on_the_platform_host_is_never_stored(public_client: Client) -> None:
    """The token signs the request in inside the GraphQL view, after the middleware ran."""
    account = get_user_model().objects.get(username="secretariat@platform.test")
    _token, secret = api_token_create(account=account, district=None, name="client")
    query = {"query": "{ __typename }"}
    anonymous = public_client.post("/graphql/", query, content_type="application/json")
    assert anonymous.status_code == 200
    assert not _no_store(anonymous)
    response = public_client.post(
        "/graphql/", query, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 200
    assert _no_store(response)
