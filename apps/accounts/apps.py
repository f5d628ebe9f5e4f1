from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Login, invitations and roles. No models of its own: it works on the users of the
    schema the request is in (a district's, or the platform's), so it is a shared app."""

    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"
