"""The working-day calendar (工作日) that every statutory period is counted in (DOMAIN §3.1, §3.3).

A day's status is decided, in this order, by:

1. a `WorkdayOverride` row, which administrators enter from the State Council's yearly holiday
   notice (a statutory holiday, or a 调休 working weekend);
2. the chinese-calendar package, for the years it knows (2004 to the year of its release);
3. Monday to Friday, for the years nobody has entered yet (logged once per year and process).

The overrides are a small table, so each process keeps all of it in memory rather than asking the
database once per counted day. Freshness rule:

* `calendar_changed()` makes this process read the table again on its next question. Whoever writes
  overrides calls it (the admin does, after commit); so do tests after creating rows.
* Other processes notice a change within `RECHECK_SECONDS`: they compare the table's fingerprint (row
  count, latest `updated_at`) with the one of their copy. A queryset `.update()` leaves `updated_at`
  alone and is only seen through `calendar_changed()`.
"""

import datetime as dt
import logging
import time
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

import chinese_calendar

from core.models import WorkdayOverride

logger = logging.getLogger(__name__)

RECHECK_SECONDS = 10.0

# chinese-calendar's own is_workday() scans all its data on every call to check the year (about
# 30 µs); counting 20 working days does that 30 times. Its public tables answer in a dict lookup.
_HOLIDAYS: Mapping[dt.date, object] = chinese_calendar.holidays
_WORKDAYS: Mapping[dt.date, object] = chinese_calendar.workdays
_KNOWN_YEARS = range(min(_HOLIDAYS).year, max(_HOLIDAYS).year + 1)

_Fingerprint = tuple[int, dt.datetime | None]


@dataclass(frozen=True)
class _Overrides:
    days: Mapping[dt.date, bool]
    years: frozenset[int]
    fingerprint: _Fingerprint


@dataclass
class _Cache:
    overrides: _Overrides | None = None
    checked_at: float = float("-inf")


_cache = _Cache()
_warned_years: set[int] = set()


def _fingerprint() -> _Fingerprint:
    row = WorkdayOverride.objects.aggregate(count=Count("pk"), changed_at=Max("updated_at"))
    return row["count"], row["changed_at"]


def _load() -> _Overrides:
    rows = list(WorkdayOverride.objects.values_list("day", "is_working_day", "updated_at"))
    return _Overrides(
        days={day: is_working for day, is_working, _changed_at in rows},
        years=frozenset(day.year for day, _is_working, _changed_at in rows),
        # computed from the rows themselves, so the copy and its fingerprint always agree
        fingerprint=(len(rows), max((changed_at for *_, changed_at in rows), default=None)),
    )


def _overrides() -> _Overrides:
    """This process's copy of the overrides: no query within RECHECK_SECONDS of the last check."""
    overrides = _cache.overrides
    now = time.monotonic()
    if overrides is not None and now - _cache.checked_at < RECHECK_SECONDS:
        return overrides
    if overrides is None or overrides.fingerprint != _fingerprint():
        overrides = _load()
        _cache.overrides = overrides
    _cache.checked_at = now
    return overrides


def calendar_changed() -> None:
    """Forget this process's copy of the overrides, so the next question reads the table again.

    Call it after adding, changing or deleting `WorkdayOverride` rows (after commit when inside a
    transaction: `transaction.on_commit(calendar_changed)`). Other processes follow within
    `RECHECK_SECONDS`.
    """
    _cache.overrides = None
    _cache.checked_at = float("-inf")


def _is_working(day: dt.date, overrides: _Overrides) -> bool:
    override = overrides.days.get(day)
    if override is not None:
        return override
    if day.year in _KNOWN_YEARS:  # the same rule as chinese_calendar.is_workday()
        return day in _WORKDAYS or (day.weekday() < 5 and day not in _HOLIDAYS)
    if day.year not in overrides.years and day.year not in _warned_years:
        _warned_years.add(day.year)
        logger.warning(
            "The holidays of %s are unknown: counting Monday to Friday as working days. "
            "Enter the year's holidays and working weekends as workday overrides in the admin.",
            day.year,
        )
    return day.weekday() < 5


def _require_date(day: dt.date) -> None:
    # A datetime is a date to the type checker but never equal to one: it would miss every override.
    if isinstance(day, dt.datetime):
        raise TypeError("Pass a date; use local_date() to get one from a datetime.")


def is_working_day(day: dt.date) -> bool:
    """Return whether `day` is a working day (overrides, then chinese-calendar, then Mon–Fri).

    :raises TypeError: if `day` is a datetime.
    """
    _require_date(day)
    return _is_working(day, _overrides())


def add_working_days(start: dt.date, days: int) -> dt.date:
    """Return the date `days` working days after `start`; `start` itself is not counted (DOMAIN §3.1).

    With `days == 0` (or less) the answer is `start` (即办件: same day). The deadline is the end of
    the returned day: `end_of_day(add_working_days(accepted_on, 20))`.

    :raises TypeError: if `start` is a datetime.
    """
    _require_date(start)
    overrides = _overrides()
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if _is_working(day, overrides):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Return the number of working days after `start` up to and including `end` (0 if `end <= start`).

    It measures, for example, how many working days a paused clock covered; for `days >= 0`,
    `working_days_between(start, add_working_days(start, days)) == days`.

    :raises TypeError: if `start` or `end` is a datetime.
    """
    _require_date(start)
    _require_date(end)
    overrides = _overrides()
    count = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        count += _is_working(day, overrides)
        day += dt.timedelta(days=1)
    return count


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)  # ZoneInfo keeps one instance per key


def end_of_day(day: dt.date) -> dt.datetime:
    """Return 23:59:59 of `day` in the portal's time zone (Asia/Shanghai), an aware datetime.

    Deadlines fall at the end of their working day (DOMAIN §3.1).

    :raises TypeError: if `day` is a datetime.
    """
    _require_date(day)
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=_zone())


def start_of_day(day: dt.date) -> dt.datetime:
    """Return 00:00 of `day` in the portal's time zone, an aware datetime (a day's first instant)."""
    _require_date(day)
    return dt.datetime.combine(day, dt.time.min, tzinfo=_zone())


def local_date(moment: dt.datetime) -> dt.date:
    """Return the calendar date of the aware `moment` in the portal's time zone (Asia/Shanghai).

    :raises ValueError: if `moment` is naive.
    """
    return timezone.localtime(moment, _zone()).date()
