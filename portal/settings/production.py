"""Production settings: secrets and hosts must come from the environment."""

from portal.settings.base import *  # noqa: F403
from portal.settings.base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
# Its own secret: rotating SECRET_KEY must not make the stored signing keys unreadable.
SIGNING_KEY_PASSPHRASE = env.str("SIGNING_KEY_PASSPHRASE")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
SEARCH_REBUILD_IN_BACKGROUND = env.bool("SEARCH_REBUILD_IN_BACKGROUND", default=True)
