"""Hurrying outbox rows to a worker. The row written in the business transaction is the work
(STYLE R9); the message only saves waiting for the beat sweeper, so a broker that is down or
frozen must never fail or hang the request that wrote the row."""

import logging
from typing import Any, Protocol

from django.db import transaction

from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class _Task(Protocol):
    name: str

    def apply_async(self, *args: Any, **kwargs: Any) -> Any: ...


def enqueue(task: _Task, **kwargs: int | str) -> bool:
    """Send the task now; on a broker failure log it and return False (a sweeper will resend)."""
    try:
        task.apply_async(kwargs=kwargs)
    except (OperationalError, RedisError, OSError, TimeoutError):
        logger.warning("Broker unavailable; %s left for the sweeper", task.name)
        return False
    return True


def enqueue_on_commit(task: _Task, **kwargs: int | str) -> None:
    """Send the task once the current transaction commits (IDs only: no personal data)."""
    transaction.on_commit(lambda: enqueue(task, **kwargs))
