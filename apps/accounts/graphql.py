"""GraphQL: the current account."""

from __future__ import annotations

from typing import Any

import graphene
from django.contrib.auth.models import User

from config.graphql.permissions import on_public_host, request_user
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
