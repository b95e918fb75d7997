"""notify() and the workers: one row per event, channel and recipient; e-mail and SMS sent
exactly once, retried with backoff after an SMTP failure, and failed after the last attempt."""

import datetime as dt
from typing import Any

from django.core import mail

import pytest
from kombu.exceptions import OperationalError
from pytest_django import Settings

from accounts.models import User
from core import sms
from notifications.choices import Channel, DeliveryStatus, Event
from notifications.models import Notification, NotificationTemplate
from notifications.services import (
    NotificationNotFailedError,
    Recipient,
    notification_retry,
    notification_send,
    notifications_send_pending,
    notify,
)
from notifications.tasks import notification_send_task
from tests.notifications.backends import FlakySmtpBackend
from tests.notifications.conftest import NOW, SUPPLEMENT_CONTEXT

pytestmark = pytest.mark.django_db


def notify_supplement(
    user: User, *, key: str = "supplement:1", language: str = "zh-hans"
) -> list[Notification]:
    return notify(
        event=Event.SUPPLEMENT_REQUESTED,
        recipients=[Recipient(user=user, language=language)],
        context=SUPPLEMENT_CONTEXT,
        key=key,
        link="/applications/12/",
        now=NOW,
    )


def email_row(rows: list[Notification]) -> Notification:
    return next(row for row in rows if row.channel == Channel.EMAIL)


def test_notify_writes_one_row_per_channel_and_a_repeat_with_the_same_key_writes_nothing(
    applicant: User,
) -> None:
    first = notify_supplement(applicant)

    again = notify_supplement(applicant)

    assert sorted(row.channel for row in first) == [Channel.EMAIL, Channel.INBOX, Channel.SMS]
    assert [row.pk for row in again] == [row.pk for row in first]
    assert Notification.objects.count() == 3


def test_the_same_event_with_another_key_is_another_message(applicant: User) -> None:
    notify_supplement(applicant, key="supplement:1")

    notify_supplement(applicant, key="supplement:2")

    assert Notification.objects.count() == 6


def test_a_recipient_without_an_email_address_gets_no_email(other: User) -> None:
    rows = notify_supplement(other)

    assert sorted(row.channel for row in rows) == [Channel.INBOX, Channel.SMS]


def test_someone_without_an_account_gets_sms_and_email_but_no_inbox_message(db: None) -> None:
    rows = notify(
        event=Event.APPLICATION_RECEIVED,
        recipients=[Recipient(mobile="13700137000", email="walkin@example.com")],
        context={"matter_name": "老年人优待证办理", "query_no": "251122000001"},
        key="received:7",
        now=NOW,
    )
    again = notify(
        event=Event.APPLICATION_RECEIVED,
        recipients=[Recipient(mobile="13700137000", email="walkin@example.com")],
        context={},
        key="received:7",
        now=NOW,
    )

    assert sorted((row.channel, row.address) for row in rows) == [
        (Channel.EMAIL, "walkin@example.com"),
        (Channel.SMS, "13700137000"),
    ]
    assert all(row.recipient is None for row in rows)
    assert [row.pk for row in again] == [row.pk for row in rows]


def test_inbox_rows_are_sent_at_once_and_email_and_sms_rows_are_queued(applicant: User) -> None:
    rows = {row.channel: row for row in notify_supplement(applicant)}

    assert rows[Channel.INBOX].status == DeliveryStatus.SENT
    assert rows[Channel.INBOX].sent_at == NOW
    assert rows[Channel.INBOX].read_at is None
    assert rows[Channel.EMAIL].status == DeliveryStatus.QUEUED
    assert rows[Channel.EMAIL].address == "wangwu@example.com"
    assert rows[Channel.SMS].status == DeliveryStatus.QUEUED
    assert rows[Channel.SMS].address == "13800138000"


def test_the_supplement_message_lists_every_item_and_the_deadline(applicant: User) -> None:
    inbox = next(row for row in notify_supplement(applicant) if row.channel == Channel.INBOX)

    assert inbox.subject == "请补正材料：食品经营许可"
    assert inbox.link == "/applications/12/"
    assert inbox.body == (
        "您好：\n\n"
        "您申请的“食品经营许可”（申报号：11440300MB2351437D4000123450002025112200001）"
        "需要补正以下材料：\n\n"
        "1. 营业执照副本复印件：复印件不清晰，请重新扫描上传。\n"
        "2. 经营场所使用证明：租赁合同已过期。\n\n"
        "请于2025-12-05前补正。登录通办网站在线上传。\n"
        "逾期未补正的，将作退件处理。\n\n"
        "查看详情：http://127.0.0.1:8000/applications/12/"
    )


def test_an_english_recipient_gets_the_english_text(applicant: User) -> None:
    rows = {row.channel: row for row in notify_supplement(applicant, language="en")}

    assert rows[Channel.EMAIL].language == "en"
    assert rows[Channel.EMAIL].subject == "Please supplement your materials: 食品经营许可"
    assert "1. 营业执照副本复印件: 复印件不清晰，请重新扫描上传。" in rows[Channel.EMAIL].body
    assert rows[Channel.SMS].body.startswith("【通办】Your application for 食品经营许可 needs 2")


def test_a_disabled_channel_is_not_used(applicant: User) -> None:
    NotificationTemplate.objects.filter(event=Event.SUPPLEMENT_REQUESTED).update(send_sms=False)

    rows = notify_supplement(applicant)

    assert sorted(row.channel for row in rows) == [Channel.EMAIL, Channel.INBOX]


def test_an_event_without_a_template_row_uses_the_built_in_text(applicant: User) -> None:
    NotificationTemplate.objects.filter(event=Event.SUPPLEMENT_REQUESTED).delete()

    rows = notify_supplement(applicant)

    assert email_row(rows).subject == "请补正材料：食品经营许可"


def test_a_link_off_the_site_is_refused(applicant: User) -> None:
    with pytest.raises(ValueError, match="path on this site"):
        notify(
            event=Event.APPLICATION_ACCEPTED,
            recipients=[Recipient(user=applicant)],
            context={},
            key="accepted:1",
            link="//evil.example/phish",
            now=NOW,
        )

    assert Notification.objects.count() == 0


def test_the_commit_enqueues_the_queued_rows_and_the_worker_sends_them(
    applicant: User, enqueued: list[dict[str, object]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        rows = {row.channel: row for row in notify_supplement(applicant)}
    for task in enqueued:  # the worker
        notification_send(notification_id=int(str(task["notification_id"])), now=NOW)

    assert enqueued == [
        {"notification_id": rows[Channel.EMAIL].pk},
        {"notification_id": rows[Channel.SMS].pk},
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wangwu@example.com"]
    assert mail.outbox[0].subject == "请补正材料：食品经营许可"
    assert mail.outbox[0].body == rows[Channel.INBOX].body
    assert sms.outbox == [
        sms.SmsMessage(
            mobile="13800138000",
            text="【通办】您申请的食品经营许可需补正2项材料，请于2025-12-05前提交，"
            "清单见通办网站“我的消息”。查询号251122483920。",
        )
    ]
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_nothing_is_enqueued_before_the_commit(
    applicant: User, enqueued: list[dict[str, object]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_supplement(applicant)

    assert len(callbacks) == 1
    assert enqueued == []


def test_a_broker_outage_does_not_fail_the_event_and_the_sweeper_sends_later(
    applicant: User,
    monkeypatch: pytest.MonkeyPatch,
    enqueued: list[dict[str, object]],
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(notification_send_task, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            rows = notify_supplement(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        swept = notifications_send_pending(now=NOW + dt.timedelta(minutes=2))

    assert {row.status for row in rows} == {DeliveryStatus.SENT, DeliveryStatus.QUEUED}
    assert "left for the sweeper" in caplog.text
    assert "wangwu" not in caplog.text
    assert swept == 2
    assert len(enqueued) == 2


def test_sending_twice_sends_one_email(applicant: User) -> None:
    row = email_row(notify_supplement(applicant))

    first = notification_send(notification_id=row.pk, now=NOW)
    second = notification_send(notification_id=row.pk, now=NOW + dt.timedelta(hours=2))

    assert len(mail.outbox) == 1
    assert first.status == second.status == DeliveryStatus.SENT
    assert second.sent_at == NOW
    assert second.attempts == 1


def test_an_sms_is_sent_through_the_configured_backend_with_the_chinese_text(
    applicant: User,
) -> None:
    row = next(row for row in notify_supplement(applicant) if row.channel == Channel.SMS)

    notification_send(notification_id=row.pk, now=NOW)
    notification_send(notification_id=row.pk, now=NOW)

    assert len(sms.outbox) == 1
    assert sms.outbox[0].mobile == "13800138000"
    assert sms.outbox[0].text.startswith("【通办】您申请的食品经营许可需补正2项材料")


def test_an_smtp_failure_is_retried_after_a_backoff_and_the_sweeper_sends_it_later(
    applicant: User,
    flaky_smtp: type[FlakySmtpBackend],
    django_capture_on_commit_callbacks: Any,
) -> None:
    NotificationTemplate.objects.filter(event=Event.SUPPLEMENT_REQUESTED).update(send_sms=False)
    row = email_row(notify_supplement(applicant))
    flaky_smtp.failures_left = 1

    failed = notification_send(notification_id=row.pk, now=NOW)
    with django_capture_on_commit_callbacks() as early:
        swept_early = notifications_send_pending(now=NOW + dt.timedelta(seconds=30))
    with django_capture_on_commit_callbacks() as due:
        swept_due = notifications_send_pending(now=NOW + dt.timedelta(minutes=2))
    sent = notification_send(notification_id=row.pk, now=NOW + dt.timedelta(minutes=2))

    assert failed.status == DeliveryStatus.QUEUED
    assert failed.attempts == 1
    assert failed.next_attempt_at == NOW + dt.timedelta(minutes=1)
    assert failed.last_error == "SMTPServerDisconnected"
    assert failed.sent_at is None
    assert (swept_early, len(early)) == (0, 0)
    assert (swept_due, len(due)) == (1, 1)
    assert sent.status == DeliveryStatus.SENT
    assert sent.attempts == 2
    assert sent.last_error == ""
    assert len(mail.outbox) == 1


def test_a_send_before_the_backoff_has_passed_does_nothing(
    applicant: User, flaky_smtp: type[FlakySmtpBackend]
) -> None:
    row = email_row(notify_supplement(applicant))
    flaky_smtp.failures_left = 1
    notification_send(notification_id=row.pk, now=NOW)

    early = notification_send(notification_id=row.pk, now=NOW + dt.timedelta(seconds=59))

    assert early.attempts == 1
    assert early.status == DeliveryStatus.QUEUED
    assert mail.outbox == []


def test_retries_back_off_exponentially_and_fail_after_the_last_attempt(
    applicant: User, flaky_smtp: type[FlakySmtpBackend], settings: Settings
) -> None:
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    row = email_row(notify_supplement(applicant))
    flaky_smtp.failures_left = 10
    now, waits = NOW, []

    for _attempt in range(4):
        notification = notification_send(notification_id=row.pk, now=now)
        assert notification.next_attempt_at is not None
        waits.append(notification.next_attempt_at - now)
        now = notification.next_attempt_at
    after = notification_send(notification_id=row.pk, now=now + dt.timedelta(days=1))

    assert [wait.total_seconds() / 60 for wait in waits] == [1, 2, 4, 8]
    assert notification.status == DeliveryStatus.FAILED
    assert notification.attempts == 4
    assert after.attempts == 4
    assert flaky_smtp.failures_left == 6


def test_a_message_that_crashed_its_worker_every_time_is_failed_without_another_try(
    applicant: User, settings: Settings
) -> None:
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    row = email_row(notify_supplement(applicant))
    # Two workers died after counting their attempt, before anything was recorded.
    Notification.objects.filter(pk=row.pk).update(attempts=2, next_attempt_at=NOW)

    notification = notification_send(notification_id=row.pk, now=NOW)

    assert notification.status == DeliveryStatus.FAILED
    assert mail.outbox == []


def test_the_sweeper_leaves_fresh_rows_to_their_commit_and_picks_up_lost_ones(
    applicant: User, django_capture_on_commit_callbacks: Any
) -> None:
    notify_supplement(applicant)

    with django_capture_on_commit_callbacks() as fresh:
        swept_fresh = notifications_send_pending(now=NOW + dt.timedelta(seconds=20))
    with django_capture_on_commit_callbacks() as lost:
        swept_lost = notifications_send_pending(now=NOW + dt.timedelta(minutes=5))

    assert (swept_fresh, len(fresh)) == (0, 0)
    assert (swept_lost, len(lost)) == (2, 1)


def test_retrying_a_failed_message_queues_it_again_with_a_fresh_count(
    applicant: User,
    flaky_smtp: type[FlakySmtpBackend],
    settings: Settings,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    row = email_row(notify_supplement(applicant))
    flaky_smtp.failures_left = 1
    notification_send(notification_id=row.pk, now=NOW)
    later = NOW + dt.timedelta(hours=3)

    with django_capture_on_commit_callbacks() as callbacks:
        retried = notification_retry(notification_id=row.pk, now=later)
    sent = notification_send(notification_id=row.pk, now=later)

    assert retried.status == DeliveryStatus.QUEUED
    assert retried.attempts == 0
    assert len(callbacks) == 1
    assert sent.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_only_a_failed_message_can_be_retried(applicant: User) -> None:
    row = email_row(notify_supplement(applicant))

    with pytest.raises(NotificationNotFailedError, match="只能重发发送失败的消息"):
        notification_retry(notification_id=row.pk, now=NOW)


def test_the_error_recorded_names_no_address(
    applicant: User, flaky_smtp: type[FlakySmtpBackend]
) -> None:
    row = email_row(notify_supplement(applicant))
    flaky_smtp.failures_left = 1

    notification = notification_send(notification_id=row.pk, now=NOW)

    assert "wangwu" not in notification.last_error
    assert notification.last_error == "SMTPServerDisconnected"
