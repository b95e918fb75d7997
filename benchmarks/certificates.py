"""Certificate issuance on real workers: PostgreSQL, Redis and `celery worker` processes on loopback.

    .venv/bin/python benchmarks/certificates.py [--count 1000] [--workers 2]

1. A fresh database (`tongban_bench_cert`) with the demo catalogue, certificate types and keys.
2. Calibration in the same run: the bare render rate (C_pdf), two processes rendering the demo
   certificate (template, QR code, WeasyPrint; no signing, storing or database), measured before
   and again right after the burst; the ratio is taken against the mean of both.
3. A burst: `--count` walk-in cases of 老年人优待证 filed at the window while no worker runs. Each is
   approved by 秒批 in its filing transaction, which writes a PENDING certificate (the outbox) and
   enqueues `certificates.issue`. Then `--workers` worker processes start (prefork, prefetch 1,
   acks late). The run ends when every certificate is VALID and every case COMPLETED (delivered).
   Reported: certificates/s sustained (first to last issue), the ratio to C_pdf, the task time
   the worker logged (p50/p95), worker start → "ready" → first certificate, approval → ready
   p50/p95, PDF sizes, lost or duplicated work.
4. Idle latency: with the workers running and idle, 20 cases filed one by one; approval → ready.

Figures go to stdout; paste them into docs/performance.md with the machine description.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
CELERY = str(ROOT / ".venv" / "bin" / "celery")

SETUP = r"""
import django, json, os, sys
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
os.environ["TONGBAN_DEMO"] = "1"  # a benchmark database is a demo machine
call_command("load_demo", verbosity=0)
"""

# Runs inside Django: file walk-in cases for the 秒批 matter, print timing as JSON.
FILE_CASES = r"""
import django, json, sys, time
django.setup()
from django.utils import timezone
from stdnum.cn import ric
from accounts.models import User
from applications.services import WalkIn, application_file_at_window
from matters.models import Matter

count, start_index, spacing = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
clerk = User.objects.get(username="clerk")
matter = Matter.objects.get(implementation_code="11440305MB7013496F4442010001000")

def resident_id(index):
    body = f"110105{1940 + index % 20}0101{100 + index // 20 % 900:03d}"  # over 60: 秒批
    return body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder check digit

# Each applicant has a portal account (no password: never signed in), so the certificate lands in a
# wallet and electronic delivery completes the case; a walk-in without one waits for the clerk.
from accounts.choices import UserKind
User.objects.bulk_create(
    [
        User(username=f"bench-c{i}", password="!", kind=UserKind.CITIZEN, real_name="李四",
             id_number=resident_id(i), mobile="13800138000")
        for i in range(start_index, start_index + count)
    ],
    ignore_conflicts=True,
)

started = time.perf_counter()
for i in range(start_index, start_index + count):
    number = resident_id(i)
    application_file_at_window(
        clerk=clerk, matter_id=matter.pk,
        applicant=WalkIn(name="李四", id_number=number, mobile="13800138000"),
        situation={"Q1": "Q1A", "Q2": "Q2A"},
        answers={"name": "李四", "id_number": number, "mobile": "13800138000",
                 "address": "深圳市南山区科技园", "household": "本区户籍"},
        uploads={}, paper=["M01", "M02"], delivery_method="ELECTRONIC", delivery_address="",
        now=timezone.now(), client_key=f"bench-{i}",
    )
    if spacing:
        time.sleep(spacing)
print(json.dumps({"seconds": time.perf_counter() - started}))
"""

TIMES = r"""
import django, json
django.setup()
from applications.models import Application
from certificates.models import Certificate
# issued_at is the task's start (its injected `now`); the row's updated_at is when the stored file,
# the VALID status and the delivery committed, i.e. when the citizen sees "ready".
rows = list(Certificate.objects.filter(status="VALID").order_by("updated_at")
            .values_list("requested_at", "updated_at", "size", "source_ref"))
print(json.dumps({
    "ready": [(r.timestamp(), u.timestamp(), s, u.timestamp()) for r, u, s, ref in rows],
}))
"""

RENDER = r"""
import django, sys, time
django.setup()
from certificates import rendering
html, css = rendering.default_template()
context = rendering.sample_context(template_html=html, template_css=css)
rendering.render_certificate(context)  # warm
pages = int(sys.argv[1])
start = time.perf_counter()
for _ in range(pages):
    rendering.render_certificate(context)
print(time.perf_counter() - start)
"""


def run_django(code: str, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "-c", code, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"step failed: {code.strip().splitlines()[2][:60]}")
    return result.stdout.strip().splitlines()[-1]


RENDER_PAGES = 40


def render_rate(env: dict[str, str], processes: int) -> float:
    """C_pdf: `processes` processes rendering RENDER_PAGES pages each, in parallel (pages/s)."""
    renderers = [
        subprocess.Popen([PYTHON, "-c", RENDER, str(RENDER_PAGES)], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]  # fmt: skip
    seconds = [float((p.communicate()[0] or "0").strip().splitlines()[-1]) for p in renderers]
    return processes * RENDER_PAGES / max(seconds)


TASK_DONE = re.compile(rb"Task certificates\.issue\[[^\]]+\] succeeded in ([0-9.]+)s")


def task_times(log: Path) -> list[float]:
    """How long each certificates.issue task ran, as the worker logged it (INFO)."""
    return [float(seconds) for seconds in TASK_DONE.findall(log.read_bytes())]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def wait_for(
    database_url: str, count: int, timeout: float, log: Path | None = None
) -> tuple[dict[str, int], float | None]:
    """Poll with plain SQL (a Django process per poll would steal the workers' CPU). Returns the
    certificate counts and when the worker log said "ready" (if a log is given)."""
    import psycopg

    deadline = time.monotonic() + timeout
    ready_at: float | None = None
    with psycopg.connect(database_url, autocommit=True) as connection:
        while True:
            if log is not None and ready_at is None and b" ready." in log.read_bytes():
                ready_at = time.time()
            rows = connection.execute(
                "SELECT status, count(*) FROM certificates_certificate GROUP BY status"
            ).fetchall()
            state = {str(status): int(n) for status, n in rows}
            done = connection.execute(
                "SELECT count(*) FROM applications_application WHERE status = 'COMPLETED'"
            ).fetchone()
            if (state.get("VALID", 0) >= count and done and done[0] >= count) or (
                time.monotonic() > deadline
            ):
                return state, ready_at
            time.sleep(0.05)


def messages_drain(database_url: str, timeout: float) -> int:
    """Wait until no e-mail or SMS row is QUEUED; return how many were sent."""
    import psycopg

    deadline = time.monotonic() + timeout
    with psycopg.connect(database_url, autocommit=True) as connection:
        while time.monotonic() < deadline:
            row = connection.execute(
                "SELECT count(*) FILTER (WHERE status = 'QUEUED'), count(*) FILTER (WHERE "
                "status = 'SENT' AND channel <> 'INBOX') FROM notifications_notification"
            ).fetchone()
            assert row is not None
            if row[0] == 0:
                return int(row[1])
            time.sleep(0.2)
    return -1


def start_workers(
    env: dict[str, str], workers: int, log: Path, queues: str = "celery"
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [CELERY, "-A", "portal", "worker", "-Q", queues, "--pool=prefork", f"--concurrency={workers}",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def main() -> None:
    import json

    import psycopg
    import redis

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default="tongban_bench_cert")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    args = parser.parse_args()

    from benchmarks.catalogue import machine_description
    from benchmarks.personal_data import KEYS_ENV

    media = Path(tempfile.mkdtemp(prefix="tongban-bench-cert-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "REDIS_URL": args.redis,
        "MEDIA_ROOT": str(media),
        "LOG_LEVEL": "WARNING",
        "SIGNING_KEY_PASSPHRASE": "bench-signing-passphrase",
        **KEYS_ENV,  # production settings require them
        "SMS_BACKEND": "core.sms.FileSmsBackend",
        "SMS_FILE_PATH": str(media / "sms.jsonl"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    with psycopg.connect(args.pg, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.database}"')
    redis.Redis.from_url(args.redis).flushdb()
    started = time.perf_counter()
    run_django(SETUP, env)
    os.environ.update(env)
    import django

    django.setup()
    for key, value in machine_description(args.redis).items():
        print(f"{key}: {value}")
    print(
        f"setup (migrate, demo catalogue, types, 24 signing keys): {time.perf_counter() - started:.1f} s"
    )

    c_pdf_before = render_rate(env, args.workers)
    print(f"C_pdf before the burst (bare render, {args.workers} processes x {RENDER_PAGES} pages): {c_pdf_before:.1f} pages/s")  # fmt: skip

    filing = json.loads(run_django(FILE_CASES, env, str(args.count), "0", "0"))
    print(
        f"filed {args.count} walk-in cases (秒批 → PENDING certificate + enqueue) in "
        f"{filing['seconds']:.1f} s = {args.count / filing['seconds']:.0f}/s; queue length "
        f"{redis.Redis.from_url(args.redis).llen('celery')} certificates + "
        f"{redis.Redis.from_url(args.redis).llen('notifications')} messages"
    )

    log = media / "worker.log"
    worker_started = time.time()
    worker = start_workers(env, args.workers, log)
    try:
        state, ready_at = wait_for(env["DATABASE_URL"], args.count, timeout=600, log=log)
        drained = time.time()
        times = json.loads(run_django(TIMES, env))["ready"]
        issued = [t[1] for t in times]
        sizes = [t[2] for t in times]
        burst_latency = [t[3] - t[0] for t in times]
        first_after_start = min(issued) - worker_started
        sustained = (len(issued) - 1) / (max(issued) - min(issued)) if len(issued) > 1 else 0.0
        print(f"state after the burst: {state}")
        # Measured again right after the burst, the machine's load being what it was: the ratio
        # is taken against the mean of both, so a load change during the run skews it less.
        c_pdf_after = render_rate(env, args.workers)
        c_pdf = (c_pdf_before + c_pdf_after) / 2
        print(f"C_pdf after the burst: {c_pdf_after:.1f} pages/s; mean C_pdf {c_pdf:.1f} pages/s")
        task_seconds = task_times(log)
        if task_seconds:
            print(
                f"task time in the worker (its log, {len(task_seconds)} tasks): p50 "
                f"{percentile(task_seconds, 0.5) * 1000:.0f} ms, p95 "
                f"{percentile(task_seconds, 0.95) * 1000:.0f} ms"
            )
        files = sum(1 for _ in (media / "certificates").rglob("*.pdf"))
        print(f"files on disk: {files} (certificates VALID: {state.get('VALID', 0)})")
        print(f"first certificate {first_after_start:.2f} s after the worker processes started")
        if ready_at is not None:
            print(
                f"worker ready {ready_at - worker_started:.2f} s after start; first certificate "
                f"{min(issued) - ready_at:.2f} s after ready (polled every 50 ms)"
            )
        print(
            f"sustained: {sustained:.1f} certificates/s = {sustained / c_pdf:.2f} x C_pdf; "
            f"whole burst drained {drained - worker_started:.1f} s after start"
        )
        print(
            f"approval → ready (case delivered), burst: p50 {percentile(burst_latency, 0.5):.1f} s, "
            f"p95 {percentile(burst_latency, 0.95):.1f} s (queue wait dominates)"
        )
        print(
            f"PDF size: median {statistics.median(sizes) / 1024:.0f} KB, max {max(sizes) / 1024:.0f} KB"
        )

        # Then the messages of those cases, on a worker pool of their own (docker-compose's notifier).
        notifier_started = time.time()
        notifier = start_workers(env, args.workers, media / "notifier.log", "notifications")
        sent = messages_drain(env["DATABASE_URL"], timeout=600)
        drain_seconds = time.time() - notifier_started
        print(
            f"messages sent by the notifier (2 processes): {sent} in {drain_seconds:.1f} s = {sent / drain_seconds:.0f}/s"
        )

        before = len(times)
        run_django(FILE_CASES, env, "20", str(args.count), "0.5")
        wait_for(env["DATABASE_URL"], args.count + 20, timeout=120)
        idle = json.loads(run_django(TIMES, env))["ready"][before:]
        idle_latency = [t[3] - t[0] for t in idle]
        print(
            f"approval → ready with idle workers ({len(idle_latency)} cases): "
            f"p50 {percentile(idle_latency, 0.5) * 1000:.0f} ms, p95 {percentile(idle_latency, 0.95) * 1000:.0f} ms"
        )
    finally:
        for process in (worker, locals().get("notifier")):
            if isinstance(process, subprocess.Popen):
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
