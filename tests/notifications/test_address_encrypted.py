"""Where a message goes (a mobile, an e-mail address) is personal data: stored encrypted, and a
repeated event still reaches someone without an account once (compared on the blind index)."""

from django.db import connection

import pytest

from core import sms
from core.crypto import personal_data_rotate
from notifications.choices import Channel, Event
from notifications.models import Notification
from notifications.services import Recipient, notification_send, notify
from tests.notifications.conftest import NOW

pytestmark = pytest.mark.django_db

MOBILE = "13700137000"
EMAIL = "walkin@example.com"


def notify_walk_in(key: str = "received:7", *, email: str = EMAIL) -> list[Notification]:
    return notify(
        event=Event.APPLICATION_RECEIVED,
        recipients=[Recipient(mobile=MOBILE, email=email)],
        context={"matter_name": "老年人优待证办理", "query_no": "251122000001"},
        key=key,
        now=NOW,
    )


def stored_addresses() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM notifications_notification ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_the_database_holds_tokens_not_the_mobile_or_the_email_address() -> None:
    notify_walk_in()

    stored = stored_addresses()
    assert len(stored) == 2
    assert all(value.startswith("gAAAAA") for value in stored)  # Fernet tokens
    assert not any(MOBILE in value or EMAIL in value for value in stored)


def test_the_message_still_goes_to_the_plain_address() -> None:
    sms_row = next(row for row in notify_walk_in() if row.channel == Channel.SMS)

    notification_send(notification_id=sms_row.pk, now=NOW)

    assert [message.mobile for message in sms.outbox] == [MOBILE]


def test_a_repeated_event_to_someone_without_an_account_is_written_once() -> None:
    first = notify_walk_in()
    again = notify_walk_in(email=" WALKIN@example.com ")  # the same address, typed otherwise

    assert [row.pk for row in again] == [row.pk for row in first]
    assert Notification.objects.count() == 2


def test_key_rotation_re_encrypts_the_addresses() -> None:
    notify_walk_in()
    before = stored_addresses()

    report = personal_data_rotate()

    assert report.failures == []
    after = stored_addresses()
    assert after != before
    assert sorted(n.address for n in Notification.objects.all()) == [MOBILE, EMAIL]
