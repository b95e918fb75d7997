"""Helpers of the query-count guards: read a page, count its queries, check it shows its rows.

Each guard renders a page with a few rows, adds rows of the same kind, renders it again and asserts
the number of queries did not change: a query per row (an N+1) makes the second count larger. The
counts are compared, not pinned, because they differ between SQLite and PostgreSQL.
"""

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from accounts.models import User
from core import calendar
from tests.auth import sign_in

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


@dataclass(frozen=True)
class Read:
    """One GET of a page: how many queries it took and what it answered."""

    path: str
    queries: int
    sql: list[str]
    response: "TestResponse"

    @property
    def text(self) -> str:
        return self.response.content.decode()

    def json(self) -> Any:
        return json.loads(self.text)


def read(
    client: Client,
    path: str,
    data: dict[str, Any] | None = None,
    *,
    expect: int = 200,
    headers: dict[str, str] | None = None,
) -> Read:
    """GET `path` once and count its queries; the page must answer `expect`."""
    calendar.calendar_changed()  # the working-day calendar is read once per change: count it
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, data or {}, headers=headers)
    assert response.status_code == expect, (path, response.status_code)
    return Read(
        path=response.wsgi_request.get_full_path(),
        queries=len(captured.captured_queries),
        sql=[query["sql"] for query in captured.captured_queries],
        response=response,
    )


def signed_in(user: User, *, warm: str = "/") -> Client:
    """A client signed in as `user` whose session has been written once (the activity stamp is
    written at most once a minute, which would count as a query of the first page read)."""
    client = Client()
    sign_in(client, user)
    client.get(warm)
    return client


# (page, queries with few rows, with many), for the summary at the end of the run
MEASURED: list[tuple[str, int, int]] = []


def same_count(few: Read, many: Read) -> None:
    """Assert the page read as many queries with many rows as with few, showing the extra SQL."""
    MEASURED.append((many.path, few.queries, many.queries))
    extra = [sql for sql in many.sql if sql not in few.sql]
    assert many.queries == few.queries, extra[:5]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """With -v, list the queries each guarded page took (few rows → many rows)."""
    if terminalreporter.config.get_verbosity() < 1 or not MEASURED:
        return
    terminalreporter.section("queries per page (few rows → many rows)")
    for path, few, many in MEASURED:
        terminalreporter.write_line(f"{few:3d} → {many:3d}  {path}")
