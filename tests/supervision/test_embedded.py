"""Embedded mode has no beat: the supervision pages run its jobs, at most once a minute."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.test import override_settings

import pytest

from supervision import embedded
from supervision.models import Alert, DailyStat
from tests.applications.conftest import at, case_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    embedded._last.clear()
    yield
    embedded._last.clear()


@override_settings(SUPERVISION_CATCH_UP_ON_VIEW=True)
def test_the_jobs_run_once_a_minute_at_most(world: dict[str, Any]) -> None:
    case_in("in_review", world)  # promised by 2025-06-18
    now = at("2025-06-19")

    assert embedded.beat_jobs_catch_up(now=now) is True
    assert embedded.beat_jobs_catch_up(now=now + dt.timedelta(seconds=30)) is False
    assert embedded.beat_jobs_catch_up(now=now + dt.timedelta(seconds=61)) is True

    assert Alert.objects.filter(rule="CASE_OVERDUE").count() == 1
    today = DailyStat.objects.get(day=dt.date(2025, 6, 19))  # the card raised today is counted
    assert (today.red_cards, today.received) == (1, 0)


@override_settings(SUPERVISION_CATCH_UP_ON_VIEW=False)
def test_with_a_beat_scheduler_the_pages_leave_the_jobs_to_it(world: dict[str, Any]) -> None:
    case_in("in_review", world)

    assert embedded.beat_jobs_catch_up(now=at("2025-06-19")) is False
    assert not Alert.objects.exists()
