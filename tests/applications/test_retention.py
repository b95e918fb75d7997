"""Retention (RELIABILITY SEC-DP-04): closed cases past APPLICATION_RETENTION_DAYS are anonymised
and their uploaded files deleted; younger or open cases, the trail and the audit rows stay."""

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from django.core.management import call_command
from django.db import connection

import pytest
import time_machine
from pytest_django import Settings

from accounts.models import User
from applications import services
from applications.models import Application, ApplicationEvent, ApplicationMaterial
from applications.retention import applications_anonymise_due
from applications.tasks import anonymise_closed_cases_task
from core.crypto import encrypted_fields
from tests.applications.conftest import NOW, stored_uploads

RETENTION_DAYS = 1095
Make = Callable[..., Application]


def closed_case(submitted: Make, applicant: User, *, closed: dt.datetime) -> Application:
    """A food-licence case (two uploads) filed and withdrawn at `closed`."""
    case = submitted(now=closed)
    return services.application_withdraw(user=applicant, application_id=case.pk, now=closed)


def identity(application_id: int) -> tuple[str, str, str]:
    case = Application.objects.get(pk=application_id)
    return case.applicant_name, case.applicant_id_number, case.applicant_mobile


@pytest.fixture(autouse=True)
def _retention(settings: Settings) -> None:
    settings.APPLICATION_RETENTION_DAYS = RETENTION_DAYS


def test_the_job_anonymises_old_closed_cases_and_deletes_exactly_their_files(
    submitted: Make, applicant: User, media_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = [closed_case(submitted, applicant, closed=NOW + dt.timedelta(days=i)) for i in (0, 1)]
    young = closed_case(submitted, applicant, closed=NOW + dt.timedelta(days=400))
    open_case = submitted(now=NOW)  # received, never closed
    files_before = stored_uploads(media_root)
    old_files = {
        str(name)
        for name in ApplicationMaterial.objects.filter(application__in=old)
        .exclude(file="")
        .values_list("file", flat=True)
    }
    events_before = ApplicationEvent.objects.count()
    young_identity = identity(young.pk)

    with time_machine.travel(NOW + dt.timedelta(days=RETENTION_DAYS + 2), tick=False):
        call_command("anonymise_closed_cases")

    assert len(old_files) == 4
    assert sorted(set(files_before) - old_files) == stored_uploads(media_root)
    assert len(stored_uploads(media_root)) == len(files_before) - 4
    assert "2 cases closed before" in capsys.readouterr().out
    for case in old:
        assert identity(case.pk) == ("李*", "", "")
        row = Application.objects.get(pk=case.pk)
        assert row.anonymised_at is not None
        # Only closed answers survive: what was asked, not who asked.
        assert row.answers == {"area": "80", "category": "热食类"}
        materials = ApplicationMaterial.objects.filter(application=case)
        assert materials.count() == 4  # the rows (and their SHA-256) stay
        assert set(materials.values_list("file", "original_name").distinct()) == {("", "")}
    assert identity(young.pk) == young_identity
    assert Application.objects.get(pk=open_case.pk).anonymised_at is None
    assert ApplicationEvent.objects.count() == events_before  # the trail stays whole


def test_running_again_changes_nothing(submitted: Make, applicant: User, media_root: Path) -> None:
    case = closed_case(submitted, applicant, closed=NOW)
    later = NOW + dt.timedelta(days=RETENTION_DAYS + 1)

    first = applications_anonymise_due(now=later, batch_size=1)
    stamped = Application.objects.get(pk=case.pk).anonymised_at
    second = applications_anonymise_due(now=later + dt.timedelta(days=1))

    assert (first.cases, first.files_deleted) == (1, 2)
    assert (second.cases, second.files_deleted) == (0, 0)
    assert Application.objects.get(pk=case.pk).anonymised_at == stamped


def test_a_case_one_day_short_of_retention_is_kept(
    submitted: Make, applicant: User, media_root: Path
) -> None:
    case = closed_case(submitted, applicant, closed=NOW)

    with time_machine.travel(NOW + dt.timedelta(days=RETENTION_DAYS - 1), tick=False):
        done = anonymise_closed_cases_task()

    assert done == 0
    assert identity(case.pk)[0] == "李四"
    assert len(stored_uploads(media_root)) == 2


def test_the_setting_moves_the_cut_off(
    submitted: Make, applicant: User, media_root: Path, settings: Settings
) -> None:
    case = closed_case(submitted, applicant, closed=NOW)
    now = NOW + dt.timedelta(days=200)

    kept = applications_anonymise_due(now=now).cases
    settings.APPLICATION_RETENTION_DAYS = 180
    done = applications_anonymise_due(now=now).cases

    assert (kept, done) == (0, 1)
    assert identity(case.pk) == ("李*", "", "")


def test_every_encrypted_column_holds_ciphertext(submitted: Make, applicant: User) -> None:
    """A raw SELECT of each encrypted column of every model: no ID number, no mobile."""
    submitted(now=NOW)
    seen = 0
    for model in (User, Application):
        columns = [f.column for f in encrypted_fields(model) if f.column]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(columns)} FROM {model._meta.db_table}")  # noqa: S608
            values = [str(value) for row in cursor.fetchall() for value in row if value]
        seen += len(values)
        for value in values:
            assert value.startswith("gAAAAA")
            assert not re.search(r"(?<![A-Za-z0-9])\d{17}[\dX](?![A-Za-z0-9])", value)
            assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", value)
    assert seen == 4  # the applicant's ID number and mobile, on the account and on the case
