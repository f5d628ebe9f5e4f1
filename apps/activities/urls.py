from django.urls import path

from apps.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.activity_new, name="new"),
    path("export/", views.export, name="export"),
    path("<uuid:public_id>/edit/", views.activity_edit, name="edit"),
    path("<uuid:public_id>/delete/", views.activity_delete, name="delete"),
]
