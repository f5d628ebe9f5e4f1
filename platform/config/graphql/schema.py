"""The root schema: each app contributes its queries (later, its mutations)."""

import graphene

from apps.accounts.graphql import AccountsQueries
from apps.metrics.graphql import MetricsQueries
from tenants.graphql import DistrictQueries


class Query(AccountsQueries, DistrictQueries, MetricsQueries, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query)
