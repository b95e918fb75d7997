"""A throw-away redis-server on a free loopback port: freeze (SIGSTOP), thaw, kill and restart."""

import shutil
import signal
import tempfile
from pathlib import Path

import redis

from tests.harness.processes import Service, free_port, wait_until


class RedisServer:
    """`redis-server --port <free> --save '' --appendonly no` (AOF on when asked)."""

    def __init__(self, *, appendonly: bool = False) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="tongban-chaos-redis-"))
        self.port = free_port()
        self.appendonly = appendonly
        self.service: Service | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.service = Service(
            "redis",
            [
                binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "yes" if self.appendonly else "no", "--dir", str(self.root),
                "--protected-mode", "no", "--loglevel", "warning",
            ],
            env={"PATH": "/usr/bin:/bin"},
            log=self.root / "redis.log",
        ).start()  # fmt: skip
        wait_until(self.ping, timeout=15, interval=0.05, message="redis-server did not start")

    def ping(self) -> bool:
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(port=self.port, db=db, socket_timeout=5, socket_connect_timeout=5)

    def freeze(self) -> None:
        assert self.service is not None
        self.service.signal_group(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.service is not None
        self.service.signal_group(signal.SIGCONT)

    def terminate(self) -> None:
        """SIGTERM (a clean stop; with no AOF and no save, the data is gone)."""
        assert self.service is not None
        self.service.stop(timeout=10)

    def restart(self) -> None:
        self.terminate()
        self.start()

    def destroy(self) -> None:
        if self.service is not None:
            self.service.stop(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "RedisServer":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.destroy()
