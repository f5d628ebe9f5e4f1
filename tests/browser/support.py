"""What the browser journeys share: logging in (with two-factor), axe-core, small waits."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "Callao-demo-2026"  # tenants/demo.py
TOTP_STEP_SECONDS = 30
# What the accessibility audit holds pages to: WCAG 2.1 A and AA (contrast included).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def totp_code(secret_base32: str, at: float) -> str:
    """The 6-digit RFC 6238 code an authenticator app shows at ``at`` for this secret."""
    secret = secret_base32.replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int(at // TOTP_STEP_SECONDS))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


@dataclass
class Accounts:
    """The authenticator app of every account that set one up during the run."""

    secrets: dict[str, str] = field(default_factory=dict)
    last_step: dict[str, int] = field(default_factory=dict)
    recovery_codes: dict[str, list[str]] = field(default_factory=dict)

    def next_code(self, email: str) -> str:
        """A code not used before: the server refuses a time step twice, so wait for the
        next one when this account already used the current step."""
        now = time.time()
        step = int(now // TOTP_STEP_SECONDS)
        if self.last_step.get(email, -1) >= step:
            time.sleep((step + 1) * TOTP_STEP_SECONDS - now + 0.2)
            now = time.time()
            step = int(now // TOTP_STEP_SECONDS)
        self.last_step[email] = step
        return totp_code(self.secrets[email], now)


def submit(page: Page) -> None:
    """Send the main form of the page (no log-out form is it: the two-factor set-up page
    offers one below its own form)."""
    page.locator("main form:not([action$='/logout/']) button[type=submit]").last.click()


def two_factor_pass(page: Page, accounts: Accounts, email: str) -> None:
    """After the password: set up the authenticator app on first use, or type its code."""
    if "/two-factor/setup/" in page.url:
        accounts.secrets[email] = page.locator(".secret-key").inner_text().strip()
        page.locator("input[name=otp_token]").fill(accounts.next_code(email))
        submit(page)
        page.wait_for_url(re.compile(r"/two-factor/recovery-codes/"))
        codes = page.locator(".recovery-codes code").all_inner_texts()
        accounts.recovery_codes[email] = [code.strip() for code in codes]
        page.locator("main a.button").click()
    elif "/two-factor/" in page.url:
        page.locator("input[name=otp_token]").fill(accounts.next_code(email))
        submit(page)


def log_in(page: Page, base_url: str, accounts: Accounts, email: str, password: str = "") -> None:
    """Log in through the form as a person does, passing two-factor when the role needs it."""
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password or DEMO_PASSWORD)
    submit(page)
    page.wait_for_load_state()
    two_factor_pass(page, accounts, email)
    page.wait_for_load_state()


@dataclass
class AxeReport:
    url: str
    violations: list[dict[str, Any]]

    def serious(self) -> list[dict[str, Any]]:
        return [v for v in self.violations if v.get("impact") in {"serious", "critical"}]

    def summary(self) -> str:
        lines = [f"{self.url}:"]
        for violation in self.serious():
            targets = [node["target"] for node in violation["nodes"][:3]]
            lines.append(
                f"  [{violation['impact']}] {violation['id']}: {violation['help']} {targets}"
            )
        return "\n".join(lines)


def axe_audit(page: Page) -> AxeReport:
    """Run axe-core (from the npm registry, frontend/node_modules) in the page as it is now.

    The script is evaluated through the browser's debugging protocol, which the page's
    Content Security Policy does not govern, so the policy stays on during the audit.
    """
    if not AXE_SCRIPT.exists():
        raise AssertionError("axe-core is missing: `make test` runs `npm ci` in frontend/.")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return AxeReport(url=page.url, violations=result["violations"])


def ui_text(language: str, message: str, **values: object) -> str:
    """``message`` (its English source) as the product shows it in ``language``, read from
    the product's own catalogue: one journey asserts the same words in its Spanish and
    English runs."""
    from django.utils import translation

    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text
