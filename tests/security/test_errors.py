"""An unexpected error (SEC-LOG-01): with DEBUG off the visitor gets a generic page (or JSON from
the API) with an incident id, and the operator finds the same id on a log line; nothing of the
traceback, the SQL or the server's paths reaches the body."""

import io
import json
import re

from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

import pytest

# This module is also the URLconf of its tests: two views that fail as a bug would.
SECRET_DETAIL = "SELECT id_number FROM accounts_user WHERE mobile = '13800138000'"


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET_DETAIL)


urlpatterns = [path("boom/", failing_view), path("api/v1/boom/", failing_view)]
handler500 = "portal.views.server_error"

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


def logged_with(stream: io.StringIO, incident_id: str) -> list[dict[str, object]]:
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [entry for entry in entries if entry["request_id"] == incident_id]


def assert_nothing_leaks(body: str) -> None:
    assert "Traceback" not in body
    assert "SELECT" not in body
    assert "RuntimeError" not in body
    assert "/work/" not in body
    assert ".py" not in body
    assert "13800138000" not in body


def test_a_failing_page_shows_a_generic_page_with_the_incident_id_of_the_log_line(
    log_lines: io.StringIO,
) -> None:
    response = Client(raise_request_exception=False).get("/boom/")

    body = response.content.decode()
    match = re.search(r'class="incident-id">([0-9a-f-]{16,})<', body)
    assert response.status_code == 500
    assert match is not None
    assert "系统出错了" in body
    assert_nothing_leaks(body)
    incident_id = match.group(1)
    assert response["X-Incident-Id"] == incident_id
    assert response["Cache-Control"] == "no-store"
    logged = logged_with(log_lines, incident_id)
    assert {entry["logger"] for entry in logged} >= {"portal.views", "django.request"}
    tracebacks = [entry["exc"] for entry in logged if "exc" in entry]
    assert any("RuntimeError" in str(text) for text in tracebacks)  # for the operator


def test_a_failing_api_call_answers_json_with_the_incident_id(log_lines: io.StringIO) -> None:
    response = Client(raise_request_exception=False).get("/api/v1/boom/")

    data = response.json()
    assert response.status_code == 500
    assert data["code"] == "server_error"
    assert_nothing_leaks(response.content.decode())
    assert logged_with(log_lines, data["incident_id"]) != []


def test_the_log_line_masks_the_personal_data_in_the_error(log_lines: io.StringIO) -> None:
    response = Client(raise_request_exception=False).get("/api/v1/boom/")

    logged = json.dumps(logged_with(log_lines, response.json()["incident_id"]), ensure_ascii=False)
    assert "13800138000" not in logged
    assert "138****8000" in logged
