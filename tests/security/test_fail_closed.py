"""SEC-AC-08: access checks fail closed. When an access function (the policy lookup every page
and API call makes before reading an object) breaks with an unexpected exception, the answer is
the generic error page (500) or a refusal, never 200, and holds none of A's data."""

import sys
from typing import Any

from django.test import Client
from django.urls import reverse

import pytest
from rest_framework.permissions import IsAuthenticated

import applications.permissions
import certificates.permissions
import matters.permissions
import notifications.permissions
from tests.auth import sign_in
from tests.security.routes import leaked
from tests.security.world import security_world

pytestmark = pytest.mark.django_db

world = security_world()

PROJECT = ("accounts", "applications", "audit", "certificates", "core", "matters", "notifications",
           "portal", "supervision")  # fmt: skip


class PolicyBrokeError(RuntimeError):
    """Stands for any bug or outage inside an access check."""


# (module, function) broken → the pages (route, actor, kwarg → object of the world) that use it.
CASES: list[tuple[Any, str, str, str, dict[str, str], str]] = [
    (applications.permissions, "access_application_for_applicant", "application-detail", "a",
     {"pk": "received"}, "GET"),
    (applications.permissions, "access_application_for_applicant", "api-application-detail", "a",
     {"pk": "received"}, "GET"),
    (applications.permissions, "access_application_for_applicant", "api-application-withdraw",
     "a", {"pk": "received"}, "POST"),
    (applications.permissions, "access_application_for_applicant", "application-material-download",
     "a", {"pk": "received", "material_id": "material"}, "GET"),
    (applications.permissions, "access_application_for_staff_view", "workbench-case", "clerk",
     {"pk": "received"}, "GET"),
    (applications.permissions, "access_application_for_staff_view", "workbench-receipt", "clerk",
     {"pk": "received"}, "GET"),
    (applications.permissions, "access_application_for_intake", "api-case-accept", "clerk",
     {"pk": "received"}, "POST"),
    (matters.permissions, "roles_in_department", "workbench-case", "clerk", {"pk": "received"},
     "GET"),
    (matters.permissions, "roles_in_department", "api-case-accept", "clerk", {"pk": "received"},
     "POST"),
    (certificates.permissions, "access_certificate_for_holder", "certificates:wallet-detail", "a",
     {"pk": "certificate"}, "GET"),
    (certificates.permissions, "access_certificate_for_holder", "certificates:wallet-download",
     "a", {"pk": "certificate"}, "GET"),
    (certificates.permissions, "access_certificate_for_staff_view", "certificates:staff-detail",
     "clerk", {"pk": "certificate"}, "GET"),
    (notifications.permissions, "access_notification_for_recipient", "notifications:inbox-detail",
     "a", {"pk": "notification"}, "GET"),
]  # fmt: skip


def _break(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> int:
    """Replace the function everywhere it was imported by name; return how many places."""
    original = getattr(module, name)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise PolicyBrokeError(f"{name} is broken")

    places = 0
    for loaded in list(sys.modules.values()):
        if not getattr(loaded, "__name__", "").startswith(PROJECT):
            continue
        if getattr(loaded, name, None) is original:
            monkeypatch.setattr(loaded, name, broken)
            places += 1
    return places


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    sign_in(client, user)
    return client


def _request(client: Client, method: str, url: str) -> Any:
    if method == "GET":
        return client.get(url)
    return client.post(url, "{}", content_type="application/json")


def _ids(case: tuple[Any, ...]) -> str:
    return f"{case[1]}-{case[2]}"


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_a_broken_access_check_fails_closed(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch, case: tuple[Any, ...]
) -> None:
    module, name, route, actor, target, method = case
    url = reverse(route, kwargs={k: world[v].pk for k, v in target.items()})
    client = _client(world[actor])
    working = _request(client, "GET", url) if method == "GET" else None

    assert _break(monkeypatch, module, name) >= 1
    response = _request(client, method, url)

    if working is not None:
        assert working.status_code == 200, "the page works while the check does"
    assert response.status_code in {403, 500}, (route, response.status_code)
    body = response.content.decode(errors="replace")
    assert "PolicyBrokeError" not in body
    assert "Traceback" not in body
    assert not leaked(response, world["canaries"]), route


def test_a_broken_api_permission_class_fails_closed(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Any, request: Any, view: Any) -> bool:
        raise PolicyBrokeError("permission class is broken")

    monkeypatch.setattr(IsAuthenticated, "has_permission", broken)
    client = _client(world["a"])
    for url in (
        reverse("api-application-list"),
        reverse("api-application-detail", args=[world["received"].pk]),
    ):
        response = client.get(url)
        assert response.status_code in {403, 500}, (url, response.status_code)
        assert not leaked(response, world["canaries"]), url


def test_the_answer_is_the_generic_error_page(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 500 answer is the site's own error page (what went wrong is in the log, by the
    incident number shown), and the API's is not a stack trace either."""
    _break(monkeypatch, applications.permissions, "access_application_for_applicant")
    client = _client(world["a"])
    page = client.get(reverse("application-detail", args=[world["received"].pk]))
    api = client.get(reverse("api-application-detail", args=[world["received"].pk]))

    assert page.status_code == 500
    assert "系统出错了" in page.content.decode()
    assert api.status_code == 500
    assert "received" not in api.content.decode().lower()
