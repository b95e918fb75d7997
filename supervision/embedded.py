"""Embedded mode (`make run`: SQLite, Celery eager) has no beat scheduler, so the supervision pages
run the two supervision beat jobs themselves, at most once a minute, before they read. With Redis
configured (real workers and beat) this does nothing: SUPERVISION_CATCH_UP_ON_VIEW is off."""

import datetime as dt
import threading

from django.conf import settings

from supervision.alerts import alerts_raise
from supervision.statistics import statistics_refresh_recent

CATCH_UP_SECONDS = 60
_lock = threading.Lock()
_last: list[dt.datetime] = []


def beat_jobs_catch_up(*, now: dt.datetime) -> bool:
    """Raise the cards and refresh today's figures if the embedded portal has not in the last
    minute; return whether it ran."""
    if not settings.SUPERVISION_CATCH_UP_ON_VIEW:
        return False
    with _lock:
        if _last and (now - _last[0]).total_seconds() < CATCH_UP_SECONDS:
            return False
        alerts_raise(now=now)
        statistics_refresh_recent(now=now)
        _last[:] = [now]
    return True
