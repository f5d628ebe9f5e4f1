from django.urls import path

from apps.complaints.views import complaints, establishments, public, settings, transitions

app_name = "complaints"

urlpatterns = [
    path("", complaints.index, name="index"),
    path("new/", complaints.complaint_new, name="new"),
    path("<uuid:public_id>/", complaints.complaint_detail, name="detail"),
    path("<uuid:public_id>/move/<str:stage>/", transitions.complaint_move, name="move"),
    path("establishments/", establishments.establishments, name="establishments"),
    path("establishments/new/", establishments.establishment_new, name="establishment_new"),
    path(
        "establishments/<uuid:public_id>/",
        establishments.establishment_detail,
        name="establishment_detail",
    ),
    path(
        "establishments/<uuid:public_id>/edit/",
        establishments.establishment_edit,
        name="establishment_edit",
    ),
    path(
        "establishments/<uuid:public_id>/signage/new/",
        establishments.signage_new,
        name="signage_new",
    ),
    path("settings/", settings.settings_page, name="settings"),
    path("settings/deadlines/", settings.deadlines_update, name="deadlines_update"),
    path("settings/grounds/new/", settings.ground_new, name="ground_new"),
    path("settings/grounds/<int:ground_id>/toggle/", settings.ground_toggle, name="ground_toggle"),
    path("settings/sanctions/new/", settings.sanction_rule_edit, name="sanction_rule_new"),
    path(
        "settings/sanctions/<int:rule_id>/", settings.sanction_rule_edit, name="sanction_rule_edit"
    ),
    # Public: no login.
    path("report/", public.report, name="report"),
    path("report/sent/", public.report_sent, name="report_sent"),
    path("track/", public.track, name="track"),
]
