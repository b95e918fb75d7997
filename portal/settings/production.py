"""Production settings: secrets and hosts must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from portal.settings.base import *  # noqa: F403
from portal.settings.base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
# Its own secret: rotating SECRET_KEY must not make the stored signing keys unreadable.
SIGNING_KEY_PASSPHRASE = env.str("SIGNING_KEY_PASSPHRASE")
# Personal data at rest (core/crypto.py): no default derived from SECRET_KEY here.
PERSONAL_DATA_KEYS = env.list("PERSONAL_DATA_KEYS")
PERSONAL_DATA_INDEX_KEY = env.str("PERSONAL_DATA_INDEX_KEY")
if not [key for key in PERSONAL_DATA_KEYS if key.strip()] or not PERSONAL_DATA_INDEX_KEY.strip():
    raise ImproperlyConfigured("PERSONAL_DATA_KEYS and PERSONAL_DATA_INDEX_KEY must be set.")
# The hourly anchor job signs the audit chain's head with it (audit/services.py): without it the
# tail of the log could be cut off undetected, so the portal does not start without it.
AUDIT_ANCHOR_KEY = env.str("AUDIT_ANCHOR_KEY")
if len(AUDIT_ANCHOR_KEY.strip()) < 32:
    raise ImproperlyConfigured("AUDIT_ANCHOR_KEY must be set (at least 32 characters).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Cookies only over https, and with the __Host- prefix: the browser then refuses them unless they
# are Secure, for the whole site (Path=/) and set by this exact host (no Domain), so a sibling
# subdomain cannot plant or overwrite them. Scripts never read either: forms carry the CSRF token
# in a hidden field and no script posts (static/js only reads pages).
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SEARCH_REBUILD_IN_BACKGROUND = env.bool("SEARCH_REBUILD_IN_BACKGROUND", default=True)
