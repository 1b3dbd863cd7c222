"""Settings for the whole service, read from the environment (12-factor).

See the configuration table in README.md. Importing them only reads the environment: the
development defaults (a generated key, the embedded database) are provided by the entry
points beforehand (``config.development``), and in production a missing ``DJANGO_SECRET_KEY``
or ``DATABASE_URL`` stops the process at start.
"""

import dj_database_url
import orjson

from config import db_timeouts
from config.environment import (
    BASE_DIR,
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_required,
    env_str,
)
from config.log_settings import logging_settings

DATA_DIR = data_dir()
_UNSET_IN_PRODUCTION = (
    "production (DJANGO_ENV=production) must set it; in development manage.py, config.wsgi "
    "and the test suite provide one (config.development)"
)

SECRET_KEY = env_required("DJANGO_SECRET_KEY", _UNSET_IN_PRODUCTION)
DEBUG = env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_ALLOW_CREDENTIALS = True
CORS_URLS_REGEX = r"^/api/.*$"
# A frontend on another origin must read these: cursor paging, throttling, request ids.
CORS_EXPOSE_HEADERS = ["Link", "Retry-After", "X-Request-ID"]

INSTALLED_APPS = [
    "tenants.apps.TenantAdminConfig",  # django.contrib.admin with the guarded site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "procrastinate.contrib.django",  # the background worker's queue, on PostgreSQL
    "tenants",
    "eventos",
    "webhooks",
    "clientes",
    "comercial.apps.ComercialConfig",  # app label "documentos" (its tables, migrations)
    "ventas",
    "cotizaciones",
    "demo",  # seed_demo, above every other app
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "config.middleware.ApiNoStoreMiddleware",  # every /api/ answer, early refusals included
    # Probes answer before host validation and HTTPS redirects: orchestrators call them by IP.
    "config.middleware.HealthProbeMiddleware",
    "config.middleware.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "config.middleware.BodySizeLimitMiddleware",
    # Django's three session middleware, skipped by token requests to the API's resources.
    "config.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.sessions.AuthenticationMiddleware",
    "config.sessions.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# Persistent connections with health checks: a dropped connection heals on the next request.
# connect_timeout keeps requests from hanging while the server is unreachable.
DB_CONNECT_TIMEOUT = env_int("DB_CONNECT_TIMEOUT", 3)


def _prepared_statements(threshold: int) -> dict:
    """Django's OPTIONS for psycopg's prepared statements after ``threshold`` runs (0: none,
    Django's own default, which binds parameters in the client)."""
    if threshold <= 0:
        return {}
    return {"server_side_binding": True, "prepare_threshold": threshold}


_database = dj_database_url.parse(env_required("DATABASE_URL", _UNSET_IN_PRODUCTION))
# Statement and lock limits, web and management commands (DB_*_TIMEOUT_MS, config.db_timeouts).
DB_TIMEOUTS = db_timeouts.from_environment()
_database.update(
    # Django's PostgreSQL backend whose per-request health check asks the socket instead of
    # sending SELECT 1 (config/postgres/base.py).
    ENGINE="config.postgres",
    CONN_MAX_AGE=env_int("DB_CONN_MAX_AGE", 300),
    CONN_HEALTH_CHECKS=True,
    OPTIONS={
        **_database.get("OPTIONS", {}),
        "options": db_timeouts.startup_options(DB_TIMEOUTS, _database),
        "connect_timeout": DB_CONNECT_TIMEOUT,
        # A server that vanishes without closing the connection (network drop) is noticed
        # within about a minute instead of the kernel's default hours.
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
        # Parameters bound by the server, and a statement run more than ``DB_PREPARE_THRESHOLD``
        # times on a connection prepared there: the server then parses it once per connection and
        # may reuse its plan (the token lookup, the lists, the inserts: bench/README.md). A pooler
        # in transaction mode that cannot keep prepared statements wants 0 (none).
        **_prepared_statements(env_int("DB_PREPARE_THRESHOLD", 5)),
    },
)
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (throttling) -------------------------------------------------------------------
# The request-rate limits are shared by every worker: counted in Redis with REDIS_URL, else
# in an UNLOGGED PostgreSQL table (tenants.api.ratelimit). Nothing else uses the cache.
REDIS_URL = env_str("REDIS_URL")
API_THROTTLE_STORE = "cache" if REDIS_URL else "database"
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "tenants.User"
AUTHENTICATION_BACKENDS = ["tenants.api.authentication.TenantModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 0)  # 0: tokens do not expire

# --- Security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = env_str("DJANGO_SESSION_COOKIE_SAMESITE", "Lax")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_SAMESITE = SESSION_COOKIE_SAMESITE
CSRF_FAILURE_VIEW = "config.csrf.json_csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
# TLS is terminated by the reverse proxy, which sets X-Forwarded-Proto; gunicorn honours it
# only from FORWARDED_ALLOW_IPS (so no SECURE_PROXY_SSL_HEADER, which would trust any client).
USE_X_FORWARDED_HOST = env_bool("DJANGO_USE_X_FORWARDED_HOST")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
# The proxy redirects to HTTPS; HSTS preloading is an opt-in commitment of the domain's owner.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_SSL_REDIRECT else ["security.W008"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]

# --- Request limits -----------------------------------------------------------------------
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
# A customers' CSV sent to POST /api/clientes/importar: up to 10 MB and 50,000 rows (413 past
# either). Its route takes the file plus a multipart envelope; a file over 2.5 MB is spooled
# to a temporary file (Django's FILE_UPLOAD_MAX_MEMORY_SIZE), not held in memory.
API_IMPORT_MAX_FILE_BYTES = env_int("API_IMPORT_MAX_FILE_BYTES", 10 * 1024 * 1024)
API_IMPORT_MAX_ROWS = env_int("API_IMPORT_MAX_ROWS", 50_000)
API_MAX_BODY_BYTES_BY_PATH = {"/api/clientes/importar": API_IMPORT_MAX_FILE_BYTES + 64 * 1024}

# --- Events and the worker ---------------------------------------------------------------
EVENTOS_RETENCION_DIAS = env_int("EVENTOS_RETENCION_DIAS", 90)
# A job whose worker stopped sending heartbeats for this long (killed, the machine gone) is
# handed to another worker: nothing a dead worker held is lost.
WORKER_STALLED_SECONDS = env_int("WORKER_STALLED_SECONDS", 60)

# Webhooks (shared/events-contract.md): https to public addresses only, unless these lift it
# (development and tests); the retry schedule in seconds; when a failing subscription stops.
WEBHOOKS_ALLOW_HTTP = env_bool("WEBHOOKS_ALLOW_HTTP", False)
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)
WEBHOOKS_RETRY_SCHEDULE = [
    int(seconds)
    for seconds in env_list("WEBHOOKS_RETRY_SCHEDULE", "5,300,1800,7200,18000,36000,36000")
]
WEBHOOKS_DISABLE_AFTER_HOURS = env_int("WEBHOOKS_DISABLE_AFTER_HOURS", 72)
WEBHOOKS_TIMEOUT_SECONDS = 10
WEBHOOKS_MAX_PER_TENANT = 20

# --- I18N ---------------------------------------------------------------------------------
LANGUAGE_CODE = "es"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files (admin, API docs) served by whitenoise ----------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Hashed, compressed files once `collectstatic` has run (make run, the Docker image); plain
# files straight from the apps before that (tests, DEBUG).
_COLLECTED = (STATIC_ROOT / "staticfiles.json").exists() and not DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

# --- REST framework -----------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header turns "no credentials" into 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tenants.api.authentication.ApiTokenAuthentication",
        "tenants.api.authentication.ActiveSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tenants.api.permissions.IsTenantMember"],
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_UTC_Z, orjson.OPT_NAIVE_UTC),
    "DEFAULT_PARSER_CLASSES": ["config.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "tenants.api.throttling.UserRateThrottle",
        "tenants.api.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("API_RATE_USER", "3000/min"),
        "anon": env_str("API_RATE_ANON", "600/min"),
        "login": env_str("API_RATE_LOGIN", "20/min"),
        "login_account": env_str("API_RATE_LOGIN_ACCOUNT", "10/min"),
    },
    # Reverse proxies in front of the service: 0 trusts only the connection's address, so a
    # client cannot dodge the per-address limits with a forged X-Forwarded-For.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
    "COERCE_DECIMAL_TO_STRING": False,
    # `?format=` is an ordinary (unknown, ignored) query parameter, not a renderer switch.
    "URL_FORMAT_OVERRIDE": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Clientes API",
    "DESCRIPTION": "API multi-empresa de clientes, ventas y cotizaciones.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Docstrings are written for engineers; components and operations carry Spanish text set
    # explicitly (config.api.schema.hooks.client_facing_descriptions, summaries, help_text).
    "DISABLE_DOCSTRING_DESCRIPTIONS": True,
    # Relative by default (the schema's own host); API_PUBLIC_URL names the public one.
    "SERVERS": [
        {
            "url": env_str("API_PUBLIC_URL", "/"),
            "description": "Esta instancia de la API",
        }
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.text.finish_text_fields",
        "config.api.schema.hooks.integer_path_ids",
        "config.api.schema.params.refine_query_parameters",
        "config.api.schema.hooks.document_failures",
        "config.api.schema.hooks.exclusive_fields",
        "config.api.schema.hooks.client_facing_descriptions",
        "config.api.schema.links.add_links",
    ],
    "ENUM_NAME_OVERRIDES": {
        "EstadoUsuarioEnum": "tenants.models.User.Estado",
        "EstadoCotizacionEnum": "cotizaciones.models.Cotizacion.Estado",
    },
}

# --- Logging ------------------------------------------------------------------------------
LOGGING = logging_settings()
