"""Liveness and readiness probes, answered before any other middleware.

Orchestrators probe a pod by its IP address, so the Host header is neither the platform's
host nor a district's (nor in ALLOWED_HOSTS), and the probe speaks plain HTTP behind TLS
termination. ``HealthCheckMiddleware`` is therefore the first middleware: it answers
``/healthz`` and ``/readyz`` on any host without reading the host name, redirecting to
HTTPS, routing to a district or opening a session, and passes every other request on.

- ``/healthz`` (liveness): the process answers. No database: a database outage must not
  make the orchestrator restart every web process.
- ``/readyz`` (readiness): the database answers, the public schema has the migrations
  this code expects (the latest migration of every shared app) and so has the template
  schema new districts are copied from (every tenant app): one small query, whatever the
  number of districts.

The answers are a short JSON status with no personal data and no error detail.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, ProgrammingError, connection
from django.db.migrations.loader import MigrationLoader
from django.http import HttpRequest, HttpResponse, JsonResponse
from django_tenants.utils import get_public_schema_name

logger = logging.getLogger(__name__)

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"
_ALLOWED_METHODS = ("GET", "HEAD")


@functools.cache
def expected_migrations() -> tuple[frozenset[str], frozenset[str]]:
    """``app.migration`` of the latest migration of every shared app (the public schema)
    and of every tenant app (the template schema new districts are copied from), read
    from disk once per process (the code does not change under a running process)."""
    shared = {c.label for c in apps.get_app_configs() if c.name in settings.SHARED_APPS}
    tenant = {c.label for c in apps.get_app_configs() if c.name in settings.TENANT_APPS}
    leaves = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()
    return (
        frozenset(f"{app}.{name}" for app, name in leaves if app in shared),
        frozenset(f"{app}.{name}" for app, name in leaves if app in tenant),
    )


def pending_migrations() -> int:
    """How many expected migrations the public and template schemas lack (one query).

    Raises ``DatabaseError`` when the database does not answer; ``ProgrammingError`` when
    a schema has no migration table yet.
    """
    public, template = expected_migrations()
    quote = connection.ops.quote_name
    public_table = f"{quote(get_public_schema_name())}.django_migrations"
    template_table = f"{quote(settings.DISTRICT_TEMPLATE_SCHEMA)}.django_migrations"
    applied = "app || '.' || name = ANY(%s)"
    with connection.cursor() as cursor:
        cursor.execute(
            # Table names are settings, never input.
            f"SELECT (SELECT count(*) FROM {public_table} WHERE {applied}),"  # noqa: S608
            f" (SELECT count(*) FROM {template_table} WHERE {applied})",
            [sorted(public), sorted(template)],
        )
        row = cursor.fetchone()
    done_public, done_template = (int(row[0]), int(row[1])) if row else (0, 0)
    return len(public) - done_public + len(template) - done_template


def _answer(status: int, state: str, **details: object) -> HttpResponse:
    response = JsonResponse({"status": state, **details}, status=status)
    response["Cache-Control"] = "no-store"
    # A failing probe is logged once above as a warning; Django would also log every 503
    # as an error (one Sentry event per probe, every few seconds, from every pod).
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def liveness() -> HttpResponse:
    return _answer(200, "ok")


def readiness() -> HttpResponse:
    try:
        pending = pending_migrations()
    except ProgrammingError:
        logger.warning("Readiness: the public or template schema has no migration table yet.")
        return _answer(503, "unavailable", check="migrations")
    except DatabaseError as error:
        logger.warning("Readiness: the database does not answer (%s).", type(error).__name__)
        return _answer(503, "unavailable", check="database")
    if pending:
        logger.warning("Readiness: %d migration(s) not applied yet.", pending)
        return _answer(503, "unavailable", check="migrations")
    return _answer(200, "ok")


class HealthCheckMiddleware:
    """Answer the probes on every host; must stay first in ``MIDDLEWARE``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info.rstrip("/")
        if path not in (LIVENESS_PATH, READINESS_PATH):
            return self.get_response(request)
        if request.method not in _ALLOWED_METHODS:
            response = _answer(405, "method not allowed")
            response["Allow"] = ", ".join(_ALLOWED_METHODS)
            return response
        return liveness() if path == LIVENESS_PATH else readiness()
