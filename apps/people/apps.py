from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """The registry of the orientation office: people, households, identity documents,
    migratory situation history and the consent ledger. Tenant app: personal data."""

    name = "apps.people"
    label = "people"
    verbose_name = "People"
    default_auto_field = "django.db.models.BigAutoField"
