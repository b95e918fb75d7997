"""The Celery application. Tasks live in each app's `tasks.py`; settings are the CELERY_* Django settings."""

import gc
import logging
import os
from typing import Any

from celery import Celery
from celery.concurrency import asynpool, prefork
from celery.signals import worker_before_create_process
from kombu.asynchronous import Hub
from kombu.transport import redis as kombu_redis
from kombu.transport.virtual import base as kombu_virtual

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

logger = logging.getLogger(__name__)


class _AckSafeQoS(kombu_redis.QoS):
    """Kombu's Redis ack emulation, except that a message whose ack (or requeue) did not reach
    Redis still frees its prefetch slot.

    Kombu removes the message from its unacked index first and from the worker's own count only
    after that: when Redis times out meanwhile (frozen, failing over) the worker logs "Couldn't
    ack" and counts the message as held for ever. With `prefetch 1 × -c 2` two such acks stop the
    worker taking work until it is restarted (REL-OB-02). The message itself is still in Redis's
    unacked index, so it is redelivered after the visibility timeout; every task is idempotent
    (STYLE R9), so that costs a repeated no-op, never a second e-mail or certificate."""

    def ack(self, delivery_tag: str) -> None:
        try:
            super().ack(delivery_tag)
        except BaseException:
            kombu_virtual.QoS.ack(self, delivery_tag)  # the slot, not the message
            raise

    def reject(self, delivery_tag: str, requeue: bool = False) -> None:
        try:
            super().reject(delivery_tag, requeue=requeue)
        except BaseException:
            kombu_virtual.QoS.ack(self, delivery_tag)
            raise

    def restore_unacked(self, client: Any = None) -> Any:
        """Put the messages this worker holds back in their queue as the channel closes, unless
        Redis cannot be reached: then they stay in Redis's unacked index and come back after the
        visibility timeout, as after a kill -9.

        Kombu closes the channel of a connection that just died (Redis stopped) and tries this
        restore on a client it can no longer build (`connection.client` is gone:
        AttributeError). Celery then stops the worker with "Unrecoverable error" instead of
        reconnecting: REL-OB-02 b lost its worker whenever a task was in flight at the SIGTERM."""
        try:
            return super().restore_unacked(client)
        except Exception as exc:  # any failure here must not stop the worker
            held = self._delivered
            logger.warning(
                "Could not restore %d unacked message(s) while closing the channel (%r); "
                "they come back after the visibility timeout.",
                len(held or ()),
                exc,
            )
            if held is not None:
                held.clear()
            return None


class _Channel(kombu_redis.Channel):
    QoS = _AckSafeQoS


class RedisTransport(kombu_redis.Transport):
    """The `redis://` transport with `_AckSafeQoS` (CELERY_BROKER_TRANSPORT)."""

    Channel = _Channel


# How often, and how many times, the pool looks again for a pool process whose pipe closed before
# the kernel let it be reaped: 0.05 s × 100 = 5 s, after which Celery's own 5-s check takes over.
REAP_RETRY_SECONDS = 0.05
REAP_RETRIES = 100


class _ReapingAsynPool(asynpool.AsynPool):
    """Celery's prefork pool, except that a pool process killed mid-task (kill -9, the OOM killer)
    is replaced and its task requeued at once, not up to 5 s later.

    The pool learns of a death when the process's sentinel pipe becomes readable, forgets that pipe
    and calls `maintain_pool`, which reaps with `waitpid(WNOHANG)`. The kernel closes a dying
    process's files before it can be reaped, so on a busy machine `waitpid` often still finds it
    running (measured: 11 of 30 kills of a 300 MB process); the pool then notices only at its next
    5-s timer. REL-WK-01 measured that tail as a redelivery of up to 5.4 s (target < 5 s). Here the
    pool keeps looking every 50 ms until the process is reaped."""

    # celery-types declares neither this hook nor billiard's `_pool` (the pool's process list).
    def _event_process_exit(self, hub: Hub, proc: Any) -> None:
        super()._event_process_exit(hub, proc)  # type: ignore[misc]
        self._reap_later(hub, proc, REAP_RETRIES)

    def _reap_later(self, hub: Hub, proc: Any, tries: int) -> None:
        if self._unreaped(proc) and tries > 0:
            hub.call_later(REAP_RETRY_SECONDS, self._reap_again, hub, proc, tries - 1)

    def _unreaped(self, proc: Any) -> bool:
        return proc in self._pool  # type: ignore[attr-defined]

    def _reap_again(self, hub: Hub, proc: Any, tries: int) -> None:
        if self._unreaped(proc):
            self.maintain_pool()
            self._reap_later(hub, proc, tries)


class PreforkPool(prefork.TaskPool):
    """`-P prefork` with `_ReapingAsynPool` (CELERY_WORKER_POOL; `-P prefork` then picks it)."""

    Pool = _ReapingAsynPool


@worker_before_create_process.connect
def _freeze_before_first_fork(**kwargs: object) -> None:
    # Celery runs gc.collect() before every fork of a pool process. After warm-up (WeasyPrint,
    # fonts, templates: ~420,000 objects) that took 250 ms (more on a loaded machine) in the main
    # process, between requeueing a killed process's task and fetching it again. Frozen objects are
    # skipped by the collector, and the children share their pages instead of copying them on the
    # first collection (the gc.freeze() recipe of the Python docs). Once: what the main process
    # allocates later is still collected.
    if not gc.get_freeze_count():
        gc.freeze()


app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
