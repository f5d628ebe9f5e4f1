"""The browser set-up itself: the server answers, a person logs in, nothing is refused by
the page's Content Security Policy (the ``visit`` fixture checks that for every window)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.conftest import Server, Visit
from tests.browser.support import log_in

pytestmark = pytest.mark.browser


def test_a_caseworker_logs_in_and_lands_on_the_workspace_home(
    visit: Callable[..., Visit], e2e_server: Server
) -> None:
    window = visit("smoke")
    base = e2e_server.base("la-perla")

    log_in(window.page, base, e2e_server.accounts, "orientacion.la-perla@demo.pe")

    assert window.page.url == base + "/"
    assert window.page.get_by_role("heading", level=1).inner_text().startswith("Bienvenido")
    window.screenshot("home")
    report = window.axe()
    assert not report.serious(), report.summary()
