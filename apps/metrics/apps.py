from django.apps import AppConfig


class MetricsConfig(AppConfig):
    """Joint metrics (shared app, public schema): aggregate counts per district and month,
    published from each district's schema, suppressed when read. Never personal data."""

    name = "apps.metrics"
    label = "metrics"
    verbose_name = "Joint metrics"
    default_auto_field = "django.db.models.BigAutoField"
