"""The forum seen from a district's workspace."""

from django.urls import path

from apps.forum import views_district as views

app_name = "forum"

urlpatterns = [
    path("", views.forum_home, name="home"),
    path("propose/", views.agenda_propose, name="propose"),
    path("sessions/<int:session_id>/", views.session_view, name="session"),
    path(
        "agreements/<int:agreement_id>/progress/",
        views.agreement_progress,
        name="agreement_progress",
    ),
]
