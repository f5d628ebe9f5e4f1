"""URL map of a district's workspace (<slug>.<PLATFORM_DOMAIN>)."""

from django.urls import include, path

from apps.accounts import team_views
from apps.audit import views as audit_views
from apps.catalogue import views as catalogue_views
from apps.workspace import views as workspace_views
from config.common_urls import common_urlpatterns

urlpatterns = [
    path("", workspace_views.home, name="home"),
    path("catalogue/", catalogue_views.catalogue, name="catalogue"),
    path("people/", include("apps.people.urls")),
    path("casework/", include("apps.casework.urls")),
    path("complaints/", include("apps.complaints.urls")),
    path("inclusion/", include("apps.inclusion.urls")),
    path("volunteers/", include("apps.volunteers.urls")),
    path("activities/", include("apps.activities.urls")),
    path("forum/", include("apps.forum.urls_district")),
    path("figures/", include("apps.metrics.urls_district")),
    path("api-tokens/", include("apps.accounts.urls_api_tokens")),
    path("billing/", include("apps.billing.urls_district")),
    path("audit/", audit_views.audit, name="audit"),
    path("team/", team_views.team, name="team"),
    path("team/invite/", team_views.team_invite, name="team_invite"),
    path("team/<int:user_id>/<str:action>/", team_views.team_member, name="team_member"),
    path("accounts/", include("apps.accounts.urls")),
    *common_urlpatterns,
]

# Oversized or malformed requests: a clear 413/400 page, or JSON on /graphql/.
handler400 = "config.request_limits.bad_request"
