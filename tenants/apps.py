from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Districts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import config.checks  # noqa: F401 - registers the deployment's system checks
        from tenants import routing

        routing.connect_cache_invalidation()
        from django_tenants.signals import schema_migrated

        from tenants.district_seed import district_seed_after_migration

        schema_migrated.connect(district_seed_after_migration, dispatch_uid="district-seed")
        _migrate_schemas_uses_the_trigger_aware_autodetector()


def _migrate_schemas_uses_the_trigger_aware_autodetector() -> None:
    """django-pgtrigger teaches Django's makemigrations and migrate about triggers, but
    ``migrate`` here is django-tenants' ``migrate_schemas``; give it the same autodetector
    (Django 5.2 checks that both commands agree)."""
    from django.core.management.commands import makemigrations
    from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
    from pgtrigger.apps import patch_migrations

    patch_migrations()  # idempotent; pgtrigger's own ready() calls it again later
    MigrateSchemasCommand.autodetector = makemigrations.Command.autodetector
