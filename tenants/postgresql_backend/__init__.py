"""django-tenants' PostgreSQL backend that also switches to the district's database role
(``tenants.db_roles``). Set as ``ENGINE`` by ``config.settings.base.database_from_env``."""
