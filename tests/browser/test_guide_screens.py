"""The screens each role's user guide (docs/guides/) explains, walked as that person.

One test per role, on the demo data, in Spanish (the guides' language). Each screen is
checked (its heading, its main button) and photographed at the size of the window, with a
stable name: ``make guide-images`` copies the pictures into docs/guides/img/, so the
guides always show the product as it is. A screen that changes its heading or loses its
button fails here before the guide goes stale.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, Visit
from tests.browser.support import log_in

pytestmark = pytest.mark.browser

DISTRICT = "la-perla"
# An ordinary office screen; the guides' pictures are of this size.
GUIDE_DESKTOP = {"width": 1280, "height": 800}


def _heading(page: Page, text: str | re.Pattern[str]) -> None:
    """The page's main heading shows ``text`` (a page without it is the wrong page)."""
    expect(page.get_by_role("heading", level=1)).to_contain_text(text)


def _open(window: Visit, url: str, heading: str | re.Pattern[str]) -> Page:
    window.page.goto(url)
    _heading(window.page, heading)
    return window.page


def _shot(window: Visit, name: str) -> None:
    """A picture of the window as the person sees it (not the whole scrolled page)."""
    window.screenshot(name, full_page=False)


def _desktop(visit: Callable[..., Visit], journey: str) -> Visit:
    window = visit(journey)
    window.page.set_viewport_size(GUIDE_DESKTOP)
    return window


def _first_row_link(page: Page) -> None:
    """Open the first record of the list on the page."""
    page.locator("main table tbody a").first.click()
    page.wait_for_load_state()


def test_caseworker_guide_screens(visit: Callable[..., Visit], e2e_server: Server) -> None:
    window = _desktop(visit, "guide-caseworker")
    base = e2e_server.base(DISTRICT)
    log_in(window.page, base, e2e_server.accounts, f"orientacion.{DISTRICT}@demo.pe")

    page = window.page
    _heading(page, "Bienvenido(a)")
    expect(page.get_by_role("heading", name="Mis pendientes")).to_be_visible()
    _shot(window, "home")

    _open(window, base + "/people/", "Personas")
    expect(page.get_by_role("link", name="Registrar una persona")).to_be_visible()
    expect(page.get_by_role("button", name="Buscar")).to_be_visible()
    _shot(window, "people")

    _first_row_link(page)
    expect(page.locator("main h1")).not_to_be_empty()
    expect(
        page.get_by_role("link", name=re.compile("atención", re.IGNORECASE)).first
    ).to_be_visible()
    _shot(window, "person")

    _open(window, base + "/people/new/", "Registrar una persona")
    expect(page.locator("main form button[type=submit]").last).to_be_visible()
    _shot(window, "register")

    _open(window, base + "/casework/referrals/", "Derivaciones")
    expect(page.locator("main table tbody tr").first).to_be_visible()
    _shot(window, "referrals")

    phone = visit("guide-caseworker-phone", phone=True)
    log_in(phone.page, base, e2e_server.accounts, f"orientacion.{DISTRICT}@demo.pe")
    _open(phone, base + "/people/", "Personas")
    expect(phone.page.get_by_role("link", name="Registrar una persona")).to_be_visible()
    _shot(phone, "people-phone")


def test_coordinator_guide_screens(visit: Callable[..., Visit], e2e_server: Server) -> None:
    window = _desktop(visit, "guide-coordinator")
    base = e2e_server.base(DISTRICT)
    log_in(window.page, base, e2e_server.accounts, f"coordinacion.{DISTRICT}@demo.pe")
    page = window.page

    _open(window, base + "/team/", "Equipo")
    expect(
        page.get_by_role("cell", name=f"orientacion.{DISTRICT}@demo.pe", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("button", name="Enviar la invitación")).to_be_visible()
    _shot(window, "team")

    _open(window, base + "/accounts/security/", "Seguridad")
    expect(page.get_by_text("Le quedan 10 códigos de recuperación")).to_be_visible()
    expect(
        page.get_by_role("button", name="Generar nuevos códigos de recuperación")
    ).to_be_visible()
    _shot(window, "security")

    _open(window, base + "/figures/", "Nuestras cifras")
    expect(page.get_by_role("button", name="Mostrar cifras")).to_be_visible()
    _shot(window, "figures")

    _open(window, base + "/forum/", "Foro de Alcaldes")
    expect(page.get_by_role("link", name="Proponer un punto de agenda")).to_be_visible()
    _shot(window, "forum")

    _open(window, base + "/forum/propose/", "Proponer un punto de agenda")
    expect(page.get_by_role("button", name="Enviar la propuesta")).to_be_visible()
    _shot(window, "propose")

    _open(window, base + "/api-tokens/", "Tokens de API")
    expect(page.get_by_role("button", name="Crear el token")).to_be_visible()
    _shot(window, "api-tokens")

    _open(window, base + "/billing/", "Facturación")
    _shot(window, "billing")


def test_complaints_officer_guide_screens(visit: Callable[..., Visit], e2e_server: Server) -> None:
    window = _desktop(visit, "guide-complaints")
    base = e2e_server.base(DISTRICT)
    log_in(window.page, base, e2e_server.accounts, f"denuncias.{DISTRICT}@demo.pe")
    page = window.page

    _open(window, base + "/complaints/", "Denuncias por discriminación")
    expect(page.get_by_role("link", name="Recibir una denuncia")).to_be_visible()
    _shot(window, "complaints")

    _first_row_link(page)
    _heading(page, "Denuncia recibida")
    expect(page.get_by_text("Código de seguimiento")).to_be_visible()
    expect(page.get_by_role("heading", name="Siguiente paso")).to_be_visible()
    _shot(window, "complaint")

    _open(window, base + "/complaints/new/", "Recibir una denuncia")
    expect(page.get_by_role("button", name="Registrar la denuncia")).to_be_visible()
    _shot(window, "intake")

    _open(window, base + "/complaints/settings/", "Cuadros de la ordenanza")
    expect(page.get_by_role("button", name="Guardar los plazos")).to_be_visible()
    _shot(window, "settings")

    # The public pages, as the person who reports sees them: no login, on a phone.
    public = visit("guide-complaints-public", phone=True)
    _open(public, base + "/complaints/report/", "Denunciar discriminación")
    expect(public.page.get_by_role("button", name="Enviar la denuncia")).to_be_visible()
    expect(public.page.get_by_role("link", name="Cerrar sesión")).to_have_count(0)
    _shot(public, "report-phone")
    _open(public, base + "/complaints/track/", "Seguir una denuncia")
    expect(public.page.get_by_role("button", name="Ver la etapa")).to_be_visible()
    _shot(public, "track-phone")


def test_inclusion_officer_guide_screens(visit: Callable[..., Visit], e2e_server: Server) -> None:
    window = _desktop(visit, "guide-inclusion")
    base = e2e_server.base(DISTRICT)
    log_in(window.page, base, e2e_server.accounts, f"inclusion.{DISTRICT}@demo.pe")
    page = window.page

    _open(window, base + "/inclusion/", "Emprendedores")
    expect(page.get_by_role("link", name="Registrar un emprendedor")).to_be_visible()
    _shot(window, "entrepreneurs")

    _first_row_link(page)
    expect(page.locator("main h1")).not_to_be_empty()
    _shot(window, "entrepreneur")

    _open(window, base + "/inclusion/trainings/", "Capacitaciones")
    _shot(window, "trainings")

    _open(window, base + "/inclusion/events/", "Espacios seguros y ferias")
    expect(page.get_by_role("link", name="Nuevo espacio seguro o feria")).to_be_visible()
    _shot(window, "events")

    _open(window, base + "/inclusion/calendar/", "Próximamente")
    _shot(window, "calendar")


def test_viewer_guide_screens(visit: Callable[..., Visit], e2e_server: Server) -> None:
    window = _desktop(visit, "guide-viewer")
    base = e2e_server.base(DISTRICT)
    log_in(window.page, base, e2e_server.accounts, f"consulta.{DISTRICT}@demo.pe")
    page = window.page

    _heading(page, "Bienvenido(a)")
    expect(page.get_by_role("heading", name="La oficina en cifras")).to_be_visible()
    # Read-only: the registry of people is not in the viewer's menu.
    navigation = page.get_by_role("navigation", name="Secciones")
    expect(navigation.get_by_role("link", name="Personas y hogares")).to_have_count(0)
    _shot(window, "home")

    _open(window, base + "/forum/", "Foro de Alcaldes")
    expect(page.get_by_role("link", name="Proponer un punto de agenda")).to_have_count(0)
    _shot(window, "forum")

    _open(window, base + "/catalogue/", "Listas de referencia")
    expect(page.get_by_role("heading", name="Tipos de servicio")).to_be_visible()
    _shot(window, "catalogue")


def test_secretariat_guide_screens(visit: Callable[..., Visit], e2e_server: Server) -> None:
    window = _desktop(visit, "guide-secretariat")
    base = e2e_server.base()
    log_in(window.page, base, e2e_server.accounts, "secretaria@demo.pe")
    page = window.page

    _open(window, base + "/forum/", "Foro de Alcaldes: sesiones")
    expect(page.get_by_role("button", name="Crear la sesión")).to_be_visible()
    _shot(window, "sessions")

    _first_row_link(page)
    _heading(page, "Sesión")
    expect(page.get_by_role("link", name="Agenda", exact=True)).to_be_visible()
    _shot(window, "session")

    _open(window, base + "/forum/agreements/", "Acuerdos del Foro de Alcaldes")
    _shot(window, "agreements")

    _open(window, base + "/metrics/", "Indicadores conjuntos")
    expect(page.get_by_role("button", name="Mostrar cifras")).to_be_visible()
    # The demo's small districts hide counts: the note says what "oculta" means.
    expect(page.get_by_text("«Oculta» nunca es un cero")).to_be_visible()
    _shot(window, "metrics")

    _open(window, base + "/metrics/export/", "Exportación 5W del GTRM")
    expect(page.get_by_role("button", name="Descargar Excel (XLSX)")).to_be_visible()
    _shot(window, "export")


def test_platform_admin_guide_screens(visit: Callable[..., Visit], e2e_server: Server) -> None:
    window = _desktop(visit, "guide-admin")
    base = e2e_server.base()
    log_in(window.page, base, e2e_server.accounts, "admin@demo.pe")
    page = window.page

    _open(window, base + "/console/", "Consola de la plataforma: distritos")
    expect(page.get_by_role("link", name="Incorporar un distrito")).to_be_visible()
    _shot(window, "console")

    _open(window, base + "/console/onboard/", "Incorporar un distrito")
    expect(page.get_by_role("button", name="Crear el distrito")).to_be_visible()
    _shot(window, "onboard")

    _open(window, base + f"/console/districts/{DISTRICT}/", "La Perla")
    expect(page.get_by_role("link", name="Suspender…")).to_be_visible()
    expect(page.get_by_role("link", name="Archivar…")).to_be_visible()
    _shot(window, "district")

    _open(window, base + "/billing/", "Facturación")
    _shot(window, "billing")
