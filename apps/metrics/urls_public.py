"""Joint metrics in the secretariat's portal (platform host)."""

from django.urls import path

from apps.metrics import views_public as views

app_name = "metrics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
]
