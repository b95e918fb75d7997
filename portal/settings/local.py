"""The embedded, single-machine defaults used by `make run`: SQLite, Celery eager, DEBUG on."""

from portal.settings.base import *  # noqa: F403
from portal.settings.base import LOGGING, env

DEBUG = env.bool("DEBUG", default=True)
WHITENOISE_AUTOREFRESH = DEBUG  # runserver serves static files without collectstatic
WHITENOISE_USE_FINDERS = DEBUG
# A terminal reads better than JSON lines: plain logs unless LOG_FORMAT asks otherwise.
if env.str("LOG_FORMAT", default="plain") == "plain":
    LOGGING["handlers"]["console"]["formatter"] = "plain"
