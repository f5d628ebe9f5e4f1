"""Who is being served right now: the request id and the district (schema), for log lines
and Sentry events.

- A web request: ``RequestIdMiddleware`` accepts a sane incoming ``X-Request-ID`` (from
  the ingress or a client) or makes one, echoes it in the response, and keeps the request
  at hand so the district is known as soon as the routing middleware has chosen it.
- Background work: ``district_scope(schema_name)`` around the work (the task runner of
  ``tenants.background`` uses it) names the district for log lines and Sentry events, and
  marks an exception that escapes it with the district, so the worker's own failure report,
  made after the schema is left, is still tagged with the right district.
- Anything else (a management command, a shell): the schema the connection is in.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import Any

import sentry_sdk
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# A UUID, a ULID, a load balancer's trace id...: letters, digits and . _ : - only, so an
# id can be written in a log line or a header as it is.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
# Where an exception that escaped ``district_scope`` was raised.
_EXCEPTION_DISTRICT = "_district_schema_name"
NONE = "-"

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_request: ContextVar[HttpRequest | None] = ContextVar("request", default=None)
_district: ContextVar[str | None] = ContextVar("district", default=None)


def request_id_from_header(value: str) -> str | None:
    """The incoming id when it is sane, else None (a new one is made)."""
    return value if _SANE_REQUEST_ID.fullmatch(value) else None


def current_request_id() -> str:
    return _request_id.get() or NONE


def current_district() -> str:
    """The schema being served: the background work's, the request's once routed, or the
    connection's outside any request ("-" while a request is not routed yet)."""
    explicit = _district.get()
    if explicit:
        return explicit
    request = _request.get()
    if request is not None:
        tenant = getattr(request, "tenant", None)
        return str(tenant.schema_name) if tenant is not None else NONE
    try:
        from django.db import connection

        return str(getattr(connection, "schema_name", "") or NONE)
    except Exception:  # settings not configured yet (early start-up)
        return NONE


def district_of_exception(error: BaseException | None) -> str | None:
    """The district an exception escaped from (``district_scope``), if known."""
    value = getattr(error, _EXCEPTION_DISTRICT, None) if error is not None else None
    return value if isinstance(value, str) else None


@contextmanager
def district_scope(schema_name: str) -> Iterator[None]:
    """Background work for ``schema_name``: its log lines and Sentry events name it, and an
    exception leaving it remembers it."""
    token = _district.set(schema_name)
    try:
        with sentry_sdk.new_scope() as scope:
            scope.set_tag("district", schema_name)
            yield
    except BaseException as error:
        if district_of_exception(error) is None:
            with suppress(AttributeError, TypeError):  # exotic exception types
                setattr(error, _EXCEPTION_DISTRICT, schema_name)
        raise
    finally:
        _district.reset(token)


class RequestIdMiddleware:
    """Give each request an id (``request.request_id``), echoed in ``X-Request-ID``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from_header(request.headers.get(REQUEST_ID_HEADER, ""))
        request_id = request_id or uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        scope = sentry_sdk.get_isolation_scope()
        scope.set_tag("request_id", request_id)
        scope.remove_tag("district")  # set once the request is routed (process_view)
        id_token = _request_id.set(request_id)
        request_token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(request_token)
            _request_id.reset(id_token)
        response[REQUEST_ID_HEADER] = request_id
        return response

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> None:
        # Routing is done: every event of this request (and of the threads it starts) names
        # the district.
        tenant = getattr(request, "tenant", None)
        if tenant is not None:
            sentry_sdk.get_isolation_scope().set_tag("district", tenant.schema_name)
