"""The platform console, under /console/ on the platform's host only (the district hosts'
URL map does not include it, so there it is a 404)."""

from django.urls import path

from tenants.console import views

app_name = "console"

urlpatterns = [
    path("", views.districts, name="districts"),
    path("onboard/", views.onboard, name="onboard"),
    path("activity/", views.activity, name="activity"),
    path("districts/<slug:slug>/", views.district, name="district"),
    path("districts/<slug:slug>/status/<str:change>/", views.status_change, name="status_change"),
    path("districts/<slug:slug>/invitation/", views.invitation_resend, name="invitation_resend"),
    path("districts/<slug:slug>/domains/", views.domain_add, name="domain_add"),
    path(
        "districts/<slug:slug>/domains/<int:domain_id>/primary/",
        views.domain_primary,
        name="domain_primary",
    ),
    path(
        "districts/<slug:slug>/domains/<int:domain_id>/remove/",
        views.domain_remove,
        name="domain_remove",
    ),
]
