"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright.

The product runs as it does for a user: ``manage.py runserver`` in a process of its own,
on 127.0.0.1, over a database of its own (``E2E_DATABASE``, made fresh for each run with
``migrate_all`` and ``demo_setup``), with e-mails written to files the tests read
(invitations). The pages are reached by their real host names (``la-perla.localhost``:
Chromium resolves every ``*.localhost`` to the loopback address).

No browser is downloaded: Chromium comes from Debian's ``chromium`` package, which
``make test`` installs when it is missing (``CHROMIUM_PATH`` names another binary).
Screenshots of each journey's key screens go to ``test-output/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.support import ROOT, Accounts, AxeReport, axe_audit

# Two runs at once (two developers' checkouts on one machine) each name their own.
E2E_DATABASE = os.environ.get("E2E_DATABASE_NAME", "e2e_browser")
OUTPUT = ROOT / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
PHONE = {"width": 390, "height": 844}  # a common phone, in CSS pixels
DESKTOP = {"width": 1280, "height": 900}
SERVER_START_SECONDS = 60


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    path = path or shutil.which("chromium-browser")
    if not path:
        pytest.fail(
            "Chromium is not installed: `make test` installs Debian's `chromium` package "
            "(or set CHROMIUM_PATH to a Chromium binary)."
        )
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """The running product: its port, the mail folder and the server's log."""

    port: int
    mail_dir: Path
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    accounts: Accounts = field(default_factory=Accounts)

    def base(self, district: str | None = None) -> str:
        """The address of a district's workspace, or of the platform, without a slash."""
        host = f"{district}.localhost" if district else "localhost"
        return f"http://{host}:{self.port}"

    def url(self, path: str = "/", district: str | None = None) -> str:
        return self.base(district) + path

    def mails(self) -> list[str]:
        """Every e-mail sent so far, oldest first (the file backend's files)."""
        files = sorted(self.mail_dir.glob("*.log"), key=lambda path: path.stat().st_mtime)
        messages: list[str] = []
        for path in files:
            messages.extend(
                part for part in path.read_text(encoding="utf-8").split("-" * 79) if part.strip()
            )
        return messages


def _server_environment(port: int, mail_dir: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.development",
        DJANGO_READ_DOT_ENV="false",
        EMBEDDED_DATABASE_NAME=E2E_DATABASE,
        DEBUG="false",
        PLATFORM_DOMAIN="localhost",
        ALLOWED_HOSTS="localhost,.localhost",
        PLATFORM_URL_SCHEME="http",
        PLATFORM_URL_PORT=str(port),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        # The joint metrics follow each write at once, so a journey sees them move.
        METRICS_PUBLISH="sync",
        TASKS_IMMEDIATE="true",
        CACHE_URL="locmemcache://",
        DISTRICT_SCHEMA_POOL_SIZE="0",
        PYTHONUNBUFFERED="1",
        # Every journey logs in from 127.0.0.1 against this one server: the per-address
        # login limit (30 in 10 minutes) would count the whole suite as one office.
        LOGIN_RATE_PER_ADDRESS="1000/10m",
    )
    return environment


def _manage(environment: dict[str, str], *arguments: str, log: Path) -> None:
    with log.open("ab") as output:
        subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            check=True,
        )


def _database_drop() -> None:
    from config.embedded_db import embedded_server

    if not E2E_DATABASE.replace("_", "").isalnum():
        pytest.fail(f"E2E_DATABASE_NAME must be letters, digits and _: {E2E_DATABASE!r}")
    server = embedded_server(ROOT / ".data" / "postgres")
    server.psql(f"DROP DATABASE IF EXISTS {E2E_DATABASE} WITH (FORCE);")


def _wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            pytest.fail(f"The server stopped; see {server.log_path}")
        try:
            with urllib.request.urlopen(server.url("/healthz"), timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"The server did not answer within {SERVER_START_SECONDS} s; see {server.log_path}")


@pytest.fixture(scope="session")
def e2e_server() -> Iterator[Server]:
    if os.environ.get("DATABASE_URL"):
        pytest.fail("The browser tests use the embedded PostgreSQL: unset DATABASE_URL.")
    OUTPUT.mkdir(exist_ok=True)
    port = _free_port()
    mail_dir = OUTPUT / "mail" / E2E_DATABASE
    shutil.rmtree(mail_dir, ignore_errors=True)
    mail_dir.mkdir(parents=True)
    log_path = OUTPUT / f"{E2E_DATABASE}-server.log"
    log_path.write_bytes(b"")
    server = Server(port=port, mail_dir=mail_dir, log_path=log_path)
    environment = _server_environment(port, mail_dir)
    _database_drop()
    _manage(environment, "migrate_all", "--wait", "300", log=log_path)
    _manage(environment, "demo_setup", log=log_path)
    with log_path.open("ab") as output:
        server.process = subprocess.Popen(  # noqa: S603 - our own manage.py
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
            ],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_ready(server)
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
        _database_drop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        # Chromium refuses its sandbox to root (containers, CI); elsewhere it keeps it.
        arguments = ["--no-sandbox"] if os.geteuid() == 0 else []
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=arguments)
        yield launched
        launched.close()


@dataclass
class Visit:
    """One person's browser window: a context with its own cookies, language and size."""

    context: BrowserContext
    page: Page
    journey: str
    csp_violations: list[str]
    shot_number: int = 0

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        """Save the page as it looks now (test-output/screenshots/<journey>/NN-name.png);
        ``full_page=False`` keeps only the window's view (smaller, for the user guides)."""
        self.shot_number += 1
        folder = SCREENSHOTS / self.journey
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.shot_number:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def axe(self) -> AxeReport:
        return axe_audit(self.page)


@pytest.fixture
def visit(browser: Browser, e2e_server: Server) -> Iterator[Callable[..., Visit]]:
    """Open a fresh browser window: ``visit("journey-name", language="en", phone=True)``.

    Every window fails its test if the page reports a Content Security Policy violation.
    """
    opened: list[Visit] = []

    def open_window(journey: str, *, language: str = "es", phone: bool = False) -> Visit:
        options: dict[str, Any] = {
            "locale": "es-PE" if language == "es" else "en-US",
            "timezone_id": "America/Lima",
            "viewport": PHONE if phone else DESKTOP,
        }
        if phone:
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        if language != "es":
            # The language switch's cookie, for every host of the platform.
            context.add_cookies(
                [
                    {"name": "django_language", "value": language, "domain": host, "path": "/"}
                    for host in ("localhost", *(f"{slug}.localhost" for slug in DEMO_SLUGS))
                ]
            )
        page = context.new_page()
        violations: list[str] = []
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        window = Visit(context=context, page=page, journey=journey, csp_violations=violations)
        opened.append(window)
        return window

    yield open_window
    for window in opened:
        window.context.close()
    violations = [text for window in opened for text in window.csp_violations]
    assert not violations, f"Content Security Policy violations: {violations}"


DEMO_SLUGS = (
    "callao",
    "bellavista",
    "carmen-de-la-legua",
    "la-perla",
    "la-punta",
    "ventanilla",
    "mi-peru",
)
