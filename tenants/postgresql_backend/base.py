"""The connection switches role with its schema, in the same statement.

django-tenants sets ``search_path`` when a cursor is taken after the schema changed
(``TENANT_LIMIT_SET_CALLS``: only then). This wrapper sends the role with it:
``SET search_path = "d_x", "public"; SET ROLE "<district role>"`` for a district schema,
``RESET ROLE`` (or ``SET ROLE <owner>``) for the public schema, the template, the pool and
inside ``tenants.db_roles.as_owner``. One round trip, as before; the role and the path can
never disagree (both are reverted together by a rollback, and django-tenants forgets the
path it set on rollback, so both are sent again).

Unlike django-tenants, a failure to switch is raised, not swallowed: swallowing it would
let the next query run with the previous district's path and role. The one exception is a
transaction already aborted, where the next statement fails anyway (and a savepoint
rollback must still get its cursor).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper
from django_tenants.utils import get_limit_set_calls, quote_schema_name

from tenants.db_roles import role_statement

IN_FAILED_TRANSACTION = "25P02"


def _sqlstate(error: BaseException) -> str | None:
    for candidate in (error, error.__cause__):
        code = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if code:
            return str(code)
    return None


class DatabaseWrapper(TenantDatabaseWrapper):
    _setting_search_path: bool
    search_path_set_schemas: list[str] | None
    schema_name: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Depth of tenants.db_roles.as_owner blocks: the owner role whatever the schema.
        self.role_owner_depth = 0
        super().__init__(*args, **kwargs)

    def switch_statement(self) -> str:
        """``SET search_path`` and the role for the current schema, as one string."""
        paths = ",".join(quote_schema_name(s) for s in self._get_cursor_search_paths())
        role = role_statement(
            self.schema_name,
            str(self.settings_dict["NAME"]),
            as_owner=self.role_owner_depth > 0,
        )
        return f"SET search_path = {paths}; {role}"

    def _handle_search_path(self, cursor: Any = None) -> None:
        if self._setting_search_path:  # re-entered while taking the cursor below
            return
        if get_limit_set_calls() and self.search_path_set_schemas:
            return
        if not self.schema_name:
            raise ImproperlyConfigured(
                "Database schema not set. Did you forget to call set_schema() or set_tenant()?"
            )
        search_paths = self._get_cursor_search_paths()
        statement = self.switch_statement()
        self._setting_search_path = True
        switch_cursor = self.connection.cursor() if cursor is None else cursor
        try:
            with self.wrap_database_errors:
                switch_cursor.execute(statement)
        except Exception as error:
            self.search_path_set_schemas = None
            if _sqlstate(error) != IN_FAILED_TRANSACTION:
                if cursor is not None:
                    cursor.close()  # the caller never gets it
                raise
        else:
            self.search_path_set_schemas = search_paths
        finally:
            self._setting_search_path = False
            if cursor is None:
                switch_cursor.close()
