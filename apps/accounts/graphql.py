"""GraphQL: the current account."""

from __future__ import annotations

from typing import Any

import graphene
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from apps.accounts.api_tokens import (
    api_token_create,
    api_token_revoke,
    api_tokens_of_host,
)
from apps.accounts.roles import DistrictRole, PlatformRole
from config.graphql.errors import PublicError
from config.graphql.mutations import FieldError, field_errors, mutation_guard
from config.graphql.permissions import (
    on_public_host,
    request_user,
    require_district_role,
    require_public_role,
)
from tenants.graphql import DistrictType


class MeType(graphene.ObjectType):
    username = graphene.String(required=True)
    roles = graphene.List(graphene.NonNull(graphene.String), required=True)
    district = graphene.Field(DistrictType, description="Null on the platform's own host.")

    @staticmethod
    def resolve_roles(user: User, info: Any) -> list[str]:
        return list(user.groups.values_list("name", flat=True))

    @staticmethod
    def resolve_district(user: User, info: Any) -> object:
        return None if on_public_host(info) else info.context.tenant


class AccountsQueries(graphene.ObjectType):
    me = graphene.Field(MeType, required=True)

    @staticmethod
    def resolve_me(root: object, info: Any) -> User:
        return request_user(info)


class ApiTokenType(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    prefix = graphene.String(required=True, description="The secret's first characters.")
    created_at = graphene.DateTime(required=True)
    expires_at = graphene.DateTime()
    last_used_at = graphene.DateTime()
    revoked_at = graphene.DateTime()


class ApiTokenPayload(graphene.ObjectType):
    api_token = graphene.Field(ApiTokenType)
    secret = graphene.String(description="Shown once, at creation: store it safely.")
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


def _token_manager(info: Any) -> User:
    """The secretariat on the platform's host; a district's coordinator in its workspace."""
    mutation_guard(info)
    if on_public_host(info):
        return require_public_role(info, PlatformRole.SECRETARIAT)
    return require_district_role(info, DistrictRole.COORDINATOR)


class ApiTokenCreate(graphene.Mutation):
    class Arguments:
        name = graphene.String(required=True)
        days = graphene.Int(description="How long it lasts (1 to 366 days; 90 by default).")

    Output = ApiTokenPayload

    @staticmethod
    def mutate(root: object, info: Any, name: str, days: int | None = None) -> dict[str, Any]:
        account = _token_manager(info)
        try:
            token, secret = api_token_create(
                account=account,
                district=info.context.tenant,
                name=name,
                # An explicit null means the default, like leaving the argument out.
                days=90 if days is None else days,
            )
        except ValidationError as error:
            return {"api_token": None, "secret": None, "errors": field_errors(error)}
        return {"api_token": token, "secret": secret, "errors": []}


class ApiTokenRevoke(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)

    Output = ApiTokenPayload

    @staticmethod
    def mutate(root: object, info: Any, id: str) -> dict[str, Any]:
        _token_manager(info)
        token = api_tokens_of_host(info.context.tenant).filter(pk=_token_id(id)).first()
        if token is None:
            raise PublicError("Not found.")
        try:
            token = api_token_revoke(token=token)
        except ValidationError as error:
            return {"api_token": token, "secret": None, "errors": field_errors(error)}
        return {"api_token": token, "secret": None, "errors": []}


def _token_id(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PublicError("Not found.") from None


class AccountsMutations(graphene.ObjectType):
    api_token_create = ApiTokenCreate.Field()
    api_token_revoke = ApiTokenRevoke.Field()
