"""The Celery application. Tasks live in each app's `tasks.py`; settings are the CELERY_* Django settings."""

import os

from celery import Celery
from kombu.transport import redis as kombu_redis
from kombu.transport.virtual import base as kombu_virtual

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")


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


class _Channel(kombu_redis.Channel):
    QoS = _AckSafeQoS


class RedisTransport(kombu_redis.Transport):
    """The `redis://` transport with `_AckSafeQoS` (CELERY_BROKER_TRANSPORT)."""

    Channel = _Channel


app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
