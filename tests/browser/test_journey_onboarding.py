"""Journey: a platform admin onboards a district from the console; its first coordinator
opens the e-mailed invitation, chooses a password, sets up two-factor authentication, lands
on the new workspace and invites a caseworker, who accepts and logs in.

Run in Spanish and in English, each with a district of its own (slug per language)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.utils.text import capfirst
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, Visit
from tests.browser.support import log_in, ui_text

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Una-clave-nueva-2026"  # 12+ characters, as the invitation page asks
# Valid INEI ubigeos of Lima's districts, one per run: a district's ubigeo is its own.
UBIGEO = {"es": "150111", "en": "150112"}
NAME = {"es": "Distrito Prueba Español", "en": "Distrito Prueba English"}


def _label(language: str, message: str) -> str:
    """A form field's label: Django writes the translated verbose name with a capital."""
    return str(capfirst(ui_text(language, message)))


def _invitation_link(server: Server, email: str, slug: str) -> str:
    """The link in the last invitation e-mailed to ``email``, on the district's own host."""
    pattern = re.compile(re.escape(server.base(slug)) + r"/accounts/invitation/[\w-]+/[\w-]+/")
    links = [
        match.group(0)
        for mail in server.mails()
        if email in mail
        for match in pattern.finditer(mail)
    ]
    assert links, f"No invitation link for {email} on {server.base(slug)} in the e-mails"
    return links[-1]


def _accept_invitation(page: Page, language: str, link: str) -> None:
    """Open the invitation and choose the password (the form a new account sees)."""
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        ui_text(language, "Choose your password")
    )
    page.get_by_label(ui_text(language, "New password"), exact=True).fill(NEW_PASSWORD)
    page.get_by_label(ui_text(language, "New password confirmation"), exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name=ui_text(language, "Activate my account")).click()


def _assert_accessible(window: Visit) -> None:
    report = window.axe()
    assert not report.serious(), report.summary()


@pytest.mark.parametrize("language", ["es", "en"])
def test_an_admin_onboards_a_district_whose_coordinator_builds_the_team(
    visit: Callable[..., Visit], e2e_server: Server, language: str
) -> None:
    slug = f"prueba-{language}"
    name = NAME[language]
    coordinator = f"coordinacion@{slug}.pe"
    caseworker = f"orientacion@{slug}.pe"
    admin = visit(f"onboarding-{language}", language=language)
    page = admin.page
    t = lambda message, **values: ui_text(language, message, **values)  # noqa: E731

    # The platform admin opens the console on the platform's host.
    log_in(page, e2e_server.base(), e2e_server.accounts, "admin@demo.pe")
    page.goto(e2e_server.url("/console/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Platform console: districts"))
    expect(page.get_by_role("link", name="La Perla", exact=True)).to_be_visible()
    admin.screenshot("console-list")
    _assert_accessible(admin)

    page.get_by_role("link", name=t("Onboard a district")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Onboard a district"))
    page.get_by_label(_label(language, "District name"), exact=True).fill(name)
    page.get_by_label(_label(language, "Web address (slug)"), exact=True).fill(slug)
    page.get_by_label(_label(language, "Ubigeo (INEI)"), exact=True).fill(UBIGEO[language])
    page.get_by_label(_label(language, "Coordinator's e-mail"), exact=True).fill(coordinator)
    admin.screenshot("onboarding-form")
    _assert_accessible(admin)

    # What the page shows while the server works is noted at the moment of sending (after
    # the page's own handler) and read back once the result page has come.
    page.evaluate(
        """() => {
            const form = document.querySelector("form[data-busy-text]");
            form.addEventListener("submit", () => {
                const status = form.querySelector("[role=status]");
                const button = form.querySelector("[type=submit]");
                sessionStorage.setItem("busy", JSON.stringify({
                    busy: form.getAttribute("aria-busy"), status: status.textContent,
                    disabled: button.getAttribute("aria-disabled")}));
            });
        }"""
    )
    page.get_by_role("button", name=t("Create the district")).click()
    page.wait_for_url(re.compile(rf"/console/districts/{slug}/$"), timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    message = page.locator(".messages")
    expect(message).to_contain_text(name)
    expect(message).to_contain_text(coordinator)
    expect(page.get_by_text(t("Every step is done: the workspace is ready."))).to_be_visible()
    expect(page.locator(".record-list").get_by_text(coordinator, exact=True)).to_be_visible()
    state = json.loads(page.evaluate("() => sessionStorage.getItem('busy')"))
    assert state == {
        "busy": "true",
        "status": t(
            "Creating the district: workspace, reference lists, roles and the invitation. "
            "This takes a few seconds; keep this page open."
        ),
        "disabled": "true",
    }, state
    admin.screenshot("result")
    _assert_accessible(admin)

    # The coordinator, in a window of their own, follows the e-mailed link.
    link = _invitation_link(e2e_server, coordinator, slug)
    window = visit(f"onboarding-{language}", language=language)
    window.shot_number = admin.shot_number  # one numbered series per journey
    if language != "es":
        window.context.add_cookies(
            [
                {
                    "name": "django_language",
                    "value": language,
                    "domain": f"{slug}.localhost",
                    "path": "/",
                }
            ]
        )
    page = window.page
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Choose your password"))
    expect(page.get_by_text(coordinator)).to_be_visible()
    window.screenshot("invitation")
    _assert_accessible(window)
    _accept_invitation(page, language, link)

    # Coordinators must set up two-factor authentication before anything else.
    page.wait_for_url(re.compile(r"/accounts/two-factor/setup/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Set up two-factor authentication"))
    secret = page.get_by_label(t("Setup key")).inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7 ]{16,}", secret), secret
    e2e_server.accounts.secrets[coordinator] = secret
    window.screenshot("two-factor-setup")
    _assert_accessible(window)
    page.get_by_label(t("Code"), exact=True).fill(e2e_server.accounts.next_code(coordinator))
    page.get_by_role("button", name=t("Confirm and turn on")).click()

    page.wait_for_url(re.compile(r"/accounts/two-factor/recovery-codes/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your recovery codes"))
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) >= 8, codes
    assert len(set(codes)) == len(codes), codes
    window.screenshot("recovery-codes")
    _assert_accessible(window)
    page.get_by_role("link", name=t("I have saved them, continue")).click()

    page.wait_for_url(e2e_server.base(slug) + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Welcome to the %(name)s workspace", name=name)
    )
    expect(page.locator(".user-name")).to_have_text(coordinator)
    window.screenshot("workspace-home")
    _assert_accessible(window)

    # The coordinator invites the first caseworker from the team page.
    nav = page.get_by_role("navigation", name=t("Sections"))
    nav.get_by_role("link", name=t("Team"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Team"))
    page.get_by_label(t("E-mail address"), exact=True).fill(caseworker)
    page.get_by_label(t("Given names"), exact=True).fill("Rosa")
    page.get_by_label(t("Family names"), exact=True).fill("Quispe Huamán")
    page.get_by_label(t("Role"), exact=True).last.select_option(label=t("Caseworker"))
    page.get_by_role("button", name=t("Send the invitation")).click()
    expect(page.locator(".messages")).to_have_text(
        t("An invitation was sent to %(email)s.", email=caseworker)
    )
    row = page.get_by_role("row").filter(has_text=caseworker)
    expect(row).to_contain_text(t("Caseworker"))
    expect(row).to_contain_text(t("Invitation pending"))
    window.screenshot("team")
    _assert_accessible(window)

    # The caseworker accepts the invitation and can log in with the new password.
    newcomer = visit(f"onboarding-{language}", language=language)
    newcomer.shot_number = window.shot_number
    if language != "es":
        newcomer.context.add_cookies(
            [
                {
                    "name": "django_language",
                    "value": language,
                    "domain": f"{slug}.localhost",
                    "path": "/",
                }
            ]
        )
    page = newcomer.page
    _accept_invitation(page, language, _invitation_link(e2e_server, caseworker, slug))
    page.wait_for_url(e2e_server.base(slug) + "/")
    expect(page.locator(".messages")).to_have_text(t("Your password is set. Welcome!"))
    page.get_by_role("button", name=t("Log out")).click()
    page.wait_for_load_state()
    log_in(page, e2e_server.base(slug), e2e_server.accounts, caseworker, NEW_PASSWORD)
    assert page.url == e2e_server.base(slug) + "/"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Welcome to the %(name)s workspace", name=name)
    )
    expect(page.locator(".user-name")).to_have_text(caseworker)
    newcomer.screenshot("caseworker-home")

    # Back on the team page the caseworker's account is now active.
    window.page.reload()
    row = window.page.get_by_role("row").filter(has_text=caseworker)
    expect(row).to_contain_text(t("Active"))
    expect(row).not_to_contain_text(t("Invitation pending"))
