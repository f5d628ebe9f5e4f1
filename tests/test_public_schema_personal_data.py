"""The public schema holds no personal data of the people districts serve.

Reads the columns of the public schema from the database catalogue and fails on any name
that looks like personal data, unless it is on the allow-list below with its reason.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

PERSONAL_DATA_PATTERN = re.compile(
    r"name|first|last|surname|apellido|nombre|document|passport|dni|cedula|birth|born|age\b"
    r"|phone|mobile|email|mail|address|street|direccion|contact|note|comment|narrative"
    r"|description|text|story|free|sex|gender|nationality|ethnic|disab|lgbt|indigenous"
    r"|health|income|photo|sql|data|repr|message"
)

# (table, column): why it is allowed.
ALLOWED = {
    ("tenants_district", "name"): "a municipality's name",
    ("tenants_district", "schema_name"): "a schema identifier",
    ("tenants_templatesnapshot", "sql"): "DDL and reference rows of the empty template",
    ("tenants_pooledschema", "schema_name"): "a schema identifier",
    ("auth_user", "username"): "platform staff accounts (admins, secretariat), not served people",
    ("auth_user", "first_name"): "platform staff accounts",
    ("auth_user", "last_name"): "platform staff accounts",
    ("auth_user", "email"): "platform staff accounts",
    ("auth_group", "name"): "role names",
    ("auth_permission", "name"): "permission labels",
    ("auth_permission", "codename"): "permission identifiers",
    ("auth_user", "last_login"): "platform staff accounts",
    ("django_content_type", "app_label"): "code identifiers",
    ("django_migrations", "name"): "migration names",
    ("django_session", "session_data"): "staff sessions (signed, no served person's data)",
    ("django_admin_log", "object_repr"): "staff actions on platform objects",
    ("django_admin_log", "change_message"): "staff actions on platform objects",
    ("accounts_apitoken", "name"): "what a machine client is for",
    ("billing_plan", "name"): "a subscription plan's name",
    ("accounts_apitoken", "last_used_at"): "a timestamp (matched by 'last')",
    # Forum texts are about policy, not people; the forum services refuse texts that look
    # like they carry personal data (document numbers, e-mail addresses, phone numbers).
    ("forum_agendaitem", "description"): "agenda text (screened by the forum services)",
    ("forum_agendaitem", "decision_note"): "agenda decision (screened)",
    ("forum_agreement", "text"): "agreement text (screened)",
    ("forum_agreementprogress", "note"): "a district's progress report (screened)",
    ("forum_minutesversion", "change_note"): "minutes revision note (screened)",
    # Login protection (django-axes) and two-factor devices (django-otp) of the accounts of
    # this schema: platform staff. The e-mail typed at a failed login is kept for the
    # cool-off (the login form takes staff accounts only); passwords and CSRF tokens are
    # masked in the stored form data (AXES_SENSITIVE_PARAMETERS).
    ("axes_accessattempt", "username"): "e-mail typed at a failed staff login",
    ("axes_accessattempt", "ip_address"): "address of a failed staff login",
    ("axes_accessattempt", "get_data"): "query string of a failed login (no person's data)",
    ("axes_accessattempt", "post_data"): "login form fields, password and token masked",
    ("axes_accessfailurelog", "username"): "e-mail typed at a failed staff login",
    ("axes_accessfailurelog", "ip_address"): "address of a failed staff login",
    ("axes_accesslog", "username"): "staff account that logged in",
    ("axes_accesslog", "ip_address"): "address of a staff login",
    ("otp_totp_totpdevice", "name"): "a device label ('app')",
    ("otp_totp_totpdevice", "last_used_at"): "a timestamp (matched by 'last')",
    ("otp_totp_totpdevice", "last_t"): "the last time step used (matched by 'last')",
    ("otp_static_staticdevice", "name"): "a device label ('recovery')",
    ("otp_static_staticdevice", "last_used_at"): "a timestamp (matched by 'last')",
    # The task queue (procrastinate). Its jobs' ``args`` hold schema names, ids, codes and
    # dates only: tenants/background.py accepts scalars and its tests check real jobs.
    ("procrastinate_jobs", "queue_name"): "a queue identifier",
    ("procrastinate_jobs", "task_name"): "a task's dotted path",
    ("procrastinate_periodic_defers", "task_name"): "a task's dotted path",
    ("procrastinate_workers", "last_heartbeat"): "a timestamp (matched by 'last')",
}


def _public_columns() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY 1, 2"
        )
        return cursor.fetchall()


def test_public_schema_columns_hold_no_personal_data() -> None:
    columns = _public_columns()
    assert ("tenants_district", "ubigeo") in columns  # really reading the public schema
    suspicious = [
        f"{table}.{column}"
        for table, column in columns
        if PERSONAL_DATA_PATTERN.search(column) and (table, column) not in ALLOWED
    ]
    assert suspicious == [], "personal data in the public schema? " + ", ".join(suspicious)


def test_tenant_tables_are_not_in_the_public_schema() -> None:
    tables = {table for table, _column in _public_columns()}
    assert not {t for t in tables if t.startswith(("catalogue_", "people_", "casework_"))}


def test_the_allow_list_has_no_stale_entries() -> None:
    columns = set(_public_columns())
    assert set(ALLOWED) <= columns
