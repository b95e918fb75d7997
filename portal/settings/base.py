"""Settings shared by every environment. Everything that differs between machines comes from the
environment (django-environ); `.env.example` lists the variables."""

from pathlib import Path
from typing import Any

import django_stubs_ext
import environ

# Lets Django's generic classes be subscripted at run time (QuerySet[Matter], ModelAdmin[Matter]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "pgtrigger",
    "core",
    "audit",
    "accounts",
    "notifications",
    "matters",
    "certificates",
    "applications",
    "supervision",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.two_factor.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised while authenticating into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "notifications.context_processors.inbox",
            ],
        },
    },
]


# SQLite by default (the embedded `make run`); DATABASE_URL switches to PostgreSQL.
def database(url: str) -> dict[str, Any]:
    """One DATABASES entry from a URL, with the connection options every alias shares."""
    config: dict[str, Any] = environ.Env.db_url_config(url)
    options: dict[str, Any] = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Persistent connections are what make Django fast on PostgreSQL (PERFORMANCE.md §1.3);
        # the health check drops a connection that died between requests.
        config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
        config["CONN_HEALTH_CHECKS"] = True
        # No statement runs longer than 15 s, and none waits more than 5 s for a row another
        # transaction holds: the request ends in a 503 (portal.views.server_error), never a hang.
        statement_ms = env.int("DB_STATEMENT_TIMEOUT_MS", default=15000)
        lock_ms = env.int("DB_LOCK_TIMEOUT_MS", default=5000)
        options.setdefault(
            "options", f"-c statement_timeout={statement_ms} -c lock_timeout={lock_ms}"
        )
    else:
        options.setdefault("timeout", 20)
    return config


DATABASES = {
    "default": database(env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
# A streaming replica (docs/scaling.md): the router sends reads of the published catalogue there
# and everything else (every write, sessions, accounts, cases) to default. Tests read it through
# default's connection (MIRROR), so a test database is never made for it.
DATABASE_REPLICA_URL: str = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database(DATABASE_REPLICA_URL) | {"TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS: list[str] = (
    ["portal.db_routers.CatalogueReplicaRouter"] if "replica" in DATABASES else []
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL: str = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tongban",
            "TIMEOUT": 300,
            "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": 300}
    }

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Citizens sign in with their ID number or mobile; usernames (staff, the admin) still work.
# django-axes first: it refuses a locked-out account before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.IdentityBackend",
]
# Lockout (等保 §9.2 login-failure handling): 5 failures for one account lock it for 30 minutes,
# whichever address they came from; a success resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "account"
# The ID number (any case), the mobile and the username all name one account: count them together.
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_SENSITIVE_PARAMETERS = ["password", "code", "id_number", "mobile"]
AXES_VERBOSE = False
# axes.W006 asks for the IP address among the lockout parameters. Not here: the halls' self-service
# terminals and many offices share one NAT address, and locking it would lock out a whole hall.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Sessions: signed-in pages end after SESSION_IDLE_SECONDS without a request (staff: shorter) and
# in any case after SESSION_COOKIE_AGE; closing the browser ends them too.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=15 * 60)
# One-time SMS codes (sign-in, password reset, change of mobile).
SMS_CODE_TTL_SECONDS = env.int("SMS_CODE_TTL_SECONDS", default=5 * 60)
SMS_CODE_MAX_ATTEMPTS = 5
SMS_CODE_RESEND_SECONDS = 60
SMS_CODE_DAILY_LIMIT = 10
# Staff two-factor sign-in (django-otp TOTP): the issuer shown in authenticator apps.
OTP_TOTP_ISSUER = "Tongban"
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]  # each in its own script
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tongban 通办 API",
    "DESCRIPTION": "一网通办 portal: the service-matter catalogue (政务服务事项) and applications (办件).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files: nothing is fetched from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "TimeUnitEnum": "matters.choices.TimeUnit",
        "DeliveryMethodEnum": "applications.choices.DeliveryMethod",
    },
}

# Celery: a real broker when REDIS_URL is set, otherwise tasks run eagerly in-process (make run).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_timeout": 3,
    "socket_connect_timeout": 3,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TIMEZONE = TIME_ZONE
# Messages have their own queue, so a burst of SMS never holds certificates back (or the reverse);
# docker-compose runs a pool for each (`worker -Q celery`, `notifier -Q notifications`).
CELERY_TASK_ROUTES = {"notifications.*": {"queue": "notifications"}}
# The statutory watchdogs (DOMAIN §3.3). Each run is idempotent: a case is handled once.
CELERY_BEAT_SCHEDULE = {
    "applications-deem-accepted": {
        "task": "applications.deem_accepted_overdue",
        "schedule": 15 * 60,
    },
    "applications-return-unanswered": {
        "task": "applications.return_unanswered",
        "schedule": 60 * 60,
    },
    # E-mails and SMS whose enqueue was lost, or whose retry backoff has passed (STYLE R9).
    "notifications-send-pending": {
        "task": "notifications.send_pending",
        "schedule": 60,
    },
    "applications-remind-supplement-due": {
        "task": "applications.remind_supplement_due",
        "schedule": 60 * 60,
    },
    "applications-remind-case-due": {"task": "applications.remind_case_due", "schedule": 60 * 60},
    "certificates-issue-pending": {"task": "certificates.issue_pending", "schedule": 60},
    "certificates-expire": {"task": "certificates.expire", "schedule": 6 * 60 * 60},
    "certificates-remind-expiring": {
        "task": "certificates.remind_expiring",
        "schedule": 6 * 60 * 60,
    },
    # 电子监察: yellow and red cards, then the dashboards' daily figures of today and yesterday.
    "supervision-raise-alerts": {"task": "supervision.raise_alerts", "schedule": 15 * 60},
    "supervision-refresh-statistics": {
        "task": "supervision.refresh_statistics",
        "schedule": 15 * 60,
    },
    # 好差评: invitations to rate closed cases (SMS link), follow-up deadlines.
    "supervision-invite-ratings": {"task": "supervision.invite_ratings", "schedule": 15 * 60},
    "supervision-followups-due": {"task": "supervision.followups_due", "schedule": 60 * 60},
}

# Supervision (supervision/). 电子监察: a yellow card one working day before a deadline
# ("working_day_before") or once PERCENT of its working days have passed ("percent").
SUPERVISION_YELLOW_RULE = env.str("SUPERVISION_YELLOW_RULE", default="working_day_before")
SUPERVISION_YELLOW_PERCENT = env.int("SUPERVISION_YELLOW_PERCENT", default=80)
# 好差评: a bad rating's rater is contacted within, and the fix reported within, these working days.
SUPERVISION_FOLLOWUP_CONTACT_WORKING_DAYS = env.int(
    "SUPERVISION_FOLLOWUP_CONTACT_WORKING_DAYS", default=1
)
SUPERVISION_FOLLOWUP_RESOLVE_WORKING_DAYS = env.int(
    "SUPERVISION_FOLLOWUP_RESOLVE_WORKING_DAYS", default=15
)
# Without Redis there is no beat scheduler: the supervision pages then run its two jobs themselves.
SUPERVISION_CATCH_UP_ON_VIEW = env.bool("SUPERVISION_CATCH_UP_ON_VIEW", default=not REDIS_URL)
# How long the one-time rating link sent by SMS stays valid.
SUPERVISION_RATING_LINK_DAYS = env.int("SUPERVISION_RATING_LINK_DAYS", default=30)

# The address of the portal as citizens reach it: QR codes on certificates and links in messages.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Notifications (notifications/): e-mail through Django's backend, SMS through an adapter.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="通办 <noreply@tongban.example>")
# "core.sms.ConsoleSmsBackend" (logs), "core.sms.FileSmsBackend" (one JSON line
# per message in SMS_FILE_PATH) or a provider's class implementing core.sms.SmsBackend.
SMS_BACKEND = env.str("SMS_BACKEND", default="core.sms.ConsoleSmsBackend")
SMS_FILE_PATH = env.path("SMS_FILE_PATH", default=BASE_DIR / "var" / "sms.jsonl")
# A message that fails this many times is marked failed; retries back off exponentially.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=6)

# Certificates (certificates/): issuing retries, fonts and the demo signing keys' passphrase.
CERTIFICATE_MAX_ATTEMPTS = env.int("CERTIFICATE_MAX_ATTEMPTS", default=5)
CERTIFICATE_FONT_DIR = env.path("CERTIFICATE_FONT_DIR", default=BASE_DIR / "var" / "fonts")
# Private signing keys are stored encrypted with this passphrase (an HSM would hold them in production).
SIGNING_KEY_PASSPHRASE = env.str("SIGNING_KEY_PASSPHRASE", default=SECRET_KEY)
# Verification requests per client IP (django-ratelimit syntax).
VERIFICATION_RATE = env.str("VERIFICATION_RATE", default="60/m")
# When PostgreSQL or Redis cannot be reached, pages answer 503 and ask to come back after this.
SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = env.int(
    "SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS", default=30
)
# Behind a proxy every request comes from the proxy's address: name the header it sets to the
# client's (nginx in docker-compose.yml sets X-Real-IP to $remote_addr) so limits stay per client.
# Only set it behind a proxy that overwrites the header, or clients could pick their own address.
CLIENT_IP_META_KEY = env.str("CLIENT_IP_META_KEY", default="REMOTE_ADDR")
RATELIMIT_IP_META_KEY = "core.http.ratelimit_ip"  # the same address (core/http.py)

UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Non-file request data (form fields, JSON bodies) up to 2.5 MB; files are limited by
# UPLOAD_MAX_BYTES and go to disk above 2.5 MB. A catalogue import is a file upload.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Search index refresh: a process re-reads the catalogue generation at most this often (seconds).
SEARCH_GENERATION_CHECK_SECONDS = env.float("SEARCH_GENERATION_CHECK_SECONDS", default=1.0)
# Keep answering from the old index while a new one is built (seconds at 100k matters).
SEARCH_REBUILD_IN_BACKGROUND = env.bool("SEARCH_REBUILD_IN_BACKGROUND", default=False)
# How long a rendered public catalogue page may be served from the cache (seconds).
CATALOGUE_PAGE_CACHE_SECONDS = env.int("CATALOGUE_PAGE_CACHE_SECONDS", default=300)

# --- Reliability and security (issue 8): one block per area, each owned by one part of the code. ---

# Audit log (audit/).

# Idempotency keys (core/idempotency.py).

# Personal data at rest and retention (core/crypto.py, applications/retention.py).

# Web security: headers, CSP, cookies, passwords (portal/, accounts/).

# Uploads (applications/uploads.py).
