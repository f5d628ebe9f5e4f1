"""API tokens for machine clients, on the platform's host and in each workspace."""

from django.urls import path

from apps.accounts import api_token_views as views

app_name = "api_tokens"

urlpatterns = [
    path("", views.api_tokens, name="list"),
    path("<int:token_id>/revoke/", views.api_token_revoke_view, name="revoke"),
]
