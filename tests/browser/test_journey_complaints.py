"""Journey 3: a member of the public reports discrimination on a district's public form
(no login), follows it with the tracking code, and the complaints officer takes it through
the workflow (admit, inspection, infraction report, sanction) until the sanction is on
record; the public tracking page then shows the new stage. In Spanish and in English.

The public form refuses a send that comes sooner than ``MIN_FILL_SECONDS`` after it was
shown (a signed timestamp): the journey first sees that refusal, then waits out exactly
the rest of the minimum before sending again, as a person taking their time would."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from apps.complaints.spam import MIN_FILL_SECONDS
from tests.browser.conftest import Server, Visit
from tests.browser.support import log_in

pytestmark = pytest.mark.browser

# Each language files its complaint in a district of its own, so the runs never meet.
DISTRICT = {"es": "la-perla", "en": "bellavista"}
TEXTS = {
    "es": {
        "your_name": "Su nombre",
        "complainant": "Rosa Carrasco",
        "where": "¿Dónde ocurrió?",
        "what": "¿Qué ocurrió?",
        "send": "Enviar la denuncia",
        "too_fast": "El formulario se envió demasiado rápido",
        "received_title": "Su denuncia fue recibida",
        "follow": "Seguir mi denuncia",
        "code": "Código de seguimiento",
        "see": "Ver la etapa",
        "received": "Recibida",
        "sanctioned": "Sancionada",
        "name": "Nombre",
        "address": "Dirección",
        "registered": "Se registró el establecimiento.",
        "admit": "Admitir",
        "establishment": "Establecimiento denunciado",
        "inspect": "Registrar la inspección",
        "inspector": "Inspector(a)",
        "findings": "Hallazgos",
        "report": "Registrar el acta de infracción",
        "number": "Número del acta",
        "infraction": "Infracción",
        "sanction": "Imponer una sanción",
        "rule": "Sanción (del cuadro de la ordenanza)",
        "now": "La denuncia ahora está en «{stage}».",
        "stages": ["Admitida", "Inspeccionada", "Acta de infracción", "Sancionada"],
        "narrative": (
            "En la puerta del restaurante no nos dejaron entrar por ser venezolanos; el "
            "vigilante dijo que no atendían a extranjeros."
        ),
        "place": "Restaurante El Faro, Av. Costanera",
    },
    "en": {
        "your_name": "Your name",
        "complainant": "Maria Gomez",
        "where": "Where did it happen?",
        "what": "What happened?",
        "send": "Send the complaint",
        "too_fast": "The form was sent too quickly",
        "received_title": "Your complaint was received",
        "follow": "Follow my complaint",
        "code": "Tracking code",
        "see": "See the stage",
        "received": "Received",
        "sanctioned": "Sanctioned",
        "name": "Name",
        "address": "Address",
        "registered": "The establishment was registered.",
        "admit": "Admit",
        "establishment": "Establishment concerned",
        "inspect": "Record the inspection",
        "inspector": "Inspector",
        "findings": "Findings",
        "report": "Record the infraction report",
        "number": "Report number",
        "infraction": "Infraction",
        "sanction": "Impose a sanction",
        "rule": "Sanction (from the ordinance's table)",
        "now": "The complaint is now “{stage}”.",
        "stages": ["Admitted", "Inspected", "Infraction report", "Sanctioned"],
        "narrative": (
            "At the door of the shop they refused to serve us because of our accent; the "
            "manager said foreigners were not welcome there."
        ),
        "place": "Bodega La Esquina, Jr. Grau",
    },
}
CODE_PATTERN = re.compile(r"^DEN-[A-Z0-9]{5}-[A-Z0-9]{5}$")


def _assert_accessible(window: Visit) -> None:
    report = window.axe()
    assert not report.serious(), report.summary()


def _track(page: Page, base: str, code: str, texts: dict[str, str]) -> None:
    """Look the complaint up on the public tracking page."""
    page.goto(base + "/complaints/track/")
    page.get_by_label(texts["code"]).fill(code)
    page.get_by_role("button", name=texts["see"]).click()


def _file_complaint(window: Visit, base: str, texts: dict[str, str]) -> str:
    """Fill the public form as a person does; return the tracking code it gives."""
    page = window.page
    page.goto(base + "/complaints/report/")
    shown_at = time.monotonic()
    window.screenshot("public-form")
    _assert_accessible(window)

    page.get_by_label(texts["your_name"]).fill(texts["complainant"])
    page.get_by_label(texts["where"]).fill(texts["place"])
    page.locator("input[name=grounds]").first.check()
    page.get_by_label(texts["what"]).fill(texts["narrative"])
    page.locator("input[name=accepts_privacy]").check()
    # The honeypot is out of sight, out of the keyboard's way and left empty by people.
    honeypot = page.locator("input[name=website]")
    expect(honeypot).to_have_attribute("tabindex", "-1")
    expect(page.locator(".complaints-honeypot")).to_have_attribute("aria-hidden", "true")
    expect(honeypot).to_have_value("")

    if time.monotonic() - shown_at < MIN_FILL_SECONDS - 1:
        # Sent sooner than a person could: refused, with the form kept and a fresh timestamp.
        page.get_by_role("button", name=texts["send"]).click()
        expect(page.get_by_role("alert")).to_contain_text(texts["too_fast"])
        shown_at = time.monotonic()
        window.screenshot("public-form-too-fast")
        expect(page.get_by_label(texts["where"])).to_have_value(texts["place"])
    # Wait out what is left of the minimum (the token counts whole seconds: half a second
    # more is enough), no longer.
    remaining = MIN_FILL_SECONDS + 0.5 - (time.monotonic() - shown_at)
    if remaining > 0:
        page.wait_for_timeout(remaining * 1000)
    page.get_by_role("button", name=texts["send"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(texts["received_title"])
    code = page.get_by_label(texts["code"]).inner_text().strip()
    assert CODE_PATTERN.match(code), code
    window.screenshot("tracking-code")
    _assert_accessible(window)
    return code


def _move(page: Page, texts: dict[str, str], action: str, stage: str) -> None:
    """Send the step's form (already filled) and check the complaint's new stage."""
    page.get_by_role("button", name=texts[action]).click()
    expect(page.get_by_text(texts["now"].format(stage=stage))).to_be_visible()


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_public_complaint_is_taken_through_to_a_sanction(
    visit: Callable[..., Visit], e2e_server: Server, language: str
) -> None:
    texts = TEXTS[language]
    slug = DISTRICT[language]
    base = e2e_server.base(slug)
    admitted, inspected, reported, sanctioned = texts["stages"]

    # The public: no account, the district's own host.
    public = visit(f"complaints-{language}-public", language=language)
    code = _file_complaint(public, base, texts)
    public.page.get_by_role("link", name=texts["follow"]).click()
    _track(public.page, base, code, texts)
    tracking = public.page.get_by_role("status", name=code)
    expect(tracking).to_contain_text(texts["received"])
    public.screenshot("tracking-received")
    _assert_accessible(public)

    # The complaints officer: the establishment first, then every step of the workflow.
    officer = visit(f"complaints-{language}-officer", language=language)
    page = officer.page
    officer_email = f"denuncias.{slug}@demo.pe"
    log_in(page, base, e2e_server.accounts, officer_email)
    establishment = f"{texts['place'].split(',')[0]} ({language.upper()})"
    page.goto(base + "/complaints/establishments/new/")
    page.get_by_label(texts["name"], exact=True).fill(establishment)
    page.get_by_label(texts["address"], exact=True).fill(texts["place"].split(", ")[1])
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text(texts["registered"])).to_be_visible()

    page.goto(base + f"/complaints/?q={code}")
    page.locator("main table tbody a").first.click()
    expect(page.get_by_text(code)).to_be_visible()
    officer.screenshot("complaint-received")
    _assert_accessible(officer)

    page.get_by_role("link", name=texts["admit"], exact=True).click()
    page.get_by_label(texts["establishment"]).select_option(label=establishment)
    officer.screenshot("admit")
    _move(page, texts, "admit", admitted)

    page.get_by_role("link", name=texts["inspect"]).click()
    page.get_by_label(texts["inspector"], exact=True).select_option(label=officer_email)
    page.get_by_label(texts["findings"]).fill(texts["narrative"])
    officer.screenshot("inspection")
    _assert_accessible(officer)
    _move(page, texts, "inspect", inspected)

    page.get_by_role("link", name=texts["report"]).click()
    page.get_by_label(texts["number"]).fill(f"AI-{language.upper()}-0042")
    page.get_by_label(texts["infraction"], exact=True).fill(texts["narrative"])
    _move(page, texts, "report", reported)

    page.get_by_role("link", name=texts["sanction"]).click()
    # The establishment has no earlier sanction: the table's first-offence line is offered.
    rule = page.get_by_label(texts["rule"])
    chosen = rule.locator("option:checked").inner_text().strip()
    assert chosen.strip("-"), chosen
    officer.screenshot("sanction")
    _move(page, texts, "sanction", sanctioned)
    expect(page.locator("#record-title + dl")).to_contain_text(chosen)
    officer.screenshot("sanctioned")
    _assert_accessible(officer)

    # Back on the public page: the new stage, and nothing else of the complaint.
    _track(public.page, base, code, texts)
    tracking = public.page.get_by_role("status", name=code)
    expect(tracking).to_contain_text(texts["sanctioned"])
    expect(tracking).not_to_contain_text(establishment)
    public.screenshot("tracking-sanctioned")
