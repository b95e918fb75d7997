"""SEC-LOG-05: purge keeps every event younger than AUDIT_RETENTION_DAYS (at least 180 days);
the behaviour follows the setting, and the chain still verifies from the oldest row kept."""

import datetime as dt
import io

from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.utils import timezone

import pgtrigger
import pytest
import time_machine
from pytest_django import Settings

from audit.choices import AuditAction
from audit.models import AuditEvent
from audit.services import audit_purge, audit_record

pytestmark = pytest.mark.django_db

AGES = (400, 250, 195, 185, 179, 10, 0)  # days, oldest first (as they were written)


def write_events(now: dt.datetime) -> None:
    for days in AGES:
        with time_machine.travel(now - dt.timedelta(days=days), tick=False):
            audit_record(action=AuditAction.CONFIG_CHANGE, object_type="age", object_id=days)


def ages_left() -> list[int]:
    rows = AuditEvent.objects.filter(object_type="age").order_by("seq")
    return [int(age) for age in rows.values_list("object_id", flat=True)]


def test_purge_removes_only_events_older_than_180_days(settings: Settings) -> None:
    settings.AUDIT_RETENTION_DAYS = 180
    now = timezone.now()
    write_events(now)

    assert audit_purge(now=now) == 4

    assert ages_left() == [179, 10, 0]
    purge = AuditEvent.objects.get(action=AuditAction.AUDIT_PURGE)
    assert purge.detail["through_seq"] == 4
    assert purge.detail["retention_days"] == 180


def test_the_purge_follows_the_configured_retention(settings: Settings) -> None:
    settings.AUDIT_RETENTION_DAYS = 200  # changed from 180: 195 and 185 days old now stay
    now = timezone.now()
    write_events(now)

    assert audit_purge(now=now) == 2

    assert ages_left() == [195, 185, 179, 10, 0]


@pytest.mark.parametrize("days", [0, 30, 179])
def test_a_retention_under_180_days_is_refused_and_nothing_deleted(
    settings: Settings, days: int
) -> None:
    now = timezone.now()
    write_events(now)
    settings.AUDIT_RETENTION_DAYS = days

    with pytest.raises(ImproperlyConfigured, match="180"):
        audit_purge(now=now)
    with pytest.raises(CommandError, match="180"):
        call_command("audit_purge", stdout=io.StringIO())

    assert ages_left() == list(AGES)


def test_after_a_purge_the_chain_verifies_from_the_oldest_row_kept(settings: Settings) -> None:
    settings.AUDIT_RETENTION_DAYS = 180
    now = timezone.now()
    write_events(now)
    audit_purge(now=now)

    out = io.StringIO()
    call_command("verify_audit_chain", stdout=out)

    assert out.getvalue() == "OK: 4 events (seq 5–8), 0 gaps, 0 forks\n"


def test_removing_the_oldest_rows_without_a_purge_is_reported(settings: Settings) -> None:
    settings.AUDIT_RETENTION_DAYS = 180
    now = timezone.now()
    write_events(now)
    audit_purge(now=now)
    with pgtrigger.ignore("audit.AuditEvent:protect_deletes"):
        AuditEvent.objects.filter(seq=5).delete()  # beyond what the purge recorded

    with pytest.raises(CommandError, match="gaps"):
        call_command("verify_audit_chain", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_purge_command_reports_what_it_deleted(settings: Settings) -> None:
    settings.AUDIT_RETENTION_DAYS = 180
    write_events(timezone.now())
    out = io.StringIO()

    call_command("audit_purge", stdout=out)

    assert out.getvalue() == "Deleted 4 audit events older than 180 days\n"
