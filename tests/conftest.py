"""Shared fixtures: a small published catalogue, staff and citizens, clients."""

from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test import Client

import pytest

from accounts.choices import Role
from accounts.models import User
from accounts.services import citizen_create, roles_sync, staff_create
from core import calendar, sms
from matters import search
from matters.selectors import guide_cache_clear
from matters.services import catalogue_import
from tests.auth import sign_in
from tests.matters import documents

pytest_plugins = ["tests.security.leakscan"]  # SEC-LOG-02: fail the run on PII in the logs


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip tests marked `postgres` when the suite runs on another database."""
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    """Each test starts with an empty page cache, a search index that re-reads the database and
    an empty SMS outbox (core.sms.LocmemSmsBackend)."""
    cache.clear()
    sms.outbox.clear()
    search._state.update(index=None, checked_at=0.0)
    calendar.calendar_changed()
    guide_cache_clear()


@pytest.fixture
def catalogue(db: None) -> dict[str, Any]:
    """The small test catalogue of tests/matters/documents.py, imported and published."""
    document = documents.document()
    catalogue_import(document=document)
    return document


@pytest.fixture
def groups(db: None) -> None:
    roles_sync()


@pytest.fixture
def catalogue_admin(groups: None) -> User:
    return staff_create(
        username="catalogue",
        password="pw-catalogue-1",
        real_name="目录管理员",
        roles=[Role.CATALOGUE_ADMIN],
    )


@pytest.fixture
def citizen(db: None) -> User:
    return citizen_create(
        username="zhangsan",
        password="pw-citizen-1",
        real_name="张三",
        id_number="11010519491231002X",
        mobile="13800138000",
    )


@pytest.fixture
def admin_client(catalogue_admin: User) -> Client:
    client = Client()
    sign_in(client, catalogue_admin)
    return client


# The module-scoped case world of the applications tests, for the pages built on cases elsewhere.
from tests.applications.conftest import world  # noqa: E402, F401 - a fixture, used by name
