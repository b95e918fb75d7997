"""gunicorn and Celery workers on a throw-away cluster and redis-server, as production runs them,
with SMS and e-mail written to files so a test can count every message that left."""

import email
import json
import os
import signal
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.harness.processes import BIN, ROOT, Service, children_of, free_port, run, wait_until

SECRET_KEY = "chaos-harness-secret-key-not-for-production-0123456789abcdef"
# The worker's transport in the chaos tests (RELIABILITY §2.4): a message a dead worker held is
# back in its queue 15 s later, checked every second; every task's hard limit stays below that.
CHAOS_CELERY = {
    "CELERY_VISIBILITY_TIMEOUT": "15",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    "CELERY_TASK_TIME_LIMIT": "12",
    "CELERY_TASK_SOFT_TIME_LIMIT": "10",
}


def django_env(
    *, database_url: str, redis_url: str, workdir: Path, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment of every process of one stack (same SECRET_KEY: same derived keys)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_", "CELERY_", "DATABASE_", "REDIS_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.local",
            "DEBUG": "False",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(workdir / "media"),
            "SMS_BACKEND": "core.sms.FileSmsBackend",
            "SMS_FILE_PATH": str(workdir / "sms.jsonl"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(workdir / "mail"),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "SUPERVISION_CATCH_UP_ON_VIEW": "False",
            "VERIFICATION_RATE": "1000000/m",
            **CHAOS_CELERY,
        }
    )
    env.update(extra or {})
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    return run([str(BIN / "python"), "manage.py", *args], env=env, timeout=timeout).stdout


class Gunicorn:
    """`gunicorn -c portal/gunicorn_config.py` (sync, -w 2) on a free loopback port."""

    def __init__(self, env: dict[str, str], workdir: Path, *, workers: int = 2) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.service = Service(
            "gunicorn",
            [
                str(BIN / "gunicorn"), "-c", str(ROOT / "portal" / "gunicorn_config.py"),
                "portal.wsgi:application", "--log-level", "warning",
            ],
            env=env | {
                "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers),
                "GUNICORN_ACCESS_LOG": str(workdir / "access.log"),
            },
            log=workdir / f"gunicorn-{self.port}.log",
        )  # fmt: skip

    def start(self) -> "Gunicorn":
        self.service.start()
        wait_until(self.healthy, timeout=90, interval=0.3, message=lambda: self.service.log_tail())
        return self

    def healthy(self) -> bool:
        if not self.service.running():
            raise RuntimeError("gunicorn exited\n" + self.service.log_tail())
        try:
            with urllib.request.urlopen(self.base_url + "/healthz", timeout=3) as reply:  # noqa: S310
                return int(reply.status) == 200
        except (OSError, urllib.error.URLError):
            return False

    def stop(self) -> None:
        self.service.stop()


class Worker:
    """`celery -A portal worker -P prefork -c 2` in its own process group (setsid).

    Started through tests/harness/celery_entry.py, which adds the test-only poison hook when
    CHAOS_POISON_TYPE is set, then runs Celery's own command line."""

    def __init__(
        self,
        env: dict[str, str],
        workdir: Path,
        *,
        name: str = "chaos",
        queues: str = "celery,notifications",
        concurrency: int = 2,
        extra: dict[str, str] | None = None,
        loglevel: str = "INFO",
    ) -> None:
        self.workdir = workdir
        self.service = Service(
            f"worker-{name}",
            [
                str(BIN / "python"), "-m", "tests.harness.celery_entry", "-A", "portal", "worker",
                "-P", "prefork", "-c", str(concurrency), "-Q", queues, "-n", f"{name}@%h",
                "--without-heartbeat", "--without-mingle", "--without-gossip",
                "--loglevel", loglevel,
            ],
            env=env | (extra or {}),
            log=workdir / f"worker-{name}.log",
        )  # fmt: skip

    def start(self, *, ready_timeout: float = 90) -> "Worker":
        self.service.start()
        wait_until(
            lambda: self._ready(),
            timeout=ready_timeout,
            interval=0.2,
            message=lambda: self.service.log_tail(),
        )
        return self

    def _ready(self) -> bool:
        if not self.service.running():
            raise RuntimeError("the worker exited\n" + self.service.log_tail())
        return " ready." in self.service.log.read_text(errors="replace")

    def pool(self) -> list[int]:
        return children_of(self.service.pid)

    def kill_group(self) -> None:
        """kill -9 the main process and every pool child at once (a lost machine)."""
        self.service.kill()

    def kill_child(self, pid: int) -> None:
        os.kill(pid, signal.SIGKILL)

    def log_text(self) -> str:
        return self.service.log.read_text(errors="replace")

    def stop(self) -> None:
        self.service.stop(timeout=30)


@dataclass
class Sinks:
    """What left through the file backends: SMS lines and e-mail messages."""

    workdir: Path
    sms: list[dict[str, str]] = field(default_factory=list)
    mail: list[tuple[str, str]] = field(default_factory=list)  # (to, subject + body)

    def read(self) -> "Sinks":
        path = self.workdir / "sms.jsonl"
        self.sms = (
            [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
            if path.exists()
            else []
        )
        self.mail = []
        folder = self.workdir / "mail"
        for file in sorted(folder.glob("*")) if folder.exists() else []:
            for chunk in file.read_text(encoding="utf-8", errors="replace").split("-" * 79):
                if not chunk.strip():
                    continue
                message = email.message_from_string(chunk.strip())
                payload = message.get_payload(decode=True)
                body = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
                self.mail.append((str(message["To"]), f"{message['Subject']}\n{body}"))
        return self

    def duplicates(self) -> int:
        """Messages that left more than once (same recipient, same text)."""
        seen = Counter((m["mobile"], m["text"]) for m in self.sms) + Counter(self.mail)
        return sum(count - 1 for count in seen.values() if count > 1)
