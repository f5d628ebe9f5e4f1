"""Accessibility in a real browser: axe-core on every main page, forms by keyboard alone.

What the pages are held to is WCAG 2.1 A and AA (axe's tags, colour contrast included): no
serious or critical violation on any page a role reaches from the workspace or platform
menus. The pages come from the URL maps (config/urls_tenant.py, config/urls_public.py,
apps/*/urls.py); a record's detail or edit page is reached by clicking through its list, as
a person does, never by a guessed address. Each role keeps one browser window and one
log-in for all its pages, so the whole audit stays within a couple of minutes (the time of
each role is printed; run pytest with ``-s`` to see it).

The keyboard journeys fill and send the key forms with Tab, typing, Space, arrows and
Enter only, and check on the way that the focus goes through the fields in the order they
are shown, that the focused control is visibly marked, and that "Skip to content" works.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Server, Visit
from tests.browser.support import log_in

pytestmark = pytest.mark.browser

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# The controls a person fills in; hidden inputs and the spam trap (tabindex=-1) are not.
FIELDS = (
    "main form:not([action$='/logout/']) :is(input, select, textarea)"
    ":not([type=hidden]):not([tabindex='-1'])"
)
SUBMIT = "main form:not([action$='/logout/']) button[type=submit]"


@dataclass(frozen=True)
class Screen:
    """A page to audit: open ``start`` (an address, or the name of a screen seen before in
    the same window), then, when ``link`` is set, follow the first link of the page's main
    content whose path matches it."""

    name: str
    start: str
    link: str = ""


@dataclass(frozen=True)
class Role:
    name: str
    district: str | None  # None: the platform's own host
    email: str | None  # None: nobody logged in
    screens: tuple[Screen, ...]


def _s(name: str, start: str, link: str = "") -> Screen:
    return Screen(name, start, link)


ROLES = (
    Role(
        "platform-admin",
        None,
        "admin@demo.pe",
        (
            _s("home", "/"),
            _s("console", "/console/"),
            _s("console-district", "/console/", r"^/console/districts/[\w-]+/$"),
            _s("console-onboard", "/console/onboard/"),
            _s("console-activity", "/console/activity/"),
            _s("billing", "/billing/"),
            _s("joint-metrics", "/metrics/"),
            _s("forum-sessions", "/forum/"),
            _s("security", "/accounts/security/"),
        ),
    ),
    Role(
        "secretariat",
        None,
        "secretaria@demo.pe",
        (
            _s("home", "/"),
            _s("forum-sessions", "/forum/"),
            _s("forum-session", "/forum/", r"^/forum/sessions/\d+/$"),
            _s("forum-agreements", "/forum/agreements/"),
            _s("joint-metrics", "/metrics/"),
            _s("api-tokens", "/api-tokens/"),
            _s("security", "/accounts/security/"),
        ),
    ),
    Role(
        "coordinator",
        "la-perla",
        "coordinacion.la-perla@demo.pe",
        (
            _s("home", "/"),
            _s("team", "/team/"),
            _s("team-invite", "/team/invite/"),
            _s("audit", "/audit/"),
            _s("figures", "/figures/"),
            _s("forum", "/forum/"),
            _s("forum-propose", "/forum/propose/"),
            _s("forum-session", "/forum/", r"^/forum/sessions/\d+/$"),
            _s("billing", "/billing/"),
            _s("people-import", "/people/import/"),
            _s("catalogue", "/catalogue/"),
            _s("volunteer-activity-new", "/volunteers/activities/new/"),
            _s("volunteer", "/volunteers/roster/", rf"^/volunteers/roster/{UUID}/$"),
            _s("volunteer-edit", "volunteer", rf"^/volunteers/roster/{UUID}/edit/$"),
            _s("volunteer-new", "/volunteers/roster/new/"),
            _s("5w-activity-new", "/activities/new/"),
            _s("5w-activity-edit", "/activities/", rf"^/activities/{UUID}/edit/$"),
            _s("api-tokens", "/api-tokens/"),
            _s("security", "/accounts/security/"),
        ),
    ),
    Role(
        "caseworker",
        "la-perla",
        "orientacion.la-perla@demo.pe",
        (
            _s("home", "/"),
            _s("people", "/people/"),
            _s("person-new", "/people/new/"),
            _s("person", "/people/", rf"^/people/{UUID}/$"),
            _s("person-edit", "person", rf"^/people/{UUID}/edit/$"),
            _s("household", "person", rf"^/people/{UUID}/household/$"),
            _s("person-print", "person", rf"^/people/{UUID}/print/$"),
            _s("attention-new", "person", rf"^/casework/people/{UUID}/attentions/new/$"),
            _s("case-new", "person", rf"^/casework/people/{UUID}/cases/new/$"),
            _s("referral-new", "person", rf"^/casework/people/{UUID}/referrals/new/$"),
            _s("case", "/", rf"^/casework/cases/{UUID}/$"),
            _s("referrals", "/casework/referrals/"),
            _s("referral", "/casework/referrals/", rf"^/casework/referrals/{UUID}/$"),
            _s("volunteers", "/volunteers/"),
            _s("volunteer-activities", "/volunteers/activities/"),
            _s(
                "volunteer-activity",
                "/volunteers/activities/",
                rf"^/volunteers/activities/{UUID}/$",
            ),
            _s("roster", "/volunteers/roster/"),
            _s("volunteer", "/volunteers/roster/", rf"^/volunteers/roster/{UUID}/$"),
            _s("5w-activities", "/activities/"),
        ),
    ),
    Role(
        "complaints-officer",
        "la-perla",
        "denuncias.la-perla@demo.pe",
        (
            _s("complaints", "/complaints/"),
            _s("complaint-new", "/complaints/new/"),
            _s("complaint", "/complaints/", rf"^/complaints/{UUID}/$"),
            _s("establishments", "/complaints/establishments/"),
            _s("establishment-new", "/complaints/establishments/new/"),
            _s(
                "establishment",
                "/complaints/establishments/",
                rf"^/complaints/establishments/{UUID}/$",
            ),
            _s(
                "establishment-edit", "establishment", rf"^/complaints/establishments/{UUID}/edit/$"
            ),
            _s("settings", "/complaints/settings/"),
            _s("sanction-rule-new", "/complaints/settings/sanctions/new/"),
        ),
    ),
    Role(
        "inclusion-officer",
        "la-perla",
        "inclusion.la-perla@demo.pe",
        (
            _s("inclusion", "/inclusion/"),
            _s("entrepreneur-new", "/inclusion/entrepreneurs/new/"),
            _s("entrepreneur", "/inclusion/", rf"^/inclusion/entrepreneurs/{UUID}/$"),
            _s(
                "business-new",
                "entrepreneur",
                rf"^/inclusion/entrepreneurs/{UUID}/businesses/new/$",
            ),
            _s("business-edit", "entrepreneur", rf"^/inclusion/businesses/{UUID}/edit/$"),
            _s("trainings", "/inclusion/trainings/"),
            _s("training-new", "/inclusion/trainings/new/"),
            _s("training", "/inclusion/trainings/", rf"^/inclusion/trainings/{UUID}/$"),
            _s("training-edit", "training", rf"^/inclusion/trainings/{UUID}/edit/$"),
            _s("events", "/inclusion/events/"),
            _s("event-new", "/inclusion/events/new/"),
            _s("event", "/inclusion/events/", rf"^/inclusion/events/{UUID}/$"),
            _s("event-edit", "event", rf"^/inclusion/events/{UUID}/edit/$"),
            _s("calendar", "/inclusion/calendar/"),
        ),
    ),
    Role(
        "viewer",
        "la-perla",
        "consulta.la-perla@demo.pe",
        (
            _s("home", "/"),
            _s("volunteer-activities", "/volunteers/activities/"),
            _s("5w-activities", "/activities/"),
            _s("forum", "/forum/"),
            _s("forum-session", "/forum/", r"^/forum/sessions/\d+/$"),
            _s("security", "/accounts/security/"),
        ),
    ),
    Role(
        "anonymous-district",
        "la-perla",
        None,
        (
            _s("login", "/accounts/login/"),
            _s("password-reset", "/accounts/password/reset/"),
            _s("complaint-form", "/complaints/report/"),
            _s("complaint-tracking", "/complaints/track/"),
        ),
    ),
    Role(
        "anonymous-platform",
        None,
        None,
        (
            _s("landing", "/"),
            _s("login", "/accounts/login/"),
            _s("password-reset", "/accounts/password/reset/"),
        ),
    ),
)

# A handful of pages again at a phone's size: wide tables and the stacked menu.
PHONE_ROLES = (
    Role(
        "phone-caseworker",
        "la-perla",
        "orientacion.la-perla@demo.pe",
        (
            _s("home", "/"),
            _s("people", "/people/"),
            _s("person", "/people/", rf"^/people/{UUID}/$"),
            _s("attention-new", "person", rf"^/casework/people/{UUID}/attentions/new/$"),
            _s("5w-activities", "/activities/"),
            _s("referrals", "/casework/referrals/"),
        ),
    ),
    Role(
        "phone-public",
        "la-perla",
        None,
        (_s("complaint-form", "/complaints/report/"), _s("login", "/accounts/login/")),
    ),
)


def _follow(page: Page, pattern: str) -> None:
    """Click the first link of the main content whose path matches ``pattern``."""
    paths = page.locator("main a[href]").evaluate_all(
        "links => links.map(link => new URL(link.href).pathname)"
    )
    index = next((i for i, path in enumerate(paths) if re.search(pattern, path)), None)
    assert index is not None, f"{page.url}: no link in <main> matches {pattern}"
    page.locator("main a[href]").nth(index).click()
    page.wait_for_url(lambda url: bool(re.search(pattern, re.sub(r"^\w+://[^/]+", "", url))))


def _fields_without_a_name(page: Page) -> list[str]:
    """The visible form controls of the main content that have no accessible name."""
    unnamed = []
    fields = page.locator(FIELDS)
    for index in range(fields.count()):
        field: Locator = fields.nth(index)
        if not field.is_visible():
            continue
        try:
            expect(field).to_have_accessible_name(re.compile(r"\S"), timeout=500)
        except AssertionError:
            unnamed.append(field.evaluate("e => e.outerHTML.slice(0, 120)"))
    return unnamed


def _audit_role(visit: Callable[..., Visit], server: Server, role: Role, *, phone: bool) -> None:
    started = time.monotonic()
    window = visit(f"accessibility-{role.name}", phone=phone)
    page = window.page
    base = server.base(role.district)
    if role.email:
        log_in(page, base, server.accounts, role.email)
    seen: dict[str, str] = {}
    problems: list[str] = []
    for screen in role.screens:
        start = seen.get(screen.start) or base + screen.start
        answer = page.goto(start)
        assert answer is not None, f"{role.name}/{screen.name}: {start} did not answer"
        assert answer.ok, f"{role.name}/{screen.name}: {start} answered {answer.status}"
        if screen.link:
            _follow(page, screen.link)
        seen[screen.name] = page.url
        report = window.axe()
        if report.serious():
            problems.append(f"[{screen.name}] {report.summary()}")
        unnamed = _fields_without_a_name(page)
        if unnamed:
            problems.append(f"[{screen.name}] {page.url}: fields without a label: {unnamed}")
    elapsed = time.monotonic() - started
    print(f"\naccessibility {role.name}: {len(role.screens)} pages in {elapsed:.1f} s")  # noqa: T201 - the timing asked for
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES, ids=[role.name for role in ROLES])
def test_every_main_page_passes_axe_without_serious_violations(
    visit: Callable[..., Visit], e2e_server: Server, role: Role
) -> None:
    _audit_role(visit, e2e_server, role, phone=False)


@pytest.mark.parametrize("role", PHONE_ROLES, ids=[role.name for role in PHONE_ROLES])
def test_pages_on_a_phone_pass_axe_without_serious_violations(
    visit: Callable[..., Visit], e2e_server: Server, role: Role
) -> None:
    _audit_role(visit, e2e_server, role, phone=True)


# --- Keyboard only ---------------------------------------------------------------------

FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(),
    name: element.getAttribute("name") || "",
    type: element.getAttribute("type") || "",
    value: element.value === undefined ? null : element.value,
    id: element.id,
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    inForm: !!element.closest("main form:not([action$='/logout/'])"),
    isSubmit: element.matches("button[type=submit]"),
  };
}"""


def _skip_to_content(page: Page) -> None:
    """The first Tab shows "Skip to content"; Enter on it puts the focus on the main part.

    A form that starts in its first field (autofocus) needs no skipping: check that instead.
    """
    if page.evaluate("document.activeElement !== document.body"):
        expect(page.locator(FIELDS).first).to_be_focused()
        return
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None
    assert box["x"] >= 0, "the skip link stays off screen when focused"
    assert box["y"] >= 0, "the skip link stays off screen when focused"
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def _expected_order(page: Page) -> list[str]:
    """The form's controls in the order they are shown: what Tab should go through."""
    return page.locator(FIELDS).evaluate_all(
        "fields => fields.filter(f => f.offsetParent !== null)"
        ".map(f => f.name + (f.type === 'checkbox' ? '=' + f.value : ''))"
    )


def _fill_by_keyboard(page: Page, answers: dict[str, str], *, key_delay_ms: float = 0) -> None:
    """Tab from the main part through every field of its form, in the order shown, and send.

    ``answers`` maps a field (``name`` or ``name=value`` for a checkbox) to what to do:
    text to type, ``"space"`` to tick, ``"down"`` to pick the next option of a list.
    ``key_delay_ms`` types at a person's pace, for a form that refuses a robot's speed.
    """
    expected = _expected_order(page)
    visited: list[str] = []
    used: set[str] = set()
    previous: str | None = None
    focused = page.evaluate(FOCUSED)  # a field the page put the focus in (autofocus)
    for _ in range(len(expected) * 4 + 40):
        if visited or not focused["inForm"]:
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
        assert focused["outline"] or focused["shadow"], f"no visible focus on {focused}"
        if focused["isSubmit"] and focused["inForm"]:
            break
        if not focused["inForm"]:
            assert not visited, f"the focus left the form after {visited[-1]}: {focused}"
            continue
        key = focused["name"] + ("=" + focused["value"] if focused["type"] == "checkbox" else "")
        if key == previous:  # the day, month and year parts of a date field
            continue
        previous = key
        visited.append(key)
        answer = answers.get(key)
        if answer is None and focused["name"] not in used:
            answer = answers.get(focused["name"])  # a group's first box
        if answer is None:
            continue
        used.add(focused["name"])
        if answer == "space":
            page.keyboard.press("Space")
        elif answer == "down":
            page.keyboard.press("ArrowDown")
        else:
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.type(answer, delay=key_delay_ms)
    else:
        pytest.fail(f"Tab never reached the form's button; went through {visited}")
    assert visited == expected, f"focus order {visited} differs from the page's {expected}"
    missing = set(answers) - set(visited) - {key.split("=")[0] for key in visited}
    assert not missing, f"Tab never reached {missing}"
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_logging_in_with_the_keyboard_alone(
    visit: Callable[..., Visit], e2e_server: Server
) -> None:
    window = visit("accessibility-keyboard")
    page = window.page
    page.goto(e2e_server.url("/accounts/login/", "la-perla"))
    # The page starts in the first field (autofocus): no need to skip anything.
    expect(page.get_by_label("Correo electrónico")).to_be_focused()
    _fill_by_keyboard(
        page,
        {"username": "orientacion.la-perla@demo.pe", "password": "Callao-demo-2026"},
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bienvenido")
    window.screenshot("logged-in-by-keyboard")


def test_a_caseworker_registers_a_person_and_an_attention_by_keyboard(
    visit: Callable[..., Visit], e2e_server: Server
) -> None:
    window = visit("accessibility-keyboard-person")
    page = window.page
    base = e2e_server.base("la-perla")
    log_in(page, base, e2e_server.accounts, "orientacion.la-perla@demo.pe")
    page.goto(base + "/people/new/")
    _skip_to_content(page)
    _fill_by_keyboard(
        page,
        {
            "given_names": "Teclado",
            "family_names": "Sin Ratón",
            "sex": "down",
            "estimated_age": "34",
            "nationality": "down",
            "population_group": "down",
            "document_type": "down",
            "document_number": "KB123456",
            "consents": "space",
        },
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teclado")
    window.screenshot("person-by-keyboard")

    _follow(page, rf"^/casework/people/{UUID}/attentions/new/$")
    _skip_to_content(page)
    _fill_by_keyboard(page, {"service_types": "space", "notes": "Orientación por teclado"})
    expect(page.locator("main")).to_contain_text("Orientación por teclado")
    window.screenshot("attention-by-keyboard")


def test_the_public_complaint_form_is_sent_by_keyboard(
    visit: Callable[..., Visit], e2e_server: Server
) -> None:
    window = visit("accessibility-keyboard-complaint")
    page = window.page
    page.goto(e2e_server.url("/complaints/report/", "la-perla"))
    _skip_to_content(page)
    _fill_by_keyboard(
        page,
        {
            "is_anonymous": "space",
            "place_description": "Mercado central, puesto 12",
            "grounds": "space",
            "narrative": "No me atendieron por mi nacionalidad.",
            "accepts_privacy": "space",
        },
        # The form refuses what is sent within seconds of opening it (spam robots).
        key_delay_ms=100,
    )
    expect(page).to_have_url(re.compile(r"/complaints/report/sent/"))
    window.screenshot("complaint-by-keyboard")


def test_the_console_onboarding_form_is_sent_by_keyboard(
    visit: Callable[..., Visit], e2e_server: Server
) -> None:
    window = visit("accessibility-keyboard-console")
    page = window.page
    log_in(page, e2e_server.base(), e2e_server.accounts, "admin@demo.pe")
    page.goto(e2e_server.url("/console/onboard/"))
    _skip_to_content(page)
    _fill_by_keyboard(
        page,
        {
            "name": "Distrito Teclado",
            "slug": "distrito-teclado",
            "ubigeo": "150101",
            "coordinator_email": "coordinacion@teclado.pe",
        },
    )
    expect(page).to_have_url(re.compile(r"/console/districts/distrito-teclado/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Distrito Teclado")
    window.screenshot("onboarding-by-keyboard")


def test_a_coordinator_proposes_an_agenda_item_by_keyboard(
    visit: Callable[..., Visit], e2e_server: Server
) -> None:
    window = visit("accessibility-keyboard-agenda")
    page = window.page
    base = e2e_server.base("la-perla")
    log_in(page, base, e2e_server.accounts, "coordinacion.la-perla@demo.pe")
    page.goto(base + "/forum/propose/")
    _skip_to_content(page)
    _fill_by_keyboard(
        page,
        {
            "session": "down",
            "title": "Ferias de empleo por teclado",
            "description": "Coordinar las ferias de empleo entre distritos.",
            "planned_minutes": "15",
        },
    )
    expect(page.locator("main")).to_contain_text("Ferias de empleo por teclado")
    window.screenshot("agenda-by-keyboard")
