"""The working-day calendar (DOMAIN §3.3): real holiday notices, admin overrides, unknown years."""

import datetime as dt
import logging
import zoneinfo
from collections.abc import Iterator

from django.test import Client
from django.urls import reverse

import chinese_calendar
import pytest
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from accounts.services import staff_create
from core import calendar
from core.calendar import (
    add_working_days,
    calendar_changed,
    end_of_day,
    is_working_day,
    local_date,
    working_days_between,
)
from core.models import WorkdayOverride
from tests.auth import sign_in

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    """No test sees overrides another test cached (its rows were rolled back)."""
    calendar_changed()
    yield
    calendar_changed()


def override(day: dt.date, *, is_working_day: bool, note: str = "") -> WorkdayOverride:
    """Enter an override as the admin would, and tell the calendar."""
    row = WorkdayOverride.objects.create(day=day, is_working_day=is_working_day, note=note)
    calendar_changed()
    return row


# --- the State Council's notices, as chinese-calendar knows them ----------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 9, 26), True),  # Friday
        (dt.date(2025, 9, 27), False),  # Saturday
        (dt.date(2025, 9, 28), True),  # Sunday, 调休 working day
        (dt.date(2025, 10, 1), False),  # 国庆节
        (dt.date(2025, 10, 6), False),  # 中秋节
        (dt.date(2025, 10, 8), False),  # last day of the holiday, a Wednesday
        (dt.date(2025, 10, 9), True),
        (dt.date(2025, 10, 11), True),  # Saturday, 调休 working day
        (dt.date(2025, 10, 12), False),  # Sunday
        (dt.date(2026, 2, 14), True),  # Saturday before 春节, 调休 working day
        (dt.date(2026, 2, 16), False),  # 除夕, a Monday
        (dt.date(2026, 2, 23), False),  # last day of 春节, a Monday
        (dt.date(2026, 2, 24), True),
        (dt.date(2026, 2, 28), True),  # Saturday after 春节, 调休 working day
    ],
)
def test_the_holiday_notices_decide_working_days(day: dt.date, expected: bool) -> None:
    assert is_working_day(day) is expected


@pytest.mark.django_db
def test_every_day_chinese_calendar_knows_gets_its_answer() -> None:
    day, last = dt.date(2004, 1, 1), dt.date(2026, 12, 31)
    disagreements = []

    while day <= last:
        if is_working_day(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += dt.timedelta(days=1)

    assert disagreements == []


@pytest.mark.django_db
def test_a_period_skips_the_national_day_holiday() -> None:
    assert add_working_days(dt.date(2025, 9, 30), 1) == dt.date(2025, 10, 9)


@pytest.mark.django_db
def test_a_period_counts_the_working_weekends_around_a_holiday() -> None:
    assert add_working_days(dt.date(2025, 9, 26), 1) == dt.date(2025, 9, 28)
    assert add_working_days(dt.date(2025, 10, 10), 1) == dt.date(2025, 10, 11)
    assert add_working_days(dt.date(2026, 2, 13), 2) == dt.date(2026, 2, 24)


@pytest.mark.django_db
def test_twenty_working_days_from_an_acceptance_before_national_day_end_on_29_october() -> None:
    deadline = end_of_day(add_working_days(dt.date(2025, 9, 25), 20))

    assert deadline == dt.datetime(2025, 10, 29, 23, 59, 59, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_zero_working_days_is_the_same_day_even_on_a_holiday() -> None:
    assert add_working_days(dt.date(2025, 10, 3), 0) == dt.date(2025, 10, 3)


# --- overrides ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_override_turns_a_weekday_into_a_holiday() -> None:
    override(dt.date(2025, 10, 9), is_working_day=False, note="台风停工")

    assert is_working_day(dt.date(2025, 10, 9)) is False
    assert add_working_days(dt.date(2025, 9, 30), 1) == dt.date(2025, 10, 10)


@pytest.mark.django_db
def test_an_override_turns_a_saturday_into_a_working_day() -> None:
    override(dt.date(2025, 10, 18), is_working_day=True, note="调休上班")

    assert is_working_day(dt.date(2025, 10, 18)) is True
    assert add_working_days(dt.date(2025, 10, 17), 1) == dt.date(2025, 10, 18)


@pytest.mark.django_db
def test_an_override_wins_over_a_holiday_chinese_calendar_knows() -> None:
    override(dt.date(2025, 10, 8), is_working_day=True)

    assert is_working_day(dt.date(2025, 10, 8)) is True


@pytest.mark.django_db
def test_a_deleted_override_no_longer_counts() -> None:
    row = override(dt.date(2025, 10, 9), is_working_day=False)
    assert is_working_day(dt.date(2025, 10, 9)) is False

    row.delete()
    calendar_changed()

    assert is_working_day(dt.date(2025, 10, 9)) is True


# --- years chinese-calendar does not know ---------------------------------------------------------


@pytest.mark.django_db
def test_a_year_nobody_entered_counts_monday_to_friday() -> None:
    assert is_working_day(dt.date(2027, 3, 3)) is True  # Wednesday
    assert is_working_day(dt.date(2027, 3, 6)) is False  # Saturday
    assert add_working_days(dt.date(2027, 3, 5), 1) == dt.date(2027, 3, 8)
    # Fri 1 January 2027 counts too: until an administrator enters 元旦, nobody knows it is off
    assert working_days_between(dt.date(2026, 12, 25), dt.date(2027, 1, 8)) == 10


@pytest.mark.django_db
def test_overrides_of_a_year_chinese_calendar_does_not_know_are_honoured() -> None:
    override(dt.date(2027, 2, 8), is_working_day=False, note="春节")
    override(dt.date(2027, 2, 20), is_working_day=True, note="调休上班")

    assert is_working_day(dt.date(2027, 2, 8)) is False
    assert is_working_day(dt.date(2027, 2, 20)) is True
    assert add_working_days(dt.date(2027, 2, 5), 1) == dt.date(2027, 2, 9)
    assert add_working_days(dt.date(2027, 2, 19), 1) == dt.date(2027, 2, 20)


@pytest.mark.django_db
def test_an_unknown_year_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="core.calendar"):
        add_working_days(dt.date(2031, 1, 1), 30)
        is_working_day(dt.date(2031, 6, 1))

    assert [record.getMessage()[:36] for record in caplog.records] == [
        "The holidays of 2031 are unknown: co"
    ]


@pytest.mark.django_db
def test_a_year_with_overrides_is_not_logged_as_unknown(caplog: pytest.LogCaptureFixture) -> None:
    override(dt.date(2032, 1, 1), is_working_day=False, note="元旦")

    with caplog.at_level(logging.WARNING, logger="core.calendar"):
        add_working_days(dt.date(2032, 1, 1), 30)

    assert caplog.records == []


# --- working_days_between -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start",
    [dt.date(2025, 9, 25), dt.date(2025, 9, 30), dt.date(2026, 2, 13), dt.date(2026, 12, 28)],
)
@pytest.mark.parametrize("days", [0, 1, 2, 5, 10, 20, 45])
def test_working_days_between_counts_what_add_working_days_added(start: dt.date, days: int) -> None:
    assert working_days_between(start, add_working_days(start, days)) == days


@pytest.mark.django_db
def test_working_days_between_counts_the_end_but_not_the_start() -> None:
    assert working_days_between(dt.date(2025, 9, 26), dt.date(2025, 9, 26)) == 0
    assert working_days_between(dt.date(2025, 9, 26), dt.date(2025, 9, 25)) == 0
    assert working_days_between(dt.date(2025, 9, 25), dt.date(2025, 9, 26)) == 1
    assert working_days_between(dt.date(2025, 9, 30), dt.date(2025, 10, 8)) == 0  # paused over 国庆
    assert working_days_between(dt.date(2025, 9, 26), dt.date(2025, 10, 12)) == 6


@pytest.mark.django_db
def test_working_days_between_sees_overrides() -> None:
    override(dt.date(2025, 10, 18), is_working_day=True)

    assert working_days_between(dt.date(2025, 10, 17), dt.date(2025, 10, 19)) == 1


# --- time of day ----------------------------------------------------------------------------------


def test_end_of_day_is_the_last_second_of_the_day_in_shanghai() -> None:
    moment = end_of_day(dt.date(2025, 10, 29))

    assert moment.tzinfo == SHANGHAI
    assert moment.utcoffset() == dt.timedelta(hours=8)
    assert moment == dt.datetime(2025, 10, 29, 15, 59, 59, tzinfo=dt.UTC)


def test_local_date_is_the_date_in_shanghai() -> None:
    assert local_date(dt.datetime(2025, 9, 30, 16, 30, tzinfo=dt.UTC)) == dt.date(2025, 10, 1)
    assert local_date(dt.datetime(2025, 9, 30, 15, 59, tzinfo=dt.UTC)) == dt.date(2025, 9, 30)


def test_local_date_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="naive"):
        local_date(dt.datetime(2025, 9, 30, 12, 0))  # noqa: DTZ001 - the mistake under test


def test_a_datetime_is_refused_where_a_date_is_expected() -> None:
    moment = dt.datetime(2025, 10, 9, 9, 0, tzinfo=SHANGHAI)

    with pytest.raises(TypeError, match="use local_date"):
        add_working_days(moment, 1)


# --- the cache ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_long_period_reads_the_overrides_once_and_then_not_again(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    override(dt.date(2025, 10, 18), is_working_day=True)

    with django_assert_num_queries(1):
        add_working_days(dt.date(2025, 1, 1), 250)
    with django_assert_num_queries(0):
        working_days_between(dt.date(2025, 1, 1), dt.date(2027, 12, 31))
        is_working_day(dt.date(2025, 10, 18))


@pytest.mark.django_db
def test_after_the_recheck_interval_an_unchanged_table_costs_one_small_query(
    monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    override(dt.date(2025, 10, 18), is_working_day=True)
    override(dt.date(2025, 10, 19), is_working_day=True)
    is_working_day(dt.date(2025, 10, 18))  # this process caches the table
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 0.0)

    with django_assert_num_queries(1) as context:  # the fingerprint matches: no reload
        is_working_day(dt.date(2025, 10, 18))

    assert "COUNT(" in context.captured_queries[0]["sql"].upper()


@pytest.mark.django_db
def test_a_change_made_by_another_process_is_seen_after_the_recheck_interval(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert is_working_day(dt.date(2025, 10, 9)) is True  # this process caches the table
    row = WorkdayOverride.objects.create(day=dt.date(2025, 10, 9), is_working_day=False)
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 0.0)  # the interval has passed

    assert is_working_day(dt.date(2025, 10, 9)) is False

    row.delete()

    assert is_working_day(dt.date(2025, 10, 9)) is True


# --- the admin ------------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(db: None) -> Client:
    client = Client()
    sign_in(
        client,
        staff_create(
            username="root", password="pw-root-1", real_name="管理员", roles=[], is_superuser=True
        ),
    )
    return client


def test_an_override_saved_in_the_admin_counts_after_commit(
    superuser_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    assert is_working_day(dt.date(2025, 10, 9)) is True

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:core_workdayoverride_add"),
            {"day": "2025-10-09", "note": "台风停工"},  # an unticked box: not a working day
        )

    assert response.status_code == 302
    assert is_working_day(dt.date(2025, 10, 9)) is False


def test_overrides_deleted_in_the_admin_no_longer_count(
    superuser_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    row = override(dt.date(2025, 10, 9), is_working_day=False)
    assert is_working_day(dt.date(2025, 10, 9)) is False

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:core_workdayoverride_changelist"),
            {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
        )

    assert response.status_code == 302
    assert is_working_day(dt.date(2025, 10, 9)) is True


def test_the_admin_lists_overrides_by_day(superuser_client: Client) -> None:
    override(dt.date(2027, 2, 8), is_working_day=False, note="春节")

    response = superuser_client.get(reverse("admin:core_workdayoverride_changelist"), {"q": "春节"})

    assert response.status_code == 200
    assert "2027年2月8日" in response.content.decode()
