"""Structured logs: request id and district on every line, JSON in production, no
exception messages (they can carry a person's data) in production lines."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import procrastinate
import pytest
from django.conf import settings
from procrastinate.testing import InMemoryConnector

from config import health, observability
from config.logs import JsonFormatter, RequestContextFilter
from config.request_context import REQUEST_ID_HEADER, district_scope
from conftest import client_for
from tenants.background import schema_task
from tenants.models import District

ROOT = Path(__file__).resolve().parent.parent
SECRET_WORDS = "Yulimar Rodríguez V-27.456.789"


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the configured console handler writes (settings.LOGGING)."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RequestContextFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)  # type: ignore[attr-defined]
    try:
        yield stream
    finally:
        handler.setStream(previous)  # type: ignore[attr-defined]


def test_the_request_id_middleware_follows_the_probes() -> None:
    assert settings.MIDDLEWARE[:2] == [
        "config.health.HealthCheckMiddleware",
        "config.request_context.RequestIdMiddleware",
    ]


@pytest.mark.django_db
def test_a_requests_log_lines_carry_its_id_and_district(
    district_a: District, console: io.StringIO
) -> None:
    response = client_for(district_a).get(
        "/no-such-page/", headers={REQUEST_ID_HEADER: "edge-4f2a9c1e"}
    )
    assert response.status_code == 404
    assert response[REQUEST_ID_HEADER] == "edge-4f2a9c1e"
    lines = [line for line in console.getvalue().splitlines() if "Not Found" in line]
    assert lines, console.getvalue()
    assert f"[edge-4f2a9c1e {district_a.schema_name}]" in lines[0]


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", ["", "short", "has spaces in it", "x" * 200, "a<b>c=d;e"])
def test_an_insane_request_id_is_replaced(district_a: District, incoming: str) -> None:
    response = client_for(district_a).get("/no-such-page/", headers={REQUEST_ID_HEADER: incoming})
    generated = response[REQUEST_ID_HEADER]
    assert generated != incoming
    assert len(generated) == 32
    assert generated.isalnum()


@pytest.mark.django_db
def test_each_request_gets_its_own_id(district_a: District) -> None:
    client = client_for(district_a)
    first = client.get("/no-such-page/")[REQUEST_ID_HEADER]
    second = client.get("/no-such-page/")[REQUEST_ID_HEADER]
    assert first != second


@pytest.mark.django_db
def test_a_tasks_log_lines_carry_its_district(district_a: District, console: io.StringIO) -> None:
    @schema_task(app=procrastinate.App(connector=InMemoryConnector()))
    def note(*, count: int) -> None:
        logging.getLogger("apps.test").info("noted %d", count)

    note.run_in(district_a.schema_name, count=3)
    line = next(line for line in console.getvalue().splitlines() if "noted 3" in line)
    assert f"[- {district_a.schema_name}]" in line


def test_probes_are_not_logged_by_the_request_machinery(console: io.StringIO) -> None:
    from django.test import Client

    assert Client(HTTP_HOST="10.42.3.17:8000").get("/healthz").status_code == 200
    assert console.getvalue() == ""


def test_the_probe_paths_are_the_health_modules() -> None:
    assert {health.LIVENESS_PATH, health.READINESS_PATH} == observability.PROBE_PATHS


def _json_record(logger: str, message: str, *args: object, **extra: object) -> dict[str, object]:
    record = logging.LogRecord(logger, logging.WARNING, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    RequestContextFilter().filter(record)
    return json.loads(JsonFormatter().format(record))


def test_json_lines_have_a_fixed_set_of_fields() -> None:
    with district_scope("d_la_perla"):
        line = _json_record("apps.x", "saved %s", "thing", job={"task_kwargs": SECRET_WORDS})
    assert set(line) == {"time", "level", "logger", "message", "request_id", "district"}
    assert line["message"] == "saved thing"
    assert line["level"] == "WARNING"
    assert line["district"] == "d_la_perla"
    assert line["request_id"] == "-"


def test_json_lines_keep_an_exceptions_type_and_stack_but_not_its_message() -> None:
    def fail() -> None:
        try:
            raise KeyError("inner " + SECRET_WORDS)
        except KeyError as error:
            raise ValueError(SECRET_WORDS) from error

    try:
        fail()
    except ValueError:
        record = logging.LogRecord(
            "apps.x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    RequestContextFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert "Yulimar" not in json.dumps(line, ensure_ascii=False)
    assert "builtins.KeyError: [Filtered]" in line["exc_info"]
    assert "builtins.ValueError: [Filtered]" in line["exc_info"]
    assert "in fail" in line["exc_info"]


def test_production_settings_write_json_lines() -> None:
    script = (
        "import logging, django; django.setup(); "
        "logging.getLogger('apps.demo').warning('hello %s', 'world')\n"
        "try:\n"
        f"    raise RuntimeError({SECRET_WORDS!r})\n"
        "except RuntimeError:\n"
        "    logging.getLogger('apps.demo').exception('it failed')\n"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "LOG_FORMAT"}}
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **clean,
            "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_READ_DOT_ENV": "false",
            "SECRET_KEY": "x" * 50,
            "DATABASE_URL": "postgres://u:p@db/x",
            "SENTRY_DSN": "",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert [line["message"] for line in lines] == ["hello world", "it failed"]
    assert all({"time", "level", "logger", "request_id", "district"} <= set(line) for line in lines)
    assert "Yulimar" not in result.stderr
    assert "RuntimeError: [Filtered]" in lines[1]["exc_info"]
