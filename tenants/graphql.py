"""GraphQL: the districts on the platform (no personal data)."""

from __future__ import annotations

from typing import Any

import graphene
from django.db.models import QuerySet

from config.graphql.permissions import request_user
from tenants.models import District


class DistrictType(graphene.ObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    ubigeo = graphene.String(required=True)
    status = graphene.String(required=True)


class DistrictQueries(graphene.ObjectType):
    districts = graphene.List(graphene.NonNull(DistrictType), required=True)

    @staticmethod
    def resolve_districts(root: object, info: Any) -> QuerySet[District]:
        request_user(info)
        return District.objects.exclude(status=District.Status.ARCHIVED).order_by("name")
