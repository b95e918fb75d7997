"""SEC-DP-06: a member of staff who reads more than BULK_ACCESS_LIMIT distinct cases within
BULK_ACCESS_WINDOW_SECONDS raises exactly one alert: an audit event, a message to each audit
administrator and a warning in the operations log without personal data. Counting lives in Redis
and falls back to the process's memory, so a Redis outage never fails a page."""

import datetime as dt
import io
import socket
import time
from collections.abc import Callable, Iterator

from django.test import Client
from django.urls import reverse

import pytest
import redis
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from accounts.choices import Role
from accounts.models import User
from accounts.services import staff_create
from applications.models import Application
from audit.bulk_access import KEY_PREFIX, bulk_access_note, bulk_access_reset
from audit.choices import AuditAction
from audit.models import AuditEvent
from notifications.choices import Channel, Event
from notifications.models import Notification
from tests.applications.conftest import (  # noqa: F401 -- fixtures, used by name
    applicant,
    clerk,
    market,
    submitted,
    workflow_catalogue,
)
from tests.auth import sign_in
from tests.security.conftest import log_lines  # noqa: F401 -- a fixture, used by name

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_counter(settings: Settings) -> Iterator[None]:
    """No counts or alert flags from another test, in Redis or in this process."""

    url = settings.REDIS_URL  # a test may point the setting at a dead Redis

    def clear() -> None:
        bulk_access_reset()
        if url:
            client = redis.Redis.from_url(url)
            for key in client.scan_iter(f"{KEY_PREFIX}:*"):
                client.delete(key)

    clear()
    yield
    clear()


@pytest.fixture
def auditor(groups: None) -> User:
    user = staff_create(
        username="auditor", password="pw-audit-1", real_name="审计", roles=[Role.AUDITOR]
    )
    User.objects.filter(pk=user.pk).update(email="audit@example.gov.cn")
    return user


@pytest.fixture
def cases(submitted: Callable[..., Application]) -> list[Application]:  # noqa: F811
    return [submitted() for _ in range(3)]


def alerts() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.BULK_ACCESS_ALERT).order_by("seq"))


def read_all(user: User, ids: range | list[int], *, at: dt.datetime) -> list[int]:
    return [
        bulk_access_note(user=user, object_type="application", object_id=pk, now=at) for pk in ids
    ]


def test_a_clerk_opening_more_cases_than_the_limit_raises_one_alert(
    settings: Settings,
    clerk: User,  # noqa: F811
    auditor: User,
    cases: list[Application],
    log_lines: io.StringIO,  # noqa: F811
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.BULK_ACCESS_LIMIT = 2
    client = Client()
    sign_in(client, clerk)

    with django_capture_on_commit_callbacks(execute=True):
        pages = [
            client.get(reverse("workbench-case", args=[case.pk]))
            for case in (*cases, *cases)  # each case twice: still three distinct
        ]

    assert [page.status_code for page in pages] == [200] * 6
    [alert] = alerts()
    assert (alert.actor_id, alert.object_type, alert.object_id) == (clerk.pk, "user", str(clerk.pk))
    assert alert.detail == {
        "object_type": "application",
        "count": 3,
        "limit": 2,
        "window_seconds": 600,
    }
    messages = Notification.objects.filter(event=Event.BULK_ACCESS_ALERT)
    assert sorted((m.recipient_id, m.channel) for m in messages) == [
        (auditor.pk, Channel.EMAIL),
        (auditor.pk, Channel.INBOX),
    ]
    assert "clerk" in messages.get(channel=Channel.INBOX).body
    warnings = [line for line in log_lines.getvalue().splitlines() if "Bulk access:" in line]
    assert len(warnings) == 1
    assert '"level": "WARNING"' in warnings[0]
    assert f"user {clerk.pk} read more than 2 application objects" in warnings[0]


def test_the_default_limit_is_200_distinct_cases_in_ten_minutes(
    clerk: User,  # noqa: F811
    auditor: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        up_to_the_limit = read_all(clerk, range(1, 201), at=T0)
        none_yet = alerts()
        over = read_all(clerk, range(201, 260), at=T0 + dt.timedelta(minutes=9))

    assert up_to_the_limit[-1] == 200
    assert none_yet == []
    assert over[0] == 201
    assert len(alerts()) == 1
    assert Notification.objects.filter(event=Event.BULK_ACCESS_ALERT).count() == 2


def test_rereading_the_same_cases_raises_nothing(
    clerk: User,  # noqa: F811
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        counts = [read_all(clerk, [1, 2, 3], at=T0)[-1] for _ in range(300)]

    assert set(counts) == {3}
    assert alerts() == []


def test_reads_spread_over_more_than_the_window_raise_nothing(
    clerk: User,  # noqa: F811
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        read_all(clerk, range(1, 151), at=T0)
        later = read_all(clerk, range(151, 301), at=T0 + dt.timedelta(minutes=10, seconds=1))

    assert later[-1] == 150  # the first 150 have left the window
    assert alerts() == []


def test_more_reads_in_the_same_window_do_not_alert_again(
    clerk: User,  # noqa: F811
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        read_all(clerk, range(1, 202), at=T0)
        read_all(clerk, range(202, 210), at=T0 + dt.timedelta(minutes=5))

    assert len(alerts()) == 1


def test_each_member_has_their_own_count(
    clerk: User,  # noqa: F811
    auditor: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        read_all(clerk, range(1, 151), at=T0)
        read_all(auditor, range(1, 151), at=T0)

    assert alerts() == []


def test_a_read_whose_transaction_rolls_back_claims_no_alert(
    settings: Settings,
    clerk: User,  # noqa: F811
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.BULK_ACCESS_LIMIT = 2
    with django_capture_on_commit_callbacks(execute=False) as rolled_back:
        read_all(clerk, [1, 2, 3], at=T0)
    with django_capture_on_commit_callbacks(execute=True):
        read_all(clerk, [4], at=T0)

    assert len(rolled_back) == 1  # scheduled, never run: as after a rollback
    assert len(alerts()) == 1


@pytest.mark.parametrize(
    "down_url",
    ["redis://127.0.0.1:1/15"],  # nothing listens on port 1: refused at once
)
def test_with_redis_down_pages_still_open_and_the_process_still_alerts(
    settings: Settings,
    clerk: User,  # noqa: F811
    cases: list[Application],
    down_url: str,
    log_lines: io.StringIO,  # noqa: F811
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.BULK_ACCESS_LIMIT = 2
    settings.REDIS_URL = down_url
    client = Client()
    sign_in(client, clerk)

    with django_capture_on_commit_callbacks(execute=True):
        pages = [client.get(reverse("workbench-case", args=[case.pk])) for case in cases]

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert len(alerts()) == 1
    unavailable = [
        line
        for line in log_lines.getvalue().splitlines()
        if "Bulk-access counter unavailable" in line
    ]
    assert len(unavailable) == 1  # then the counter pauses Redis instead of retrying each read


def test_a_frozen_redis_costs_one_timeout_then_is_skipped(
    settings: Settings,
    clerk: User,  # noqa: F811
    log_lines: io.StringIO,  # noqa: F811
) -> None:
    with socket.socket() as frozen:  # accepts connections, never answers
        frozen.bind(("127.0.0.1", 0))
        frozen.listen()
        settings.REDIS_URL = f"redis://127.0.0.1:{frozen.getsockname()[1]}/15"
        started = time.monotonic()
        counts = read_all(clerk, list(range(1, 11)), at=T0)
        elapsed = time.monotonic() - started

    assert counts == list(range(1, 11))  # counted in the process instead
    assert log_lines.getvalue().count("Bulk-access counter unavailable") == 1
    assert elapsed < 2.5  # one 0.5 s timeout, not ten


def test_the_count_is_shared_through_redis(settings: Settings, clerk: User) -> None:  # noqa: F811
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")

    read_all(clerk, [1, 2], at=T0)
    bulk_access_reset()  # as if the next read were served by another process
    counts = read_all(clerk, [3], at=T0)

    assert counts == [3]
