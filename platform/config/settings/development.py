"""Local development: safe defaults, embedded PostgreSQL when DATABASE_URL is unset."""

from config.embedded_db import embedded_database_settings

from .base import *  # noqa: F403
from .base import CACHES, DATA_DIR, database_from_env, env

DEBUG = env.bool("DEBUG", default=True)
# Development only: a fixed key so sessions survive restarts. Production has no default.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", ".localhost", "127.0.0.1"])
PLATFORM_URL_SCHEME = env.str("PLATFORM_URL_SCHEME", default="http")
PLATFORM_URL_PORT = env.str("PLATFORM_URL_PORT", default="8000")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Tasks run in this process after commit unless a worker is started (`make demo` starts
# one and sets TASKS_IMMEDIATE=false).
TASKS_IMMEDIATE = env.bool("TASKS_IMMEDIATE", default=True)

DATABASES = {
    "default": database_from_env(
        None
        if env.str("DATABASE_URL", default="")
        else embedded_database_settings(DATA_DIR / "postgres")
    )
}

# Static files straight from the source folders; collectstatic is for production images.
STATIC_ROOT = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
CACHES["default"]["KEY_PREFIX"] = str(DATABASES["default"].get("NAME", ""))
GRAPHQL_INTROSPECTION = env.bool("GRAPHQL_INTROSPECTION", default=True)
