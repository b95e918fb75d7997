"""The whole portal on loopback, as it runs in production: a PostgreSQL database of its own with the
demo data, gunicorn, a Celery worker on Redis for certificates and messages, SMS written to a file.
Used by the end-to-end tests and by `benchmarks/lighthouse.py`."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def unavailable_reason() -> str:
    """Why the stack cannot run here, or "" when it can."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "needs DATABASE_URL pointing at PostgreSQL"
    if not os.environ.get("REDIS_URL"):
        return "needs REDIS_URL (a real broker)"
    if not Path(CHROMIUM).exists():
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    return ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Stack:
    base_url: str
    workdir: Path
    env: dict[str, str]

    def sms_to(self, mobile: str) -> list[str]:
        """Texts sent to `mobile`, oldest first (the phone of the test)."""
        path = self.workdir / "sms.jsonl"
        if not path.exists():
            return []
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return [m["text"] for m in lines if m.get("to") == mobile or m.get("mobile") == mobile]

    def latest_code(self, mobile: str, timeout: float = 10.0) -> str:
        """The 6-digit code of the latest SMS to `mobile`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for text in reversed(self.sms_to(mobile)):
                digits = "".join(ch if ch.isdigit() else " " for ch in text).split()
                codes = [d for d in digits if len(d) == 6]
                if codes:
                    return codes[0]
            time.sleep(0.2)
        raise AssertionError(f"no code sent to {mobile}")

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout


def _free_redis_db(url: str) -> str:
    for number in range(8, 16):
        candidate = urlsplit(url)._replace(path=f"/{number}").geturl()
        keys = subprocess.run(
            ["redis-cli", "-u", candidate, "dbsize"], capture_output=True, text=True, check=True
        ).stdout.strip()
        if keys == "0":
            return candidate
    raise RuntimeError("no empty Redis database among 8-15")


def _run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True)


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer:\n{log.read_text(errors='replace')[-3000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def running_stack(workdir: Path) -> Iterator[Stack]:
    """Create the database, load the demo, start gunicorn and a worker; tear all down after."""
    database = urlsplit(os.environ["DATABASE_URL"])
    name = f"tongban_e2e_{uuid.uuid4().hex[:8]}"
    admin_url = database._replace(path="/postgres").geturl()
    # A Redis database of its own (cache and broker), so two stacks on one machine never share
    # tasks: the first of 8..15 with no keys.
    redis = _free_redis_db(os.environ["REDIS_URL"])
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "DEBUG": "0",
        "DATABASE_URL": database._replace(path=f"/{name}").geturl(),
        "REDIS_URL": redis,
        "SMS_BACKEND": "core.sms.FileSmsBackend",
        "SMS_FILE_PATH": str(workdir / "sms.jsonl"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(workdir / "mail"),
        "MEDIA_ROOT": str(workdir / "media"),
        "PORTAL_BASE_URL": base_url,
        "PYTHONUNBUFFERED": "1",
        "TONGBAN_DEMO": "1",  # load_demo runs on demo machines only
    }
    env.pop("PYTEST_ADDOPTS", None)
    _run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], env)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        python = str(BIN / "python")
        _run([python, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        _run([python, "manage.py", "load_demo"], env)
        _run([python, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
        server_log = workdir / "gunicorn.log"
        worker_log = workdir / "worker.log"
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "portal.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                    "-w",
                    "3",
                    "--access-logfile",
                    "-",
                ],
                cwd=ROOT,
                env=env,
                stdout=server_log.open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "celery"),
                    "-A",
                    "portal",
                    "worker",
                    "-Q",
                    "celery,notifications",
                    "-c",
                    "2",
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                    "-l",
                    "info",
                ],
                cwd=ROOT,
                env=env,
                stdout=worker_log.open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        _wait_healthy(base_url, processes[0], server_log)
        yield Stack(base_url=base_url, workdir=workdir, env=env)
    finally:
        for process in processes:
            _stop(process)
        subprocess.run(["redis-cli", "-u", redis, "flushdb"], capture_output=True, check=False)
        if not os.environ.get("E2E_KEEP_DATABASE"):  # kept: to look at what a failed run left
            subprocess.run(
                ["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                env=env,
                capture_output=True,
                check=False,
            )
