"""A district's own figures, in its workspace: for its coordinators, unsuppressed, its own."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from apps.metrics.forms import TO_BEFORE_FROM_MESSAGE
from apps.metrics.tests.factories import metric_table_store
from apps.metrics.tests.test_views_public import numbers_in_text, row_text
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_a(client_a: Client) -> Client:
    """Pages in English (the language switch's cookie): assertions do not depend on the
    Spanish catalogue's wording."""
    client_a.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client_a


@pytest.fixture
def client_b(client_b: Client) -> Client:
    client_b.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client_b


URL = "/figures/"


@pytest.fixture
def stored(district_a: District, district_b: District) -> date:
    """La Perla: 3 people (hidden in the portal). Bellavista: 47."""
    month = timezone.localdate().replace(day=1)
    metric_table_store(district_a, month, {"": 3, "sex=female": 3})
    metric_table_store(district_b, month, {"": 47, "sex=female": 40, "sex=male": 7})
    return month


def test_anonymous_visitors_are_sent_to_the_login_page(client_a: Client) -> None:
    response = client_a.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["caseworker", "viewer", "complaints_officer"])
def test_other_district_roles_are_refused(
    district_a: District, client_a: Client, role: str
) -> None:
    login_as(client_a, district_a, role)
    assert client_a.get(URL).status_code == 403


def test_the_section_is_in_the_navigation_of_coordinators_only(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "caseworker")
    assert f'href="{URL}"' not in client_a.get("/").content.decode()
    client_a.post("/accounts/logout/")
    login_as(client_a, district_a, "coordinator")
    assert f'href="{URL}"' in client_a.get("/").content.decode()


def test_the_coordinator_sees_the_districts_own_small_count_but_not_another_districts(
    district_a: District, client_a: Client, stored: date
) -> None:
    login_as(client_a, district_a, "coordinator")
    response = client_a.get(URL, {"dimension": "sex"})
    assert response.status_code == 200
    html = response.content.decode()
    figures = response.context["figures"]
    this_month = figures.months[-1].cell
    assert (this_month.value, this_month.hidden_in_portal) == (3, True)
    with translation.override("en"):  # the page's language
        month_label = date_format(stored, "YEAR_MONTH_FORMAT")
    assert row_text(html, month_label).split()[0] == "3"  # unsuppressed: La Perla's own
    assert "hidden there" in html  # ...and the page says the portal hides it
    assert not {"47", "40", "7"} & numbers_in_text(html)  # nothing of Bellavista's
    assert [(row.key, row.cell.value) for row in figures.by_value] == [("female", 3)]
    assert "In the shared portal" in html


def test_each_district_sees_only_its_own_figures(
    district_b: District, client_b: Client, stored: date
) -> None:
    login_as(client_b, district_b, "coordinator")
    figures = client_b.get(URL).context["figures"]
    assert figures.months[-1].cell.value == 47
    assert not figures.months[-1].cell.hidden_in_portal


def test_an_empty_period_says_when_figures_appear(district_a: District, client_a: Client) -> None:
    login_as(client_a, district_a, "coordinator")
    html = client_a.get(URL).content.decode()
    assert "No figures for these months yet" in html


def test_a_bad_period_is_explained_next_to_the_field(
    district_a: District, client_a: Client, stored: date
) -> None:
    login_as(client_a, district_a, "coordinator")
    response = client_a.get(URL, {"period_from": "2026-05", "period_to": "2026-02"})
    assert response.context["figures"] is None
    assert response.context["form"].errors["period_to"] == [str(TO_BEFORE_FROM_MESSAGE)]
