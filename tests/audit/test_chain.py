"""SEC-LOG-04: the audit log is a hash chain that `verify_audit_chain` recomputes; edits,
deletions and a cut-off tail are reported, and PostgreSQL refuses UPDATE, DELETE and TRUNCATE."""

import io
import threading
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError

import pgtrigger
import pytest

from audit.choices import AuditAction
from audit.models import AuditEvent
from audit.services import audit_record

TABLE = AuditEvent._meta.db_table


def verify(*args: str) -> str:
    """The command's output when it passes; raises CommandError (exit 1) otherwise."""
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit_chain", *args, stdout=out, stderr=err)
    return out.getvalue()


def verify_fails(*args: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit_chain", *args, stdout=io.StringIO(), stderr=err)
    return f"{failure.value}\n{err.getvalue()}"


def record(count: int) -> list[AuditEvent]:
    return [
        audit_record(
            action=AuditAction.CONFIG_CHANGE, object_type="test", object_id=n, detail={"n": n}
        )
        for n in range(count)
    ]


def raw(sql: str, params: list[str] | None = None) -> None:
    """Run SQL past the triggers (as a superuser who disabled them, or on SQLite)."""
    triggers = ("audit.AuditEvent:protect_updates", "audit.AuditEvent:protect_deletes")
    with pgtrigger.ignore(*triggers), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


@pytest.mark.django_db
def test_an_untouched_chain_verifies_with_its_count() -> None:
    record(5)

    assert verify() == "OK: 5 events (seq 1–5), 0 gaps, 0 forks\n"


@pytest.mark.django_db
def test_each_row_links_to_the_one_before() -> None:
    rows = record(3)

    assert rows[0].prev_hash == "0" * 64
    assert [row.prev_hash for row in rows[1:]] == [row.hash for row in rows[:-1]]
    assert [row.seq for row in rows] == [1, 2, 3]


@pytest.mark.django_db
def test_an_edited_detail_is_reported_at_exactly_its_seq() -> None:
    record(10)

    raw("UPDATE audit_auditevent SET detail = %s WHERE seq = 6", ['{"n": 99}'])

    report = verify_fails()
    assert "altered seq: [6]" in report
    assert "first altered row: seq 6" in report
    assert "gaps: none" in report


@pytest.mark.django_db
def test_a_deleted_middle_row_is_a_gap_at_its_seq() -> None:
    record(10)

    raw("DELETE FROM audit_auditevent WHERE seq = 4")

    report = verify_fails()
    assert "gap: seq 4–4 missing" in report
    assert "altered seq: none" in report


@pytest.mark.django_db
def test_a_cut_off_tail_is_detected_against_the_anchor(anchors: Path) -> None:
    record(30)
    call_command("audit_anchor", stdout=io.StringIO())  # anchors seq 30, then records seq 31
    assert "OK: 31 events" in verify()

    raw(
        "DELETE FROM audit_auditevent WHERE seq > 21"
    )  # the last 10 rows, as a TRUNCATE of the tail

    report = verify_fails()
    assert "records seq 30, but the chain ends at seq 21" in report
    # Without the anchors the shortened chain looks whole: the anchor is what catches it.
    assert "OK: 21 events" in verify("--no-anchors")


@pytest.mark.django_db
def test_a_forged_anchor_line_is_reported(anchors: Path) -> None:
    record(3)
    call_command("audit_anchor", stdout=io.StringIO())
    anchors.write_text(anchors.read_text().replace('"seq":3', '"seq":2'))

    assert "signature does not match" in verify_fails()


@pytest.mark.django_db
def test_anchor_refuses_to_run_without_a_key(settings: object) -> None:
    with pytest.raises(CommandError, match="AUDIT_ANCHOR_KEY"):
        call_command("audit_anchor", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_rolled_back_transaction_leaves_no_row_and_no_gap() -> None:
    record(2)

    @transaction.atomic
    def failing_transition() -> None:
        audit_record(action=AuditAction.CASE_TRANSITION, object_type="application", object_id=1)
        raise RuntimeError("the transition failed")

    with pytest.raises(RuntimeError):
        failing_transition()
    record(1)

    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3]
    assert "OK: 3 events" in verify()


# --- PostgreSQL: concurrency and the triggers -----------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sixteen_threads_append_a_contiguous_unforked_chain() -> None:
    threads, per_thread = 16, 63  # 1,008 events
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def work(index: int) -> None:
        try:
            barrier.wait()
            for n in range(per_thread):
                with transaction.atomic():
                    audit_record(
                        action=AuditAction.CONFIG_CHANGE,
                        object_type="thread",
                        object_id=index,
                        detail={"n": n},
                    )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()

    assert errors == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, threads * per_thread + 1))
    hashes = AuditEvent.objects.values_list("prev_hash", flat=True)
    assert len(set(hashes)) == threads * per_thread  # no two rows share a parent: 0 forks
    assert verify() == f"OK: {threads * per_thread} events (seq 1–1008), 0 gaps, 0 forks\n"


def _refused(sql: str) -> str:
    """Run `sql` in a savepoint; return the database's refusal ("" if it was allowed)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as exc:
        return str(exc)
    return ""


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_triggers_refuse_update_delete_and_truncate_even_for_a_superuser() -> None:
    row = record(3)[1]

    assert "Cannot update rows" in _refused(
        "UPDATE audit_auditevent SET detail = '{}' WHERE seq = 2"
    )
    assert "Cannot delete rows" in _refused("DELETE FROM audit_auditevent WHERE seq = 2")
    assert "Cannot truncate rows" in _refused("TRUNCATE audit_auditevent")

    row.refresh_from_db()
    assert row.detail == {"n": 1}
    assert AuditEvent.objects.count() == 3
    assert "OK: 3 events" in verify()


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_insert_and_select_only_role_can_append_but_not_change_anything() -> None:
    record(3)
    role = "tongban_audit_app_test"
    with connection.cursor() as cursor:  # CREATE ROLE is transactional: gone after the test
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT INSERT, SELECT ON audit_auditevent TO {role}")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"SET ROLE {role}")
    try:
        audit_record(action=AuditAction.CONFIG_CHANGE, object_type="as_app_role")
        update = _refused("UPDATE audit_auditevent SET detail = '{}' WHERE seq = 2")
        delete = _refused("DELETE FROM audit_auditevent WHERE seq = 2")
        truncate = _refused("TRUNCATE audit_auditevent")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")

    assert "permission denied" in update
    assert "permission denied" in delete
    assert "permission denied" in truncate
    assert AuditEvent.objects.get(seq=2).detail == {"n": 1}
    assert AuditEvent.objects.count() == 4
    assert "OK: 4 events" in verify()
