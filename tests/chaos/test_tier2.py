"""Tier 2 (`make chaos`): the long fault and restore scenarios of RELIABILITY §4.8–4.11 (the load
scenarios are in test_load.py). Each is bounded in count and time."""

import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
import requests

from tests.chaos.checks import certificate_problems, statuses
from tests.chaos.conftest import Stack
from tests.chaos.web import (
    SOCKET_TIMEOUT,
    citizen_session,
    drain_notifications,
    received,
    submit_all,
)
from tests.chaos.workers import wk01
from tests.harness import stack as harness
from tests.harness.pg import PgCluster, _as_postgres, _chown_to_postgres
from tests.harness.processes import run, wait_until

pytestmark = [pytest.mark.chaos, pytest.mark.tier2]
Record = Callable[[str, str, str, bool], None]


# --- REL-OB-02 at 1,000, freeze (a) and SIGTERM + restart (b) ----------------------------------


@pytest.mark.parametrize("variant", ["a: SIGSTOP 60 s", "b: SIGTERM, restart after 60 s"])
def test_rel_ob_02_redis_outage_during_1000_submissions(
    stack: Stack, record_figure: Record, variant: str
) -> None:
    total, outage = 1000, 60.0
    server = stack.gunicorn()
    stack.worker()
    if variant.startswith("a"):
        fault, recover = stack.redis.freeze, stack.redis.thaw
    else:
        fault, recover = stack.redis.terminate, stack.redis.start
    result, ids = submit_all(
        stack, server.base_url, total=total, fault_after=0.2, fault=fault, recover=recover,
        fault_seconds=outage,
    )  # fmt: skip
    rows = received(stack, ids)
    delivery = drain_notifications(stack, timeout=180)
    bound = SOCKET_TIMEOUT * 2 + 1
    ok = (
        result.created == total and rows == total and result.p99() < bound
        and delivery.exactly_once and delivery.seconds <= 180
    )  # fmt: skip
    record_figure(
        f"REL-OB-02 {variant}",
        f"{result.created}/{total} created, {rows} rows, p99 {result.p99():.2f} s, "
        f"{delivery.sink_sms} SMS, {delivery.duplicates} duplicates, {delivery.queued} queued, "
        f"drained in {delivery.seconds:.0f} s",
        f"{total}/{total}, p99 < {bound} s, exactly once ≤ 180 s",
        ok,
    )
    assert ok, stack.logs()


# --- REL-OB-03: Redis restarted with data loss while certificate tasks are queued --------------


def test_rel_ob_03_redis_losing_its_queue_is_repaired_by_the_sweeper(
    stack: Stack, record_figure: Record
) -> None:
    ids = stack.seed.certificates[:100]
    for pk in ids:
        stack.send("certificates.issue", certificate_id=pk)
    assert stack.redis.client().llen("celery") == len(ids)
    stack.redis.restart()  # no AOF, no save: every queued task is gone
    assert stack.redis.client().llen("celery") == 0
    stack.worker()
    start = time.monotonic()
    stack.send("certificates.issue_pending", older_than_seconds=0)  # the beat sweeper's run

    def issued() -> bool:
        return all(s == "VALID" for s, _ in statuses(stack, ids).values())

    wait_until(issued, timeout=600, interval=1, message=stack.logs)
    seconds = time.monotonic() - start
    problems = certificate_problems(stack, ids)
    record_figure(
        "REL-OB-03 (100 queued tasks lost)",
        f"{len(ids) - len(problems)}/{len(ids)} issued once after one sweep, {seconds:.0f} s",
        "all, 0 duplicates",
        not problems,
    )
    assert problems == []


# --- REL-WK-01 × 50 ---------------------------------------------------------------------------


def test_rel_wk_01_fifty_kills_mid_pdf(stack: Stack, record_figure: Record) -> None:
    runs, orphans = wk01(stack, runs=50)
    problems = [p for r in runs for p in r.problems]
    slowest = max(r.redelivery for r in runs)
    record_figure(
        "REL-WK-01 ×50",
        f"{sum(r.killed for r in runs)} kills; {len(problems)} problems; redelivery max "
        f"{slowest:.1f} s; {orphans} orphan files",
        "exactly once; redelivery < 5 s",
        not problems and slowest < 5,
    )
    assert problems == []
    assert slowest < 5


# --- REL-DB-02: PostgreSQL restarted during 200 in-flight submissions --------------------------


def test_rel_db_02_postgresql_restart_during_submissions(
    stack: Stack, record_figure: Record
) -> None:
    total = 200
    server = stack.gunicorn()
    stack.worker()
    seen: list[int] = []

    def restart() -> None:
        stack.cluster.restart("fast")

    result, ids = submit_all(
        stack, server.base_url, total=total, fault_after=0.3, fault=restart,
        recover=lambda: None, fault_seconds=0, retry_unavailable=True,
    )  # fmt: skip
    seen = [o.status for o in result.outcomes]
    rows = received(stack, ids)
    partial = stack.value(
        "SELECT count(*) FROM applications_application a WHERE a.id = ANY(%s)"
        " AND a.status <> 'DRAFT' AND NOT EXISTS (SELECT 1 FROM applications_applicationevent e"
        " WHERE e.application_id = a.id)",
        ids,
    )
    log = (stack.workdir / f"gunicorn-{server.port}.log").read_text(errors="replace")
    five_hundreds = seen.count(500) + log.count("Internal Server Error")
    ok = rows == total and partial == 0 and five_hundreds == 0
    record_figure(
        "REL-DB-02",
        f"{rows}/{total} cases, {partial} partial, {five_hundreds} × 500 "
        f"(client retries with the same draft: idempotent submit)",
        "exactly 200, 0 partial, 503 not 500",
        ok,
    )
    assert ok


# --- REL-DB-04: connection exhaustion ----------------------------------------------------------


def test_rel_db_04_connection_exhaustion_answers_503_and_recovers(
    stack: Stack, record_figure: Record
) -> None:
    server = stack.gunicorn({"CONN_MAX_AGE": "0"})  # a connection per request: they must queue
    max_connections = int(stack.cluster.scalar("SHOW max_connections"))
    reserved = int(stack.cluster.scalar("SHOW superuser_reserved_connections"))
    # Other services take every connection but the reserved ones (max_connections=20 in spirit).
    hogs: list[psycopg.Connection[object]] = []
    try:
        while True:
            try:
                hogs.append(psycopg.connect(stack.cluster.url(stack.database), connect_timeout=3))
            except psycopg.OperationalError:
                break
            if len(hogs) > max_connections:
                break
        outcomes: list[tuple[int, float, str]] = []
        lock = threading.Lock()
        stop = time.monotonic() + 10

        def client(index: int) -> None:
            session = citizen_session(stack, stack.seed.clients[index % len(stack.seed.clients)])
            while time.monotonic() < stop:
                start = time.monotonic()
                try:
                    reply = session.get(server.base_url + "/api/v1/applications/", timeout=30)
                    item = (
                        reply.status_code,
                        time.monotonic() - start,
                        reply.headers.get("Retry-After", ""),
                    )
                except requests.RequestException:
                    item = (0, time.monotonic() - start, "")
                with lock:
                    outcomes.append(item)

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(60)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        released = time.monotonic()
        for hog in hogs:
            hog.close()
    session = citizen_session(stack, stack.seed.clients[0])
    recovered = wait_until(
        lambda: session.get(server.base_url + "/api/v1/applications/", timeout=10).status_code == 200,
        timeout=60, interval=0.5,
    ) + (time.monotonic() - released) * 0  # fmt: skip
    codes = {code for code, _, _ in outcomes}
    unavailable = [o for o in outcomes if o[0] == 503]
    without_retry_after = sum(1 for o in unavailable if not o[2])
    slowest = max((s for _, s, _ in outcomes), default=0.0)
    ok = codes <= {200, 503} and without_retry_after == 0 and slowest <= 10 and recovered < 30
    record_figure(
        "REL-DB-04",
        f"{len(hogs)} connections held ({max_connections} max, {reserved} reserved); 60 clients: "
        f"{len(unavailable)} × 503, codes {sorted(codes)}, slowest {slowest:.1f} s, "
        f"recovered in {recovered:.1f} s",
        "503 + Retry-After, no hang > 10 s, recovers < 30 s",
        ok,
    )
    assert ok


# --- REL-BK-02: pg_dump -Fc → pg_restore -------------------------------------------------------


def table_counts(cluster: PgCluster, database: str) -> dict[str, int]:
    tables = [
        name
        for (name,) in cluster.rows(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
            database=database,
        )
    ]
    return {
        # The names come from pg_tables, not from input.
        t: int(cluster.scalar(f'SELECT count(*) FROM "{t}"', database=database))  # noqa: S608
        for t in tables
    }


def test_rel_bk_02_logical_dump_restores_every_row_and_no_migration_drift(
    stack: Stack, record_figure: Record
) -> None:
    cluster = stack.cluster
    dump = Path(cluster.root) / f"{stack.database}.dump"
    bin_ = cluster.bin
    start = time.monotonic()
    run(
        [str(bin_ / "pg_dump"), "-Fc", "-f", str(dump), cluster.url(stack.database)],
        **_as_postgres(),
    )
    listing = run([str(bin_ / "pg_restore"), "--list", str(dump)], **_as_postgres()).stdout
    restored = f"restored_{uuid.uuid4().hex[:8]}"
    cluster.create_database(restored, template="template0")
    try:
        run(
            [str(bin_ / "pg_restore"), "--no-owner", "-d", cluster.url(restored), str(dump)],
            **_as_postgres(),
        )
        seconds = time.monotonic() - start
        before, after = table_counts(cluster, stack.database), table_counts(cluster, restored)
        differing = sorted(t for t in before if before[t] != after.get(t))
        env = stack.env | {"DATABASE_URL": cluster.url(restored)}
        plan = harness.manage(env, "showmigrations", "--plan")
        unapplied = plan.count("[ ]")
        ok = not differing and unapplied == 0 and "TABLE DATA" in listing
        record_figure(
            "REL-BK-02",
            f"{len(before)} tables, {sum(before.values())} rows; {len(differing)} differ; "
            f"{unapplied} unapplied migrations; dump+restore {seconds:.1f} s",
            "counts equal, no drift",
            ok,
        )
        assert differing == []
        assert unapplied == 0
    finally:
        cluster.drop_database(restored)


# --- REL-BK-01: PITR drill -------------------------------------------------------------------


def test_rel_bk_01_point_in_time_recovery_drill(stack: Stack, record_figure: Record) -> None:
    """Base backup of a WAL-archiving cluster, activity, T, an "accident", restore to T."""
    archive = {
        "wal_level": "replica", "archive_mode": "on", "archive_timeout": "60",
        "archive_command": "'cp %p ../archive/%f'",
    }  # fmt: skip
    source = PgCluster(fsync=True, settings=archive, prefix="tongban-chaos-pitr-")
    restored: PgCluster | None = None
    try:
        source.init()
        source.start()
        dump = source.root / "seed.dump"
        run(
            [
                str(source.bin / "pg_dump"),
                "-Fc",
                "-f",
                str(dump),
                stack.cluster.url(stack.database),
            ],
            **_as_postgres(),
        )
        source.create_database("portal", template="template0")
        run(
            [str(source.bin / "pg_restore"), "--no-owner", "-d", source.url("portal"), str(dump)],
            **_as_postgres(),
        )
        base = source.root / "base"
        run([str(source.bin / "pg_basebackup"), "-d", source.url(), "-D", str(base), "-Fp", "-X", "stream", "-c", "fast"], **_as_postgres())  # fmt: skip
        verify = run([str(source.bin / "pg_verifybackup"), "-n", str(base)], **_as_postgres())
        # Activity after the backup, which only the archived WAL holds: a new table of 1,000 rows.
        source.execute(
            "CREATE TABLE chaos_after_backup AS SELECT g FROM generate_series(1, 1000) g",
            database="portal",
        )
        time.sleep(1)
        target = str(source.scalar("SELECT now()", database="portal"))
        snapshot = table_counts(source, "portal")
        time.sleep(1)
        source.execute("DELETE FROM notifications_notification", database="portal")  # the accident
        # The segment that holds the DELETE (and so every commit before T) must be in the archive.
        segment = str(source.scalar("SELECT pg_walfile_name(pg_switch_wal())"))
        wait_until(
            lambda: (source.archive / segment).exists(), timeout=60, interval=0.5,
            message=lambda: f"{segment} not archived: {source.logfile.read_text()[-2000:]}",
        )  # fmt: skip
        source.stop("fast")

        started = time.monotonic()
        restored = PgCluster(fsync=True, prefix="tongban-chaos-restored-")
        restored.data.parent.mkdir(exist_ok=True)
        run(["cp", "-a", str(base), str(restored.data)], **_as_postgres())
        _chown_to_postgres(restored.data)
        with (restored.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {restored.port}\nunix_socket_directories = '{restored.root}'\n"
                f"archive_mode = off\nrestore_command = 'cp {source.archive}/%f %p'\n"
                f"recovery_target_time = '{target}'\nrecovery_target_action = 'promote'\n"
            )
        (restored.data / "recovery.signal").touch()
        _chown_to_postgres(restored.data / "recovery.signal")
        restored.start()
        restored.ready()
        wait_until(
            lambda: restored.scalar("SELECT pg_is_in_recovery()") is False,
            timeout=120,
            interval=0.5,
        )
        after = table_counts(restored, "portal")
        rto = time.monotonic() - started
        differing = sorted(t for t in snapshot if snapshot[t] != after.get(t))
        plan = harness.manage(
            stack.env | {"DATABASE_URL": restored.url("portal")}, "showmigrations", "--plan"
        )
        ok = not differing and plan.count("[ ]") == 0 and verify.returncode == 0
        record_figure(
            "REL-BK-01 (PITR)",
            f"{len(snapshot)} tables, {snapshot.get('notifications_notification')} messages at T; "
            f"{len(differing)} tables differ after restore; RTO {rto:.0f} s",
            "counts at T equal; pg_verifybackup OK; RTO measured",
            ok,
        )
        assert differing == []
    finally:
        source.destroy()
        if restored is not None:
            restored.destroy()
