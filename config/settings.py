"""Settings for shiftpractice, read from the environment.

Every setting a deployment may change is an environment variable documented in
`.env.example` and the README. Defaults suit a laptop: SQLite, console email,
DEBUG on only when asked for.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from config.observability import init_error_tracker, parse_admins

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_days(name: str, default: int) -> int | None:
    """A number of days from the environment; "never" is None (kept for ever)."""
    value = os.environ.get(name, "").strip().lower()
    if value == "never":
        return None
    if not value:
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f'{name} must be a whole number of days, 0 or more, or "never".')
    return int(value)


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a fixed key so sessions survive a restart of `make run`.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "shiftpractice.core.adminsite.AdminConfig",  # Django's admin, explaining refused deletes
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # the library's sitemap.xml
    "django_htmx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "shiftpractice.core",
    "shiftpractice.accounts",
    "shiftpractice.notifications",
    "shiftpractice.content",
    "shiftpractice.programmes",
    "shiftpractice.cohorts",
    "shiftpractice.projects",
    "shiftpractice.measures",
    "shiftpractice.coaching",
    "shiftpractice.evaluation",
    "shiftpractice.stories",
    "shiftpractice.outcomes",
    "shiftpractice.msc",
    "shiftpractice.reports",
    "shiftpractice.library",
    "shiftpractice.network",
    "shiftpractice.home",
    "shiftpractice.api",
    "shiftpractice.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shiftpractice.core.middleware.RequestMemoMiddleware",  # reads about the person once a request (core.memo)
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shiftpractice.core.middleware.CSPMiddleware",  # django-csp's, with the admin's own policy
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "shiftpractice.core.middleware.BusyDatabaseMiddleware",  # a write that cannot get the lock: "busy, try again"
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "shiftpractice.home.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite by default, tuned for a web server with a worker beside it
# (WAL so readers never wait for the writer, a busy timeout, and IMMEDIATE
# transactions so two writers queue instead of failing with "database is locked").
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL and not DATABASE_URL.startswith("sqlite"):
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    # PostgreSQL's JIT compiler is for long analytic queries; on a web page's queries it costs more than it saves
    # (the evaluation report's progress-score query spent 133 ms of 178 compiling, docs/architecture.md). Off
    # for this app's connections unless the URL's own options say otherwise.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    if "jit" not in _pg_options.get("options", ""):
        _pg_options["options"] = f"{_pg_options.get('options', '')} -c jit=off".strip()
else:
    sqlite_path = DATABASE_URL.removeprefix("sqlite:///") if DATABASE_URL else str(BASE_DIR / "db.sqlite3")
    DATABASES = {
        "default": {
            "ENGINE": "shiftpractice.core.sqlite3",  # Django's, retrying a write transaction that cannot begin
            "NAME": sqlite_path,
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests use an in-memory database (one per xdist worker). Named explicitly because pytest-django
            # recognises SQLite only by Django's own engine path, and would otherwise derive a file name.
            "TEST": {"NAME": ":memory:"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every process (docs/architecture.md, "Caching"): Redis when REDIS_URL is set; otherwise
# files on this machine with SQLite (which serves one machine anyway, and whose single write lock should not
# also carry cache writes) or a table in PostgreSQL (`manage.py createcachetable`). CACHE_BACKEND=locmem
# (tests), file or database chooses one.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_BACKEND = os.environ.get("CACHE_BACKEND", "") or (
    "redis" if REDIS_URL else "database" if DATABASES["default"]["ENGINE"].endswith("postgresql") else "file"
)
CACHES = {
    "default": {
        "redis": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_table"},
        "file": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", "") or str(BASE_DIR / "var" / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
        "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }[CACHE_BACKEND]
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    # Argon2id at OWASP's 19 MiB, 2 passes (Django's default asks 100 MiB a login); older hashes upgrade on login.
    "shiftpractice.accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: five failures for one account from one address lock it for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Failures are counted against the email spelled as login looks it up (trimmed, lower case).
AXES_USERNAME_CALLABLE = "shiftpractice.accounts.throttling.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address, through django-ipware. TRUSTED_PROXY_COUNT is how many reverse proxies (each adding
# the address it was reached from to X-Forwarded-For) sit in front of the app; 0 (no proxy) uses REMOTE_ADDR.
# ipware counts only the proxies listed in the header, and the nearest proxy is REMOTE_ADDR, not listed: hence
# the "- 1". Not strict, so addresses a client puts in the header itself are passed over, never believed.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT > 0:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    AXES_IPWARE_PROXY_COUNT = None
IPWARE_STRICT = False

INVITATION_VALID_DAYS = 14

# Erasure of an account at its person's request (privacy.erasure): the emailed confirmation link works this many
# hours; once confirmed, the account is erased after this many days, during which the person can cancel.
ERASURE_CONFIRM_HOURS = 24
ERASURE_GRACE_DAYS = 14

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# The design system and htmx come from npm (`npm ci`), never copied into the repo.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nhsuk", NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("swagger-ui", NODE_MODULES / "swagger-ui-dist"),  # the API docs page (shiftpractice/api)
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("STATIC_FROM_FINDERS")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve straight from the finders when there is no collectstatic step (development, tests).
WHITENOISE_USE_FINDERS = DEBUG or env_bool("STATIC_FROM_FINDERS")
# Look files up when asked rather than scanning every finder file whenever the middleware is built (each test
# client builds it again: the scan was a third of the suite's time).
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "") or BASE_DIR / "media")
# Where `manage.py backup` writes its archives unless told otherwise (docs/operations.md).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", "") or BASE_DIR / "backups")
# How many days `manage.py apply_retention` keeps each kind of record (core.retention; docs/operations.md).
# RETENTION_DAYS_<KEY>=N overrides one (RETENTION_DAYS_AUDIT_EVENTS=1095); "never" keeps them for ever.
RETENTION_DAYS = {
    key: env_days(f"RETENTION_DAYS_{key.upper()}", default)
    for key, default in {
        "task_results": 14,  # finished background tasks
        "task_results_failed": 30,  # failed background tasks (ADMINS were emailed when each failed)
        "import_files": 7,  # uploaded files of imports not being checked or written
        "imports": 90,  # imports that wrote nothing (problems found, failed, cancelled)
        "notifications_read": 90,
        "notifications_unread": 365,
        "invitations": 30,  # days after an unaccepted invitation expired
        "emails": 30,  # outbox emails sent or not needed
        "emails_failed": 90,  # outbox emails that failed (an operator may retry them)
        "audit_events": 730,
        "data_exports": 30,  # finished data exports; a ready one this long after its link expired
    }.items()
}
# Every free-text field of every form accepts at most this many characters (core.forms.NHSFormMixin).
FORM_TEXT_MAX_LENGTH = int(os.environ.get("FORM_TEXT_MAX_LENGTH", "20000"))
# Every uploaded file is read within these limits, checked as it is read and before anything is stored
# (shiftpractice/measures/uploads/; measure imports are the only uploads). docs/measures.md explains each.
UPLOAD_LIMITS = {
    "MAX_BYTES": 10 * 1024 * 1024,  # the file as uploaded; the request stops taking it past this
    "MAX_UNPACKED_BYTES": 100 * 1024 * 1024,  # an XLSX's parts unpacked, all together (a zip bomb stops here)
    "MAX_PART_BYTES": 2 * 1024 * 1024,  # an XLSX part read whole (styles...): all but sheets and strings
    "MAX_ZIP_MEMBERS": 1000,  # parts in an XLSX
    "MAX_XML_TOKEN_BYTES": 1024 * 1024,  # one XML tag, comment or text waiting to be parsed
    "MAX_CELL_CHARS": 1000,  # any cell (a note holds at most 300)
    "MAX_HEADER_CHARS": 100,  # a column name
    "MAX_COLUMNS": 50,
    "MAX_ROWS": 200_000,  # rows of data in one file
}
# Background work on an import (checking, writing) holds a lease this long, renewed while it checks; a claim
# whose lease has run out is picked up again (checking, at most IMPORT_MAX_ATTEMPTS times) or given back.
IMPORT_LEASE_SECONDS = int(os.environ.get("IMPORT_LEASE_SECONDS", "300"))
IMPORT_MAX_ATTEMPTS = 3

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "shiftpractice <no-reply@shiftpractice.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who is emailed the details of every server error: ADMINS="Name <ops@example.org>, oncall@example.org".
ADMINS = parse_admins(os.environ.get("ADMINS", ""))
EMAIL_SUBJECT_PREFIX = "[shiftpractice] "
# Errors also go to Sentry (or a Sentry-compatible tracker) when SENTRY_DSN is set.
ERROR_TRACKER_ENABLED = init_error_tracker(
    os.environ.get("SENTRY_DSN", ""),
    environment=os.environ.get("SENTRY_ENVIRONMENT", ""),
    release=os.environ.get("SENTRY_RELEASE", ""),
    traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
)

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # SECURE_COOKIES=0 only for plain HTTP on this machine (`make run`); a deployment keeps them secure.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: scripts only from this site (no inline script anywhere), styles from this site
# plus inline style attributes (chart bar widths), fonts from the NHS asset host the design system names.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The admin (Django 5.2's ships no inline script or style, and no font from elsewhere) gets its own, stricter
# policy: the site's, with no inline styles and fonts from this site only (shiftpractice.core.middleware).
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "style-src": [SELF], "font-src": [SELF]},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # Server errors and failed background tasks are emailed to ADMINS through EMAIL_BACKEND at once,
        # not through the outbox: the database may be what failed.
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # Django's default handlers on "django" are dropped so that each error is mailed once, from here.
        "django": {"handlers": []},
        "django.request": {"handlers": ["mail_admins"]},
        "django_tasks": {"handlers": ["mail_admins"]},
        "django_tasks_db": {"handlers": ["mail_admins"]},
    },
}
