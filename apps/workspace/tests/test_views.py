from __future__ import annotations

import pytest
from django.test import Client

from conftest import login_as, role_email
from tenants.models import District

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["coordinator", "caseworker", "complaints_officer", "viewer"])
def test_home_shows_the_district_role_and_navigation(
    district_a: District, client_a: Client, role: str
) -> None:
    login_as(client_a, district_a, role)
    page = client_a.get("/").content.decode()
    assert "La Perla" in page
    assert "Bellavista" not in page
    assert 'aria-current="page"' in page
    assert 'href="/forum/"' in page  # every account sees the Forum of Mayors
    assert role_email(district_a.slug, role) in page
