"""A throw-away PostgreSQL cluster on a free loopback port, run as the `postgres` OS user (initdb
refuses root). fsync off for Tier 1 (speed), on for Tier 2; WAL archiving for the PITR drill."""

import contextlib
import os
import pwd
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import psycopg

from tests.harness.processes import free_port, run, wait_until


def pg_bin() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin with initdb, or None."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True
    )
    return next((c for c in candidates if (c / "initdb").exists()), None)


def _as_postgres() -> dict[str, Any]:
    """subprocess arguments that run a command as `postgres` when we are root."""
    if os.geteuid() != 0:
        return {}
    return {"user": "postgres", "group": "postgres"}


def _chown_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(path, entry.pw_uid, entry.pw_gid)


class PgCluster:
    """initdb in a temporary directory; start/stop/restart with pg_ctl -w; URLs for psycopg and
    Django. Use as a context manager, or call `destroy()` in a finally."""

    def __init__(
        self,
        *,
        fsync: bool = False,
        settings: Mapping[str, str] | None = None,
        prefix: str = "tongban-chaos-pg-",
    ) -> None:
        found = pg_bin()
        if found is None:
            raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
        self.bin = found
        self.root = Path(tempfile.mkdtemp(prefix=prefix))
        _chown_to_postgres(self.root)
        self.data = self.root / "data"
        self.archive = self.root / "archive"
        self.logfile = self.root / "postgres.log"
        self.port = free_port()
        self.fsync = fsync
        self.settings = dict(settings or {})

    # --- lifecycle ------------------------------------------------------------------------------

    def _run(self, *args: str, timeout: float = 120) -> str:
        return run(args, timeout=timeout, **_as_postgres()).stdout

    def init(self) -> "PgCluster":
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self.archive.mkdir()
        _chown_to_postgres(self.archive)
        conf = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.root}'",
            "fsync": "on" if self.fsync else "off",
            "synchronous_commit": "on" if self.fsync else "off",
            "full_page_writes": "on" if self.fsync else "off",
            "max_connections": "100",
            "shared_buffers": "64MB",
            "log_min_messages": "warning",
            **self.settings,
        }
        with (self.data / "postgresql.conf").open("a") as file:
            file.write("\n# tests/harness/pg.py\n")
            file.writelines(f"{key} = {value}\n" for key, value in conf.items())
        return self

    def start(self) -> None:
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile), "-w",
            "-t", "60", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self, mode: str = "fast") -> None:
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile), "-m", mode,
            "-w", "-t", "60", "restart",
        )  # fmt: skip

    def running(self) -> bool:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "status")
        except RuntimeError:
            return False
        return True

    def destroy(self) -> None:
        """Stop the cluster (immediate) and remove its directory."""
        if self.data.exists() and self.running():
            with contextlib.suppress(RuntimeError):
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "PgCluster":
        self.init()
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.destroy()

    # --- access ---------------------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection[Any]:
        return psycopg.connect(self.url(database), autocommit=True, connect_timeout=5)

    def execute(self, sql: str, params: tuple[Any, ...] = (), database: str = "postgres") -> None:
        with self.connect(database) as conn:
            conn.execute(sql, params)

    def scalar(self, sql: str, params: tuple[Any, ...] = (), database: str = "postgres") -> Any:
        with self.connect(database) as conn:
            row = conn.execute(sql, params).fetchone()
            return None if row is None else row[0]

    def rows(
        self, sql: str, params: tuple[Any, ...] = (), database: str = "postgres"
    ) -> list[tuple[Any, ...]]:
        with self.connect(database) as conn:
            return list(conn.execute(sql, params).fetchall())

    def create_database(self, name: str, template: str = "template1") -> None:
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def ready(self, timeout: float = 30) -> None:
        def accepts() -> bool:
            try:
                self.scalar("SELECT 1")
            except psycopg.OperationalError:
                return False
            return True

        wait_until(accepts, timeout=timeout, interval=0.2, message="PostgreSQL did not come back")
