"""Every response carries the request's id (X-Request-ID): the caller's, if it is a safe token,
else a new one; audit rows and log lines of the request carry the same id."""

import re

from django.test import Client

import pytest

from audit.context import request_id_get
from audit.middleware import request_id_for


@pytest.mark.django_db
def test_a_new_id_is_given_and_echoed() -> None:
    first = Client().get("/healthz")
    second = Client().get("/healthz")

    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_a_safe_incoming_id_is_kept() -> None:
    response = Client(HTTP_X_REQUEST_ID="lb-2031-abc-DEF").get("/healthz")

    assert response["X-Request-ID"] == "lb-2031-abc-DEF"


@pytest.mark.parametrize(
    "incoming",
    ["a" * 65, "id with spaces", "x\r\nSet-Cookie: a=b", "<script>", "", "ab_cd", "ünï"],
)
def test_an_unsafe_incoming_id_is_replaced(incoming: str) -> None:
    assert re.fullmatch(r"[0-9a-f]{32}", request_id_for(incoming))


def test_outside_a_request_there_is_no_id() -> None:
    assert request_id_get() == ""
