"""Liveness and readiness probes: answered on every host, before routing (config/health.py)."""

from __future__ import annotations

import json
import logging

import pytest
from django.conf import settings
from django.db import OperationalError, ProgrammingError, connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from config import health

# What an orchestrator sends: the pod's IP as the host, plain HTTP.
POD_HOST = "10.42.3.17:8000"


def test_the_probe_middleware_comes_first() -> None:
    assert settings.MIDDLEWARE[0] == "config.health.HealthCheckMiddleware"


HOSTS = [POD_HOST, "localhost", "no-such-district.localhost", "la-perla.localhost"]


@pytest.mark.parametrize("host", HOSTS)
def test_liveness_answers_on_every_host_without_the_database(host: str) -> None:
    # No django_db mark: any query would raise.
    response = Client(HTTP_HOST=host).get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response


@pytest.mark.django_db
@pytest.mark.parametrize("host", HOSTS)
def test_readiness_answers_on_every_host_with_one_query(host: str) -> None:
    health.expected_migrations()  # read from disk once per process, before counting
    with CaptureQueriesContext(connection) as queries:
        response = Client(HTTP_HOST=host).get("/readyz")
    assert response.status_code == 200, response.content
    assert json.loads(response.content) == {"status": "ok"}
    # django-tenants may set the search_path first; the check itself is one query.
    checks = [q["sql"] for q in queries if not q["sql"].startswith("SET search_path")]
    assert len(checks) == 1, checks
    assert "django_migrations" in checks[0]


def test_a_trailing_slash_and_head_are_accepted() -> None:
    client = Client(HTTP_HOST=POD_HOST)
    assert client.get("/healthz/").status_code == 200
    assert client.head("/healthz").status_code == 200


def test_other_methods_are_refused() -> None:
    response = Client(HTTP_HOST=POD_HOST).post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_probes_over_plain_http_are_not_redirected_to_https() -> None:
    assert Client(HTTP_HOST=POD_HOST).get("/healthz").status_code == 200
    # Everything else still is.
    assert Client().get("/accounts/login/").status_code == 301


def test_other_paths_still_go_through_host_routing() -> None:
    # The routing middleware's "no such district" page, as for any unknown host.
    response = Client(HTTP_HOST=POD_HOST).get("/healthz-and-more")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_expected_migrations_are_the_shared_and_tenant_apps_latest() -> None:
    public, template = health.expected_migrations()
    public_apps = {item.split(".", 1)[0] for item in public}
    template_apps = {item.split(".", 1)[0] for item in template}
    assert {"tenants", "accounts", "metrics", "forum", "auth"} <= public_apps
    assert "people" not in public_apps  # migrated in the district schemas
    assert {"people", "casework", "complaints", "auth"} <= template_apps
    assert "forum" not in template_apps


@pytest.mark.django_db
@pytest.mark.parametrize("schema", ["public", "template"])
def test_readiness_fails_while_a_public_or_template_migration_is_missing(
    monkeypatch: pytest.MonkeyPatch, schema: str
) -> None:
    public, template = health.expected_migrations()
    if schema == "public":
        public = public | {"tenants.9999_not_applied"}
    else:
        template = template | {"people.9999_not_applied"}
    monkeypatch.setattr(health, "expected_migrations", lambda: (public, template))
    response = Client(HTTP_HOST=POD_HOST).get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "check": "migrations"}


@pytest.mark.parametrize(
    ("error", "check"),
    [(OperationalError("server closed"), "database"), (ProgrammingError("no table"), "migrations")],
)
def test_readiness_fails_when_the_database_does_not_answer(
    monkeypatch: pytest.MonkeyPatch, error: Exception, check: str
) -> None:
    def broken() -> int:
        raise error

    monkeypatch.setattr(health, "pending_migrations", broken)
    response = Client(HTTP_HOST=POD_HOST).get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {"status": "unavailable", "check": check}
    assert "server closed" not in response.content.decode()


def test_liveness_does_not_depend_on_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> int:
        raise OperationalError("server closed")

    monkeypatch.setattr(health, "pending_migrations", broken)
    assert Client(HTTP_HOST=POD_HOST).get("/healthz").status_code == 200


def test_a_failing_probe_is_a_warning_not_an_error_event(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> int:
        raise OperationalError("server closed")

    monkeypatch.setattr(health, "pending_migrations", broken)
    with caplog.at_level(logging.WARNING):
        assert Client(HTTP_HOST=POD_HOST).get("/readyz").status_code == 503
    levels = [record.levelno for record in caplog.records]
    assert logging.WARNING in levels
    assert logging.ERROR not in levels
