"""Deadlines of a case in working days (DOMAIN §3.3), always aware datetimes at the end of a day.

    intake   = receipt + 5 WD                                   (第32条: 补正告知 or acceptance due)
    promise  = acceptance + promised limit + paused WD
    legal    = acceptance + statutory limit + extension + paused WD
    delivery = decision + 10 WD                                 (第44条)

Day one is the first working day after the event (民法典第201条); a deadline is the end of that day.
Limits in calendar days (自然日) add calendar days. A 即办件 is due the day it is accepted.
"""

import datetime as dt

from core import calendar
from matters.choices import CaseType, TimeUnit
from matters.models import MatterVersion

INTAKE_WORKING_DAYS = 5
DELIVERY_WORKING_DAYS = 10
MAX_EXTENSION_DAYS = 10  # 第42条: one extension of at most 10 days, approved by the organ's head


def _add(start: dt.date, days: int, unit: str) -> dt.date:
    if unit == TimeUnit.CALENDAR_DAYS:
        return start + dt.timedelta(days=days)
    return calendar.add_working_days(start, days)


def after_working_days(moment: dt.datetime, days: int) -> dt.datetime:
    """End of the working day that is `days` working days after `moment`'s local date."""
    return calendar.end_of_day(calendar.add_working_days(calendar.local_date(moment), days))


def intake_deadline(received_at: dt.datetime) -> dt.datetime:
    return after_working_days(received_at, INTAKE_WORKING_DAYS)


def delivery_deadline(decided_at: dt.datetime) -> dt.datetime:
    return after_working_days(decided_at, DELIVERY_WORKING_DAYS)


def promise_deadline(
    version: MatterVersion, accepted_at: dt.datetime, *, paused_days: int = 0
) -> dt.datetime:
    """The promised completion deadline (承诺办结期限); falls back to the statutory limit."""
    accepted_on = calendar.local_date(accepted_at)
    if version.case_type == CaseType.IMMEDIATE:
        return calendar.end_of_day(accepted_on)
    limit, unit = version.promised_limit, version.promised_unit
    if limit is None:
        limit, unit = version.statutory_limit or 20, version.statutory_unit
    due = _add(accepted_on, limit, unit)
    return calendar.end_of_day(calendar.add_working_days(due, paused_days))


def legal_deadline(
    version: MatterVersion, accepted_at: dt.datetime, *, paused_days: int = 0, extension: int = 0
) -> dt.datetime:
    """The statutory deadline (法定办结期限): 20 WD unless the matter says otherwise (第42条)."""
    accepted_on = calendar.local_date(accepted_at)
    if version.case_type == CaseType.IMMEDIATE:
        return calendar.end_of_day(accepted_on)
    limit = version.statutory_limit if version.statutory_limit is not None else 20
    due = _add(accepted_on, limit, version.statutory_unit)
    return calendar.end_of_day(calendar.add_working_days(due, paused_days + extension))


def working_days_paused(started_at: dt.datetime, ended_at: dt.datetime) -> int:
    """Working days a special procedure covered (start day excluded, end day included)."""
    return calendar.working_days_between(
        calendar.local_date(started_at), calendar.local_date(ended_at)
    )
