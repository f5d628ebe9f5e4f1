from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Who looked at or exported personal data (the access log) in a district.

    Changes to personal data are recorded by database triggers (django-pghistory) in the
    event tables of each app; this app keeps the reads. Both are append-only.
    """

    name = "apps.audit"
    label = "audit"
    verbose_name = "Audit"
    default_auto_field = "django.db.models.BigAutoField"
