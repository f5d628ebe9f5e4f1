"""Journey: a caseworker registers a person with an identity document and consents, records
an attention, refers the person to a partner, and finds the person again by part of the
surname typed without accents or capitals.

Run in Spanish and in English on a desktop window, and in Spanish on a phone; each run
registers a person of its own so the runs do not meet in the shared demo district."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils.text import capfirst
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, Visit
from tests.browser.support import log_in, submit, ui_text

pytestmark = pytest.mark.browser

CASEWORKER = "orientacion.la-perla@demo.pe"
DOCUMENT_NUMBER = {"es": "V-18.204.557", "en": "V-19.311.602", "phone": "V-20.455.713"}
# The second surname tells the runs apart; the search types it without its accent.
SECOND_SURNAME = {"es": "Álvarez", "en": "Benítez", "phone": "Cárdenas"}
SEARCH = {"es": "quinonez alvar", "en": "QUINONEZ benit", "phone": "quiñonez carden"}


@dataclass(frozen=True)
class Run:
    language: str
    phone: bool

    @property
    def key(self) -> str:
        return "phone" if self.phone else self.language

    def t(self, message: str, **values: object) -> str:
        return ui_text(self.language, message, **values)

    def label(self, message: str) -> str:
        """A field label: Django writes a model field's verbose name with a capital."""
        return str(capfirst(self.t(message)))


def _assert_accessible(window: Visit) -> None:
    report = window.axe()
    assert not report.serious(), report.summary()


def _go_to_section(page: Page, run: Run, section: str) -> None:
    """Follow a link of the workspace's section menu, as a person would."""
    nav = page.get_by_role("navigation", name=run.t("Sections"))
    link = nav.get_by_role("link", name=run.t(section), exact=True)
    link.scroll_into_view_if_needed()
    expect(link).to_be_visible()
    link.click()


@pytest.mark.parametrize(
    "run",
    [Run("es", phone=False), Run("en", phone=False), Run("es", phone=True)],
    ids=["es", "en", "es-phone"],
)
def test_a_caseworker_registers_attends_refers_and_finds_a_person(
    visit: Callable[..., Visit], e2e_server: Server, run: Run
) -> None:
    window = visit(f"casework-{run.key}", language=run.language, phone=run.phone)
    page = window.page
    base = e2e_server.base("la-perla")
    given, family = "María José", f"Quiñónez {SECOND_SURNAME[run.key]}"
    full_name = f"{given} {family}"
    t = run.t

    log_in(page, base, e2e_server.accounts, CASEWORKER)
    assert page.url == base + "/"
    if run.phone:
        # On a phone the section menu is at hand and nothing overflows sideways.
        nav = page.get_by_role("navigation", name=t("Sections"))
        expect(nav).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        viewport = page.viewport_size
        assert viewport is not None
        assert width <= viewport["width"], f"the page scrolls sideways: {width}px"
        window.screenshot("phone-menu")
        _assert_accessible(window)

    # Register the person with a document and consents.
    _go_to_section(page, run, "People and households")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("People"))
    page.get_by_role("link", name=t("Register a person")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Register a person"))
    page.get_by_label(run.label("given names"), exact=True).fill(given)
    page.get_by_label(run.label("family names"), exact=True).fill(family)
    page.get_by_label(run.label("sex"), exact=True).select_option("female")
    page.get_by_label(run.label("estimated age"), exact=True).fill("34")
    page.get_by_label(run.label("nationality"), exact=True).select_option("VE")
    page.get_by_label(run.label("population group"), exact=True).select_option("in_destination")
    page.get_by_role("combobox", name=t("Identity document"), exact=True).select_option(
        label=t("Venezuelan identity card") if run.language == "en" else "Cédula venezolana"
    )
    page.get_by_label(t("Document number"), exact=True).fill(DOCUMENT_NUMBER[run.key])
    page.get_by_label(t("Seen and verified"), exact=True).check()
    page.get_by_label(t("Registration and case management"), exact=True).check()
    page.get_by_label(t("Sharing data with partners when referred"), exact=True).check()
    window.screenshot("register-form")
    _assert_accessible(window)
    page.get_by_role("button", name=t("Register"), exact=True).click()

    expect(page.locator(".messages")).to_have_text(t("%(name)s was registered.", name=full_name))
    expect(page.get_by_role("heading", level=1)).to_have_text(full_name)
    person_url = page.url
    documents = page.get_by_role("region", name=t("Identity documents"))
    expect(documents).to_contain_text(DOCUMENT_NUMBER[run.key])
    expect(documents).to_contain_text(t("verified"))
    consents = page.get_by_role("region", name=t("Consents"))
    expect(consents).to_contain_text(t("Registration and case management"))
    expect(consents).to_contain_text(t("Sharing data with partners when referred"))
    window.screenshot("person-registered")
    _assert_accessible(window)

    # Record an attention.
    page.get_by_role("link", name=t("Record an attention")).click()
    page.get_by_label(t("Channel"), exact=True).select_option("in_person")
    service = "Health access (SIS)" if run.language == "en" else "Acceso a salud (SIS)"
    page.get_by_label(service, exact=True).check()
    page.get_by_label(t("Notes"), exact=True).fill("Orientación para afiliarse al SIS.")
    window.screenshot("attention-form")
    _assert_accessible(window)
    submit(page)
    expect(page.locator(".messages")).to_have_text(
        t("The attention of %(name)s was recorded.", name=full_name)
    )
    attentions = page.get_by_role("region", name=t("Attentions"))
    expect(attentions).to_contain_text(service)
    expect(attentions).to_contain_text("Orientación para afiliarse al SIS.")

    # Refer the person to a partner (the sharing consent is on record).
    page.get_by_role("link", name=t("Refer to a partner")).click()
    page.get_by_label(t("Refer to"), exact=True).select_option(label="HIAS")
    page.get_by_label(t("Reason"), exact=True).fill("Apoyo para alquiler de vivienda.")
    window.screenshot("referral-form")
    _assert_accessible(window)
    submit(page)
    expect(page.locator(".messages")).to_have_text(
        t("%(name)s was referred to %(partner)s.", name=full_name, partner="HIAS")
    )
    if page.url != person_url:
        page.goto(person_url)
    referrals = page.get_by_role("region", name=t("Referrals"))
    expect(referrals).to_contain_text("HIAS")
    expect(page.get_by_role("region", name=t("Attentions"))).to_contain_text(service)
    expect(page.get_by_role("region", name=t("Identity documents"))).to_contain_text(
        DOCUMENT_NUMBER[run.key]
    )
    expect(page.get_by_role("region", name=t("Consents"))).to_contain_text(
        t("Sharing data with partners when referred")
    )
    window.screenshot("person-record")
    _assert_accessible(window)

    # Later: find the person by part of the surname, typed without accents.
    _go_to_section(page, run, "People and households")
    page.get_by_label(t("Name, document or phone"), exact=True).fill(SEARCH[run.key])
    page.get_by_role("button", name=t("Search"), exact=True).click()
    page.wait_for_url(re.compile(r"[?&]q="))
    expect(page.locator(".result-count")).to_have_text(re.compile(r"^\s*1\s"))
    found = page.get_by_role("link", name=f"{family}, {given}", exact=True)
    expect(found).to_be_visible()
    window.screenshot("search-found")
    _assert_accessible(window)
    found.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(full_name)
    assert page.url == person_url
