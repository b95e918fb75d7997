"""The catalogue read-replica router (portal/db_routers.py) and its settings wiring."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections, models, router
from django.test import override_settings

import pytest
from celery import signals as celery_signals

from accounts.models import User
from applications.models import Application
from certificates.models import Certificate
from matters.models import (
    Bundle,
    Department,
    DepartmentMembership,
    Material,
    Matter,
    MatterVersion,
    Region,
    Synonym,
    Topic,
)
from notifications.models import Notification
from portal import db_routers
from portal.db_routers import CatalogueReplicaRouter

ROOT = Path(__file__).resolve().parents[2]
ROUTER = "portal.db_routers.CatalogueReplicaRouter"
CATALOGUE: list[type[models.Model]] = [
    Region,
    Department,
    Topic,
    Synonym,
    Matter,
    MatterVersion,
    Material,
    Bundle,
    MatterVersion.topics.through,
]
PRIMARY: list[type[models.Model]] = [
    DepartmentMembership,
    User,
    Session,
    Application,
    Certificate,
    Notification,
]


@pytest.fixture
def replica(monkeypatch: pytest.MonkeyPatch) -> Iterator[CatalogueReplicaRouter]:
    """Settings as with DATABASE_REPLICA_URL (the alias only: nothing here connects to it)."""
    monkeypatch.setitem(settings.DATABASES, "replica", dict(settings.DATABASES["default"]))
    db_routers.unpin()
    yield CatalogueReplicaRouter()
    db_routers.unpin()


def stored(model: type[models.Model], alias: str) -> models.Model:
    instance = model()
    instance._state.db = alias
    return instance


@pytest.mark.parametrize("model", CATALOGUE, ids=lambda m: m._meta.label)
def test_catalogue_reads_go_to_the_replica(
    replica: CatalogueReplicaRouter, model: type[models.Model]
) -> None:
    assert replica.db_for_read(model) == "replica"
    assert replica.db_for_read(model, instance=stored(Application, "default")) == "replica"


@pytest.mark.parametrize("model", PRIMARY, ids=lambda m: m._meta.label)
def test_everything_else_is_read_from_default(
    replica: CatalogueReplicaRouter, model: type[models.Model]
) -> None:
    assert replica.db_for_read(model) == "default"
    # Even when reached through an object that came from the replica (version.created_by …).
    assert replica.db_for_read(model, instance=stored(MatterVersion, "replica")) == "default"


@pytest.mark.parametrize("model", CATALOGUE + PRIMARY, ids=lambda m: m._meta.label)
def test_writes_go_to_default(replica: CatalogueReplicaRouter, model: type[models.Model]) -> None:
    assert replica.db_for_write(model) == "default"


@pytest.fixture
def request_signals() -> Iterator[None]:
    """The request signals without Django's own receivers (they would touch the database)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.usefixtures("request_signals")
def test_a_write_pins_the_rest_of_the_request_to_default(
    replica: CatalogueReplicaRouter,
) -> None:
    assert replica.db_for_read(Matter) == "replica"
    replica.db_for_write(Application)
    assert replica.db_for_read(Matter) == "default"
    request_finished.send(sender=None)
    assert replica.db_for_read(Matter) == "replica"
    replica.db_for_write(Application)
    request_started.send(sender=None, environ={})
    assert replica.db_for_read(Matter) == "replica"


def test_a_write_pins_the_rest_of_a_celery_task_to_default(
    replica: CatalogueReplicaRouter,
) -> None:
    replica.db_for_write(Certificate)
    assert replica.db_for_read(MatterVersion) == "default"
    celery_signals.task_postrun.send(sender=None)
    assert replica.db_for_read(MatterVersion) == "replica"
    replica.db_for_write(Certificate)
    celery_signals.task_prerun.send(sender=None)
    assert replica.db_for_read(MatterVersion) == "replica"


def test_reads_inside_a_transaction_on_default_stay_on_default(
    replica: CatalogueReplicaRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    assert replica.db_for_read(Matter) == "default"
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    assert replica.db_for_read(Matter) == "replica"


@pytest.mark.django_db
def test_the_test_transaction_counts_as_a_transaction(replica: CatalogueReplicaRouter) -> None:
    """pytest-django runs this test inside an atomic block on default: the real flag is read."""
    assert connections["default"].in_atomic_block
    assert replica.db_for_read(Matter) == "default"


def test_migrations_run_only_on_default(replica: CatalogueReplicaRouter) -> None:
    for app_label in ("matters", "applications", "sessions", "auth"):
        assert replica.allow_migrate("replica", app_label) is False
        assert replica.allow_migrate("replica", app_label, model_name="matter") is False
        assert replica.allow_migrate("default", app_label) is True
    assert replica.allow_migrate("archive", "matters") is None


def test_relations_between_default_and_replica_are_allowed(
    replica: CatalogueReplicaRouter,
) -> None:
    for first in ("default", "replica"):
        for second in ("default", "replica"):
            assert replica.allow_relation(stored(Application, first), stored(Matter, second))
    assert replica.allow_relation(stored(Application, "default"), stored(Matter, "other")) is None


WITHOUT_REPLICA_URL = pytest.mark.skipif(
    bool(settings.DATABASE_REPLICA_URL), reason="the suite runs with DATABASE_REPLICA_URL set"
)


@WITHOUT_REPLICA_URL
def test_the_router_through_django(replica: CatalogueReplicaRouter) -> None:
    """Querysets pick their database from the router (no query runs: `.db` only routes)."""
    with override_settings(DATABASE_ROUTERS=[ROUTER]):
        assert router.db_for_read(Matter) == "replica"
        assert Matter.objects.filter(popularity__gt=0).db == "replica"
        assert MatterVersion.objects.select_related("matter").db == "replica"
        assert Matter.objects.select_for_update().db == "default"  # a lock is a write
        assert Application.objects.all().db == "default"
        assert router.allow_migrate("replica", "matters") is False
        assert router.allow_migrate("default", "matters") is True
    assert router.db_for_read(Matter) == "default"


@WITHOUT_REPLICA_URL
def test_without_a_replica_the_router_has_no_effect() -> None:
    assert "replica" not in settings.DATABASES
    assert settings.DATABASE_ROUTERS == []
    unconfigured = CatalogueReplicaRouter()
    for model in CATALOGUE + PRIMARY:
        assert unconfigured.db_for_read(model) is None
        assert unconfigured.db_for_write(model) is None
    assert not db_routers.pinned()  # no replica, no pinning either
    assert unconfigured.allow_migrate("default", "matters") is None
    assert unconfigured.allow_relation(stored(Matter, "default"), stored(User, "default")) is None
    with override_settings(DATABASE_ROUTERS=[ROUTER]):  # even if listed by mistake
        assert Matter.objects.all().db == "default"
        assert router.allow_migrate("default", "matters") is True


SHOW_SETTINGS = """
import json
from portal.settings import base
print(json.dumps({"routers": base.DATABASE_ROUTERS, "databases": base.DATABASES}, default=str))
"""


def settings_with(**variables: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DB_", "CONN_"))}
    done = subprocess.run(  # noqa: S603  (this interpreter, a constant script)
        [sys.executable, "-c", SHOW_SETTINGS],
        env=env | variables, cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_settings_add_the_replica_and_the_router_only_with_the_url() -> None:
    primary = "postgres://tongban:secret@db:5432/tongban"
    without = settings_with(DATABASE_URL=primary)
    assert without["routers"] == []
    assert list(without["databases"]) == ["default"]  # type: ignore[call-overload]

    with_replica = settings_with(
        DATABASE_URL=primary,
        DATABASE_REPLICA_URL="postgres://tongban:secret@db-replica:5432/tongban",
        CONN_MAX_AGE="120",
        DB_STATEMENT_TIMEOUT_MS="5000",
    )
    assert with_replica["routers"] == [ROUTER]
    databases = with_replica["databases"]
    assert isinstance(databases, dict)
    default, copy = databases["default"], databases["replica"]
    assert copy["HOST"] == "db-replica"
    assert default["HOST"] == "db"
    for key in ("ENGINE", "NAME", "USER", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS"):
        assert copy[key] == default[key], key
    assert default["CONN_MAX_AGE"] == 120
    assert default["CONN_HEALTH_CHECKS"] is True
    assert default["OPTIONS"] == {"options": "-c statement_timeout=5000 -c lock_timeout=5000"}
    assert copy["TEST"] == {"MIRROR": "default"}
