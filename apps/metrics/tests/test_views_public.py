"""The secretariat's joint-metrics dashboard on the platform's host."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone, translation

from apps.metrics.forms import (
    NOT_A_DIMENSION_MESSAGE,
    TO_BEFORE_FROM_MESSAGE,
    month_start,
)
from apps.metrics.indicators import INDICATORS, MAX_MONTHS
from apps.metrics.labels import dimension_label
from apps.metrics.tests.factories import metric_table_store
from conftest import TEST_PASSWORD, log_in, login_as
from tenants.models import District

pytestmark = pytest.mark.django_db

URL = "/metrics/"


class _TextParts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def numbers_in_text(html: str) -> set[str]:
    """Every whole number a reader sees (text of the page, SVG titles and labels included)."""
    parser = _TextParts()
    parser.feed(html)
    return set(re.findall(r"(?<![\d/.,:-])\d+(?![\d/.,:-])", " ".join(parser.parts)))


def row_text(html: str, label: str) -> str:
    """The text of the table row headed by ``label``."""
    match = re.search(rf"<tr>\s*<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", html, re.S)
    assert match, f"no row {label!r}"
    return re.sub(r"<[^>]+>", " ", match.group(1))


def _login(client: Client, email: str) -> None:
    """Log in, and read the pages in English (the language switch's cookie), so assertions
    do not depend on the Spanish catalogue's wording."""
    log_in(client, email)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


@pytest.fixture
def secretariat(public_client: Client) -> Client:
    _login(public_client, "secretariat@platform.test")
    return public_client


@pytest.fixture
def small_counts(district_a: District, district_b: District) -> date:
    """La Perla: 40 people, 3 of them men (hidden) and so 37 women (hidden too, or 40 - 37
    would give the 3 away). Bellavista: 2 people, all hidden."""
    month = _this_month()
    hidden_a = metric_table_store(
        district_a, month, {"": 40, "sex=female": 37, "sex=male": 3, "r4v_group=women": 40}
    )
    assert hidden_a == {"": False, "sex=female": True, "sex=male": True, "r4v_group=women": False}
    metric_table_store(district_b, month, {"": 2, "sex=female": 2, "r4v_group=women": 2})
    return month


@pytest.mark.parametrize("url", [URL, "/metrics/export/"])
def test_anonymous_visitors_are_sent_to_the_login_page(public_client: Client, url: str) -> None:
    response = public_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", [URL, "/metrics/export/"])
def test_a_public_account_without_the_secretariat_or_admin_role_is_refused(
    public_client: Client, url: str
) -> None:
    get_user_model().objects.create_user(
        username="nobody@platform.test", email="nobody@platform.test", password=TEST_PASSWORD
    )
    _login(public_client, "nobody@platform.test")
    assert public_client.get(url).status_code == 403


def test_a_district_session_does_not_open_the_portal(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    # The district's host has no portal pages at all.
    assert client_a.get(URL).status_code == 404


def test_before_anything_is_published_the_page_says_how_figures_appear(
    secretariat: Client,
) -> None:
    response = secretariat.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "No figures yet" in html
    assert "publish_metrics" in html
    assert response.context["figures"] is None


def test_platform_admins_see_the_dashboard_too(public_client: Client, small_counts: date) -> None:
    _login(public_client, "admin@platform.test")
    response = public_client.get(URL)
    assert response.status_code == 200
    assert response.context["figures"] is not None


def test_small_counts_and_their_complements_never_appear_on_the_dashboard(
    secretariat: Client, small_counts: date
) -> None:
    response = secretariat.get(URL, {"dimension": "sex"})
    assert response.status_code == 200
    html = response.content.decode()
    shown = numbers_in_text(html)
    assert "40" in shown  # La Perla's total
    assert not shown & {"2", "3", "37", "42"}  # hidden counts, and a total including one
    figures = response.context["figures"]
    districts = {row.label: row.cell for row in figures.by_district}
    assert districts["La Perla"].value == 40
    assert districts["Bellavista"].hidden
    assert "hidden" in row_text(html, "Bellavista")
    by_sex = {row.key: row.cell for row in figures.by_value}
    assert by_sex["female"].hidden
    assert by_sex["male"].hidden
    this_month = figures.months[-1].cell
    assert (this_month.value, this_month.held_back) == (40, True)  # 40 + hidden, never 42
    assert "+ hidden" in html
    assert 'id="suppression-note"' in html
    assert "counts from 1 to 4" in html


def test_the_chart_is_inline_svg_with_a_text_alternative_and_no_script(
    secretariat: Client, small_counts: date
) -> None:
    html = secretariat.get(URL).content.decode()
    assert '<svg class="metric-chart__svg"' in html
    assert 'role="img"' in html
    assert "The same figures are in the table below the chart." in html
    assert "<caption>" in html
    assert '<th scope="col">' in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script" not in main  # the chart draws without script (the layout's own may load)
    assert "http" not in re.sub(r'xmlns="[^"]+"', "", main)  # no CDN


def test_the_district_filter_and_the_chosen_breakdown(
    secretariat: Client, small_counts: date
) -> None:
    response = secretariat.get(URL, {"districts": ["la-perla"], "dimension": "r4v_group"})
    figures = response.context["figures"]
    assert [row.label for row in figures.by_district] == ["La Perla"]
    assert [(row.key, row.cell.value) for row in figures.by_value] == [("women", 40)]
    assert figures.months[-1].cell.value == 40
    assert not figures.months[-1].cell.held_back  # Bellavista is not part of this answer


def test_people_per_month_are_averaged_over_the_period_never_added_up(
    secretariat: Client, district_a: District
) -> None:
    this_month = _this_month()
    last_month = month_start(this_month, 1)
    metric_table_store(district_a, last_month, {"": 10, "sex=female": 10})
    metric_table_store(district_a, this_month, {"": 20, "sex=female": 20})
    metric_table_store(
        district_a, last_month, {"": 10, "service_type=other": 10}, indicator="attentions"
    )
    metric_table_store(
        district_a, this_month, {"": 20, "service_type=other": 20}, indicator="attentions"
    )
    people = secretariat.get(URL, {"districts": ["la-perla"]})
    assert people.context["figures"].by_district[0].cell.value == 15
    assert "Average per month" in people.content.decode()
    services = secretariat.get(URL, {"districts": ["la-perla"], "indicator": "attentions"})
    assert services.context["figures"].by_district[0].cell.value == 30
    assert "Total for the period" in services.content.decode()


def test_a_small_monthly_average_is_hidden_too(secretariat: Client, district_a: District) -> None:
    """Five girls one month and none the next average 2.5: not a small cell, but a figure
    from 1 to 4 is never shown in the portal."""
    this_month = _this_month()
    last_month = month_start(this_month, 1)
    metric_table_store(district_a, last_month, {"": 10, "r4v_group=girls": 5, "r4v_group=women": 5})
    metric_table_store(district_a, this_month, {"": 10, "r4v_group=women": 10})
    response = secretariat.get(
        URL,
        {
            "districts": ["la-perla"],
            "dimension": "r4v_group",
            "period_from": f"{last_month:%Y-%m}",
            "period_to": f"{this_month:%Y-%m}",
        },
    )
    girls = next(row for row in response.context["figures"].by_value if row.key == "girls")
    assert girls.cell.value is None
    assert girls.cell.hidden
    assert "2.5" not in response.content.decode()


def test_bad_periods_and_breakdowns_are_explained_next_to_their_fields(
    secretariat: Client, small_counts: date
) -> None:
    backwards = secretariat.get(URL, {"period_from": "2026-03", "period_to": "2026-01"})
    assert backwards.context["figures"] is None
    assert backwards.context["form"].errors["period_to"] == [str(TO_BEFORE_FROM_MESSAGE)]
    assert 'id="id_period_to_error"' in backwards.content.decode()

    today = timezone.localdate()
    too_long = secretariat.get(
        URL,
        {
            "period_from": f"{month_start(today, MAX_MONTHS):%Y-%m}",
            "period_to": f"{today:%Y-%m}",
        },
    )
    assert too_long.context["figures"] is None
    assert "at most 36 months" in too_long.context["form"].errors["period_from"][0]

    wrong = secretariat.get(URL, {"indicator": "attentions", "dimension": "sex"})
    assert wrong.context["figures"] is None
    with translation.override("en"):  # the page's language
        expected = str(NOT_A_DIMENSION_MESSAGE) % {
            "indicator": INDICATORS["attentions"].name,
            "dimension": dimension_label("sex"),
            "choices": dimension_label("service_type"),
        }
    assert wrong.context["form"].errors["dimension"] == [expected]

    unknown = secretariat.get(URL, {"districts": ["nowhere"]})
    assert unknown.context["figures"] is None
    assert "districts" in unknown.context["form"].errors


def test_months_read_as_short_month_and_year_in_either_language(
    secretariat: Client, small_counts: date
) -> None:
    from django.utils import translation
    from django.utils.formats import date_format

    secretariat.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    with translation.override("es"):
        spanish = date_format(small_counts, "b")
    assert (
        f'<th scope="row">{spanish}. {small_counts:%Y}</th>'
        in secretariat.get(URL).content.decode()
    )
    secretariat.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = secretariat.get(URL).content.decode()
    assert f'<th scope="row">{small_counts:%b %Y}</th>' in english


def test_months_without_figures_say_so(secretariat: Client, small_counts: date) -> None:
    two_years_ago = month_start(small_counts, 24)
    response = secretariat.get(
        URL, {"period_from": f"{two_years_ago:%Y-%m}", "period_to": f"{two_years_ago:%Y-%m}"}
    )
    assert "No figures for these months" in response.content.decode()
