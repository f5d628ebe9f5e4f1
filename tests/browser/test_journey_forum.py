"""Journey 4: a district coordinator proposes an agenda item to the convened session of the
Forum of Mayors (the demo has one); the secretariat accepts it, records an agreement tied
to an indicator with a target, and sees the joint metrics move when a caseworker of the
district registers someone: the district's monthly figure goes up, and the new small count
(one person of a nationality the district had not registered) is shown hidden, never as
its number. In Spanish and in English."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Server, Visit
from tests.browser.support import log_in

pytestmark = pytest.mark.browser

# Each language works in a district of its own, with a nationality no demo person has
# (the demo registers people of VE, CO, EC, HT and PE), so its count starts at nothing.
RUNS = {
    "es": {"slug": "la-punta", "district": "La Punta", "nationality": "BO", "country": "Bolivia"},
    "en": {
        "slug": "carmen-de-la-legua",
        "district": "Carmen de la Legua Reynoso",
        "nationality": "AR",
        "country": "Argentina",
    },
}
TEXTS = {
    "es": {
        "title": "Ferias de salud para familias migrantes",
        "why": "Coordinar con los centros de salud jornadas abiertas en cada distrito.",
        "session": "Sesión",
        "item_title": "Título",
        "why_label": "Por qué el Foro debería tratarlo",
        "send": "Enviar la propuesta",
        "sent": "Su propuesta fue enviada. La secretaría decidirá sobre ella.",
        "proposals": "Nuestras propuestas",
        "decision": "Decisión",
        "record_decision": "Registrar la decisión",
        "decided": "La decisión sobre el punto quedó registrada.",
        "accepted": "Aceptado",
        "record_agreement": "Registrar un acuerdo",
        "agreement": "Acuerdo",
        "agreement_text": "Organizar ferias de salud con los centros de salud de cada distrito.",
        "indicator": "Indicador",
        "target": "Meta",
        "deadline": "Plazo",
        "baseline_from": "Línea de base desde",
        "baseline_to": "Línea de base hasta",
        "save_agreement": "Registrar el acuerdo",
        "recorded": "El acuerdo quedó registrado.",
        "registered": "quedó registrada.",
        "hidden": "oculta",
        "concerns": "Acuerdos que involucran a ",
    },
    "en": {
        "title": "Health fairs for migrant families",
        "why": "Agree with the health centres on open days in every district.",
        "session": "Session",
        "item_title": "Title",
        "why_label": "Why the forum should discuss it",
        "send": "Send the proposal",
        "sent": "Your proposal was sent. The secretariat will decide on it.",
        "proposals": "Our proposals",
        "decision": "Decision",
        "record_decision": "Record the decision",
        "decided": "The decision on the item was recorded.",
        "accepted": "Accepted",
        "record_agreement": "Record an agreement",
        "agreement": "Agreement",
        "agreement_text": "Hold health fairs with the health centres of every district.",
        "indicator": "Indicator",
        "target": "Target",
        "deadline": "Deadline",
        "baseline_from": "Baseline from",
        "baseline_to": "Baseline to",
        "save_agreement": "Record the agreement",
        "recorded": "The agreement was recorded.",
        "registered": "was registered.",
        "hidden": "hidden",
        "concerns": "Agreements that concern ",
    },
}
INDICATOR = "people_registered"


def _assert_accessible(window: Visit) -> None:
    report = window.axe()
    assert not report.serious(), report.summary()


def _today() -> date:
    return datetime.now(ZoneInfo("America/Lima")).date()


def _month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _dashboard(page: Page, base: str, slug: str) -> None:
    """The joint metrics of this month for one district, broken down by nationality."""
    month = f"{_today():%Y-%m}"
    page.goto(
        f"{base}/metrics/?indicator={INDICATOR}&period_from={month}&period_to={month}"
        f"&dimension=nationality&districts={slug}"
    )


def _monthly_figure(page: Page) -> str:
    """The district's figure of this month, as the dashboard's table shows it."""
    return page.locator("table.metric-table tbody td").first.inner_text().strip()


def _nationality_row(page: Page, country: str) -> Locator:
    by_value = page.locator("table.metric-bars").first
    return by_value.locator("tbody tr").filter(has=page.locator("th", has_text=country))


def _register_person(page: Page, base: str, nationality: str, language: str) -> None:
    """A caseworker registers one new person (only the fields the form requires)."""
    page.goto(base + "/people/new/")
    page.locator("input[name=given_names]").fill("Valentina" if language == "es" else "Lucia")
    page.locator("input[name=family_names]").fill("Quispe Rojas" if language == "es" else "Mendez")
    page.locator("select[name=sex]").select_option("female")
    page.locator("input[name=estimated_age]").fill("34")
    page.locator("select[name=nationality]").select_option(nationality)
    page.locator("select[name=population_group]").select_option(index=1)
    documents = page.locator("select[name=document_type]")
    passport = next(
        text
        for text in documents.locator("option").all_inner_texts()
        if re.search("pasaporte|passport", text, re.IGNORECASE)
    )
    documents.select_option(label=passport)
    page.locator("input[name=document_number]").fill(f"{nationality}{_today():%y%m%d}7")
    page.locator("main form button[type=submit]").last.click()
    expect(
        page.get_by_role("status").filter(has_text=TEXTS[language]["registered"])
    ).to_be_visible()


@pytest.mark.parametrize("language", ["es", "en"])
def test_an_agenda_item_becomes_an_agreement_and_the_joint_metrics_move(
    visit: Callable[..., Visit], e2e_server: Server, language: str
) -> None:
    texts, run = TEXTS[language], RUNS[language]
    slug = run["slug"]
    district_base, platform_base = e2e_server.base(slug), e2e_server.base()

    # The coordinator proposes an item to the convened session (the demo has one).
    coordinator = visit(f"forum-{language}-coordinator", language=language)
    page = coordinator.page
    log_in(page, district_base, e2e_server.accounts, f"coordinacion.{slug}@demo.pe")
    page.goto(district_base + "/forum/")
    coordinator.screenshot("forum-home")
    _assert_accessible(coordinator)
    page.locator("td.forum-calendar__action").get_by_role("link").first.click()
    expect(page.get_by_label(texts["session"])).not_to_have_value("")
    page.get_by_label(texts["item_title"]).fill(texts["title"])
    page.get_by_label(texts["why_label"]).fill(texts["why"])
    coordinator.screenshot("proposal")
    _assert_accessible(coordinator)
    page.get_by_role("button", name=texts["send"]).click()
    expect(page.get_by_text(texts["sent"])).to_be_visible()
    proposals = page.locator("section").filter(
        has=page.get_by_role("heading", name=texts["proposals"])
    )
    proposal = proposals.locator("li").filter(has_text=texts["title"])
    expect(proposal).to_be_visible()
    coordinator.screenshot("proposal-sent")
    session_path = proposal.get_by_role("link").first.get_attribute("href") or ""
    session_id = re.search(r"/forum/sessions/(\d+)/", session_path)
    assert session_id, session_path

    # The secretariat accepts it and records an agreement tied to an indicator.
    secretariat = visit(f"forum-{language}-secretariat", language=language)
    page = secretariat.page
    log_in(page, platform_base, e2e_server.accounts, "secretaria@demo.pe")
    page.goto(f"{platform_base}/forum/sessions/{session_id.group(1)}/")
    item = page.locator("li.forum-agenda__item").filter(
        has=page.get_by_role("heading", name=texts["title"])
    )
    expect(item).to_contain_text(run["district"])
    item.get_by_label(texts["decision"], exact=True).select_option("accepted")
    item.get_by_role("button", name=texts["record_decision"]).click()
    expect(page.get_by_text(texts["decided"])).to_be_visible()
    expect(item.locator(".forum-status")).to_have_text(texts["accepted"])
    secretariat.screenshot("item-accepted")
    _assert_accessible(secretariat)

    agreements = page.locator("#agreements")
    agreements.locator("summary", has_text=texts["record_agreement"]).click()
    agreements.get_by_label(texts["agreement"], exact=True).fill(texts["agreement_text"])
    agreements.get_by_label(run["district"], exact=True).check()
    today = _today()
    agreements.get_by_label(texts["deadline"], exact=True).fill(f"{today + timedelta(days=90)}")
    agreements.get_by_label(texts["indicator"], exact=True).select_option(INDICATOR)
    agreements.get_by_label(texts["target"], exact=True).fill("120")
    agreements.get_by_label(texts["baseline_from"]).fill(f"{_month_start(today, 3)}")
    agreements.get_by_label(texts["baseline_to"]).fill(f"{_month_start(today) - timedelta(1)}")
    secretariat.screenshot("agreement-form")
    agreements.get_by_role("button", name=texts["save_agreement"]).click()
    expect(page.get_by_text(texts["recorded"])).to_be_visible()
    expect(page.locator("#agreements .record-list")).to_contain_text(texts["agreement_text"])
    secretariat.screenshot("agreement-recorded")

    # Back in the district: the proposal is accepted, and the agreement names the district.
    coordinator.page.reload()
    expect(proposal).to_contain_text(texts["accepted"])
    concerning = coordinator.page.get_by_role("region", name=texts["concerns"] + run["district"])
    expect(concerning.get_by_role("heading", name=texts["agreement_text"])).to_be_visible()
    coordinator.screenshot("agreement-in-district")

    # The joint metrics before the district records anything more.
    _dashboard(page, platform_base, slug)
    before = _monthly_figure(page)
    expect(_nationality_row(page, run["country"])).to_have_count(0)
    secretariat.screenshot("metrics-before")
    _assert_accessible(secretariat)

    # A caseworker of the district registers one person of that nationality; the metrics
    # are republished at once (METRICS_PUBLISH=sync on the test server).
    caseworker = visit(f"forum-{language}-caseworker", language=language)
    log_in(caseworker.page, district_base, e2e_server.accounts, f"orientacion.{slug}@demo.pe")
    _register_person(caseworker.page, district_base, run["nationality"], language)
    caseworker.screenshot("person-registered")

    _dashboard(page, platform_base, slug)
    after = _monthly_figure(page)
    assert after != before, f"the figure did not move: {before!r}"
    if before.isdigit() and after.isdigit():
        assert int(after) == int(before) + 1, (before, after)
    # One person of the new nationality: a small count, shown hidden and not as "1".
    row = _nationality_row(page, run["country"])
    expect(row).to_have_count(1)
    figure = row.locator(".metric-bars__figure")
    expect(figure.locator(".metric-hidden")).to_contain_text(texts["hidden"])
    assert not re.search(r"\d", figure.inner_text()), figure.inner_text()
    secretariat.screenshot("metrics-after")
    _assert_accessible(secretariat)
