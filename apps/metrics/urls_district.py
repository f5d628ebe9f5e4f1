"""A district's own figures, in its workspace."""

from django.urls import path

from apps.metrics import views_district as views

app_name = "figures"

urlpatterns = [
    path("", views.district_figures, name="home"),
]
