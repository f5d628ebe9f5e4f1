"""Test settings: same database rule as development, fast hashing, in-memory e-mail."""

from config.embedded_db import embedded_database_settings

from .base import *  # noqa: F403
from .base import DATA_DIR, database_from_env, env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105 - tests only
PLATFORM_DOMAIN = "localhost"
PUBLIC_HOSTS = ["localhost", "testserver"]
ALLOWED_HOSTS = ["localhost", ".localhost", "testserver"]
PLATFORM_URL_SCHEME = "http"
PLATFORM_URL_PORT = ""
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No background refills in tests; the pool's own tests fill it explicitly.
DISTRICT_SCHEMA_POOL_SIZE = 0
METRICS_PUBLISH = "off"
# Billing is off (and Stripe never called) unless a test switches it on against the fake
# Stripe of apps/billing/tests, whatever a developer's .env holds.
STRIPE_SECRET_KEY = ""
STRIPE_WEBHOOK_SECRET = ""
BILLING_ENABLED = False
# Tasks run in the test's thread when its on-commit callbacks run; the worker's own tests
# (tenants/tests/test_background.py) switch this off and run a worker.
TASKS_IMMEDIATE = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Every test client comes from 127.0.0.1: tests that sweep the API (isolation, fuzzing)
# must not meet the GraphQL limits; tests/test_graphql_rate_limit.py sets its own.
GRAPHQL_RATE_PER_ACCOUNT = "100000/m"
GRAPHQL_RATE_PER_ADDRESS = "100000/m"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATABASES = {
    "default": database_from_env(
        None
        if env.str("DATABASE_URL", default="")
        else embedded_database_settings(DATA_DIR / "postgres")
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = 0

# Static files straight from the source folders; collectstatic is for production images.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
