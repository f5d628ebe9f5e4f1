"""Routes served on every host."""

from django.urls import path
from django.views.i18n import set_language

from config.graphql.schema import schema
from config.graphql.view import HardenedGraphQLView
from tenants.middleware import read_only_safe

common_urlpatterns = [
    path("i18n/setlang/", read_only_safe(set_language), name="set_language"),
    # Queries read; mutations check the workspace state themselves (mutation_guard).
    path("graphql/", read_only_safe(HardenedGraphQLView.as_view(schema=schema)), name="graphql"),
]
