"""A real Celery worker issues the certificate of a case approved here: the approval's commit sends
the task to Redis, a prefork worker (another process, on the same test database) renders, signs
and stores it, and the case is delivered. A worker process killed in the middle of the task gives
it back, and the next one issues the certificate once.

Needs PostgreSQL (the worker must see this test's committed rows) and REDIS_URL; CI sets both.
The broker is a Redis database of its own with a queue named for the test run, so no other worker
takes these tasks."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings as django_settings
from django.db import connection

import pytest
import redis
from celery import Celery
from celery._state import get_current_app
from pytest_django import Settings

from applications import services
from applications.choices import EventKind, Status
from applications.models import Application
from certificates.choices import CertificateStatus
from certificates.models import Certificate, CertificateType
from tests.applications.conftest import NOW, event_kinds
from tests.certificates.conftest import FOOD_TYPE, case_at_decision, world_build

REDIS_URL = os.environ.get("REDIS_URL", "")
HOUR = dt.timedelta(hours=1)
BROKER_DB = "/5"
WAIT_SECONDS = 60.0

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (a real broker)"),
    pytest.mark.django_db(transaction=True),
]


def broker_url() -> str:
    return urlsplit(REDIS_URL)._replace(path=BROKER_DB).geturl()


def database_url() -> str:
    """The URL of the test database this process uses ("test_" + the configured name)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


@pytest.fixture
def queue(settings: Settings) -> Iterator[str]:
    """Tasks sent from this process go to Redis, on a queue of this test's own.

    The project's Celery app read its (in-memory) broker when it was first used, so a second app
    is configured from the overridden settings and made current for the test: the tasks
    (shared_task proxies) resolve through the current app.
    """
    name = f"flows-{uuid.uuid4().hex[:12]}"
    settings.CELERY_BROKER_URL = broker_url()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_TASK_DEFAULT_QUEUE = name
    settings.CELERY_TASK_ROUTES = {}  # the notifications' sends too: the worker runs them all
    app = Celery("portal-flows", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    assert (app.conf.broker_url, app.conf.task_default_queue) == (broker_url(), name)
    previous = get_current_app()
    app.set_current()
    try:
        yield name
    finally:
        previous.set_current()
        app.close()
        # Leave nothing behind: this queue, and the SMS and e-mail sends the worker routed to
        # "notifications", a queue nothing consumes in this Redis database.
        broker = redis.Redis.from_url(broker_url())
        for pattern in (f"*{name}*", "*notifications*"):
            for key in broker.scan_iter(match=pattern):
                broker.delete(key)
        broker.close()


@pytest.fixture
def worker(queue: str, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`celery -A portal worker --pool=prefork -c 1` on the queue, stopped after the test."""
    log = (tmp_path / "worker.log").open("wb")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url(),  # wins over the test settings' memory:// broker
        "TMPDIR": str(tmp_path),  # the worker's MEDIA_ROOT is made under it
    }
    process = subprocess.Popen(  # noqa: S603  (our own virtualenv's celery)
        [
            str(Path(sys.executable).parent / "celery"), "-A", "portal", "worker",
            "--pool=prefork", "-c", "1", "-Q", queue, "-n", f"{queue}@%h",
            "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "INFO",
        ],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopping it stops its pool child too
    )  # fmt: skip
    try:
        yield process
    finally:
        _stop(process)
        log.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # warm shutdown of the worker we started
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def worker_log(tmp_path: Path) -> str:
    return (tmp_path / "worker.log").read_text(errors="replace")


def wait_for(
    condition: Callable[[], bool], *, process: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    """Poll the database until `condition` holds; fail with the worker's log after a minute."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        assert process.poll() is None, worker_log(tmp_path)
        time.sleep(0.05)
    pytest.fail(f"gave up after {WAIT_SECONDS:.0f} s; worker log:\n{worker_log(tmp_path)}")


def stored_files(tmp_path: Path) -> list[str]:
    """The certificate files the worker wrote (its MEDIA_ROOT is a temporary folder in tmp_path)."""
    return sorted(path.name for path in tmp_path.glob("*/certificates/**/*.pdf"))


def approve(world: dict[str, Any], application: Application) -> Certificate:
    """Approve the case (committed: the approval's on-commit hook sends the task to Redis)."""
    services.application_approve(
        user=world["approver"], application_id=application.pk, now=NOW + 3 * HOUR
    )
    return Certificate.objects.get(source_ref=Application.objects.get(pk=application.pk).reference)


def test_a_worker_issues_the_certificate_of_an_approved_case_and_completes_the_case(
    worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    world = world_build()
    application = case_at_decision(world)

    pending = approve(world, application)

    def done() -> bool:
        certificate = Certificate.objects.get(pk=pending.pk)
        case = Application.objects.get(pk=application.pk)
        return certificate.status == CertificateStatus.VALID and case.status == Status.COMPLETED

    wait_for(done, process=worker, tmp_path=tmp_path)
    certificate = Certificate.objects.get(pk=pending.pk)
    assert (certificate.attempts, certificate.last_error) == (1, "")
    assert stored_files(tmp_path) == [Path(certificate.file.name or "").name]
    assert event_kinds(application.pk)[-2:] == [EventKind.APPROVED, EventKind.DELIVERED]


# About 2.5 s of layout that prints nothing: text in an absolutely placed, clipped box of 1 mm.
SLOW_LAYOUT = (
    '<div style="position:absolute;top:0;left:0;width:20mm;height:1mm;overflow:hidden">'
    "{% lorem 6000 p %}</div></body>"
)


def pool_children(worker: subprocess.Popen[bytes]) -> list[int]:
    """The worker's pool processes (children of the process we started), from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        if int(fields[1]) == worker.pid:
            children.append(int(stat.parent.name))
    return children


def test_a_pool_process_killed_mid_task_gives_the_task_back_and_the_certificate_is_issued_once(
    worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    world = world_build()
    food = CertificateType.objects.get(code=FOOD_TYPE)
    food.template_html = food.template_html.replace("</body>", SLOW_LAYOUT)
    food.save(update_fields=["template_html"])
    application = case_at_decision(world)
    pending = approve(world, application)

    wait_for(
        lambda: Certificate.objects.get(pk=pending.pk).attempts == 1,
        process=worker,
        tmp_path=tmp_path,
    )
    (child,) = pool_children(worker)
    os.kill(child, signal.SIGKILL)  # the worker's pool process, while it lays out the PDF

    wait_for(
        lambda: Certificate.objects.get(pk=pending.pk).status == CertificateStatus.VALID,
        process=worker,
        tmp_path=tmp_path,
    )
    certificate = Certificate.objects.get(pk=pending.pk)
    assert (certificate.attempts, certificate.last_error) == (2, "")
    assert stored_files(tmp_path) == [Path(certificate.file.name or "").name]
    assert Application.objects.get(pk=application.pk).status == Status.COMPLETED
    assert event_kinds(application.pk).count(EventKind.DELIVERED) == 1
    assert "WorkerLostError" in worker_log(tmp_path)
