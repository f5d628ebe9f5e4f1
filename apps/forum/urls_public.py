"""The forum in the secretariat's portal (platform host)."""

from django.urls import path

from apps.forum import views_agreements, views_public

app_name = "forum"

urlpatterns = [
    path("", views_public.sessions, name="sessions"),
    path("sessions/<int:session_id>/", views_public.session_detail, name="session"),
    path("sessions/<int:session_id>/minutes/", views_public.minutes, name="minutes_latest"),
    path(
        "sessions/<int:session_id>/minutes/<int:version>/",
        views_public.minutes,
        name="minutes",
    ),
    # After the minutes pages: "minutes" is not one of the session page's actions.
    path(
        "sessions/<int:session_id>/<slug:action>/",
        views_public.session_action,
        name="session_action",
    ),
    path(
        "sessions/<int:session_id>/agenda/<int:item_id>/<slug:action>/",
        views_public.agenda_item_action,
        name="agenda_item_action",
    ),
    path(
        "sessions/<int:session_id>/participants/<int:participant_id>/attendance/",
        views_public.participant_attendance,
        name="participant_attendance",
    ),
    path("agreements/", views_agreements.agreements_board, name="agreements"),
    path(
        "agreements/<int:agreement_id>/status/",
        views_agreements.agreement_status,
        name="agreement_status",
    ),
]
