"""mspt3 settings. Everything deployment-specific comes from the environment
(see README.md, "Configuration")."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from mspt3.env import email_settings, envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DJANGO_DEBUG", False)

_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = envstr("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production refuses a default secret)."
    )

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "mspt3.apps.AdminConfig",  # django.contrib.admin, with the instructors' admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "markdownx",
    "courses",
    "curriculum",
    "qa",
    "notes",
    "search",
    "filestore",
    "asking",
    "room",
]

MIDDLEWARE = [
    "mspt3.requestlog.RequestLogMiddleware",
    "mspt3.probes.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "mspt3.middleware.SecurityHeadersMiddleware",
    "mspt3.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session and CSRF middleware: it sees the cookies they set.
    "mspt3.middleware.CacheControlMiddleware",
    # An anonymous visitor's unchanged poll is a 304 before the session and all below it.
    "mspt3.polls.UnchangedPollMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "mspt3.middleware.FormBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mspt3.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "mspt3.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes writing one file: take the write lock when a transaction
    # starts (no mid-transaction "database is locked") and wait for it, in WAL mode.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=20, init_command="PRAGMA journal_mode=WAL;"
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

# Uploaded and imported images: on this machine's disk by default; "database" keeps
# them in the database, so every replica serves the same files (see filestore/).
MEDIA_STORAGES = {
    "filesystem": "django.core.files.storage.FileSystemStorage",
    "database": "filestore.storage.DatabaseStorage",
}
_media_storage = envstr("DJANGO_MEDIA_STORAGE", "filesystem")
if _media_storage not in MEDIA_STORAGES:
    raise ImproperlyConfigured(f"DJANGO_MEDIA_STORAGE={_media_storage!r} is not one of {', '.join(MEDIA_STORAGES)}")
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGES[_media_storage]},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

CACHES = {
    # Throttle counters and small values.
    "default": {
        "BACKEND": envstr("DJANGO_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": envstr("DJANGO_CACHE_LOCATION", "mspt3"),
    },
    # Rendered pages and page parts (mspt3.pagecache): apart, so page traffic never
    # evicts anything else, and bounded by bytes, not by a count of entries.
    "pages": {
        "BACKEND": "mspt3.cache.ByteBoundedLocMemCache",
        "LOCATION": "mspt3-pages",
        "TIMEOUT": 24 * 3600,
        # Not in OPTIONS: those go to the client when REDIS_URL moves the alias to Redis.
        "MAX_BYTES": envint("MSPT3_PAGE_CACHE_BYTES", 64 * 1024 * 1024),
    },
}
# REDIS_URL moves every cache alias to one shared Redis, so all web processes
# see the same pages, counters and throttles; each alias keeps its own key prefix.
REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"mspt3-{alias}",
            # An unreachable Redis fails a request (and /readyz) in seconds instead of hanging it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
            **({"TIMEOUT": conf["TIMEOUT"]} if "TIMEOUT" in conf else {}),
        }
        for alias, conf in CACHES.items()
    }

# E-mail (askers who opted in hear back, asking.hearing): one URL, printed to the console by default.
globals().update(email_settings(envstr("DJANGO_EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = envstr("DJANGO_DEFAULT_FROM_EMAIL", "mspt3 <noreply@localhost>")
# Links in e-mails (https://qna.example.org); none when empty.
SITE_URL = envstr("DJANGO_SITE_URL", "")

# Security: production defaults, relaxed only by explicit environment values.
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# A refused form gets the site's page (templates/403_csrf.html), with who is signed in.
CSRF_FAILURE_VIEW = "mspt3.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 0 if DEBUG else envint("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Upload limits: a notes file is a few dozen KB; 2 MB leaves room for years of notes.
NOTES_MAX_BYTES = envint("MSPT3_NOTES_MAX_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Safe by default: a new API view that names nothing else needs a login to write, answers
# anonymous writes 401 with a token challenge (token first), pages and throttles.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["mspt3.api_defaults.ReadOrAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["mspt3.api_defaults.AnonymousClientThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "mspt3.api_defaults.ApiPagination",
    "PAGE_SIZE": 50,
}

# API limits. Anonymous clients are throttled per address ("120/min"; "off"
# disables it, e.g. for a local load test); JSON bodies larger than this are a 413.
API_ANON_THROTTLE_RATE = envstr("MSPT3_API_ANON_RATE", "120/min")
API_MAX_BODY_BYTES = envint("MSPT3_API_MAX_BODY_BYTES", 1024 * 1024)

SPECTACULAR_SETTINGS = {
    "TITLE": "mspt3 API",
    "DESCRIPTION": "Cohorts, curriculum, progress and Q&A of the Docker & Kubernetes course.",
    "VERSION": "1.0.0",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

MARKDOWNX_MARKDOWNIFY_FUNCTION = "mspt3.markdown.render_markdown"
MARKDOWNX_MEDIA_PATH = "markdownx/"
# Raster only (no SVG); the upload view also checks the bytes (mspt3.uploads).
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"]
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024

# DJANGO_LOG_FORMAT=json: every log line (one per request, from mspt3.requestlog,
# and errors) is a JSON object on stdout, for a cluster's log collector.
LOG_FORMAT = envstr("DJANGO_LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT={LOG_FORMAT!r} is not text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "mspt3.requestlog.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
    },
    "root": {
        "handlers": ["stdout" if LOG_FORMAT == "json" else "console"],
        "level": envstr("DJANGO_LOG_LEVEL", "WARNING"),
    },
    "loggers": {
        "mspt3.request": {
            "handlers": ["stdout"] if LOG_FORMAT == "json" else [],
            "level": "INFO" if LOG_FORMAT == "json" else "WARNING",
            "propagate": False,
        }
    },
}
