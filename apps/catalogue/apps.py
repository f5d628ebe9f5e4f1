from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """A district's reference lists: service types, identity document types, partners.

    Seeded from the shared reference data at onboarding and extendable per district.
    Other tenant apps refer to entries by their stable ``code``.
    """

    name = "apps.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"
    default_auto_field = "django.db.models.BigAutoField"
