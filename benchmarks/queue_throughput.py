"""Queue throughput (T7): enqueue no-op tasks from one process, then drain them with one worker.

    .venv/bin/python benchmarks/queue_throughput.py [--count 20000] [--redis redis://127.0.0.1:6379/11]

The portal's own Celery app and settings (JSON, ignored results, acks late, prefetch 1, the broker
timeouts) on Redis database 11, which nothing else uses:

1. Enqueue `--count` no-op tasks from this process, twice: as the product enqueues
   (`core.queue.enqueue`, a producer from the pool per call) and through one reused producer.
2. Start one `celery -A portal worker --include benchmarks.queue_throughput` (prefork, `-c 2`) on
   that queue and time the drain: from the first task taken to an empty queue and no unacked
   message. The worker logs at WARNING, as a busy queue would be run (INFO writes two lines per
   task); `--loglevel INFO` shows what that costs.

The no-op task lives here, not in the product: the worker imports this module with `--include`.
(Not named `queue.py`: the scripts in this folder run with it on sys.path, where such a file would
hide the standard library's `queue` from kombu.)
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from celery import shared_task

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

from benchmarks.personal_data import KEYS_ENV  # noqa: E402 (after the sys.path line above)

CELERY = str(ROOT / ".venv" / "bin" / "celery")
QUEUE = "bench-noop"
TASK_NAME = "benchmarks.noop"


@shared_task(name=TASK_NAME)
def noop_task(**kwargs: object) -> None:
    """Do nothing: what is left is Celery's own cost per task."""


def environment(redis_url: str, media: Path) -> dict[str, str]:
    """Production settings on the benchmark's Redis database (no database is touched)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(media),
        "LOG_LEVEL": "WARNING",
        "SIGNING_KEY_PASSPHRASE": "bench-queue-passphrase",  # required; never used here
        **KEYS_ENV,  # required as well; no personal data is touched
    }


def enqueue_product(count: int) -> float:
    """Tasks per second sent from this process as `core.queue.enqueue` sends them (a producer
    from the pool per call)."""
    from core.queue import enqueue

    started = time.perf_counter()
    for n in range(count):
        enqueue(_Routed(noop_task), n=n)
    return count / (time.perf_counter() - started)


def enqueue_reused(count: int) -> float:
    """Tasks per second sent from this process through one reused producer."""
    started = time.perf_counter()
    with noop_task.app.producer_or_acquire() as producer:
        for n in range(count):
            noop_task.apply_async(kwargs={"n": n}, queue=QUEUE, producer=producer)
    return count / (time.perf_counter() - started)


class _Routed:
    """The task as `core.queue.enqueue` sees it, sent to the benchmark's own queue."""

    def __init__(self, task: Any) -> None:
        self.task = task
        self.name = task.name

    def apply_async(self, *args: Any, **kwargs: Any) -> Any:
        return self.task.apply_async(*args, queue=QUEUE, **kwargs)


def drain(env: dict[str, str], redis_url: str, loglevel: str, log: Path) -> dict[str, float]:
    """Start one worker on the filled queue; time it until the queue and the unacked hash are
    empty. Returns the worker's start → ready time, the drain time and the rate."""
    import redis

    client = redis.Redis.from_url(redis_url)
    queued = client.llen(QUEUE)
    started = time.time()
    worker = subprocess.Popen(
        [CELERY, "-A", "portal", "worker", "--include", "benchmarks.queue_throughput", "-Q", QUEUE,
         "--pool=prefork", "--concurrency=2", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--loglevel", loglevel],
        env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    first: float | None = None
    ready: float | None = None
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline:
            now = time.time()
            if ready is None and b" ready." in log.read_bytes():
                ready = now
            left = client.llen(QUEUE)
            if first is None and left < queued:
                first = now
            if left == 0 and client.hlen("unacked") == 0:
                break
            time.sleep(0.01)
        else:
            raise SystemExit("the worker did not drain the queue in 10 minutes")
        finished = time.time()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert first is not None
    return {
        "ready_s": (ready - started) if ready is not None else float("nan"),  # INFO logs it
        "drain_s": finished - first,
        "rate": queued / (finished - first),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--loglevel", default="WARNING")
    args = parser.parse_args()

    import redis

    media = Path(tempfile.mkdtemp(prefix="tongban-bench-queue-"))
    env = environment(args.redis, media)
    os.environ.update(env)
    import django

    django.setup()
    from benchmarks.catalogue import machine_description

    for key, value in machine_description(args.redis).items():
        print(f"{key}: {value}")
    client = redis.Redis.from_url(args.redis)
    client.flushdb()  # only here: kombu keeps the queue's binding in this database

    noop_task.apply_async(kwargs={"n": -1}, queue=QUEUE)  # connect and declare before timing
    product = enqueue_product(args.count)
    client.delete(QUEUE)
    reused = enqueue_reused(args.count)  # these are drained below
    print(
        f"enqueue, one process, {args.count} no-op tasks: {product:.0f}/s as core.queue.enqueue "
        f"sends (a pooled producer per call), {reused:.0f}/s through one reused producer"
    )
    if client.llen(QUEUE) != args.count:
        raise SystemExit(
            f"{client.llen(QUEUE)} of {args.count} tasks in the queue: another process uses "
            f"Redis database {args.redis.rsplit('/', 1)[-1]}; choose another with --redis"
        )
    result = drain(env, args.redis, args.loglevel, media / "worker.log")
    ready = "" if math.isnan(result["ready_s"]) else f"; worker ready {result['ready_s']:.2f} s after start"  # fmt: skip
    print(
        f"consume, one worker (prefork -c2, prefetch 1, acks late, log {args.loglevel}): "
        f"{args.count} in {result['drain_s']:.1f} s = {result['rate']:.0f}/s{ready}"
    )
    client.flushdb()


if __name__ == "__main__":
    main()
