"""REL-WK-04: the Celery settings that make redelivery safe, read from a fresh process as the
worker reads them (production defaults with REDIS_URL set, and the chaos harness's overrides)."""

import json
from collections.abc import Callable

import pytest

from tests.harness import stack as harness
from tests.harness.processes import BIN, ROOT, run

pytestmark = [pytest.mark.chaos]

READ_CONF = """
import json, django
django.setup()
from portal.celery import app
from django.conf import settings
conf = app.conf
tasks = {
    name: {
        "autoretry": bool(getattr(task, "autoretry_for", ())),
        "backoff_max": getattr(task, "retry_backoff_max", 600),
        "retry_delay": getattr(task, "default_retry_delay", 180),
        "time_limit": getattr(task, "time_limit", None),
    }
    for name, task in app.tasks.items() if not name.startswith("celery.")
}
print(json.dumps({
    "time_limit": conf.task_time_limit, "soft_time_limit": conf.task_soft_time_limit,
    "transport": conf.broker_transport_options, "acks_late": conf.task_acks_late,
    "reject_on_worker_lost": conf.task_reject_on_worker_lost,
    "prefetch": conf.worker_prefetch_multiplier, "accept": list(conf.accept_content),
    "serializer": conf.task_serializer, "eager": conf.task_always_eager,
    "publish_retry": conf.task_publish_retry_policy, "tasks": tasks,
    "broker": conf.broker_url, "broker_transport": conf.broker_transport,
    "pool": str(conf.worker_pool),
}))
"""


def celery_conf(extra: dict[str, str]) -> dict[str, object]:
    env = harness.django_env(
        database_url="postgres://postgres@127.0.0.1:1/none",
        redis_url="redis://127.0.0.1:6399/0",
        workdir=ROOT / "var",
    )
    for key in harness.CHAOS_CELERY:
        env.pop(key)
    env |= {"DJANGO_SETTINGS_MODULE": "portal.settings.local", **extra}  # base.py's Celery block
    out = run([str(BIN / "python"), "-c", READ_CONF], env=env, timeout=60).stdout
    conf: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return conf


@pytest.mark.parametrize("profile", ["production", "chaos harness"])
def test_the_worker_settings_make_a_lost_task_come_back_once_and_only_in_json(
    profile: str, record_figure: Callable[[str, str, str, bool], None]
) -> None:
    conf = celery_conf({} if profile == "production" else harness.CHAOS_CELERY)
    transport = conf["transport"]
    assert isinstance(transport, dict)
    tasks = conf["tasks"]
    assert isinstance(tasks, dict)
    vt = int(transport["visibility_timeout"])
    time_limit = int(str(conf["time_limit"]))
    longest = max([time_limit] + [int(t["time_limit"]) for t in tasks.values() if t["time_limit"]])
    backoffs = [t["backoff_max"] for t in tasks.values() if t["autoretry"]]
    problems = [
        text
        for text, ok in [
            (f"task_time_limit {longest} ≥ visibility_timeout {vt}", longest < vt),
            (f"retry_backoff_max {backoffs} ≥ VT", all(int(b) < vt for b in backoffs)),
            ("acks_late off", conf["acks_late"] is True),
            ("reject_on_worker_lost off", conf["reject_on_worker_lost"] is True),
            (f"prefetch {conf['prefetch']}", conf["prefetch"] == 1),
            (f"accept_content {conf['accept']}", conf["accept"] == ["json"]),
            (f"serializer {conf['serializer']}", conf["serializer"] == "json"),
            ("socket timeouts unset", bool(transport.get("socket_timeout"))
             and bool(transport.get("socket_connect_timeout"))),
            ("eager with REDIS_URL set", conf["eager"] is False),
            (f"publish retries {conf['publish_retry']}",
             int(dict(conf["publish_retry"])["max_retries"]) <= 1),  # type: ignore[call-overload]
            ("broker is not the REDIS_URL", str(conf["broker"]).startswith("redis://127.0.0.1:6399")),
            # A lost ack must not hold a prefetch slot for ever (portal/celery.py, REL-OB-02).
            ("stock kombu Redis transport", conf["broker_transport"] == "portal.celery:RedisTransport"),
            # A pool process killed mid-task is reaped at once, not at the 5-s timer (REL-WK-01).
            (f"pool {conf['pool']}", conf["pool"] == "portal.celery:PreforkPool"),
        ]
        if not ok
    ]  # fmt: skip
    record_figure(
        f"REL-WK-04 ({profile})",
        f"time limit {longest} s < VT {vt} s; {len(problems)} violations",
        "all invariants hold",
        not problems,
    )
    assert problems == []
    if profile == "production":
        assert int(str(conf["soft_time_limit"])) < time_limit
        assert transport["socket_timeout"] <= 5
