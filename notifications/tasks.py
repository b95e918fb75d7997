"""Celery wrappers: one service call each, IDs only (STYLE R9)."""

from datetime import timedelta

from django.utils import timezone

from celery import shared_task

from notifications import services
from notifications.models import Notification


@shared_task(name="notifications.send")
def notification_send_task(*, notification_id: int, **kwargs: object) -> None:
    """Send one queued e-mail or SMS; a repeated task sends nothing more."""
    try:
        services.notification_send(notification_id=notification_id, now=timezone.now())
    except Notification.DoesNotExist:
        return  # its recipient's account was deleted meanwhile: nothing to send


@shared_task(name="notifications.send_pending")
def notifications_send_pending_task(
    *, older_than_seconds: int | None = None, **kwargs: object
) -> int:
    """Enqueue the e-mails and SMS that are due and were not sent (the beat sweeper).

    `older_than_seconds` (default: the service's minute) is how long a new message waits for its
    on-commit send before the sweeper takes it; an operator (or a chaos test) may sweep at once."""
    if older_than_seconds is None:
        return services.notifications_send_pending(now=timezone.now())
    return services.notifications_send_pending(
        now=timezone.now(), older_than=timedelta(seconds=older_than_seconds)
    )
