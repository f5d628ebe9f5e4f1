from django.urls import path

from apps.inclusion import views

app_name = "inclusion"

urlpatterns = [
    path("", views.index, name="index"),
]
