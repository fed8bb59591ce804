"""Settings, read from the environment (12-factor).

With nothing set the tracker runs in debug mode on a SQLite file under ``var/``.
Production sets ``DJANGO_DEBUG=false``, ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and
``DATABASE_URL`` (PostgreSQL).
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state (the default SQLite database, collected static files) lives here, git-ignored.
VAR_DIR = BASE_DIR / "var"
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=True)
DEVELOPMENT_SECRET_KEY = "insecure-development-key-only-for-debug-mode"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)

if not DEBUG:
    # Production refuses to start half-configured.
    if len(SECRET_KEY) < 50 or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG=false needs DJANGO_SECRET_KEY: a random string of 50 or more "
            "characters (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG=false needs DJANGO_ALLOWED_HOSTS (comma-separated host names)."
        )
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Request bodies (viona.middleware.RequestBodyLimitMiddleware refuses a larger one with 413
# before anything parses it): JSON writes take at most VIONA_BODY_MAX_BYTES; a view that
# takes files declares ``max_body_size = VIONA_UPLOAD_MAX_BYTES``. Files go to a temporary
# file as they arrive, never into memory. List fields of a write take at most
# VIONA_LIST_MAX_LENGTH entries.
VIONA_BODY_MAX_BYTES = 1_000_000
VIONA_UPLOAD_MAX_BYTES = 20_000_000
VIONA_LIST_MAX_LENGTH = 50
DATA_UPLOAD_MAX_MEMORY_SIZE = VIONA_BODY_MAX_BYTES
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 64_000

INSTALLED_APPS = [
    "viona.admin_config.VionaAdminConfig",  # django.contrib.admin, our apps listed first
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "viona",  # before auditlog: its auditlogflush command replaces auditlog's
    "auditlog",
    "axes",
    "reports",
    "recommendations",
]

MIDDLEWARE = [
    "viona.middleware.RejectNullCharactersMiddleware",
    "viona.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "viona.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into its answer
]

ROOT_URLCONF = "viona.urls"
WSGI_APPLICATION = "viona.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "viona" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # The overview keeps its template filters in its own package.
            "libraries": {"overview_tags": "recommendations.overview.templatetags"},
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Both overridable in DATABASE_URL (``?conn_max_age=0``, ``?options=-c%20jit%3Don``).
    # A connection kept for a minute rather than opened per request: under load the list
    # served 62 requests/s instead of 45 (bench/RESULTS.md).
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    if sys.argv[1:2] == ["runserver"]:
        # The development server answers each request on a new thread, and a thread's kept
        # connection is never reused: a burst of 40 requests left 76 idle connections
        # ("too many clients"). gunicorn's workers reuse theirs.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No just-in-time compilation: it pays off for long analytical queries only, and the
    # correlated subqueries of an as-of overview look costly enough to trigger it: at
    # 100,000 items it added ~150 ms of compiling to a 200 ms query.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In debug mode (and in tests) whitenoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = DEBUG

# Reading the catalogue is public unless a deployment turns it off.
VIONA_PUBLIC_READ = env.bool("VIONA_PUBLIC_READ", default=True)
# Where the source document of the fixtures lives (used by the source checks).
VIONA_SOURCE_FILE = Path(
    env.str(
        "VIONA_SOURCE_FILE",
        default=str(BASE_DIR.parent / "shared/source/viona-capita-selecta-2015-2018.txt"),
    )
)

API_MAX_PAGE_SIZE = 200

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["recommendations.api.permissions.ReadOrFollowUpWrite"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "viona.api.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "viona.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "viona.api.schema.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "viona.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "viona.api.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "viona.api.exceptions.exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "viona.api.negotiation.ContentNegotiation",
    "VIEW_NAME_FUNCTION": "viona.api.views.view_name",
    "DEFAULT_THROTTLE_CLASSES": [
        "viona.api.throttling.AnonRateThrottle",
        "viona.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("VIONA_THROTTLE_ANON", default="120/minute"),
        "user": env.str("VIONA_THROTTLE_USER", default="1200/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "VIONA Recommendation Tracker API",
    "DESCRIPTION": (
        "Follow-up of the policy recommendations of the VIONA labour-market research "
        "reports of the Flemish Department of Work and Social Economy."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI would otherwise send the schema to an online validator for a badge.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # Tags (the documentation's sections) are the resource after this prefix (viona/api/schema.py).
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "TAGS": [
        {"name": "reports", "description": "The research reports of the collection."},
        {"name": "institutes", "description": "The research institutes that write them."},
        {
            "name": "recommendations",
            "description": "Recommendations and sub-measures, their follow-up and its history.",
        },
        {"name": "overview", "description": "Counts per status, rates, changes."},
        {"name": "policy domains", "description": "Flemish policy domains."},
        {"name": "organisations", "description": "Owners and addressees of recommendations."},
    ],
    # Relative: the examples in Swagger UI and Redoc name the host that serves them.
    "SERVERS": [{"url": "/", "description": "This server"}],
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "recommendations.models.Status",
        "PriorityEnum": "recommendations.models.Priority",
        "HorizonEnum": "recommendations.models.Horizon",
    },
}

LOGIN_URL = "admin:login"

# The client's address (viona.clientip), for the throttles and the login lockout alike: the
# connection's peer, or behind this many proxies that append to X-Forwarded-For, the address
# the outermost one saw. 0 ignores X-Forwarded-For, which a client can write.
VIONA_TRUSTED_PROXIES = env.int("VIONA_TRUSTED_PROXIES", default=0)
if VIONA_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("VIONA_TRUSTED_PROXIES must be 0 or more.")

# Shared by every worker process, so that the API's rates hold whatever the number of
# workers. The table comes with the migrations (viona/migrations/0001_cache_table.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "viona_cache",
    }
}

# Login lockout (django-axes): five failed logins for one account from one address lock that
# combination out for 15 minutes; a successful login clears the count. Unlock earlier with
# `manage.py axes_reset_username NAME` (or `axes_reset_ip_username IP NAME`, `axes_reset`).
AUTHENTICATION_BACKENDS = [
    "viona.login_lockout.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "viona.clientip.client_ip"
# Failed attempts are dropped once they no longer count; no log of every login (personal data
# that nothing here needs: the admin records each account's last login).
AXES_DISABLE_ACCESS_LOG = True
AXES_COOLOFF_MESSAGE = _(
    "Too many failed logins for this account from this address: try again in 15 minutes, "
    "or ask an administrator to unlock it."
)

# Audit trail: typed before/after values; fixtures loaded raw are not "changes".
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_ON_RAW_SAVE = True
