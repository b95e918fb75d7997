"""When PostgreSQL cannot be reached, a request ends in a 503 with Retry-After and a page that
needs no database, never in a 500 or a hang (RELIABILITY: a fault ends in a clear message).

The outage is real: the connection is closed and pointed at a port where nothing listens, so
psycopg fails to connect exactly as it does when the server is down. SQLite's in-memory test
database cannot be taken away from a running test, so these run on PostgreSQL (as CI does)."""

from collections.abc import Iterator

from django.db import connections
from django.test import Client

import pytest

from accounts.models import User
from tests.html import visible_text

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connections["default"].vendor != "postgresql",
        reason="needs PostgreSQL: SQLite's in-memory test database cannot go away mid-test",
    ),
]


@pytest.fixture
def database_down() -> Iterator[None]:
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1")  # nothing listens on port 1
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def test_a_page_answers_503_with_retry_after_when_the_database_is_down(
    database_down: None,
) -> None:
    response = Client(raise_request_exception=False).get("/healthz")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "系统繁忙，请稍后再试" in visible_text(response)


def test_a_signed_in_api_call_gets_json_503_when_the_database_is_down(client: Client) -> None:
    client.force_login(User.objects.create(username="citizen-of-the-outage", real_name="王五"))
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    client.raise_request_exception = False
    try:
        response = client.get("/api/v1/applications/")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "service_unavailable"


def test_a_page_answers_normally_when_the_database_is_back(client: Client) -> None:
    assert client.get("/healthz").status_code == 200
