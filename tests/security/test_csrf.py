"""SEC-AC-05: CSRF. Every route of the site (read from the URL resolver; the admin aside) that
takes an unsafe method (POST for every page; PUT, PATCH and DELETE too for the API) is called with
`Client(enforce_csrf_checks=True)`, signed in as the actor who would use it. Without a token the
answer is 403 from the CSRF check itself (Django's middleware, or DRF's session authentication);
with a valid token the CSRF check passes (the action may still be refused for other reasons).

A route "takes" a method when the request with a token is not answered 405; which routes those
are is itself checked against a floor, so an enumeration that silently finds nothing fails."""

import json
from typing import Any

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client

import pytest
from rest_framework.authentication import CSRFCheck

from tests.auth import sign_in
from tests.security.access_matrix import AUTH_FLOW, MATRIX, PUBLIC, PUBLIC_TOKEN
from tests.security.cases import rolled_back
from tests.security.routes import API_PAYLOAD, PAYLOAD, routes, url_of
from tests.security.world import security_world

pytestmark = pytest.mark.django_db

world = security_world()

SECRET = "a" * 16 + "B" * 16  # a 32-character CSRF secret, as the cookie carries it
API_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# Who uses a staff route (default: the market department's window clerk).
STAFF_ACTOR = {
    "followup": "department_admin",
    "supervision-alert-respond": "department_admin",
    "supervision-": "supervisor",
    "certificates:staff-revoke": "approver",
    "certificates:type-preview": "catalogue_admin",
}


def _actor(name: str, kind: str) -> str | None:
    if kind in (PUBLIC, PUBLIC_TOKEN, AUTH_FLOW) and name != "sign-out":
        return None
    if kind.startswith("citizen") or name == "sign-out":
        return "a"
    for prefix, actor in STAFF_ACTOR.items():
        if name.startswith(prefix):
            return actor
    return "clerk"


@pytest.fixture
def csrf_failures(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The reasons the CSRF checks (Django's and DRF's) refused a request for, in order."""
    reasons: list[str] = []
    django_reject = CsrfViewMiddleware._reject  # type: ignore[attr-defined]
    drf_reject = CSRFCheck._reject  # type: ignore[attr-defined]

    def django_spy(self: CsrfViewMiddleware, request: Any, reason: str) -> Any:
        reasons.append(reason)
        return django_reject(self, request, reason)

    def drf_spy(self: CSRFCheck, request: Any, reason: str) -> Any:
        reasons.append(reason)
        return drf_reject(self, request, reason)

    monkeypatch.setattr(CsrfViewMiddleware, "_reject", django_spy)
    monkeypatch.setattr(CSRFCheck, "_reject", drf_spy)
    return reasons


def _client(world: dict[str, Any], actor: str | None, *, token: bool) -> Client:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if actor is not None:
        sign_in(client, world[actor])
    if token:
        client.cookies[settings.CSRF_COOKIE_NAME] = SECRET
    return client


def _send(client: Client, method: str, path: str, *, token: bool) -> Any:
    headers = {"X-CSRFToken": SECRET} if token else {}
    if path.startswith("/api/"):
        body = json.dumps(API_PAYLOAD)
        return client.generic(method, path, body, content_type="application/json", headers=headers)
    return client.post(path, PAYLOAD, headers=headers)


def _unsafe_cells() -> list[tuple[str, str, str]]:
    """(route name, method, the route's first target as JSON) for every route but the admin."""
    cells = []
    for route in routes():
        entry = MATRIX[route.name]
        target = json.dumps(entry.targets[0])
        methods = API_METHODS if route.pattern.startswith("api/") else ("POST",)
        cells += [(route.name, method, target) for method in methods]
    return cells


def test_unsafe_requests_need_the_csrf_token(
    world: dict[str, Any], csrf_failures: list[str]
) -> None:
    taken: list[tuple[str, str]] = []
    wrong: list[tuple[Any, ...]] = []
    for name, method, target in _unsafe_cells():
        entry = MATRIX[name]
        actor = _actor(name, entry.kind)
        path = url_of(name, json.loads(target), world)

        csrf_failures.clear()
        with rolled_back():
            with_token = _send(_client(world, actor, token=True), method, path, token=True)
        passed_check = not csrf_failures
        if with_token.status_code == 405:
            continue  # the route does not take this method
        taken.append((name, method))

        csrf_failures.clear()
        with rolled_back():
            without = _send(_client(world, actor, token=False), method, path, token=False)
        if without.status_code != 403 or not csrf_failures:
            wrong.append((name, method, "no token", without.status_code, csrf_failures[:]))
        if not passed_check:
            wrong.append((name, method, "token refused", with_token.status_code))

    assert not wrong, wrong
    names = {name for name, _method in taken}
    # The enumeration found the forms and actions: floors, so an empty sweep cannot pass.
    assert len(taken) >= 60, len(taken)
    assert {"workbench-case-action", "api-case-accept", "api-application-detail"} <= names
    assert ("api-application-detail", "PATCH") in taken
    assert {"application-withdraw", "certificates:share-create", "followup-action"} <= names


def test_a_token_from_another_session_is_refused(
    world: dict[str, Any], csrf_failures: list[str]
) -> None:
    """The header must match the cookie: a token an attacker has from their own cookie is not
    accepted against the victim's."""
    client = _client(world, "a", token=True)
    path = url_of("api-application-withdraw", {"pk": "received"}, world)
    response = client.post(path, "{}", content_type="application/json", HTTP_X_CSRFTOKEN="z" * 32)
    assert response.status_code == 403
    assert csrf_failures
    assert world["received"].__class__.objects.get(pk=world["received"].pk).status == "RECEIVED"
