"""Maillage settings: one file, every value from the environment.

Two modes:
- embedded (default): SQLite in ./var, in-memory channel layer, Celery eager, console e-mail.
  Needs nothing installed but Python and Node.
- production (MAILLAGE_ENV=production): DATABASE_URL, REDIS_URL, SECRET_KEY and ALLOWED_HOSTS are required;
  secure cookies, HSTS and SMTP e-mail are on. See docs/DEPLOY.md.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MAILLAGE_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (os.environ.get(name) or default).split(",") if item.strip()]


MAILLAGE_ENV = env("MAILLAGE_ENV", "embedded")
PRODUCTION = MAILLAGE_ENV == "production"
DEBUG = env_bool("DEBUG", False)

if PRODUCTION:
    missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS") if not env(name)]
    if missing:
        raise ImproperlyConfigured(f"Production mode needs these environment variables: {', '.join(missing)}")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must stay off in production (it would show debug pages).")

SECRET_KEY = env("SECRET_KEY") or "embedded-mode-only-not-secret-" + "x" * 32
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "maillage.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "channels",
    "maillage.accounts",
    "maillage.workspaces",
    "maillage.territories",
    "maillage.glossary",
    "maillage.directory",
    "maillage.diagnostics",
    "maillage.practices",
    "maillage.collectives",
    "maillage.workshops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "maillage.config.urls"
WSGI_APPLICATION = "maillage.config.wsgi.application"
ASGI_APPLICATION = "maillage.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "maillage" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maillage.core.context_processors.maillage",
            ],
            "builtins": ["maillage.glossary.templatetags.glossary"],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    # No persistent connections: under ASGI each request runs in its own thread (Django's advice).
    "default": dj_database_url.parse(env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'maillage.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Busy timeout avoids "database is locked" under load. WAL (readers never wait for the writer) is a
    # property of the file, switched on once after migrations (maillage.core.apps), not per connection.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    # A small connection pool (see the module): no schema re-parse on every ASGI request.
    DATABASES["default"]["ENGINE"] = "maillage.core.db_backends.sqlite"
else:
    # PostgreSQL: psycopg's connection pool replaces persistent connections.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 1, "max_size": int(env("DB_POOL_MAX_SIZE", "8")), "timeout": 20}
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, channels, celery --------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # Short timeouts: a dead Redis must cost milliseconds, and the cache then serves misses (core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "maillage.core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Pub/sub layer: one Redis publish per live event, fanned out inside each app process (docs/WORKSHOPS_LIVE.md).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Embedded mode has no worker: jobs run inline, in the request or command that queued them.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True

# --- Accounts and security ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
if env_bool("MAILLAGE_FAST_HASHER"):  # tests only: PBKDF2 at full cost would dominate the suite's time
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Login throttling and lockout (django-axes): 5 failures for one account from one address lock it for 15 min.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = int(env("PROXY_COUNT", "0")) or None
AXES_ENABLED = env_bool("AXES_ENABLED", True)

SESSION_ENGINE = "maillage.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "maillage.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Map tiles (Leaflet): any XYZ tile server; its origin is the only third-party origin allowed, for images.
MAILLAGE_TILE_URL = env("MAILLAGE_TILE_URL") or "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
MAILLAGE_TILE_ATTRIBUTION = env("MAILLAGE_TILE_ATTRIBUTION") or "© contributeurs OpenStreetMap"


def _tile_origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a"))
    return (
        f"{parts.scheme}://{parts.netloc}"
        if "{s}" not in url
        else f"{parts.scheme}://*.{parts.netloc.split('.', 1)[1]}"
    )


# Content-Security-Policy: no inline script; the only third-party origin is the map tile server (images).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", _tile_origin(MAILLAGE_TILE_URL)] + env_list("CSP_IMG_SRC"),
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Uploaded files: validated by type and size in maillage.core.uploads.
MAX_UPLOAD_BYTES = int(env("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MEDIA_ROOT = Path(env("MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = "/media/"

# --- E-mail ----------------------------------------------------------------------------------------------
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Maillage <ne-pas-repondre@maillage.localhost>")

# --- Internationalisation ------------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "maillage" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
STATICFILES_DIRS = [BASE_DIR / "maillage" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production, serve static files straight from the apps (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# --- Maillage -------------------------------------------------------------------------------------------
MAILLAGE_DEMO = env_bool("MAILLAGE_DEMO", not PRODUCTION)
MAILLAGE_PRIVACY_NOTICE_VERSION = "2026-11"
# Who may create a workspace: any logged-in person (default, like a community group starting up),
# or only platform staff when an operator prefers to open workspaces on request.
MAILLAGE_OPEN_WORKSPACE_CREATION = env_bool("MAILLAGE_OPEN_WORKSPACE_CREATION", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
