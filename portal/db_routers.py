"""Reads of the published catalogue from a PostgreSQL streaming replica (docs/scaling.md).

Active only when settings define a `replica` database (``DATABASE_REPLICA_URL``); settings then list
`CatalogueReplicaRouter` in ``DATABASE_ROUTERS``. Without a replica every method answers None, so
Django's default routing (everything on `default`) is unchanged.

What goes where:

* reads of the catalogue — the models of the `matters` app (regions, departments, topics, life
  events, synonyms, matters, their versions and every guide element, bundles) — go to `replica`.
  Citizens read these on nearly every page and nothing a citizen does writes them; they change when
  catalogue staff publish, which is rare;
* everything else is read from `default`: sessions, accounts and their permissions, 办件 and their
  trail, certificates, notifications, supervision — anything written while serving a request, and
  `DepartmentMembership` (who may act for a department), because access control must not lag;
* every write goes to `default`, and migrations run only there (the replica replays them).

Replication lag. A streaming replica replays the primary's WAL a few milliseconds to (under load)
seconds behind. Two rules keep a request from reading its own writes from the past:

1. inside a transaction on `default` (``connection.in_atomic_block``: every service function, every
   `select_for_update`), catalogue reads go to `default` too, so a transaction sees one database;
2. once a request (or a Celery task) has written anything, its later catalogue reads go to
   `default` until it ends (a flag reset by `request_started` / `request_finished` and Celery's
   `task_prerun` / `task_postrun`).

What remains is *another* request reading just after a publication: it may see the previous
version of the catalogue for as long as the lag — the trade-off accepted for catalogue data, which
citizens cannot tell from a publication a moment later. See docs/scaling.md for the page cache.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

from celery import signals as celery_signals

REPLICA = "replica"
CATALOGUE_APPS = frozenset({"matters"})
# Catalogue-app models that must never be read from a lagging copy: a revoked membership must stop
# working at once.
PRIMARY_ONLY = frozenset({"matters.departmentmembership"})

_wrote: ContextVar[bool] = ContextVar("tongban_db_wrote", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def is_catalogue(model: type[Model]) -> bool:
    meta = model._meta
    return meta.app_label in CATALOGUE_APPS and meta.label_lower not in PRIMARY_ONLY


def pin_to_primary() -> None:
    """Read everything from `default` for the rest of this request or task."""
    _wrote.set(True)


def unpin(**_kwargs: Any) -> None:
    """A new request or task: the catalogue may be read from the replica again."""
    _wrote.set(False)


def pinned() -> bool:
    return _wrote.get()


class CatalogueReplicaRouter:
    """Catalogue reads to `replica`; everything else, and every write, to `default`."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if not replica_configured():
            return None
        if not is_catalogue(model):
            # Explicit: without an answer Django would follow the hinted instance's database, and
            # a user read through a version loaded from the replica would go there.
            return DEFAULT_DB_ALIAS
        if _wrote.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        if not replica_configured():
            return None
        pin_to_primary()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        """The replica is a copy of default: objects from either may be related."""
        if not replica_configured():
            return None
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        """Only on default: the replica replays the primary's WAL, schema included."""
        if not replica_configured():
            return None
        if db == REPLICA:
            return False
        if db == DEFAULT_DB_ALIAS:
            return True
        return None


request_started.connect(unpin, dispatch_uid="tongban-db-router-request-started")
request_finished.connect(unpin, dispatch_uid="tongban-db-router-request-finished")
celery_signals.task_prerun.connect(unpin, dispatch_uid="tongban-db-router-task-prerun", weak=False)
celery_signals.task_postrun.connect(
    unpin, dispatch_uid="tongban-db-router-task-postrun", weak=False
)
