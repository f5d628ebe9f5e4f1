from django.urls import path

from apps.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.index, name="index"),
]
