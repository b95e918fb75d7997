"""Who may do what to a case, at the service level (STYLE R6; applications/permissions.py).

A citizen reaches only their own applications and staff only their departments' cases; anything
else is "not found" (DoesNotExist → 404), so a guessed id reveals nothing. A member of the case's
department whose role does not fit the action is refused (PermissionDenied → 403). A refusal
changes nothing: the case row, its trail and the rows hanging off it stay as they were.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied

import pytest

from accounts.models import User
from applications import services
from applications.models import Application, ApplicationEvent
from applications.permissions import (
    access_application_for_applicant,
    access_application_for_staff_view,
)
from applications.services import WalkIn
from tests.applications.conftest import (
    GOOD_ANSWERS,
    NOW,
    _valid_id,
    case_state,
    pdf,
    shared,
)

pytestmark = pytest.mark.django_db

# Built once for this module (see conftest.shared).
workflow_catalogue = shared("workflow_catalogue")

ACTORS = (
    "applicant",
    "other_citizen",
    "clerk",
    "outsider",  # a window clerk of another department
    "reviewer",
    "approver",
    "supervisor",
    "inactive_clerk",  # a window clerk of the department, deactivated
)
OK, NOT_FOUND, DENIED = "ok", "404", "403"
AT = NOW.replace(hour=16)

Call = Callable[[User, int, dict[str, Any]], object]


def _resubmit(user: User, pk: int, world: dict[str, Any]) -> object:
    services.application_material_upload(
        user=user, application_id=pk, material_key="M01", file=pdf(), now=AT
    )
    return services.application_supplement_answer(user=user, application_id=pk, now=AT)


def _file_at_window(user: User, pk: int, world: dict[str, Any]) -> object:
    id_number = _valid_id("19800101")
    return services.application_file_at_window(
        clerk=user,
        matter_id=world["workflow_catalogue"]["food"].pk,
        applicant=WalkIn(name="张三", id_number=id_number, mobile=""),
        situation={"Q1": "Q1A"},
        answers={"name": "张三", "id_number": id_number, "mobile": "13500135000", **GOOD_ANSWERS},
        uploads={},
        paper=["M01", "M02", "M04", "M05"],
        delivery_method="WINDOW",
        delivery_address="",
        now=AT,
    )


# action → (state of the case, the call, the outcome for each actor in ACTORS' order)
ACTIONS: dict[str, tuple[str, Call, tuple[str, ...]]] = {
    "view-as-applicant": (
        "received",
        lambda u, pk, w: access_application_for_applicant(user=u, application_id=pk),
        (OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "view-as-staff": (
        "received",
        lambda u, pk, w: access_application_for_staff_view(user=u, application_id=pk),
        (NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, OK, OK, OK, NOT_FOUND),
    ),
    "view-a-draft-as-staff": (
        "draft",
        lambda u, pk, w: access_application_for_staff_view(user=u, application_id=pk),
        (NOT_FOUND,) * 8,
    ),
    "update-draft": (
        "draft",
        lambda u, pk, w: services.application_draft_update(
            user=u, application_id=pk, now=AT, answers={"shop_name": "新店名"}
        ),
        (OK, *(NOT_FOUND,) * 7),
    ),
    "upload-material": (
        "draft",
        lambda u, pk, w: services.application_material_upload(
            user=u, application_id=pk, material_key="M01", file=pdf(), now=AT
        ),
        (OK, *(NOT_FOUND,) * 7),
    ),
    "choose-material": (
        "draft",
        lambda u, pk, w: services.application_material_choose(
            user=u, application_id=pk, material_key="M04", source="DEFICIENCY", now=AT
        ),
        (OK, *(NOT_FOUND,) * 7),
    ),
    "submit": (
        "draft",
        lambda u, pk, w: services.application_submit(user=u, application_id=pk, now=AT),
        (OK, *(NOT_FOUND,) * 7),
    ),
    "discard-draft": (
        "draft",
        lambda u, pk, w: services.application_draft_discard(user=u, application_id=pk),
        (OK, *(NOT_FOUND,) * 7),
    ),
    "answer-supplement": (
        "supplement_required",
        _resubmit,
        (OK, *(NOT_FOUND,) * 7),
    ),
    "withdraw": (
        "received",
        lambda u, pk, w: services.application_withdraw(user=u, application_id=pk, now=AT),
        (OK, *(NOT_FOUND,) * 7),
    ),
    "accept": (
        "received",
        lambda u, pk, w: services.application_accept(user=u, application_id=pk, now=AT),
        (NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, DENIED, DENIED, DENIED, NOT_FOUND),
    ),
    "not-accept": (
        "received",
        lambda u, pk, w: services.application_not_accept(
            user=u, application_id=pk, now=AT, kind="OTHER", reason="重复申请。"
        ),
        (NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, DENIED, DENIED, DENIED, NOT_FOUND),
    ),
    "request-supplement": (
        "received",
        lambda u, pk, w: services.application_supplement_request(
            user=u,
            application_id=pk,
            now=AT,
            items=[{"kind": "material", "key": "M02", "reason": "不清晰"}],
        ),
        (NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, DENIED, DENIED, DENIED, NOT_FOUND),
    ),
    "claim-at-intake": (
        "received",
        lambda u, pk, w: services.application_claim(user=u, application_id=pk, now=AT),
        (NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, DENIED, DENIED, DENIED, NOT_FOUND),
    ),
    "assign": (
        "received",
        lambda u, pk, w: services.application_assign(
            user=u, application_id=pk, assignee_id=w["clerk2"].pk, now=AT
        ),
        (NOT_FOUND, NOT_FOUND, DENIED, NOT_FOUND, DENIED, OK, DENIED, NOT_FOUND),
    ),
    "pass-review-step": (
        "in_review",
        lambda u, pk, w: services.application_step_pass(
            user=u, application_id=pk, now=AT, opinion="同意。"
        ),
        (NOT_FOUND, NOT_FOUND, DENIED, NOT_FOUND, OK, DENIED, DENIED, NOT_FOUND),
    ),
    "suspend": (
        "in_review",
        lambda u, pk, w: services.application_suspend(
            user=u, application_id=pk, now=AT, kind="TESTING", reason="送检。", expected_days=3
        ),
        (NOT_FOUND, NOT_FOUND, DENIED, NOT_FOUND, OK, DENIED, DENIED, NOT_FOUND),
    ),
    "resume": (
        "suspended",
        lambda u, pk, w: services.application_resume(
            user=u, application_id=pk, now=AT, result="合格。"
        ),
        (NOT_FOUND, NOT_FOUND, DENIED, NOT_FOUND, OK, DENIED, DENIED, NOT_FOUND),
    ),
    "extend": (
        "in_review",
        lambda u, pk, w: services.application_extend(
            user=u, application_id=pk, now=AT, days=5, reason="复杂。"
        ),
        (NOT_FOUND, NOT_FOUND, DENIED, NOT_FOUND, DENIED, OK, DENIED, NOT_FOUND),
    ),
    "send-back": (
        "at_decision",
        lambda u, pk, w: services.application_send_back(
            user=u, application_id=pk, now=AT, reason="请再核实。"
        ),
        (NOT_FOUND, NOT_FOUND, DENIED, NOT_FOUND, DENIED, OK, DENIED, NOT_FOUND),
    ),
    "approve": (
        "at_decision",
        lambda u, pk, w: services.application_approve(user=u, application_id=pk, now=AT),
        (NOT_FOUND, NOT_FOUND, DENIED, NOT_FOUND, DENIED, OK, DENIED, NOT_FOUND),
    ),
    "reject": (
        "at_decision",
        lambda u, pk, w: services.application_reject(
            user=u, application_id=pk, now=AT, reason="不符合条件。"
        ),
        (NOT_FOUND, NOT_FOUND, DENIED, NOT_FOUND, DENIED, OK, DENIED, NOT_FOUND),
    ),
    "deliver": (
        "approved",
        lambda u, pk, w: services.application_deliver(user=u, application_id=pk, now=AT),
        (NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, DENIED, DENIED, DENIED, NOT_FOUND),
    ),
    "void": (
        "received",
        lambda u, pk, w: services.application_void(
            user=u, application_id=pk, now=AT, reason="误录。"
        ),
        (NOT_FOUND, NOT_FOUND, DENIED, NOT_FOUND, DENIED, DENIED, OK, NOT_FOUND),
    ),
}
READS = {"view-as-applicant", "view-as-staff", "view-a-draft-as-staff"}

MATRIX = [
    pytest.param(action, who, expected, id=f"{action}-{who}-{expected}")
    for action, (_state, _call, outcomes) in ACTIONS.items()
    for who, expected in zip(ACTORS, outcomes, strict=True)
]


def snapshot(pk: int) -> dict[str, object] | None:
    """The case and everything hanging off it, or None once it is gone."""
    if not Application.objects.filter(pk=pk).exists():
        return None
    return case_state(pk)


def totals() -> tuple[int, int]:
    return Application.objects.count(), ApplicationEvent.objects.count()


@pytest.mark.parametrize(("action", "who", "expected"), MATRIX)
def test_each_action_is_open_to_its_role_of_the_department_only(
    world: dict[str, Any], cases: dict[str, int], action: str, who: str, expected: str
) -> None:
    state, call, _outcomes = ACTIONS[action]
    pk = cases[state]
    user = world[who]
    before, counted = snapshot(pk), totals()

    if expected == OK:
        call(user, pk, world)
        changed = snapshot(pk) != before
        assert changed is (action not in READS)
        return
    with pytest.raises(Application.DoesNotExist if expected == NOT_FOUND else PermissionDenied):
        call(user, pk, world)

    assert snapshot(pk) == before
    assert totals() == counted


def test_a_citizen_cannot_reach_another_citizens_case_in_any_state(
    world: dict[str, Any], cases: dict[str, int]
) -> None:
    other = world["other_citizen"]

    reached = []
    for state, pk in cases.items():
        try:
            access_application_for_applicant(user=other, application_id=pk)
        except Application.DoesNotExist:
            continue
        reached.append(state)

    assert reached == []


def test_staff_of_another_department_cannot_see_any_of_its_cases(
    world: dict[str, Any], cases: dict[str, int]
) -> None:
    outsider = world["outsider"]

    seen = []
    for state, pk in cases.items():
        try:
            access_application_for_staff_view(user=outsider, application_id=pk)
        except Application.DoesNotExist:
            continue
        seen.append(state)

    assert seen == []


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param("clerk", OK, id="clerk"),
        pytest.param("outsider", DENIED, id="clerk-of-another-department"),
        pytest.param("reviewer", DENIED, id="reviewer"),
        pytest.param("approver", DENIED, id="approver"),
        pytest.param("supervisor", DENIED, id="supervisor"),
        pytest.param("applicant", DENIED, id="citizen"),
        pytest.param("inactive_clerk", DENIED, id="deactivated-clerk"),
    ],
)
def test_only_a_window_clerk_of_the_department_files_at_the_window(
    world: dict[str, Any], who: str, expected: str
) -> None:
    counted = totals()

    if expected == OK:
        _file_at_window(world[who], 0, world)
        assert totals() == (counted[0] + 1, counted[1] + 1)
        return
    with pytest.raises(PermissionDenied):
        _file_at_window(world[who], 0, world)

    assert totals() == counted


def test_a_guessed_id_that_does_not_exist_is_not_found_for_everyone(world: dict[str, Any]) -> None:
    missing = 987_654

    for who in ACTORS:
        with pytest.raises(Application.DoesNotExist):
            access_application_for_applicant(user=world[who], application_id=missing)
        with pytest.raises(Application.DoesNotExist):
            services.application_accept(user=world[who], application_id=missing, now=AT)
