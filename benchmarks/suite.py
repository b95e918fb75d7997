"""`make bench`: the whole portal under load, every figure next to a ceiling measured in the same run.

    .venv/bin/python benchmarks/suite.py            # seeds once (≈ 6 min), then ≈ 15 min of cells
    .venv/bin/python benchmarks/suite.py --quick    # small seed, short cells: a smoke run (≈ 4 min)
    .venv/bin/python benchmarks/suite.py --help

1. **Seed** (benchmarks/seed_suite.py) the database `tongban_bench_suite` unless its comment says it
   holds this seed: 10,000 matters, 1,000,000 cases with their trails, 200,000 certificates,
   100,000 applicant accounts, 200,000 ratings and the daily figures. The seeding time is reported.
2. **Start the real stack** on loopback: gunicorn with `portal/gunicorn_config.py` (sync, 2 workers:
   docs/performance.md says why), a Celery worker for certificates (`-Q celery -c 2`, prefetch 1)
   and one for messages (`-Q notifications -c 1`), PostgreSQL, Redis (database 13, flushed).
   Two more gunicorns for two cells: one without the page cache, one with `CONN_MAX_AGE=0`.
3. **Ceilings in the same run**: C_json (a plain JsonResponse on the same gunicorn and middleware),
   C_db (one indexed SELECT as JSON), each with wrk and with the asyncio client that drives the
   signed-in journeys; the PostgreSQL single-row insert + commit rate (psycopg, 16 connections,
   then pgbench); C_pdf, the bare certificate render rate of 2 processes.
4. **Journeys**: anonymous pages with wrk (browse, search, guide cached and uncached, certificate
   verification), signed-in ones with the asyncio client of benchmarks/applications.py (apply with
   two uploads, submit a complete draft, follow one's cases, the clerk's queue, the clerk accepting
   cases, the supervision dashboard), certificate issuance by the workers, the queue's enqueue and
   consume rates, 256 connections against `CONN_MAX_AGE=0`, and a 60 s mixed soak at 64
   connections with certificates issued during it.
5. **Report**: one table (rate, its ratio to the ceiling, p50/p95/p99, errors, target), printed,
   written to benchmarks/results/suite-<date>.md and into docs/performance.md ("The suite").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import applications as apps  # noqa: E402
from benchmarks.catalogue import (  # noqa: E402
    QUERIES,
    environment,
    host_description,
    local_now,
    log,
    stop_server,
)
from benchmarks.personal_data import KEYS_ENV  # noqa: E402

SEED_VERSION = "tongban-suite-seed-2"
RESULTS = ROOT / "benchmarks" / "results"
DOCS = ROOT / "docs" / "performance.md"
DOCS_HEADING = "## The suite: `make bench` (issue 7)"
CELERY = ROOT / ".venv" / "bin" / "celery"
JSON_TYPE = "application/json"

LUA = r"""
local paths, count, position, rotate = {}, 0, 0, false
function init(args)
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do count = count + 1; paths[count] = line end
  f:close()
  rotate = args[2] == "rotate"
  math.randomseed(tonumber(args[3] or "1"))
end
function request()
  if rotate then position = position % count + 1 else position = math.random(count) end
  return wrk.format("GET", paths[position])
end
function done(summary, latency, requests)
  io.write(string.format(
    "BENCHJSON {\"requests\":%d,\"duration_us\":%d,\"status\":%d,\"errors\":%d," ..
    "\"p50_us\":%d,\"p95_us\":%d,\"p99_us\":%d}\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------


@dataclass
class Config:
    database: str
    redis_url: str
    matters: int
    applications: int
    certificates: int
    ratings: int
    seconds: float
    warmup: float
    soak_seconds: float
    soak_connections: int
    wide_connections: int
    clients: int
    issue: int
    enqueue: int
    port: int
    reseed: bool
    seed_only: bool
    docs: bool
    only: frozenset[str]

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:5432/{self.database}"

    @property
    def pg_admin_url(self) -> str:
        return "postgres://postgres@127.0.0.1:5432/postgres"


def parse_args(argv: Sequence[str] | None = None) -> Config:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="tongban_bench_suite")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--matters", type=int, default=10_000)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--certificates", type=int, default=200_000)
    parser.add_argument("--ratings", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per cell")
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--soak-seconds", type=float, default=60)
    parser.add_argument("--soak-connections", type=int, default=64)
    parser.add_argument("--wide-connections", type=int, default=256)
    parser.add_argument("--clients", type=int, default=16, help="signed-in citizens")
    parser.add_argument("--issue", type=int, default=400, help="certificates issued by the workers")
    parser.add_argument(
        "--enqueue", type=int, default=20_000, help="no-op tasks for the queue cell"
    )
    parser.add_argument("--port", type=int, default=8760)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument(
        "--seed-only", action="store_true", help="seed (or check the seed) and stop"
    )
    parser.add_argument("--no-docs", action="store_true", help="leave docs/performance.md alone")
    parser.add_argument("--only", default="", help="comma-separated cell groups (default: all)")
    parser.add_argument(
        "--quick", action="store_true",
        help="a smoke run: 2,000 matters, 20,000 cases, 5 s cells, 15 s soak (own database)",
    )  # fmt: skip
    a = parser.parse_args(argv)
    if a.quick:
        a.database = a.database + "_quick"
        a.matters, a.applications, a.certificates, a.ratings = 2_000, 20_000, 5_000, 4_000
        a.seconds, a.warmup, a.soak_seconds, a.issue, a.enqueue = 5, 2, 15, 60, 5_000
        a.no_docs = True
    return Config(
        database=a.database, redis_url=a.redis, matters=a.matters, applications=a.applications,
        certificates=a.certificates, ratings=a.ratings, seconds=a.seconds, warmup=a.warmup,
        soak_seconds=a.soak_seconds, soak_connections=a.soak_connections,
        wide_connections=a.wide_connections, clients=a.clients, issue=a.issue, enqueue=a.enqueue,
        port=a.port, reseed=a.reseed, seed_only=a.seed_only, docs=not a.no_docs,
        only=frozenset(x.strip() for x in a.only.split(",") if x.strip()),
    )  # fmt: skip


def django_env(config: Config, media: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SIGNING_KEY_PASSPHRASE": "bench-signing-passphrase",
        **KEYS_ENV,  # fixed: the seeded database outlives the run's SECRET_KEY
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "False",
        "DATABASE_URL": config.database_url,
        "REDIS_URL": config.redis_url,
        "MEDIA_ROOT": str(media),
        "LOG_LEVEL": "WARNING",
        "SUPERVISION_CATCH_UP_ON_VIEW": "False",
        # Every request comes from 127.0.0.1: the per-address limit of the verification page
        # (60 a minute) would answer the load generator with 429s.
        "VERIFICATION_RATE": "1000000/m",
    }


# --------------------------------------------------------------------------------------------
# The seed
# --------------------------------------------------------------------------------------------


@dataclass
class SeedInfo:
    reused: bool
    marker: str
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    size: str = ""


def prepare(config: Config) -> SeedInfo:
    import psycopg

    marker = (
        f"{SEED_VERSION} matters={config.matters} applications={config.applications} "
        f"certificates={config.certificates} ratings={config.ratings}"
    )
    with psycopg.connect(config.pg_admin_url, autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (config.database,),
        ).fetchone()
        comment = str(row[0] or "") if row is not None else ""
        reuse = not config.reseed and comment.startswith(marker + ";")
        if not reuse:
            admin.execute(f'DROP DATABASE IF EXISTS "{config.database}" WITH (FORCE)')
            admin.execute(
                f"CREATE DATABASE \"{config.database}\" TEMPLATE template0 ENCODING 'UTF8'"
            )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    info = SeedInfo(reused=reuse, marker=comment)
    if not reuse:
        from benchmarks import seed_suite

        log(f"seeding {config.database} (this takes a few minutes; the next run reuses it) …")
        report = seed_suite.seed_all(
            matters=config.matters, applications=config.applications,
            certificates=config.certificates, ratings=config.ratings,
        )  # fmt: skip
        info.seconds, info.phases, info.rows = report.seconds, report.phases, report.rows
        info.marker = f"{marker}; seeded {local_now():%Y-%m-%d %H:%M} in {report.seconds:.0f} s"
        with connection.cursor() as cursor:
            cursor.execute(f'COMMENT ON DATABASE "{config.database}" IS %s', [info.marker])
        log(f"seeded in {report.seconds:.0f} s")
    else:
        log(f"reusing {config.database} ({comment})")
    with connection.cursor() as cursor:
        for name, sql in (
            ("matters", "SELECT count(*) FROM matters_matter"),
            ("cases", "SELECT count(*) FROM applications_application"),
            ("trail events", "SELECT count(*) FROM applications_applicationevent"),
            ("certificates", "SELECT count(*) FROM certificates_certificate"),
            ("accounts", "SELECT count(*) FROM accounts_user"),
            ("ratings", "SELECT count(*) FROM supervision_evaluation"),
        ):
            cursor.execute(sql)
            info.rows[name] = int(cursor.fetchone()[0])
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        info.size = str(cursor.fetchone()[0])
    return info


@dataclass
class Fixture:
    """What the journeys need from the database, read before the servers start."""

    citizens: list[Any]
    form_code: str
    upload_code: str
    guide_paths: list[str]
    hot_paths: list[str]
    browse_paths: list[str]
    verify_paths: list[str]
    matter_ids: list[int]
    bench_department: int


def fixture(config: Config) -> Fixture:
    from django.db import connection

    from accounts.choices import Role
    from accounts.models import User
    from benchmarks import seed_applications as sa
    from benchmarks import seed_supervision
    from certificates.models import Certificate
    from matters.models import Department, DepartmentMembership, Matter, Topic

    sa.bench_cases_delete()  # the cases earlier runs filed on the bench matters
    from django.utils import timezone

    from benchmarks.seed_suite import sample_file_use

    if sample_file_use(timezone.now()):
        log("the seeded certificates' file was missing: issued it again")
    citizens = sa.citizens_ensure(config.clients)
    seed_supervision.bench_staff_ensure()
    clerk = User.objects.get(username=sa.CLERK_USERNAME)
    sa.staff_device(clerk)
    bench_department = Department.objects.get(
        uscc=sa.department_code(sa.BENCH_DEPARTMENT[3], sa.BENCH_DEPARTMENT[0])
    )
    DepartmentMembership.objects.get_or_create(
        user=clerk, department=bench_department, role=Role.WINDOW_CLERK
    )
    form_code, upload_code = sa.bench_matter_codes()
    rng = random.Random(7)
    codes = list(
        Matter.objects.filter(status="IN_USE").values_list("implementation_code", flat=True)
    )
    rng.shuffle(codes)
    guide_paths = [f"/matters/{c}/" for c in codes]
    topics = list(Topic.objects.values_list("pk", flat=True))
    departments = list(Department.objects.values_list("pk", flat=True)[:200])
    browse_paths = ["/", "/departments/", "/matters/"]
    browse_paths += [f"/matters/?topic={t}" for t in topics]
    browse_paths += [f"/matters/?department={d}" for d in departments]
    browse_paths += [f"/matters/?topic={t}&page=2" for t in topics]
    identifiers = list(
        Certificate.objects.filter(status="VALID", pk__lte=config.certificates).order_by("?").values_list("identifier", flat=True)[:20_000]
    )  # fmt: skip
    verify_paths = [f"/verify/?id={urllib.parse.quote(i)}" for i in identifiers]
    matter_ids = list(Matter.objects.values_list("pk", flat=True)[:20_000])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from django.db import connections

    connections.close_all()
    return Fixture(
        citizens, form_code, upload_code, guide_paths, guide_paths[:1000], browse_paths,
        verify_paths, matter_ids, bench_department.pk,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Processes: gunicorn and Celery
# --------------------------------------------------------------------------------------------


@dataclass
class Stack:
    env: dict[str, str]
    workdir: Path
    servers: list[Any] = field(default_factory=list)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def gunicorn(self, port: int, extra: dict[str, str] | None = None) -> Any:
        return apps.launch(
            apps.Choice("sync", 2, 1), port, self.env | (extra or {}), self.workdir, self.servers
        )

    def celery(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log_path = self.workdir / f"celery-{name}.log"
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                [str(CELERY), "-A", "portal", "worker", "--loglevel", "WARNING", "-n", f"{name}@%h", *args],
                cwd=ROOT, env=self.env | {"DJANGO_SETTINGS_MODULE": "portal.settings.production"},
                stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self.workers.append(process)
        apps.SERVER_GROUPS.add(process.pid)
        return process

    def stop_workers(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.workers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.workers.clear()

    def stop(self) -> None:
        self.stop_workers()
        for server in self.servers:
            stop_server(server)
        self.servers.clear()


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


@dataclass
class Row:
    group: str
    label: str
    rate: float  # per second
    unit: str
    p50: float = float("nan")
    p95: float = float("nan")
    p99: float = float("nan")
    errors: int = 0
    ceiling: str = ""  # which ceiling the ratio is to
    ratio: float = float("nan")
    target: str = ""
    met: bool | None = None
    note: str = ""
    cpu: str = ""


def wrk(port: int, paths: Sequence[str], seconds: float, connections: int, workdir: Path, *, rotate: bool = False) -> tuple[float, float, float, float, int]:  # fmt: skip
    """(requests/s, p50, p95, p99 ms, non-2xx + socket errors) of `wrk -t1` over random paths."""
    script = workdir / "suite.lua"
    script.write_text(LUA)
    listing = workdir / f"paths-{uuid.uuid4().hex[:8]}.txt"
    listing.write_text("\n".join(paths) + "\n")
    threads = "2" if connections > 64 else "1"
    command = [
        shutil.which("wrk") or "wrk", f"-t{threads}", f"-c{connections}", f"-d{int(seconds)}s",
        "--timeout", "10s", "-H", "X-Forwarded-Proto: https", "-s", str(script),
        f"http://127.0.0.1:{port}", "--", str(listing), "rotate" if rotate else "random",
        str(secrets.randbelow(1_000_000)),
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("BENCHJSON "))
    return (
        data["requests"] / (data["duration_us"] / 1e6),
        data["p50_us"] / 1000, data["p95_us"] / 1000, data["p99_us"] / 1000,
        data["status"] + data["errors"],
    )  # fmt: skip


def wrk_row(group: str, label: str, port: int, paths: Sequence[str], config: Config, workdir: Path, c_json: float, *, target: str = "", check: Callable[[float, float, float], bool] | None = None, connections: int = 16) -> Row:  # fmt: skip
    wrk(port, paths, max(2, config.warmup), connections, workdir)  # warm-up, not counted
    with apps.CpuMeter() as meter:
        rate, p50, p95, p99, errors = wrk(port, paths, config.seconds, connections, workdir)
    row = Row(group, label, rate, "req/s", p50, p95, p99, errors, "C_json (wrk)",
              rate / c_json if c_json else float("nan"), target, cpu=apps._cpu_cell(meter.share))  # fmt: skip
    if check is not None:
        row.met = errors == 0 and check(rate, rate / c_json if c_json else 0, p99)
    log(
        f"  {label}: {rate:,.0f} req/s, p50/p95/p99 {p50:.1f}/{p95:.1f}/{p99:.1f} ms, errors {errors}"
    )
    return row


def journey_row(group: str, label: str, result: apps.JourneyResult, kind: str, c_json: float, *, unit: str = "req/s", target: str = "", check: Callable[[float, float, float], bool] | None = None) -> Row:  # fmt: skip
    lat = result.lat(kind)
    rate = result.rate if unit != "req/s" else result.request_rate
    row = Row(group, label, rate, unit, lat.p50, lat.p95, lat.p99, result.errors,
              "C_json (asyncio)", result.request_rate / c_json if c_json else float("nan"), target,
              cpu=apps._cpu_cell(result.cpu))  # fmt: skip
    if check is not None:
        row.met = result.errors == 0 and check(rate, row.ratio, lat.p99)
    return row


# --------------------------------------------------------------------------------------------
# Signed-in flows
# --------------------------------------------------------------------------------------------


def follow_flow(cases: dict[int, list[int]]) -> apps.Flow:
    """A citizen looks at their list, then at one of their cases (the page and the API)."""

    async def flow(index: int, browser: apps.Browser, rec: apps.Recorder) -> None:
        own = cases.get(index) or []
        await rec.timed("list", browser.request("GET", "/my/applications/"))
        if own:
            pk = own[len(rec.samples) % len(own)]
            await rec.timed("case", browser.request("GET", f"/applications/{pk}/"))
            await rec.timed("case-api", browser.request("GET", f"/api/v1/applications/{pk}/"))

    return flow


def accept_flow(pending: list[int]) -> apps.Flow:
    """A window clerk accepts the next received case (POST /api/v1/cases/<id>/accept/)."""

    def accepted(reply: apps.Reply) -> str:
        status = reply.json().get("status")
        return "" if status == "IN_REVIEW" else f"status {status}"

    async def flow(index: int, browser: apps.Browser, rec: apps.Recorder) -> None:
        if not pending:
            await asyncio.sleep(0.05)
            rec.problems["accept: out of received cases"] += 1
            return
        pk = pending.pop()
        await rec.timed("accept", browser.request("POST", f"/api/v1/cases/{pk}/accept/", b"{}", JSON_TYPE), check=accepted)  # fmt: skip

    return flow


def soak_flow(fx: Fixture, anonymous: list[apps.Browser], own: dict[int, list[int]], form_code: str) -> apps.Flow:  # fmt: skip
    """PERFORMANCE.md T9: 70 % guide pages (80 % of them from the 1,000 hot ones), 20 % search,
    9 % a citizen's case status, 1 % a whole submission (create, save, submit)."""
    submit = apps.submission_flow(form_code, [])
    rng = random.Random(9)

    async def flow(index: int, browser: apps.Browser, rec: apps.Recorder) -> None:
        draw = rng.random()
        anon = anonymous[index]
        if draw < 0.70:
            paths = fx.hot_paths if rng.random() < 0.8 else fx.guide_paths
            await rec.timed("guide", anon.request("GET", rng.choice(paths)))
        elif draw < 0.90:
            query = urllib.parse.quote(rng.choice(QUERIES))
            await rec.timed("search", anon.request("GET", f"/search/?q={query}"))
        elif draw < 0.99:
            cases = own.get(index % len(own)) if own else None
            if cases:
                path = f"/api/v1/applications/{rng.choice(cases)}/"
                await rec.timed("status", browser.request("GET", path))
            else:
                await rec.timed("status", browser.request("GET", "/api/v1/applications/"))
        else:
            await submit(index, browser, rec)

    return flow


# --------------------------------------------------------------------------------------------
# Certificates and the queue
# --------------------------------------------------------------------------------------------


def certificates_request(count: int, *, rate: float | None = None, stop: threading.Event | None = None) -> list[int]:  # fmt: skip
    """Ask for certificates of approved, delivered cases that have none, as the approval would
    (certificates.services.certificate_request, in a transaction; the task is enqueued on commit).
    With `rate`, spread them at that many a second until `stop` is set."""
    from django.db import connections, transaction
    from django.utils import timezone

    from applications.models import Application
    from certificates.choices import HolderCodeType
    from certificates.models import Certificate, CertificateType
    from certificates.services import Holder, certificate_request

    types = {t.department_id: t.code for t in CertificateType.objects.all()}
    taken = set(Certificate.objects.values_list("source_ref", flat=True).order_by("-pk")[:5000])
    cases = list(
        Application.objects.filter(status="COMPLETED", outcome="APPROVED", department_id__in=types)
        .exclude(reference__in=taken)
        .order_by("-pk")
        .select_related("applicant")[: count * 3]
    )
    made: list[int] = []
    for case in cases:
        if len(made) >= count or (stop is not None and stop.is_set()):
            break
        if Certificate.objects.filter(source_ref=case.reference).exists():
            continue
        with transaction.atomic():
            certificate = certificate_request(
                type_code=types[case.department_id],
                holder=Holder(name=case.applicant_name, code=case.applicant_id_number,
                              code_type=HolderCodeType.RESIDENT_ID, user=case.applicant),
                data={}, source_ref=case.reference or f"bench-{case.pk}", now=timezone.now(),
            )  # fmt: skip
        if certificate is not None:
            made.append(certificate.pk)
        if rate:
            time.sleep(1 / rate)
    connections.close_all()
    return made


def wait_valid(ids: Sequence[int], timeout: float) -> tuple[float, int]:
    """Seconds until every certificate of `ids` is VALID (or the timeout), and how many are."""
    from certificates.models import Certificate

    started = time.perf_counter()
    valid = 0
    while time.perf_counter() - started < timeout:
        valid = Certificate.objects.filter(pk__in=ids, status="VALID").count()
        if valid >= len(ids):
            break
        time.sleep(0.1)
    return time.perf_counter() - started, valid


def issue_times(ids: Sequence[int]) -> tuple[float, float]:
    """(first → last issue seconds, p50 of requested → issued seconds) from the rows."""
    from certificates.models import Certificate

    rows = [
        (requested, issued)
        for requested, issued in Certificate.objects.filter(pk__in=ids, status="VALID").values_list("requested_at", "issued_at")
        if issued is not None
    ]  # fmt: skip
    if len(rows) < 2:
        return float("nan"), float("nan")
    issued = sorted(i for _r, i in rows)
    span = (issued[-1] - issued[0]).total_seconds()
    waits = [(i - r).total_seconds() for r, i in rows]
    return span, statistics.median(waits)


def queue_rates(config: Config, stack: Stack) -> tuple[float, float]:
    """Enqueue `config.enqueue` tasks from this process (one producer), then drain them with one
    prefork -c2 worker: (published/s, consumed/s). The task is the product's own message outbox
    sweep with nothing to do, so the worker runs real code with no side effects."""
    import redis
    from celery import current_app

    from portal.celery import app

    del current_app
    client = redis.Redis.from_url(config.redis_url)
    queue = "bench-noop"
    client.delete(queue)
    task = app.signature("celery.accumulate", args=(1,))
    started = time.perf_counter()
    with app.producer_or_acquire() as producer:
        for _ in range(config.enqueue):
            task.apply_async(queue=queue, producer=producer, ignore_result=True)
    published = config.enqueue / (time.perf_counter() - started)
    begin = time.perf_counter()
    worker = stack.celery("noop", "-Q", queue, "-c", "2")
    try:
        deadline = begin + 300
        while time.perf_counter() < deadline:
            if client.llen(queue) == 0 and not client.hlen("unacked"):
                break
            time.sleep(0.05)
        consumed = config.enqueue / (time.perf_counter() - begin)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        stack.workers.remove(worker)
    return published, consumed


def c_pdf() -> float:
    """Bare render rate of the certificate template, 2 processes (benchmarks/certificate_render)."""
    from benchmarks import certificate_render

    rate, _note = certificate_render.pages_per_second(2, 20, os.environ["DJANGO_SETTINGS_MODULE"])
    return float(rate)


def pg_select_ceiling(config: Config, max_id: int) -> float:
    """pgbench -M prepared, 4 clients: one indexed single-row SELECT of a matter per transaction
    (PERFORMANCE.md §6, the read side of T10). 0 when pgbench is missing."""
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        return 0.0
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(
            f"\\set id random(1, {max_id})\n"
            "SELECT id, implementation_code, popularity FROM matters_matter WHERE id = :id;\n"
        )
    try:
        done = subprocess.run(
            [pgbench, "-n", "-h", "127.0.0.1", "-U", "postgres", "-c", "4", "-j", "2",
             "-T", str(int(config.seconds)), "-M", "prepared", "-f", script.name, config.database],
            capture_output=True, text=True, timeout=config.seconds + 60, check=False,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    for line in done.stdout.splitlines():
        if line.startswith("tps = "):
            return float(line.split()[2])
    return 0.0


def pg_connections(stop: threading.Event, out: list[int]) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        while not stop.wait(0.1):
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_type = 'client backend'"
            ).fetchone()
            out.append(int(row[0]) if row else 0)


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


@dataclass
class Run:
    config: Config
    seed: SeedInfo
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ceilings: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    machine: dict[str, str] = field(default_factory=dict)


def wanted(config: Config, group: str) -> bool:
    return not config.only or group in config.only


def run_all(config: Config, seed: SeedInfo, fx: Fixture, stack: Stack) -> Run:
    run = Run(config, seed)
    port = config.port
    stack.gunicorn(port)
    stack.celery("certificates", "-Q", "celery", "-c", "2", "--prefetch-multiplier", "1")
    stack.celery("messages", "-Q", "notifications", "-c", "1")
    w = stack.workdir

    # Ceilings: C_json and C_db with wrk and with the asyncio client; PostgreSQL; C_pdf.
    cj, cp50, cp95, cp99, cerr = (0.0, 0.0, 0.0, 0.0, 0)
    wrk(port, ["/bench/json"], 2, 16, w)
    cj, cp50, cp95, cp99, cerr = wrk(port, ["/bench/json"], config.seconds, 16, w)
    run.ceilings["C_json (wrk)"] = cj
    run.rows.append(Row("ceiling", "C_json: plain JsonResponse, same gunicorn and middleware (wrk, 16 conn.)", cj, "req/s", cp50, cp95, cp99, cerr, "C_json (wrk)", 1.0))  # fmt: skip
    db_paths = [f"/bench/db/{pk}" for pk in fx.matter_ids]
    run.rows.append(
        wrk_row("ceiling", "C_db: one indexed SELECT as JSON (wrk)", port, db_paths, config, w, cj)
    )
    browsers = [apps.Browser(port) for _ in range(16)]
    j = apps.run_journey("C_json", "C_json asyncio", browsers, apps.get_flow("get", ["/bench/json"]), 2, config.seconds, rate_kind="get")  # fmt: skip
    ca = j.request_rate
    run.ceilings["C_json (asyncio)"] = ca
    run.rows.append(journey_row("ceiling", "C_json with the asyncio client (16 conn.): the ceiling of the signed-in journeys", j, "get", ca))  # fmt: skip
    ceiling = apps.pg_ceiling(SimpleNamespace(database_url=config.database_url, ceiling_connections=16, ceiling_seconds=config.seconds))  # type: ignore[arg-type]  # fmt: skip
    run.ceilings["C_pg"] = ceiling.rate
    run.rows.append(Row("ceiling", "C_pg: PostgreSQL single-row INSERT + commit, 16 psycopg connections", ceiling.rate, "commits/s", ceiling.latency.p50, ceiling.latency.p95, ceiling.latency.p99, 0, "C_pg", 1.0, note=f"pgbench -M prepared: {ceiling.pgbench_tps or 0:,.0f} tps" if ceiling.pgbench_tps else ceiling.pgbench_note))  # fmt: skip
    select = pg_select_ceiling(config, max(fx.matter_ids))
    if select:
        run.ceilings["C_select"] = select
        c_db = next(r for r in run.rows if r.label.startswith("C_db")).rate
        run.rows.append(Row("ceiling", "C_select: pgbench -M prepared, 4 clients, one indexed SELECT of a matter", select, "tx/s", ceiling="C_select", ratio=1.0, target="T10: C_db ≥ 0.05 × C_select", met=c_db / select >= 0.05, note=f"C_db = {c_db / select:.3f} × C_select"))  # fmt: skip
    if wanted(config, "certificates"):
        try:
            run.ceilings["C_pdf"] = c_pdf()
            run.rows.append(Row("ceiling", "C_pdf: bare render of the certificate template, 2 processes", run.ceilings["C_pdf"], "pages/s", ceiling="C_pdf", ratio=1.0))  # fmt: skip
        except (Exception, SystemExit) as exc:  # a calibration that fails is reported
            run.notes.append(f"C_pdf not measured: {exc!r}")

    # Anonymous pages with wrk.
    if wanted(config, "catalogue"):
        run.rows.append(wrk_row("catalogue", "browse: home, departments, topic and department listings", port, fx.browse_paths, config, w, cj))  # fmt: skip
        search = [f"/search/?q={urllib.parse.quote(q)}" for q in QUERIES]
        run.rows.append(wrk_row("catalogue", "search page /search/?q= (30 queries of 1–10 characters)", port, search, config, w, cj, target="T3: ≥ 500 req/s", check=lambda r, _x, _p: r >= 500))  # fmt: skip
        api = [f"/api/v1/matters/?search={urllib.parse.quote(q)}" for q in QUERIES]
        run.rows.append(
            wrk_row("catalogue", "search API /api/v1/matters/?search=", port, api, config, w, cj)
        )
        asyncio.run(_get_all(port, fx.hot_paths))  # every hot guide into the page cache
        run.rows.append(wrk_row("catalogue", "guide page, hot set (1,000), page cache warm", port, fx.hot_paths, config, w, cj, target="T2: ≥ 2,000 req/s, ≥ 0.5 × C_json, p99 ≤ 25 ms", check=lambda r, x, p: r >= 2000 and x >= 0.5 and p <= 25))  # fmt: skip
        run.rows.append(wrk_row("catalogue", f"guide page, random over all {len(fx.guide_paths):,} (production cache)", port, fx.guide_paths, config, w, cj))  # fmt: skip
        b = stack.gunicorn(port + 1, {"CATALOGUE_PAGE_CACHE_SECONDS": "0"})
        run.rows.append(wrk_row("catalogue", "guide page uncached, random over all (server without page cache)", b.port, fx.guide_paths, config, w, cj, target="T1: ≥ 750 req/s, ≥ 0.18 × C_json, p99 ≤ 60 ms", check=lambda r, x, p: r >= 750 and x >= 0.18 and p <= 60))  # fmt: skip
        run.rows.append(wrk_row("catalogue", "search page uncached", b.port, search, config, w, cj, target="T3: ≥ 500 req/s", check=lambda r, _x, _p: r >= 500))  # fmt: skip
        stop_server(b)
        stack.servers.remove(b)
    if wanted(config, "certificates"):
        run.rows.append(wrk_row("certificates", f"certificate verification page, random over {len(fx.verify_paths):,} certificates", port, fx.verify_paths, config, w, cj))  # fmt: skip

    # Signed-in journeys with the asyncio client.
    citizens = [apps.Browser(port) for _ in fx.citizens]
    asyncio.run(apps._sign_in_all(citizens, [c.account for c in fx.citizens]))
    if wanted(config, "applications"):
        from benchmarks.seed_applications import pdf_document

        journeys_began = time.time()
        pdf = pdf_document(100_000)
        uploads = [apps.multipart({"material_key": k}, "file", f"{k}-scan.pdf", pdf) for k in ("M01", "M02")]  # fmt: skip
        j = apps.run_journey("upload", "apply with uploads", citizens, apps.submission_flow(fx.upload_code, uploads), config.warmup, config.seconds)  # fmt: skip
        run.rows.append(journey_row("applications", "apply: create + save + two 100 kB PDF uploads + submit (5 requests)", j, "submit", ca, unit="submissions/s"))  # fmt: skip
        j = apps.run_journey("form", "apply, form only", citizens, apps.submission_flow(fx.form_code, []), config.warmup, config.seconds)  # fmt: skip
        run.rows.append(journey_row("applications", "apply: create + save + submit (3 requests)", j, "submit", ca, unit="submissions/s"))  # fmt: skip
        ns = SimpleNamespace(warmup=config.warmup, duration=config.seconds)
        drafts, _per = apps._prepare_drafts(ns, citizens, fx.citizens, fx.form_code)  # type: ignore[arg-type]
        j = apps.run_journey("submit-only", "submit a complete draft", citizens, apps.submit_only_flow(drafts, [c.pk for c in fx.citizens]), config.warmup, config.seconds)  # fmt: skip
        row = journey_row("applications", "submit a complete draft (T4: insert, FSM with lock, trail, on_commit enqueue)", j, "submit", ca, unit="submissions/s")  # fmt: skip
        row.target = "T4: ≥ 600/s, p99 ≤ 80 ms, ≥ 0.15 × C_pg"
        row.met = (
            j.errors == 0
            and j.rate >= 600
            and row.p99 <= 80
            and j.rate / run.ceilings["C_pg"] >= 0.15
        )
        row.note = f"{j.rate / run.ceilings['C_pg']:.3f} × C_pg (T10: ≥ 0.15)"
        run.rows.append(row)
        own = _own_cases(fx)
        j = apps.run_journey("follow", "follow", citizens, follow_flow(own), config.warmup, config.seconds, rate_kind="case")  # fmt: skip
        run.rows.append(journey_row("applications", "follow my cases: my list, a case page, its API (3 requests)", j, "case", ca))  # fmt: skip
        run.rows.extend(_clerk_rows(config, fx, port, ca))
        run.notes.append(_messages_drained(journeys_began))
    if wanted(config, "supervision"):
        run.rows.extend(_dashboard_rows(config, port, ca))

    # Certificates issued by the workers, and the queue itself.
    if wanted(config, "certificates"):
        ids = certificates_request(config.issue)
        seconds, valid = wait_valid(ids, 600)
        span, wait_p50 = issue_times(ids)
        rate = (valid - 1) / span if span and span == span and span > 0 else float("nan")
        row = Row("certificates", f"certificate issuance by 2 worker processes: {len(ids)} requested at once (render, QR, sign, store, deliver)", rate, "certificates/s", wait_p50 * 1000, ceiling="C_pdf", errors=len(ids) - valid)  # fmt: skip
        if "C_pdf" in run.ceilings:
            row.ratio = rate / run.ceilings["C_pdf"]
        row.target = "T5: ≥ 20/s, ≥ 0.75 × C_pdf"
        row.met = valid == len(ids) and rate >= 20 and row.ratio >= 0.75
        row.note = f"all VALID after {seconds:.1f} s; p50 column = requested → issued"
        run.rows.append(row)
        published, consumed = queue_rates(config, stack)
        run.rows.append(Row("certificates", f"Celery enqueue from one process ({config.enqueue:,} tasks)", published, "tasks/s", target="T7: ≥ 2,000/s", met=published >= 2000))  # fmt: skip
        run.rows.append(Row("certificates", "Celery consume, one prefork -c2 worker", consumed, "tasks/s", target="T7: ≥ 1,000/s", met=consumed >= 1000))  # fmt: skip

    # Connection discipline (T8): 256 connections against production and CONN_MAX_AGE=0.
    if wanted(config, "connections"):
        samples: list[int] = []
        stop = threading.Event()
        sampler = threading.Thread(target=pg_connections, args=(stop, samples), daemon=True)
        sampler.start()
        wide = wrk_row("connections", f"1-query view at {config.wide_connections} connections", port, db_paths, config, w, cj, connections=config.wide_connections)  # fmt: skip
        stop.set()
        sampler.join(timeout=5)
        c = stack.gunicorn(port + 2, {"CONN_MAX_AGE": "0"})
        fresh = wrk_row("connections", f"same, a server with CONN_MAX_AGE=0, {config.wide_connections} connections", c.port, db_paths, config, w, cj, connections=config.wide_connections)  # fmt: skip
        stop_server(c)
        stack.servers.remove(c)
        most = max(samples) if samples else 0
        wide.target = "T8: 0 non-2xx, ≤ 40 PostgreSQL connections, ≥ 5 × CONN_MAX_AGE=0"
        wide.met = wide.errors == 0 and most <= 40 and wide.rate >= 5 * fresh.rate
        wide.note = (
            f"{most} PostgreSQL connections at most; {wide.rate / fresh.rate:.1f} × CONN_MAX_AGE=0"
        )
        run.rows += [wide, fresh]

    # The mixed soak (T9), with certificates issued during it.
    if wanted(config, "soak"):
        run.rows.append(_soak(config, fx, port, citizens, ca))
    return run


async def _get_all(port: int, paths: Sequence[str], parallel: int = 4) -> None:
    async def one(start: int) -> None:
        browser = apps.Browser(port)
        for path in paths[start::parallel]:
            await browser.request("GET", path)
        await browser.close()

    await asyncio.gather(*(one(i) for i in range(parallel)))


def _own_cases(fx: Fixture) -> dict[int, list[int]]:
    from django.db import connections

    from applications.models import Application

    out: dict[int, list[int]] = {}
    for index, citizen in enumerate(fx.citizens):
        out[index] = list(
            Application.objects.filter(applicant_id=citizen.pk)
            .exclude(status="DRAFT")
            .order_by("-pk")
            .values_list("pk", flat=True)[:50]
        )
    connections.close_all()
    return out


def _messages_drained(since: float, timeout: float = 60) -> str:
    """Every message the journeys' cases caused (receipts: in-app, SMS, e-mail; each row is an
    outbox entry whose task was enqueued on commit) is SENT within `timeout`: none was lost."""
    import datetime as dt

    from django.db import connections

    from applications.models import Application
    from benchmarks.seed_applications import bench_matters
    from notifications.models import Notification

    after = dt.datetime.fromtimestamp(since, tz=dt.UTC)
    started = time.perf_counter()
    queued = total = 0
    while time.perf_counter() - started < timeout:
        rows = Notification.objects.filter(created_at__gte=after)
        total = rows.count()
        queued = rows.filter(status="QUEUED").count()
        if not queued:
            break
        time.sleep(0.5)
    cases = Application.objects.filter(matter__in=bench_matters()).exclude(status="DRAFT").count()
    connections.close_all()
    return (
        f"the applications journeys filed {cases:,} cases; their {total:,} messages: "
        f"{total - queued:,} sent, {queued:,} still queued after {time.perf_counter() - started:.0f} s"
    )


async def _in_a_row(browser: apps.Browser, path: str, count: int) -> list[float]:
    """`count` GETs of `path` one after the other: each one's milliseconds (the first are warm-up)."""
    times = []
    for _ in range(count):
        t0 = time.perf_counter()
        reply = await browser.request("GET", path)
        if reply.status != 200:
            raise SystemExit(f"{path}: HTTP {reply.status}")
        times.append((time.perf_counter() - t0) * 1000)
    await browser.close()
    return times


def _clerk_rows(config: Config, fx: Fixture, port: int, ca: float) -> list[Row]:
    from django.db import connections

    from applications.models import Application
    from benchmarks.seed_applications import CLERK_USERNAME

    clerk = apps.Browser(port)
    asyncio.run(apps.staff_sign_in(clerk, CLERK_USERNAME))
    rows: list[Row] = []

    times = asyncio.run(_in_a_row(clerk, "/workbench/", 100))[10:]
    lat = apps.latency(times)
    rows.append(Row("applications", f"clerk queue /workbench/ over {fx_cases_label()} cases, one clerk, 90 requests in a row", 1000 / statistics.mean(times), "req/s", lat.p50, lat.p95, lat.p99, 0, target="≤ 100 ms p95", met=lat.p95 <= 100))  # fmt: skip
    j = apps.run_journey("queue", "clerk queue x8", [clerk.copy() for _ in range(8)], apps.get_flow("queue", ["/workbench/"]), 2, config.seconds, rate_kind="queue")  # fmt: skip
    rows.append(journey_row("applications", "clerk queue, 8 clerks at once", j, "queue", ca))
    pending = list(
        Application.objects.filter(department_id=fx.bench_department, status="RECEIVED")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    connections.close_all()
    j = apps.run_journey("accept", "clerk accepts", [clerk.copy() for _ in range(8)], accept_flow(pending), 1, config.seconds, rate_kind="accept")  # fmt: skip
    row = journey_row("applications", "clerk transition: accept a received case (API, 8 clerks)", j, "accept", ca, unit="transitions/s")  # fmt: skip
    row.note = f"{len(pending):,} received cases to take from"
    rows.append(row)
    return rows


def fx_cases_label() -> str:
    from applications.models import Application

    return f"{Application.objects.count():,}"


def _dashboard_rows(config: Config, port: int, ca: float) -> list[Row]:
    from benchmarks.seed_supervision import SUPERVISOR_USERNAME

    supervisor = apps.Browser(port)
    asyncio.run(apps.staff_sign_in(supervisor, SUPERVISOR_USERNAME))
    path = "/supervision/dashboard/"

    times = asyncio.run(_in_a_row(supervisor, path, 40))[5:]
    lat = apps.latency(times)
    rows = [Row("supervision", "supervision dashboard, all departments, one supervisor, 35 requests in a row", 1000 / statistics.mean(times), "req/s", lat.p50, lat.p95, lat.p99, 0, target="≤ 300 ms p95", met=lat.p95 <= 300)]  # fmt: skip
    j = apps.run_journey("dashboard", "dashboard x8", [supervisor.copy() for _ in range(8)], apps.get_flow("dash", [path]), 2, config.seconds, rate_kind="dash")  # fmt: skip
    rows.append(
        journey_row("supervision", "supervision dashboard, 8 supervisors at once", j, "dash", ca)
    )
    return rows


def _soak(config: Config, fx: Fixture, port: int, citizens: list[apps.Browser], ca: float) -> Row:
    own = _own_cases(fx)
    n = config.soak_connections
    signed = [citizens[i % len(citizens)].copy() for i in range(n)]
    anonymous = [apps.Browser(port) for _ in range(n)]
    stop = threading.Event()
    issued: list[int] = []
    per_second = 6.0  # PERFORMANCE.md T9's component model: about 6 certificates/s

    def issue() -> None:
        issued.extend(certificates_request(int(per_second * (config.soak_seconds + config.warmup)) + 10, rate=per_second, stop=stop))  # fmt: skip

    thread = threading.Thread(target=issue, daemon=True)
    thread.start()
    try:
        j = apps.run_journey("soak", "mixed soak", signed, soak_flow(fx, anonymous, own, fx.form_code), config.warmup, config.soak_seconds, rate_kind="guide")  # fmt: skip
    finally:
        stop.set()
        thread.join(timeout=60)
    for browser in anonymous:
        asyncio.run(browser.close())
    drain, valid = wait_valid(issued, 120)
    p99s = {k: j.lat(k).p99 for k in ("guide", "search", "status", "submit")}
    worst = max(v for v in p99s.values() if v == v)
    row = Row("soak", f"mixed soak {config.soak_seconds:.0f} s at {n} connections: 70 % guide (80/20 hot), 20 % search, 9 % case status, 1 % submissions; certificates at {per_second:.0f}/s", j.request_rate, "req/s", float("nan"), float("nan"), worst, j.errors, "C_json (asyncio)", j.request_rate / ca if ca else float("nan"), cpu=apps._cpu_cell(j.cpu))  # fmt: skip
    row.target = "T9: ≥ 600 req/s, p99 ≤ 200 ms, queue drained ≤ 10 s"
    row.met = (
        j.errors == 0
        and j.request_rate >= 600
        and worst <= 200
        and drain <= 10
        and valid == len(issued)
    )
    row.note = (
        "by kind (requests, p50 / p99 ms): "
        + ", ".join(
            f"{k} {j.lat(k).count:,}, {j.lat(k).p50:.0f} / {v:.0f}"
            for k, v in p99s.items()
            if v == v
        )
        + f"; {len(issued)} certificates, {valid} VALID, drained {drain:.1f} s after the load stopped"
    )
    return row


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def _f(value: float, digits: int = 0) -> str:
    if value != value:  # NaN
        return "–"
    return f"{value:,.{digits}f}"


def table(run: Run) -> list[str]:
    lines = [
        "| group | cell | rate | × ceiling | p50 / p95 / p99 ms | errors | CPU: app+load / PG+Redis / other | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in run.rows:
        ratio = f"{r.ratio:.2f} × {r.ceiling}" if r.ratio == r.ratio and r.ceiling else "–"
        verdict = "" if r.met is None else (" ✅" if r.met else " ❌")
        note = f" — {r.note}" if r.note else ""
        lines.append(
            f"| {r.group} | {r.label}{note} | **{_f(r.rate, 1 if r.rate < 100 else 0)}** {r.unit} | {ratio} | "
            f"{_f(r.p50, 1)} / {_f(r.p95, 1)} / {_f(r.p99, 1)} | {r.errors} | {r.cpu or '–'} | {r.target}{verdict} |"
        )
    return lines


def report(run: Run) -> str:
    c = run.config
    s = run.seed
    seeded = (
        f"seeded in {s.seconds:.0f} s: " + "; ".join(f"{k} {v:.1f} s" for k, v in s.phases.items())
        if not s.reused
        else f"reused ({s.marker})"
    )
    out = [
        DOCS_HEADING,
        "",
        f"**Command:** `make bench` (`.venv/bin/python benchmarks/suite.py`; method in benchmarks/README.md). "
        f"**Date:** {local_now():%Y-%m-%d %H:%M}. **Code:** {apps._git_revision()}.",
        "",
        "**Machine:** " + "; ".join(f"{k} {v}" for k, v in run.machine.items()) + ".",
        "",
        f"**Data** (`{c.database}`, {s.size}): "
        + ", ".join(f"{k} {v:,}" for k, v in s.rows.items())
        + f". {seeded}.",
        "",
        f"**Server:** gunicorn `portal/gunicorn_config.py` (sync, 2 workers, preload); Celery "
        f"`-Q celery -c 2 --prefetch-multiplier 1` and `-Q notifications -c 1`; wrk `-t1 -c16` for "
        f"anonymous pages, the asyncio client of benchmarks/applications.py for signed-in journeys; "
        f"{c.warmup:.0f} s warm-up + {c.seconds:.0f} s per cell.",
        "",
        *table(run),
        "",
    ]
    if run.notes:
        out += ["Notes: " + "; ".join(run.notes) + ".", ""]
    out.append(f"Whole run: {(time.perf_counter() - run.started) / 60:.1f} min.")
    return "\n".join(out) + "\n"


def docs_update(section: str) -> None:
    text = DOCS.read_text()
    start = text.find(DOCS_HEADING)
    if start < 0:
        text = text.rstrip() + "\n\n" + section
    else:
        following = re.search(r"^## ", text[start + len(DOCS_HEADING) :], re.MULTILINE)
        end = start + len(DOCS_HEADING) + following.start() if following else len(text)
        text = text[:start] + section + ("\n" if following else "") + text[end:]
    DOCS.write_text(text)


def media_cleanup(media: Path) -> None:
    """Remove the journeys' uploads (their cases are deleted at the end of the run). Certificate
    files stay: their rows do too, and the next run may verify them."""
    shutil.rmtree(media / "applications", ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    config = parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it)")
    # Kept with the database: the seeded certificates point at one real signed file in it.
    media = ROOT / "var" / "bench-media" / config.database
    media.mkdir(parents=True, exist_ok=True)
    env = django_env(config, media)
    started = time.perf_counter()
    with environment(env), tempfile.TemporaryDirectory(prefix="tongban-suite-") as tmp:
        import redis

        redis.Redis.from_url(config.redis_url).flushdb()
        with environment({"DB_STATEMENT_TIMEOUT_MS": "0"}):  # a COPY of 200,000 rows may take long
            seed = prepare(config)
        if config.seed_only:
            log(f"{config.database}: " + ", ".join(f"{k} {v:,}" for k, v in seed.rows.items()))
            return 0
        fx = fixture(config)
        stack = Stack(
            os.environ | env | {"DJANGO_SETTINGS_MODULE": "benchmarks.settings"}, Path(tmp)
        )
        try:
            run = run_all(config, seed, fx, stack)
        except BaseException:
            RESULTS.mkdir(parents=True, exist_ok=True)
            for log_file in Path(tmp).glob("*.log"):
                shutil.copyfile(log_file, RESULTS / f"suite-{log_file.name}")
            raise
        finally:
            stack.stop()
            media_cleanup(media)
        run.started = started
        run.machine = host_description() | {"load before": os.getloadavg().__repr__()}
        from benchmarks.seed_applications import bench_cases_delete

        bench_cases_delete()
        redis.Redis.from_url(config.redis_url).flushdb()
    text = report(run)
    print()
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"suite-{local_now():%Y-%m-%d-%H%M}.md"
    target.write_text(text)
    log(f"written to {target.relative_to(ROOT)}")
    if config.docs:
        docs_update(text)
        log(f"“{DOCS_HEADING.removeprefix('## ')}” in {DOCS.relative_to(ROOT)} updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
