"""Structured logs: every line names its request id and district.

``RequestContextFilter`` (on the console handler) adds ``request_id`` and ``district`` to
each record (``config.request_context``). Development prints them in a human-readable
line; production (``LOG_FORMAT=json``) prints one JSON object per line with a fixed set of
fields: a record's extra fields are left out, and an exception is written as its type and
stack without its message (a database error's DETAIL or an f-string can carry a person's
data, like the Sentry events of ``config.observability``). Log calls pass ids, codes and
counts, never a person's data: who saw what is the access log's business.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

from config.observability import FILTERED, SAFE_MESSAGE_EXCEPTIONS
from config.request_context import current_district, current_request_id, district_of_exception


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and ``district`` ("-" when there is none) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx/5xx answer once the middleware are done, naming the request.
        request = getattr(record, "request", None)
        if not hasattr(record, "request_id"):
            record.request_id = getattr(request, "request_id", None) or current_request_id()
        if not hasattr(record, "district"):
            # A failure reported after its work left the district (a task's exception, logged
            # by the worker) names the district it came from.
            error = record.exc_info[1] if record.exc_info else None
            tenant = getattr(request, "tenant", None)
            record.district = (
                district_of_exception(error)
                or (str(tenant.schema_name) if tenant is not None else None)
                or current_district()
            )
        return True


def exception_message(error: BaseException) -> str:
    kind = type(error)
    if f"{kind.__module__}.{kind.__qualname__}" in SAFE_MESSAGE_EXCEPTIONS:
        return str(error)
    return FILTERED


def traceback_without_messages(error: BaseException) -> str:
    """Like ``traceback.format_exception`` (chained exceptions included), but each
    exception's message is replaced unless its type is known to be safe."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        cause = current.__cause__
        current = (
            cause if cause is not None or current.__suppress_context__ else current.__context__
        )
    lines: list[str] = []
    for position, item in enumerate(reversed(chain)):
        if position:
            lines.append("\nThe above exception led to the following exception:\n\n")
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(item.__traceback__))
        kind = type(item)
        lines.append(f"{kind.__module__}.{kind.__qualname__}: {exception_message(item)}\n")
    return "".join(lines).rstrip("\n")


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per line: time, level, logger, message, request_id, district and,
    for an exception, ``exc_info`` (type and stack, no message)."""

    FIELDS = ("levelname", "name", "message", "request_id", "district")
    RENAMED = {"levelname": "level", "name": "logger"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            " ".join(f"%({field})s" for field in self.FIELDS),
            rename_fields=self.RENAMED,
            timestamp="time",
            json_ensure_ascii=False,
            **kwargs,
        )
        self._allowed = {self.RENAMED.get(f, f) for f in self.FIELDS} | {
            "time",
            "exc_info",
            "stack_info",
        }

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        for key in [key for key in log_data if key not in self._allowed]:
            del log_data[key]  # extra fields and logged dicts: anything may be in them

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging.Formatter's name
        error = ei[1] if isinstance(ei, tuple) else None
        if isinstance(error, BaseException):
            return traceback_without_messages(error)
        return FILTERED
