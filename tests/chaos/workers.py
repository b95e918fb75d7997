"""The worker-fault scenarios, shared by Tier 1 (few runs) and Tier 2 (many)."""

import random
import time
from dataclasses import dataclass

from tests.chaos.checks import all_valid, certificate_problems, orphan_files, statuses
from tests.chaos.conftest import Stack
from tests.harness.processes import cpu_ticks, wait_until
from tests.harness.stack import Worker


@dataclass
class KillRun:
    killed: bool
    redelivery: float  # seconds from the kill to the task running again (0 when nothing to redo)
    problems: list[str]


def calibrate(stack: Stack, certificate_id: int) -> float:
    """Issue one certificate normally; return how long its render took (claim → VALID)."""
    stack.send("certificates.issue", certificate_id=certificate_id)
    wait_until(
        lambda: statuses(stack, [certificate_id])[certificate_id][1] >= 1,
        timeout=60,
        interval=0.02,
        message=stack.logs,
    )
    return wait_until(
        lambda: all_valid(stack, [certificate_id]), timeout=60, interval=0.02, message=stack.logs
    )


def busy_child(worker: Worker, *, sample: float = 0.15) -> int | None:
    """A pool process that is using the CPU (rendering), or None."""
    pool = worker.pool()
    before = {pid: cpu_ticks(pid) for pid in pool}
    time.sleep(sample)
    busy = [pid for pid in pool if cpu_ticks(pid) > before[pid]]
    return random.choice(busy) if busy else None


def kill_mid_render(stack: Stack, worker: Worker, pair: list[int], render: float) -> KillRun:
    """Send two certificates (both pool processes busy), kill -9 one pool process at a random point
    of the render, and wait until both are issued."""
    for certificate_id in pair:
        stack.send("certificates.issue", certificate_id=certificate_id)
    wait_until(
        lambda: all(attempts >= 1 for _, attempts in statuses(stack, pair).values()),
        timeout=60,
        interval=0.02,
        message=stack.logs,
    )
    time.sleep(random.uniform(0, max(render - 0.2, 0.1)))
    child = busy_child(worker)
    redelivery = 0.0
    if child is not None and not all_valid(stack, pair):
        attempts_before = sum(a for _, a in statuses(stack, pair).values())
        # One connection for the whole wait, and the clock started at the kill itself: the
        # figure is the worker's redelivery, not our queries (each poll of `statuses` connects).
        with stack.cluster.connect(stack.database) as connection:

            def taken_again() -> bool:
                rows = connection.execute(
                    "SELECT status, attempts FROM certificates_certificate WHERE id = ANY(%s)",
                    (pair,),
                ).fetchall()
                return sum(a for _, a in rows) > attempts_before or all(
                    s == "VALID" for s, _ in rows
                )

            worker.kill_child(child)
            killed_at = time.monotonic()
            wait_until(taken_again, timeout=60, interval=0.02, message=stack.logs)
            redelivery = time.monotonic() - killed_at
    try:
        wait_until(lambda: all_valid(stack, pair), timeout=30, interval=0.05)
    except TimeoutError:
        # A render that overran its soft time limit on a busy machine is acked as failed and left
        # PENDING: the beat sweeper's job. Run it now rather than wait for its schedule.
        stack.send("certificates.issue_pending", older_than_seconds=0)
        wait_until(lambda: all_valid(stack, pair), timeout=60, interval=0.05, message=stack.logs)
    return KillRun(child is not None, redelivery, certificate_problems(stack, pair))


def wk01(stack: Stack, runs: int) -> tuple[list[KillRun], int]:
    """REL-WK-01: `runs` kills of a pool child mid-render; returns the runs and the orphan files."""
    ids = stack.seed.certificates
    assert len(ids) >= 2 * runs + 1, "seed more cases"
    worker = stack.worker()
    render = calibrate(stack, ids[0])
    results = [
        kill_mid_render(stack, worker, ids[1 + 2 * i : 3 + 2 * i], render) for i in range(runs)
    ]
    return results, orphan_files(stack)
