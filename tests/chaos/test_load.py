"""Tier 2 (`make chaos`): the load scenarios of RELIABILITY §4.10, REL-LD-01 and REL-LD-02, driven
by locust (tests/chaos/load/) against gunicorn as production runs it and one Celery worker.

CHAOS_LOAD_SECONDS shortens the runs for a trial (the plan's 300 s and 60 s otherwise);
CHAOS_LOAD_CALIBRATE=1 writes REL-LD-01's p95s into tests/chaos/load/baseline.json (commit it)."""

import contextlib
import os
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.chaos.conftest import Stack
from tests.chaos.load.runner import (
    TARGETS_MS,
    TOLERANCE,
    LoadRun,
    baseline,
    baseline_write,
    over_baseline,
    run_locust,
)
from tests.chaos.web import citizen_session, drain_notifications, percentile, received

pytestmark = [pytest.mark.chaos, pytest.mark.tier2]
Record = Callable[[str, str, str, bool], None]

SHORT = os.environ.get("CHAOS_LOAD_SECONDS")
LD01_SECONDS = int(SHORT or 300)
LD02_SECONDS = int(SHORT or 60)
CALIBRATE = os.environ.get("CHAOS_LOAD_CALIBRATE") == "1"


def load_config(stack: Stack, **extra: Any) -> dict[str, Any]:
    """What the locustfile needs: sessions, the form, pages that exist in this database."""
    data = stack.seed.data
    guides = [code for (code,) in stack.sql("SELECT implementation_code FROM matters_matter")]
    return {
        "session_cookie": data["session_cookie"],
        "csrf_cookie": data["csrf_cookie"],
        "citizens": [
            {"session": c["session"], "drafts": c["drafts"][:20]} for c in data["clients"]
        ],
        "clerk_session": data["load"]["clerk_session"],
        "form": data["load"],
        "guides": guides,
        "queries": ["食品", "经营许可", "老年人", "营业执照", "证明"],
        **extra,
    }


def new_cases(stack: Stack, since_id: int) -> list[int]:
    """Cases filed during the run: rows past `since_id` that left the draft state."""
    return [
        pk
        for (pk,) in stack.sql(
            "SELECT id FROM applications_application WHERE id > %s AND status <> 'DRAFT'", since_id
        )
    ]


def without_sms(stack: Stack, ids: list[int]) -> int:
    """Received cases with no SMS sent to their applicant (messages are keyed by trail events)."""
    return int(
        stack.value(
            "SELECT count(*) FROM applications_application a WHERE a.id = ANY(%s) AND NOT EXISTS ("
            " SELECT 1 FROM applications_applicationevent e JOIN notifications_notification n"
            " ON n.key = 'application-event:' || e.id WHERE e.application_id = a.id"
            " AND n.channel = 'SMS' AND n.status = 'SENT')",
            ids,
        )
    )


def gunicorn_problems(stack: Stack, port: int) -> int:
    """Tracebacks, 500s and worker timeouts in gunicorn's log."""
    log = (stack.workdir / f"gunicorn-{port}.log").read_text(errors="replace")
    return sum(log.count(s) for s in ("Traceback", "Internal Server Error", "WORKER TIMEOUT"))


# --- REL-LD-01: 50 users, 5 min, with reconciliation -------------------------------------------


def test_rel_ld_01_mixed_load_reconciles(stack: Stack, record_figure: Record) -> None:
    server = stack.gunicorn()
    stack.worker()
    before = int(stack.value("SELECT coalesce(max(id), 0) FROM applications_application"))
    result = run_locust(
        host=server.base_url, config=load_config(stack), workdir=stack.workdir / "ld01",
        users=50, spawn_rate=10, seconds=LD01_SECONDS,
    )  # fmt: skip
    delivery = drain_notifications(stack)
    submitted: list[int] = result.log["submitted"]
    filed = new_cases(stack, before)
    rows = received(stack, submitted)
    silent = without_sms(stack, submitted)
    errors = result.errors({429})
    slow = [
        f"{name} {result.p95(name):.0f} ms ≥ {target} ms"
        for name, target in TARGETS_MS.items()
        if name in result.stats and not result.p95(name) < target
    ]
    if CALIBRATE and errors == 0:
        baseline_write(result)
    base = baseline()
    drift = [] if CALIBRATE else over_baseline(result, base)
    when = f"baseline of {str(base.get('date', 'none'))[:10]}"
    versus = f"{when}: {'; '.join(drift)}" if drift else f"within {TOLERANCE} × the {when}"
    reconciled = (
        len(submitted) == rows == len(filed)
        and set(filed) == set(submitted)
        and delivery.exactly_once
        and silent == 0
    )
    ok = errors == 0 and reconciled and not slow and not drift and len(submitted) > 0
    record_figure(
        f"REL-LD-01 (locust, 50 users, {LD01_SECONDS} s)",
        f"{result.requests} requests, {errors} errors; p95 ms {result.figure()}; slowest reads "
        f"{result.slowest('read', 2)}; {versus}; {len(submitted)} submitted = {rows} rows = "
        f"{len(filed)} filed; {len(result.log['accepted'])} accepted; {delivery.sent_sms} SMS "
        f"sent = {delivery.sink_sms} in the sink, {delivery.queued} queued, {delivery.duplicates} "
        f"duplicates; {silent} cases without a sent SMS",
        "0 errors (429 aside); p95 read < 300 ms, submit < 1 s, transition < 500 ms, ≤ 1.5 × "
        "baseline; submitted = rows = sent = sink",
        ok,
    )
    assert errors == 0, result.log["errors"]
    assert len(submitted) > 0, result.output
    assert len(submitted) == rows == len(filed)
    assert set(filed) == set(submitted)  # nothing filed that a client did not see succeed
    assert delivery.exactly_once
    assert silent == 0  # every received case texted its applicant
    diagnosis = {name: result.slowest(name) for name in TARGETS_MS}
    assert slow == [], diagnosis
    assert drift == [], diagnosis


# --- REL-LD-02: a spike to 200 users --------------------------------------------------------------


def probe_until_recovered(stack: Stack, base_url: str, target_ms: float, limit: float) -> float:
    """After the spike, one client reads its list every 0.25 s; the seconds until the p95 of the
    last 20 reads is back under `target_ms` (inf if not within `limit`)."""
    session = citizen_session(stack, stack.seed.clients[0])
    window: list[float] = []
    start = time.monotonic()
    while time.monotonic() - start < limit:
        sent = time.monotonic()
        # A failed read counts as slow: the time it took stays in the window.
        with contextlib.suppress(requests.RequestException):
            session.get(base_url + "/api/v1/applications/", timeout=30)
        window = [*window[-19:], (time.monotonic() - sent) * 1000]
        if len(window) == 20 and percentile(window, 0.95) <= target_ms:
            return time.monotonic() - start
        time.sleep(0.25)
    return float("inf")


def test_rel_ld_02_spike_to_200_users(stack: Stack, record_figure: Record) -> None:
    server = stack.gunicorn()
    stack.worker()
    result: LoadRun = run_locust(
        host=server.base_url, config=load_config(stack, allow_503=True),
        workdir=stack.workdir / "ld02", users=200, spawn_rate=20, seconds=10 + LD02_SECONDS,
    )  # fmt: skip
    reference = float(baseline().get("p95_ms", {}).get("read", TARGETS_MS["read"]))
    recovered = probe_until_recovered(stack, server.base_url, reference, 60)
    errors = result.errors({429, 503})
    without_retry_after = int(result.log["unavailable_without_retry_after"])
    problems = gunicorn_problems(stack, server.port)
    codes = sorted({code for codes in result.codes.values() for code in codes})
    ok = errors == 0 and without_retry_after == 0 and problems == 0 and recovered <= 60
    record_figure(
        f"REL-LD-02 (spike 0 → 200 users in 10 s, {LD02_SECONDS} s)",
        f"{result.requests} requests, codes {codes}, {errors} other answers, "
        f"{without_retry_after} × 503 without Retry-After; {problems} tracebacks/timeouts in the "
        f"gunicorn log; p95 ms {result.figure()}; reads back ≤ {reference:.0f} ms (baseline) "
        f"{recovered:.1f} s after the spike",
        "only 2xx/429/503 + Retry-After; no 5xx traceback; p95 back to baseline ≤ 60 s",
        ok,
    )
    assert errors == 0, result.log["errors"]
    assert without_retry_after == 0
    assert problems == 0, stack.logs()
    assert recovered <= 60
