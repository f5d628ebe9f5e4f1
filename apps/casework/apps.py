from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """Attentions, cases (notes, follow-up tasks) and referrals to partners. Tenant app."""

    name = "apps.casework"
    label = "casework"
    verbose_name = "Casework"
    default_auto_field = "django.db.models.BigAutoField"
