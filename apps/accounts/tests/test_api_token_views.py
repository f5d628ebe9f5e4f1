"""The API token pages: who may manage them, the secret shown once, revocation."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts.models import ApiToken
from conftest import client_for, log_in, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def _secretariat() -> Client:
    client = client_for(None)
    log_in(client, "secretariat@platform.test")
    return client


def test_the_secretariat_creates_a_token_and_sees_its_secret_once() -> None:
    client = _secretariat()
    created = client.post("/api-tokens/", {"name": "Tablero GTRM", "days": "30"})
    assert created.status_code == 302  # reloading the next page makes no second token
    response = client.get("/api-tokens/")
    token = ApiToken.objects.get()
    assert token.district is None
    page = response.content.decode()
    secret_start = page.index('value="cm_') + len('value="')
    secret = page[secret_start : page.index('"', secret_start)]
    assert secret.startswith(token.prefix)
    assert "no-store" in response["Cache-Control"]
    assert secret not in client.get("/api-tokens/").content.decode()


def test_bad_input_is_refused_next_to_the_field() -> None:
    response = _secretariat().post("/api-tokens/", {"name": "", "days": "400"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    assert "field--error" in response.content.decode()


def test_a_coordinator_manages_the_districts_tokens_only(
    district_a: District, district_b: District, client_a: Client, client_b: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    client_a.post("/api-tokens/", {"name": "Reporte mensual", "days": "90"})
    token = ApiToken.objects.get()
    assert token.district == district_a
    login_as(client_b, district_b, "coordinator")
    assert "Reporte mensual" not in client_b.get("/api-tokens/").content.decode()
    assert client_b.post(f"/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    confirm = client_a.get(f"/api-tokens/{token.pk}/revoke/")
    assert "Reporte mensual" in confirm.content.decode()
    assert client_a.post(f"/api-tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("role", ["caseworker", "viewer", "complaints_officer"])
def test_other_district_roles_are_refused(
    district_a: District, client_a: Client, role: str
) -> None:
    login_as(client_a, district_a, role)
    assert client_a.get("/api-tokens/").status_code == 403
    assert client_a.post("/api-tokens/", {"name": "x", "days": "5"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_platform_admins_and_anonymous_are_refused() -> None:
    assert client_for(None).get("/api-tokens/").status_code == 302
    admin = client_for(None)
    log_in(admin, "admin@platform.test")
    assert admin.get("/api-tokens/").status_code == 403
