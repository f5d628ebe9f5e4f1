from __future__ import annotations

from graphql import GraphQLError


class PublicError(GraphQLError):
    """An error whose message is meant for the client (refusals, bad arguments). Every
    other error is masked as "Internal error" and reported to Sentry."""
