"""A request that waits for a case another transaction holds gives up after the lock timeout and
answers 503 with Retry-After (RELIABILITY: a fault ends in a clear message, never a hang). The
other transaction is a real second PostgreSQL connection holding the row lock."""

import time

from django.db import connection
from django.test import Client

import psycopg
import pytest

from accounts.models import User
from matters.models import Matter
from tests.applications.conftest import draft_ready

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_the_database_connections_carry_the_statement_and_lock_timeouts() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        statement = cursor.fetchone()
        cursor.execute("SHOW lock_timeout")
        lock = cursor.fetchone()

    assert (statement, lock) == (("15s",), ("5s",))


def test_submitting_a_case_someone_else_holds_answers_503_after_the_lock_timeout(
    client: Client, applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    client.force_login(applicant)
    client.raise_request_exception = False
    params = connection.get_connection_params()
    holder = psycopg.connect(
        **{k: v for k, v in params.items() if k in ("dbname", "user", "host", "port", "password")}
    )
    try:
        holder.execute(
            "SELECT id FROM applications_application WHERE id = %s FOR UPDATE", (draft.pk,)
        )
        started = time.monotonic()
        response = client.post(f"/api/v1/applications/{draft.pk}/submit/", {}, "application/json")
        waited = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert 4.5 < waited < 10
    draft.refresh_from_db()
    assert draft.status == "DRAFT"
