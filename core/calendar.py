"""The working-day calendar (工作日): Monday–Friday minus statutory holidays plus 调休 working weekends,
from the chinese-calendar package (the State Council's yearly notices)."""

import datetime as dt

import chinese_calendar


def is_working_day(day: dt.date) -> bool:
    """Return whether `day` is a working day; raises NotImplementedError beyond the known years."""
    return bool(chinese_calendar.is_workday(day))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """Return the date `days` working days after `start`; `start` itself is not counted (DOMAIN §3.1).

    With `days == 0` the answer is `start` (即办件: same day).
    """
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
