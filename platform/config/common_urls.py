"""Routes served on every host."""

from django.urls import path
from django.views.i18n import set_language

from tenants.middleware import read_only_safe

common_urlpatterns = [
    path("i18n/setlang/", read_only_safe(set_language), name="set_language"),
]
