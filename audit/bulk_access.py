"""Bulk-access anomaly (SEC-DP-06, ASVS 8.1.4 and 11.1.7): a member of staff who reads more than
BULK_ACCESS_LIMIT distinct objects (cases) within BULK_ACCESS_WINDOW_SECONDS raises one alert: an
audit event, a message to the audit administrators and a warning in the operations log.

The access functions call `bulk_access_note` on every staff read. Counting is a sliding window in
Redis: one sorted set per member, object → time of the last read, trimmed to the window, in one
round trip. Reads write no audit row (only reveals, downloads and refusals do), so there is nothing
in the database to count instead, and writing one per read would put every page view on the
audit chain's lock. When Redis cannot be reached, each process counts in its own memory for
BULK_ACCESS_REDIS_PAUSE_SECONDS before it tries Redis again: a scraper served by one process is
still caught, one spread over several processes later or not at all, and the request being served
never fails or waits on a dead Redis for more than the socket timeout.
"""

import logging
import threading
import time
from collections import OrderedDict
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

import redis
from redis.exceptions import RedisError

from audit.choices import AuditAction
from audit.models import AuditEvent
from audit.services import actor_describe, audit_record
from audit.signals import bulk_access_detected

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 200
DEFAULT_WINDOW_SECONDS = 600
DEFAULT_REDIS_PAUSE_SECONDS = 30
# A counter that answers late is skipped, not waited for: a page view must not hang on it.
REDIS_TIMEOUT_SECONDS = 0.5
KEY_PREFIX = "tongban:bulk-access"


def bulk_access_limit() -> int:
    """settings.BULK_ACCESS_LIMIT: more distinct reads than this within the window alert."""
    return int(getattr(settings, "BULK_ACCESS_LIMIT", DEFAULT_LIMIT))


def bulk_access_window() -> int:
    """settings.BULK_ACCESS_WINDOW_SECONDS: the length of the sliding window."""
    return int(getattr(settings, "BULK_ACCESS_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS))


class _LocalCounter:
    """The same window in this process's memory, while Redis is away. Keeps at most limit + 1
    objects per member: enough to tell that the limit was passed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reads: dict[int, OrderedDict[str, float]] = {}
        self._alerted_until: dict[int, float] = {}

    def add(self, user_id: int, member: str, at: float, *, window: int, limit: int) -> int:
        with self._lock:
            reads = self._reads.setdefault(user_id, OrderedDict())
            reads.pop(member, None)
            reads[member] = at  # newest last
            while reads and (next(iter(reads.values())) <= at - window or len(reads) > limit + 1):
                reads.popitem(last=False)
            return len(reads)

    def claim_alert(self, user_id: int, at: float, *, window: int) -> bool:
        with self._lock:
            if self._alerted_until.get(user_id, float("-inf")) > at:
                return False
            self._alerted_until[user_id] = at + window
            return True

    def release_alert(self, user_id: int) -> None:
        with self._lock:
            self._alerted_until.pop(user_id, None)

    def clear(self) -> None:
        with self._lock:
            self._reads.clear()
            self._alerted_until.clear()


class _RedisCounter:
    """The window in Redis, shared by every process; off for a pause after a failure."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: dict[str, redis.Redis] = {}
        self._paused_until = 0.0

    def client(self) -> redis.Redis | None:
        """The client of settings.REDIS_URL, or None without Redis or during a pause."""
        url = str(getattr(settings, "REDIS_URL", "") or "")
        if not url or time.monotonic() < self._paused_until:
            return None
        with self._lock:
            if url not in self._clients:
                self._clients[url] = redis.Redis.from_url(
                    url,
                    socket_timeout=REDIS_TIMEOUT_SECONDS,
                    socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                )
            return self._clients[url]

    def pause(self) -> None:
        pause = int(
            getattr(settings, "BULK_ACCESS_REDIS_PAUSE_SECONDS", DEFAULT_REDIS_PAUSE_SECONDS)
        )
        self._paused_until = time.monotonic() + pause

    def resume(self) -> None:
        self._paused_until = 0.0

    @staticmethod
    def add(
        client: redis.Redis, user_id: int, member: str, at: float, *, window: int, limit: int
    ) -> int:
        key = f"{KEY_PREFIX}:{user_id}"
        pipe = client.pipeline(transaction=True)  # MULTI/EXEC: one round trip, all or nothing
        pipe.zadd(key, {member: at})
        pipe.zremrangebyscore(key, "-inf", at - window)
        pipe.zremrangebyrank(key, 0, -(limit + 2))  # keep the newest limit + 1
        pipe.zcard(key)
        pipe.expire(key, window)
        return int(pipe.execute()[3])

    @staticmethod
    def claim_alert(client: redis.Redis, user_id: int, *, window: int) -> bool:
        # SET NX: the first process past the limit alerts; the others find the key.
        return bool(client.set(f"{KEY_PREFIX}:alerted:{user_id}", 1, nx=True, ex=window))

    @staticmethod
    def release_alert(client: redis.Redis, user_id: int) -> None:
        client.delete(f"{KEY_PREFIX}:alerted:{user_id}")


_local = _LocalCounter()
_redis = _RedisCounter()


def bulk_access_reset() -> None:
    """Forget this process's counts and try Redis again at once (tests; a restored Redis)."""
    _local.clear()
    _redis.resume()


def _redis_failed(operation: str, exc: RedisError) -> None:
    logger.warning(
        "Bulk-access counter unavailable (%s: %s); counting in this process",
        operation,
        type(exc).__name__,
    )
    _redis.pause()


def _count(user_id: int, member: str, at: float, *, window: int, limit: int) -> int:
    client = _redis.client()
    if client is not None:
        try:
            return _redis.add(client, user_id, member, at, window=window, limit=limit)
        except RedisError as exc:
            _redis_failed("count", exc)
    return _local.add(user_id, member, at, window=window, limit=limit)


def _claim(user_id: int, at: float, *, window: int) -> bool:
    client = _redis.client()
    if client is not None:
        try:
            return _redis.claim_alert(client, user_id, window=window)
        except RedisError as exc:
            _redis_failed("claim", exc)
    return _local.claim_alert(user_id, at, window=window)


def _release(user_id: int) -> None:
    _local.release_alert(user_id)
    client = _redis.client()
    if client is not None:
        try:
            _redis.release_alert(client, user_id)
        except RedisError as exc:
            _redis_failed("release", exc)


def bulk_access_note(
    *, user: Any, object_type: str, object_id: object, now: datetime | None = None
) -> int:
    """Count a read of one object by a member of staff and return how many distinct objects they
    read within the window. The read that first passes the limit raises the alert once the
    caller's transaction commits (at once outside one); later reads in the same window do not.

    Never raises for a counter that cannot be reached.
    """
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return 0
    at = now or timezone.now()
    window, limit = bulk_access_window(), bulk_access_limit()
    count = _count(
        int(user_id), f"{object_type}:{object_id}", at.timestamp(), window=window, limit=limit
    )
    if count > limit:
        # After the commit: a read whose transaction rolls back claims nothing, so the next one
        # alerts instead. Robust: the alert's own failure is logged, and the page still shows.
        transaction.on_commit(
            partial(_alert, user=user, count=count, object_type=object_type, at=at), robust=True
        )
    return count


def _alert(*, user: Any, count: int, object_type: str, at: datetime) -> AuditEvent | None:
    """Write the alert unless this window already has one: the audit row, the auditors' messages
    (a receiver in notifications) and a warning without personal data."""
    window = bulk_access_window()
    if not _claim(int(user.pk), at.timestamp(), window=window):
        return None
    try:
        with transaction.atomic():
            event = audit_record(
                action=AuditAction.BULK_ACCESS_ALERT,
                actor=user,
                object_type="user",
                object_id=user.pk,
                detail={
                    "object_type": object_type,
                    "count": count,
                    "limit": bulk_access_limit(),
                    "window_seconds": window,
                },
            )
            bulk_access_detected.send(
                sender=AuditEvent,
                staff=actor_describe(user)[1],
                count=count,
                window_minutes=max(1, window // 60),
                audit_seq=event.seq,
                at=at,
            )
    except Exception:
        _release(int(user.pk))  # not written: the next read past the limit tries again
        raise
    logger.warning(
        "Bulk access: user %s read more than %s %s objects within %s s (audit seq %s)",
        user.pk,
        bulk_access_limit(),
        object_type,
        window,
        event.seq,
    )
    return event
