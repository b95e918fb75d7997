"""Applications benchmark (issue 3): citizens submitting 办件 through the API, with and without
uploads, a clerk's queue over a million cases, and the raw PostgreSQL ceiling, all in one run on
the production stack (gunicorn, PostgreSQL with synchronous_commit on, Redis). See
benchmarks/README.md.

    .venv/bin/python benchmarks/applications.py             # reuses tongban_bench when seeded
    .venv/bin/python benchmarks/applications.py --reseed    # drop it and seed again (~2 minutes)

The load generator is a small asyncio HTTP/1.1 client (stdlib only): each of the --clients is a
signed-in citizen with its own cookies and CSRF token, looping over whole submissions for
--warmup + --duration seconds. Only what ends inside the measured window counts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import json
import math
import multiprocessing
import os
import pstats
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

from benchmarks.catalogue import (  # noqa: E402 (after the sys.path line above)
    GUNICORN_CONFIG,
    Server,
    environment,
    gunicorn_has_control_socket,
    local_now,
    log,
    machine_description,
    percentile,
    server_memory,
    stop_server,
    verdict,
    wait_ready,
)
from benchmarks.personal_data import KEYS_ENV  # noqa: E402

SEED_VERSION = "tongban-applications-seed-3"  # change when seed_applications.py changes its data
RESULTS = ROOT / "benchmarks" / "results"
DOCS = ROOT / "docs" / "performance.md"
DOCS_HEADING = "## Applications (issue 3)"
JSON_TYPE = "application/json"
REQUEST_TIMEOUT = 30.0

# Targets of issue 3.
FORM_TARGET_RATE, FORM_TARGET_P99_MS = 300.0, 100.0
UPLOAD_TARGET_RATE = 100.0
QUEUE_TARGET_P95_MS = 100.0

# Server configurations tried before the journeys (the fastest without errors is used).
SWEEP: tuple[tuple[str, int, int], ...] = (("sync", 2, 1), ("sync", 4, 1), ("sync", 6, 1),
                                           ("gthread", 2, 4))  # fmt: skip


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    applications: int
    reseed: bool
    database: str
    clients: int
    duration: float
    warmup: float
    worker_class: str | None
    workers: int | None
    threads: int
    sweep_seconds: float
    calibration_seconds: float
    port: int
    pg_admin_url: str
    redis_url: str
    queue_requests: int
    queue_concurrency: int
    queue_seconds: float
    ceiling_connections: int
    ceiling_seconds: float
    upload_bytes: int
    profile: bool
    docs: bool

    @property
    def database_url(self) -> str:
        parts = urllib.parse.urlsplit(self.pg_admin_url)
        return urllib.parse.urlunsplit(parts._replace(path=f"/{self.database}"))


def parse_args(argv: Sequence[str] | None = None) -> Config:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--applications", type=int, default=1_000_000, help="cases to seed (1000000)")
    p.add_argument("--reseed", action="store_true", help="drop the database and seed it again")
    p.add_argument("--database", default="tongban_bench", help="benchmark database (tongban_bench)")
    p.add_argument("--clients", type=int, default=16, help="concurrent citizens (16)")
    p.add_argument("--duration", type=float, default=20, help="measured seconds per journey (20)")
    p.add_argument("--warmup", type=float, default=3, help="warm-up seconds per journey (3)")
    p.add_argument("--worker-class", choices=("sync", "gthread"), help="skip the sweep: this class")
    p.add_argument("--workers", type=int, help="skip the sweep: this many gunicorn workers")
    p.add_argument("--threads", type=int, default=4, help="threads per gthread worker (4)")
    p.add_argument("--sweep-seconds", type=float, default=6, help="seconds per sweep cell (6)")
    p.add_argument("--calibration-seconds", type=float, default=8, help="C_json / C_db seconds (8)")
    p.add_argument("--port", type=int, default=8321, help="first local port (8321)")
    p.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--redis", default="redis://127.0.0.1:6379/14", help="flushed at start and end")
    p.add_argument("--queue-requests", type=int, default=200, help="sequential queue pages (200)")
    p.add_argument("--queue-concurrency", type=int, default=8, help="concurrent queue clients (8)")
    p.add_argument("--queue-seconds", type=float, default=10, help="concurrent queue seconds (10)")
    p.add_argument("--ceiling-connections", type=int, default=16, help="PostgreSQL ceiling (16)")
    p.add_argument("--ceiling-seconds", type=float, default=10, help="PostgreSQL ceiling (10)")
    p.add_argument("--upload-bytes", type=int, default=100_000, help="size of each PDF (100000)")
    p.add_argument("--profile", action="store_true", help="always run the in-process cProfile pass")
    p.add_argument("--no-docs", action="store_true", help="do not update docs/performance.md")
    a = p.parse_args(argv)
    return Config(
        applications=a.applications, reseed=a.reseed, database=a.database, clients=a.clients,
        duration=a.duration, warmup=a.warmup, worker_class=a.worker_class, workers=a.workers,
        threads=a.threads, sweep_seconds=a.sweep_seconds, calibration_seconds=a.calibration_seconds,
        port=a.port, pg_admin_url=a.pg, redis_url=a.redis, queue_requests=a.queue_requests,
        queue_concurrency=a.queue_concurrency, queue_seconds=a.queue_seconds,
        ceiling_connections=a.ceiling_connections, ceiling_seconds=a.ceiling_seconds,
        upload_bytes=a.upload_bytes, profile=a.profile, docs=not a.no_docs,
    )  # fmt: skip


def django_env(config: Config, media_root: Path) -> dict[str, str]:
    """The environment of the production settings, pointed at the benchmark database and Redis."""
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),  # one per run: every server accepts the sessions
        "SIGNING_KEY_PASSPHRASE": "bench-signing-passphrase",
        **KEYS_ENV,  # fixed: the seeded database outlives the run's SECRET_KEY
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "False",
        "DATABASE_URL": config.database_url,
        "REDIS_URL": config.redis_url,
        "MEDIA_ROOT": str(media_root),
        "LOG_LEVEL": "WARNING",
    }


# --------------------------------------------------------------------------------------------
# Database
# --------------------------------------------------------------------------------------------


@dataclass
class SeedInfo:
    reused: bool
    marker: str = ""
    seconds: float = 0.0
    migrate_seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    database_size: str = ""
    applications: int = 0
    clerk_department_cases: int = 0
    earlier_bench_cases_deleted: int = 0


def prepare_database(config: Config) -> SeedInfo:
    """Drop and recreate the database unless it holds this seed (its comment says so); migrate;
    seed with COPY."""
    import psycopg

    marker = f"{SEED_VERSION} applications={config.applications}"
    with psycopg.connect(config.pg_admin_url, autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (config.database,),
        ).fetchone()
        comment = str(row[0] or "") if row is not None else ""
        reuse = not config.reseed and comment.startswith(marker + ";")
        if not reuse:
            if row is not None:
                log(f"{config.database}: {comment or 'no seed marker'!r} — dropping it")
            admin.execute(f'DROP DATABASE IF EXISTS "{config.database}" WITH (FORCE)')
            admin.execute(
                f"CREATE DATABASE \"{config.database}\" TEMPLATE template0 ENCODING 'UTF8'"
            )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    info = SeedInfo(reused=reuse, marker=comment if reuse else "")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    info.migrate_seconds = time.perf_counter() - started
    if not reuse:
        from benchmarks import seed_applications

        log(f"seeding {config.applications:,} applications with COPY …")
        report = seed_applications.seed(config.applications)
        info.seconds, info.rows, info.phases = report.seconds, report.rows, report.phases
        info.statuses = {str(k): v for k, v in sorted(report.statuses.items())}
        info.marker = f"{marker}; seeded {local_now():%Y-%m-%d %H:%M} in {report.seconds:.0f} s"
        with connection.cursor() as cursor:
            cursor.execute(f'COMMENT ON DATABASE "{config.database}" IS %s', [info.marker])
        log(
            f"seeded in {report.seconds:.1f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in report.rows.items())
        )
    else:
        log(f"reusing {config.database} ({comment})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        info.database_size = str(cursor.fetchone()[0])
    return info


def count_cases(info: SeedInfo) -> None:
    from django.db import connection

    from benchmarks.seed_applications import bench_cases_delete, clerk_department

    info.earlier_bench_cases_deleted = bench_cases_delete()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics for every table, the catalogue's included
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE department_id = %s) FROM applications_application",
            [clerk_department().pk],
        )
        total, clerk = cursor.fetchone()
        if not info.statuses:
            cursor.execute(
                "SELECT status, count(*) FROM applications_application GROUP BY 1 ORDER BY 1"
            )
            info.statuses = {str(s): int(n) for s, n in cursor.fetchall()}
    info.applications, info.clerk_department_cases = int(total), int(clerk)


# --------------------------------------------------------------------------------------------
# A small asyncio HTTP/1.1 client (stdlib): one browser per instance
# --------------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Browser:
    """Cookies, the CSRF header and one connection (kept alive when the server allows it)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    def copy(self) -> Browser:
        other = Browser(self.port)
        other.cookies = dict(self.cookies)
        return other

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def request(
        self, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> Reply:
        origin = f"https://127.0.0.1:{self.port}"
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}",
                 "X-Forwarded-Proto: https", "Accept: application/json, text/html"]  # fmt: skip
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method not in ("GET", "HEAD"):
            if "csrftoken" in self.cookies:
                lines.append(f"X-CSRFToken: {self.cookies['csrftoken']}")
            lines += [f"Origin: {origin}", f"Referer: {origin}/", f"Content-Length: {len(body)}"]
            if content_type:
                lines.append(f"Content-Type: {content_type}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        reused = self._writer is not None
        try:
            return await self._exchange(raw)
        except (ConnectionError, asyncio.IncompleteReadError):
            await self.close()
            if not reused:
                raise
            return await self._exchange(raw)  # the server had closed the idle connection

    async def _exchange(self, raw: bytes) -> Reply:
        if self._writer is None or self._reader is None:
            self._reader, self._writer = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self._reader, self._writer
        writer.write(raw)
        await writer.drain()
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        status_line, *header_lines = head.split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in header_lines:
            name, _sep, value = line.partition(":")
            if not name:
                continue
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                self._set_cookie(value)
            headers[name] = value
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while size := int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16):
                body += await reader.readexactly(size + 2)
                body = body[:-2]
            await reader.readuntil(b"\r\n")
        elif "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        else:
            body = await reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close" or not status_line.startswith(
            "HTTP/1.1"
        ):
            await self.close()
        return Reply(status, headers, body)

    def _set_cookie(self, value: str) -> None:
        pair, *attributes = value.split(";")
        name, _sep, content = pair.strip().partition("=")
        expired = any(a.strip().lower() in ("max-age=0",) for a in attributes)
        if expired or content in ("", '""'):
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = content


async def sign_in(browser: Browser, account: str, password: str) -> None:
    reply = await browser.request("GET", "/accounts/sign-in/")
    if reply.status != 200 or "csrftoken" not in browser.cookies:
        raise SystemExit(f"sign-in page: HTTP {reply.status}, cookies {sorted(browser.cookies)}")
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "account": account,
            "password": password,
        }
    ).encode()
    reply = await browser.request(
        "POST", "/accounts/sign-in/", form, "application/x-www-form-urlencoded"
    )
    if reply.status != 302 or "sessionid" not in browser.cookies:
        raise SystemExit(f"sign-in of {account}: HTTP {reply.status}\n{reply.body[:400]!r}")
    await browser.close()


# --------------------------------------------------------------------------------------------
# Journeys: timed requests, whole submissions, and their summaries
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    kind: str
    start: float
    end: float
    ok: bool


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    problems: Counter[str] = field(default_factory=Counter)

    async def timed(
        self,
        kind: str,
        call: Awaitable[Reply],
        *,
        expect: int = 200,
        check: Callable[[Reply], str] | None = None,
    ) -> Reply | None:
        """Await one request; record it; None (and the problem) unless it returned `expect`."""
        start = time.perf_counter()
        try:
            reply = await asyncio.wait_for(call, REQUEST_TIMEOUT)
        except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
            self.samples.append(Sample(kind, start, time.perf_counter(), False))
            self.problems[f"{kind}: {type(exc).__name__}"] += 1
            return None
        end = time.perf_counter()
        problem = "" if reply.status == expect else f"HTTP {reply.status}"
        if not problem and check is not None:
            problem = check(reply)
        self.samples.append(Sample(kind, start, end, not problem))
        if problem:
            self.problems[f"{kind}: {problem}"] += 1
            if len(self.problems) < 4 and reply.status >= 400:
                log(f"  {kind} {problem}: {reply.body[:300]!r}")
            return None
        return reply

    def flow(self, start: float, ok: bool) -> None:
        self.samples.append(Sample("submission", start, time.perf_counter(), ok))


@dataclass
class Latency:
    count: int
    p50: float
    p95: float
    p99: float
    max: float


def latency(values_ms: Sequence[float]) -> Latency:
    if not values_ms:
        return Latency(0, math.nan, math.nan, math.nan, math.nan)
    return Latency(len(values_ms), percentile(values_ms, 50), percentile(values_ms, 95),
                   percentile(values_ms, 99), max(values_ms))  # fmt: skip


@dataclass
class JourneyResult:
    key: str
    label: str
    seconds: float
    done: int  # completed submit calls (or requests) ending in the window
    rate: float
    requests: int
    request_rate: float
    latencies: dict[str, Latency]
    errors: int  # in the window
    errors_total: int  # including the warm-up and the tail
    problems: dict[str, int]
    cpu: CpuShare | None = None
    waits: dict[str, float] = field(default_factory=dict)

    def lat(self, kind: str) -> Latency:
        return self.latencies.get(kind, latency([]))


def summarise(
    key: str, label: str, recorder: Recorder, window: tuple[float, float], rate_kind: str
) -> JourneyResult:
    start, end = window
    inside = [s for s in recorder.samples if start <= s.end <= end]
    started_inside = [s for s in recorder.samples if start <= s.start <= end]
    kinds = sorted({s.kind for s in recorder.samples})
    latencies = {
        k: latency([(s.end - s.start) * 1000 for s in started_inside if s.kind == k and s.ok])
        for k in kinds
    }
    requests = [s for s in inside if s.kind != "submission"]
    done = sum(1 for s in inside if s.kind == rate_kind and s.ok)
    seconds = end - start
    return JourneyResult(
        key=key, label=label, seconds=seconds, done=done, rate=done / seconds,
        requests=len(requests), request_rate=len(requests) / seconds, latencies=latencies,
        errors=sum(1 for s in requests if not s.ok),
        errors_total=sum(1 for s in recorder.samples if s.kind != "submission" and not s.ok),
        problems=dict(recorder.problems),
    )  # fmt: skip


# Where the CPU went during a journey, from /proc: this run (the benchmark process, its children
# and the gunicorn process groups), the services (PostgreSQL and Redis, every database), and the
# rest of the machine, which is shared (other engineers' test runs show up there). Ticks of a child
# that exits move to its parent (cutime), so exited workers and backends are not lost.
SERVER_GROUPS: set[int] = set()


@dataclass(frozen=True)
class CpuShare:
    seconds: float
    ours: float  # share of all CPUs, 0–1
    services: float
    other: float
    steal: float
    load1: float


def _cpu_fields() -> list[int]:
    return [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]


@dataclass(frozen=True)
class _Proc:
    ticks: int  # utime + stime + cutime + cstime
    pgrp: int
    ppid: int
    uid: int


def _processes() -> dict[int, _Proc]:
    out = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            data = Path(f"/proc/{entry.name}/stat").read_text()
            uid = entry.stat().st_uid
        except OSError:
            continue
        rest = data[data.rindex(")") + 2 :].split()
        ticks = sum(int(x) for x in rest[11:15])
        out[int(entry.name)] = _Proc(ticks, int(rest[2]), int(rest[1]), uid)
    return out


def _service_uids() -> set[int]:
    import pwd

    uids = set()
    for name in ("postgres", "redis"):
        with contextlib.suppress(KeyError):
            uids.add(pwd.getpwnam(name).pw_uid)
    return uids


class CpuMeter:
    def __enter__(self) -> CpuMeter:
        self.share: CpuShare | None = None
        self.fields, self.procs = _cpu_fields(), _processes()
        return self

    def __exit__(self, *exc: object) -> None:
        fields, procs = _cpu_fields(), _processes()
        services, me, my_group = _service_uids(), os.getpid(), os.getpgrp()

        def bucket(pid: int, proc: _Proc) -> str:
            if pid == me or proc.pgrp == my_group or proc.pgrp in SERVER_GROUPS:
                return "ours"
            return "services" if proc.uid in services else "other"

        sums: Counter[str] = Counter()
        for pid, proc in procs.items():
            before = self.procs.get(pid)
            sums[bucket(pid, proc)] += proc.ticks - (before.ticks if before else 0)
        for pid, proc in self.procs.items():  # exited: their whole life is in the parent's cutime
            parent = procs.get(proc.ppid)
            if pid not in procs and parent is not None:
                sums[bucket(proc.ppid, parent)] -= proc.ticks
        delta = [b - a for a, b in zip(self.fields, fields, strict=True)]
        user, nice, system, _idle, _iowait, irq, softirq, steal = delta
        capacity = max(1, sum(delta))
        busy = user + nice + system + irq + softirq
        ours = min(busy, max(0, sums["ours"]))
        served = min(busy - ours, max(0, sums["services"]))
        self.share = CpuShare(
            seconds=capacity / (os.sysconf("SC_CLK_TCK") * (os.cpu_count() or 1)),
            ours=ours / capacity,
            services=served / capacity,
            other=(busy - ours - served) / capacity,
            steal=steal / capacity,
            load1=float(Path("/proc/loadavg").read_text().split()[0]),
        )


class WaitSampler:
    """What the benchmark database's backends are doing, sampled every 50 ms from pg_stat_activity
    in a thread of its own: running, waiting for a lock, for the WAL flush, for the client …"""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.samples = 0
        self.counts: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WaitSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            while not self._stop.wait(self.interval):
                rows = conn.execute(
                    "SELECT state, coalesce(wait_event_type || ':' || wait_event, 'on CPU'), count(*) "
                    "FROM pg_stat_activity WHERE datname = current_database() "
                    "AND backend_type = 'client backend' AND pid <> pg_backend_pid() "
                    "AND state IN ('active', 'idle in transaction') GROUP BY 1, 2"
                ).fetchall()
                self.samples += 1
                for state, event, count in rows:
                    label = (
                        "idle in transaction (the app between statements)"
                        if state != "active"
                        else str(event)
                    )
                    self.counts[label] += int(count)

    def averages(self) -> dict[str, float]:
        """Average number of backends in each state (0.1 and more)."""
        if not self.samples:
            return {}
        out = {k: v / self.samples for k, v in self.counts.most_common()}
        return {k: v for k, v in out.items() if v >= 0.1}


Flow = Callable[[int, Browser, Recorder], Awaitable[None]]


async def drive(browsers: Sequence[Browser], flow: Flow, warmup: float, duration: float) -> tuple[Recorder, tuple[float, float]]:  # fmt: skip
    """Every browser loops over `flow` until the end of the window; flows under way finish."""
    recorder = Recorder()
    begin = time.perf_counter()
    window = (begin + warmup, begin + warmup + duration)

    async def loop(index: int, browser: Browser) -> None:
        while time.perf_counter() < window[1]:
            await flow(index, browser, recorder)

    await asyncio.gather(*(loop(i, b) for i, b in enumerate(browsers)))
    for browser in browsers:
        await browser.close()
    return recorder, window


def run_journey(
    key: str, label: str, browsers: Sequence[Browser], flow: Flow, warmup: float, duration: float,
    *, rate_kind: str = "submit",
) -> JourneyResult:  # fmt: skip
    with CpuMeter() as meter, WaitSampler() as waits:
        recorder, window = asyncio.run(drive(browsers, flow, warmup, duration))
    result = summarise(key, label, recorder, window, rate_kind)
    result.cpu, result.waits = meter.share, waits.averages()
    sub = result.lat("submit")
    whole = result.lat("submission")
    log(
        f"  {key:12} {result.rate:7.1f}/s  requests {result.request_rate:7.1f}/s  "
        f"submit p50/p95/p99 {sub.p50:.0f}/{sub.p95:.0f}/{sub.p99:.0f} ms  "
        f"whole p99 {whole.p99:.0f} ms  errors {result.errors} ({result.errors_total} in all)"
        f"  CPU {_cpu_text(result.cpu)}"
    )
    return result


def _cpu_text(share: CpuShare | None) -> str:
    if share is None:
        return "–"
    return (
        f"app+load {share.ours:.0%}, PostgreSQL+Redis {share.services:.0%}, other {share.other:.0%}"
    )


def multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:  # fmt: skip
    boundary = "----tongban-bench-" + uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def submission_flow(code: str, uploads: Sequence[tuple[bytes, str]]) -> Flow:
    """Create a draft, save the form (situation, answers, delivery), upload, submit."""
    from benchmarks.seed_applications import ANSWERS, SITUATION

    save = json.dumps(
        {"situation": SITUATION, "answers": ANSWERS, "delivery_method": "ELECTRONIC"}
    ).encode()

    def received(reply: Reply) -> str:
        status = reply.json().get("status")
        return "" if status == "RECEIVED" else f"status {status}"

    async def flow(index: int, browser: Browser, rec: Recorder) -> None:
        start = time.perf_counter()
        rec.flow(start, await steps(browser, rec))

    async def steps(browser: Browser, rec: Recorder) -> bool:
        body = json.dumps({"matter": code, "client_key": uuid.uuid4().hex}).encode()
        reply = await rec.timed("create", browser.request("POST", "/api/v1/applications/", body, JSON_TYPE), expect=201)  # fmt: skip
        if reply is None:
            return False
        path = f"/api/v1/applications/{reply.json()['id']}/"
        if await rec.timed("save", browser.request("PATCH", path, save, JSON_TYPE)) is None:
            return False
        for content, content_type in uploads:
            reply = await rec.timed("upload", browser.request("POST", path + "materials/", content, content_type), expect=201)  # fmt: skip
            if reply is None:
                return False
        reply = await rec.timed("submit", browser.request("POST", path + "submit/", b"{}", JSON_TYPE), check=received)  # fmt: skip
        return reply is not None

    return flow


def submit_only_flow(drafts: dict[int, list[int]], citizens: Sequence[int]) -> Flow:
    def received(reply: Reply) -> str:
        status = reply.json().get("status")
        return "" if status == "RECEIVED" else f"status {status}"

    async def flow(index: int, browser: Browser, rec: Recorder) -> None:
        pending = drafts[citizens[index]]
        if not pending:
            await asyncio.sleep(0.05)  # ran out of drafts (reported as a shortfall)
            rec.problems["submit-only: out of drafts"] += 1
            return
        path = f"/api/v1/applications/{pending.pop()}/submit/"
        start = time.perf_counter()
        reply = await rec.timed("submit", browser.request("POST", path, b"{}", JSON_TYPE), check=received)  # fmt: skip
        rec.flow(start, reply is not None)

    return flow


def get_flow(kind: str, paths: Sequence[str]) -> Flow:
    async def flow(index: int, browser: Browser, rec: Recorder) -> None:
        path = paths[(index + len(rec.samples)) % len(paths)]
        await rec.timed(kind, browser.request("GET", path))

    return flow


# --------------------------------------------------------------------------------------------
# gunicorn
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    worker_class: str
    workers: int
    threads: int

    @property
    def label(self) -> str:
        if self.worker_class == "gthread":
            return f"gthread, {self.workers} workers × {self.threads} threads"
        return f"sync, {self.workers} workers"


def gunicorn_command(choice: Choice) -> tuple[list[str], dict[str, str]]:
    """The production command line (portal/gunicorn_config.py), with the worker count through
    WEB_CONCURRENCY and, for gthread, the class and threads on the command line (which wins)."""
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    command = [str(gunicorn) if gunicorn.exists() else "gunicorn"]
    if GUNICORN_CONFIG.exists():
        command += ["-c", str(GUNICORN_CONFIG)]
    else:
        command += ["--workers", str(choice.workers)]
    command += ["portal.wsgi:application", "--chdir", str(ROOT), "--log-level", "warning"]
    if choice.worker_class != "sync":
        command += ["--worker-class", choice.worker_class, "--threads", str(choice.threads)]
    if gunicorn_has_control_socket(command[0]):
        command += ["--no-control-socket"]
    return command, {"WEB_CONCURRENCY": str(choice.workers)}


def gunicorn_settings(choice: Choice, env: dict[str, str]) -> str:
    command, extra = gunicorn_command(choice)
    done = subprocess.run(
        [*command, "--print-config"], env=env | extra | {"GUNICORN_BIND": "127.0.0.1:1"},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    wanted = ("worker_class", "workers", "threads", "timeout", "max_requests",
              "max_requests_jitter", "preload_app", "keepalive")  # fmt: skip
    found = {}
    for line in done.stdout.splitlines():
        key, _sep, value = line.partition("=")
        if key.strip() in wanted:
            found[key.strip()] = value.strip()
    return ", ".join(f"{k} {found.get(k, '?')}" for k in wanted)


def launch(
    choice: Choice, port: int, env: dict[str, str], workdir: Path, servers: list[Server]
) -> Server:
    """Start gunicorn (its own process group, added to `servers` at once so that it is stopped
    whatever happens next) and wait for its first 200."""
    command, extra = gunicorn_command(choice)
    name = f"{choice.worker_class}-{choice.workers}x{choice.threads}"
    log_path = workdir / f"gunicorn-{name}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, env=env | extra | {"GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    server = Server(name, port, process, log_path)
    servers.append(server)
    SERVER_GROUPS.add(process.pid)  # start_new_session: the master leads its process group
    seconds = wait_ready(server, 120)
    log(f"gunicorn {choice.label} on :{port}, ready after {seconds:.1f} s")
    return server


# --------------------------------------------------------------------------------------------
# The HTTP part
# --------------------------------------------------------------------------------------------


@dataclass
class QueueHttp:
    status: int = 0
    note: str = ""
    sequential: Latency | None = None
    concurrent: JourneyResult | None = None
    page_bytes: int = 0


@dataclass
class HttpInfo:
    choice: Choice | None = None
    settings: str = ""
    sweep: list[tuple[Choice, JourneyResult]] = field(default_factory=list)
    results: dict[str, JourneyResult] = field(default_factory=dict)
    queue: QueueHttp = field(default_factory=QueueHttp)
    drafts_per_client: int = 0
    memory_mb: tuple[float, float] = (0.0, 0.0)
    sign_in_seconds: float = 0.0


def run_http(config: Config, env: dict[str, str], workdir: Path) -> HttpInfo:
    from django.db import connections

    from benchmarks import seed_applications as sa
    from matters.models import Matter

    citizens = sa.citizens_ensure(config.clients)
    form_code, upload_code = sa.bench_matter_codes()
    matter_ids = list(Matter.objects.values_list("pk", flat=True))
    connections.close_all()
    pdf = sa.pdf_document(config.upload_bytes)
    uploads = [
        multipart({"material_key": key}, "file", f"{key}-scan.pdf", pdf) for key in ("M01", "M02")
    ]
    info = HttpInfo()
    browsers = [Browser(config.port) for _ in citizens]
    port = config.port
    servers: list[Server] = []

    def start(choice: Choice) -> Server:
        nonlocal port
        port += 1
        server = launch(choice, port, env, workdir, servers)
        for browser in browsers:
            browser.port = port
        return server

    try:
        if config.workers is not None or config.worker_class is not None:
            candidates = [
                Choice(config.worker_class or "sync", config.workers or 2, config.threads)
            ]
        else:
            candidates = [Choice(c, w, t) for c, w, t in SWEEP]
        signed_in = False
        for choice in candidates:
            server = start(choice)
            if not signed_in:
                t0 = time.perf_counter()
                asyncio.run(_sign_in_all(browsers, [c.account for c in citizens]))
                info.sign_in_seconds = time.perf_counter() - t0
                log(f"{len(browsers)} citizens signed in over HTTP in {info.sign_in_seconds:.1f} s")
                signed_in = True
            if len(candidates) > 1:
                result = run_journey("sweep", choice.label, browsers, submission_flow(form_code, []), 2, config.sweep_seconds)  # fmt: skip
                info.sweep.append((choice, result))
                stop_server(server)
        if len(candidates) > 1:
            info.choice = _choose(info.sweep)
            log(f"chosen: {info.choice.label}")
            server = start(info.choice)
        else:
            info.choice = candidates[0]
        info.settings = gunicorn_settings(info.choice, env)
        cal_browsers = [Browser(server.port) for _ in range(config.clients)]
        info.results["json"] = run_journey(
            "C_json", "C_json: /bench/json", cal_browsers, get_flow("get", ["/bench/json"]),
            2, config.calibration_seconds, rate_kind="get",
        )  # fmt: skip
        info.results["db"] = run_journey(
            "C_db", "1-query view /bench/db/<id>", cal_browsers,
            get_flow("get", [f"/bench/db/{pk}" for pk in matter_ids]), 2, config.calibration_seconds,
            rate_kind="get",
        )  # fmt: skip
        info.results["form"] = run_journey(
            "form", "form only: create + save + submit (3 requests)", browsers,
            submission_flow(form_code, []), config.warmup, config.duration,
        )  # fmt: skip
        info.results["upload"] = run_journey(
            "upload", f"two {config.upload_bytes // 1000} kB PDF uploads: create + save + 2 uploads + submit (5 requests)",
            browsers, submission_flow(upload_code, uploads), config.warmup, config.duration,
        )  # fmt: skip
        drafts, info.drafts_per_client = _prepare_drafts(config, browsers, citizens, form_code)
        info.results["submit_only"] = run_journey(
            "submit-only", "submit a complete draft (1 request)", browsers,
            submit_only_flow(drafts, [c.pk for c in citizens]), config.warmup, config.duration,
        )  # fmt: skip
        info.queue = _queue_http(config, server)
        info.memory_mb = server_memory(server)
    except BaseException:
        RESULTS.mkdir(parents=True, exist_ok=True)
        for server in servers:
            kept = RESULTS / f"gunicorn-{server.name}-{local_now():%Y-%m-%d-%H%M}.log"
            shutil.copyfile(server.log_path, kept)
            log(f"gunicorn log kept in {kept.relative_to(ROOT)}")
        raise
    finally:
        for server in servers:
            stop_server(server)
        log("gunicorn stopped")
    return info


SWEEP_MARGIN = 1.15  # runs of the same server differ by up to ±30 % (PERFORMANCE.md)


def _choose(sweep: Sequence[tuple[Choice, JourneyResult]]) -> Choice:
    """The fastest configuration without errors — unless production's (the first, sync with 2
    workers) is within SWEEP_MARGIN of it: a smaller lead than that is noise on this machine."""
    fine = [(c, r) for c, r in sweep if r.errors_total == 0] or list(sweep)
    best, best_result = max(fine, key=lambda cr: cr[1].rate)
    production, production_result = sweep[0]
    if (
        production_result.errors_total == 0
        and best_result.rate < production_result.rate * SWEEP_MARGIN
    ):
        return production
    return best


async def staff_sign_in(browser: Browser, username: str) -> None:
    """Password on the sign-in page, then the authenticator's code on the second-factor page
    (staff always pass both; the account has a confirmed device, `staff_device`)."""
    from benchmarks.seed_applications import PASSWORD, totp_code

    await sign_in(browser, username, PASSWORD)
    path = "/accounts/two-factor/verify/"
    for attempt in range(2):
        page = await browser.request("GET", path)
        if page.status != 200:
            raise SystemExit(f"{path} for {username}: HTTP {page.status}")
        code = await asyncio.to_thread(totp_code, username)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""),
                                       "code": code}).encode()  # fmt: skip
        reply = await browser.request("POST", path, form, "application/x-www-form-urlencoded")
        if reply.status == 302:
            return
        if attempt == 0:  # this code was used already (a run a moment ago): wait for the next one
            await asyncio.sleep(30.5 - time.time() % 30)
    raise SystemExit(f"second factor of {username}: HTTP {reply.status}\n{reply.body[:300]!r}")


async def _sign_in_all(browsers: Sequence[Browser], accounts: Sequence[str]) -> None:
    from benchmarks.seed_applications import PASSWORD

    await asyncio.gather(
        *(sign_in(b, a, PASSWORD) for b, a in zip(browsers, accounts, strict=True))
    )


def _prepare_drafts(
    config: Config, browsers: Sequence[Browser], citizens: Sequence[Any], code: str
) -> tuple[dict[int, list[int]], int]:
    """One complete draft per citizen through the API (create + save), then cloned in SQL: enough
    for 1,000 submits/s over the warm-up and the window."""
    from django.db import connections

    from benchmarks.seed_applications import ANSWERS, SITUATION, drafts_clone

    async def make() -> list[int]:
        ids = []
        for browser in browsers:
            rec = Recorder()
            body = json.dumps({"matter": code}).encode()
            reply = await rec.timed("create", browser.request("POST", "/api/v1/applications/", body, JSON_TYPE), expect=201)  # fmt: skip
            if reply is None:
                raise SystemExit(f"draft for submit-only: {dict(rec.problems)}")
            pk = int(reply.json()["id"])
            save = json.dumps({"situation": SITUATION, "answers": ANSWERS, "delivery_method": "ELECTRONIC"}).encode()  # fmt: skip
            if await rec.timed("save", browser.request("PATCH", f"/api/v1/applications/{pk}/", save, JSON_TYPE)) is None:  # fmt: skip
                raise SystemExit(f"draft for submit-only: {dict(rec.problems)}")
            ids.append(pk)
            await browser.close()
        return ids

    templates = asyncio.run(make())
    copies = max(300, math.ceil(1000 * (config.warmup + config.duration) / len(browsers)))
    t0 = time.perf_counter()
    drafts = drafts_clone({c.pk: t for c, t in zip(citizens, templates, strict=True)}, copies)
    connections.close_all()
    log(f"  {copies * len(browsers):,} complete drafts cloned in {time.perf_counter() - t0:.1f} s")
    return drafts, copies


def _queue_http(config: Config, server: Server) -> QueueHttp:
    from accounts.models import User
    from benchmarks.seed_applications import CLERK_USERNAME, staff_device

    out = QueueHttp()
    staff_device(User.objects.get(username=CLERK_USERNAME))  # the clerk's authenticator
    clerk = Browser(server.port)

    async def sequential() -> list[float]:
        await staff_sign_in(clerk, CLERK_USERNAME)
        first = await clerk.request("GET", "/workbench/")
        out.status, out.page_bytes = first.status, len(first.body)
        if first.status != 200:
            out.note = f"GET /workbench/ returned HTTP {first.status}"
            await clerk.close()
            return []
        for _ in range(4):  # warm
            await clerk.request("GET", "/workbench/")
        times: list[float] = []
        deadline = time.perf_counter() + 45  # bounded, however slow the page is
        for _ in range(config.queue_requests):
            if time.perf_counter() > deadline:
                out.note = f"stopped after {len(times)} requests (45 s)"
                break
            t0 = time.perf_counter()
            reply = await clerk.request("GET", "/workbench/")
            if reply.status != 200:
                raise SystemExit(f"/workbench/: HTTP {reply.status}")
            times.append((time.perf_counter() - t0) * 1000)
        await clerk.close()
        return times

    times = asyncio.run(sequential())
    if not times:
        log(f"  queue page: {out.note}; measuring the selector in-process only")
        return out
    out.sequential = latency(times)
    log(
        f"  queue page sequential: p50 {out.sequential.p50:.1f} ms, p95 {out.sequential.p95:.1f} ms"
    )
    out.concurrent = run_journey(
        "queue", f"clerk queue /workbench/, {config.queue_concurrency} concurrent", [clerk.copy() for _ in range(config.queue_concurrency)],
        get_flow("queue", ["/workbench/"]), 2, config.queue_seconds, rate_kind="queue",
    )  # fmt: skip
    return out


# --------------------------------------------------------------------------------------------
# Raw PostgreSQL ceiling (PERFORMANCE.md §6)
# --------------------------------------------------------------------------------------------


@dataclass
class Ceiling:
    connections: int
    seconds: float
    rows: int
    rate: float
    latency: Latency
    pgbench_tps: float | None = None
    pgbench_note: str = ""
    cpu: CpuShare | None = None


def _ceiling_worker(dsn: str, threads: int, begin: float, end: float, out: Any) -> None:
    import psycopg

    counts: list[int] = [0] * threads
    times: list[list[float]] = [[] for _ in range(threads)]

    def one(index: int) -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            data = json.dumps({"matter": "bench", "answers": {"shop_name": "好味小馆", "area": 80}})
            sql = "INSERT INTO bench_ceiling (kind, data) VALUES (%s, %s)"
            conn.execute(sql, ("warm", data), prepare=True)
            while time.time() < begin:
                time.sleep(0.001)
            while (t0 := time.time()) < end:
                conn.execute(sql, ("row", data), prepare=True)  # one statement = one transaction
                times[index].append((time.time() - t0) * 1000)
                counts[index] += 1

    workers = [threading.Thread(target=one, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put((sum(counts), [t for ts in times for t in ts[::10]]))


def pg_ceiling(config: Config) -> Ceiling:
    """Single-row INSERT, each its own committed transaction (synchronous_commit on), from
    --ceiling-connections psycopg connections in 2 processes; then pgbench on the same statement."""
    from django.db import connections

    import psycopg

    dsn = config.database_url
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_ceiling (id bigserial PRIMARY KEY, "
            "at timestamptz NOT NULL DEFAULT now(), kind text NOT NULL, data jsonb NOT NULL)"
        )
        conn.execute("CREATE INDEX IF NOT EXISTS bench_ceiling_kind ON bench_ceiling (kind, at)")
        conn.execute("CREATE INDEX IF NOT EXISTS bench_ceiling_at ON bench_ceiling (at)")
        conn.execute("TRUNCATE bench_ceiling")
    connections.close_all()
    processes = 2
    per = [config.ceiling_connections // processes + (1 if i < config.ceiling_connections % processes else 0) for i in range(processes)]  # fmt: skip
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    begin = time.time() + 1.5
    end = begin + config.ceiling_seconds
    procs = [context.Process(target=_ceiling_worker, args=(dsn, n, begin, end, queue)) for n in per]
    with CpuMeter() as meter:
        for p in procs:
            p.start()
        results = [queue.get(timeout=config.ceiling_seconds + 60) for _ in procs]
        for p in procs:
            p.join(timeout=10)
    rows = sum(r[0] for r in results)
    sampled = [t for r in results for t in r[1]]
    ceiling = Ceiling(config.ceiling_connections, config.ceiling_seconds, rows, rows / config.ceiling_seconds, latency(sampled), cpu=meter.share)  # fmt: skip
    log(
        f"PostgreSQL ceiling (psycopg): {ceiling.rate:,.0f} single-row commits/s from {config.ceiling_connections} connections"
    )
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        ceiling.pgbench_note = "pgbench not installed"
        return ceiling
    parts = urllib.parse.urlsplit(dsn)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(
            "INSERT INTO bench_ceiling (kind, data) VALUES ('pgbench', '{\"matter\": \"bench\"}');\n"
        )
    try:
        done = subprocess.run(
            [pgbench, "-n", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
             "-U", parts.username or "postgres", "-c", str(config.ceiling_connections), "-j", "2",
             "-T", str(int(config.ceiling_seconds)), "-M", "prepared", "-f", script.name,
             parts.path.lstrip("/")],
            capture_output=True, text=True, timeout=config.ceiling_seconds + 60, check=False,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    for line in done.stdout.splitlines():
        if line.startswith("tps = "):
            ceiling.pgbench_tps = float(line.split()[2])
    if ceiling.pgbench_tps is None:
        ceiling.pgbench_note = (done.stdout + done.stderr)[-300:]
    else:
        log(f"PostgreSQL ceiling (pgbench -M prepared): {ceiling.pgbench_tps:,.0f} tps")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("TRUNCATE bench_ceiling")
    return ceiling


# --------------------------------------------------------------------------------------------
# In-process: the queue selector with its SQL, and where a submission's time goes
# --------------------------------------------------------------------------------------------


@dataclass
class QueryInfo:
    ms: float
    sql: str


class QueryTimer:
    """`connection.execute_wrapper`: every statement with its SQL as sent (parameters bound, as
    psycopg's client-side binding sends it) and its time (transaction BEGIN/COMMIT not included)."""

    def __init__(self) -> None:
        self.items: list[QueryInfo] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:  # fmt: skip
        from django.db import connection

        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = (time.perf_counter() - t0) * 1000
            try:
                text = connection.ops.last_executed_query(context["cursor"], sql, params)
            except Exception:
                text = sql
            self.items.append(QueryInfo(ms, str(text)))


def _shape(sql: str) -> str:
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


@dataclass
class QueueInProcess:
    error: str = ""
    tabs: dict[str, Latency] = field(default_factory=dict)
    counts: dict[str, int | None] = field(default_factory=dict)  # None: the page did not count it
    queries: dict[str, list[QueryInfo]] = field(default_factory=dict)
    plans: list[tuple[str, str]] = field(default_factory=list)  # (sql, EXPLAIN ANALYZE)
    whatif: dict[str, Latency] = field(default_factory=dict)  # with WHATIF_INDEXES
    whatif_build_seconds: float = 0.0
    whatif_error: str = ""


def queue_inprocess(runs: int = 30) -> QueueInProcess:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from benchmarks.seed_applications import CLERK_USERNAME

    out = QueueInProcess()
    try:
        from applications.selectors.staff import queue_for_staff
    except ImportError as exc:
        out.error = f"applications.selectors.staff.queue_for_staff is missing: {exc}"
        return out
    clerk = User.objects.get(username=CLERK_USERNAME)
    try:
        for tab in ("", "review", "done"):
            for _ in range(2):
                page = queue_for_staff(user=clerk, tab=tab, mine=False, page=1, now=timezone.now())
            label = tab or f"default ({page.tab})"
            out.counts = {t.key: t.count for t in page.tabs}
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                queue_for_staff(user=clerk, tab=tab, mine=False, page=1, now=timezone.now())
                times.append((time.perf_counter() - t0) * 1000)
            out.tabs[label] = latency(times)
            timer = QueryTimer()
            with connection.execute_wrapper(timer):
                queue_for_staff(user=clerk, tab=tab, mine=False, page=1, now=timezone.now())
            out.queries[label] = timer.items
    except Exception as exc:  # the selector is being written by another engineer
        out.error = f"{type(exc).__name__}: {exc}"
        return out
    slowest = sorted((q for qs in out.queries.values() for q in qs), key=lambda q: -q.ms)
    seen: set[str] = set()
    for query in slowest:
        if _shape(query.sql) in seen or len(out.plans) >= 2:
            continue
        seen.add(_shape(query.sql))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query.sql)
            out.plans.append((query.sql, "\n".join(str(r[0]) for r in cursor.fetchall())))
    _queue_whatif(out, clerk, queue_for_staff, runs=10)
    return out


# What-if, never kept: indexes that would let PostgreSQL answer the queue's "done" filter (cases
# finished in the last 30 days) without reading every case of the department.
WHATIF_INDEXES = (
    "CREATE INDEX bench_whatif_completed ON applications_application (department_id, completed_at)",
    "CREATE INDEX bench_whatif_closed ON applications_application (department_id, closed_at)",
)


class _RollbackError(Exception):
    pass


def _queue_whatif(out: QueueInProcess, clerk: Any, queue_for_staff: Callable[..., Any], runs: int) -> None:  # fmt: skip
    """The same selector calls inside a transaction that creates WHATIF_INDEXES and is rolled
    back: the benchmark database is left as it was (measured here to make a suggestion concrete)."""
    from django.db import connection, transaction
    from django.utils import timezone

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'applications_application'"
        )
        existing = " ".join(str(r[0]) for r in cursor.fetchall())
    missing = [s for s in WHATIF_INDEXES if s.split(" USING ")[0].split(" ON ")[1].split(" ", 1)[1] not in existing]  # fmt: skip
    if not missing:
        out.whatif_error = "not needed, the schema has these indexes already"
        return
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                for statement in missing:
                    cursor.execute(statement)
                cursor.execute("ANALYZE applications_application")
            out.whatif_build_seconds = time.perf_counter() - t0
            for tab in ("", "review", "done"):
                for _ in range(2):
                    page = queue_for_staff(user=clerk, tab=tab, mine=False, page=1, now=timezone.now())  # fmt: skip
                times = []
                for _ in range(runs):
                    t0 = time.perf_counter()
                    queue_for_staff(user=clerk, tab=tab, mine=False, page=1, now=timezone.now())
                    times.append((time.perf_counter() - t0) * 1000)
                out.whatif[tab or f"default ({page.tab})"] = latency(times)
            raise _RollbackError
    except _RollbackError:
        pass
    except Exception as exc:
        out.whatif_error = f"{type(exc).__name__}: {exc}"


@dataclass
class RequestCost:
    kind: str
    count: int
    queries: float  # per request
    db_ms: float  # per request, as Django's debug cursor times it
    wall_ms: float  # per request, in-process (test client, no HTTP server)
    commits: float = 0.0  # transactions committed per request
    cpu_ms: float = 0.0  # per request (median), CPU time of this process: Django, DRF, psycopg
    examples: list[QueryInfo] = field(default_factory=list)


def submission_costs(pdf: bytes, flows: int = 20, profile: bool = False) -> tuple[list[RequestCost], str]:  # fmt: skip
    """The API requests of a submission through Django's test client, in this process: queries and
    database time per request (an execute wrapper; transactions counted with
    CaptureQueriesContext), and optionally a cProfile of submit."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from benchmarks.seed_applications import (
        ANSWERS,
        CITIZEN_AREA,
        SITUATION,
        bench_matter_codes,
        resident_id,
    )
    from core.crypto import blind_index

    user = User.objects.get(
        id_number_index=blind_index(resident_id(CITIZEN_AREA, 0), kind="id_number")
    )
    form_code, upload_code = bench_matter_codes()
    stats: dict[str, list[tuple[int, float, float, int, float]]] = {}
    examples: dict[str, list[QueryInfo]] = {}
    profiler: cProfile.Profile | None = None  # set for the second pass only

    client = Client(headers={"X-Forwarded-Proto": "https"})

    def call(
        kind: str, method: str, path: str, expect: int, data: Any, content_type: str | None = None
    ) -> Any:
        send = getattr(client, method)
        extra = {"content_type": content_type} if content_type else {}
        timer = QueryTimer()
        # The test client's request_started signal empties the log; start from an empty one so
        # that CaptureQueriesContext's slice holds the whole request.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
            t0, cpu0 = time.perf_counter(), time.process_time()
            if profiler is not None:
                profiler.enable()
            response = send(path, data, **extra)
            if profiler is not None:
                profiler.disable()
            wall = (time.perf_counter() - t0) * 1000
            cpu = (time.process_time() - cpu0) * 1000
        if response.status_code != expect:
            raise SystemExit(
                f"in-process {kind}: HTTP {response.status_code} {response.content[:300]!r}"
            )
        if profiler is not None:
            return response  # the profiled pass is not timed
        commits = sum(1 for q in captured.captured_queries if q["sql"] == "COMMIT")
        stats.setdefault(kind, []).append(
            (len(timer.items), sum(q.ms for q in timer.items), wall, commits, cpu)
        )
        examples[kind] = timer.items
        return response

    def flow(code: str) -> None:
        response = call("create", "post", "/api/v1/applications/", 201, {"matter": code}, JSON_TYPE)  # fmt: skip
        path = f"/api/v1/applications/{response.json()['id']}/"
        body = {"situation": SITUATION, "answers": ANSWERS, "delivery_method": "ELECTRONIC"}
        call("save", "patch", path, 200, body, JSON_TYPE)
        if code == upload_code:
            for key in ("M01", "M02"):
                upload = SimpleUploadedFile(f"{key}.pdf", pdf, content_type="application/pdf")
                call("upload", "post", path + "materials/", 201, {"material_key": key, "file": upload})  # fmt: skip
        call("submit", "post", path + "submit/", 200, {}, JSON_TYPE)

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client.force_login(user)
        for i in range(flows):
            flow(upload_code if i % 2 else form_code)
        if profile:
            profiler = cProfile.Profile()
            for _ in range(flows):
                flow(form_code)
    costs = [
        RequestCost(
            kind=k,
            count=len(v),
            queries=sum(x[0] for x in v) / len(v),
            db_ms=sum(x[1] for x in v) / len(v),
            wall_ms=sorted(x[2] for x in v)[len(v) // 2],
            commits=sum(x[3] for x in v) / len(v),
            cpu_ms=sorted(x[4] for x in v)[len(v) // 2],
            examples=examples[k],
        )
        for k, v in stats.items()
    ]
    text = ""
    if profiler is not None:
        text = _profile_text(profiler, flows)
    return costs, text


# Functions worth naming in the summary besides the project's own: authentication (the session and
# user queries), DRF's response serialisation, the transaction's end (COMMIT), SQL compilation.
PROFILE_NAMED = {
    ("rest_framework/views.py", "perform_authentication"),
    ("rest_framework/serializers.py", "data"),
    ("rest_framework/serializers.py", "get_fields"),
    ("django/db/transaction.py", "__exit__"),
    ("django/db/models/sql/compiler.py", "as_sql"),
    ("django/db/models/sql/compiler.py", "execute_sql"),
    ("django/db/models/query.py", "prefetch_related_objects"),
}


def _profile_text(profiler: cProfile.Profile, flows: int) -> str:
    """The project's functions (and a few named ones) by cumulative share of the profiled time,
    then the raw pstats listing."""
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in raw.values())
    rows = []
    for (filename, line, name), (_cc, calls, _tt, cumulative, _callers) in raw.items():
        relative = filename.replace(str(ROOT) + "/", "")
        site = relative.split("site-packages/")[-1]
        mine = relative.startswith(("applications/", "matters/", "accounts/", "core/"))
        if mine or (site, name) in PROFILE_NAMED:
            rows.append((cumulative / total, calls, f"{site}:{line}({name})"))
    rows.sort(reverse=True)
    out = [
        f"{flows} form-only submissions (create + save + submit) under cProfile (wall time; the "
        "profiler slows everything, compare shares). Cumulative share of the profiled time "
        "(nested calls overlap):",
        "",
        "| share | calls per submission | function |",
        "|---|---|---|",
    ]
    out += [
        f"| {share:.0%} | {calls / flows:.1f} | `{where}` |" for share, calls, where in rows[:22]
    ]
    buffer = io.StringIO()
    listing = pstats.Stats(profiler, stream=buffer).strip_dirs()
    listing.sort_stats("tottime").print_stats(25)
    out += ["", "```", buffer.getvalue().strip(), "```"]
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def machine(config: Config) -> dict[str, str]:
    described = machine_description(config.redis_url)
    return {"date": described.pop("date"), "code": _git_revision(), **described}


def _git_revision() -> str:
    """The commit measured, and whether product code had uncommitted changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=30, check=False)  # fmt: skip
        return done.stdout.rstrip()  # not the left: `git status --porcelain` starts with a space

    head = git("log", "-1", "--format=%h %s").strip()
    if not head:
        return "not a git checkout"
    changed = [
        line[3:]
        for line in git("status", "--porcelain", "--untracked-files=no").splitlines()
        if not line[3:].startswith(("benchmarks/", "docs/"))
    ]
    return f"commit {head}" + (
        f" + uncommitted changes in {', '.join(changed[:8])}" if changed else ""
    )


def _ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _short_sql(sql: str, width: int = 150) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Run:
    config: Config
    seed: SeedInfo
    http: HttpInfo | None
    ceiling: Ceiling | None
    queue: QueueInProcess
    costs: list[RequestCost]
    profile: str
    started: float
    machine: dict[str, str] = field(default_factory=dict)


def figures_table(run: Run) -> list[str]:
    """The main table: every journey, its latencies, errors, ratios, and the CPU it had."""
    http, ceiling = run.http, run.ceiling
    lines = [
        "| journey | rate | submit p50 / p95 / p99 ms | whole submission p50 / p95 / p99 ms | HTTP requests/s (× C_json) | errors: non-2xx in window (whole run) | ÷ PG ceiling | CPU of 2 cores: app + load generator / PostgreSQL + Redis / other processes | target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    if http is None:
        return lines
    cj = http.results.get("json")
    c_json = cj.rate if cj is not None and cj.rate else math.nan

    def ceiling_ratio(rate: float) -> str:
        return f"{rate / ceiling.rate:.3f}" if ceiling is not None and ceiling.rate else "–"

    for key in ("form", "upload", "submit_only"):
        r = http.results.get(key)
        if r is None:
            continue
        sub, whole = r.lat("submit"), r.lat("submission")
        clean = r.errors_total == 0
        if key == "upload":
            ok = r.rate >= UPLOAD_TARGET_RATE and clean
            target = f"{verdict(ok)} ≥ {UPLOAD_TARGET_RATE:.0f}/s, 0 errors"
        else:
            ok = r.rate >= FORM_TARGET_RATE and sub.p99 <= FORM_TARGET_P99_MS and clean
            target = f"{verdict(ok)} ≥ {FORM_TARGET_RATE:.0f}/s, submit p99 ≤ {FORM_TARGET_P99_MS:.0f} ms, 0 errors"
            if key == "submit_only":
                target += " (read as 1 request)"
        whole_text = (
            "= submit"
            if key == "submit_only"
            else f"{_ms(whole.p50)} / {_ms(whole.p95)} / {_ms(whole.p99)}"
        )
        lines.append(
            f"| {r.label} | **{r.rate:,.0f} submissions/s** | {_ms(sub.p50)} / {_ms(sub.p95)} / {_ms(sub.p99)} | "
            f"{whole_text} | {r.request_rate:,.0f} ({r.request_rate / c_json:.2f}) | {r.errors} ({r.errors_total}) | "
            f"{ceiling_ratio(r.rate)} | {_cpu_cell(r.cpu)} | {target} |"
        )
    q = http.queue
    if q.sequential is not None:
        ok = q.sequential.p95 <= QUEUE_TARGET_P95_MS
        lines.append(
            f"| clerk queue `/workbench/`, {q.sequential.count} sequential requests | – | p50 {_ms(q.sequential.p50)} / p95 {_ms(q.sequential.p95)} / max {_ms(q.sequential.max)} | – | – | 0 | – | – | {verdict(ok)} p95 ≤ 100 ms |"
        )
    if q.concurrent is not None:
        c = q.concurrent.lat("queue")
        lines.append(
            f"| clerk queue `/workbench/`, {run.config.queue_concurrency} concurrent | {q.concurrent.rate:,.0f} pages/s | p50 {_ms(c.p50)} / p95 {_ms(c.p95)} / p99 {_ms(c.p99)} | – | {q.concurrent.request_rate:,.0f} ({q.concurrent.request_rate / c_json:.2f}) | {q.concurrent.errors} ({q.concurrent.errors_total}) | – | {_cpu_cell(q.concurrent.cpu)} | {verdict(c.p95 <= QUEUE_TARGET_P95_MS)} p95 ≤ 100 ms |"
        )
    for key in ("json", "db"):
        r = http.results.get(key)
        if r is None:
            continue
        g = r.lat("get")
        lines.append(
            f"| calibration: {r.label} | {r.rate:,.0f} requests/s | p50 {_ms(g.p50)} / p95 {_ms(g.p95)} / p99 {_ms(g.p99)} | – | {r.request_rate:,.0f} ({r.request_rate / c_json:.2f}) | {r.errors} ({r.errors_total}) | {ceiling_ratio(r.rate)} | {_cpu_cell(r.cpu)} | – |"
        )
    if ceiling is not None:
        lines.append(
            f"| **PostgreSQL ceiling**: single-row INSERT, each its own transaction, {ceiling.connections} psycopg connections | **{ceiling.rate:,.0f} commits/s** | one INSERT: p50 {ceiling.latency.p50:.1f} / p95 {ceiling.latency.p95:.1f} / p99 {ceiling.latency.p99:.1f} | – | – | – | 1 | {_cpu_cell(ceiling.cpu)} | – |"
        )
    return lines


def _cpu_cell(share: CpuShare | None) -> str:
    if share is None:
        return "–"
    return f"{share.ours:.0%} / {share.services:.0%} / {share.other:.0%}"


def report(run: Run) -> str:
    config, seed, http = run.config, run.seed, run.http
    lines: list[str] = []
    w = lines.append
    w(f"# Applications benchmark (issue 3) — {local_now():%Y-%m-%d %H:%M}")
    w("")
    w(
        "Machine and versions (everything — the load generator, gunicorn, PostgreSQL, Redis — shares these cores):"
    )
    w("")
    for key, value in run.machine.items():
        w(f"- {key}: {value}")
    if http is not None and http.choice is not None:
        w(
            f"- gunicorn: {http.choice.label} (`portal/gunicorn_config.py`; resolved: {http.settings})"
        )
    w(
        f"- load: {config.clients} signed-in citizens, each its own session and CSRF token; asyncio HTTP/1.1 client (stdlib) in the benchmark process; {config.warmup:.0f} s warm-up + {config.duration:.0f} s measured per journey; only what ends inside the window counts; errors are non-2xx answers or failed connections"
    )
    w("")
    w("## Data")
    w("")
    if seed.reused:
        w(
            f"Reused `{config.database}` ({seed.database_size}; {seed.marker}); migrate {seed.migrate_seconds:.1f} s."
        )
    else:
        w(
            f"**Seeded {config.applications:,} applications in {seed.seconds:.1f} s** (migrate {seed.migrate_seconds:.1f} s; database {seed.database_size})."
        )
        w("")
        w("| phase | seconds |")
        w("|---|---|")
        for phase, seconds in seed.phases.items():
            w(f"| {phase} | {seconds:.1f} |")
        w("")
        w("Rows: " + ", ".join(f"{k} {v:,}" for k, v in seed.rows.items()) + ".")
    w("")
    w(f"{seed.applications:,} applications, {seed.clerk_department_cases:,} of them ({seed.clerk_department_cases / max(1, seed.applications):.1%}) in the clerk's department; "
      f"{seed.earlier_bench_cases_deleted:,} left by earlier runs on the two bench matters were deleted first. By status: "
      + ", ".join(f"{k} {v:,}" for k, v in seed.statuses.items()) + ".")  # fmt: skip
    w("")
    if http is not None:
        if http.sweep:
            w(
                "## Server choice (form-only journey, 2 s warm-up + "
                f"{config.sweep_seconds:.0f} s each)"
            )
            w("")
            w("| gunicorn | submissions/s | submit p99 ms | whole p99 ms | errors |")
            w("|---|---|---|---|---|")
            for choice, swept in http.sweep:
                mark = " ← used" if choice == http.choice else ""
                w(
                    f"| {choice.label}{mark} | {swept.rate:,.0f} | {_ms(swept.lat('submit').p99)} | {_ms(swept.lat('submission').p99)} | {swept.errors_total} |"
                )
            w("")
        w("## Figures")
        w("")
        lines.extend(figures_table(run))
        w("")
        w("Per request (started inside the window, successful), ms:")
        w("")
        w("| journey | request | count | p50 | p95 | p99 | max |")
        w("|---|---|---|---|---|---|---|")
        for key in ("form", "upload", "submit_only"):
            r = http.results.get(key)
            if r is None:
                continue
            for kind in ("create", "save", "upload", "submit", "submission"):
                lat = r.latencies.get(kind)
                if lat is not None and lat.count:
                    w(
                        f"| {r.key} | {kind} | {lat.count:,} | {_ms(lat.p50)} | {_ms(lat.p95)} | {_ms(lat.p99)} | {_ms(lat.max)} |"
                    )
        w("")
        w(
            "While each journey ran — CPU of the 2 cores from /proc (app + load generator / "
            "PostgreSQL + Redis / other processes on the machine), and what the benchmark "
            "database's backends were doing (pg_stat_activity every 50 ms: average number of "
            "backends in each state):"
        )
        w("")
        w("| journey | CPU | load (1 min) | PostgreSQL backends |")
        w("|---|---|---|---|")
        journeys = list(http.results.values())
        if http.queue.concurrent is not None:
            journeys.append(http.queue.concurrent)
        for r in journeys:
            waits = ", ".join(f"{k} {v:.1f}" for k, v in r.waits.items()) or "–"
            load = f"{r.cpu.load1:.1f}" if r.cpu else "–"
            w(f"| {r.key} | {_cpu_cell(r.cpu)} | {load} | {waits} |")
        problems = {
            f"{r.key}: {k}": v for r in http.results.values() for k, v in r.problems.items()
        }
        if problems:
            w("")
            w("Problems: " + "; ".join(f"{k} × {v}" for k, v in problems.items()) + ".")
        w("")
        w(
            f"Sign-in of {config.clients} citizens over HTTP (PBKDF2): {http.sign_in_seconds:.1f} s. Complete drafts for the 1-request journey: {http.drafts_per_client:,} per citizen, cloned in SQL from one made through the API. Memory after the run, gunicorn master + workers: PSS {http.memory_mb[0]:,.0f} MB (sum of RSS {http.memory_mb[1]:,.0f} MB)."
        )
        w("")
    w("## Clerk queue")
    w("")
    if http is not None:
        qh = http.queue
        if qh.sequential is None:
            w(
                f"The HTTP page is not measured: {qh.note or 'not run'}. The selector is measured in-process below."
            )
        else:
            w(
                f"`GET /workbench/` as a window clerk of the department with {seed.clerk_department_cases:,} cases ({qh.page_bytes:,} bytes): {qh.sequential.count} sequential requests{f' ({qh.note})' if qh.note else ''} p50 {_ms(qh.sequential.p50)} ms, p95 {_ms(qh.sequential.p95)} ms, max {_ms(qh.sequential.max)} ms."
            )
        w("")
    qi = run.queue
    if qi.error:
        w(f"In-process selector: {qi.error}")
    else:
        w(
            "In-process `applications.selectors.staff.queue_for_staff` (no HTTP, no template), 30 calls per tab:"
        )
        w("")
        w("| tab | p50 ms | p95 ms | max ms | queries | SQL time ms (one call) |")
        w("|---|---|---|---|---|---|")
        for label, lat in qi.tabs.items():
            qs = qi.queries.get(label, [])
            w(
                f"| {label} | {_ms(lat.p50)} | {_ms(lat.p95)} | {_ms(lat.max)} | {len(qs)} | {sum(q.ms for q in qs):.1f} |"
            )
        w("")
        w(_whatif_text(qi))
        w("")
        w("Tab counts: " + ", ".join(f"{k} {'not counted' if v is None else f'{v:,}'}" for k, v in qi.counts.items()) + ".")  # fmt: skip
        w("")
        w(
            "<details><summary>Queries of one call (default tab) and EXPLAIN ANALYZE of the slowest</summary>"
        )
        w("")
        first = next(iter(qi.queries.values()), [])
        for q in first:
            w(f"- {q.ms:.1f} ms: `{_short_sql(q.sql, 300)}`")
        for sql, plan in qi.plans:
            w("")
            w("```sql")
            w(sql)
            w("```")
            w("```")
            w(plan)
            w("```")
        w("")
        w("</details>")
    w("")
    if run.ceiling is not None:
        c = run.ceiling
        w("## PostgreSQL ceiling (PERFORMANCE.md §6)")
        w("")
        w(f"`INSERT INTO bench_ceiling (kind, data jsonb)` (2 secondary indexes), each statement its own transaction with `synchronous_commit=on`, from {c.connections} psycopg connections (2 processes × threads, server-side prepared) for {c.seconds:.0f} s: **{c.rate:,.0f} commits/s**, INSERT latency p50 {c.latency.p50:.2f} ms, p99 {c.latency.p99:.2f} ms. "
          + (f"pgbench on the same statement (`-c {c.connections} -j 2 -M prepared`): {c.pgbench_tps:,.0f} tps." if c.pgbench_tps else f"pgbench: {c.pgbench_note}"))  # fmt: skip
        w("")
    if run.costs:
        w("## Where a submission's time goes (in-process, Django test client, no HTTP server)")
        w("")
        w(
            "| request | calls | SQL statements per request | transactions | SQL time ms per request (without COMMIT) | CPU ms of the Django process (median) | wall ms (median) |"
        )
        w("|---|---|---|---|---|---|---|")
        for cost in run.costs:
            w(
                f"| {cost.kind} | {cost.count} | {cost.queries:.1f} | {cost.commits:.1f} | {cost.db_ms:.1f} | {cost.cpu_ms:.1f} | {cost.wall_ms:.1f} |"
            )
        w("")
        w("<details><summary>The queries of one submit</summary>")
        w("")
        submit = next((c for c in run.costs if c.kind == "submit"), None)
        for q in submit.examples if submit else []:
            w(f"- {q.ms:.2f} ms: `{_short_sql(q.sql)}`")
        w("")
        w("</details>")
        w("")
    if run.profile:
        w("## cProfile of a submission (in-process)")
        w("")
        w(run.profile.strip())
        w("")
    w(f"Total run time: {(time.perf_counter() - run.started) / 60:.1f} min.")
    return "\n".join(lines) + "\n"


def _whatif_text(qi: QueueInProcess) -> str:
    if qi.whatif_error:
        columns = " and ".join(f"`{s.split(' ON ')[1].removeprefix('applications_application ')}`" for s in WHATIF_INDEXES)  # fmt: skip
        return f"What-if indexes {columns}: {qi.whatif_error}."
    if not qi.whatif:
        return ""
    indexes = " and ".join(f"`{s.split(' ON ')[1].removeprefix('applications_application ')}`" for s in WHATIF_INDEXES)  # fmt: skip
    return (
        f"What-if, rolled back (the database is left as seeded): with two more indexes on `applications_application`, {indexes} "
        f"(built in {qi.whatif_build_seconds:.1f} s), the same selector calls take "
        + "; ".join(f"{k} p50 {_ms(v.p50)} / p95 {_ms(v.p95)} ms" for k, v in qi.whatif.items())
        + " — PostgreSQL then ORs three index ranges instead of reading every case of the department."
    )  # fmt: skip


def docs_section(run: Run, report_path: Path) -> str:
    """What goes into docs/performance.md: the figures, the targets, the data, where time goes."""
    config, seed, http = run.config, run.seed, run.http
    m = run.machine
    lines = [DOCS_HEADING, ""]
    w = lines.append
    w(f"Measured with `make bench-applications` (`benchmarks/applications.py`; method: benchmarks/README.md). **Date:** {m.get('date', '?')[:16].replace('T', ' ')}; **code:** {m.get('code')}. "
      f"**Machine:** {m.get('cpus (nproc)')} CPUs (`nproc`), {m.get('cpu')}, {m.get('ram')} RAM; PostgreSQL {m.get('postgresql')}; Redis {m.get('redis')}; Python {m.get('python')}, Django {m.get('django')}, gunicorn {m.get('gunicorn')}"
      + (f" — **{http.choice.label}**, chosen by the sweep below" if http and http.choice and http.sweep else f" — {http.choice.label}" if http and http.choice else "")
      + f". Load: {config.clients} signed-in citizens (an asyncio HTTP/1.1 client in the benchmark process, on the same 2 cores), {config.warmup:.0f} s warm-up + {config.duration:.0f} s per journey.")  # fmt: skip
    w("")
    w(f"**Data:** {seed.applications:,} applications in PostgreSQL ({seed.database_size}), over 10 departments and every status, three years of history with working-day deadlines; the clerk's department holds {seed.clerk_department_cases:,}. "
      + (f"Seeded with COPY in {seed.seconds:.0f} s (" + ", ".join(f"{k} {v:.0f} s" for k, v in seed.phases.items()) + ")." if not seed.reused else f"Reused the seeded database ({seed.marker.split('; ')[-1]}; `--reseed` seeds again)."))  # fmt: skip
    w("")
    lines.extend(figures_table(run))
    w("")
    if http is not None and http.sweep:
        w("Server sweep (form-only journey, " f"{config.sweep_seconds:.0f} s each): " + "; ".join(f"{c.label} {r.rate:,.0f}/s (submit p99 {_ms(r.lat('submit').p99)} ms, {r.errors_total} errors)" for c, r in http.sweep) + ".")  # fmt: skip
        w("")
    if http is not None:
        for key in ("form", "upload"):
            r = http.results.get(key)
            if r is None:
                continue
            parts = [f"{k} p50 {_ms(r.lat(k).p50)} / p99 {_ms(r.lat(k).p99)} ms" for k in ("create", "save", "upload", "submit") if r.lat(k).count]  # fmt: skip
            w(f"Per request, {r.key}: " + "; ".join(parts) + ".")
        w("")
        journeys = [http.results[k] for k in ("form", "upload", "submit_only") if k in http.results]
        if http.queue.concurrent is not None:
            journeys.append(http.queue.concurrent)
        waits = [f"{r.key}: " + ", ".join(f"{k} {v:.1f}" for k, v in r.waits.items()) for r in journeys if r.waits]  # fmt: skip
        if waits:
            w("PostgreSQL backends of the benchmark database during each journey (pg_stat_activity every 50 ms, average count per state): " + "; ".join(waits) + ".")  # fmt: skip
            w("")
    qi = run.queue
    if not qi.error and qi.tabs:
        w("Queue selector in-process (`queue_for_staff`, no HTTP): " + "; ".join(f"{k} p50 {_ms(v.p50)} / p95 {_ms(v.p95)} ms, {len(qi.queries.get(k, []))} queries" for k, v in qi.tabs.items()) + ".")  # fmt: skip
        w("")
        w(_whatif_text(qi))
        slow_queue = (
            http is None
            or http.queue.sequential is None
            or http.queue.sequential.p95 > QUEUE_TARGET_P95_MS
        )
        if slow_queue and qi.plans:
            sql, plan = qi.plans[0]
            w("")
            w("Slowest queue query and its plan:")
            w("")
            w("```sql")
            w(_short_sql(sql, 2000))
            w("```")
            w("```")
            w(plan)
            w("```")
        w("")
    elif qi.error:
        w(f"Queue selector: {qi.error}")
        w("")
    if http is not None and (http.queue.sequential is None):
        w(f"The queue page over HTTP was not measured: {http.queue.note or 'not run'}.")
        w("")
    if run.costs:
        w("Where a submission's time goes (in-process test client, per request): " + "; ".join(f"{c.kind} {c.queries:.0f} SQL statements, {c.cpu_ms:.1f} ms of Django CPU, {c.db_ms:.1f} ms in SQL, {c.wall_ms:.1f} ms wall" for c in run.costs) + ".")  # fmt: skip
        w("")
    if run.profile:
        summary = run.profile.split("\n```", 1)[0].strip().splitlines()
        table = [line for line in summary if line.startswith("|")]
        intro = [line for line in summary if line and not line.startswith("|")]
        lines.extend([*intro, "", *table[:14], ""])
    w(
        f"Full report with the per-request tables, every query of a submit and the queue plans: `{report_path.relative_to(ROOT)}` (git-ignored)."
    )
    return "\n".join(lines) + "\n"


def docs_update(section: str) -> None:
    """Replace this section of docs/performance.md, or append it; the rest stays as it is."""
    text = DOCS.read_text() if DOCS.exists() else "# Performance\n"
    if DOCS_HEADING in text:
        before, _sep, after = text.partition(DOCS_HEADING)
        rest = after.split("\n## ", 1)
        tail = "\n## " + rest[1] if len(rest) > 1 else ""
        text = before.rstrip() + "\n\n" + section.rstrip() + "\n" + tail
    else:
        text = text.rstrip() + "\n\n" + section.rstrip() + "\n"
    DOCS.write_text(text)


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    config = parse_args(argv)
    media = Path(tempfile.mkdtemp(prefix="tongban-bench-media-"))
    env = django_env(config, media)
    try:
        with environment(env):
            import redis

            cache = redis.Redis.from_url(config.redis_url)
            cache.flushdb()
            seed = prepare_database(config)
            count_cases(seed)
            from benchmarks.seed_applications import citizens_ensure, pdf_document

            t0 = time.perf_counter()
            citizens_ensure(config.clients)
            log(f"{config.clients} bench citizens ready ({time.perf_counter() - t0:.1f} s)")
            with tempfile.TemporaryDirectory(prefix="tongban-bench-") as tmp:
                server_env = os.environ | env | {"DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
                http = run_http(config, server_env, Path(tmp))
            ceiling = pg_ceiling(config)
            log("queue selector in-process …")
            queue = queue_inprocess()
            missed = _missed(http, queue)
            log(
                "queries per request in-process"
                + (" (and a cProfile pass)" if config.profile or missed else "")
                + " …"
            )
            costs, profile = submission_costs(
                pdf_document(config.upload_bytes), profile=config.profile or missed
            )
            from benchmarks.seed_applications import bench_cases_delete

            bench_cases_delete()  # leave the database as seeded (the next run reuses it)
            run = Run(config, seed, http, ceiling, queue, costs, profile, started)
            run.machine = machine(config)
            text = report(run)
            cache.flushdb()
    finally:
        shutil.rmtree(media, ignore_errors=True)
    print()
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"applications-{local_now():%Y-%m-%d-%H%M}.md"
    target.write_text(text)
    log(f"written to {target.relative_to(ROOT)}")
    if config.docs:
        docs_update(docs_section(run, target))
        log(f"section “{DOCS_HEADING.removeprefix('## ')}” of {DOCS.relative_to(ROOT)} updated")
    return 0


def _missed(http: HttpInfo | None, queue: QueueInProcess) -> bool:
    if http is None:
        return True
    form, upload = http.results.get("form"), http.results.get("upload")
    if form is None or form.rate < FORM_TARGET_RATE or form.lat("submit").p99 > FORM_TARGET_P99_MS:
        return True
    if upload is None or upload.rate < UPLOAD_TARGET_RATE:
        return True
    if http.queue.sequential is not None and http.queue.sequential.p95 > QUEUE_TARGET_P95_MS:
        return True
    return any(t.p95 > QUEUE_TARGET_P95_MS for t in queue.tabs.values())


if __name__ == "__main__":
    sys.exit(main())
