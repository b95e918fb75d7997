"""SEC-AC-02: every cell of the role/function matrix (tests/security/role_matrix.py) holds. A
citizen cannot take a clerk's step, a clerk cannot reach the catalogue or the configuration, the
auditor reads the audit log and writes nothing, and each review step is taken only by its role."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.urls import reverse

import pytest

from accounts.choices import Role
from accounts.models import User
from accounts.services import staff_create
from applications import services
from applications.models import Application
from audit.models import AuditEvent
from tests.applications.conftest import NOW
from tests.security.cases import DECISION, REVIEW, case_in, outcome, staff_with_roles
from tests.security.role_matrix import MATRIX, ROLES
from tests.security.routes import leaked
from tests.security.world import STAFF_PASSWORD, client_for, security_world

pytestmark = pytest.mark.django_db

world = security_world()

LATER = NOW.replace(hour=16)
ACTORS = {
    "CIT": "a", "CLK": "clerk", "REV": "reviewer", "APR": "approver", "SUP": "supervisor",
    "DEP": "department_admin", "CAT": "catalogue_admin", "AUD": "auditor",
}  # fmt: skip

Action = Callable[[User, Application, dict[str, Any]], object]
ACTIONS: dict[str, Action] = {
    "accept": lambda u, c, w: services.application_accept(user=u, application_id=c.pk, now=LATER),
    "not_accept": lambda u, c, w: services.application_not_accept(
        user=u, application_id=c.pk, now=LATER, kind="OTHER", reason="不符合。"
    ),
    "supplement_request": lambda u, c, w: services.application_supplement_request(
        user=u,
        application_id=c.pk,
        now=LATER,
        items=[{"kind": "material", "key": "M01", "reason": "不清晰。"}],
    ),
    "claim_intake": lambda u, c, w: services.application_claim(
        user=u, application_id=c.pk, now=LATER
    ),
    "claim_review": lambda u, c, w: services.application_claim(
        user=u, application_id=c.pk, now=LATER
    ),
    "pass_review": lambda u, c, w: services.application_step_pass(
        user=u, application_id=c.pk, now=LATER, opinion="同意。"
    ),
    "suspend_review": lambda u, c, w: services.application_suspend(
        user=u, application_id=c.pk, now=LATER, kind="TESTING", reason="检验。", expected_days=3
    ),
    "assign_review": lambda u, c, w: services.application_assign(
        user=u, application_id=c.pk, assignee_id=w["reviewer"].pk, now=LATER
    ),
    "approve": lambda u, c, w: services.application_approve(user=u, application_id=c.pk, now=LATER),
    "reject": lambda u, c, w: services.application_reject(
        user=u, application_id=c.pk, now=LATER, reason="不符合条件。"
    ),
    "send_back": lambda u, c, w: services.application_send_back(
        user=u, application_id=c.pk, now=LATER, reason="请补充审查。"
    ),
    "extend": lambda u, c, w: services.application_extend(
        user=u, application_id=c.pk, now=LATER, days=5, reason="情况复杂。"
    ),
    "deliver": lambda u, c, w: services.application_deliver(
        user=u, application_id=c.pk, now=LATER, method="WINDOW"
    ),
    "void": lambda u, c, w: services.application_void(
        user=u, application_id=c.pk, now=LATER, reason="作废。"
    ),
    "withdraw": lambda u, c, w: services.application_withdraw(
        user=u, application_id=c.pk, now=LATER
    ),
}
WORKFLOW = sorted(name for kind, name in MATRIX if kind == "workflow")
AREAS = sorted((kind, name) for kind, name in MATRIX if kind != "workflow")


@pytest.fixture(scope="module")
def people(world: dict[str, Any]) -> dict[str, Any]:
    """The world's actors plus an auditor; and one case of A's per state the matrix needs."""
    world["auditor"] = staff_create(
        username="auditor", password=STAFF_PASSWORD, real_name="审计员", roles=[Role.AUDITOR]
    )
    states = {state for state, _ in MATRIX.values() if state != "-"}
    world["cases"] = {
        state: case_in(world, state, minute=20 + i) for i, state in enumerate(sorted(states))
    }
    return world


def test_the_matrix_has_a_test_for_every_workflow_row_and_refuses_most_cells() -> None:
    assert set(WORKFLOW) == set(ACTIONS)
    cells = [allowed for _state, row in MATRIX.values() for allowed in row.values()]
    assert len(cells) == len(MATRIX) * len(ROLES)
    assert sum(cells) < len(cells) / 3  # least privilege: most cells are refusals


@pytest.mark.parametrize("action", WORKFLOW)
def test_workflow_actions_follow_the_matrix(people: dict[str, Any], action: str) -> None:
    state, expected = MATRIX[("workflow", action)]
    case = people["cases"][state]
    deviations = {}
    for role, allowed in expected.items():
        user = people[ACTORS[role]]
        before = Application.objects.get(pk=case.pk).status
        result = outcome(partial(ACTIONS[action], user, case, people))
        if (result == "allowed") != allowed:
            deviations[role] = result
        assert Application.objects.get(pk=case.pk).status == before
        if not allowed:
            # A refusal is an access refusal, not a clash with the state the case is in.
            assert result in {"DoesNotExist", "PermissionDenied", "RoleRequired"}, (role, result)
    assert not deviations, f"{action} on a {state} case deviates from the matrix: {deviations}"


def _area_url(kind: str, name: str) -> str:
    if name.startswith("admin:") and name != "admin:index":
        return reverse(f"{name}_{'add' if kind == 'write' else 'changelist'}")
    return reverse(name)


@pytest.mark.parametrize(("kind", "area"), AREAS)
def test_areas_follow_the_matrix(people: dict[str, Any], kind: str, area: str) -> None:
    _state, expected = MATRIX[(kind, area)]
    url = _area_url(kind, area)
    got = {}
    for role in ROLES:
        response = client_for(people[ACTORS[role]]).get(url)
        assert response.status_code in {200, 302, 403, 404}, (role, response.status_code)
        got[role] = response.status_code == 200
    deviations = {role: got[role] for role in ROLES if got[role] != expected[role]}
    assert not deviations, f"{url}: cells that deviate (role → reached): {deviations}"


def test_the_auditor_reads_the_audit_log_and_can_change_none_of_it(
    people: dict[str, Any],
) -> None:
    client = client_for(people["auditor"])
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None

    listing = client.get(reverse("admin:audit_auditevent_changelist"))
    detail = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    posted = client.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "LOGIN"}
    )
    deleted = client.post(
        reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert listing.status_code == 200
    assert str(event.seq).encode() in listing.content
    assert detail.status_code == 200  # the read-only view of one event
    assert posted.status_code == 403
    assert deleted.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, hash=event.hash).exists()


def test_the_auditor_reaches_no_case_through_the_api(people: dict[str, Any]) -> None:
    client = client_for(people["auditor"])
    case = people["cases"]["RECEIVED"]
    for action in ("accept", "claim", "void"):
        response = client.post(
            reverse(f"api-case-{action}", args=[case.pk]), {}, content_type="application/json"
        )
        assert response.status_code == 404, (action, response.status_code)
    assert Application.objects.get(pk=case.pk).status == "RECEIVED"


def test_review_and_decision_are_separated_by_role_not_by_person(people: dict[str, Any]) -> None:
    """What is in place: the reviewer who passed the 审查 step cannot decide, and the approver
    cannot take the 审查 step. What is not: a person holding both roles in one department may
    review and then decide the same case (no person-level four-eyes rule)."""
    case = case_in(people, REVIEW, minute=50)
    reviewer, approver = people["reviewer"], people["approver"]
    refused = {"PermissionDenied", "RoleRequired"}
    assert outcome(lambda: ACTIONS["pass_review"](approver, case, people)) in refused
    services.application_step_pass(user=reviewer, application_id=case.pk, now=LATER, opinion="可")
    case.refresh_from_db()
    assert outcome(lambda: ACTIONS["reject"](reviewer, case, people)) in refused

    both = staff_with_roles(people, "dualrole", [Role.REVIEWER, Role.APPROVER])
    dual_case = case_in(people, REVIEW, minute=51)
    services.application_step_pass(user=both, application_id=dual_case.pk, now=LATER, opinion="可")
    services.application_reject(user=both, application_id=dual_case.pk, now=LATER, reason="不符。")
    dual_case.refresh_from_db()
    assert dual_case.status == "REJECTED"
    assert set(dual_case.events.exclude(actor=None).values_list("actor", flat=True)) >= {both.pk}


def test_the_decision_state_is_the_one_the_matrix_expects(people: dict[str, Any]) -> None:
    case = people["cases"][DECISION]
    assert (case.status, case.step_index + 1) == ("IN_REVIEW", case.step_count)


def test_staff_of_no_department_find_an_empty_workbench(people: dict[str, Any]) -> None:
    for name in ("catalogue_admin", "auditor"):
        response = client_for(people[name]).get(reverse("workbench-queue"))
        assert response.status_code == 200
        assert not leaked(response, people["canaries"]), name
