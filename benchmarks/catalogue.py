"""Catalogue performance benchmark: seed 100k published matters into PostgreSQL, measure search
in-process, then serve the portal with gunicorn and drive it with wrk. See benchmarks/README.md.

    .venv/bin/python benchmarks/catalogue.py            # full run (~10–15 minutes on 2 cores)
    .venv/bin/python benchmarks/catalogue.py --reuse    # keep an already seeded tongban_bench

Method (PERFORMANCE.md): each wrk cell runs ≥ 10 s at -t1 -c16 after a warm-up; the cells are
repeated 3 times interleaved and the median is reported, next to C_json, a calibration measured
by the same server in the same run. Every loop and subprocess is bounded in time.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

from benchmarks.personal_data import KEYS_ENV  # noqa: E402 (after the sys.path line above)

DB_NAME = "tongban_bench"
RESULTS = ROOT / "benchmarks" / "results"
SEED_VERSION = "tongban-bench-seed-4"  # change when benchmarks/seed.py generates different data
CELL_KEYS = ("json", "db", "guide_uncached", "guide_hot", "search_html", "search_api",
             "search_html_uncached", "search_api_uncached")  # fmt: skip
HEADERS = {"X-Forwarded-Proto": "https"}  # as behind the TLS proxy; SECURE_SSL_REDIRECT stays on

# 30 queries of 1–10 characters: short ones matching tens of thousands, synonyms (社保, 老年证,
# 开饭店), pinyin (z, hz, huzhao), filler words (我要办护照) and queries matching nothing.
QUERIES: tuple[str, ...] = (
    "证", "户", "卡", "z",
    "护照", "户口", "社保", "hz",
    "公积金", "身份证", "老年证", "开饭店",
    "营业执照", "社会保障", "异地就医",
    "我要办护照", "量子计算机", "xyzzy",
    "huzhao", "老年人优待证", "个人护照申领", "食品经营许可",
    "住房公积金提取", "往来港澳通行证",
    "企业营业执照变更", "机动车驾驶证换证",
    "个人社会保障卡补办", "火星移民签证办理处",
    "个人户口迁移证明开具", "一网通办政务服务平台",
)  # fmt: skip

LUA = r"""
local paths = {}
local count = 0
local rotate = false
local position = 0

function init(args)
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do
    count = count + 1
    paths[count] = line
  end
  f:close()
  rotate = args[2] == "rotate"
  math.randomseed(tonumber(args[3] or "1"))
end

function request()
  if rotate then
    position = position % count + 1
  else
    position = math.random(count)
  end
  return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
  io.write(string.format(
    "BENCHJSON {\"requests\":%d,\"duration_us\":%d,\"status\":%d,\"connect\":%d,\"read\":%d," ..
    "\"write\":%d,\"timeout\":%d,\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,\"max_us\":%d}\n",
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def local_now() -> datetime:
    return datetime.now(UTC).astimezone()


def log(message: str) -> None:
    print(f"[{local_now():%H:%M:%S}] {message}", flush=True)


# --------------------------------------------------------------------------------------------
# Configuration and environment
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    matters: int
    reuse: bool
    duration: int
    reps: int
    connections: int
    workers: int
    worker_class: str
    threads: int
    gunicorn_timeout: int | None
    max_requests: int | None
    port: int
    pg_admin_url: str
    redis_url: str
    iterations: int
    hot_set: int
    skip_http: bool
    skip_search: bool
    profile: bool
    database: str = DB_NAME
    cells: tuple[str, ...] = ()  # empty: every cell

    @property
    def database_url(self) -> str:
        parts = urllib.parse.urlsplit(self.pg_admin_url)
        return urllib.parse.urlunsplit(parts._replace(path=f"/{self.database}"))


def parse_args(argv: Sequence[str] | None = None) -> Config:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--matters", type=int, default=100_000, help="catalogue size (100000)")
    p.add_argument("--reuse", action="store_true", help="keep tongban_bench if already seeded")
    p.add_argument("--duration", type=int, default=10, help="seconds per wrk cell (≥ 10)")
    p.add_argument("--reps", type=int, default=3, help="interleaved repetitions (3)")
    p.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    p.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    p.add_argument("--threads", type=int, default=4, help="threads per gthread worker (4)")
    p.add_argument("--gunicorn-timeout", type=int, help="override GUNICORN_TIMEOUT")
    p.add_argument("--max-requests", type=int, help="override GUNICORN_MAX_REQUESTS (0: never)")
    p.add_argument("--port", type=int, default=8301, help="first of two local ports (8301)")
    p.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--redis", default="redis://127.0.0.1:6379/15", help="flushed at start")
    p.add_argument("--iterations", type=int, default=50, help="in-process calls per query (50)")
    p.add_argument("--hot-set", type=int, default=1000, help="hot guide codes (1000)")
    p.add_argument("--skip-http", action="store_true", help="only seed and measure in-process")
    p.add_argument("--skip-search", action="store_true", help="skip the in-process search part")
    p.add_argument("--profile", action="store_true", help="cProfile the slowest pages in-process")
    p.add_argument(
        "--database", default=DB_NAME, help=f"benchmark database, recreated when needed ({DB_NAME})"
    )
    p.add_argument(
        "--cells",
        default="",
        help=f"comma-separated cells to run (default all: {', '.join(CELL_KEYS)})",
    )
    a = p.parse_args(argv)
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", a.database):  # it is interpolated into SQL
        p.error("--database: lower-case letters, digits and _ only")
    cells = tuple(c for c in a.cells.split(",") if c)
    unknown = set(cells) - set(CELL_KEYS)
    if unknown:
        p.error(f"unknown cells: {', '.join(sorted(unknown))}")
    if cells and "json" not in cells:
        cells = ("json", *cells)  # every ratio needs C_json of the same run
    return Config(
        matters=a.matters, reuse=a.reuse, duration=max(1, a.duration), reps=max(1, a.reps),
        connections=a.connections, workers=a.workers, worker_class=a.worker_class,
        threads=a.threads, gunicorn_timeout=a.gunicorn_timeout, max_requests=a.max_requests, port=a.port, pg_admin_url=a.pg,
        redis_url=a.redis, iterations=max(5, a.iterations), hot_set=a.hot_set,
        skip_http=a.skip_http, skip_search=a.skip_search, profile=a.profile,
        database=a.database, cells=cells,
    )  # fmt: skip


def django_env(config: Config) -> dict[str, str]:
    """The environment of the production settings, pointed at the benchmark database and Redis."""
    return {
        "SIGNING_KEY_PASSPHRASE": "bench-signing-passphrase",
        **KEYS_ENV,  # fixed: the seeded database outlives the run's SECRET_KEY
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "False",
        "DATABASE_URL": config.database_url,
        "REDIS_URL": config.redis_url,
        "LOG_LEVEL": "WARNING",
    }


# --------------------------------------------------------------------------------------------
# Database: create, migrate, seed
# --------------------------------------------------------------------------------------------


@dataclass
class SeedInfo:
    reused: bool
    seconds: float = 0.0
    migrate_seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    database_size: str = ""


def seed_marker(config: Config) -> str:
    """Stored as the database's comment once seeding is complete; --reuse compares it."""
    return f"{SEED_VERSION} matters={config.matters}"


def prepare_database(config: Config) -> SeedInfo:
    """Drop and recreate tongban_bench unless --reuse finds it seeded; then migrate and seed."""
    import psycopg

    marker = seed_marker(config)
    with psycopg.connect(config.pg_admin_url, autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (config.database,),
        ).fetchone()
        reuse = config.reuse and row is not None and row[0] == marker
        if not reuse:
            if config.reuse:
                log(f"--reuse: {config.database} is missing or seeded differently; recreating it")
            admin.execute(f"DROP DATABASE IF EXISTS {config.database} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {config.database} TEMPLATE template0 ENCODING 'UTF8'")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    info = SeedInfo(reused=reuse)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    info.migrate_seconds = time.perf_counter() - started
    if not reuse:
        from benchmarks.seed import seed

        log(f"seeding {config.matters:,} matters with COPY …")
        report = seed(config.matters)
        info.seconds, info.rows, info.phases = report.seconds, report.rows, report.phases
        with connection.cursor() as cursor:
            cursor.execute(f"COMMENT ON DATABASE {config.database} IS %s", [marker])
        log(
            f"seeded in {report.seconds:.1f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in report.rows.items())
        )
    else:
        log(f"reusing {config.database} ({marker})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        info.database_size = str(cursor.fetchone()[0])
    return info


def check_catalogue(config: Config) -> dict[str, int]:
    """Every matter visible, in use, with a published current version (or fail loudly)."""
    from django.db.models import F

    from matters.models import Matter, MatterVersion

    visible = Matter.objects.filter(
        status="IN_USE",
        current_version__status="PUBLISHED",
        current_version__published_at__isnull=False,
        current_version__matter_id=F("pk"),
    ).count()
    total = Matter.objects.count()
    if visible != total or total != config.matters:
        raise SystemExit(f"catalogue check failed: {visible} visible of {total} matters")
    return {"matters": total, "versions": MatterVersion.objects.count()}


# --------------------------------------------------------------------------------------------
# In-process search: index build time and memory, latency per query length
# --------------------------------------------------------------------------------------------


def rss_mb(field_name: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class QueryTiming:
    query: str
    length: int
    total: int
    samples_ms: list[float]


@dataclass
class SearchInfo:
    fingerprint_ms: float = 0.0
    build_seconds: float = 0.0
    rss_before_mb: float = 0.0
    rss_after_mb: float = 0.0
    peak_rss_mb: float = 0.0
    documents: int = 0
    grams: int = 0
    postings: int = 0
    queries: list[QueryTiming] = field(default_factory=list)


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def measure_search(config: Config) -> SearchInfo:
    from django.test import override_settings

    from matters import search

    info = SearchInfo()
    # One build, then no freshness checks during the timing (measured separately below).
    with override_settings(SEARCH_GENERATION_CHECK_SECONDS=3600.0):
        gc.collect()
        info.rss_before_mb = rss_mb()
        started = time.perf_counter()
        index = search.current_index()
        info.build_seconds = time.perf_counter() - started
        gc.collect()
        info.rss_after_mb = rss_mb()
        info.peak_rss_mb = rss_mb("VmHWM")
        info.documents = len(index.documents)
        info.grams = sum(len(p) for p in index.postings.values())
        info.postings = sum(len(a) for p in index.postings.values() for a in p.values())
        log(
            f"search index: {info.documents:,} documents built in {info.build_seconds:.1f} s, "
            f"RSS +{info.rss_after_mb - info.rss_before_mb:.0f} MB"
        )
        for query in QUERIES:
            for _ in range(2):  # warm
                search.search(query, limit=20)
            samples: list[float] = []
            budget = time.perf_counter() + 3.0
            total = 0
            for i in range(config.iterations):
                t0 = time.perf_counter_ns()
                result = search.search(query, limit=20)
                samples.append((time.perf_counter_ns() - t0) / 1e6)
                total = result.total
                if i >= 9 and time.perf_counter() > budget:
                    break
            info.queries.append(QueryTiming(query, len(search.normalise(query)), total, samples))
    fingerprints = []
    for _ in range(5):
        t0 = time.perf_counter_ns()
        search.catalogue_fingerprint()
        fingerprints.append((time.perf_counter_ns() - t0) / 1e6)
    info.fingerprint_ms = statistics.median(fingerprints)
    return info


def profile_pages(config: Config) -> str:
    """cProfile (stdlib) of an uncached guide page and of the slowest search page, in-process."""
    import cProfile
    import io
    import pstats
    import random

    from django.test import Client, override_settings

    from matters.models import Matter

    codes = list(Matter.objects.values_list("implementation_code", flat=True)[:50_000])
    client = Client(headers=HEADERS)
    out = io.StringIO()
    rng = random.Random(7)

    def run(label: str, paths: list[str]) -> None:
        for path in paths[:5]:
            client.get(path)  # warm
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for path in paths:
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"profile: {path} returned {response.status_code}")
        profiler.disable()
        per = (time.perf_counter() - started) / len(paths) * 1000
        out.write(
            f"\n### {label}: {len(paths)} requests, {per:.2f} ms each under cProfile\n\n```\n"
        )
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
        out.write("```\n")

    with override_settings(CATALOGUE_PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"]):
        run("guide page, uncached", [f"/matters/{rng.choice(codes)}/" for _ in range(300)])
    with override_settings(SEARCH_GENERATION_CHECK_SECONDS=3600.0, ALLOWED_HOSTS=["testserver"]):
        slow = ["证", "社保", "公积金", "z"]
        run(
            "search page, slow queries " + "/".join(slow),
            [f"/search/?q={urllib.parse.quote(q)}" for q in slow * 10],
        )
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# gunicorn and wrk
# --------------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


GUNICORN_CONFIG = ROOT / "portal" / "gunicorn_config.py"  # production's, when the tree has one


def gunicorn_command(config: Config) -> tuple[list[str], dict[str, str]]:
    """The production gunicorn command line (its config file, its environment variables), bound to
    127.0.0.1; or, without a config file, sync workers on the command line."""
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    command = [str(gunicorn) if gunicorn.exists() else "gunicorn"]
    env = {"WEB_CONCURRENCY": str(config.workers)}
    if config.gunicorn_timeout is not None:
        env["GUNICORN_TIMEOUT"] = str(config.gunicorn_timeout)
    if config.max_requests is not None:
        env["GUNICORN_MAX_REQUESTS"] = str(config.max_requests)
    if GUNICORN_CONFIG.exists():
        command += ["-c", str(GUNICORN_CONFIG)]
    else:
        command += ["--workers", str(config.workers), "--worker-class", "sync"]
        if config.gunicorn_timeout is not None:
            command += ["--timeout", str(config.gunicorn_timeout)]
        if config.max_requests:
            command += ["--max-requests", str(config.max_requests)]
    command += ["portal.wsgi:application", "--chdir", str(ROOT), "--log-level", "warning"]
    if config.worker_class != "sync":
        command += ["--worker-class", config.worker_class, "--threads", str(config.threads)]
    if gunicorn_has_control_socket(command[0]):  # gunicorn >= 25: one path per user by default
        command += ["--no-control-socket"]
    return command, env


def gunicorn_settings(config: Config, env: dict[str, str]) -> str:
    """The effective settings, as gunicorn resolves them (--print-config does not load the app)."""
    command, extra = gunicorn_command(config)
    done = subprocess.run(
        [*command, "--print-config"], env=env | extra | {"GUNICORN_BIND": "127.0.0.1:1"},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    wanted = ("worker_class", "workers", "threads", "timeout", "max_requests",
              "max_requests_jitter", "preload_app", "accesslog")  # fmt: skip
    found = {}
    for line in done.stdout.splitlines():
        key, _, value = line.partition("=")
        if key.strip() in wanted:
            found[key.strip()] = value.strip()
    source = GUNICORN_CONFIG.relative_to(ROOT) if GUNICORN_CONFIG.exists() else "command line"
    return f"{source}: " + ", ".join(f"{k} {found.get(k, '?')}" for k in wanted)


def launch_server(
    config: Config, name: str, port: int, env: dict[str, str], workdir: Path
) -> Server:
    command, extra = gunicorn_command(config)
    log_path = workdir / f"gunicorn-{name}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            env=env | extra | {"GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(name, port, process, log_path)


def wait_ready(server: Server, seconds: float) -> float:
    """Seconds until /bench/json answers 200 (with preload, the master builds the search index
    before it forks the workers)."""
    started = time.monotonic()
    while time.monotonic() < started + seconds:
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn {server.name} exited:\n{server.log_tail()}")
        try:
            status, _ = fetch(f"{server.base}/bench/json", timeout=2)
            if status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(
        f"gunicorn {server.name} not ready after {seconds:.0f} s:\n{server.log_tail()}"
    )


def gunicorn_has_control_socket(gunicorn: str) -> bool:
    done = subprocess.run(
        [gunicorn, "--help"], capture_output=True, text=True, timeout=30, check=False
    )
    return "--no-control-socket" in done.stdout


def stop_server(server: Server) -> None:
    """Stop the gunicorn we started (its own process group), gracefully, then for sure."""
    if server.process.poll() is not None:
        return
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=5)
    except ProcessLookupError:
        pass


def fetch(url: str, timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=HEADERS)  # noqa: S310 (local http only)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    server: str
    paths_file: Path
    sample: str


@dataclass
class WrkResult:
    rps: float
    requests: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int
    socket_errors: int
    extra: dict[str, float] = field(default_factory=dict)


def run_wrk(
    config: Config, server: Server, cell: Cell, lua: Path, seconds: int, *, mode: str = "random"
) -> WrkResult:
    command = [
        shutil.which("wrk") or "/usr/bin/wrk", "-t1", f"-c{config.connections}", f"-d{seconds}s",
        "--timeout", "10s", "-H", "X-Forwarded-Proto: https", "-s", str(lua), server.base,
        "--", str(cell.paths_file), mode, str(secrets.randbelow(1_000_000)),
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("BENCHJSON "))
    return WrkResult(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        requests=data["requests"],
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        non_2xx=data["status"],
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
    )


def warm_search_index(server: Server, config: Config) -> list[float]:
    """Make every worker build its search index: rounds of concurrent searches until all are fast."""
    url = f"{server.base}/search/?q={urllib.parse.quote('护照')}"
    parallel = config.workers * (config.threads if config.worker_class == "gthread" else 1) * 2
    slowest: list[float] = []
    deadline = time.monotonic() + 600
    with ThreadPoolExecutor(parallel) as pool:
        for _round in range(8):

            def one(_: int) -> float:
                t0 = time.perf_counter()
                status, _body = fetch(url, timeout=600)
                if status != 200:
                    raise SystemExit(f"search warm-up got HTTP {status}:\n{server.log_tail()}")
                return time.perf_counter() - t0

            times = list(pool.map(one, range(parallel)))
            slowest.append(max(times))
            log(f"  search warm-up round: slowest {max(times):.1f} s")
            if max(times) < 1.0 or time.monotonic() > deadline:
                break
    return slowest


def cached_guides(cache: Any) -> int:
    """Guide pages in the whole-page cache of anonymous visitors (matters/caching.py)."""
    return sum(1 for _ in cache.scan_iter(match="*page:*/matters/*", count=1000))


def warm_cache(server: Server, paths: Sequence[str], cache: Any, config: Config) -> None:
    """Request every hot guide once (4 at a time) unless all of them are already cached."""
    if cached_guides(cache) >= len(paths):
        return
    started = time.monotonic()

    def one(path: str) -> None:
        status, _body = fetch(server.base + path, timeout=30)
        if status != 200:
            raise SystemExit(f"cache warm-up {path}: HTTP {status}")

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, paths))
    cached = cached_guides(cache)
    log(f"  cached {cached:,} guide pages in {time.monotonic() - started:.1f} s")
    if cached < len(paths):
        raise SystemExit(f"only {cached} of {len(paths)} hot guides are cached")


def redis_client(config: Config) -> Any:
    import redis

    return redis.Redis.from_url(config.redis_url)


def redis_hits(client: Any) -> tuple[int, int]:
    stats = client.info("stats")
    return int(stats["keyspace_hits"]), int(stats["keyspace_misses"])


@dataclass
class HttpInfo:
    results: dict[str, list[WrkResult]] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)
    warmup_seconds: list[float] = field(default_factory=list)
    hot_hit_ratio: list[float] = field(default_factory=list)
    memory_mb: dict[str, tuple[float, float]] = field(default_factory=dict)
    ready_seconds: dict[str, float] = field(default_factory=dict)
    server_settings: str = ""


def write_paths(workdir: Path, name: str, paths: Sequence[str]) -> Path:
    target = workdir / f"{name}.txt"
    target.write_text("\n".join(paths) + "\n")
    return target


def server_memory(server: Server) -> tuple[float, float]:
    """(PSS, RSS) in MB of the gunicorn master and its workers. PSS splits pages shared after the
    fork (the preloaded search index) between the processes, so its sum is the real footprint."""
    pids = [str(server.process.pid)]
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    if children.exists():
        pids += children.read_text().split()
    pss = rss = 0.0
    for pid in pids:
        rollup = Path(f"/proc/{pid}/smaps_rollup")
        if not rollup.exists():
            continue
        for line in rollup.read_text().splitlines():
            if line.startswith("Pss:"):
                pss += int(line.split()[1]) / 1024
            elif line.startswith("Rss:"):
                rss += int(line.split()[1]) / 1024
    return pss, rss


def run_http(config: Config, base_env: dict[str, str]) -> HttpInfo:
    import random

    from django.db import connections

    from matters.models import Matter

    codes = list(Matter.objects.order_by("pk").values_list("implementation_code", flat=True))
    ids = list(Matter.objects.values_list("pk", flat=True))
    connections.close_all()
    rng = random.Random(20_260_105)
    hot = rng.sample(codes, min(config.hot_set, len(codes)))
    info = HttpInfo()
    cache = redis_client(config)
    with tempfile.TemporaryDirectory(prefix="tongban-bench-") as tmp:
        workdir = Path(tmp)
        lua = workdir / "paths.lua"
        lua.write_text(LUA)
        search_q = [urllib.parse.quote(q) for q in QUERIES]
        info.cells = [
            Cell("json", "C_json: /bench/json", "A", write_paths(workdir, "json", ["/bench/json"]), "/bench/json"),
            Cell("db", "1-query view /bench/db/<id>", "A",
                 write_paths(workdir, "db", [f"/bench/db/{i}" for i in ids]), f"/bench/db/{ids[0]}"),
            Cell("guide_uncached", "guide page, uncached, random over all codes", "B",
                 write_paths(workdir, "guide_all", [f"/matters/{c}/" for c in codes]), f"/matters/{codes[0]}/"),
            Cell("guide_hot", f"guide page, hot set ({len(hot):,}), Redis cache warm", "A",
                 write_paths(workdir, "guide_hot", [f"/matters/{c}/" for c in hot]), f"/matters/{hot[0]}/"),
            Cell("search_html", "search page /search/?q= (30 queries), page cache on", "A",
                 write_paths(workdir, "search_html", [f"/search/?q={q}" for q in search_q]), f"/search/?q={search_q[4]}"),
            Cell("search_api", "search API /api/v1/matters/?search= (30 queries), page cache on", "A",
                 write_paths(workdir, "search_api", [f"/api/v1/matters/?search={q}" for q in search_q]), f"/api/v1/matters/?search={search_q[4]}"),
            Cell("search_html_uncached", "search page /search/?q= (30 queries), uncached", "B",
                 write_paths(workdir, "search_html_b", [f"/search/?q={q}" for q in search_q]), f"/search/?q={search_q[4]}"),
            Cell("search_api_uncached", "search API /api/v1/matters/?search= (30 queries), uncached", "B",
                 write_paths(workdir, "search_api_b", [f"/api/v1/matters/?search={q}" for q in search_q]), f"/api/v1/matters/?search={search_q[4]}"),
        ]  # fmt: skip
        if config.cells:
            info.cells = [cell for cell in info.cells if cell.key in config.cells]
        env_a = os.environ | base_env | {"DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
        env_b = env_a | {"CATALOGUE_PAGE_CACHE_SECONDS": "0"}
        servers: dict[str, Server] = {}
        try:
            log(
                f"starting gunicorn A (cache on) :{config.port} and B (CATALOGUE_PAGE_CACHE_SECONDS=0) :{config.port + 1}"
            )
            servers["A"] = launch_server(config, "A", config.port, env_a, workdir)
            servers["B"] = launch_server(config, "B", config.port + 1, env_b, workdir)
            info.server_settings = gunicorn_settings(config, env_a)
            for name, server in servers.items():
                info.ready_seconds[name] = wait_ready(server, 600)
                log(f"  gunicorn {name} ready after {info.ready_seconds[name]:.1f} s")
            for cell in info.cells:
                if cell.key.startswith("search"):
                    continue  # the first search in a worker builds its index: see the warm-up
                status, body = fetch(servers[cell.server].base + cell.sample, timeout=60)
                if status != 200:
                    raise SystemExit(
                        f"preflight {cell.key} {cell.sample}: HTTP {status}\n{body[:500]!r}"
                    )
            log(
                "first searches on A, in concurrent rounds, until every worker answers within 1 s …"
            )
            info.warmup_seconds = warm_search_index(servers["A"], config)
            for cell in info.cells:
                status, body = fetch(servers[cell.server].base + cell.sample, timeout=60)
                if status != 200:
                    raise SystemExit(
                        f"preflight {cell.key} {cell.sample}: HTTP {status}\n{body[:500]!r}"
                    )
            log("warm-up: the hot guide set into the cache, then 3 s per cell")
            hot_paths = [f"/matters/{c}/" for c in hot]
            warm_cache(servers["A"], hot_paths, cache, config)
            for cell in info.cells:
                run_wrk(config, servers[cell.server], cell, lua, 3)
            for rep in range(1, config.reps + 1):
                for cell in info.cells:
                    extra: dict[str, float] = {}
                    if cell.key == "guide_hot":  # keys expire after CATALOGUE_PAGE_CACHE_SECONDS
                        warm_cache(servers["A"], hot_paths, cache, config)
                        hits0, misses0 = redis_hits(cache)
                    time.sleep(1)
                    result = run_wrk(config, servers[cell.server], cell, lua, config.duration)
                    if cell.key == "guide_hot":
                        hits1, misses1 = redis_hits(cache)
                        lookups = (hits1 - hits0) + (misses1 - misses0)
                        extra["hit_ratio"] = (hits1 - hits0) / lookups if lookups else 0.0
                        info.hot_hit_ratio.append(extra["hit_ratio"])
                    result.extra = extra
                    info.results.setdefault(cell.key, []).append(result)
                    log(
                        f"rep {rep} {cell.key:15} {result.rps:8.1f} rps  p50 {result.p50_ms:6.1f} ms  "
                        f"p99 {result.p99_ms:7.1f} ms  non-2xx {result.non_2xx}  errors {result.socket_errors}"
                    )
            info.memory_mb = {name: server_memory(s) for name, s in servers.items()}
        except BaseException:
            RESULTS.mkdir(parents=True, exist_ok=True)
            for server in servers.values():
                kept = RESULTS / f"gunicorn-{server.name}-{local_now():%Y-%m-%d-%H%M}.log"
                shutil.copyfile(server.log_path, kept)
                log(f"gunicorn {server.name} log kept in {kept.relative_to(ROOT)}")
            raise
        finally:
            for server in servers.values():
                stop_server(server)
            log("gunicorn stopped")
    return info


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def host_description() -> dict[str, str]:
    """The machine and the Python side of the stack (no database or Redis needed)."""
    import django

    cpuinfo = Path("/proc/cpuinfo").read_text()

    def cpu(field_name: str) -> str:
        for line in cpuinfo.splitlines():
            if line.startswith(field_name):
                return line.split(":", 1)[1].strip()
        return "?"

    mem_kb = next(
        int(x.split()[1])
        for x in Path("/proc/meminfo").read_text().splitlines()
        if x.startswith("MemTotal")
    )
    nproc = subprocess.run(
        ["nproc"], capture_output=True, text=True, timeout=10, check=False
    ).stdout.strip()
    return {
        "date": local_now().isoformat(timespec="seconds"),
        "cpus (nproc)": nproc or str(os.cpu_count()),
        "cpu": f"{cpu('model name')} (family {cpu('cpu family')}, model {cpu('model')})",
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "load average (1/5/15 min) at report time": " ".join(
            Path("/proc/loadavg").read_text().split()[:3]
        ),
        "python": sys.version.split()[0],
        "django": django.get_version(),
    }


def machine_description(redis_url: str) -> dict[str, str]:
    """The machine and the versions a benchmark ran on (shared by every benchmark's report)."""
    from django.db import connection

    import psycopg
    import redis

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'), current_setting('shared_buffers'), "
            "current_setting('synchronous_commit')"
        )
        version, buffers, sync = cursor.fetchone()
    return {
        **host_description(),
        "psycopg": psycopg.__version__,
        "gunicorn": metadata.version("gunicorn"),
        "postgresql": f"{version} (shared_buffers {buffers}, synchronous_commit {sync})",
        "redis": str(redis.Redis.from_url(redis_url).info("server")["redis_version"]),
    }


def machine(config: Config) -> dict[str, str]:
    wrk = subprocess.run(
        [shutil.which("wrk") or "/usr/bin/wrk", "-v"],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    wrk_version = (wrk.stdout + wrk.stderr).split("Copyright")[0].strip() or "?"
    return {**machine_description(config.redis_url), "wrk": wrk_version}


def verdict(ok: bool) -> str:
    return "✅" if ok else "❌"


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(
    config: Config,
    seed_info: SeedInfo,
    search_info: SearchInfo | None,
    http: HttpInfo | None,
    profile_text: str,
    started: float,
) -> str:
    lines: list[str] = []
    w = lines.append
    w(f"# Catalogue benchmark — {local_now():%Y-%m-%d %H:%M}")
    w("")
    w("Machine and versions (everything — wrk, gunicorn, PostgreSQL, Redis — shares these cores):")
    w("")
    for key, value in machine(config).items():
        w(f"- {key}: {value}")
    settings_line = http.server_settings if http is not None else "(HTTP part skipped)"
    w(f"- gunicorn: {settings_line}")
    w("- Django: portal.settings.production (+ /bench/* URLs), CONN_MAX_AGE 600, Redis cache")
    w(
        f"- load: wrk -t1 -c{config.connections}, {config.duration} s per cell, {config.reps} interleaved repetitions, median reported"
    )
    w("")
    w("## Seeding")
    w("")
    if seed_info.reused:
        w(
            f"Reused the seeded database `{config.database}` ({seed_info.database_size}); migrate took {seed_info.migrate_seconds:.1f} s."
        )
    else:
        w(
            f"**{config.matters:,} published matters seeded in {seed_info.seconds:.1f} s** (migrate {seed_info.migrate_seconds:.1f} s; database {seed_info.database_size})."
        )
        w("")
        w("| phase | seconds |")
        w("|---|---|")
        for phase, seconds in seed_info.phases.items():
            w(f"| {phase} | {seconds:.1f} |")
        w("")
        w("Rows: " + ", ".join(f"{k} {v:,}" for k, v in seed_info.rows.items()) + ".")
    w("")
    if http is not None and http.results:
        w("## HTTP throughput")
        w("")
        w(
            "| cell | median rps | runs (rps) | × C_json (median of per-run ratios) | p50 ms | p99 ms | non-2xx | socket errors | target |"
        )
        w("|---|---|---|---|---|---|---|---|---|")
        targets: dict[str, Callable[[float, float, float], tuple[str, bool]]] = {
            "guide_uncached": lambda rps, ratio, p99: ("≥ 750 rps, ≥ 0.18 × C_json, p99 ≤ 60 ms", rps >= 750 and ratio >= 0.18 and p99 <= 60),
            "guide_hot": lambda rps, ratio, p99: ("≥ 2,000 rps (T2: p99 ≤ 25 ms, ≥ 0.5 × C_json)", rps >= 2000 and p99 <= 25 and ratio >= 0.5),
            "search_html": lambda rps, ratio, p99: ("≥ 500 rps", rps >= 500),
            "search_api": lambda rps, ratio, p99: ("≥ 500 rps", rps >= 500),
            "search_html_uncached": lambda rps, ratio, p99: ("≥ 500 rps", rps >= 500),
            "search_api_uncached": lambda rps, ratio, p99: ("≥ 500 rps", rps >= 500),
        }  # fmt: skip
        for cell in http.cells:
            runs = http.results.get(cell.key, [])
            rps = median([r.rps for r in runs])
            # Ratio per repetition (against that repetition's C_json), then the median.
            ratio = median(
                [r.rps / j.rps for r, j in zip(runs, http.results["json"], strict=False)]
            )
            p50 = median([r.p50_ms for r in runs])
            p99 = median([r.p99_ms for r in runs])
            target = "calibration"
            if cell.key in targets:
                text, ok = targets[cell.key](rps, ratio, p99)
                target = f"{verdict(ok)} {text}"
            if cell.key == "guide_hot" and http.hot_hit_ratio:
                target += f"; cache hit ratio {min(http.hot_hit_ratio):.1%}"
            w(
                f"| {cell.label} | **{rps:,.0f}** | {' / '.join(f'{r.rps:,.0f}' for r in runs)} | "
                f"{ratio:.2f} | {p50:.1f} | {p99:.1f} | {sum(r.non_2xx for r in runs)} | "
                f"{sum(r.socket_errors for r in runs)} | {target} |"
            )
        w("")
        w(
            "Server start until the first 200 (with preload the master builds the search index "
            "before forking): "
            + ", ".join(f"{k} {v:.1f} s" for k, v in http.ready_seconds.items())
            + ". "
            "First searches before the cells (concurrent rounds until every worker answers within 1 s; "
            "slowest response per round): "
            + ", ".join(f"{s:.1f} s" for s in http.warmup_seconds)
            + "."
        )
        if http.memory_mb:
            w(
                "Memory after the run, gunicorn master + workers: "
                + ", ".join(
                    f"server {k}: PSS {pss:,.0f} MB (sum of RSS {rss:,.0f} MB)"
                    for k, (pss, rss) in http.memory_mb.items()
                )
                + "."
            )
        w("")
    if search_info is not None:
        s = search_info
        w("## Search, server side (in-process `matters.search.search(q, limit=20)`)")
        w("")
        w(
            f"Index build for {s.documents:,} matters: **{s.build_seconds:.1f} s**, "
            f"RSS +{s.rss_after_mb - s.rss_before_mb:,.0f} MB retained after gc "
            f"(process peak {s.peak_rss_mb:,.0f} MB); {s.grams:,} grams, {s.postings:,} postings. "
            f"Freshness check `catalogue_fingerprint()`: {s.fingerprint_ms:.1f} ms, run at most once "
            "per SEARCH_GENERATION_CHECK_SECONDS (1 s) per process; excluded from the timings below."
        )
        w("")
        w(
            "| query length | queries | matches (min–max) | p50 ms | p95 ms | max ms | target p95 ≤ 10 ms |"
        )
        w("|---|---|---|---|---|---|---|")
        for length in range(1, 11):
            group = [q for q in s.queries if q.length == length]
            samples = [x for q in group for x in q.samples_ms]
            if not samples:
                continue
            p95 = percentile(samples, 95)
            w(
                f"| {length} | {' '.join(q.query for q in group)} | "
                f"{min(q.total for q in group):,}–{max(q.total for q in group):,} | "
                f"{percentile(samples, 50):.2f} | {p95:.2f} | {max(samples):.2f} | {verdict(p95 <= 10)} |"
            )
        w("")
        w("<details><summary>Per query</summary>")
        w("")
        w("| query | length | matches | calls | p50 ms | max ms |")
        w("|---|---|---|---|---|---|")
        for q in sorted(s.queries, key=lambda q: -percentile(q.samples_ms, 50)):
            w(
                f"| {q.query} | {q.length} | {q.total:,} | {len(q.samples_ms)} | "
                f"{percentile(q.samples_ms, 50):.2f} | {max(q.samples_ms):.2f} |"
            )
        w("")
        w("</details>")
        w("")
    if profile_text:
        w("## Profiles (cProfile, in-process test client)")
        w(profile_text)
    w(f"Total run time: {(time.perf_counter() - started) / 60:.1f} min.")
    return "\n".join(lines) + "\n"


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    config = parse_args(argv)
    if not config.skip_http and shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    env = django_env(config)
    with environment(env):
        redis_client(config).flushdb()
        seed_info = prepare_database(config)
        counts = check_catalogue(config)
        log(f"catalogue check: {counts}")
        search_info = None if config.skip_search else measure_search(config)
        profile_text = profile_pages(config) if config.profile else ""
        gc.collect()
        http = None if config.skip_http else run_http(config, env)
        text = report(config, seed_info, search_info, http, profile_text, started)
    print()
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"catalogue-{local_now():%Y-%m-%d-%H%M}.md"
    target.write_text(text)
    log(f"written to {target.relative_to(ROOT)}; database {config.database} kept for --reuse")
    return 0


if __name__ == "__main__":
    sys.exit(main())
