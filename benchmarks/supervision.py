"""Supervision dashboard benchmark (issue 6): the 电子监察 / 好差评 dashboard over a million cases
and 200,000 ratings in PostgreSQL — `supervision.statistics.dashboard()` in-process, the page and
its CSV over HTTP on the production gunicorn as a signed-in supervisor (password + TOTP), and a
check that the dashboard's totals equal a direct count over the cases and ratings. See
benchmarks/README.md.

    .venv/bin/python benchmarks/supervision.py             # reuses tongban_bench when seeded
    .venv/bin/python benchmarks/supervision.py --reseed    # drop it, seed cases, ratings, cards (~3 min more)

Target (issue 6): dashboard p95 ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

from benchmarks import applications as apps  # noqa: E402 (after the sys.path line above)
from benchmarks.catalogue import environment, local_now, log, server_memory, stop_server  # noqa: E402

SEED_VERSION = "tongban-supervision-seed-2"  # change when seed_supervision.py changes its data
RESULTS = ROOT / "benchmarks" / "results"
TARGET_P95_MS = 300.0
PAGE_PATH = "/supervision/dashboard/"
CSV_PATH = "/supervision/dashboard.csv"
# The dashboard's query parameters (supervision/dashboard_views.py).
QUERY_NAMES = {"start": "start", "end": "end", "region": "region", "department": "department",
               "matter": "matter"}  # fmt: skip
CHECKED = ("received", "decided", "decided_on_time", "completed", "ratings", "ratings_bad")
ALSO_CHECKED = ("received_online", "accepted", "not_accepted", "approved", "completed_zero_visit",
                "yellow_cards", "red_cards", "ratings_good", "rating_level_sum")  # fmt: skip


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    applications: int
    ratings: int
    reseed: bool
    reseed_supervision: bool
    rebuild: bool
    database: str
    pg_admin_url: str
    redis_url: str
    calls: int
    requests: int
    clients: int
    seconds: float
    calibration_seconds: float
    workers: int
    worker_class: str
    threads: int
    port: int
    http: bool
    scale: tuple[int, ...]

    def apps_config(self) -> apps.Config:
        argv = ["--database", self.database, "--pg", self.pg_admin_url, "--redis", self.redis_url,
                "--applications", str(self.applications), "--port", str(self.port)]  # fmt: skip
        return apps.parse_args([*argv, "--reseed"] if self.reseed else argv)


def parse_args(argv: Sequence[str] | None = None) -> Config:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--applications", type=int, default=1_000_000, help="cases (1000000)")
    p.add_argument("--ratings", type=int, default=200_000, help="ratings (200000)")
    p.add_argument("--reseed", action="store_true", help="drop the database and seed everything")
    p.add_argument("--reseed-supervision", action="store_true", help="seed ratings, cards, figures again")  # fmt: skip
    p.add_argument("--rebuild", action="store_true", help="time the full statistics rebuild again")
    p.add_argument("--database", default="tongban_bench", help="benchmark database (tongban_bench)")
    p.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--redis", default="redis://127.0.0.1:6379/13", help="flushed at start and end")
    p.add_argument("--calls", type=int, default=200, help="in-process dashboard() calls per cell (200)")  # fmt: skip
    p.add_argument("--requests", type=int, default=200, help="sequential HTTP requests per cell (200)")  # fmt: skip
    p.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients (16)")
    p.add_argument("--seconds", type=float, default=8, help="concurrent seconds per cell (8)")
    p.add_argument("--calibration-seconds", type=float, default=8, help="C_json / C_db seconds (8)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (2, production)")
    p.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    p.add_argument("--threads", type=int, default=4, help="threads per gthread worker (4)")
    p.add_argument("--port", type=int, default=8341, help="local port (8341)")
    p.add_argument("--no-http", action="store_true", help="in-process figures and the check only")
    p.add_argument("--scale", default="400,1000",
                   help="what-if matter counts, rolled back (400,1000; '' to skip)")  # fmt: skip
    a = p.parse_args(argv)
    return Config(
        applications=a.applications, ratings=a.ratings, reseed=a.reseed,
        reseed_supervision=a.reseed_supervision or a.reseed, rebuild=a.rebuild,
        database=a.database, pg_admin_url=a.pg, redis_url=a.redis, calls=a.calls,
        requests=a.requests, clients=a.clients, seconds=a.seconds,
        calibration_seconds=a.calibration_seconds, workers=a.workers,
        worker_class=a.worker_class, threads=a.threads, port=a.port, http=not a.no_http,
        scale=tuple(int(x) for x in a.scale.split(",") if x.strip()),
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Database
# --------------------------------------------------------------------------------------------


@dataclass
class Data:
    apps_seed: apps.SeedInfo
    supervision: Any = None  # seed_supervision.SeedReport when seeded (or refreshed) in this run
    reused_marker: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    database_size: str = ""
    dailystat_size: str = ""


def prepare(config: Config) -> Data:
    """The applications seed (benchmarks/applications.py's, reused when the database comment says
    so), then the ratings, cards and daily figures unless the comment says they are there."""
    import django

    django.setup()
    data = Data(apps.prepare_database(config.apps_config()))
    from django.db import connection

    from benchmarks import seed_supervision

    marker = f"{SEED_VERSION} ratings={config.ratings}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()")  # fmt: skip
        comment = str(cursor.fetchone()[0] or "")
    if config.reseed_supervision or marker not in comment:
        log(f"seeding {config.ratings:,} ratings, the cards and the daily figures …")
        report = seed_supervision.seed(config.ratings)
        data.supervision = report
        base = comment.split(f"; {SEED_VERSION}")[0]
        stamp = f"{marker} seeded {local_now():%Y-%m-%d %H:%M} in {report.seconds:.0f} s"
        with connection.cursor() as cursor:
            cursor.execute(f'COMMENT ON DATABASE "{config.database}" IS %s', [f"{base}; {stamp}"])
        log(f"seeded in {report.seconds:.0f} s: full refresh {report.refresh_full_seconds:.1f} s, "
            f"recent refresh {report.refresh_recent_median * 1000:.0f} ms")  # fmt: skip
    else:
        data.reused_marker = comment.split(f"; {SEED_VERSION}", 1)[1].strip() if f"; {SEED_VERSION}" in comment else comment  # fmt: skip
        log(f"reusing the supervision seed ({marker})")
        seed_supervision.bench_staff_ensure()
        report = seed_supervision.SeedReport()
        if config.rebuild:
            seed_supervision.refresh_all(report, _now())
        else:  # what the beat job does every quarter hour: today and yesterday
            from supervision.statistics import statistics_refresh_recent

            for _ in range(3):
                t0 = time.perf_counter()
                report.refresh_recent_rows = statistics_refresh_recent(now=_now())
                report.refresh_recent_seconds.append(time.perf_counter() - t0)
        data.supervision = report
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE supervision_dailystat")  # the refresh's deleted rows
        cursor.execute("ANALYZE")
        for name, sql in (
            ("applications", "SELECT count(*) FROM applications_application"),
            ("ratings", "SELECT count(*) FROM supervision_evaluation"),
            ("cards", "SELECT count(*) FROM supervision_alert"),
            ("daily rows", "SELECT count(*) FROM supervision_dailystat"),
        ):
            cursor.execute(sql)
            data.counts[name] = int(cursor.fetchone()[0])
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), "
                       "pg_size_pretty(pg_total_relation_size('supervision_dailystat'))")  # fmt: skip
        data.database_size, data.dailystat_size = cursor.fetchone()
    return data


def _now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()


# --------------------------------------------------------------------------------------------
# The filter cells
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    days: int
    user: str  # the bench account whose scope applies
    region_id: int | None = None
    department_id: int | None = None
    matter_id: int | None = None

    def filters(self, today: dt.date) -> Any:
        from supervision.statistics import Filters

        return Filters(start=today - dt.timedelta(days=self.days - 1), end=today,
                       region_id=self.region_id, department_id=self.department_id,
                       matter_id=self.matter_id)  # fmt: skip

    def query(self, today: dt.date) -> str:
        f = self.filters(today)
        params = {QUERY_NAMES["start"]: f.start.isoformat(), QUERY_NAMES["end"]: f.end.isoformat()}
        for name, value in (("region", f.region_id), ("department", f.department_id),
                            ("matter", f.matter_id)):  # fmt: skip
            if value is not None:
                params[QUERY_NAMES[name]] = str(value)
        return "?" + urllib.parse.urlencode(params)


def cells() -> list[Cell]:
    from django.db.models import Count

    from applications.models import Application
    from benchmarks import seed_supervision as ss
    from benchmarks.seed_applications import DEPARTMENTS, department_code
    from matters.models import Department, Matter, Region

    serial, name, _short, region, _share = DEPARTMENTS[1]  # 深圳市公安局, the busiest (22 %)
    police = Department.objects.get(uscc=department_code(region, serial))
    district = Region.objects.get(code="440305")  # 南山区 (one department, 6 %)
    busiest = (  # the matter with the most cases
        Application.objects.values("matter_id").annotate(n=Count("pk")).order_by("-n", "matter_id").first()
    )  # fmt: skip
    assert busiest is not None, "no cases: seed first"
    matter = Matter.objects.select_related("current_version").get(pk=busiest["matter_id"])
    matter_name = (
        matter.current_version.name if matter.current_version else matter.implementation_code
    )
    head_department = Department.objects.get(pk=ss.head_department_pk())
    sup, head = ss.SUPERVISOR_USERNAME, ss.HEAD_USERNAME
    return [
        Cell("all-30", "all departments, last 30 days", 30, sup),
        Cell("all-365", "all departments, last 365 days", 365, sup),
        Cell("department-365", f"one department ({name}), 365 days", 365, sup, department_id=police.pk),
        Cell("region-365", f"one region ({district.name}), 365 days", 365, sup, region_id=district.pk),
        Cell("matter-365", f"one matter ({matter_name}), 365 days", 365, sup, matter_id=matter.pk),
        Cell("head-365", f"department head's scope ({head_department.name}), 365 days", 365, head),
    ]  # fmt: skip


def scope_of(username: str) -> Any:
    from accounts.models import User
    from supervision.statistics import statistics_scope_for

    return statistics_scope_for(User.objects.get(username=username))


# --------------------------------------------------------------------------------------------
# In-process: dashboard() latency, its queries, the slowest one's plan
# --------------------------------------------------------------------------------------------


@dataclass
class InProcess:
    cell: Cell
    latency: apps.Latency
    queries: list[apps.QueryInfo]
    received: int = 0
    rows_by_day: int = 0


def measure_inprocess(config: Config, cell_list: Sequence[Cell], today: dt.date) -> list[InProcess]:
    from django.db import connection

    from supervision.statistics import dashboard

    out = []
    for cell in cell_list:
        scope, filters = scope_of(cell.user), cell.filters(today)
        for _ in range(3):
            board = dashboard(scope=scope, filters=filters)
        times = []
        for _ in range(config.calls):
            t0 = time.perf_counter()
            dashboard(scope=scope, filters=filters)
            times.append((time.perf_counter() - t0) * 1000)
        timer = apps.QueryTimer()
        with connection.execute_wrapper(timer):
            dashboard(scope=scope, filters=filters)
        lat = apps.latency(times)
        out.append(InProcess(cell, lat, timer.items, board.totals.received, len(board.by_day)))
        log(f"  in-process {cell.key:15} p50 {lat.p50:6.1f}  p95 {lat.p95:6.1f}  p99 {lat.p99:6.1f} ms"
            f"  ({len(timer.items)} queries, {sum(q.ms for q in timer.items):.1f} ms SQL)")  # fmt: skip
    return out


def explain_slowest(results: Sequence[InProcess]) -> tuple[str, str, float]:
    from django.db import connection

    query = max((q for r in results for q in r.queries), key=lambda q: q.ms)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query.sql)
        plan = "\n".join(str(r[0]) for r in cursor.fetchall())
    return query.sql, plan, query.ms


@dataclass
class PageCost:
    """The page and the CSV through Django's test client (middleware, view, charts, template; no
    HTTP server), and the charts alone."""

    cell: Cell
    page: apps.Latency
    csv: apps.Latency
    charts_ms: float
    page_bytes: int


def page_costs(cell_list: Sequence[Cell], today: dt.date, runs: int = 30) -> list[PageCost]:
    from django.test import Client

    from accounts.models import User
    from benchmarks.seed_applications import staff_device
    from supervision.charts import dashboard_charts
    from supervision.statistics import dashboard

    clients: dict[str, Client] = {}
    out = []
    for cell in cell_list:
        client = clients.get(cell.user)
        if client is None:
            user = User.objects.get(username=cell.user)
            client = clients[cell.user] = Client(
                raise_request_exception=False, HTTP_HOST="127.0.0.1"
            )
            client.force_login(user)
            session = client.session
            session["otp_device_id"] = staff_device(user).persistent_id  # the second factor passed
            session.save()
        result: dict[str, apps.Latency] = {}
        size = 0
        for kind, base in (("page", PAGE_PATH), ("csv", CSV_PATH)):
            path = base + cell.query(today)
            first = client.get(path, secure=True)
            if first.status_code != 200:
                log(f"  test client {kind} {cell.key}: HTTP {first.status_code}")
                result[kind] = apps.latency([])
                continue
            size = size or len(first.content)
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                client.get(path, secure=True)
                times.append((time.perf_counter() - t0) * 1000)
            result[kind] = apps.latency(times)
        board = dashboard(scope=scope_of(cell.user), filters=cell.filters(today))
        charts = []
        for _ in range(10):
            t0 = time.perf_counter()
            dashboard_charts(board)
            charts.append((time.perf_counter() - t0) * 1000)
        cost = PageCost(cell, result["page"], result["csv"], statistics.median(charts), size)
        out.append(cost)
        log(f"  test client {cell.key:15} page p50 {cost.page.p50:6.1f} p95 {cost.page.p95:6.1f}  "
            f"csv p50 {cost.csv.p50:6.1f} p95 {cost.csv.p95:6.1f}  charts {cost.charts_ms:.1f} ms")  # fmt: skip
    return out


@dataclass
class Scale:
    """dashboard() with more matters: daily rows copied from the seeded matters' last 365 days
    onto new (draft) matters of the same departments, in a transaction that is rolled back."""

    matters: int
    rows_365: int
    build_seconds: float
    latencies: dict[str, apps.Latency]  # dashboard() per cell, as it is
    queries: list[tuple[float, str]] = field(default_factory=list)  # all-365: (ms, SQL)
    shapes: dict[str, apps.Latency] = field(default_factory=dict)  # all-365, other query shapes
    plan: str = ""  # EXPLAIN ANALYZE of the slowest query of all-365


class _RollbackError(Exception):
    pass


# Other shapes of the all-departments query (supervision.statistics.dashboard's four aggregates),
# timed on the same rows. {sums}: SUM of every counter. Parameters: start, end.
SHAPE_DAY = "SELECT s.day, {sums} FROM supervision_dailystat s WHERE s.day BETWEEN %(start)s AND %(end)s GROUP BY s.day ORDER BY s.day"  # fmt: skip
SHAPE_DEPARTMENT = "SELECT s.department_id, {sums} FROM supervision_dailystat s WHERE s.day BETWEEN %(start)s AND %(end)s GROUP BY s.department_id"  # fmt: skip
SHAPE_MATTER_FIRST = """
SELECT a.*, m.implementation_code, v.name
FROM (SELECT s.matter_id, {sums} FROM supervision_dailystat s
      WHERE s.day BETWEEN %(start)s AND %(end)s
      GROUP BY s.matter_id ORDER BY sum(s.received) DESC, s.matter_id LIMIT 20) a
JOIN matters_matter m ON m.id = a.matter_id
LEFT JOIN matters_matterversion v ON v.id = m.current_version_id
ORDER BY a.received DESC, a.matter_id"""
SHAPE_ONE_SCAN = """
SELECT GROUPING(s.day, s.department_id, s.matter_id) AS g, s.day, s.department_id, s.matter_id,
       {sums}
FROM supervision_dailystat s
WHERE s.day BETWEEN %(start)s AND %(end)s
GROUP BY GROUPING SETS ((), (s.day), (s.department_id), (s.matter_id))"""
ROLLUP_TABLE = "CREATE TEMPORARY TABLE bench_department_daily AS SELECT day, department_id, {sums} FROM supervision_dailystat s GROUP BY 1, 2"  # fmt: skip
ROLLUP_TOTAL = "SELECT {sums} FROM bench_department_daily s WHERE s.day BETWEEN %(start)s AND %(end)s"  # fmt: skip
ROLLUP_DAY = SHAPE_DAY.replace("supervision_dailystat", "bench_department_daily")
ROLLUP_DEPARTMENT = SHAPE_DEPARTMENT.replace("supervision_dailystat", "bench_department_daily")
SHAPES = {
    "3 aggregates by id, labels looked up after, totals = Σ by_day":
        (SHAPE_DAY, SHAPE_DEPARTMENT, SHAPE_MATTER_FIRST),
    "one GROUPING SETS scan (every matter's line; the top 20 picked in Python)": (SHAPE_ONE_SCAN,),
    "a department × day rollup for totals, by_day, by_department + by_matter aggregated first":
        (ROLLUP_TOTAL, ROLLUP_DAY, ROLLUP_DEPARTMENT, SHAPE_MATTER_FIRST),
}  # fmt: skip


def _timed(call: Callable[[], Any], runs: int) -> apps.Latency:
    call()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    return apps.latency(times)


def scale_whatif(sizes: Sequence[int], cell_list: Sequence[Cell], today: dt.date, runs: int = 20) -> list[Scale]:  # fmt: skip
    """For each size, a rolled-back transaction with `size` matters in all (the seeded ones and
    copies), each with the daily rows of its model over the last 365 days; dashboard() per cell
    and, for all departments over 365 days, other query shapes."""
    from django.db import connection, transaction

    from matters.models import Matter
    from supervision.models import DailyStat
    from supervision.statistics import COUNTERS, dashboard

    seeded = DailyStat.objects.values("matter_id").distinct().count()
    columns = [str(f.column) for f in Matter._meta.concrete_fields if f.column != "id"]
    replaced = {"implementation_code": "'W' || lpad(m.id::text, 6, '0') || lpad(g::text, 6, '0')",
                "status": "'DRAFT'", "current_version_id": "NULL", "created_at": "now()",
                "updated_at": "now()"}  # fmt: skip
    select = ", ".join(replaced.get(c, f'm."{c}"') for c in columns)
    counters = ", ".join(f'"{c}"' for c in COUNTERS)
    sums = ", ".join(f'sum(s."{c}") AS "{c}"' for c in COUNTERS)
    start = today - dt.timedelta(days=364)
    params = {"start": start, "end": today}
    all365 = next(c for c in cell_list if c.key == "all-365")
    out = []
    for size in sizes:
        copies = max(1, math.ceil(size / max(seeded, 1)) - 1)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 0")
                t0 = time.perf_counter()
                # A copy takes the table's place, so the rolled-back rows leave no dead tuples in
                # it (they would slow every later scan until a VACUUM FULL).
                cursor.execute("ALTER TABLE supervision_dailystat RENAME TO bench_dailystat_kept")
                cursor.execute("CREATE TABLE supervision_dailystat (LIKE bench_dailystat_kept INCLUDING ALL)")  # fmt: skip
                cursor.execute(
                    "INSERT INTO supervision_dailystat SELECT * FROM bench_dailystat_kept"
                )
                cursor.execute("SELECT setval(pg_get_serial_sequence('supervision_dailystat', 'id'), (SELECT max(id) FROM supervision_dailystat))")  # fmt: skip
                cursor.execute(
                    f"INSERT INTO matters_matter ({', '.join(chr(34) + c + chr(34) for c in columns)}) "  # noqa: S608
                    f"SELECT {select} FROM matters_matter m CROSS JOIN generate_series(1, %s) g "
                    "WHERE m.id IN (SELECT DISTINCT matter_id FROM supervision_dailystat)",
                    [copies],
                )
                cursor.execute(
                    f"INSERT INTO supervision_dailystat (day, department_id, matter_id, {counters}, refreshed_at) "  # noqa: S608
                    f"SELECT s.day, s.department_id, n.id, {', '.join('s.' + chr(34) + c + chr(34) for c in COUNTERS)}, s.refreshed_at "
                    "FROM matters_matter n JOIN supervision_dailystat s "
                    "ON s.matter_id = substr(n.implementation_code, 2, 6)::bigint "
                    "WHERE n.implementation_code LIKE 'W%%' AND s.day >= %s",
                    [start],
                )
                cursor.execute("ANALYZE supervision_dailystat")
                cursor.execute("ANALYZE matters_matter")
                cursor.execute("SELECT count(DISTINCT matter_id), count(*) FROM supervision_dailystat WHERE day >= %s", [start])  # fmt: skip
                matters, rows = (int(v) for v in cursor.fetchone())
                build = time.perf_counter() - t0
                latencies = {}
                for cell in cell_list:
                    if cell.key in ("all-30", "all-365", "department-365", "head-365"):
                        scope, filters = scope_of(cell.user), cell.filters(today)
                        latencies[cell.key] = _timed(
                            partial(dashboard, scope=scope, filters=filters), runs
                        )
                scale = Scale(matters, rows, build, latencies)
                timer = apps.QueryTimer()
                scope = scope_of(all365.user)
                with connection.execute_wrapper(timer):
                    dashboard(scope=scope, filters=all365.filters(today))
                scale.queries = [(q.ms, q.sql) for q in timer.items]
                slowest = max(timer.items, key=lambda q: q.ms)
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest.sql)
                scale.plan = "\n".join(str(r[0]) for r in cursor.fetchall())
                cursor.execute(ROLLUP_TABLE.format(sums=sums))
                cursor.execute("CREATE INDEX ON bench_department_daily (day)")
                cursor.execute("ANALYZE bench_department_daily")

                def shape(statements: Sequence[str]) -> None:
                    for statement in statements:
                        cursor.execute(statement.format(sums=sums), params)
                        cursor.fetchall()

                for label, statements in SHAPES.items():
                    scale.shapes[label] = _timed(partial(shape, statements), runs)
                out.append(scale)
                log(f"  what-if {matters:,} matters ({rows:,} daily rows in 365 days, built in {build:.1f} s): "
                    + ", ".join(f"{k} p50 {v.p50:.0f} / p95 {v.p95:.0f} ms" for k, v in latencies.items()))  # fmt: skip
                for label, lat in scale.shapes.items():
                    log(f"    all-365 as {label}: p50 {lat.p50:.0f} / p95 {lat.p95:.0f} ms")
                raise _RollbackError
        except _RollbackError:
            pass
        with connection.cursor() as cursor:  # the rolled-back matters' dead tuples
            cursor.execute("VACUUM ANALYZE matters_matter")
    return out


# --------------------------------------------------------------------------------------------
# Correctness: the dashboard's totals against a direct count
# --------------------------------------------------------------------------------------------


@dataclass
class Check:
    cell: Cell
    dashboard: dict[str, int]
    direct: dict[str, int]
    seconds: float

    @property
    def mismatches(self) -> dict[str, tuple[int, int]]:
        return {k: (self.dashboard[k], self.direct[k]) for k in (*CHECKED, *ALSO_CHECKED)
                if self.dashboard[k] != self.direct[k]}  # fmt: skip

    @property
    def ok(self) -> bool:
        return not self.mismatches


def direct_counts(cell: Cell, scope_ids: frozenset[int] | None, today: dt.date) -> dict[str, int]:
    """The figures of the cell counted straight from applications_application,
    supervision_evaluation and supervision_alert, with the definitions of the docstring of
    supervision/statistics.py: local (Asia/Shanghai) days; the case's own department."""
    from django.conf import settings
    from django.db import connection

    f = cell.filters(today)
    tz = settings.TIME_ZONE
    where, params = ["TRUE"], {"start": f.start, "end": f.end, "tz": tz}
    if scope_ids is not None:
        where.append("t.department_id = ANY(%(scope)s)")
        params["scope"] = sorted(scope_ids)
    if f.department_id is not None:
        where.append("t.department_id = %(department)s")
        params["department"] = f.department_id
    if f.region_id is not None:
        where.append("d.region_id IN (SELECT id FROM regions)")
        params["region"] = f.region_id
    regions = (
        "WITH RECURSIVE regions AS (SELECT id FROM matters_region WHERE id = %(region)s "
        "UNION ALL SELECT r.id FROM matters_region r JOIN regions ON r.parent_id = regions.id) "
        if f.region_id is not None else ""
    )  # fmt: skip

    def day(column: str) -> str:
        return f"(({column} AT TIME ZONE %(tz)s)::date BETWEEN %(start)s AND %(end)s)"

    case_where = list(where)
    code_where = list(where)
    if f.matter_id is not None:
        case_where.append("t.matter_id = %(matter)s")
        code_where.append("t.matter_code = (SELECT implementation_code FROM matters_matter WHERE id = %(matter)s)")  # fmt: skip
        params["matter"] = f.matter_id
    cases = f"""{regions}
        SELECT
          count(*) FILTER (WHERE {day("t.received_at")}),
          count(*) FILTER (WHERE {day("t.received_at")} AND t.channel = 'ONLINE'),
          count(*) FILTER (WHERE {day("t.accepted_at")}),
          count(*) FILTER (WHERE t.status = 'NOT_ACCEPTED' AND {day("t.closed_at")}),
          count(*) FILTER (WHERE {day("t.decided_at")}),
          count(*) FILTER (WHERE {day("t.decided_at")} AND t.outcome = 'APPROVED'),
          count(*) FILTER (WHERE {day("t.decided_at")} AND t.accepted_at IS NOT NULL
                           AND t.promise_deadline IS NOT NULL AND t.decided_at <= t.promise_deadline),
          count(*) FILTER (WHERE {day("t.completed_at")}),
          count(*) FILTER (WHERE {day("t.completed_at")} AND t.channel = 'ONLINE'
                           AND t.delivery_method IN ('ELECTRONIC', 'MAIL'))
        FROM applications_application t JOIN matters_department d ON d.id = t.department_id
        WHERE {" AND ".join(case_where)}"""  # noqa: S608
    ratings = f"""{regions}
        SELECT count(*), count(*) FILTER (WHERE t.level <= 3), count(*) FILTER (WHERE t.level >= 4),
               coalesce(sum(t.level), 0)
        FROM supervision_evaluation t JOIN matters_department d ON d.id = t.department_id
        WHERE NOT t.voided AND {day("t.created_at")} AND {" AND ".join(code_where)}"""  # noqa: S608
    cards = f"""{regions}
        SELECT count(*) FILTER (WHERE t.color = 'YELLOW'), count(*) FILTER (WHERE t.color = 'RED')
        FROM supervision_alert t JOIN matters_department d ON d.id = t.department_id
        WHERE {day("t.raised_at")} AND {" AND ".join(code_where)}"""  # noqa: S608
    out: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(cases, params)
        names = ("received", "received_online", "accepted", "not_accepted", "decided", "approved",
                 "decided_on_time", "completed", "completed_zero_visit")  # fmt: skip
        out.update(zip(names, (int(v) for v in cursor.fetchone()), strict=True))
        cursor.execute(ratings, params)
        out.update(zip(("ratings", "ratings_good", "ratings_bad", "rating_level_sum"),
                       (int(v) for v in cursor.fetchone()), strict=True))  # fmt: skip
        cursor.execute(cards, params)
        out.update(zip(("yellow_cards", "red_cards"), (int(v) for v in cursor.fetchone()), strict=True))  # fmt: skip
    return out


def check(cell_list: Sequence[Cell], today: dt.date) -> list[Check]:
    from supervision.statistics import dashboard

    out = []
    for cell in cell_list:
        scope = scope_of(cell.user)
        totals = asdict(dashboard(scope=scope, filters=cell.filters(today)).totals)
        t0 = time.perf_counter()
        direct = direct_counts(cell, scope.department_ids, today)
        result = Check(cell, {k: int(totals[k]) for k in direct}, direct, time.perf_counter() - t0)
        out.append(result)
        log(f"  check {cell.key:15} {'MATCH' if result.ok else 'MISMATCH'}"
            + "".join(f"  {k}: dashboard {a:,} / direct {b:,}" for k, (a, b) in result.mismatches.items()))  # fmt: skip
    return out


# --------------------------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------------------------


@dataclass
class HttpCell:
    cell: Cell
    kind: str  # "page" or "csv"
    status: int = 0
    note: str = ""
    bytes: int = 0
    sequential: apps.Latency | None = None
    concurrent: apps.JourneyResult | None = None


@dataclass
class HttpInfo:
    settings: str = ""
    label: str = ""
    calibration: dict[str, apps.JourneyResult] = field(default_factory=dict)
    cells: list[HttpCell] = field(default_factory=list)
    memory_mb: tuple[float, float] = (0.0, 0.0)
    note: str = ""


def _journey(key: str, label: str, browsers: Sequence[apps.Browser], paths: Sequence[str], seconds: float) -> apps.JourneyResult:  # fmt: skip
    with apps.CpuMeter() as meter, apps.WaitSampler() as waits:
        recorder, window = asyncio.run(
            apps.drive(browsers, apps.get_flow("get", paths), 2, seconds)
        )
    result = apps.summarise(key, label, recorder, window, "get")
    result.cpu, result.waits = meter.share, waits.averages()
    lat = result.lat("get")
    log(f"  {key:22} {result.rate:7.1f}/s  p50 {lat.p50:6.1f}  p95 {lat.p95:6.1f}  p99 {lat.p99:6.1f} ms"
        f"  errors {result.errors}  CPU {apps._cpu_text(result.cpu)}")  # fmt: skip
    return result


def run_http(config: Config, env: dict[str, str], cell_list: Sequence[Cell], today: dt.date, workdir: Path) -> HttpInfo:  # fmt: skip
    from django.db import connections

    from matters.models import Matter

    matter_ids = list(Matter.objects.values_list("pk", flat=True))
    connections.close_all()
    info = HttpInfo()
    choice = apps.Choice(config.worker_class, config.workers, config.threads)
    info.label = choice.label
    servers: list[Any] = []
    try:
        server = apps.launch(choice, config.port, env, workdir, servers)
        info.settings = apps.gunicorn_settings(choice, env)
        signed: dict[str, apps.Browser] = {}

        async def sign_all() -> None:
            for username in sorted({c.user for c in cell_list}):
                browser = apps.Browser(server.port)
                await apps.staff_sign_in(browser, username)
                await browser.close()  # its event loop ends here; cells reconnect with the cookies
                signed[username] = browser

        asyncio.run(sign_all())
        log(f"signed in over HTTP (password + TOTP): {', '.join(signed)}")
        cal = [apps.Browser(server.port) for _ in range(config.clients)]
        info.calibration["json"] = _journey("C_json", "C_json: /bench/json", cal, ["/bench/json"], config.calibration_seconds)  # fmt: skip
        info.calibration["db"] = _journey("C_db", "1-query view /bench/db/<id>", cal, [f"/bench/db/{pk}" for pk in matter_ids], config.calibration_seconds)  # fmt: skip
        for kind, base in (("page", PAGE_PATH), ("csv", CSV_PATH)):
            for cell in cell_list:
                info.cells.append(
                    _http_cell(config, signed[cell.user], cell, kind, base + cell.query(today))
                )
        info.memory_mb = server_memory(server)
    except BaseException:
        RESULTS.mkdir(parents=True, exist_ok=True)
        for s in servers:
            kept = RESULTS / f"gunicorn-supervision-{local_now():%Y-%m-%d-%H%M}.log"
            shutil.copyfile(s.log_path, kept)
            log(f"gunicorn log kept in {kept.relative_to(ROOT)}")
        raise
    finally:
        for s in servers:
            stop_server(s)
        log("gunicorn stopped")
    return info


def _http_cell(config: Config, browser: apps.Browser, cell: Cell, kind: str, path: str) -> HttpCell:
    out = HttpCell(cell, kind)

    async def sequential() -> list[float]:
        first = await browser.request("GET", path)
        out.status, out.bytes = first.status, len(first.body)
        if first.status != 200:
            where = first.headers.get("location", "")
            out.note = f"HTTP {first.status}" + (f" → {where}" if where else "")
            return []
        for _ in range(3):  # warm
            await browser.request("GET", path)
        times: list[float] = []
        deadline = time.perf_counter() + 60
        for _ in range(config.requests):
            if time.perf_counter() > deadline:
                out.note = f"stopped after {len(times)} requests (60 s)"
                break
            t0 = time.perf_counter()
            reply = await browser.request("GET", path)
            if reply.status != 200:
                raise SystemExit(f"{path}: HTTP {reply.status}")
            times.append((time.perf_counter() - t0) * 1000)
        await browser.close()
        return times

    times = asyncio.run(sequential())
    if not times:
        log(f"  {kind} {cell.key}: {out.note}")
        return out
    out.sequential = apps.latency(times)
    log(f"  {kind:4} {cell.key:15} sequential p50 {out.sequential.p50:6.1f}  p95 {out.sequential.p95:6.1f}"
        f"  p99 {out.sequential.p99:6.1f} ms  ({out.bytes:,} bytes)")  # fmt: skip
    browsers = [browser.copy() for _ in range(config.clients)]
    out.concurrent = _journey(
        f"{kind} {cell.key}", f"{kind} {cell.label}", browsers, [path], config.seconds
    )
    return out


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


@dataclass
class Run:
    config: Config
    data: Data
    today: dt.date
    inprocess: list[InProcess]
    slowest: tuple[str, str, float]
    checks: list[Check]
    costs: list[PageCost]
    scales: list[Scale]
    http: HttpInfo | None
    machine: dict[str, str]
    started: float


def _ms(value: float) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _ok(value: float) -> str:
    return "✅" if value <= TARGET_P95_MS else "❌"


def _seeded(marker: str) -> str:
    """'seeded <date> in <n> s' of the applications seed's marker."""
    parts = [p for p in marker.split("; ") if p.startswith("seeded ")]
    return parts[0] if parts else "applications seed"


def figures_table(run: Run) -> list[str]:
    http = run.http
    lines = ["| cell | in-process `dashboard()` p50 / p95 / p99 ms | page, 1 client: p50 / p95 / p99 ms | page, "
             f"{run.config.clients} clients: rps (× C_json) / p95 ms | CSV, 1 client: p50 / p95 / p99 ms | CSV, "
             f"{run.config.clients} clients: rps / p95 ms | p95 ≤ {TARGET_P95_MS:.0f} ms |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    cjson = http.calibration["json"].rate if http and "json" in http.calibration else math.nan
    for r in run.inprocess:
        worst = r.latency.p95
        cols = []
        for kind in ("page", "csv"):
            hc = next((h for h in (http.cells if http else []) if h.cell.key == r.cell.key and h.kind == kind), None)  # fmt: skip
            if hc is None or hc.sequential is None:
                note = "not run" if hc is None else hc.note
                cols += [note, "–"]
                continue
            s = hc.sequential
            worst = max(worst, s.p95)
            cols.append(f"{_ms(s.p50)} / {_ms(s.p95)} / {_ms(s.p99)}")
            if hc.concurrent is not None:
                c = hc.concurrent
                ratio = f" ({c.rate / cjson:.3f})" if kind == "page" and cjson == cjson else ""
                cols.append(f"{c.rate:,.0f}{ratio} / {_ms(c.lat('get').p95)}")
            else:
                cols.append("–")
        lines.append(f"| {r.cell.label} | {_ms(r.latency.p50)} / {_ms(r.latency.p95)} / {_ms(r.latency.p99)} | "
                     f"{cols[0]} | {cols[1]} | {cols[2]} | {cols[3]} | {_ok(worst)} {_ms(worst)} |")  # fmt: skip
    return lines


def report(run: Run) -> str:
    config, data, http, m = run.config, run.data, run.http, run.machine
    lines: list[str] = []
    w = lines.append
    w(f"# Supervision dashboard benchmark — {m.get('date', '?')[:16].replace('T', ' ')}")
    w("")
    w("## Machine")
    w("")
    for k, v in m.items():
        w(f"- **{k}:** {v}")
    w("")
    w("## Data")
    w("")
    sup = data.supervision
    w(f"{data.counts.get('applications', 0):,} applications, {data.counts.get('ratings', 0):,} ratings, "
      f"{data.counts.get('cards', 0):,} yellow/red cards, {data.counts.get('daily rows', 0):,} `supervision_dailystat` rows "
      f"({data.dailystat_size}); database {data.database_size}.")  # fmt: skip
    w("")
    a = data.apps_seed
    w("Cases: " + (f"seeded with COPY in {a.seconds:.0f} s (" + ", ".join(f"{k} {v:.0f} s" for k, v in a.phases.items()) + ")." if not a.reused else f"reused ({_seeded(a.marker)})."))  # fmt: skip
    w("")
    if sup is not None and sup.rows:
        w(f"Ratings and cards: seeded in {sup.seconds:.0f} s (" + ", ".join(f"{k} {v:.1f} s" for k, v in sup.phases.items()) + ").")  # fmt: skip
        w("Rating levels (1 非常满意 … 5 非常不满意): " + ", ".join(f"{k}: {v:,}" for k, v in sup.levels.items()) + "; channels: " + ", ".join(f"{k} {v:,}" for k, v in sup.channels.items()) + ".")  # fmt: skip
        w("Cards by rule: " + ", ".join(f"{k} {v:,}" for k, v in sup.rules.items()) + ".")
        w("")
    elif data.reused_marker:
        w(
            f"Ratings and cards: reused ({data.reused_marker}; `--reseed-supervision` seeds them again)."
        )
        w("")
    if sup is not None and sup.refresh_full_seconds:
        w(f"**Full rebuild** `statistics_refresh(start={sup.first_day}, end=today)`: **{sup.refresh_full_seconds:.1f} s**, {sup.refresh_full_rows:,} daily rows.")  # fmt: skip
    if sup is not None and sup.refresh_recent_seconds:
        w("**Beat job** `statistics_refresh_recent` (today and yesterday): " + ", ".join(f"{s * 1000:.0f} ms" for s in sup.refresh_recent_seconds) + f" ({sup.refresh_recent_rows} rows).")  # fmt: skip
    w("")
    w("## Figures")
    w("")
    w(f"In-process: {config.calls} calls of `supervision.statistics.dashboard()` per cell (scope from "
      "`statistics_scope_for`, the supervisor's or the head's). HTTP: gunicorn "
      f"{http.label if http else '–'}, `{config.requests}` sequential requests per cell from one signed-in client, "
      f"then {config.clients} clients for {config.seconds:.0f} s. Days end today ({run.today}).")  # fmt: skip
    w("")
    lines.extend(figures_table(run))
    w("")
    if http is not None:
        w("Calibration in the same run (same server, same client, " f"{config.clients} clients): " + "; ".join(f"{r.label}: {r.rate:,.0f} rps, p50 {_ms(r.lat('get').p50)} / p99 {_ms(r.lat('get').p99)} ms" for r in http.calibration.values()) + ".")  # fmt: skip
        w("")
        w(f"gunicorn: {http.settings}. Memory after the run (master + workers): PSS {http.memory_mb[0]:,.0f} MB (sum of RSS {http.memory_mb[1]:,.0f} MB).")  # fmt: skip
        w("")
        w("| HTTP cell | status | bytes | 1 client p50 / p95 / p99 / max ms | concurrent rps | × C_json | × C_db | p50 / p95 / p99 ms | errors | CPU (app+load / PG+Redis / other) |")  # fmt: skip
        w("|---|---|---|---|---|---|---|---|---|---|")
        cj, cd = http.calibration.get("json"), http.calibration.get("db")
        for h in http.cells:
            s, c = h.sequential, h.concurrent
            if s is None or c is None:
                w(
                    f"| {h.kind} {h.cell.key} | {h.status} | {h.bytes:,} | {h.note} | – | – | – | – | – | – |"
                )
                continue
            lat = c.lat("get")
            assert cj is not None
            assert cd is not None
            cpu = apps._cpu_cell(c.cpu)
            w(f"| {h.kind} {h.cell.key} | {h.status} | {h.bytes:,} | {_ms(s.p50)} / {_ms(s.p95)} / {_ms(s.p99)} / {_ms(s.max)} | {c.rate:,.0f} | "
              f"{c.rate / cj.rate:.3f} | {c.rate / cd.rate:.3f} | {_ms(lat.p50)} / {_ms(lat.p95)} / {_ms(lat.p99)} | {c.errors} | {cpu} |")  # fmt: skip
        w("")
    if run.costs:
        w("## Where the page's time goes (in-process, Django's test client, 30 requests per cell)")
        w("")
        w(
            "| cell | `dashboard()` p50 ms | charts (pygal, 4 SVG) ms | whole page p50 / p95 ms | page bytes | CSV p50 / p95 ms |"
        )
        w("|---|---|---|---|---|---|")
        for cost, r in zip(run.costs, run.inprocess, strict=True):
            w(f"| {cost.cell.label} | {_ms(r.latency.p50)} | {_ms(cost.charts_ms)} | {_ms(cost.page.p50)} / {_ms(cost.page.p95)} | {cost.page_bytes:,} | {_ms(cost.csv.p50)} / {_ms(cost.csv.p95)} |")  # fmt: skip
        w("")
    if run.scales:
        w("## What-if: a larger catalogue (rolled back)")
        w("")
        w(f"The seed has {data.counts.get('daily rows', 0):,} daily rows: 40 matters with cases nearly every day. The rows grow with "
          "the matters that have activity on a day, not with the cases. Each line adds copies of the seeded matters (drafts of the "
          "same departments) with their daily rows of the last 365 days, in a transaction that is rolled back; `dashboard()` is "
          f"called 20 times per cell.")  # fmt: skip
        w("")
        keys = list(run.scales[0].latencies)
        w("| matters with rows | daily rows in 365 days | " + " | ".join(f"`dashboard()` {k} p50 / p95 ms" for k in keys) + " |")  # fmt: skip
        w("|---|---|" + "---|" * len(keys))
        for sc in run.scales:
            w(f"| {sc.matters:,} | {sc.rows_365:,} | " + " | ".join(f"{_ms(v.p50)} / {_ms(v.p95)}" for v in sc.latencies.values()) + " |")  # fmt: skip
        w("")
        w(
            "All departments over 365 days, other query shapes on the same rows (SQL only, results fetched):"
        )
        w("")
        w("| matters | " + " | ".join(f"{_ms(sc.matters)}" for sc in run.scales) + " |")
        w("|---|" + "---|" * len(run.scales))
        w("| `dashboard()` as the code is (whole call, SQL and Python) | " + " | ".join(f"{_ms(sc.latencies['all-365'].p50)} / {_ms(sc.latencies['all-365'].p95)}" for sc in run.scales) + " |")  # fmt: skip
        for label in run.scales[0].shapes:
            w(f"| {label} | " + " | ".join(f"{_ms(sc.shapes[label].p50)} / {_ms(sc.shapes[label].p95)}" for sc in run.scales) + " |")  # fmt: skip
        w("")
        last = run.scales[-1]
        w(f"`dashboard()` all-365 at {last.matters:,} matters, its statements: " + ", ".join(f"{ms:.0f} ms" for ms, _sql in last.queries) + ".")  # fmt: skip
        w("")
        w(f"Slowest query of all-365 at {last.matters:,} matters:")
        w("")
        w("```")
        w(last.plan)
        w("```")
        w("")
    w("## Correctness at scale")
    w("")
    w("Dashboard totals (`dashboard().totals`, summed from `supervision_dailystat`) against a direct count "
      "over `applications_application`, `supervision_evaluation` and `supervision_alert` with the definitions of "
      "the docstring of `supervision/statistics.py` (local Asia/Shanghai days, ratings not voided, 差评 = levels 4–5; "
      "the case's own department). `actual_days`/`promised_days` are not checked.")  # fmt: skip
    w("")
    w("| cell | " + " | ".join(CHECKED) + " | also checked | result |")
    w("|---|" + "---|" * len(CHECKED) + "---|---|")
    for ch in run.checks:
        cols = [f"{ch.dashboard[k]:,}" + ("" if ch.dashboard[k] == ch.direct[k] else f" ≠ {ch.direct[k]:,}") for k in CHECKED]  # fmt: skip
        also = [k for k in ALSO_CHECKED if ch.dashboard[k] != ch.direct[k]]
        w(f"| {ch.cell.label} | " + " | ".join(cols) + f" | {'all equal' if not also else 'differ: ' + ', '.join(f'{k} {ch.dashboard[k]:,} ≠ {ch.direct[k]:,}' for k in also)} | **{'MATCH' if ch.ok else 'MISMATCH'}** |")  # fmt: skip
    w("")
    w("## Queries of one `dashboard()` call")
    w("")
    for r in run.inprocess:
        w(
            f"- {r.cell.key}: {len(r.queries)} queries, "
            + ", ".join(f"{q.ms:.1f}" for q in r.queries)
            + " ms"
        )
    sql, plan, ms = run.slowest
    w("")
    w(f"Slowest query ({ms:.1f} ms when measured) and its plan:")
    w("")
    w("```sql")
    w(sql)
    w("```")
    w("```")
    w(plan)
    w("```")
    w("")
    w(f"Total run time: {(time.perf_counter() - run.started) / 60:.1f} min.")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    config = parse_args(argv)
    media = Path(tempfile.mkdtemp(prefix="tongban-bench-media-"))
    env = apps.django_env(config.apps_config(), media)
    try:
        with environment(env):
            import redis

            cache = redis.Redis.from_url(config.redis_url)
            cache.flushdb()
            data = prepare(config)
            from core.calendar import local_date

            today = local_date(_now())
            cell_list = cells()
            log("dashboard() in-process …")
            inprocess = measure_inprocess(config, cell_list, today)
            slowest = explain_slowest(inprocess)
            log("correctness: dashboard totals against a direct count …")
            checks = check(cell_list, today)
            log("the page and the CSV through the test client (no HTTP server) …")
            costs = page_costs(cell_list, today)
            http = None
            if config.http:
                with tempfile.TemporaryDirectory(prefix="tongban-bench-") as tmp:
                    server_env = (
                        os.environ | env | {"DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
                    )
                    http = run_http(config, server_env, cell_list, today, Path(tmp))
            scales = []
            if config.scale:
                log("what-if: more matters (rolled back) …")
                scales = scale_whatif(config.scale, cell_list, today)
            machine = apps.machine(config.apps_config())
            run = Run(
                config,
                data,
                today,
                inprocess,
                slowest,
                checks,
                costs,
                scales,
                http,
                machine,
                started,
            )
            text = report(run)
            cache.flushdb()
    finally:
        shutil.rmtree(media, ignore_errors=True)
    print()
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"supervision-{local_now():%Y-%m-%d-%H%M}.md"
    target.write_text(text)
    log(f"written to {target.relative_to(ROOT)}")
    return 0 if all(c.ok for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
