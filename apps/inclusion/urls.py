from django.urls import path

from apps.inclusion import event_views, views

app_name = "inclusion"

urlpatterns = [
    path("", views.index, name="index"),
    path("entrepreneurs/new/", views.entrepreneur_new, name="entrepreneur_new"),
    path("entrepreneurs/<uuid:public_id>/", views.entrepreneur_detail, name="entrepreneur_detail"),
    path("entrepreneurs/<uuid:public_id>/businesses/new/", views.business_new, name="business_new"),
    path("businesses/<uuid:public_id>/edit/", views.business_edit, name="business_edit"),
    path("businesses/<uuid:public_id>/status/", views.business_status, name="business_status"),
    path("trainings/", event_views.trainings, name="trainings"),
    path("trainings/new/", event_views.training_new, name="training_new"),
    path("trainings/<uuid:public_id>/", event_views.training_detail, name="training_detail"),
    path("trainings/<uuid:public_id>/edit/", event_views.training_edit, name="training_edit"),
    path(
        "trainings/<uuid:public_id>/attendance/",
        event_views.training_attend,
        name="training_attend",
    ),
    path(
        "trainings/<uuid:public_id>/attendance/<int:attendance_id>/remove/",
        event_views.training_unattend,
        name="training_unattend",
    ),
    path("events/", event_views.events, name="events"),
    path("events/new/", event_views.event_new, name="event_new"),
    path("events/<uuid:public_id>/", event_views.event_detail, name="event_detail"),
    path("events/<uuid:public_id>/edit/", event_views.event_edit, name="event_edit"),
    path("events/<uuid:public_id>/attendance/", event_views.event_attend, name="event_attend"),
    path(
        "events/<uuid:public_id>/attendance/<int:attendance_id>/remove/",
        event_views.event_unattend,
        name="event_unattend",
    ),
    path("events/<uuid:public_id>/stalls/", event_views.stall_new, name="stall_new"),
    path(
        "events/<uuid:public_id>/stalls/<int:stall_id>/remove/",
        event_views.stall_remove,
        name="stall_remove",
    ),
    path("calendar/", event_views.calendar, name="calendar"),
]
