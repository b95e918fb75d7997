"""HTTP clients for the chaos tests (requests, one session per seeded citizen) and the Redis
outage scenario REL-OB-02, shared by Tier 1 (200 submissions) and Tier 2 (1,000)."""

import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from tests.chaos.conftest import Stack
from tests.harness.processes import wait_until
from tests.harness.stack import Sinks

SOCKET_TIMEOUT = 3  # CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"]


def citizen_session(stack: Stack, client: dict[str, Any]) -> requests.Session:
    """A signed-in citizen (the seed made the session) with a CSRF cookie and header."""
    session = requests.Session()
    token = secrets.token_hex(16)  # 32 characters: a CSRF secret Django accepts as is
    session.cookies.set(stack.seed.data["session_cookie"], client["session"])
    session.cookies.set(stack.seed.data["csrf_cookie"], token)
    session.headers.update({"X-CSRFToken": token, "Accept": "application/json"})
    return session


def percentile(values: list[float], share: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Outcome:
    status: int
    seconds: float
    case_status: str = ""


@dataclass
class LoadResult:
    outcomes: list[Outcome] = field(default_factory=list)
    fault_at: float = 0.0
    fault_seconds: float = 0.0

    @property
    def created(self) -> int:
        return sum(
            1 for o in self.outcomes if o.status in (200, 201) and o.case_status == "RECEIVED"
        )

    def p99(self) -> float:
        return percentile([o.seconds for o in self.outcomes], 0.99)

    def slowest(self) -> float:
        return max((o.seconds for o in self.outcomes), default=0.0)


def submit_all(
    stack: Stack,
    base_url: str,
    *,
    total: int,
    fault_after: float,
    fault: Callable[[], None],
    recover: Callable[[], None],
    fault_seconds: float,
    retry_unavailable: bool = False,
) -> tuple[LoadResult, list[int]]:
    """A closed loop: one thread per seeded citizen submits its drafts one after another
    (POST /api/v1/applications/<id>/submit/). When `fault_after` of `total` are done, `fault()`
    runs and `recover()` follows `fault_seconds` later. Returns the outcomes and the submitted ids."""
    clients = stack.seed.clients
    per_client = math.ceil(total / len(clients))
    work = [(c, c["drafts"][:per_client]) for c in clients]
    submitted = [pk for _, drafts in work for pk in drafts][:total]
    wanted = set(submitted)
    result = LoadResult()
    lock = threading.Lock()
    trigger = threading.Event()
    done_count = [0]

    def run_client(client: dict[str, Any], drafts: list[int]) -> None:
        session = citizen_session(stack, client)
        for pk in drafts:
            if pk not in wanted:
                continue
            url = f"{base_url}/api/v1/applications/{pk}/submit/"
            attempts = 0
            while True:
                attempts += 1
                start = time.monotonic()
                try:
                    reply = session.post(url, json={}, timeout=60)
                    outcome = Outcome(reply.status_code, time.monotonic() - start)
                    if reply.headers.get("content-type", "").startswith("application/json"):
                        body = reply.json()
                        outcome.case_status = (
                            str(body.get("status", "")) if isinstance(body, dict) else ""
                        )
                except requests.RequestException:
                    outcome = Outcome(0, time.monotonic() - start)
                retry = retry_unavailable and outcome.status in (0, 502, 503) and attempts < 30
                with lock:
                    result.outcomes.append(outcome) if not retry else None
                if not retry:
                    break
                time.sleep(1)
            with lock:
                done_count[0] += 1
                if done_count[0] >= fault_after * total:
                    trigger.set()
        session.close()

    threads = [threading.Thread(target=run_client, args=item, daemon=True) for item in work]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    trigger.wait(timeout=600)
    result.fault_at = time.monotonic() - started
    fault()
    try:
        time.sleep(fault_seconds)
    finally:
        recover()
    result.fault_seconds = fault_seconds
    for thread in threads:
        thread.join(timeout=900)
    assert not any(t.is_alive() for t in threads), "a client hung"
    return result, submitted


@dataclass
class Delivery:
    rows: int
    queued: int
    sent_sms: int
    sent_mail: int
    sink_sms: int
    sink_mail: int
    duplicates: int
    seconds: float

    @property
    def exactly_once(self) -> bool:
        return (
            self.queued == 0
            and self.duplicates == 0
            and self.sent_sms == self.sink_sms
            and self.sent_mail == self.sink_mail
        )


def drain_notifications(stack: Stack, *, timeout: float = 180) -> Delivery:
    """Run the sweeper (notifications.send_pending, as beat would) until no e-mail or SMS is
    left queued, then compare the rows with what left through the file backends."""
    start = time.monotonic()

    def queued() -> int:
        return int(
            stack.value(
                "SELECT count(*) FROM notifications_notification"
                " WHERE status = 'QUEUED' AND channel IN ('SMS', 'EMAIL')"
            )
        )

    def swept() -> bool:
        if queued() == 0:
            return True
        stack.send("notifications.send_pending", older_than_seconds=0)
        time.sleep(2)
        return queued() == 0

    wait_until(swept, timeout=timeout, interval=0.5, message=stack.logs)
    time.sleep(1)  # a send that committed just now has written its line already (file first)
    seconds = time.monotonic() - start
    counts = dict(
        stack.sql(
            "SELECT channel, count(*) FROM notifications_notification"
            " WHERE status = 'SENT' AND channel IN ('SMS', 'EMAIL') GROUP BY channel"
        )
    )
    sinks = Sinks(stack.workdir).read()
    return Delivery(
        rows=int(stack.value("SELECT count(*) FROM notifications_notification")),
        queued=queued(),
        sent_sms=int(counts.get("SMS", 0)),
        sent_mail=int(counts.get("EMAIL", 0)),
        sink_sms=len(sinks.sms),
        sink_mail=len(sinks.mail),
        duplicates=sinks.duplicates(),
        seconds=seconds,
    )


def received(stack: Stack, ids: list[int]) -> int:
    return int(
        stack.value(
            "SELECT count(*) FROM applications_application WHERE id = ANY(%s) AND status <> 'DRAFT'",
            ids,
        )
    )
