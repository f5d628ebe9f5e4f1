"""Sentry wiring: on only when SENTRY_DSN is set; nothing personal leaves the server.

Two layers. The SDK is told to collect little (no user, cookies, query strings, request
bodies, GraphQL documents or local variables; no auto-enabled integrations); then
``before_send`` and ``before_breadcrumb`` rewrite every event and breadcrumb to an
allow-list, whatever an integration or a future SDK version adds:

- exceptions keep their type and stack frames (file, function, line, source); their
  messages are dropped (a database error's DETAIL, an f-string with a name...) unless the
  type is in ``SAFE_MESSAGE_EXCEPTIONS``; frame variables are dropped;
- log messages keep their template, never their arguments;
- the request keeps its method, URL without the query string and a few safe headers: no
  body (so no GraphQL variables), cookies, query, environment or user;
- SQL breadcrumbs keep the statement with its placeholders, never its parameters;
- ``extra`` (log records' extra fields) and unknown contexts are dropped.

Each event is tagged with the district (schema name) it happened in and the release.
GraphQL resolver errors, which graphene-django's view turns into responses, are reported
by the hardened view (``capture_graphql_error``) with the query's text, string and number
literals masked, and never its variables.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit, urlunsplit

from config.request_context import current_district, district_of_exception

if TYPE_CHECKING:
    from sentry_sdk.types import Breadcrumb, BreadcrumbHint, Event, Hint, SamplingContext

FILTERED = "[Filtered]"
# Exceptions whose messages we write ourselves, with no data in them.
SAFE_MESSAGE_EXCEPTIONS = frozenset(
    {
        "django.core.exceptions.ImproperlyConfigured",
        "django.core.exceptions.SynchronousOnlyOperation",
        "django.db.transaction.TransactionManagementError",
        "tenants.background.WrongSchemaError",
    }
)
# Request headers worth having (lower case); everything else is dropped.
SAFE_HEADERS = frozenset(
    {"accept", "accept-language", "content-length", "content-type", "host", "x-request-id"}
)
SAFE_CONTEXTS = frozenset({"app", "browser", "device", "graphql", "os", "runtime", "trace"})
SAFE_BREADCRUMB_KEYS = ("type", "category", "level", "timestamp")
SAFE_HTTP_BREADCRUMB_DATA = ("method", "status_code", "reason")
SAFE_SPAN_DATA = frozenset(
    {"db.system", "db.executemany", "http.method", "http.request.method", "status_code"}
)
# Orchestrator probes (config/health.py): never a transaction.
PROBE_PATHS = frozenset({"/healthz", "/readyz"})


def sentry_options(
    *, dsn: str, environment: str, release: str, traces_sample_rate: float = 0.0
) -> dict[str, Any]:
    """The ``sentry_sdk.init`` options (tests add a capturing transport)."""
    from sentry_sdk.integrations.django import DjangoIntegration

    rate = max(0.0, min(1.0, traces_sample_rate))

    def traces_sampler(sampling_context: SamplingContext) -> float:
        return 0.0 if _is_probe(sampling_context) else rate

    return {
        "dsn": dsn,
        "environment": environment,
        "release": release,
        # Only the integrations we reviewed: graphene's would report every client error
        # (and misses graphene-django's view anyway); redis's would record cache keys.
        "auto_enabling_integrations": False,
        "integrations": [DjangoIntegration(transaction_style="url", signals_spans=False)],
        **_restrictive_collection(),
        "max_request_body_size": "never",
        "include_local_variables": False,
        "before_send": scrub_event,
        "before_send_transaction": scrub_transaction,
        "before_breadcrumb": scrub_breadcrumb,
        "traces_sampler": traces_sampler,
    }


def _restrictive_collection() -> dict[str, Any]:
    """Collect nothing about people. SDKs that know ``data_collection`` (which supersedes,
    and deprecates, ``send_default_pii``) get every category switched off explicitly: an
    omitted category would be collected. Older ones get ``send_default_pii=False``."""
    from sentry_sdk.consts import DEFAULT_OPTIONS

    if "data_collection" not in DEFAULT_OPTIONS:
        return {"send_default_pii": False}
    return {
        "data_collection": {
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(SAFE_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "graphql": {"document": False, "variables": False},
            "gen_ai": {"inputs": False, "outputs": False},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        }
    }


def sentry_init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    import sentry_sdk

    sentry_sdk.init(
        **sentry_options(
            dsn=dsn,
            environment=environment,
            release=release,
            traces_sample_rate=traces_sample_rate,
        )
    )


# ---------------------------------------------------------------------------- events
def scrub_event(event: Event, hint: Hint) -> Event:
    """``before_send``: keep only what cannot carry personal data; tag the district."""
    data = cast(dict[str, Any], event)
    for container in (data.get("exception"), data.get("threads")):
        _scrub_exception_values(container)
    _scrub_logentry(data, hint)
    _scrub_request(data)
    data.pop("user", None)
    _scrub_extra(data)
    _scrub_contexts(data)
    _tag_district(data, hint)
    return event


def scrub_transaction(event: Event, hint: Hint) -> Event | None:
    """``before_send_transaction``: no probes; spans without values."""
    data = cast(dict[str, Any], event)
    if _path(str((data.get("request") or {}).get("url", ""))) in PROBE_PATHS:
        return None
    _scrub_request(data)
    data.pop("user", None)
    _scrub_extra(data)
    _scrub_contexts(data)
    for span in data.get("spans") or []:
        span_data = span.get("data")
        if isinstance(span_data, dict):
            span["data"] = {key: span_data[key] for key in span_data if key in SAFE_SPAN_DATA}
        if not str(span.get("op", "")).startswith("db"):
            span["description"] = str(span.get("description") or "").split("?", 1)[0]
    _tag_district(data, hint)
    return event


def _scrub_exception_values(container: Any) -> None:
    if not isinstance(container, dict):
        return
    for value in container.get("values") or []:
        qualified = ".".join(part for part in (value.get("module"), value.get("type")) if part)
        if "value" in value and qualified not in SAFE_MESSAGE_EXCEPTIONS:
            value["value"] = FILTERED
        for frame in (value.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)


def _scrub_logentry(data: dict[str, Any], hint: Hint) -> None:
    entry = data.get("logentry")
    if not isinstance(entry, dict):
        return
    record = (hint or {}).get("log_record")
    template = entry.get("message")
    if record is not None and not isinstance(record.msg, str):
        template = FILTERED  # logger.error(some_object): its text is data
    data["logentry"] = {"message": template if isinstance(template, str) else FILTERED}


def _scrub_request(data: dict[str, Any]) -> None:
    request = data.get("request")
    if not isinstance(request, dict):
        return
    kept: dict[str, Any] = {}
    if request.get("method"):
        kept["method"] = request["method"]
    if request.get("url"):
        kept["url"] = _without_query(str(request["url"]))
    headers = request.get("headers")
    if isinstance(headers, dict):
        kept["headers"] = {
            name: value
            for name, value in headers.items()
            if isinstance(name, str) and name.lower() in SAFE_HEADERS
        }
    data["request"] = kept


def _scrub_extra(data: dict[str, Any]) -> None:
    extra = data.pop("extra", None)
    argv = extra.get("sys.argv") if isinstance(extra, dict) else None
    if isinstance(argv, list) and argv:
        # The program and the command (``manage.py procrastinate``), never its arguments.
        data["extra"] = {"sys.argv": [str(part) for part in argv[:2]]}


def _scrub_contexts(data: dict[str, Any]) -> None:
    contexts = data.get("contexts")
    if isinstance(contexts, dict):
        data["contexts"] = {key: contexts[key] for key in contexts if key in SAFE_CONTEXTS}


def _tag_district(data: dict[str, Any], hint: Hint) -> None:
    exc_info = (hint or {}).get("exc_info")
    error = exc_info[1] if isinstance(exc_info, tuple) and len(exc_info) > 1 else None
    tags = data.get("tags")
    if not isinstance(tags, dict):
        tags = data["tags"] = {}
    tags["district"] = district_of_exception(error) or tags.get("district") or current_district()


# ---------------------------------------------------------------------------- breadcrumbs
def scrub_breadcrumb(crumb: Breadcrumb, hint: BreadcrumbHint) -> Breadcrumb | None:
    """``before_breadcrumb``: type, category, level and time; a message only where it is a
    template (SQL with placeholders, a log call's format string)."""
    source = cast(dict[str, Any], crumb)
    kept: dict[str, Any] = {key: source[key] for key in SAFE_BREADCRUMB_KEYS if key in source}
    record = (hint or {}).get("log_record")
    category = str(source.get("category") or "")
    if record is not None:
        kept["message"] = record.msg if isinstance(record.msg, str) else FILTERED
    elif category == "query":
        kept["message"] = source.get("message")  # Django passes SQL with %s placeholders
    elif category == "httplib" or source.get("type") == "http":
        data = source.get("data") or {}
        kept["data"] = {key: data[key] for key in SAFE_HTTP_BREADCRUMB_DATA if key in data}
        kept["data"]["url"] = _without_query(str(data.get("url") or ""))
    elif category == "subprocess":
        kept["message"] = _first_word(source.get("message"))
    return cast("Breadcrumb", kept)


# ---------------------------------------------------------------------------- GraphQL
def capture_graphql_error(
    error: BaseException, *, query: str | None, operation_name: str | None
) -> None:
    """Report an unexpected resolver error with its operation (literals masked, no
    variables): graphene-django's view answers it, so Django's integration never sees it."""
    import sentry_sdk

    if not sentry_sdk.get_client().is_active():
        return
    with sentry_sdk.new_scope() as scope:
        scope.set_context("graphql", graphql_operation_context(query, operation_name))
        sentry_sdk.capture_exception(error)


def graphql_operation_context(query: str | None, operation_name: str | None) -> dict[str, Any]:
    """The operation's name and type, and its text with every string and number literal
    replaced: a query may write a name or a document number inline instead of in its
    variables. Nothing of the text when it does not parse."""
    from graphql import (
        FloatValueNode,
        GraphQLError,
        IntValueNode,
        StringValueNode,
        Visitor,
        get_operation_ast,
        parse,
        print_ast,
        visit,
    )

    class MaskLiterals(Visitor):
        def enter_string_value(self, node: StringValueNode, *_args: Any) -> StringValueNode:
            return StringValueNode(value=FILTERED)

        def enter_int_value(self, node: IntValueNode, *_args: Any) -> IntValueNode:
            return IntValueNode(value="0")

        def enter_float_value(self, node: FloatValueNode, *_args: Any) -> FloatValueNode:
            return FloatValueNode(value="0.0")

    context: dict[str, Any] = {"operation_name": operation_name}
    try:
        document = parse(query or "", no_location=True)
    except GraphQLError:
        return context
    operation = get_operation_ast(document, operation_name)
    if operation is not None:
        context["operation_type"] = operation.operation.value
        if operation.name is not None:
            context["operation_name"] = operation.name.value
    context["query"] = print_ast(visit(document, MaskLiterals()))
    return context


# ---------------------------------------------------------------------------- helpers
def _is_probe(sampling_context: SamplingContext) -> bool:
    context = cast(dict[str, Any], sampling_context)
    environ = context.get("wsgi_environ") or {}
    asgi_scope = context.get("asgi_scope") or {}
    path = environ.get("PATH_INFO") or asgi_scope.get("path") or ""
    return _path(str(path)) in PROBE_PATHS


def _path(url: str) -> str:
    return (urlsplit(url).path or "/").rstrip("/") or "/"


def _without_query(url: str) -> str:
    if not url:
        return url
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _first_word(message: Any) -> str:
    words: Iterable[str] = str(message or "").split()
    return next(iter(words), "")
