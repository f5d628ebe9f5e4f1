"""URL map of a district's workspace (<slug>.<PLATFORM_DOMAIN>)."""

from django.urls import include, path

from apps.catalogue import views as catalogue_views
from apps.workspace import views as workspace_views
from config.common_urls import common_urlpatterns

urlpatterns = [
    path("", workspace_views.home, name="home"),
    path("catalogue/", catalogue_views.catalogue, name="catalogue"),
    path("people/", include("apps.people.urls")),
    path("casework/", include("apps.casework.urls")),
    path("accounts/", include("apps.accounts.urls")),
    *common_urlpatterns,
]
