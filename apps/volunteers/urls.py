from django.urls import path

from apps.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.index, name="index"),
    path("calendar/<int:year>/<int:month>/", views.calendar_month, name="calendar"),
    path("activities/", views.activities, name="activity_list"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<uuid:public_id>/", views.activity_detail, name="activity_detail"),
    path("activities/<uuid:public_id>/edit/", views.activity_edit, name="activity_edit"),
    path("roster/", views.volunteers, name="volunteer_list"),
    path("roster/new/", views.volunteer_new, name="volunteer_new"),
    path(
        "roster/new/<uuid:person_id>/",
        views.volunteer_register_view,
        name="volunteer_register",
    ),
    path("roster/<uuid:public_id>/", views.volunteer_detail, name="volunteer_detail"),
    path("roster/<uuid:public_id>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("roster/<uuid:public_id>/active/", views.volunteer_active, name="volunteer_active"),
]
