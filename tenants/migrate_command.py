"""Django's ``migrate``, run as the owner role (``TENANT_BASE_MIGRATE_COMMAND``).

django-tenants runs this command once per schema, after switching the connection to it;
in a district schema the connection would act as the district's role, which may not create
or alter anything. Migrations are the owner's work: the objects they make belong to the
owner, and the district role gets them through its default privileges.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate

from tenants.db_roles import as_owner


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        with as_owner(options.get("database") or "default"):
            super().handle(*args, **options)
