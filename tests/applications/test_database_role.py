"""The run-time database role (`manage.py grant_app_role`): a whole case goes from submission to
completion under it, while the audit log refuses it UPDATE, DELETE and TRUNCATE even with the
protect triggers switched off for the session (what a compromised application could do)."""

import datetime as dt
import io
from collections.abc import Callable, Iterator

from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

import pgtrigger
import pytest
import time_machine
from pytest_django import Settings

from accounts.models import User
from applications import services
from applications.choices import Status
from applications.models import Application
from audit.choices import AuditAction
from audit.models import AuditEvent
from audit.services import audit_purge, audit_record
from tests.applications.conftest import NOW, pdf

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
ROLE = "tongban_app_test"
AUDIT = AuditEvent._meta.db_table


def _refused(sql: str) -> str:
    """Run `sql` in a savepoint with the audit triggers ignored; the refusal, or ""."""
    try:
        with (
            pgtrigger.ignore(
                "audit.AuditEvent:protect_updates",
                "audit.AuditEvent:protect_deletes",
                "audit.AuditEvent:protect_truncate",
            ),
            transaction.atomic(),  # inside: the savepoint is rolled back before ignore() resets
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    except DatabaseError as exc:
        return str(exc)
    return ""


@pytest.fixture
def as_app_role() -> Iterator[None]:
    with connection.cursor() as cursor:  # CREATE ROLE is transactional: gone after the test
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")
    call_command("grant_app_role", ROLE, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {ROLE}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def test_a_case_runs_end_to_end_under_the_app_role_and_is_audited(
    submitted: Callable[..., Application],
    clerk: User,
    reviewer: User,
    approver: User,
    applicant: User,
    as_app_role: None,
) -> None:
    before = AuditEvent.objects.count()
    application = submitted()
    services.application_accept(user=clerk, application_id=application.pk, now=NOW)
    services.application_step_pass(
        user=reviewer, application_id=application.pk, now=NOW, opinion="材料齐全，符合条件。"
    )
    services.application_material_upload(
        user=applicant, application_id=application.pk, material_key="M04", file=pdf(), now=NOW
    )
    services.application_approve(user=approver, application_id=application.pk, now=NOW)
    services.application_deliver(user=clerk, application_id=application.pk, now=NOW)

    application.refresh_from_db()
    assert application.status == Status.COMPLETED
    assert AuditEvent.objects.count() > before  # the transitions were recorded under the role


def test_the_app_role_cannot_change_or_remove_audit_events_even_without_the_triggers(
    submitted: Callable[..., Application], as_app_role: None
) -> None:
    submitted()
    assert AuditEvent.objects.exists()

    assert AUDIT == "audit_auditevent"
    for sql in (
        "UPDATE audit_auditevent SET detail = '{}'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
    ):
        assert "permission denied" in _refused(sql)
    # Everything else stays writable: a case row can still be changed and deleted.
    assert _refused("UPDATE applications_application SET updated_at = updated_at") == ""


def test_the_command_refuses_a_role_name_that_is_not_plain() -> None:
    with pytest.raises(CommandError, match="plain role name"):
        call_command("grant_app_role", "app; DROP TABLE x", stdout=io.StringIO())


def test_the_dry_run_lists_the_audit_log_as_append_only() -> None:
    out = io.StringIO()
    call_command("grant_app_role", ROLE, "--dry-run", stdout=out)

    assert f'REVOKE UPDATE, DELETE, TRUNCATE ON "{AUDIT}" FROM {ROLE}' in out.getvalue()


def test_the_app_role_purges_old_events_only_through_the_owners_function(
    settings: Settings, as_app_role: None
) -> None:
    settings.AUDIT_RETENTION_DAYS = 180
    now = timezone.now()
    for days in (400, 200, 10):
        with time_machine.travel(now - dt.timedelta(days=days), tick=False):
            audit_record(action=AuditAction.CONFIG_CHANGE, object_type="age", object_id=days)

    assert audit_purge(now=now) == 2  # as the app role, which has no DELETE on the table

    ages = AuditEvent.objects.filter(object_type="age").values_list("object_id", flat=True)
    assert list(ages) == ["10"]
    young = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    # A compromised application calling the function itself gets no further than the law allows.
    assert "younger than 180 days" in _refused(f"SELECT audit_purge_through({young}, 180)")
    assert "at least 180 days" in _refused(f"SELECT audit_purge_through({young}, 30)")
    assert AuditEvent.objects.filter(object_type="age").count() == 1
