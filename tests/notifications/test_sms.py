"""The SMS adapter: console and file backends for development, a provider interface for
production whose refusals are retried."""

import json
import logging
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import pytest
from pytest_django import Settings

from accounts.models import User
from core import sms
from notifications.choices import Channel, DeliveryStatus, Event
from notifications.services import Recipient, notification_send, notify
from tests.notifications.conftest import NOW


def test_the_file_backend_appends_a_json_line_creating_the_folder(
    settings: Settings, tmp_path: Path
) -> None:
    settings.SMS_BACKEND = "core.sms.FileSmsBackend"
    settings.SMS_FILE_PATH = tmp_path / "var" / "sms.jsonl"

    sms.get_backend().send(mobile="13800138000", text="【通办】您的申请已受理。")
    sms.get_backend().send(mobile="13900139000", text="【通办】第二条")

    lines = (tmp_path / "var" / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    assert len(lines) == 2
    assert (first["mobile"], first["text"]) == ("13800138000", "【通办】您的申请已受理。")
    assert first["at"].startswith("20")
    assert "【通办】您的申请已受理。" in lines[0]  # readable, not \u escapes


def test_the_console_backend_logs_one_line_with_the_mobile_masked(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SMS_BACKEND = "core.sms.ConsoleSmsBackend"

    with caplog.at_level(logging.INFO, logger="core.sms"):
        sms.get_backend().send(mobile="13800138000", text="【通办】第一行\n第二行")

    assert caplog.messages == ["SMS to 138****8000: 【通办】第一行 第二行"]


def test_a_backend_that_is_not_an_sms_backend_is_refused(settings: Settings) -> None:
    settings.SMS_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with pytest.raises(ImproperlyConfigured):
        sms.get_backend()


@pytest.mark.django_db
def test_a_provider_refusal_is_recorded_and_retried(applicant: User, settings: Settings) -> None:
    settings.SMS_BACKEND = "tests.notifications.backends.RefusingSmsBackend"
    rows = notify(
        event=Event.APPLICATION_ACCEPTED,
        recipients=[Recipient(user=applicant)],
        context={"matter_name": "食品经营许可", "promised_on": "2025-12-15"},
        key="accepted:1",
        now=NOW,
    )
    row = next(row for row in rows if row.channel == Channel.SMS)

    notification = notification_send(notification_id=row.pk, now=NOW)

    assert notification.status == DeliveryStatus.QUEUED
    assert notification.attempts == 1
    assert notification.last_error == "SmsError"
    assert sms.outbox == []
