"""Fixtures for notifications: two citizens (one with an e-mail address), an empty SMS outbox, and
an SMTP backend that fails on demand."""

import datetime as dt
import importlib
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.apps import apps as django_apps

import pytest
from pytest_django import Settings

from accounts.models import User
from accounts.services import citizen_create
from core import sms
from notifications.tasks import notification_send_task
from tests.notifications.backends import FlakySmtpBackend

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 11, 22, 10, 30, tzinfo=SHANGHAI)

SUPPLEMENT_CONTEXT: dict[str, object] = {
    "matter_name": "食品经营许可",
    "reference": "11440300MB2351437D4000123450002025112200001",
    "query_no": "251122483920",
    "items": [
        {"name": "营业执照副本复印件", "reason": "复印件不清晰，请重新扫描上传。"},
        {"name": "经营场所使用证明", "reason": "租赁合同已过期。"},
    ],
    "deadline": "2025-12-05",
    "how": "登录通办网站在线上传。",
}


@pytest.fixture(autouse=True)
def _seeded_templates(request: pytest.FixtureRequest) -> None:
    """The templates the migrations seed. A transactional test's flush deletes them, so with
    --reuse-db the next run started without them and 38 tests failed (found by CFG-06's random
    orders): put the missing ones back, with the migration's own code."""
    if request.node.get_closest_marker("django_db") is None:
        return
    seeding = importlib.import_module("notifications.migrations.0002_seed_templates")
    seeding.seed_events(django_apps)


@pytest.fixture(autouse=True)
def _empty_outboxes() -> Iterator[None]:
    sms.outbox.clear()
    FlakySmtpBackend.failures_left = 0
    yield
    sms.outbox.clear()


@pytest.fixture
def applicant(db: None) -> User:
    user = citizen_create(
        username="wangwu",
        password="pw-citizen-2",
        real_name="王五",
        id_number="11010519491231002X",
        mobile="13800138000",
    )
    user.email = "wangwu@example.com"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def other(db: None) -> User:
    """A second citizen, without an e-mail address."""
    return citizen_create(
        username="zhaoliu",
        password="pw-citizen-3",
        real_name="赵六",
        id_number="110105198001010016",
        mobile="13900139000",
    )


@pytest.fixture
def flaky_smtp(settings: Settings) -> type[FlakySmtpBackend]:
    """E-mail goes through FlakySmtpBackend; set `failures_left` to make the next sends fail."""
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakySmtpBackend"
    return FlakySmtpBackend


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """The keyword arguments of every notification_send_task sent to the broker."""
    sent: list[dict[str, object]] = []

    def record(*args: object, kwargs: dict[str, object], **options: object) -> None:
        sent.append(kwargs)

    monkeypatch.setattr(notification_send_task, "apply_async", record)
    return sent
