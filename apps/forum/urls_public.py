"""The forum in the secretariat's portal (platform host)."""

from django.urls import path

from apps.forum import views_public as views

app_name = "forum"

urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("agreements/", views.agreements_board, name="agreements"),
]
