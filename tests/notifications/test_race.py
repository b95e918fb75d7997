"""Exactly once under concurrency (PostgreSQL row locks): duplicate send tasks running at the same
moment send one e-mail, and the same event notified twice at once writes one row per channel.
Each call runs in a real thread with its own database connection, released by a barrier."""

from django.core import mail
from django.db import transaction

import pytest
from pytest_django import Settings

from accounts.models import User
from notifications.choices import Channel, DeliveryStatus, Event
from notifications.models import Notification
from notifications.services import Recipient, notification_send, notify
from tests.concurrency import run_together
from tests.notifications.conftest import NOW, SUPPLEMENT_CONTEXT

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def notify_once(user: User) -> list[Notification]:
    with transaction.atomic():
        return notify(
            event=Event.SUPPLEMENT_REQUESTED,
            recipients=[Recipient(user=user)],
            context=SUPPLEMENT_CONTEXT,
            key="supplement:1",
            now=NOW,
        )


def test_duplicate_send_tasks_at_the_same_moment_send_one_email(
    applicant: User, settings: Settings
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.backends.SlowSmtpBackend"
    email = next(row for row in notify_once(applicant) if row.channel == Channel.EMAIL)

    results = run_together(
        [lambda: notification_send(notification_id=email.pk, now=NOW) for _ in range(4)]
    )

    email.refresh_from_db()
    assert all(isinstance(result, Notification) for result in results)
    assert len(mail.outbox) == 1
    assert (email.status, email.attempts) == (DeliveryStatus.SENT, 1)


def test_the_same_event_notified_twice_at_once_writes_one_row_per_channel(applicant: User) -> None:
    results = run_together([lambda: notify_once(applicant), lambda: notify_once(applicant)])

    assert all(isinstance(result, list) for result in results)
    assert sorted(Notification.objects.values_list("channel", flat=True)) == [
        Channel.EMAIL,
        Channel.INBOX,
        Channel.SMS,
    ]
