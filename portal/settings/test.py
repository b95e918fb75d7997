"""Test settings: the same code paths as production, fast password hashing, files in a temp folder."""

import tempfile

from portal.settings.base import *  # noqa: F403
from portal.settings.base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="tongban-test-media-")  # type: ignore[assignment]
STORAGES = {  # no manifest needed for tests
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SEARCH_GENERATION_CHECK_SECONDS = 0.0
SECRET_KEY = env.str("SECRET_KEY", default="test-secret-key-not-for-production")
WHITENOISE_AUTOREFRESH = True  # serve from the finders; tests do not run collectstatic
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "core.sms.LocmemSmsBackend"
CERTIFICATE_FONT_DIR = BASE_DIR / "var" / "fonts"  # noqa: F405  (built once, shared by test runs)
# Tasks are published to an in-memory broker that nothing consumes: tests call services directly,
# and tests/flows/ start a real worker on Redis when REDIS_URL is set.
CELERY_BROKER_URL = "memory://"
# memory:// must mean memory: base.py's Redis transport (chosen when REDIS_URL is set) would take
# every test publish to localhost:6379 db 0 (CFG-06). tests/flows name their broker themselves.
CELERY_BROKER_TRANSPORT = None
CELERY_TASK_ALWAYS_EAGER = False

# Tests run the beat jobs themselves, with injected time.
SUPERVISION_CATCH_UP_ON_VIEW = False
