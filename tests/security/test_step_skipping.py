"""SEC-AC-04: no step of the workflow can be skipped. For a case of A's in every state, every
transition the API exposes is tried (by staff holding every role of the department, so that only
the state decides, and by A for the applicant's actions); and the same through the service
functions. Only the edges of the FSM (`get_available_status_transitions()`: the state's outgoing
edges whose conditions hold) succeed; every other request is 409 or 400 (a draft, the applicant's
alone, is 404 to staff), never 500, and leaves the state and the trail unchanged."""

import datetime as dt
import json
from collections.abc import Callable
from functools import partial
from typing import Any

from django.urls import reverse

import pytest
import time_machine

from accounts.choices import Role
from accounts.models import User
from applications import services
from applications.models import Application, ApplicationEvent
from tests.applications.conftest import NOW
from tests.security.cases import STATES, case_in, outcome, rolled_back, staff_with_roles
from tests.security.world import client_for, security_world

pytestmark = pytest.mark.django_db

world = security_world()

LATER = NOW + dt.timedelta(days=1)

# API action → (the FSM transition it fires, who calls it, a valid body).
STAFF = "staff"
APPLICANT = "applicant"
API: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "api-case-accept": ("accept", STAFF, "accept", {"opinion": "同意受理。"}),
    "api-case-not-accept": ("not_accept", STAFF, "not-accept", {"kind": "OTHER", "reason": "不符"}),
    "api-case-request-supplement": (
        "request_supplement", STAFF, "request-supplement",
        {"items": [{"kind": "material", "key": "M01", "reason": "不清晰。"}]},
    ),
    "api-case-pass": ("pass_step", STAFF, "pass", {"opinion": "符合条件。"}),
    "api-case-send-back": ("send_back", STAFF, "send-back", {"reason": "请重新审查。"}),
    "api-case-suspend": (
        "suspend", STAFF, "suspend", {"kind": "TESTING", "reason": "检验。", "expected_days": 3}
    ),
    "api-case-resume": ("resume", STAFF, "resume", {"result": "检验合格。"}),
    "api-case-extend": ("extend", STAFF, "extend", {"days": 5, "reason": "情况复杂。"}),
    "api-case-approve": ("approve", STAFF, "approve", {"opinion": "准予。"}),
    "api-case-reject": ("reject", STAFF, "reject", {"reason": "不符合条件。"}),
    "api-case-deliver": ("deliver", STAFF, "deliver", {"delivery_method": "WINDOW"}),
    "api-case-void": ("void", STAFF, "void", {"reason": "作废测试。"}),
    "api-application-submit": ("submit", APPLICANT, "", {}),
    "api-application-withdraw": ("withdraw", APPLICANT, "", {"reason": "不办了。"}),
    "api-application-supplement": ("resubmit", APPLICANT, "", {"answers": {}}),
}  # fmt: skip

# Deliberately idempotent (a double click, a retried request): 200 with the case unchanged and no
# trail event. Submitting a submitted case returns it; so do answering a 补正 already answered
# and withdrawing a withdrawn case.
IDEMPOTENT = {
    "submit": set(STATES) - {"DRAFT"},
    "resubmit": {"RECEIVED"},
    "withdraw": {"WITHDRAWN"},
}

# Edges the FSM allows where a rule of the domain still refuses this request (400/409):
# 补正 answered without the material it asked for.
DOMAIN_REFUSED = {("SUPPLEMENT_REQUIRED", "resubmit")}

Call = Callable[[User, int], object]
SERVICES: dict[str, tuple[str, Call]] = {
    "accept": (STAFF, lambda u, pk: services.application_accept(
        user=u, application_id=pk, now=LATER)),
    "not_accept": (STAFF, lambda u, pk: services.application_not_accept(
        user=u, application_id=pk, now=LATER, kind="OTHER", reason="不符。")),
    "request_supplement": (STAFF, lambda u, pk: services.application_supplement_request(
        user=u, application_id=pk, now=LATER,
        items=[{"kind": "material", "key": "M01", "reason": "不清晰。"}])),
    "pass_step": (STAFF, lambda u, pk: services.application_step_pass(
        user=u, application_id=pk, now=LATER, opinion="可。")),
    "send_back": (STAFF, lambda u, pk: services.application_send_back(
        user=u, application_id=pk, now=LATER, reason="重审。")),
    "suspend": (STAFF, lambda u, pk: services.application_suspend(
        user=u, application_id=pk, now=LATER, kind="TESTING", reason="检验。", expected_days=3)),
    "resume": (STAFF, lambda u, pk: services.application_resume(
        user=u, application_id=pk, now=LATER, result="合格。")),
    "extend": (STAFF, lambda u, pk: services.application_extend(
        user=u, application_id=pk, now=LATER, days=5, reason="复杂。")),
    "approve": (STAFF, lambda u, pk: services.application_approve(
        user=u, application_id=pk, now=LATER)),
    "reject": (STAFF, lambda u, pk: services.application_reject(
        user=u, application_id=pk, now=LATER, reason="不符。")),
    "deliver": (STAFF, lambda u, pk: services.application_deliver(
        user=u, application_id=pk, now=LATER, method="WINDOW")),
    "void": (STAFF, lambda u, pk: services.application_void(
        user=u, application_id=pk, now=LATER, reason="作废。")),
    "submit": (APPLICANT, lambda u, pk: services.application_submit(
        user=u, application_id=pk, now=LATER)),
    "withdraw": (APPLICANT, lambda u, pk: services.application_withdraw(
        user=u, application_id=pk, now=LATER)),
    "resubmit": (APPLICANT, lambda u, pk: services.application_supplement_answer(
        user=u, application_id=pk, now=LATER, answers={})),
}  # fmt: skip


@pytest.fixture(scope="module")
def states(world: dict[str, Any]) -> dict[str, Any]:
    """One case of A's per state, and a member of staff holding every case role."""
    world["all_roles"] = staff_with_roles(
        world,
        "allroles",
        [Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER, Role.SUPERVISOR, Role.DEPARTMENT_ADMIN],
    )
    world["states"] = {state: case_in(world, state, minute=i) for i, state in enumerate(STATES)}
    return world


def _edges(case: Application) -> set[str]:
    """The transitions the FSM allows from the case's state, conditions included."""
    fsm: Any = case  # django-fsm adds these methods at class creation; mypy does not see them
    available = {t.name for t in fsm.get_available_status_transitions()}
    declared = {t.name for t in fsm.get_all_status_transitions() if t.source in (case.status, "*")}
    assert available <= declared
    return available


def _row(pk: int) -> tuple[Any, ...]:
    case = Application.objects.get(pk=pk)
    return (case.status, case.step_index, case.extension_days, case.decided_at, case.closed_at)


def test_every_fsm_transition_is_exposed_and_tried() -> None:
    blank: Any = Application()
    declared = {t.name for t in blank.get_all_status_transitions()}
    # return_unanswered is the beat job's (no request fires it); every other edge has an endpoint.
    assert declared - {"return_unanswered"} == {fsm for fsm, *_ in API.values()}
    assert set(SERVICES) == {fsm for fsm, *_ in API.values()}


def test_the_states_are_the_ones_named(states: dict[str, Any]) -> None:
    got = {name: case.status for name, case in states["states"].items()}
    assert got == {
        name: {"REVIEW": "IN_REVIEW", "DECISION": "IN_REVIEW"}.get(name, name) for name in STATES
    }


@pytest.mark.parametrize("state", STATES)
def test_only_fsm_edges_succeed_through_the_api(states: dict[str, Any], state: str) -> None:
    case = states["states"][state]
    edges = _edges(case)
    actors = {STAFF: client_for(states["all_roles"]), APPLICANT: client_for(states["a"])}
    wrong = []
    for route, (fsm, who, _action, body) in API.items():
        with time_machine.travel(LATER, tick=False):
            wrong += _try(case, state, edges, route, fsm, actors[who], body, staff=who == STAFF)
    assert not wrong, f"{state}: {wrong}"


def _try(
    case: Application,
    state: str,
    edges: set[str],
    route: str,
    fsm: str,
    client: Any,
    body: dict[str, Any],
    *,
    staff: bool,
) -> list[tuple[Any, ...]]:
    """One request in a rolled-back savepoint; what was wrong with its answer."""
    wrong: list[tuple[Any, ...]] = []
    before = _row(case.pk)
    events = ApplicationEvent.objects.filter(application=case).count()
    with rolled_back():
        response = client.post(
            reverse(route, args=[case.pk]), json.dumps(body), content_type="application/json"
        )
        after = _row(case.pk)
        events_after = ApplicationEvent.objects.filter(application=case).count()
    code = response.status_code
    if fsm in edges and (state, fsm) not in DOMAIN_REFUSED:
        if code != 200:
            wrong.append((route, "edge refused", code, response.content[:200]))
        return wrong
    refused = {400, 409} | ({404} if state == "DRAFT" and staff else set())
    if state in IDEMPOTENT.get(fsm, set()):
        refused = {200}
    if code not in refused:
        wrong.append((route, "not an edge", code, response.content[:200]))
    if (after, events_after) != (before, events):
        wrong.append((route, "changed the case", before, after))
    return wrong


@pytest.mark.parametrize("state", STATES)
def test_only_fsm_edges_succeed_through_the_services(states: dict[str, Any], state: str) -> None:
    case = states["states"][state]
    edges = _edges(case)
    users = {STAFF: states["all_roles"], APPLICANT: states["a"]}
    wrong: list[tuple[str, str, str]] = []
    for fsm, (who, call) in SERVICES.items():
        result = outcome(partial(call, users[who], case.pk))
        if state in IDEMPOTENT.get(fsm, set()):
            if result != "allowed":
                wrong.append((fsm, "idempotent call refused", result))
            continue
        expected_ok = fsm in edges and (state, fsm) not in DOMAIN_REFUSED
        if expected_ok and result != "allowed":
            wrong.append((fsm, "edge refused", result))
        if not expected_ok and result not in {
            "AlreadyHandledError",
            "ConflictError",
            "DomainError",
            "DoesNotExist",
        }:
            wrong.append((fsm, "not an edge", result))
    assert not wrong, f"{state}: {wrong}"
    assert Application.objects.get(pk=case.pk).status == case.status


def test_claim_and_assign_change_no_state_and_refuse_closed_cases(states: dict[str, Any]) -> None:
    client = client_for(states["all_roles"])
    for state, case in states["states"].items():
        before = _row(case.pk)
        with rolled_back():
            claim = client.post(
                reverse("api-case-claim", args=[case.pk]), {}, content_type="application/json"
            )
            assert _row(case.pk) == before
        closed = case.is_terminal
        expected = {404} if state == "DRAFT" else ({409} if closed else {200})
        assert claim.status_code in expected, (state, claim.status_code, claim.content[:200])
