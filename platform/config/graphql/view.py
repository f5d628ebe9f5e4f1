"""The hardened GraphQL view: standard validation plus depth, alias and size limits;
no introspection in production (``__typename`` keeps working); no batching; errors
masked unless meant for the client; CSRF enforced for cookie sessions by Django's
middleware (the view is not exempt)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBadRequest
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView, HttpError
from graphql import GraphQLError

from config.graphql.errors import PublicError
from config.graphql.rules import NoSchemaIntrospection, alias_limit_rule

logger = logging.getLogger(__name__)
INTERNAL_ERROR = "Internal error."


class HardenedGraphQLView(GraphQLView):
    graphiql = False
    batch = False

    def __init__(self, **kwargs: Any) -> None:
        rules = [
            depth_limit_validator(max_depth=settings.GRAPHQL_MAX_DEPTH),
            alias_limit_rule(settings.GRAPHQL_MAX_ALIASES),
        ]
        if not settings.GRAPHQL_INTROSPECTION:
            rules.append(NoSchemaIntrospection)
        super().__init__(validation_rules=rules, **kwargs)

    def get_graphql_params(self, request: HttpRequest, data: dict[str, Any]) -> Any:
        params = super().get_graphql_params(request, data)
        query = params[0] or ""
        if len(query.encode()) > settings.GRAPHQL_MAX_QUERY_BYTES:
            raise HttpError(HttpResponseBadRequest("The query is too large."))
        return params

    @staticmethod
    def format_error(error: Exception) -> dict[str, Any]:
        if isinstance(error, GraphQLError):
            original = error.original_error
            if original is None or isinstance(original, PublicError):
                return GraphQLView.format_error(error)
            logger.error("GraphQL resolver failed", exc_info=original)
            if settings.SENTRY_DSN:
                import sentry_sdk

                sentry_sdk.capture_exception(original)
            masked = GraphQLError(INTERNAL_ERROR, path=error.path, nodes=error.nodes)
            return GraphQLView.format_error(masked)
        logger.error("GraphQL request failed", exc_info=error)
        return {"message": INTERNAL_ERROR}
