"""Tier 2 worker and file faults: REL-WK-06 (a task that outlives the visibility timeout, without
and with the certificates' idempotency guard) and REL-FS-01 (kill -9 in the middle of a certificate
write and of a 15 MB upload, then `manage.py reconcile_files`).

The faults come from the harness's test-only hooks (tests/harness/celery_entry.py): a slow renderer,
issuing without its guard, and a write cut off by SIGKILL."""

import os
import secrets
import signal
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.applications.pdfs import pdf_bytes
from tests.chaos.checks import certificate_problems, statuses
from tests.chaos.conftest import Stack
from tests.chaos.web import citizen_session
from tests.harness import stack as harness
from tests.harness.processes import children_of, wait_until

pytestmark = [pytest.mark.chaos, pytest.mark.tier2]
Record = Callable[[str, str, str, bool], None]

VISIBILITY_TIMEOUT = 3
TASK_SECONDS = 8
MAX_ATTEMPTS = 5  # CERTIFICATE_MAX_ATTEMPTS's default


# --- REL-WK-06: a task longer than the visibility timeout ---------------------------------------


def long_task_workers(stack: Stack, *, guarded: bool) -> Path:
    """Two workers (-c 1 each) with VT 3 s and an 8-s render; returns the render log."""
    renders = stack.workdir / "renders.log"
    extra = {
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        # Above the VT on purpose: the invariant REL-WK-04 checks is what this scenario breaks.
        "CELERY_TASK_SOFT_TIME_LIMIT": "30",
        "CELERY_TASK_TIME_LIMIT": "40",
        "CHAOS_SLOW_RENDER_SECONDS": str(TASK_SECONDS),
        "CHAOS_RENDER_LOG": str(renders),
    }
    if not guarded:
        extra["CHAOS_UNGUARDED"] = "1"
    for name in ("a", "b"):
        stack.worker(name=name, queues="celery", concurrency=1, extra=extra)
    return renders


def pdfs_written(stack: Stack, certificate_id: int) -> list[Path]:
    """The PDF files on disk for one certificate (named by its serial; a second write of the same
    name gets a suffix)."""
    identifier = stack.value(
        "SELECT identifier FROM certificates_certificate WHERE id = %s", certificate_id
    )
    serial = identifier.split(".")[-3]
    folder = stack.media / "certificates"
    return sorted(folder.rglob(f"{serial}*.pdf")) if folder.exists() else []


def lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_rel_wk_06_without_the_guard_a_long_task_is_executed_twice(
    stack: Stack, record_figure: Record
) -> None:
    """Documents the risk: the message comes back after the VT while its task still runs, the
    other worker runs it again, and a naive task stores a second signed PDF."""
    certificate = stack.seed.certificates[0]
    renders = long_task_workers(stack, guarded=False)
    started = time.monotonic()
    stack.send("certificates.issue", certificate_id=certificate)
    wait_until(
        lambda: len(pdfs_written(stack, certificate)) >= 2,
        timeout=60,
        interval=0.2,
        message=stack.logs,
    )
    seconds = time.monotonic() - started
    # Without the guard the copies never stop: each run outlives the VT and comes back again.
    for worker in list(stack.stoppables):
        worker.stop()
    files = pdfs_written(stack, certificate)
    referenced = stack.value("SELECT file FROM certificates_certificate WHERE id = %s", certificate)
    stale = [f for f in files if str(f.relative_to(stack.media)) != referenced]
    record_figure(
        "REL-WK-06 without the guard (VT 3 s, 8-s task, 2 workers)",
        f"{lines(renders)} runs, {len(files)} signed PDFs stored for 1 certificate within "
        f"{seconds:.0f} s; {len(stale)} no longer the one the row points at",
        "reproduces duplicate execution (documents the risk)",
        len(files) >= 2,
    )
    assert len(files) >= 2
    assert stale, "the row points at the last copy: the earlier one, maybe downloaded, is stale"


def test_rel_wk_06_with_the_guard_a_long_task_has_one_effect(
    stack: Stack, record_figure: Record
) -> None:
    certificate = stack.seed.certificates[0]
    renders = long_task_workers(stack, guarded=True)
    redis = stack.redis.client()
    stack.send("certificates.issue", certificate_id=certificate)
    wait_until(
        lambda: statuses(stack, [certificate])[certificate][0] == "VALID",
        timeout=90,
        interval=0.2,
        message=stack.logs,
    )

    def settled() -> bool:
        # Every copy taken and acknowledged: nothing queued, nothing held by a worker.
        return redis.llen("celery") == 0 and redis.hlen("unacked") == 0

    wait_until(settled, timeout=90, interval=0.2, message=stack.logs)
    time.sleep(VISIBILITY_TIMEOUT + 2)  # a copy still to come back would be restored by now
    wait_until(settled, timeout=60, interval=0.2, message=stack.logs)
    runs = lines(renders)
    files = pdfs_written(stack, certificate)
    problems = certificate_problems(stack, [certificate])
    attempts = statuses(stack, [certificate])[certificate][1]
    deliveries = sum(
        worker.log_text().count(" received")
        for worker in stack.stoppables
        if isinstance(worker, harness.Worker)
    )
    ok = runs >= 2 and len(files) == 1 and not problems and attempts <= MAX_ATTEMPTS
    record_figure(
        "REL-WK-06 with the guard (VT 3 s, 8-s task, 2 workers)",
        f"{deliveries} deliveries, {runs} renders, {len(files)} PDF stored, "
        f"{len(problems)} problems",
        "1 effect",
        ok,
    )
    assert runs >= 2, "the task was not run twice: the scenario did not happen"
    assert len(files) == 1
    assert problems == []  # VALID, its file's sha256 matches, the case delivered once


# --- REL-FS-01: kill -9 mid-write, then reconcile ----------------------------------------------


def reconcile(stack: Stack, extra: dict[str, str] | None = None) -> str:
    """`manage.py reconcile_files` with no grace period (the partials are seconds old); it exits
    non-zero (and `manage` raises) when a referenced file is missing or altered. `extra`: the
    environment the web workers ran with (their FILE_UPLOAD_TEMP_DIR), as a deployment shares it."""
    env = stack.env | (extra or {})
    return harness.manage(env, "reconcile_files", "--grace-hours", "0", timeout=120)


def test_rel_fs_01_a_worker_killed_while_writing_the_pdf_leaves_no_served_partial(
    stack: Stack, record_figure: Record
) -> None:
    certificate = stack.seed.certificates[0]
    marker = stack.workdir / "killed-mid-write"
    worker = stack.worker(extra={"CHAOS_KILL_MID_WRITE": str(marker)})
    stack.send("certificates.issue", certificate_id=certificate)
    wait_until(
        lambda: statuses(stack, [certificate])[certificate][0] == "VALID",
        timeout=90,
        interval=0.1,
        message=stack.logs,
    )
    assert marker.exists(), "the write was not cut off: the scenario did not happen"
    assert "SIGKILL" in worker.log_text()
    written = pdfs_written(stack, certificate)
    partials = [f for f in written if not f.read_bytes().rstrip().endswith(b"%%EOF")]
    referenced = stack.value("SELECT file FROM certificates_certificate WHERE id = %s", certificate)
    partial_referenced = any(str(f.relative_to(stack.media)) == referenced for f in partials)
    output = reconcile(stack)
    left = pdfs_written(stack, certificate)
    problems = certificate_problems(stack, [certificate])
    ok = len(partials) == 1 and len(left) == 1 and not problems and not partial_referenced
    record_figure(
        "REL-FS-01 (worker killed writing the certificate PDF)",
        f"{len(written)} files after the redelivery ({len(partials)} half-written), {len(left)} after "
        f"reconcile_files; {len(problems)} problems; partial referenced: {partial_referenced}",
        "every reference exists with its sha256; partial removed; 0 served partial",
        ok,
    )
    assert len(partials) == 1, output
    assert not partial_referenced
    assert len(left) == 1, output
    assert problems == []


UPLOAD_BYTES = 15 * 1024 * 1024


def large_pdf() -> bytes:
    """A valid PDF of about 15 MB: one stream of hex digits (no "/", so no forbidden names)."""
    return pdf_bytes(contents=secrets.token_hex(UPLOAD_BYTES // 2).encode())


def multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[str, bytes]:
    boundary = secrets.token_hex(12)
    body = bytearray()
    for key, value in fields.items():
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        ).encode()
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    body += content + f"\r\n--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", bytes(body)


def media_files(stack: Stack) -> set[str]:
    folder = stack.media / "applications"
    return (
        {str(p.relative_to(stack.media)) for p in folder.rglob("*") if p.is_file()}
        if folder.exists()
        else set()
    )


def test_rel_fs_01_a_web_worker_killed_mid_upload_leaves_no_served_partial(
    stack: Stack, record_figure: Record
) -> None:
    temp = stack.workdir / "upload-tmp"
    temp.mkdir()
    server = harness.Gunicorn(
        stack.env | {"FILE_UPLOAD_TEMP_DIR": str(temp)}, stack.workdir, workers=1
    )
    stack.stoppables.append(server)
    server.start()
    client = stack.seed.clients[0]
    draft = client["drafts"][0]
    session = citizen_session(stack, client)
    path = f"/api/v1/applications/{draft}/materials/"
    rows_before = stack.value("SELECT count(*) FROM applications_applicationmaterial")
    files_before = media_files(stack)
    content = large_pdf()
    content_type, body = multipart({"material_key": "M01"}, "big.pdf", content)

    # Half the body over a raw socket, then kill -9 the gunicorn worker reading it.
    cookies = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nCookie: {cookies}\r\n"
        f"X-CSRFToken: {session.headers['X-CSRFToken']}\r\nAccept: application/json\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    (web_worker,) = children_of(server.service.pid)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(head)
        half = len(body) // 2
        for start in range(0, half, 256 * 1024):
            connection.sendall(body[start : min(start + 256 * 1024, half)])
        wait_until(lambda: any(temp.iterdir()), timeout=30, interval=0.05, message=stack.logs)
        os.kill(web_worker, signal.SIGKILL)
        killed = time.monotonic()
    wait_until(
        lambda: children_of(server.service.pid) not in ([], [web_worker]),
        timeout=30,
        interval=0.1,
        message=stack.logs,
    )
    wait_until(server.healthy, timeout=60, interval=0.2, message=stack.logs)
    replaced = time.monotonic() - killed
    partial_bodies = sorted(p.name for p in temp.iterdir())
    new_rows = stack.value("SELECT count(*) FROM applications_applicationmaterial") - rows_before
    new_media = media_files(stack) - files_before

    # The same upload, complete, on the replacement worker; then what is served is all of it.
    reply = session.post(
        server.base_url + path,
        data={"material_key": "M01"},
        files={"file": ("big.pdf", content, "application/pdf")},
        timeout=120,
    )
    assert reply.status_code == 201, reply.text[:500]
    material = reply.json()
    served = session.get(
        f"{server.base_url}/applications/{draft}/materials/{material['id']}/", timeout=60
    )
    served_ok = served.status_code == 200 and served.content == content
    output = reconcile(stack, {"FILE_UPLOAD_TEMP_DIR": str(temp)})
    # Django spooled the killed request's body to FILE_UPLOAD_TEMP_DIR (outside MEDIA_ROOT, never
    # served); a kill -9 leaves it there, and it is a partial the GC must remove too.
    left_in_temp = sorted(p.name for p in temp.iterdir())
    ok = new_rows == 0 and not new_media and served_ok and not left_in_temp
    record_figure(
        "REL-FS-01 (web worker killed mid-upload, 15 MB)",
        f"{new_rows} rows and {len(new_media)} media files from the killed request; worker back "
        f"in {replaced:.1f} s; the retried upload served whole: {served_ok}; partial request "
        f"bodies in FILE_UPLOAD_TEMP_DIR: {len(partial_bodies)}, after reconcile_files "
        f"{len(left_in_temp)}",
        "every reference exists with its sha256; partials removed; 0 served partial",
        ok,
    )
    assert new_rows == 0
    assert new_media == set()  # not even a hidden .part: the kill came before the store
    assert served_ok, (served.status_code, len(served.content))
    assert "applications: referenced=" in output
    assert partial_bodies, "no request body was being spooled: the kill came too early or late"
    assert left_in_temp == [], "reconcile_files left the killed request's spooled body"
