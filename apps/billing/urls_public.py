"""Billing on the platform's host: platform admins' pages and Stripe's webhook."""

from django.urls import path

from apps.billing import views_public as views

app_name = "billing"

urlpatterns = [
    path("", views.billing_districts, name="districts"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("districts/<slug:slug>/", views.billing_district, name="district"),
    path("districts/<slug:slug>/checkout/", views.billing_district_checkout, name="checkout"),
    path("districts/<slug:slug>/portal/", views.billing_district_portal, name="portal"),
    path("districts/<slug:slug>/sync/", views.billing_district_sync, name="sync"),
]
