"""Settings of Хозрасчёт: one module, driven by environment variables.

Every value a deployment changes comes from the environment and is validated here,
so a typo fails at start-up instead of silently falling back to a default. With no
environment at all the project runs for a developer: SQLite file in the project,
DEBUG on, demo secret key. With ``DEBUG=false`` it refuses to start without a real
``SECRET_KEY`` and ``ALLOWED_HOSTS`` and turns on the transport-security settings
(the plant's intranet deployment terminates TLS at a reverse proxy in front of it).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean; anything but a recognised spelling is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false, 1/0, yes/no).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

# Only ever used with DEBUG on: without DEBUG a missing SECRET_KEY stops the start below.
_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # nosec B105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = _DEV_SECRET
elif len(SECRET_KEY) < 50 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "enterprise.admin_site.KhozraschetAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "enterprise.admin_site.TasksConfig",  # django_tasks_db, named in Russian
    "enterprise.admin_site.AxesConfig",  # django-axes, named in Russian
    "enterprise",
    "brigades",
    "claims",
    "planning",
    "meetings",
    "khozraschet",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "enterprise.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "enterprise.auth.ShiftSessionMiddleware",
    "enterprise.middleware.ActorMiddleware",
    "axes.middleware.AxesMiddleware",
    "enterprise.middleware.MethodNotAllowedMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE for base.html's <html lang>.
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "enterprise.context_processors.navigation",
            ],
            # The figures' filters (num, plain, signed) on every page and PDF.
            "builtins": ["enterprise.templatetags.numbers"],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Database: DATABASE_URL, default an SQLite file in the project.
# PostgreSQL: postgres://user:pass@host:5432/name?pool=true uses psycopg's pool.
_default_db = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    _db = dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db)
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    if _db.get("OPTIONS", {}).get("pool"):
        _db["CONN_MAX_AGE"] = 0
    # Parameters bound by the server, and a query run a fifth time on a connection prepared
    # there: PostgreSQL parses and plans it once per connection, not on every request (the
    # pages' queries are the same few hundred; a plan cost up to ~7 ms). Django turns
    # prepared statements off for poolers such as PgBouncer in transaction mode, which
    # cannot keep them; psycopg's own pool (``?pool=true``) keeps each on its connection.
    # PG_PREPARED=false turns both off (behind such a pooler).
    if env_bool("PG_PREPARED", True):
        _db.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    # The planner's cost of reading a page out of order, against 1 for reading in order:
    # PostgreSQL's 4 is for spinning disks; the plant's data stays in memory (or on SSD),
    # where 1.1 is the usual figure. At 4 a shift's 77 outputs were joined to their task
    # lines by reading all 126,000 lines (26 ms) instead of 77 index lookups (6 ms).
    # PG_RANDOM_PAGE_COST= (empty) leaves the server's own setting.
    if _page_cost := os.environ.get("PG_RANDOM_PAGE_COST", "1.1").strip():
        try:
            float(_page_cost)
        except ValueError:
            raise ImproperlyConfigured(
                f"PG_RANDOM_PAGE_COST must be a number, not {_page_cost!r}."
            ) from None
        _options = _db.setdefault("OPTIONS", {})
        _options["options"] = (
            f"{_options.get('options', '')} -c random_page_cost={_page_cost}".strip()
        )
else:
    raise ImproperlyConfigured(f"Unsupported database engine {_db['ENGINE']!r}.")
_db["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _db}

# The cache holds the competition board's and the bonus proposals' written rows
# (planning.tracking.pages), keyed by a fingerprint of what they show. CACHE_DIR names a
# folder the server's processes share (made private, 0700): a board one gunicorn worker
# wrote serves the others, instead of each writing it again after every change. Unset:
# each process keeps its own in memory (tests, management commands, runserver).
CACHE_DIR = os.environ.get("CACHE_DIR", "")
if CACHE_DIR:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
            "TIMEOUT": 6 * 60 * 60,
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes' backend comes first: it refuses a locked account before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "enterprise.permissions.RoleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Language and formats: Russian first, English available.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True


STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")

# Security headers on every response.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Sessions on the shop floor's shared computers: one shift (8 h) from the login, however
# active the user is (enterprise.auth.ShiftSessionMiddleware enforces the absolute limit, so
# SESSION_SAVE_EVERY_REQUEST stays off), and the cookie ends when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False

# Login throttling (django-axes, see enterprise/auth.py): 10 wrong passwords for one account
# from one address lock that pair for 15 minutes (a further try while locked restarts the
# 15 minutes); other accounts behind the same address and the same account elsewhere are not
# affected; a successful login forgets the failures. The back office lifts a lock in the
# admin («Попытки доступа»). The client's address: REMOTE_ADDR, or — behind reverse proxies
# — the right-most TRUSTED_PROXY_COUNT-th X-Forwarded-For entry (what the outermost proxy
# saw; production assumes one proxy terminating TLS, as SECURE_PROXY_SSL_HEADER does). With
# TRUSTED_PROXY_COUNT wrong, all users share the proxy's address or a client can pick its own.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0 if DEBUG else 1)
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "enterprise.auth.client_ip"
AXES_LOCKOUT_CALLABLE = "enterprise.auth.lockout_response"
# Quiet at start-up: the banner would print on every manage.py command.
AXES_VERBOSE = False

# Transport security: on by default in production (TLS at the proxy), each overridable.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if not DEBUG else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = (
    # An intranet host is never submitted to the browsers' HSTS preload list.
    ["security.W021"] if not SECURE_HSTS_PRELOAD else []
)

if not DEBUG:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Background work (printing batches of plan sheets): Django's tasks API on the database
# backend of django-tasks-db. ``manage.py db_worker`` runs the queue; any number of
# workers on any number of hosts share the one database (tasks are claimed with
# SELECT … FOR UPDATE SKIP LOCKED). TASKS_IMMEDIATE=true runs tasks inside the request
# instead (a developer without a worker; the tests switch to it themselves).
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_bool("TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint narrates every step of every document at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
