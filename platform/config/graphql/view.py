"""The hardened GraphQL view: standard validation plus depth, alias and size limits;
no introspection in production (``__typename`` keeps working); no batching; errors
masked unless meant for the client; requests limited per client address and per account
or token (config/graphql/ratelimit.py: HTTP 429 with Retry-After).

Two ways in: the session cookie (CSRF enforced, as on every form), or an API token in
``Authorization: Bearer <secret>`` (no cookie, so no CSRF; tokens only read)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import GraphQLError, specified_rules

from apps.accounts.api_tokens import api_token_authenticate
from config.graphql.errors import PublicError
from config.graphql.ratelimit import account_retry_after, address_retry_after, too_many_requests
from config.graphql.rules import NoSchemaIntrospection, alias_limit_rule, depth_limit_rule
from config.observability import capture_graphql_error
from config.request_limits import content_length

logger = logging.getLogger(__name__)
INTERNAL_ERROR = "Internal error."
CSRF_FAILED = (
    "CSRF check failed: send the X-CSRFToken header with the csrftoken cookie's value, "
    "or use an API token."
)
INVALID_TOKEN = "Invalid, expired or revoked API token."  # noqa: S105 - a message


# POST bodies the endpoint reads. A form post (urlencoded or multipart) or text/plain is
# refused: a GraphQL client sends JSON, and only a form or a cross-site "simple" request
# would send the others.
POST_CONTENT_TYPES = ("application/json", "application/graphql")


def _malformed_request(request: HttpRequest) -> HttpResponse | None:
    """415 for a POST that is not JSON, 413 for a body over ``GRAPHQL_MAX_BODY_BYTES``;
    checked before the body is read or a token is looked up."""
    if content_length(request) > settings.GRAPHQL_MAX_BODY_BYTES:
        message = (
            f"The request body is too large (at most {settings.GRAPHQL_MAX_BODY_BYTES} bytes)."
        )
        return JsonResponse({"errors": [{"message": message}], "data": None}, status=413)
    if request.method == "POST":
        content_type = request.content_type or ""
        if content_type.lower() not in POST_CONTENT_TYPES:
            message = "Send the request body as application/json."
            return JsonResponse({"errors": [{"message": message}], "data": None}, status=415)
    return None


def _no_view(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    raise AssertionError


_csrf = CsrfViewMiddleware(_no_view)


@method_decorator(csrf_exempt, name="dispatch")
class HardenedGraphQLView(GraphQLView):
    graphiql = False
    batch = False

    def __init__(self, **kwargs: Any) -> None:
        # graphql-core's validate() takes the whole rule list: start from the standard
        # rules, or unknown fields, wrong arguments and fragment cycles would pass.
        rules = [
            *specified_rules,
            depth_limit_rule(settings.GRAPHQL_MAX_DEPTH),
            alias_limit_rule(settings.GRAPHQL_MAX_ALIASES),
        ]
        if not settings.GRAPHQL_INTROSPECTION:
            rules.append(NoSchemaIntrospection)
        super().__init__(validation_rules=rules, **kwargs)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Counted per address before anything else (malformed requests and token guesses
        # included); per account or token once authenticated, below.
        retry_after = address_retry_after(request)
        if retry_after is not None:
            return too_many_requests(retry_after)
        malformed = _malformed_request(request)
        if malformed is not None:
            return malformed
        scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
        bearer_secret = secret.strip() if scheme.lower() == "bearer" else None
        if bearer_secret is not None:
            user = api_token_authenticate(bearer_secret, getattr(request, "tenant", None))
            if user is None:
                response = JsonResponse({"errors": [{"message": INVALID_TOKEN}]}, status=401)
                response["WWW-Authenticate"] = 'Bearer realm="graphql"'
                return response
            request.user = user
            request.api_token_used = True  # type: ignore[attr-defined]
        else:
            # Exempt from the middleware only to tell the two ways in apart: cookie
            # sessions get the same check here.
            refused = _csrf.process_view(request, None, (), {})  # type: ignore[arg-type]
            if refused is not None:
                return JsonResponse({"errors": [{"message": CSRF_FAILED}]}, status=403)
        retry_after = account_retry_after(request, bearer_secret)
        if retry_after is not None:
            return too_many_requests(retry_after)
        return super().dispatch(request, *args, **kwargs)

    def parse_body(self, request: HttpRequest) -> Any:
        # graphene-django turns any failure to read the body into a 400 with Django's
        # wording; a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413, as on every page.
        try:
            request.body  # noqa: B018 - read (and size-checked) once, then cached
        except RequestDataTooBig as error:
            response = HttpResponse(status=413)
            raise HttpError(response, "The request body is too large.") from error
        return super().parse_body(request)

    def get_graphql_params(self, request: HttpRequest, data: dict[str, Any]) -> Any:
        params = super().get_graphql_params(request, data)
        query, variables, operation_name = params[0] or "", params[1], params[2]
        # JSON lets a client send any type where GraphQL wants these three: a list or a
        # number would otherwise reach graphql-core and fail there as a 500.
        if not isinstance(query, str):
            raise HttpError(HttpResponseBadRequest("The query must be a string."))
        if variables is not None and not isinstance(variables, dict):
            raise HttpError(HttpResponseBadRequest("Variables must be a JSON object."))
        if operation_name is not None and not isinstance(operation_name, str):
            raise HttpError(HttpResponseBadRequest("operationName must be a string."))
        if len(query.encode()) > settings.GRAPHQL_MAX_QUERY_BYTES:
            raise HttpError(HttpResponseBadRequest("The query is too large."))
        # For an error report: the operation (its literals masked), never the variables.
        self._operation = (params[0], params[2])
        return params

    def format_error(self, error: Exception) -> dict[str, Any]:
        if isinstance(error, GraphQLError):
            original = error.original_error
            # A GraphQLError's message is written for the client: PublicError, and
            # graphql-core's own (a variable the scalar refused: "Date cannot represent...").
            if original is None or isinstance(original, PublicError | GraphQLError):
                return GraphQLView.format_error(error)
            # graphene-django turns the exception into a response, so Django's integration
            # never sees it: report it here (then log it; Sentry keeps one event of the two).
            query, operation_name = getattr(self, "_operation", (None, None))
            capture_graphql_error(original, query=query, operation_name=operation_name)
            logger.error("GraphQL resolver failed", exc_info=original)
            masked = GraphQLError(INTERNAL_ERROR, path=error.path, nodes=error.nodes)
            return GraphQLView.format_error(masked)
        if isinstance(error, HttpError):
            # A refused request (bad JSON, no query, too large, wrong method): the client's
            # mistake, answered with a 4xx and our own message; not an error to report.
            logger.info("GraphQL request refused: status=%s", error.response.status_code)
            return {"message": error.message}
        logger.error("GraphQL request failed", exc_info=error)
        return {"message": INTERNAL_ERROR}
