"""Scale-out on one machine: 1 against 2 web replicas behind nginx, 1 against 2 Celery workers.

    .venv/bin/python benchmarks/scaleout.py                # make bench-scaleout
    .venv/bin/python benchmarks/scaleout.py --help

A *replica* is what one container of docker-compose's `web` service runs, cut to one core: one
gunicorn (`portal/gunicorn_config.py`, sync, WEB_CONCURRENCY=1) on its own loopback port. nginx runs
deploy/nginx/nginx.conf itself, with the upstream (1 or 2 replicas), the port and the paths replaced.
Both nginx instances and both replicas run the whole time; the cells alternate between them
(1, 2, 2, 1, 1, 2 …), each `--warmup` + `--seconds` with `--connections` keep-alive connections
from applications.py's asyncio client over a read mix: guide pages of the demo matters, the search
page, /bench/json. Then the worker half: `--certificates` 秒批 cases are filed with no worker
running (each enqueues its certificate, as in benchmarks/certificates.py), then 1 or 2 worker
instances (`celery -A portal worker -Q celery --concurrency 1 --prefetch-multiplier 1`, each its own
process) drain the queue; also alternated and repeated.

Needs nginx (`apt-get install nginx`), PostgreSQL on 127.0.0.1:5432 (user postgres, trust; the
database `tongban_bench_scale` is dropped and created) and Redis (database 12, flushed). Every
process it starts runs in its own process group and is stopped at the end, also on errors.
"""

# ruff: noqa: E402 (the sys.path fix below must come before every other import)
from __future__ import annotations

import sys
from pathlib import Path

# `python benchmarks/scaleout.py` puts benchmarks/ first on sys.path, where a module can shadow
# the standard library (a benchmarks/queue.py would hide `queue`): the project root takes its place.
if Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

from benchmarks import certificates as certificate_bench
from benchmarks.applications import (
    Browser,
    Choice,
    Recorder,
    _cpu_fields,
    _processes,
    _service_uids,
    drive,
    gunicorn_command,
)
from benchmarks.catalogue import (
    Server,
    local_now,
    log,
    machine_description,
    percentile,
    wait_ready,
)
from benchmarks.personal_data import KEYS_ENV

RESULTS = ROOT / "benchmarks" / "results"
NGINX_CONF = ROOT / "deploy" / "nginx" / "nginx.conf"
CELERY = ROOT / ".venv" / "bin" / "celery"
SEED_MARKER = "tongban-scaleout-demo-1"
# The read mix: share of guide pages, search pages and the JSON calibration view.
MIX = (("guide", 0.6), ("search", 0.25), ("json", 0.15))
SEARCHES = ("护照", "户口", "老年人优待证", "营业执照", "社保", "公积金")


@dataclass(frozen=True)
class Config:
    database: str
    pg_admin_url: str
    redis_url: str
    seconds: float
    warmup: float
    connections: int
    repeats: int
    certificates: int
    worker_repeats: int
    port: int
    page_cache: int | None
    reuse: bool
    skip_web: bool
    skip_workers: bool

    @property
    def database_url(self) -> str:
        parts = urllib.parse.urlsplit(self.pg_admin_url)
        return urllib.parse.urlunsplit(parts._replace(path=f"/{self.database}"))


def parse_args(argv: Sequence[str] | None = None) -> Config:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--database", default="tongban_bench_scale", help="its own database")
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--redis", default="redis://127.0.0.1:6379/12", help="flushed at the start")
    p.add_argument("--seconds", type=float, default=15, help="measured seconds per cell (15)")
    p.add_argument("--warmup", type=float, default=2, help="unmeasured seconds per cell (2)")
    p.add_argument("--connections", type=int, default=16, help="client connections (16)")
    p.add_argument("--repeats", type=int, default=3, help="repetitions of each web cell (3)")
    p.add_argument("--certificates", type=int, default=200, help="certificates per worker round")
    p.add_argument("--worker-repeats", type=int, default=2, help="repetitions of each worker round")
    p.add_argument("--port", type=int, default=8760, help="first of 4 loopback ports (8760)")
    p.add_argument(
        "--page-cache", type=int, default=None,
        help="CATALOGUE_PAGE_CACHE_SECONDS for the replicas (production's 300 unless given; 0 renders every page)",
    )  # fmt: skip
    p.add_argument("--reuse", action="store_true", help="keep the database if this script made it")
    p.add_argument("--skip-web", action="store_true")
    p.add_argument("--skip-workers", action="store_true")
    a = p.parse_args(argv)
    return Config(
        database=a.database, pg_admin_url=a.pg, redis_url=a.redis, seconds=a.seconds,
        warmup=a.warmup, connections=a.connections, repeats=a.repeats,
        certificates=a.certificates, worker_repeats=a.worker_repeats, port=a.port,
        page_cache=a.page_cache, reuse=a.reuse, skip_web=a.skip_web, skip_workers=a.skip_workers,
    )  # fmt: skip


def django_env(config: Config, media: Path) -> dict[str, str]:
    """One environment for every replica and worker: the same SECRET_KEY (sessions and CSRF tokens
    signed by one replica must verify on another), database, Redis and media."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": config.database_url,
        "REDIS_URL": config.redis_url,
        "MEDIA_ROOT": str(media),
        "LOG_LEVEL": "WARNING",
        "SIGNING_KEY_PASSPHRASE": "bench-signing-passphrase",
        **KEYS_ENV,  # fixed: the demo database outlives the run's SECRET_KEY
        "SMS_BACKEND": "core.sms.FileSmsBackend",
        "SMS_FILE_PATH": str(media / "sms.jsonl"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("DATABASE_REPLICA_URL", None)
    if config.page_cache is not None:
        env["CATALOGUE_PAGE_CACHE_SECONDS"] = str(config.page_cache)
    return env


# --------------------------------------------------------------------------------------------
# Processes: every one in its own process group, stopped whatever happens
# --------------------------------------------------------------------------------------------


@dataclass
class Group:
    """A process we started (leader of its own process group) and what its CPU counts as."""

    label: str
    process: subprocess.Popen[bytes]
    log_path: Path
    stop_signal: int = signal.SIGTERM


STARTED: list[Group] = []


def start(label: str, command: Sequence[str], env: dict[str, str], log_path: Path) -> Group:
    with log_path.open("wb") as out:
        process = subprocess.Popen(
            list(command), env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    group = Group(label, process, log_path)
    STARTED.append(group)
    return group


def stop(group: Group, timeout: float = 30) -> None:
    process = group.process
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, group.stop_signal)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):  # children the leader left behind
        os.killpg(process.pid, signal.SIGKILL)
    if group in STARTED:
        STARTED.remove(group)


def stop_all() -> None:
    for group in reversed(list(STARTED)):
        stop(group)


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(f"stopped by signal {signum}")


# --------------------------------------------------------------------------------------------
# CPU split by process group
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CpuSplit:
    shares: dict[str, float]  # label → share of all CPUs (0–1)
    load1: float

    def text(self) -> str:
        return ", ".join(f"{k} {v:.0%}" for k, v in self.shares.items() if v >= 0.005)


class GroupCpu:
    """Where the machine's CPU went, from /proc: each of our process groups by its label, the load
    generator (this process), PostgreSQL + Redis (their users), everything else. Ticks of a child
    that exited are in its parent's cutime, and counted there."""

    def __init__(self, groups: Sequence[Group]) -> None:
        self.labels = {g.process.pid: g.label for g in groups}

    def __enter__(self) -> GroupCpu:
        self.split: CpuSplit | None = None
        self.fields, self.procs = _cpu_fields(), _processes()
        return self

    def __exit__(self, *exc: object) -> None:
        fields, procs = _cpu_fields(), _processes()
        services, me, my_group = _service_uids(), os.getpid(), os.getpgrp()
        redis_pids = {pid for pid in procs if _command(pid) == "redis-server"}  # may run as root

        def bucket(pid: int, proc: Any) -> str:
            if pid == me or proc.pgrp == my_group:
                return "load generator"
            if proc.pgrp in self.labels:
                return str(self.labels[proc.pgrp])
            if proc.uid in services or pid in redis_pids:
                return "PostgreSQL + Redis"
            return "other processes"

        sums: Counter[str] = Counter()
        for pid, proc in procs.items():
            before = self.procs.get(pid)
            sums[bucket(pid, proc)] += proc.ticks - (before.ticks if before else 0)
        for pid, proc in self.procs.items():
            parent = procs.get(proc.ppid)
            if pid not in procs and parent is not None:
                sums[bucket(proc.ppid, parent)] -= proc.ticks
        delta = [b - a for a, b in zip(self.fields, fields, strict=True)]
        user, nice, system, _idle, _iowait, irq, softirq, _steal = delta
        capacity = max(1, sum(delta))
        busy = user + nice + system + irq + softirq
        order = ["load generator", *dict.fromkeys(self.labels.values()), "PostgreSQL + Redis"]
        shares = {k: max(0, sums[k]) / capacity for k in order}
        shares["other processes"] = max(0, busy - sum(max(0, sums[k]) for k in order)) / capacity
        shares["idle"] = max(0.0, 1 - busy / capacity)
        self.split = CpuSplit(shares, float(Path("/proc/loadavg").read_text().split()[0]))


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cores_of(cpu: CpuSplit, prefix: str) -> float:
    """How many of the machine's cores the processes whose label starts with `prefix` used."""
    return (os.cpu_count() or 1) * sum(v for k, v in cpu.shares.items() if k.startswith(prefix))


def average_split(splits: Sequence[CpuSplit]) -> CpuSplit:
    keys = list(dict.fromkeys(k for s in splits for k in s.shares))
    return CpuSplit(
        {k: statistics.fmean(s.shares.get(k, 0.0) for s in splits) for k in keys},
        statistics.fmean(s.load1 for s in splits),
    )


# --------------------------------------------------------------------------------------------
# Database
# --------------------------------------------------------------------------------------------


def prepare_database(config: Config, env: dict[str, str]) -> str:
    import psycopg

    with psycopg.connect(config.pg_admin_url, autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (config.database,),
        ).fetchone()
        if config.reuse and row is not None and row[0] == SEED_MARKER:
            return "reused"
        # DROP DATABASE waits until every backend of the server acknowledges it (ProcSignalBarrier);
        # a session stuck in COPY elsewhere can hold it up forever: give up with a message instead.
        admin.execute("SET statement_timeout = '120s'")
        try:
            admin.execute(f'DROP DATABASE IF EXISTS "{config.database}" WITH (FORCE)')
        except psycopg.errors.QueryCanceled:
            raise SystemExit(
                f"DROP DATABASE {config.database} waited 120 s for other sessions of the server "
                "(a long COPY?); try again later or pass --database with another name"
            ) from None
        admin.execute(f'CREATE DATABASE "{config.database}"')
    started = time.perf_counter()
    certificate_bench.run_django(certificate_bench.SETUP, env)
    with psycopg.connect(config.pg_admin_url, autocommit=True) as admin:
        admin.execute(f"COMMENT ON DATABASE \"{config.database}\" IS '{SEED_MARKER}'")
    return f"migrate + load_demo in {time.perf_counter() - started:.0f} s"


def guide_codes(config: Config) -> list[str]:
    import psycopg

    with psycopg.connect(config.database_url) as conn:
        rows = conn.execute(
            "SELECT implementation_code FROM matters_matter "
            "WHERE status = 'IN_USE' AND current_version_id IS NOT NULL ORDER BY 1"
        ).fetchall()
    return [str(r[0]) for r in rows]


# --------------------------------------------------------------------------------------------
# Web: replicas, nginx, the read mix
# --------------------------------------------------------------------------------------------


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def nginx_config(name: str, port: int, replicas: Sequence[int], workdir: Path) -> Path:
    """deploy/nginx/nginx.conf with loopback replicas instead of Docker's `web` service."""
    text = NGINX_CONF.read_text()
    temp = workdir / f"nginx-{name}-temp"
    temp.mkdir(exist_ok=True)
    temp.chmod(0o777)  # nginx's workers (www-data when started as root) buffer bodies there
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in replicas)
    paths = "\n".join(
        f"    {kind}_temp_path {temp}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    replacements = {
        "pid /var/run/nginx.pid;": f"pid {workdir}/nginx-{name}.pid;",
        "error_log /var/log/nginx/error.log warn;": f"error_log {workdir}/nginx-{name}-error.log warn;",
        "access_log /var/log/nginx/access.log;": f"access_log {workdir}/nginx-{name}-access.log combined buffer=256k flush=5s;",
        "listen 80 default_server;": f"listen 127.0.0.1:{port} default_server;",
        "set $web_upstream web:8000;": "set $web_upstream tongban_replicas;",
        "http {\n": f"http {{\n    upstream tongban_replicas {{\n{servers}\n    }}\n{paths}\n",
    }  # fmt: skip
    for old, new in replacements.items():
        if text.count(old) != 1:
            raise SystemExit(f"{NGINX_CONF}: expected `{old.strip()}` once; update scaleout.py")
        text = text.replace(old, new)
    path = workdir / f"nginx-{name}.conf"
    path.write_text(text)
    return path


def start_nginx(name: str, port: int, replicas: Sequence[int], workdir: Path) -> Group:
    binary = nginx_binary()
    assert binary is not None
    conf = nginx_config(name, port, replicas, workdir)
    check = subprocess.run([binary, "-t", "-q", "-c", str(conf)], capture_output=True, text=True, check=False)  # fmt: skip
    if check.returncode != 0:
        raise SystemExit(f"nginx -t failed for {conf}:\n{check.stderr}")
    group = start(
        f"nginx ({name})", [binary, "-c", str(conf), "-g", "daemon off;"], dict(os.environ),
        workdir / f"nginx-{name}.log",
    )  # fmt: skip
    group.stop_signal = signal.SIGQUIT  # graceful
    wait_ready(Server(group.label, port, group.process, group.log_path), 30)
    return group


def start_replica(index: int, port: int, env: dict[str, str], workdir: Path) -> Group:
    command, extra = gunicorn_command(Choice("sync", 1, 1))
    group = start(
        f"replica {index}", command, env | extra | {"GUNICORN_BIND": f"127.0.0.1:{port}"},
        workdir / f"replica-{index}.log",
    )  # fmt: skip
    seconds = wait_ready(Server(group.label, port, group.process, group.log_path), 180)
    log(f"replica {index}: gunicorn sync × 1 worker on :{port}, ready after {seconds:.1f} s")
    return group


def read_paths(codes: Sequence[str], count: int = 4000) -> list[tuple[str, str]]:
    """A fixed, shuffled sequence of (kind, path) following MIX (the same for every cell)."""
    rng = random.Random(12)  # a fixed request order
    kinds = [k for k, _share in MIX]
    weights = [share for _kind, share in MIX]
    out: list[tuple[str, str]] = []
    for kind in rng.choices(kinds, weights, k=count):
        if kind == "guide":
            out.append((kind, f"/matters/{rng.choice(codes)}/"))
        elif kind == "search":
            out.append((kind, "/search/?q=" + urllib.parse.quote(rng.choice(SEARCHES))))
        else:
            out.append((kind, "/bench/json"))
    return out


@dataclass
class WebRun:
    label: str
    rate: float
    requests: int
    errors: int
    problems: dict[str, int]
    p50: float
    p95: float
    p99: float
    by_kind: dict[str, tuple[int, float, float]]  # kind → (count, p50, p99)
    cpu: CpuSplit | None


def measure_reads(
    label: str, port: int, paths: Sequence[tuple[str, str]], config: Config,
    groups: Sequence[Group], warmup: float | None = None, seconds: float | None = None,
) -> WebRun:  # fmt: skip
    cursor = {"next": 0}

    async def flow(index: int, browser: Browser, recorder: Recorder) -> None:
        kind, path = paths[cursor["next"] % len(paths)]
        cursor["next"] += 1
        await recorder.timed(kind, browser.request("GET", path))

    browsers = [Browser(port) for _ in range(config.connections)]
    with GroupCpu(groups) as meter:
        recorder, (begin, end) = asyncio.run(
            drive(browsers, flow, config.warmup if warmup is None else warmup,
                  config.seconds if seconds is None else seconds)
        )  # fmt: skip
    inside = [s for s in recorder.samples if begin <= s.end <= end]
    timed = [(s.end - s.start) * 1000 for s in recorder.samples if begin <= s.start <= end and s.ok]
    by_kind = {}
    for kind, _share in MIX:
        values = [
            (s.end - s.start) * 1000
            for s in recorder.samples
            if s.kind == kind and s.ok and begin <= s.start <= end
        ]
        if values:
            by_kind[kind] = (len(values), percentile(values, 50), percentile(values, 99))
    return WebRun(
        label=label, rate=sum(1 for s in inside if s.ok) / (end - begin), requests=len(inside),
        errors=sum(1 for s in inside if not s.ok), problems=dict(recorder.problems),
        p50=percentile(timed, 50) if timed else float("nan"),
        p95=percentile(timed, 95) if timed else float("nan"),
        p99=percentile(timed, 99) if timed else float("nan"),
        by_kind=by_kind, cpu=meter.split,
    )  # fmt: skip


@dataclass
class WebResult:
    runs: dict[str, list[WebRun]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    nginx: str = ""
    gunicorn: str = ""


def run_web(config: Config, env: dict[str, str], workdir: Path) -> WebResult:
    from benchmarks.applications import gunicorn_settings

    result = WebResult()
    result.gunicorn = gunicorn_settings(Choice("sync", 1, 1), env)
    binary = nginx_binary()
    assert binary is not None
    version = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)
    result.nginx = (version.stderr or version.stdout).strip()
    codes = guide_codes(config)
    paths = read_paths(codes)
    log(f"read mix over {len(codes)} demo guides, {len(SEARCHES)} searches and /bench/json")
    ports = [config.port + 2, config.port + 3]
    replicas = [start_replica(i + 1, port, env, workdir) for i, port in enumerate(ports)]
    cells = {
        "1 replica": start_nginx("one", config.port, ports[:1], workdir),
        "2 replicas": start_nginx("two", config.port + 1, ports, workdir),
    }
    groups = [*replicas, *cells.values()]
    server_ports = {"1 replica": config.port, "2 replicas": config.port + 1}
    for label, port in server_ports.items():  # page cache, search index, connections
        warm = measure_reads(label, port, paths, config, groups, warmup=0, seconds=4)
        log(f"warm-up {label}: {warm.rate:.0f} req/s, errors {warm.errors}")
    names = list(server_ports)
    for repeat in range(config.repeats):
        for label in names if repeat % 2 == 0 else names[::-1]:
            run = measure_reads(label, server_ports[label], paths, config, groups)
            result.runs.setdefault(label, []).append(run)
            result.order.append(label)
            log(
                f"  {label:10} {run.rate:7.0f} req/s  p50/p95/p99 {run.p50:.1f}/{run.p95:.1f}/"
                f"{run.p99:.1f} ms  errors {run.errors}  CPU {run.cpu.text() if run.cpu else '–'}"
            )
    for group in groups:
        stop(group)
    return result


# --------------------------------------------------------------------------------------------
# Workers: certificate issuance drained by 1 or 2 worker processes
# --------------------------------------------------------------------------------------------


@dataclass
class WorkerRun:
    workers: int
    queued: int
    issued: int
    not_valid: dict[str, int]
    drain_seconds: float  # worker start → the last certificate VALID
    sustained: float  # certificates/s from the first to the last
    first_after_start: float
    cpu: CpuSplit | None


def start_workers(count: int, env: dict[str, str], workdir: Path, round_no: int) -> list[Group]:
    out = []
    for i in range(1, count + 1):
        command = [str(CELERY), "-A", "portal", "worker", "-Q", "celery", "--concurrency", "1",
                   "--prefetch-multiplier", "1", "-n", f"scale{i}-{os.getpid()}@%h",
                   "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"]  # fmt: skip
        out.append(start(f"worker {i}", command, env, workdir / f"worker-{round_no}-{i}.log"))
    return out


def certificate_counts(conn: Any, since: float) -> dict[str, int]:
    rows = conn.execute(
        "SELECT status, count(*) FROM certificates_certificate "
        "WHERE requested_at >= to_timestamp(%s) GROUP BY status",
        (since,),
    ).fetchall()
    return {str(status): int(n) for status, n in rows}


def worker_round(
    config: Config,
    env: dict[str, str],
    workdir: Path,
    workers: int,
    round_no: int,
    start_index: int,
) -> WorkerRun:
    import psycopg
    import redis

    broker = redis.Redis.from_url(config.redis_url)
    filed_from = time.time()
    filing = json.loads(
        certificate_bench.run_django(
            certificate_bench.FILE_CASES, env, str(config.certificates), str(start_index), "0"
        )
    )
    queued = int(broker.llen("celery"))
    broker.delete("notifications")  # the cases' messages: no notifier runs here
    log(
        f"round {round_no}: filed {config.certificates} 秒批 cases in {filing['seconds']:.1f} s; "
        f"{queued} certificate tasks queued; starting {workers} worker process(es)"
    )
    with psycopg.connect(config.database_url, autocommit=True) as conn:
        started = time.time()
        groups = start_workers(workers, env, workdir, round_no)
        try:
            with GroupCpu(groups) as meter:
                deadline = time.monotonic() + 600
                while True:
                    counts = certificate_counts(conn, filed_from)
                    if counts.get("VALID", 0) >= config.certificates:
                        break
                    if time.monotonic() > deadline:
                        raise SystemExit(f"round {round_no}: not drained in 600 s: {counts}")
                    if any(g.process.poll() is not None for g in groups):
                        raise SystemExit(f"round {round_no}: a worker exited, see {workdir}")
                    time.sleep(0.05)
                drained = time.time()
        finally:
            for group in groups:
                stop(group)
        row = conn.execute(
            "SELECT min(updated_at), max(updated_at), count(*) FROM certificates_certificate "
            "WHERE status = 'VALID' AND requested_at >= to_timestamp(%s)",
            (filed_from,),
        ).fetchone()
    assert row is not None
    first, last, issued = row[0].timestamp(), row[1].timestamp(), int(row[2])
    run = WorkerRun(
        workers=workers, queued=queued, issued=issued,
        not_valid={k: v for k, v in counts.items() if k != "VALID"},
        drain_seconds=drained - started,
        sustained=(issued - 1) / (last - first) if last > first else float("nan"),
        first_after_start=first - started, cpu=meter.split,
    )  # fmt: skip
    log(
        f"  {workers} worker(s): {issued} certificates, drained {run.drain_seconds:.1f} s after "
        f"start, {run.sustained:.1f}/s first → last; CPU {run.cpu.text() if run.cpu else '–'}"
    )
    return run


def run_workers(config: Config, env: dict[str, str], workdir: Path) -> list[WorkerRun]:
    import psycopg

    with psycopg.connect(config.database_url) as conn:
        row = conn.execute("SELECT count(*) FROM applications_application").fetchone()
    start_index = 10_000 + (int(row[0]) if row else 0)
    runs = []
    round_no = 0
    for repeat in range(config.worker_repeats):
        for workers in (1, 2) if repeat % 2 == 0 else (2, 1):
            round_no += 1
            runs.append(worker_round(config, env, workdir, workers, round_no, start_index))
            start_index += config.certificates
    return runs


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(
    config: Config, described: dict[str, str], database: str, web: WebResult | None,
    workers: list[WorkerRun], loads: tuple[str, str],
) -> str:  # fmt: skip
    lines: list[str] = []
    w = lines.append
    w(f"# Scale-out benchmark — {local_now():%Y-%m-%d %H:%M}")
    w("")
    w("Command: `" + " ".join(["python", "benchmarks/scaleout.py", *sys.argv[1:]]) + "`")
    w("")
    w(
        "Machine (everything — load generator, nginx, gunicorn, Celery, PostgreSQL, Redis — shares these cores):"
    )
    w("")
    for key, value in described.items():
        w(f"- {key}: {value}")
    w(f"- load average (1/5/15 min): {loads[0]} before, {loads[1]} after")
    w(f"- database `{config.database}` (demo catalogue): {database}")
    if web is not None:
        w(
            f"- nginx: {web.nginx}, running deploy/nginx/nginx.conf (upstream, port and paths replaced)"
        )
        w(f"- each replica: gunicorn {web.gunicorn}")
        cache = "production (300 s)" if config.page_cache is None else f"{config.page_cache} s"
        w(f"- CATALOGUE_PAGE_CACHE_SECONDS: {cache}")
    w("")
    if web is not None and web.runs:
        w(f"## Web: 1 against 2 replicas behind nginx ({config.connections} connections, "
          f"{config.warmup:g} s + {config.seconds:g} s per cell, {config.repeats} interleaved repetitions)")  # fmt: skip
        w("")
        mix = ", ".join(f"{k} {share:.0%}" for k, share in MIX)
        w(f"Read mix: {mix} (guide = `/matters/<code>/` of the demo matters, search = "
          f"`/search/?q=` over {len(SEARCHES)} queries, json = `/bench/json`). Order: {', '.join(web.order)}.")  # fmt: skip
        w("")
        w("| replicas | median req/s | runs (req/s) | p50 / p95 / p99 ms (median of runs) | errors | CPU of the 2 cores, average of runs | replicas' CPU, cores | req/s per replica core |")  # fmt: skip
        w("|---|---|---|---|---|---|---|---|")
        for label, runs in web.runs.items():
            cpu = average_split([r.cpu for r in runs if r.cpu])
            cores = cores_of(cpu, "replica")
            rate = median([r.rate for r in runs])
            w(
                f"| {label} | **{rate:,.0f}** | "
                f"{' / '.join(f'{r.rate:,.0f}' for r in runs)} | "
                f"{median([r.p50 for r in runs]):.1f} / {median([r.p95 for r in runs]):.1f} / "
                f"{median([r.p99 for r in runs]):.1f} | {sum(r.errors for r in runs)} | {cpu.text()} | "
                f"{cores:.2f} | {rate / cores if cores else float('nan'):,.0f} |"
            )
        labels = list(web.runs)
        if len(labels) == 2:
            one, two = (median([r.rate for r in web.runs[k]]) for k in labels)
            w("")
            w(f"2 replicas ÷ 1 replica: **{two / one:.2f}×** (medians).")
        w("")
        w("Per kind (median of runs): count in the window, p50 / p99 ms")
        w("")
        w("| replicas | " + " | ".join(k for k, _ in MIX) + " |")
        w("|---|" + "---|" * len(MIX))
        for label, runs in web.runs.items():
            cells = []
            for kind, _share in MIX:
                got = [r.by_kind[kind] for r in runs if kind in r.by_kind]
                cells.append(
                    f"{median([g[0] for g in got]):,.0f}: {median([g[1] for g in got]):.1f} / {median([g[2] for g in got]):.1f}"
                    if got else "–"
                )  # fmt: skip
            w(f"| {label} | " + " | ".join(cells) + " |")
        problems: Counter[str] = Counter()
        for runs in web.runs.values():
            for r in runs:
                problems.update(r.problems)
        if problems:
            w("")
            w("Problems: " + ", ".join(f"{k} × {v}" for k, v in problems.most_common()))
        w("")
    if workers:
        w(f"## Workers: {config.certificates} certificates drained by 1 against 2 worker processes")
        w("")
        w("Each round files the 秒批 cases with no worker running (each writes a PENDING certificate "
          "and enqueues `certificates.issue`), then starts the worker instance(s) — "
          "`celery -A portal worker -Q celery --concurrency 1 --prefetch-multiplier 1`, one process "
          "each — and waits until every certificate of the round is VALID (rendered, signed, "
          "stored, the case delivered).")  # fmt: skip
        w("")
        w("| worker processes | median drain s (start → last VALID) | runs (s) | median certificates/s, first → last | runs (/s) | CPU of the 2 cores, average of runs | workers' CPU, cores | certificates/s per worker core |")  # fmt: skip
        w("|---|---|---|---|---|---|---|---|")
        for count in (1, 2):
            rounds = [r for r in workers if r.workers == count]
            if not rounds:
                continue
            cpu = average_split([r.cpu for r in rounds if r.cpu])
            cores = cores_of(cpu, "worker")
            rate = median([r.sustained for r in rounds])
            w(
                f"| {count} | **{median([r.drain_seconds for r in rounds]):.1f}** | "
                f"{' / '.join(f'{r.drain_seconds:.1f}' for r in rounds)} | "
                f"**{median([r.sustained for r in rounds]):.1f}** | "
                f"{' / '.join(f'{r.sustained:.1f}' for r in rounds)} | {cpu.text()} | "
                f"{cores:.2f} | {rate / cores if cores else float('nan'):.1f} |"
            )
        one = median([r.sustained for r in workers if r.workers == 1])
        two = median([r.sustained for r in workers if r.workers == 2])
        w("")
        w(f"2 workers ÷ 1 worker: **{two / one:.2f}×** (certificates/s, medians). First certificate "
          f"after the worker started: {median([r.first_after_start for r in workers]):.1f} s (median; boot + warm()).")  # fmt: skip
        bad = [r for r in workers if r.issued != config.certificates or r.not_valid]
        w("")
        w("Lost or failed: " + ("none" if not bad else "; ".join(f"{r.workers} worker(s): {r.issued} VALID, {r.not_valid}" for r in bad)))  # fmt: skip
        w("")
    w("CPU columns: share of both cores during the measured window, from /proc, by process group "
      "(the load generator is this Python process; `other processes` is the rest of the shared "
      "machine; `idle` is what nobody used).")  # fmt: skip
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    config = parse_args(argv)
    if nginx_binary() is None:
        print(
            "nginx is not installed: the replicas need it in front of them.\n"
            "Install it (Debian: `apt-get install -y nginx`) and run this again.",
            file=sys.stderr,
        )
        return 2
    if not CELERY.exists() and not config.skip_workers:
        print(f"{CELERY} is missing: run `make install` first.", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _on_signal)
    workdir = Path(tempfile.mkdtemp(prefix="tongban-scaleout-"))
    workdir.chmod(0o755)
    media = workdir / "media"
    media.mkdir()
    env = django_env(config, media)
    loads = [load_average(), ""]
    failed = True
    try:
        import redis

        redis.Redis.from_url(config.redis_url).flushdb()
        database = prepare_database(config, env)
        log(f"database {config.database}: {database}")
        os.environ.update(env)
        import django

        django.setup()
        described = machine_description(config.redis_url)
        web = None if config.skip_web else run_web(config, env, workdir)
        workers = [] if config.skip_workers else run_workers(config, env, workdir)
        loads[1] = load_average()
        text = report(config, described, database, web, workers, (loads[0], loads[1]))
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"scaleout-{local_now():%Y-%m-%d-%H%M}.md"
        path.write_text(text)
        print("\n" + text)
        log(f"report: {path.relative_to(ROOT)}")
        failed = False
        return 0
    finally:
        stop_all()
        if failed:
            log(f"failed: logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
