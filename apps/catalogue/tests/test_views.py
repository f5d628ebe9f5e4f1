from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_tenants.utils import schema_context

from apps.catalogue.reference_data import PARTNERS
from conftest import TEST_PASSWORD, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def test_staff_see_the_reference_lists_in_spanish(district_a: District, client_a: Client) -> None:
    login_as(client_a, district_a, "caseworker")
    page = client_a.get("/catalogue/").content.decode()
    assert "Carné de Extranjería" in page
    assert "Defensoría del Pueblo" in page
    assert page.count("<tr>") == len(PARTNERS) + 1


def test_an_account_without_the_permission_is_refused(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        user = get_user_model().objects.create(username="sin-rol@example.org")
        user.set_password(TEST_PASSWORD)
        user.save()
    client_a.post(
        "/accounts/login/", {"username": "sin-rol@example.org", "password": TEST_PASSWORD}
    )
    assert client_a.get("/catalogue/").status_code == 403


def test_anonymous_is_sent_tologin_as(client_a: Client) -> None:
    response = client_a.get("/catalogue/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
