"""Shared set-up of the benchmarks: a scratch database on the embedded server."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH_DATABASE = "callao_bench"


def django_setup_scratch() -> None:
    """Point Django at a new, empty scratch database and migrate the public schema."""
    sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
    os.environ.pop("DATABASE_URL", None)  # always the embedded server, never a real database
    os.environ["EMBEDDED_DATABASE_NAME"] = SCRATCH_DATABASE
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.development"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DISTRICT_SCHEMA_POOL_SIZE"] = "0"
    # As in production: no debug query log, no GraphQL debug middleware.
    os.environ["DEBUG"] = "false"

    from config.embedded_db import embedded_server

    embedded_server(ROOT / ".data" / "postgres").psql(
        f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE} WITH (FORCE);"
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
