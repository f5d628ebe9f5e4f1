"""Billing in a district's workspace (its coordinators)."""

from django.urls import path

from apps.billing import views_district as views

app_name = "billing"

urlpatterns = [
    path("", views.billing_home, name="home"),
    path("checkout/", views.billing_checkout, name="checkout"),
    path("portal/", views.billing_portal, name="portal"),
]
