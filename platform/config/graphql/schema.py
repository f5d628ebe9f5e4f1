"""The root schema: each app contributes its queries and mutations."""

import graphene

from apps.accounts.graphql import AccountsMutations, AccountsQueries
from apps.forum.graphql import ForumMutations, ForumQueries
from apps.metrics.graphql import MetricsQueries
from tenants.graphql import DistrictQueries


class Query(AccountsQueries, DistrictQueries, MetricsQueries, ForumQueries, graphene.ObjectType):
    pass


class Mutation(ForumMutations, AccountsMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
