from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Login, invitations, roles and API tokens. It works on the users of the schema the
    request is in (a district's, or the platform's); its one model, the API token, lives
    in the public schema and names the district it is valid in."""

    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from apps.accounts.signals import two_factor_step_at_login

        user_logged_in.connect(two_factor_step_at_login, dispatch_uid="two_factor_step_at_login")
