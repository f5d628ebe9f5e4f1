"""URL map of the platform's own host (PLATFORM_DOMAIN): landing, secretariat, admins."""

from django.contrib import admin
from django.urls import include, path

from config.common_urls import common_urlpatterns
from tenants import views as tenant_views

urlpatterns = [
    path("", tenant_views.landing, name="home"),
    path("forum/", include("apps.forum.urls_public")),
    path("metrics/", include("apps.metrics.urls_public")),
    path("api-tokens/", include("apps.accounts.urls_api_tokens")),
    path("billing/", include("apps.billing.urls_public")),
    path("console/", include("tenants.console.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("admin/", admin.site.urls),
    *common_urlpatterns,
]

# Oversized or malformed requests: a clear 413/400 page, or JSON on /graphql/.
handler400 = "config.request_limits.bad_request"
