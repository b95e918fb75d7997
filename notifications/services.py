"""Notifying people: `notify()` is the only entry point for other apps.

`notify()` writes one row per recipient and channel inside the caller's transaction, so a message
exists if and only if its event was committed. Inbox rows are delivered by being written; e-mail
and SMS rows are QUEUED and sent by workers (`notification_send`), hurried along on commit and
swept up by a beat job (`notifications_send_pending`) if the broker lost them.

Exactly once: a unique constraint on (key, channel, recipient) stops a repeated event from writing
a second row, and the send holds the row's lock and re-checks its status, so a duplicate or
concurrent task sends nothing. The one at-least-once edge: a worker that dies after the provider
accepted a message but before our commit leaves the row QUEUED, and the message goes out again.
"""

import logging
import smtplib
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.crypto import blind_index
from core.errors import ConflictError
from core.queue import enqueue
from core.sms import SmsError, get_backend
from notifications.choices import Channel, DeliveryStatus, Event, Language
from notifications.defaults import DEFAULT_TEMPLATES
from notifications.models import ADDRESS_INDEX_KIND, Notification, NotificationTemplate
from notifications.permissions import access_notification_for_recipient
from notifications.recipients import Recipient
from notifications.rendering import RENDER_ERRORS, RenderedMessage, TemplateText, render_message

__all__ = [
    "Recipient",
    "inbox_mark_all_read",
    "inbox_mark_read",
    "notification_retry",
    "notification_send",
    "notifications_send_pending",
    "notify",
]

logger = logging.getLogger(__name__)

# What a failed hand-over to the SMTP server or the SMS provider raises; anything else is a bug.
SEND_ERRORS = (smtplib.SMTPException, OSError, SmsError)
MAX_BACKOFF = timedelta(hours=1)
SWEEP_BATCH = 500


class NotificationNotFailedError(ConflictError):
    """Only a message that failed every attempt can be retried by hand."""


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th attempt: 1, 2, 4, 8 … minutes, at most an hour."""
    return min(timedelta(minutes=2 ** min(attempts - 1, 6)), MAX_BACKOFF)


def _enqueue_sends(notification_ids: list[int]) -> None:
    from notifications.tasks import notification_send_task  # tasks import services

    for notification_id in notification_ids:
        if not enqueue(notification_send_task, notification_id=notification_id):
            break  # the broker is down: the sweeper sends the rest


def _template_for(event: Event) -> TemplateText:
    try:
        return NotificationTemplate.objects.get(event=event).text()
    except NotificationTemplate.DoesNotExist:
        return DEFAULT_TEMPLATES[event]


def _render(
    event: Event, text: TemplateText, language: Language, context: Mapping[str, object]
) -> RenderedMessage:
    """Render in the recipient's language; a stored template that fails falls back to the default,
    so a bad template never fails the event that sends it."""
    with translation.override(language):
        try:
            return render_message(text, language=language, context=context)
        except RENDER_ERRORS:
            logger.exception("Unable to render the template of %s; using the default", event)
            return render_message(DEFAULT_TEMPLATES[event], language=language, context=context)


def _is_site_path(link: str) -> bool:
    return link.startswith("/") and not link.startswith("//") and "\\" not in link


def _identity(notification: Notification) -> tuple[str, int | None, str]:
    """What the unique constraints compare: the channel and the account, or the address (its
    blind index, as the once-per-address constraint sees it)."""
    if notification.recipient_id:
        return notification.channel, notification.recipient_id, ""
    return notification.channel, None, blind_index(notification.address, kind=ADDRESS_INDEX_KIND)


@transaction.atomic
def notify(
    *,
    event: Event | str,
    recipients: Sequence[Recipient],
    context: Mapping[str, object],
    key: str,
    link: str = "",
    now: datetime,
) -> list[Notification]:
    """Write the messages of `event` for `recipients`, one per enabled channel each can receive.

    Call it inside the transaction that records the event. `key` names the event occurrence (e.g.
    "application-received:12"): calling again with the same key writes nothing new and returns the
    existing rows. `context` holds the variables of `samples.VARIABLES[event]`; `link` is a path on
    this site (e.g. "/applications/12/"). E-mail and SMS are sent by workers after the commit.

    :raises ValueError: if `event` is unknown or `link` is not a path on this site.
    """
    event = Event(event)
    if link and not _is_site_path(link):
        raise ValueError("link must be a path on this site")
    text = _template_for(event)
    full_context = {
        **context,
        "link_url": settings.PORTAL_BASE_URL + link if link else "",
        "portal_url": settings.PORTAL_BASE_URL,
    }
    rows: dict[tuple[str, int | None, str], Notification] = {}
    for recipient in recipients:
        language = recipient.message_language
        message = _render(event, text, language, full_context)
        for channel in text.channels:
            if not recipient.can_receive(channel):
                continue
            is_inbox = channel == Channel.INBOX
            row = Notification(
                event=event,
                channel=channel,
                recipient=recipient.user,
                address=recipient.address(channel),
                language=language,
                subject=message.subject,
                body=message.sms if channel == Channel.SMS else message.body,
                link=link,
                status=DeliveryStatus.SENT if is_inbox else DeliveryStatus.QUEUED,
                sent_at=now if is_inbox else None,
                next_attempt_at=None if is_inbox else now,
                key=key,
            )
            rows.setdefault(_identity(row), row)  # the same person listed twice: one message
    if not rows:
        return []
    # A row that exists already (a repeated event) is skipped by the unique constraints.
    Notification.objects.bulk_create(rows.values(), ignore_conflicts=True)
    user_ids = {row.recipient_id for row in rows.values() if row.recipient_id}
    # The address is encrypted: rows without an account are found by its blind index.
    addresses = {index for _channel, user_id, index in rows if not user_id}
    saved = [
        notification
        for notification in Notification.objects.filter(key=key)
        .filter(Q(recipient__in=user_ids) | Q(recipient__isnull=True, address_index__in=addresses))
        .order_by("pk")
        if _identity(notification) in rows
    ]
    queued = [n.pk for n in saved if n.status == DeliveryStatus.QUEUED]
    if queued:
        transaction.on_commit(partial(_enqueue_sends, queued))
    return saved


def _claim(notification_id: int, now: datetime) -> int | None:
    """Count an attempt and hold the row until its backoff time, before anything leaves; return
    the attempt number, or None if the row is not due. Counting first means a message that kills
    its worker every time still stops after NOTIFICATION_MAX_ATTEMPTS."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status != DeliveryStatus.QUEUED:
            return None
        if notification.next_attempt_at and notification.next_attempt_at > now:
            return None
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            notification.status = DeliveryStatus.FAILED
            notification.save(update_fields=["status", "updated_at"])
            return None
        notification.attempts += 1
        notification.next_attempt_at = now + backoff(notification.attempts)
        notification.save(update_fields=["attempts", "next_attempt_at", "updated_at"])
        return notification.attempts


def _deliver(notification: Notification) -> None:
    if notification.channel == Channel.EMAIL:
        EmailMessage(
            subject=notification.subject, body=notification.body, to=[notification.address]
        ).send(fail_silently=False)
    elif notification.channel == Channel.SMS:
        get_backend().send(mobile=notification.address, text=notification.body)


def notification_send(*, notification_id: int, now: datetime) -> Notification:
    """Send a queued e-mail or SMS, once; do nothing if it was sent, failed or is not due yet.

    A failure of the SMTP server or the SMS provider is recorded on the row (the exception's class
    name only) and retried after a backoff; after NOTIFICATION_MAX_ATTEMPTS attempts the row is
    FAILED. Not to be called inside another transaction: the attempt is committed first.

    :raises Notification.DoesNotExist: if there is no such notification.
    """
    attempt = _claim(notification_id, now)
    if attempt is None:
        return Notification.objects.get(pk=notification_id)
    with transaction.atomic():
        # The lock makes a concurrent duplicate wait here, then find the row SENT.
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status != DeliveryStatus.QUEUED or notification.attempts != attempt:
            return notification  # sent meanwhile, or another worker took over after our lease
        try:
            _deliver(notification)
        except SEND_ERRORS as exc:
            notification.last_error = type(exc).__name__
            if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                notification.status = DeliveryStatus.FAILED
            logger.warning(
                "Unable to send notification %s (attempt %s): %s",
                notification.pk,
                notification.attempts,
                notification.last_error,
            )
        else:
            notification.status = DeliveryStatus.SENT
            notification.sent_at = now
            notification.last_error = ""
        notification.save(update_fields=["status", "sent_at", "last_error", "updated_at"])
    return notification


@transaction.atomic
def notifications_send_pending(
    *, now: datetime, older_than: timedelta = timedelta(minutes=1)
) -> int:
    """Enqueue queued messages that are due: retries whose backoff has passed, and new messages
    still waiting `older_than` after they were written (their enqueue on commit was lost).
    Return how many were enqueued."""
    due = Notification.objects.filter(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now)
    ids = list(
        due.filter(Q(attempts__gt=0) | Q(next_attempt_at__lte=now - older_than))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    if ids:
        transaction.on_commit(partial(_enqueue_sends, ids))
    return len(ids)


@transaction.atomic
def notification_retry(*, notification_id: int, now: datetime) -> Notification:
    """Queue a message that failed every attempt again, with a fresh count (after the cause, such
    as a wrong SMTP password, was fixed).

    :raises NotificationNotFailedError: unless the message failed.
    :raises Notification.DoesNotExist: if there is no such notification.
    """
    notification = Notification.objects.select_for_update().get(pk=notification_id)
    if notification.status != DeliveryStatus.FAILED:
        raise NotificationNotFailedError(_("只能重发发送失败的消息。"))
    notification.status = DeliveryStatus.QUEUED
    notification.attempts = 0
    notification.next_attempt_at = now
    notification.last_error = ""
    notification.save(
        update_fields=["status", "attempts", "next_attempt_at", "last_error", "updated_at"]
    )
    transaction.on_commit(partial(_enqueue_sends, [notification.pk]))
    return notification


@transaction.atomic
def inbox_mark_read(*, user: User, notification_id: int, now: datetime) -> Notification:
    """Return the user's inbox message, marked read (the first reading time is kept).

    :raises Notification.DoesNotExist: if it is not the user's inbox message.
    """
    notification = access_notification_for_recipient(user=user, notification_id=notification_id)
    if notification.read_at is None:
        # Conditional, so two tabs opening it at once keep the first time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now, updated_at=now
        )
        notification.read_at = now
    return notification


@transaction.atomic
def inbox_mark_all_read(*, user: User, now: datetime) -> int:
    """Mark every unread inbox message of the user read; return how many."""
    return Notification.objects.unread().filter(recipient=user).update(read_at=now, updated_at=now)
