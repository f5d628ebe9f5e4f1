"""The hardened GraphQL view: standard validation plus depth, alias and size limits;
no introspection in production (``__typename`` keeps working); no batching; errors
masked unless meant for the client.

Two ways in: the session cookie (CSRF enforced, as on every form), or an API token in
``Authorization: Bearer <secret>`` (no cookie, so no CSRF; tokens only read)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import GraphQLError, specified_rules

from apps.accounts.api_tokens import api_token_authenticate
from config.graphql.errors import PublicError
from config.graphql.rules import NoSchemaIntrospection, alias_limit_rule, depth_limit_rule
from config.observability import capture_graphql_error

logger = logging.getLogger(__name__)
INTERNAL_ERROR = "Internal error."
CSRF_FAILED = (
    "CSRF check failed: send the X-CSRFToken header with the csrftoken cookie's value, "
    "or use an API token."
)
INVALID_TOKEN = "Invalid, expired or revoked API token."  # noqa: S105 - a message


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
        scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            user = api_token_authenticate(secret.strip(), getattr(request, "tenant", None))
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
        return super().dispatch(request, *args, **kwargs)

    def get_graphql_params(self, request: HttpRequest, data: dict[str, Any]) -> Any:
        params = super().get_graphql_params(request, data)
        query = params[0] or ""
        if len(query.encode()) > settings.GRAPHQL_MAX_QUERY_BYTES:
            raise HttpError(HttpResponseBadRequest("The query is too large."))
        # For an error report: the operation (its literals masked), never the variables.
        self._operation = (params[0], params[2])
        return params

    def format_error(self, error: Exception) -> dict[str, Any]:
        if isinstance(error, GraphQLError):
            original = error.original_error
            if original is None or isinstance(original, PublicError):
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
