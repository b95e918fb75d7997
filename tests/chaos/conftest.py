"""Fixtures of the chaos tests (RELIABILITY §4): a throw-away PostgreSQL cluster with a migrated,
seeded template database for the session; per test a clone of it, a redis-server, and gunicorn and
Celery workers started on demand, all stopped at the end whatever happened.

Tier 1 (`chaos`) runs inside `make test` when DATABASE_URL (PostgreSQL) and REDIS_URL are set;
Tier 2 (`chaos` + `tier2`) only when CHAOS_TIER2=1 (`make chaos`)."""

import contextlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from celery import Celery

from tests.chaos.report import ROWS, Row
from tests.harness import stack as harness
from tests.harness.pg import PgCluster, pg_bin
from tests.harness.processes import BIN, run
from tests.harness.redis_server import RedisServer

TIER2 = os.environ.get("CHAOS_TIER2") == "1"
# Tier 1: 14 approved cases (certificates), 10 citizens × 20 drafts (200 submissions), 1 poison.
# Tier 2 adds 100 cases (REL-WK-01 × 50) and 100 drafts a citizen (1,000 submissions).
SEED_CASES = 114 if TIER2 else 14
SEED_CLIENTS = 10
SEED_DRAFTS = 100 if TIER2 else 20


def chaos_unavailable() -> str:
    """Why the chaos tests cannot run here, or ""."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "needs DATABASE_URL (PostgreSQL)"
    if not os.environ.get("REDIS_URL"):
        return "needs REDIS_URL"
    if pg_bin() is None:
        return "needs the PostgreSQL server binaries (/usr/lib/postgresql/*/bin)"
    if shutil.which("redis-server") is None and not Path("/usr/bin/redis-server").exists():
        return "needs redis-server"
    return ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = chaos_unavailable()
    for item in items:
        if "tests/chaos/" not in item.nodeid and not item.nodeid.startswith("chaos/"):
            continue
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))
        elif item.get_closest_marker("tier2") and not TIER2:
            item.add_marker(pytest.mark.skip(reason="Tier 2: run with `make chaos`"))


# --- figures ------------------------------------------------------------------------------------


@pytest.fixture
def record_figure() -> Callable[[str, str, str, bool], None]:
    """record_figure(id, figure, target, passed): one row of the chaos report (tests/chaos/report)."""

    def record(scenario: str, figure: str, target: str, passed: bool) -> None:
        ROWS.append(Row(scenario, figure, target, passed))

    return record


# --- the session's cluster and template ---------------------------------------------------------


@dataclass
class Seed:
    template: str
    media: Path
    data: dict[str, Any]

    @property
    def certificates(self) -> list[int]:
        return list(self.data["certificates"])

    @property
    def clients(self) -> list[dict[str, Any]]:
        return list(self.data["clients"])


@pytest.fixture(scope="session")
def chaos_cluster() -> Iterator[PgCluster]:
    cluster = PgCluster(fsync=False)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def chaos_seed(chaos_cluster: PgCluster) -> Iterator[Seed]:
    """`migrate` and tests/harness/seed.py into a template database, once per session."""
    workdir = Path(tempfile.mkdtemp(prefix="tongban-chaos-seed-"))
    try:
        template = "chaos_template"
        chaos_cluster.create_database(template)
        env = harness.django_env(
            database_url=chaos_cluster.url(template),
            redis_url="redis://127.0.0.1:1/0",  # nothing: the seed sends no task anywhere
            workdir=workdir,
        )
        harness.manage(env, "migrate", "--no-input", "-v", "0")
        out = workdir / "seed.json"
        run(
            [
                str(BIN / "python"), "-m", "tests.harness.seed", str(out),
                "--cases", str(SEED_CASES), "--clients", str(SEED_CLIENTS),
                "--drafts", str(SEED_DRAFTS), "--poison",
            ],
            env=env | {"DJANGO_SETTINGS_MODULE": "portal.settings.test"},
            timeout=1200,
        )  # fmt: skip
        yield Seed(template, workdir / "media", json.loads(out.read_text()))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# --- per test -----------------------------------------------------------------------------------


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


@dataclass
class Stack:
    """One test's world: a clone of the template, a redis-server, and the processes it starts."""

    cluster: PgCluster
    redis: RedisServer
    database: str
    workdir: Path
    seed: Seed
    env: dict[str, str]
    stoppables: list[Any] = field(default_factory=list)
    _client: Celery | None = None

    @property
    def media(self) -> Path:
        return self.workdir / "media"

    def gunicorn(self, extra: dict[str, str] | None = None) -> harness.Gunicorn:
        server = harness.Gunicorn(self.env | (extra or {}), self.workdir)
        self.stoppables.append(server)
        return server.start()

    def worker(self, name: str = "chaos", **kwargs: Any) -> harness.Worker:
        worker = harness.Worker(self.env, self.workdir, name=name, **kwargs)
        self.stoppables.append(worker)
        return worker.start()

    def logs(self) -> str:
        return (
            "\n".join(s.service.log_tail() for s in self.stoppables if hasattr(s, "service"))
            + "\n"
            + self.redis.root.joinpath("redis.log").read_text(errors="replace")[-2000:]
        )

    # --- the broker, as the product's on-commit hook uses it --------------------------------

    @property
    def celery(self) -> Celery:
        if self._client is None:
            app = Celery("chaos-client", broker=self.redis.url(), set_as_current=False)
            app.conf.update(
                task_serializer="json",
                accept_content=["json"],
                broker_transport_options={"socket_timeout": 3, "socket_connect_timeout": 3},
                broker_connection_retry_on_startup=True,
            )
            self._client = app
        return self._client

    def send(self, task: str, **kwargs: Any) -> None:
        queue = "notifications" if task.startswith("notifications.") else "celery"
        self.celery.send_task(task, kwargs=kwargs, queue=queue)

    # --- the database -----------------------------------------------------------------------

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.cluster.rows(query, params, database=self.database)

    def value(self, query: str, *params: Any) -> Any:
        return self.cluster.scalar(query, params, database=self.database)

    def close(self) -> None:
        for item in reversed(self.stoppables):
            with contextlib.suppress(Exception):
                item.stop()
        if self._client is not None:
            self._client.close()


@pytest.fixture
def stack(
    chaos_cluster: PgCluster, chaos_seed: Seed, redis_server: RedisServer, tmp_path: Path
) -> Iterator[Stack]:
    name = f"chaos_{uuid.uuid4().hex[:10]}"
    chaos_cluster.create_database(name, template=chaos_seed.template)
    if chaos_seed.media.exists():
        shutil.copytree(chaos_seed.media, tmp_path / "media")
    env = harness.django_env(
        database_url=chaos_cluster.url(name), redis_url=redis_server.url(), workdir=tmp_path
    )
    world = Stack(chaos_cluster, redis_server, name, tmp_path, chaos_seed, env)
    try:
        yield world
    finally:
        world.close()
        if chaos_cluster.running():
            chaos_cluster.drop_database(name)
