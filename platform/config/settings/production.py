"""Production: no default for secrets; refuses to start without them."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, LOGGING, SECRET_KEY, database_from_env, env

if not SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be set (at least 32 characters) in production.")
if not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

DATABASES = {"default": database_from_env()}

# One JSON object per log line, with the request id and district (config/logs.py).
LOGGING["handlers"]["console"]["formatter"] = env.str("LOG_FORMAT", default="json")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Browsers may then ship the domain in their HTTPS-only list (hstspreload.org): every
# district's host must serve HTTPS for good. SECURE_HSTS_PRELOAD=false before submitting.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Rate limits and login lockouts must be counted in a cache every web process shares
# (config/checks.py refuses the local-memory and dummy caches).
REQUIRE_SHARED_CACHE = True
