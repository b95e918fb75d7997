"""Tier 2 (`make chaos`) drills: restores that must bring back the files and the audit chain
(REL-BK-03, REL-BK-04), a response lost after commit (REL-ID-02), and a 1 GB upload streamed
through gunicorn (SEC-UP-01). Each runs on the chaos stack (tests/chaos/conftest.py)."""

import re
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from tests.chaos.conftest import Stack
from tests.chaos.drills_backup import backup_restore, backup_take, files_check, media_copy
from tests.chaos.drills_stream import RssSampler, stream_upload
from tests.chaos.proxy import FaultProxy
from tests.chaos.test_tier2 import table_counts
from tests.chaos.web import citizen_session
from tests.harness import stack as harness
from tests.harness.processes import children_of, wait_until

pytestmark = [pytest.mark.chaos, pytest.mark.tier2]
Record = Callable[[str, str, str, bool], None]

ANCHOR_KEY = "chaos-drill-anchor-key-0123456789abcdef"
RELAXED_LIMITS = {
    "CELERY_VISIBILITY_TIMEOUT": "300",
    "CELERY_TASK_TIME_LIMIT": "240",
    "CELERY_TASK_SOFT_TIME_LIMIT": "230",
}


def _issue(stack: Stack, ids: list[int]) -> None:
    """Send the certificates' tasks and wait until each is VALID (its PDF stored)."""
    for pk in ids:
        stack.send("certificates.issue", certificate_id=pk)

    def issued() -> bool:
        done = stack.value(
            "SELECT count(*) FROM certificates_certificate WHERE id = ANY(%s) AND status = 'VALID'",
            ids,
        )
        return int(done) == len(ids)

    wait_until(issued, timeout=300, interval=0.5, message=stack.logs)


# --- REL-BK-03: media consistency after restore ----------------------------------------------


def test_rel_bk_03_every_restored_row_finds_its_file_with_its_sha256(
    stack: Stack, record_figure: Record
) -> None:
    # The seed's layout takes seconds a PDF; on a loaded machine more than the harness's 10 s
    # soft limit. Limits are not what this drill tests: give the renders room.
    stack.worker(extra=RELAXED_LIMITS)
    certificates = stack.seed.certificates
    _issue(stack, certificates[:4])
    backup_dir = stack.workdir / "backup"
    # The backup: the dump first, then the media. A certificate stored in between is in the
    # copy but not in the dump: the one orphan the restore must report (and nothing else).
    backup = backup_take(stack, backup_dir, media=False)
    _issue(stack, certificates[4:5])
    media_copy(stack.media, backup.media)
    restored_media = stack.workdir / "restored-media"
    database = backup_restore(stack.cluster, backup, restored_media)
    try:
        check = files_check(stack.cluster, database, restored_media)
        env = stack.env | {
            "DATABASE_URL": stack.cluster.url(database),
            "MEDIA_ROOT": str(restored_media),
        }
        report = harness.manage(env, "reconcile_files", "--dry-run", "--grace-hours", "0")
        app_orphans = sum(int(n) for n in re.findall(r"would delete=(\d+)", report))
        app_missing = sum(int(n) for n in re.findall(r"missing=(\d+)", report))
        ok = check.ok and check.referenced > 0 and app_missing == 0 and len(check.orphans) == 1
        record_figure(
            "REL-BK-03",
            f"{check.referenced} files referenced by restored rows; {check.verified} present with "
            f"their sha256, {len(check.missing)} missing, {len(check.altered)} altered; "
            f"{len(check.orphans)} orphan (stored after the dump); reconcile_files agrees "
            f"({app_missing} missing, {app_orphans} orphan)",
            "every referenced file present, sha256 equal; orphans reported",
            ok,
        )
        assert check.missing == []
        assert check.altered == []
        assert check.verified == check.referenced > 400  # the seed's materials and the PDFs
        assert [name.split("/")[0] for name in check.orphans] == ["certificates"]
        assert (app_missing, app_orphans) == (0, len(check.orphans))
    finally:
        stack.cluster.drop_database(database)


# --- REL-BK-04: the audit chain after restore ------------------------------------------------


def _audit_activity(stack: Stack, base_url: str, client: int, drafts: int) -> None:
    """Audited requests: a citizen submits drafts (transitions) and downloads a material."""
    info = stack.seed.clients[client]
    session = citizen_session(stack, info)
    for pk in info["drafts"][:drafts]:
        reply = session.post(f"{base_url}/api/v1/applications/{pk}/submit/", json={}, timeout=30)
        assert reply.status_code == 200, reply.text
    application, material = stack.sql(
        "SELECT application_id, id FROM applications_applicationmaterial"
        " WHERE application_id = %s AND file <> '' ORDER BY id LIMIT 1",
        info["drafts"][0],
    )[0]
    reply = session.get(f"{base_url}/applications/{application}/materials/{material}/", timeout=30)
    assert reply.status_code == 200
    session.close()


def test_rel_bk_04_the_restored_audit_chain_verifies_against_the_anchor_at_t(
    stack: Stack, record_figure: Record
) -> None:
    anchors = stack.workdir / "anchors" / "audit-anchors.jsonl"  # off the database's disk
    env = stack.env | {"AUDIT_ANCHOR_KEY": ANCHOR_KEY, "AUDIT_ANCHOR_PATH": str(anchors)}
    server = stack.gunicorn()
    _audit_activity(stack, server.base_url, client=0, drafts=5)
    harness.manage(env, "audit_anchor")
    harness.manage(env, "audit_system_event", "backup", "--operator", "drill")
    at_t = int(stack.value("SELECT max(seq) FROM audit_auditevent"))
    backup = backup_take(stack, stack.workdir / "backup")  # T
    anchors_at_t = anchors.read_text()
    # After T: more activity, anchored too. The restore loses it; the later anchor says so.
    _audit_activity(stack, server.base_url, client=1, drafts=5)
    harness.manage(env, "audit_anchor")
    # audit_anchor records its own event after the anchored head: the anchor is at max - 1.
    anchored_later = int(stack.value("SELECT max(seq) FROM audit_auditevent")) - 1
    database = backup_restore(stack.cluster, backup, stack.workdir / "restored-media")
    try:
        restored = env | {"DATABASE_URL": stack.cluster.url(database)}
        restored_counts = table_counts(stack.cluster, database)
        harness.manage(restored, "audit_system_event", "restore", "--operator", "drill")
        t_anchors = stack.workdir / "anchors-at-t.jsonl"
        t_anchors.write_text(anchors_at_t)
        verdict = harness.manage(restored, "verify_audit_chain", "--anchors", str(t_anchors))
        later = _verify_fails(restored, anchors)
        missing = re.search(r"truncated: .*\((\d+) rows missing\)", later)
        lost = anchored_later - (at_t + 1)  # the restore's own event took seq at_t + 1
        ok = verdict.startswith("OK:") and missing is not None and int(missing[1]) == lost
        record_figure(
            "REL-BK-04",
            f"{restored_counts['audit_auditevent']} events restored (seq ≤ {at_t}), "
            f"+1 restore event: {verdict.strip()}; against the anchor taken after T "
            f"(seq {anchored_later}) it reports {missing[1] if missing else 'no'} rows missing",
            "verify_audit_chain OK against the anchored head at T",
            ok,
        )
        assert verdict.startswith(f"OK: {at_t + 1} events")
        assert missing is not None, later
        assert int(missing[1]) == lost
    finally:
        stack.cluster.drop_database(database)


def _verify_fails(env: dict[str, str], anchors: Path) -> str:
    """verify_audit_chain's complaint with the whole anchor file (it must exit non-zero)."""
    with pytest.raises(RuntimeError) as failed:
        harness.manage(env, "verify_audit_chain", "--anchors", str(anchors))
    return str(failed.value)


# --- REL-ID-02: the response is lost after commit; the client retries with the same key --------


def test_rel_id_02_a_retry_after_a_lost_response_replays_the_first_answer(
    stack: Stack, record_figure: Record
) -> None:
    server = stack.gunicorn()
    info = stack.seed.clients[0]
    applicant, matter = stack.sql(
        "SELECT a.applicant_id, m.implementation_code FROM applications_application a"
        " JOIN matters_matter m ON m.id = a.matter_id WHERE a.id = %s",
        info["drafts"][0],
    )[0]

    def drafts() -> int:
        return int(
            stack.value(
                "SELECT count(*) FROM applications_application WHERE applicant_id = %s", applicant
            )
        )

    def create(url: str, headers: dict[str, str]) -> requests.Response:
        session = citizen_session(stack, info)
        try:
            return session.post(
                f"{url}/api/v1/applications/", json={"matter": matter}, headers=headers, timeout=30
            )
        finally:
            session.close()

    before = drafts()
    key = {"Idempotency-Key": str(uuid.uuid4())}
    with FaultProxy("127.0.0.1", server.port) as proxy:
        proxy.drop_next_response()
        with pytest.raises(requests.ConnectionError):
            create(proxy.base_url, key)
        after_loss = drafts()
        lost_id = int(stack.value("SELECT max(id) FROM applications_application"))
        retry = create(proxy.base_url, key)
        after_retry = drafts()
        # The same fault without the key: the retry does the work again (a second draft). This
        # shows the fault is real and that the key, not luck, keeps it to one.
        proxy.drop_next_response()
        with pytest.raises(requests.ConnectionError):
            create(proxy.base_url, {})
        create(proxy.base_url, {})
        unkeyed = drafts() - after_retry
        dropped = proxy.stats.responses_dropped
        lost_answers = [head.split(b"\r\n", 1)[0].decode() for head in proxy.stats.dropped_heads]
    replayed = retry.headers.get("Idempotent-Replayed")
    same = retry.status_code == 201 and retry.json()["id"] == lost_id
    ok = after_loss == after_retry == before + 1 and same and replayed == "true"
    answers = ", ".join(sorted(set(lost_answers)))
    record_figure(
        "REL-ID-02",
        f"{dropped} answers ({answers}) reset after commit; with the key: {after_retry - before} "
        f"draft, retry {retry.status_code} replayed={replayed}, "
        f"{'the lost answer' if same else 'another answer'}; without the key: {unkeyed} drafts",
        "1 row; the retry returns the original result",
        ok,
    )
    assert lost_answers[0].endswith("201 Created"), stack.logs()  # the draft was made
    assert after_loss == before + 1  # committed before the answer was lost
    assert after_retry == before + 1
    assert (retry.status_code, replayed) == (201, "true")
    assert same  # the draft the lost answer described
    assert unkeyed == 2


# --- SEC-UP-01: 1 GB streamed through gunicorn ---------------------------------------------------

GIB = 1024**3
MIB = 1024**2
REFUSALS = (400, 411, 413)  # 411 Length Required: a chunked body the server will not read


def _stored_files(stack: Stack, temp: Path) -> int:
    return sum(1 for p in stack.media.rglob("*") if p.is_file()) + sum(
        1 for p in temp.rglob("*") if p.is_file()
    )


@pytest.mark.parametrize(
    ("variant", "declared", "decidable_after"),
    [
        pytest.param("Content-Length 1 GB", GIB, 0, id="content-length"),
        pytest.param("chunked", None, 0, id="chunked"),
        # Declared under the per-case cap, so the server reads: it must stop at the file limit.
        pytest.param("Content-Length 100 MB, 1 GB sent", 100 * MIB, 20 * MIB + 1, id="understated"),
    ],
)
def test_sec_up_01_a_1_gb_upload_is_refused_fast_in_little_memory_storing_nothing(
    stack: Stack,
    record_figure: Record,
    variant: str,
    declared: int | None,
    decidable_after: int,
) -> None:
    temp = stack.workdir / "upload-tmp"
    temp.mkdir()
    server = stack.gunicorn({"FILE_UPLOAD_TEMP_DIR": str(temp), "TMPDIR": str(temp)})
    info = stack.seed.clients[0]
    draft = info["drafts"][0]
    session = citizen_session(stack, info)
    headers = {
        "Cookie": "; ".join(f"{c.name}={c.value}" for c in session.cookies),
        "X-CSRFToken": str(session.headers["X-CSRFToken"]),
        "Accept": "application/json",
    }
    # Warm both workers up (imports, session, DRF) so the RSS measured is the upload's alone.
    for _ in range(6):
        session.post(
            f"{server.base_url}/api/v1/applications/{draft}/materials/",
            files={"x": b""},
            timeout=30,
        )
    session.close()
    rows = "SELECT count(*) FROM applications_applicationmaterial"
    rows_before, files_before = int(stack.value(rows)), _stored_files(stack, temp)
    workers = children_of(server.service.pid)
    sampler = RssSampler(workers).start()
    try:
        result = stream_upload(
            port=server.port,
            path=f"/api/v1/applications/{draft}/materials/",
            headers=headers,
            total=GIB,
            declared=declared,
            decidable_after=decidable_after,
        )
        time.sleep(0.5)  # a worker still cleaning up would show in the RSS and the temp dir
    finally:
        sampler.stop()
    growth = sampler.growth_mib()
    stored = _stored_files(stack, temp) - files_before
    new_rows = int(stack.value(rows)) - rows_before
    # A clear message is about the file (its size, or how it was sent), not a form field.
    clear = "文件" in result.detail()
    ok = (
        result.status in REFUSALS and clear and growth < 50
        and result.answer_seconds < 2 and stored == 0 and new_rows == 0
    )  # fmt: skip
    record_figure(
        f"SEC-UP-01 (1 GB, {variant})",
        f"{result.status} «{result.detail()}» after {result.sent_bytes / MIB:.0f} MB sent; "
        f"answered {result.answer_seconds:.2f} s after the server could decide; worker RSS "
        f"+{growth:.1f} MB; {stored} files, {new_rows} rows stored",
        "413/400/411 saying why; RSS < +50 MB; < 2 s; nothing stored",
        ok,
    )
    assert result.status in REFUSALS, result.body
    assert clear, result.detail()
    assert growth < 50
    assert result.answer_seconds < 2
    assert (stored, new_rows) == (0, 0)
    assert all(pid in children_of(server.service.pid) for pid in workers)  # no worker died
