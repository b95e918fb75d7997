"""Hurrying outbox rows to a worker. The row written in the business transaction is the work
(STYLE R9); the message only saves waiting for the beat sweeper, so a broker that is down or
frozen must never fail or hang the request that wrote the row."""

import logging
import threading
import time
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction

from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class _Task(Protocol):
    name: str

    def apply_async(self, *args: Any, **kwargs: Any) -> Any: ...


# A failed publish that took this long was waiting on socket timeouts (a frozen or unreachable
# broker), not refused at once.
SLOW_FAILURE_SECONDS = 1.0


class _Breaker:
    """After a slow failed publish, the process stops trying for QUEUE_BROKER_PAUSE_SECONDS: with
    Redis frozen each try costs the socket timeouts, and a web worker that paid them on every
    request would queue every other request behind it (REL-OB-02). The rows wait for the sweeper.
    A publish refused at once (connection refused) costs nothing and pauses nothing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._closed_until = 0.0

    def open(self) -> bool:
        with self._lock:
            return time.monotonic() < self._closed_until

    def trip(self) -> None:
        with self._lock:
            self._closed_until = time.monotonic() + settings.QUEUE_BROKER_PAUSE_SECONDS

    def reset(self) -> None:
        with self._lock:
            self._closed_until = 0.0


breaker = _Breaker()


def enqueue(task: _Task, **kwargs: int | str) -> bool:
    """Send the task now; on a broker failure log it and return False (a sweeper will resend).

    After a failure that hung on timeouts, sends in the next QUEUE_BROKER_PAUSE_SECONDS return
    False at once."""
    if breaker.open():
        return False
    started = time.monotonic()
    try:
        # nosemgrep: tongban-task-outside-outbox -- this is the outbox's own send
        task.apply_async(kwargs=kwargs)
    except (OperationalError, RedisError, OSError, TimeoutError):
        if time.monotonic() - started >= SLOW_FAILURE_SECONDS:
            breaker.trip()
        logger.warning("Broker unavailable; %s left for the sweeper", task.name)
        return False
    return True


def enqueue_on_commit(task: _Task, **kwargs: int | str) -> None:
    """Send the task once the current transaction commits (IDs only: no personal data)."""
    transaction.on_commit(lambda: enqueue(task, **kwargs))
