"""Tier 1 faults under gunicorn (not the Django test client, which hides them): REL-DB-01
(PostgreSQL restarted between requests) and REL-OB-02 (Redis frozen during 200 submissions)."""

from collections.abc import Callable

import pytest

from tests.chaos.conftest import Stack
from tests.chaos.web import (
    SOCKET_TIMEOUT,
    citizen_session,
    drain_notifications,
    received,
    submit_all,
)

pytestmark = [pytest.mark.chaos]
Record = Callable[[str, str, str, bool], None]


def test_rel_db_01_a_postgresql_restart_between_requests_costs_no_request(
    stack: Stack, record_figure: Record
) -> None:
    server = stack.gunicorn({"CONN_MAX_AGE": "600"})
    session = citizen_session(stack, stack.seed.clients[0])
    paths = ["/healthz", "/api/v1/applications/"]
    warm = [session.get(server.base_url + paths[i % 2], timeout=10).status_code for i in range(20)]
    assert set(warm) == {200}, warm  # both gunicorn workers hold a persistent connection now

    stack.cluster.restart("fast")
    stack.cluster.ready()
    after = [
        session.get(server.base_url + paths[i % 2], timeout=10).status_code for i in range(100)
    ]

    errors = sum(1 for code in after if code != 200)
    record_figure(
        "REL-DB-01", f"{errors} errors in 100 requests after the restart", "0 errors", errors == 0
    )
    assert errors == 0, after


def test_rel_ob_02_redis_frozen_during_200_submissions_loses_and_hangs_nothing(
    stack: Stack, record_figure: Record
) -> None:
    total, freeze = 200, 20.0
    server = stack.gunicorn()
    stack.worker()

    result, ids = submit_all(
        stack, server.base_url, total=total, fault_after=0.2, fault=stack.redis.freeze,
        recover=stack.redis.thaw, fault_seconds=freeze,
    )  # fmt: skip
    rows = received(stack, ids)
    delivery = drain_notifications(stack)

    bound = SOCKET_TIMEOUT * 2 + 1
    p99 = result.p99()
    ok = result.created == total and rows == total and p99 < bound and delivery.exactly_once
    record_figure(
        "REL-OB-02 (200, freeze 20 s)",
        f"{result.created}/{total} created, {rows} rows, p99 {p99:.2f} s (max "
        f"{result.slowest():.2f} s), {delivery.sink_sms} SMS + {delivery.sink_mail} e-mails, "
        f"{delivery.duplicates} duplicates, {delivery.queued} queued after "
        f"{delivery.seconds:.0f} s of sweeping",
        f"{total}/{total}, p99 < {bound} s, 0 lost, exactly once, 0 pending",
        ok,
    )
    assert result.created == total, sorted({o.status for o in result.outcomes})
    assert rows == total
    assert p99 < bound
    assert delivery.queued == 0
    assert delivery.duplicates == 0
    assert (delivery.sent_sms, delivery.sent_mail) == (delivery.sink_sms, delivery.sink_mail)
    assert delivery.sink_sms >= total  # each submission texts its applicant at least once
