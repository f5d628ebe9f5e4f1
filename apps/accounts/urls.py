from django.urls import path

from apps.accounts import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", views.password_reset_complete, name="password_reset_complete"),
    path(
        "invitation/<uidb64>/<token>/",
        views.invitation_accept_view,
        name="invitation_accept",
    ),
    path("two-factor/", two_factor_views.two_factor_verify_view, name="two_factor_verify"),
    path("two-factor/setup/", two_factor_views.two_factor_setup_view, name="two_factor_setup"),
    path(
        "two-factor/recovery-codes/",
        two_factor_views.two_factor_recovery_codes_view,
        name="two_factor_recovery_codes",
    ),
    path("security/", two_factor_views.security_view, name="security"),
]
