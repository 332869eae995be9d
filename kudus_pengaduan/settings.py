"""Settings, read from the environment through one reader (django-environ plus the strict
helpers below).

With no variables at all the product runs on its *embedded default*: a SQLite file and a
filesystem Celery broker under ``var/``, DEBUG on only if asked for. Every production value is
an environment variable documented in README.md; a bad value fails at start-up, loudly.
"""

import logging
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# django-environ reads any unknown word as False (DEBUG=flase would quietly turn DEBUG off and
# SECURE_SSL_REDIRECT on) and its int errors do not name the variable; these helpers refuse
# anything they do not understand. A variable that is set but empty is a bad value, not "unset".
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}.")
    return value


def env_url(name: str, default: str, *, schemes: tuple[str, ...]) -> str:
    """The URL in `name` if its scheme is one of `schemes`. The error names only the scheme: the
    rest of a URL may hold a password."""
    value = os.environ.get(name, default)
    scheme = urlsplit(value).scheme
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must be a URL with scheme {' or '.join(schemes)}; got scheme {scheme!r}."
        )
    return value


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address of the site, used in links sent by e-mail and SMS.
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("https", "http")).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "django_htmx",
    "django_ratelimit",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "complaints",
    "disposition",
    "lapor_sync",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Turns a rate-limit refusal raised by a view into RATELIMIT_VIEW's 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Lock-out after repeated failed logins (django-axes); last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kudus_pengaduan.urls"
WSGI_APPLICATION = "kudus_pengaduan.wsgi.application"
ASGI_APPLICATION = "kudus_pengaduan.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# PostgreSQL in production and in the test suite; a SQLite file is the embedded default.
DATABASES = {
    "default": env.db_url_config(
        env_url(
            "DATABASE_URL",
            f"sqlite:///{VAR_DIR / 'kudus.sqlite3'}",
            schemes=("postgres", "postgresql", "sqlite"),
        )
    ),
}
_db = DATABASES["default"]
_db.setdefault("CONN_MAX_AGE", env_int("DB_CONN_MAX_AGE", default=60))
_db["CONN_HEALTH_CHECKS"] = True
_db.setdefault("TEST", {})
IS_POSTGRES = _db["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES:
    # libpq waits forever for an unreachable host by default; /healthz and start-up should not.
    _db.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
else:
    # SQLite only serves the single-machine demo; a longer busy timeout lets the web process
    # and the in-process worker share it.
    _db.setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery -------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    env_url("REDIS_URL", "", schemes=("redis", "rediss"))
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without Redis the broker is kombu's filesystem transport: no server to run for the demo.
CELERY_BROKER_URL = env_url(
    "CELERY_BROKER_URL",
    REDIS_URL or "filesystem://",
    schemes=("redis", "rediss", "filesystem", "memory"),
)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", default=240, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", default=300, minimum=1)
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    # The soft limit raises inside the task so it can clean up; past the hard limit the worker
    # process is killed, so the soft one must come first.
    raise ImproperlyConfigured("CELERY_TASK_SOFT_TIME_LIMIT must be below CELERY_TASK_TIME_LIMIT.")
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE = {
    # Safety net for the on-commit enqueue: events whose side effects were never run (a worker
    # was down, a message was lost) are picked up within a minute.
    "process-pending-events": {
        "task": "complaints.tasks.process_pending_events",
        "schedule": timedelta(minutes=1),
    },
    # The government announces next year's holidays and cuti bersama during the year; reseeding
    # monthly picks up the package's updates without touching dates an admin edited.
    "seed-holidays": {
        "task": "disposition.tasks.seed_holidays",
        "schedule": crontab(minute=15, hour=1, day_of_month=1),
    },
    # What is due and overdue, to each OPD's admins and to Admin Kabupaten, before office
    # hours; the task itself skips holidays and cuti bersama.
    "send-daily-digest": {
        "task": "disposition.tasks.send_daily_digest",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon-fri"),
    },
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Citizens log in on the site; staff get their own login with the back-office (issue 4).
LOGIN_URL = "complaints:login"
LOGIN_REDIRECT_URL = "complaints:my_reports"
LOGOUT_REDIRECT_URL = "complaints:home"
AUTHENTICATION_BACKENDS = [
    # Refuses any login while its username and address are locked out (django-axes).
    "axes.backends.AxesStandaloneBackend",
    # Staff (and the Django admin) log in by username. First, so that a login made without
    # naming a backend (force_login, a management command) is a plain one.
    "django.contrib.auth.backends.ModelBackend",
    # A citizen logs in with the e-mail address or the phone number they registered with.
    "complaints.auth.EmailOrPhoneBackend",
]

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
# Project-wide static files, once there are any (git keeps no empty folder: a fresh clone has
# no static/ until a file lands there, and a missing folder is a system-check warning).
STATICFILES_DIRS = [path for path in [BASE_DIR / "static"] if path.is_dir()]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
# In development (and tests) WhiteNoise serves from the app folders as files change, so no
# collectstatic is needed; production serves the collected, hashed files only.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded files (complaint attachments: photos, documents, personal data) are never served
# from a public URL: no route, web server or volume exposes MEDIA_ROOT; views check access and
# stream the file. MEDIA_URL only exists because FileSystemStorage wants one.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024, minimum=1)
ATTACHMENT_MAX_COUNT = env_int("ATTACHMENT_MAX_COUNT", default=5, minimum=1)

# --- E-mail ---------------------------------------------------------------------------------
# e.g. smtp+tls://user:password@smtp.example:587, consolemail:// (default: printed to stdout).
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
if _email.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
# A stuck mail server must not hold a worker for the whole task time limit.
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Pengaduan Kudus <noreply@kuduskab.go.id>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production sits behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Browsers' preload list takes only registrable domains (kuduskab.go.id), whose owner decides
# for every subdomain; this site cannot opt in on its own, so the deploy check's reminder
# (security.W021) is noise here until SECURE_HSTS_PRELOAD=1 is chosen for the whole domain.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# django-ratelimit lists only third-party Redis clients as supported; Django's own RedisCache
# increments atomically too. Without Redis (the single-process demo) the local-memory cache is
# shared by the only process that counts.
SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001"] + (
    [] if REDIS_URL else ["django_ratelimit.E003"]
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", default=8 * 3600, minimum=60)
# /healthz is polled by load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}

# --- Product settings -----------------------------------------------------------------------
# Prefix of the public tracking number, e.g. KDS-4F7K-9M2Q.
TRACKING_PREFIX = env.str("TRACKING_PREFIX", default="KDS")

# --- Staff login (back-office) ----------------------------------------------------------------
# Failed logins before a lock-out, per username from one address; the lock lasts AXES_COOLOFF.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "disposition/auth/locked.html"
# Renders AXES_LOCKOUT_TEMPLATE in the staff or the citizen layout, by where the login was.
AXES_LOCKOUT_CALLABLE = "disposition.views.auth.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
# The client address: the same request header as the citizen site's rate limits.
AXES_IPWARE_META_PRECEDENCE_ORDER = (env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR"),)
# Never copied into the attempt log's request data (passwords always are masked).
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "code",
    "codes-code",
    "csrfmiddlewaretoken",
    "old_password",
    "new_password1",
    "new_password2",
]
# The issuer shown in authenticator apps.
OTP_TOTP_ISSUER = "Kanal Pengaduan Kudus"
# The Django admin never shows TOTP secrets or backup codes (django-otp stores both as is).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Staff sessions: each staff login makes its session end when the browser closes (shared
# office computers); the server also drops it SESSION_COOKIE_AGE (8 h, a working day) after it
# was last written, which for a staff session is the login. Citizens keep the 8-hour cookie.

# --- Citizen website ----------------------------------------------------------------------
# Abuse limits (django-ratelimit rates: N/s, N/m, N/h, N/d). Submission is limited per IP and
# per contact (phone or e-mail); tracking look-ups per IP so access codes cannot be guessed.
RATELIMIT_SUBMIT_IP_HOURLY = env.str("RATELIMIT_SUBMIT_IP_HOURLY", default="5/h")
RATELIMIT_SUBMIT_IP_DAILY = env.str("RATELIMIT_SUBMIT_IP_DAILY", default="20/d")
RATELIMIT_SUBMIT_CONTACT_DAILY = env.str("RATELIMIT_SUBMIT_CONTACT_DAILY", default="5/d")
RATELIMIT_TRACKING_IP = env.str("RATELIMIT_TRACKING_IP", default="20/h")
RATELIMIT_ACCOUNT_IP = env.str("RATELIMIT_ACCOUNT_IP", default="10/h")
RATELIMIT_VIEW = "complaints.views.errors.rate_limited"
# Behind a reverse proxy the client address is in X-Forwarded-For (the proxy must set it).
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
# Trigram similarity (0–1) above which a public report is shown as similar before submitting.
SIMILAR_REPORTS_THRESHOLD = float(env.str("SIMILAR_REPORTS_THRESHOLD", default="0.3"))
SIMILAR_REPORTS_DAYS = env_int("SIMILAR_REPORTS_DAYS", 180, minimum=1)
# Map tiles for the location pin; the form works without them (the map degrades to fields).
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="© OpenStreetMap contributors")
# SMS/WhatsApp to reporters: a dotted path to a gateway class (complaints.messaging); the
# default writes messages to the log. A provider is plugged in by naming its class.
SMS_BACKEND = env.str("SMS_BACKEND", default="complaints.messaging.LoggingSmsBackend")
# Kemendagri code of the regency, to filter the national wilayah list.
REGION_CODE = "3319"

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
if LOG_LEVEL not in logging.getLevelNamesMapping():
    raise ImproperlyConfigured(f"LOG_LEVEL={LOG_LEVEL!r} is not a logging level.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# --- SLA defaults (DOMAIN.md §4) --------------------------------------------------------------
# Loaded into the SlaPolicy table by `manage.py load_reference_data`, where Admin Kabupaten
# edits them; used as they are only if that table has no matching row. (clock, priority,
# amount, unit); an empty priority matches every priority.
SLA_DEFAULT_POLICIES = [
    ("verification", "", 3, "working_days"),
    ("initial_response", "", 5, "working_days"),
    ("initial_response", "urgent", 1, "working_days"),
    ("resolution", "", 60, "calendar_days"),
    ("reporter_info", "", 10, "working_days"),
    ("objection", "", 10, "working_days"),
]
# A running clock is "at risk" when it is due within this many working days.
SLA_AT_RISK_WORKING_DAYS = env_int("SLA_AT_RISK_WORKING_DAYS", default=1)
