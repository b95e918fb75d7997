"""Settings shared by every environment. Everything that differs between machines comes from the
environment (django-environ); `.env.example` lists the variables."""

from pathlib import Path
from typing import Any

import django_stubs_ext
import environ
from csp import constants as csp

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
    "audit.middleware.RequestIdMiddleware",  # request.request_id; audit rows of refusals
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
# AUTH_PASSWORD_VALIDATORS: see the web-security block below (12 to 128 characters).
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
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
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
# Hard and soft limits of any task (a certificate's PDF is the longest); both below the visibility
# timeout. Overridable so the chaos tests keep the same order with their 15 s timeout.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
# A message a worker took and never acknowledged (the worker died) goes back to the queue after
# the visibility timeout; it must stay above CELERY_TASK_TIME_LIMIT, or a long task runs twice
# (RELIABILITY §2.4). The chaos tests (tests/harness/) lower it to 15 s and restore every second.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    # A frozen Redis fails a publish within seconds instead of hanging the request (§2.8).
    "socket_timeout": 3,
    "socket_connect_timeout": 3,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Kombu's Redis transport, except that an ack Redis did not answer (frozen) no longer holds the
# worker's prefetch slot for ever: with the stock one two such acks stopped the worker (REL-OB-02).
# Plain redis:// only (rediss:// and sentinel:// keep kombu's own transport).
CELERY_BROKER_TRANSPORT = (
    "portal.celery:RedisTransport" if REDIS_URL.startswith("redis://") else None
)
# The prefork pool, except that a pool process killed mid-task is reaped, replaced and its task
# requeued at once instead of at Celery's next 5-s check (REL-WK-01, portal/celery.py). `-P
# prefork` (the default, docker-compose's and the harness's) then picks it.
CELERY_WORKER_POOL = "portal.celery:PreforkPool"
# No retry of a failed publish: with Celery's default (3) a frozen broker held the request for
# 3 socket timeouts (9 s measured); with 0 it fails after one (3 s), and a stale pooled connection
# after a Redis restart is still replaced at once (measured). The outbox row stays for the sweeper.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 0,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# After a failed publish a process leaves its next sends to the sweepers for this long (core/queue).
QUEUE_BROKER_PAUSE_SECONDS = env.float("QUEUE_BROKER_PAUSE_SECONDS", default=10.0)
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

LOGGING: dict[str, Any] = {
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
# Kept at least 180 days (网络安全法 第21条(三)); audit_purge refuses anything shorter.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=180)
# The key signing the anchored chain heads. Set it from a secret store; it is never in the DB.
AUDIT_ANCHOR_KEY = env.str("AUDIT_ANCHOR_KEY", default="")
# Where signed heads are appended, one JSON line each: point it at off-box storage in production.
AUDIT_ANCHOR_PATH = env.str(
    "AUDIT_ANCHOR_PATH", default=str(BASE_DIR / "var" / "audit-anchors.jsonl")
)
CELERY_BEAT_SCHEDULE["audit-anchor"] = {"task": "audit.anchor", "schedule": 60 * 60}
CELERY_BEAT_SCHEDULE["audit-purge"] = {"task": "audit.purge", "schedule": 24 * 60 * 60}
# A staff member reading more distinct cases than this within the window raises one alert to the
# auditors (SEC-DP-06, audit/bulk_access.py). If Redis fails, each process counts in memory and
# retries Redis after the pause.
BULK_ACCESS_LIMIT = env.int("BULK_ACCESS_LIMIT", default=200)
BULK_ACCESS_WINDOW_SECONDS = env.int("BULK_ACCESS_WINDOW_SECONDS", default=600)
BULK_ACCESS_REDIS_PAUSE_SECONDS = env.int("BULK_ACCESS_REDIS_PAUSE_SECONDS", default=30)

# Idempotency keys (core/idempotency.py).
# How long an API call's Idempotency-Key is honoured (RELIABILITY §2.2: 24–72 h); a retry within
# it replays the first answer. The beat job deletes older records.
IDEMPOTENCY_TTL_HOURS = env.int("IDEMPOTENCY_TTL_HOURS", default=48)
CELERY_BEAT_SCHEDULE["core-purge-idempotency-records"] = {
    "task": "core.purge_idempotency_records",
    "schedule": 60 * 60,
}

# Personal data at rest and retention (core/crypto.py, applications/retention.py).
# Fernet keys for ID numbers and mobiles at rest, newest first: the first encrypts, all decrypt.
# Rotate: put a new key first, deploy, run `manage.py rotate_personal_data_keys`, then drop the
# old key. Empty (development, tests): one key derived from SECRET_KEY. Production requires it.
PERSONAL_DATA_KEYS: list[str] = env.list("PERSONAL_DATA_KEYS", default=[])
# HMAC key of the blind indexes (exact-match lookups of encrypted values). Empty: derived from
# SECRET_KEY. Changing it needs `rotate_personal_data_keys`, which recomputes every index.
PERSONAL_DATA_INDEX_KEY: str = env.str("PERSONAL_DATA_INDEX_KEY", default="")
# Closed cases are anonymised this many days after they closed (applications/retention.py).
# 3 years online: the 办件 file is an archive (716号 Art 12), but the archive copy is handed to
# the records system; the online copy keeps only what PIPL Art 19/47 (minimum retention) allows.
APPLICATION_RETENTION_DAYS: int = env.int("APPLICATION_RETENTION_DAYS", default=3 * 365)
# Cases anonymised per run of the beat job (each in its own transaction).
APPLICATION_RETENTION_BATCH: int = env.int("APPLICATION_RETENTION_BATCH", default=200)
CELERY_BEAT_SCHEDULE["applications-anonymise-closed"] = {
    "task": "applications.anonymise_closed_cases",
    "schedule": 24 * 3600,  # daily; idempotent, so a missed or doubled run does no harm
}

# Web security: headers, CSP, cookies, passwords (portal/, accounts/).
# Content-Security-Policy (django-csp 4): only our own scripts, styles, fonts and images; no inline
# code anywhere. NONCE is added to the header only on pages that use `request.csp_nonce` (the
# Swagger UI's start-up script); per-view exceptions are in portal.middleware.CSP_VIEW_POLICIES.
INSTALLED_APPS.append("csp")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.NONCE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "base-uri": [csp.NONE],
        "object-src": [csp.NONE],
    },
}
# Headers every response carries; Django's SecurityMiddleware sets Referrer-Policy, COOP and
# nosniff from these (its defaults, made explicit), the CSP middleware the policy, and
# portal.middleware.SecurityHeadersMiddleware Permissions-Policy and `no-store` for signed-in users.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Browser features no page of the portal uses, switched off for every origin.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), interest-cohort=()"
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "portal.middleware.ContentSecurityPolicyMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("portal.middleware.ContentSecurityPolicyMiddleware") + 1,
    "portal.middleware.SecurityHeadersMiddleware",
)
# After the second factor: a staff member whose password is too old changes it before anything else.
MIDDLEWARE.insert(
    MIDDLEWARE.index("accounts.two_factor.StaffTwoFactorMiddleware") + 1,
    "accounts.middleware.PasswordExpiryMiddleware",
)
# Cookies: SameSite=Lax and HttpOnly session everywhere; production adds Secure and the __Host-
# prefix (portal/settings/production.py), which browsers refuse over plain http (make run).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A session ends this long after sign-in whatever the activity (accounts.middleware), on top of the
# idle limits above: 12 hours, a long working day.
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
# Passwords (等保 §9.2): 12 to 128 characters (any script), not common, not all digits, not like
# the account's personal data; staff change theirs every STAFF_PASSWORD_MAX_AGE_DAYS (0: never).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.validators.PasswordLengthValidator",
        "OPTIONS": {
            "min_length": env.int("PASSWORD_MIN_LENGTH", default=12),
            "max_length": env.int("PASSWORD_MAX_LENGTH", default=128),
        },
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
STAFF_PASSWORD_MAX_AGE_DAYS = env.int("STAFF_PASSWORD_MAX_AGE_DAYS", default=90)
# PBKDF2 first (Django 5.2: 1,000,000 iterations) for new hashes; the others still verify old ones.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# The API: JSON in, unless a view that takes uploads says otherwise (other bodies → 415), and
# nothing without a signed-in user unless a view opens itself up (the public catalogue).
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = ["rest_framework.parsers.JSONParser"]
REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = ["rest_framework.permissions.IsAuthenticated"]
# APIClient in tests sends what real clients send: JSON (uploads say format="multipart").
REST_FRAMEWORK["TEST_REQUEST_DEFAULT_FORMAT"] = "json"
# Logs: one JSON object per line (LOG_FORMAT=json, the default; core/logging.py) carrying the
# request id, with control characters escaped and ID numbers and mobiles masked; "plain" reads
# better in a terminal (make run).
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING["formatters"] = {
    "plain": {
        "()": "core.logging.PlainFormatter",
        "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
    },
    "json": {"()": "core.logging.JsonFormatter"},
}
LOGGING["filters"] = {
    "personal_data": {"()": "core.logging.PersonalDataFilter"},
    # The audit app keeps the current request's id (audit.context, set by its middleware).
    "request_id": {"()": "core.logging.RequestIdFilter", "source": "audit.context.request_id_get"},
}
LOGGING["handlers"] = {
    "console": {
        "class": "logging.StreamHandler",
        "formatter": "json" if LOG_FORMAT == "json" else "plain",
        "filters": ["request_id", "personal_data"],
    }
}

# Uploads (applications/uploads.py).
# Quotas, counted from the material rows in the database (not Redis): files and bytes per case
# (replaced 补正 files count, they stay stored), uploads per person per local day.
UPLOAD_MAX_FILES_PER_CASE = env.int("UPLOAD_MAX_FILES_PER_CASE", default=20)
UPLOAD_MAX_BYTES_PER_CASE = env.int("UPLOAD_MAX_BYTES_PER_CASE", default=100 * 1024 * 1024)
UPLOAD_MAX_FILES_PER_DAY = env.int("UPLOAD_MAX_FILES_PER_DAY", default=200)
# More files than this in one request → 400 before any is stored (Django's TooManyFilesSent).
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# The limit handler stops reading a request at the first file over UPLOAD_MAX_BYTES; the
# middleware (before CSRF, which reads the body) answers 413 with the reason, and 413 at once when
# the declared body is over UPLOAD_MAX_BYTES_PER_CASE. The admin's catalogue import is exempt.
FILE_UPLOAD_HANDLERS = [
    "applications.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
UPLOAD_LIMIT_EXEMPT_PATHS = ["/admin/"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"),
    "applications.uploads.UploadLimitMiddleware",
)
# Stored files: owner read/write, group read; nobody else. Uploads above 2.5 MB are spooled to
# FILE_UPLOAD_TEMP_DIR while the request is read: outside MEDIA_ROOT (None: the system temp dir).
# Give it a folder of its own in production (the Docker image does): `reconcile_files` then
# removes the bodies a worker killed mid-request left there; it never sweeps the system temp dir.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
FILE_UPLOAD_TEMP_DIR = env.str("FILE_UPLOAD_TEMP_DIR", default="") or None
# OFD containers (zip) are refused above these, before they are fully decompressed.
OFD_MAX_ENTRIES = env.int("OFD_MAX_ENTRIES", default=2000)
OFD_MAX_UNCOMPRESSED_BYTES = env.int("OFD_MAX_UNCOMPRESSED_BYTES", default=200 * 1024 * 1024)
# ClamAV: "unix:///run/clamav/clamd.ctl" or "tcp://clamav:3310". Empty: no scan (a warning is
# logged at startup outside DEBUG). Set, it fails closed: no verdict → 503, nothing stored.
CLAMAV_URL = env.str("CLAMAV_URL", default="")
CLAMAV_TIMEOUT_SECONDS = env.float("CLAMAV_TIMEOUT_SECONDS", default=30.0)
# Nightly: delete files no row references (older than the grace period, so an upload in flight
# is never taken) and report rows whose file is missing or altered (`manage.py reconcile_files`).
FILE_ORPHAN_GRACE_HOURS = env.int("FILE_ORPHAN_GRACE_HOURS", default=24)
CELERY_BEAT_SCHEDULE["portal-reconcile-files"] = {
    "task": "portal.reconcile_files",
    "schedule": 24 * 3600,  # daily; idempotent
}
