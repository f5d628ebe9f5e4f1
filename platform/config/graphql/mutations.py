"""What every mutation shares: field errors, and who may run it."""

from __future__ import annotations

from typing import Any

import graphene
from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from graphene.utils.str_converters import to_camel_case

from config.graphql.errors import PublicError
from tenants.middleware import workspace_write_block_reason

TOKENS_READ_ONLY = "API tokens can only read; sign in to change data."


class FieldError(graphene.ObjectType):
    field = graphene.String(
        description="The argument at fault (camelCase); null for the whole input."
    )
    messages = graphene.List(graphene.NonNull(graphene.String), required=True)


def field_errors(error: ValidationError) -> list[dict[str, Any]]:
    """A service's refusal as the mutation's ``errors`` list."""
    if hasattr(error, "error_dict"):
        return [
            {
                "field": None if field == "__all__" else to_camel_case(field),
                "messages": [force_str(message) for message in ValidationError(messages).messages],
            }
            for field, messages in error.error_dict.items()
        ]
    return [{"field": None, "messages": [force_str(m) for m in error.messages]}]


def mutation_guard(info: Any) -> None:
    """Every mutation starts here. Mutations act for a person signed in (a machine
    client's token only reads), and never in a read-only (suspended) workspace."""
    if getattr(info.context, "api_token_used", False):
        raise PublicError(TOKENS_READ_ONLY)
    district = getattr(info.context, "tenant", None)
    if district is not None and district.pk:
        reason = workspace_write_block_reason(district)
        if reason:
            raise PublicError(reason)
