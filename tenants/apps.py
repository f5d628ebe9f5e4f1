from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Districts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tenants import routing

        routing.connect_cache_invalidation()
