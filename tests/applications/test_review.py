"""Review and decision: steps, special procedures, the extension, 容缺, deciding, delivering,
withdrawing, voiding, claiming and assigning (行政许可法第34、38、42、45条; DOMAIN §6.2)."""

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import PermissionDenied

import pytest

from accounts.models import User
from applications import services
from applications.choices import EventKind, Status
from applications.conflicts import AlreadyHandledError
from applications.models import Application, Extension
from core.errors import ConflictError, DomainError
from matters.models import Matter
from tests.applications.conftest import (
    LATER,
    NOW,
    at,
    case_state,
    end_of,
    event_kinds,
    pdf,
    shared,
    simple_draft_ready,
)

pytestmark = pytest.mark.django_db

# Built once for this module (see conftest.shared).
workflow_catalogue = shared("workflow_catalogue")
applicant = shared("applicant")
clerk = shared("clerk")
clerk2 = shared("clerk2")
reviewer = shared("reviewer")
approver = shared("approver")
supervisor = shared("supervisor")
outsider = shared("outsider")
department_admin = shared("department_admin")
inactive_clerk = shared("inactive_clerk")

NO_PERMISSION = "您没有执行该操作的权限。"
REMEDY = (
    "如不服本决定，可以自知道该决定之日起六十日内向深圳市人民政府申请行政复议，"
    "或者自知道该决定之日起六个月内向深圳市福田区人民法院提起行政诉讼。"
)
# case_in(): accepted at NOW + 1 h, step passed and 容缺 caught up at + 2 h, decided at + 3 h.
STEP_AT = NOW + dt.timedelta(hours=2)
DECIDE_AT = NOW + dt.timedelta(hours=3)


def actor(request: pytest.FixtureRequest, name: str) -> User:
    user = request.getfixturevalue(name)
    assert isinstance(user, User)
    return user


# --- passing and sending back steps --------------------------------------------------------------


def test_the_reviewer_passes_the_review_step_with_an_opinion(
    cases: dict[str, int], reviewer: User
) -> None:
    case = Application.objects.get(pk=cases["in_review"])

    services.application_step_pass(
        user=reviewer, application_id=case.pk, now=STEP_AT, opinion="  材料齐全，符合条件。 "
    )

    case.refresh_from_db()
    assert (case.status, case.step_index, case.assignee) == (Status.IN_REVIEW, 1, None)
    event = case.events.get(kind=EventKind.STEP_PASSED)
    assert (event.actor, event.actor_role, event.step_name, event.note, event.data) == (
        reviewer,
        "REVIEWER",
        "审查",
        "材料齐全，符合条件。",
        {"to_step": "决定"},
    )


def test_a_step_is_not_passed_without_an_opinion(cases: dict[str, int], reviewer: User) -> None:
    case = Application.objects.get(pk=cases["in_review"])
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_step_pass(
            user=reviewer, application_id=case.pk, now=STEP_AT, opinion=" "
        )

    assert refused.value.errors == {"opinion": ["请填写本环节的办理意见。"]}
    assert case_state(case.pk) == before


def test_the_decision_step_is_decided_not_passed(cases: dict[str, int], approver: User) -> None:
    case = Application.objects.get(pk=cases["at_decision"])
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_step_pass(
            user=approver, application_id=case.pk, now=DECIDE_AT, opinion="同意"
        )

    assert refused.value.message == "本环节是决定环节，请作出准予或不予许可的决定。"
    assert case_state(case.pk) == before


@pytest.mark.parametrize(
    ("state", "who", "action", "message"),
    [
        pytest.param(
            "in_review",
            "approver",
            "pass",
            "该操作应由“审查人员”办理。",
            id="approver-at-review-step",
        ),
        pytest.param("in_review", "clerk", "pass", NO_PERMISSION, id="clerk-at-review-step"),
        pytest.param(
            "in_review", "supervisor", "pass", NO_PERMISSION, id="supervisor-at-review-step"
        ),
        pytest.param("at_decision", "reviewer", "approve", NO_PERMISSION, id="reviewer-approves"),
        pytest.param("at_decision", "reviewer", "reject", NO_PERMISSION, id="reviewer-rejects"),
        pytest.param(
            "at_decision", "reviewer", "send_back", NO_PERMISSION, id="reviewer-sends-back"
        ),
        pytest.param("at_decision", "clerk", "approve", NO_PERMISSION, id="clerk-approves"),
        pytest.param(
            "at_decision", "supervisor", "approve", NO_PERMISSION, id="supervisor-approves"
        ),
    ],
)
def test_each_step_is_handled_by_its_own_role_only(
    request: pytest.FixtureRequest,
    cases: dict[str, int],
    state: str,
    who: str,
    action: str,
    message: str,
) -> None:
    case = Application.objects.get(pk=cases[state])
    user = actor(request, who)
    before = case_state(case.pk)
    calls: dict[str, Callable[[], object]] = {
        "pass": lambda: services.application_step_pass(
            user=user, application_id=case.pk, now=DECIDE_AT, opinion="同意"
        ),
        "approve": lambda: services.application_approve(
            user=user, application_id=case.pk, now=DECIDE_AT
        ),
        "reject": lambda: services.application_reject(
            user=user, application_id=case.pk, now=DECIDE_AT, reason="不符合条件。"
        ),
        "send_back": lambda: services.application_send_back(
            user=user, application_id=case.pk, now=DECIDE_AT, reason="请补充核查。"
        ),
    }

    with pytest.raises(PermissionDenied) as refused:
        calls[action]()

    assert str(refused.value) == message
    assert case_state(case.pk) == before


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_the_reviewer_cannot_decide_at_the_review_step(
    cases: dict[str, int], reviewer: User, decision: str
) -> None:
    case = Application.objects.get(pk=cases["in_review"])
    before = case_state(case.pk)
    decide = services.application_approve if decision == "approve" else services.application_reject
    extra = {} if decision == "approve" else {"reason": "不符合条件。"}

    with pytest.raises(DomainError) as refused:
        decide(user=reviewer, application_id=case.pk, now=STEP_AT, **extra)

    assert refused.value.message == "还没有到决定环节，请先完成当前环节。"
    assert case_state(case.pk) == before


def test_the_approver_sends_the_case_back_one_step_with_the_reason(
    cases: dict[str, int], approver: User, reviewer: User
) -> None:
    case = Application.objects.get(pk=cases["at_decision"])

    services.application_send_back(
        user=approver, application_id=case.pk, now=DECIDE_AT, reason=" 请核实经营面积。 "
    )

    case.refresh_from_db()
    assert (case.status, case.step_index, case.assignee) == (Status.IN_REVIEW, 0, None)
    event = case.events.get(kind=EventKind.SENT_BACK)
    assert (event.actor, event.actor_role, event.step_name, event.note, event.data) == (
        approver,
        "APPROVER",
        "决定",
        "请核实经营面积。",
        {"to_step": "审查"},
    )
    services.application_step_pass(
        user=reviewer, application_id=case.pk, now=DECIDE_AT, opinion="已核实。"
    )
    case.refresh_from_db()
    assert case.step_index == 1


@pytest.mark.parametrize(
    ("state", "who", "reason", "message", "errors"),
    [
        pytest.param(
            "in_review", "reviewer", "退回", "这是第一个审查环节，不能再退回。", {}, id="first-step"
        ),
        pytest.param(
            "at_decision",
            "approver",
            "  ",
            "请写明退回的理由。",
            {"reason": ["请写明退回的理由。"]},
            id="no-reason",
        ),
    ],
)
def test_sending_back_is_refused_at_the_first_step_and_without_a_reason(
    request: pytest.FixtureRequest,
    cases: dict[str, int],
    state: str,
    who: str,
    reason: str,
    message: str,
    errors: dict[str, list[str]],
) -> None:
    case = Application.objects.get(pk=cases[state])
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_send_back(
            user=actor(request, who), application_id=case.pk, now=DECIDE_AT, reason=reason
        )

    assert (refused.value.message, refused.value.errors) == (message, errors)
    assert case_state(case.pk) == before


# --- special procedures (第45条): the clock stops ---------------------------------------------------


def test_a_special_procedure_suspends_the_case_and_tells_its_expected_length(
    cases: dict[str, int], reviewer: User
) -> None:
    case = Application.objects.get(pk=cases["in_review"])

    procedure = services.application_suspend(
        user=reviewer,
        application_id=case.pk,
        now=STEP_AT,
        kind="SITE_CHECK",
        reason=" 需现场核查经营场所。 ",
        expected_days=3,
    )

    case.refresh_from_db()
    assert case.status == Status.SUSPENDED
    assert (case.promise_deadline, case.legal_deadline) == (
        end_of("2025-06-18"),
        end_of("2025-07-09"),
    )
    procedure.refresh_from_db()
    assert (procedure.kind, procedure.reason, procedure.expected_days) == (
        "SITE_CHECK",
        "需现场核查经营场所。",
        3,
    )
    assert (procedure.started_at, procedure.started_by, procedure.ended_at) == (
        STEP_AT,
        reviewer,
        None,
    )
    event = case.events.get(kind=EventKind.SUSPENDED)
    assert (event.actor_role, event.step_name, event.data) == (
        "REVIEWER",
        "审查",
        {"special": "SITE_CHECK", "expected_days": 3},
    )


@pytest.mark.parametrize(
    ("kind", "reason", "days", "errors"),
    [
        pytest.param("PICNIC", "理由", 3, {"kind": ["请选择特别程序的种类。"]}, id="unknown-kind"),
        pytest.param(
            "TESTING", " ", 3, {"reason": ["请写明特别程序的理由和依据。"]}, id="no-reason"
        ),
        pytest.param(
            "TESTING",
            "理由",
            0,
            {"expected_days": ["预计所需时间应为 1 至 120 个工作日。"]},
            id="zero-days",
        ),
        pytest.param(
            "TESTING",
            "理由",
            121,
            {"expected_days": ["预计所需时间应为 1 至 120 个工作日。"]},
            id="too-long",
        ),
        pytest.param(
            "",
            "",
            -1,
            {
                "kind": ["请选择特别程序的种类。"],
                "reason": ["请写明特别程序的理由和依据。"],
                "expected_days": ["预计所需时间应为 1 至 120 个工作日。"],
            },
            id="everything-at-once",
        ),
    ],
)
def test_a_special_procedure_needs_a_kind_a_reason_and_a_sensible_length(
    cases: dict[str, int],
    reviewer: User,
    kind: str,
    reason: str,
    days: int,
    errors: dict[str, list[str]],
) -> None:
    case = Application.objects.get(pk=cases["in_review"])
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_suspend(
            user=reviewer,
            application_id=case.pk,
            now=STEP_AT,
            kind=kind,
            reason=reason,
            expected_days=days,
        )

    assert (refused.value.message, refused.value.errors) == (
        "特别程序告知书还不完整，请按提示修改。",
        errors,
    )
    assert case_state(case.pk) == before


@pytest.mark.parametrize("action", ["pass", "suspend-again", "extend"])
def test_a_suspended_case_waits_for_its_procedure_to_end(
    cases: dict[str, int], reviewer: User, approver: User, action: str
) -> None:
    case = Application.objects.get(pk=cases["suspended"])
    before = case_state(case.pk)
    later = NOW + dt.timedelta(hours=5)
    calls: dict[str, Callable[[], object]] = {
        "pass": lambda: services.application_step_pass(
            user=reviewer, application_id=case.pk, now=later, opinion="同意"
        ),
        "suspend-again": lambda: services.application_suspend(
            user=reviewer,
            application_id=case.pk,
            now=later,
            kind="TESTING",
            reason="检测",
            expected_days=2,
        ),
        "extend": lambda: services.application_extend(
            user=approver, application_id=case.pk, now=later, days=5, reason="复杂"
        ),
    }

    with pytest.raises(AlreadyHandledError):
        calls[action]()

    assert case_state(case.pk) == before


@pytest.mark.parametrize(
    ("accepted_on", "suspended_at", "resumed_at", "paused", "promise", "legal"),
    [
        pytest.param(
            NOW,
            at("2025-06-11", 13),
            at("2025-06-11", 16),
            0,
            "2025-06-18",
            "2025-07-09",
            id="same-day",
        ),
        pytest.param(
            NOW,
            at("2025-06-11", 13),
            at("2025-06-13", 9),
            2,
            "2025-06-20",
            "2025-07-11",
            id="two-days",
        ),
        pytest.param(
            NOW,
            at("2025-06-11", 13),
            at("2025-06-16", 9),
            3,
            "2025-06-23",
            "2025-07-14",
            id="over-a-weekend",
        ),
        pytest.param(
            at("2025-09-26", 9),
            at("2025-09-30", 9),
            at("2025-10-09", 9),
            1,
            "2025-10-11",  # a 调休 Saturday
            "2025-10-31",
            id="over-national-day",
        ),
    ],
)
def test_resuming_moves_both_deadlines_by_exactly_the_working_days_paused(
    accepted: Callable[..., Application],
    reviewer: User,
    accepted_on: dt.datetime,
    suspended_at: dt.datetime,
    resumed_at: dt.datetime,
    paused: int,
    promise: str,
    legal: str,
) -> None:
    case = accepted(accepted_on)
    procedure = services.application_suspend(
        user=reviewer,
        application_id=case.pk,
        now=suspended_at,
        kind="TESTING",
        reason="送检。",
        expected_days=3,
    )

    services.application_resume(
        user=reviewer, application_id=case.pk, now=resumed_at, result=" 检测合格。 "
    )

    case.refresh_from_db()
    assert (case.status, case.paused_working_days) == (Status.IN_REVIEW, paused)
    assert (case.promise_deadline, case.legal_deadline) == (end_of(promise), end_of(legal))
    procedure.refresh_from_db()
    assert (procedure.ended_at, procedure.ended_by, procedure.result, procedure.paused_days) == (
        resumed_at,
        reviewer,
        "检测合格。",
        paused,
    )
    event = case.events.get(kind=EventKind.RESUMED)
    assert (event.from_status, event.to_status, event.data) == (
        Status.SUSPENDED,
        Status.IN_REVIEW,
        {"paused_working_days": paused},
    )


def test_two_special_procedures_add_up(cases: dict[str, int], reviewer: User) -> None:
    case = Application.objects.get(pk=cases["in_review"])
    for start, end in (
        (at("2025-06-11", 13), at("2025-06-16")),
        (at("2025-06-17"), at("2025-06-19")),
    ):
        services.application_suspend(
            user=reviewer,
            application_id=case.pk,
            now=start,
            kind="EXPERT",
            reason="专家评审。",
            expected_days=2,
        )
        services.application_resume(user=reviewer, application_id=case.pk, now=end, result="通过。")

    case.refresh_from_db()
    assert case.paused_working_days == 5  # 3 + 2
    assert (case.promise_deadline, case.legal_deadline) == (
        end_of("2025-06-25"),
        end_of("2025-07-16"),
    )


@pytest.mark.parametrize(
    ("state", "result", "exception", "errors"),
    [
        pytest.param(
            "suspended", " ", DomainError, {"result": ["请填写特别程序的结果。"]}, id="no-result"
        ),
        pytest.param("in_review", "结束", AlreadyHandledError, {}, id="not-suspended"),
    ],
)
def test_resuming_needs_a_result_and_a_running_procedure(
    cases: dict[str, int],
    reviewer: User,
    state: str,
    result: str,
    exception: type[DomainError],
    errors: dict[str, list[str]],
) -> None:
    case = Application.objects.get(pk=cases[state])
    before = case_state(case.pk)

    with pytest.raises(exception) as refused:
        services.application_resume(
            user=reviewer, application_id=case.pk, now=DECIDE_AT, result=result
        )

    assert refused.value.errors == errors
    assert case_state(case.pk) == before


# --- the extension (第42条) -------------------------------------------------------------------------


def test_the_approver_extends_the_statutory_deadline_once_by_up_to_ten_working_days(
    cases: dict[str, int], approver: User
) -> None:
    case = Application.objects.get(pk=cases["in_review"])

    extension = services.application_extend(
        user=approver, application_id=case.pk, now=STEP_AT, days=10, reason=" 需征求相关部门意见。 "
    )

    case.refresh_from_db()
    assert (case.status, case.extension_days) == (Status.IN_REVIEW, 10)
    assert (case.promise_deadline, case.legal_deadline) == (
        end_of("2025-06-18"),
        end_of("2025-07-23"),
    )
    extension.refresh_from_db()
    assert (extension.days, extension.reason, extension.approved_by, extension.approved_at) == (
        10,
        "需征求相关部门意见。",
        approver,
        STEP_AT,
    )
    event = case.events.get(kind=EventKind.EXTENDED)
    assert (event.actor, event.actor_role, event.step_name, event.data) == (
        approver,
        "APPROVER",
        "审查",
        {"days": 10},
    )


@pytest.mark.parametrize(
    ("days", "reason", "errors"),
    [
        pytest.param(11, "理由", {"days": ["延长期限应为 1 至 10 个工作日。"]}, id="eleven-days"),
        pytest.param(0, "理由", {"days": ["延长期限应为 1 至 10 个工作日。"]}, id="zero-days"),
        pytest.param(5, "  ", {"reason": ["请写明延长期限的理由。"]}, id="no-reason"),
    ],
)
def test_an_extension_beyond_ten_days_or_without_a_reason_is_refused(
    cases: dict[str, int],
    approver: User,
    days: int,
    reason: str,
    errors: dict[str, list[str]],
) -> None:
    case = Application.objects.get(pk=cases["in_review"])
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_extend(
            user=approver, application_id=case.pk, now=STEP_AT, days=days, reason=reason
        )

    assert refused.value.errors == errors
    assert case_state(case.pk) == before


def test_a_second_extension_is_refused(cases: dict[str, int], approver: User) -> None:
    case = Application.objects.get(pk=cases["in_review"])
    services.application_extend(
        user=approver, application_id=case.pk, now=STEP_AT, days=3, reason="复杂。"
    )
    before = case_state(case.pk)

    with pytest.raises(ConflictError) as refused:
        services.application_extend(
            user=approver, application_id=case.pk, now=DECIDE_AT, days=2, reason="仍需时间。"
        )

    assert refused.value.message == "每个办件只能延长一次办理期限，本件已经延长过。"
    assert case_state(case.pk) == before
    assert Extension.objects.filter(application_id=case.pk).count() == 1


@pytest.mark.parametrize("who", ["reviewer", "clerk", "supervisor"])
def test_only_the_approver_may_extend(
    request: pytest.FixtureRequest, cases: dict[str, int], who: str
) -> None:
    case = Application.objects.get(pk=cases["in_review"])
    before = case_state(case.pk)

    with pytest.raises(PermissionDenied) as refused:
        services.application_extend(
            user=actor(request, who), application_id=case.pk, now=STEP_AT, days=5, reason="复杂。"
        )

    assert str(refused.value) == NO_PERMISSION
    assert case_state(case.pk) == before


def test_an_extension_and_a_pause_both_move_the_statutory_deadline(
    cases: dict[str, int], approver: User, reviewer: User
) -> None:
    case = Application.objects.get(pk=cases["in_review"])
    services.application_extend(
        user=approver, application_id=case.pk, now=STEP_AT, days=10, reason="复杂。"
    )
    services.application_suspend(
        user=reviewer,
        application_id=case.pk,
        now=at("2025-06-12"),
        kind="TESTING",
        reason="送检。",
        expected_days=2,
    )

    services.application_resume(
        user=reviewer, application_id=case.pk, now=at("2025-06-16"), result="合格。"
    )

    case.refresh_from_db()
    assert (case.paused_working_days, case.extension_days) == (2, 10)
    assert (case.promise_deadline, case.legal_deadline) == (
        end_of("2025-06-20"),  # 5 + 2
        end_of("2025-07-25"),  # 20 + 10 + 2
    )


# --- deciding -------------------------------------------------------------------------------------


def test_approval_waits_until_the_owed_material_is_provided(
    cases: dict[str, int], approver: User
) -> None:
    case = Application.objects.get(pk=cases["owing"])
    before = case_state(case.pk)

    with pytest.raises(ConflictError) as refused:
        services.application_approve(user=approver, application_id=case.pk, now=DECIDE_AT)

    assert refused.value.message == "容缺材料尚未补齐（卫生检测报告），暂不能作出决定。"
    assert case_state(case.pk) == before


def test_the_applicant_catches_up_the_owed_material_and_the_approver_approves(
    cases: dict[str, int], applicant: User, approver: User
) -> None:
    case = Application.objects.get(pk=cases["owing"])
    services.application_material_upload(
        user=applicant, application_id=case.pk, material_key="M04", file=pdf(), now=DECIDE_AT
    )

    services.application_approve(user=approver, application_id=case.pk, now=DECIDE_AT)

    case.refresh_from_db()
    assert case.status == Status.APPROVED
    assert (case.decided_at, case.decision_reason, case.delivery_deadline) == (
        DECIDE_AT,
        "经审查，申请符合法定条件和标准，准予许可。",
        end_of("2025-06-25"),  # 10 working days
    )
    caught_up = case.events.get(kind=EventKind.MATERIAL_CAUGHT_UP)
    assert (caught_up.actor, caught_up.note, caught_up.data) == (
        applicant,
        "卫生检测报告",
        {"material": "M04"},
    )
    approved = case.events.get(kind=EventKind.APPROVED)
    assert (approved.actor, approved.actor_role, approved.step_name, approved.to_status) == (
        approver,
        "APPROVER",
        "决定",
        Status.APPROVED,
    )


def test_a_material_not_owed_cannot_be_uploaded_during_review(
    cases: dict[str, int], applicant: User
) -> None:
    case = Application.objects.get(pk=cases["owing"])
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_material_upload(
            user=applicant, application_id=case.pk, material_key="M01", file=pdf(), now=DECIDE_AT
        )

    assert refused.value.message == "现在不能提交这项材料。"
    assert case_state(case.pk) == before


def test_rejecting_needs_reasons_and_states_the_remedies(
    cases: dict[str, int], approver: User
) -> None:
    case = Application.objects.get(
        pk=cases["owing"]
    )  # a refusal does not wait for the owed material

    services.application_reject(
        user=approver, application_id=case.pk, now=DECIDE_AT, reason=" 经营场所不符合卫生要求。 "
    )

    case.refresh_from_db()
    assert case.status == Status.REJECTED
    assert (case.decision_reason, case.remedy_text, case.decided_at, case.delivery_deadline) == (
        "经营场所不符合卫生要求。",
        REMEDY,
        DECIDE_AT,
        end_of("2025-06-25"),
    )
    event = case.events.get(kind=EventKind.REJECTED)
    assert (event.actor, event.actor_role, event.note) == (
        approver,
        "APPROVER",
        "经营场所不符合卫生要求。",
    )


def test_rejecting_without_reasons_is_refused(cases: dict[str, int], approver: User) -> None:
    case = Application.objects.get(pk=cases["at_decision"])
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_reject(
            user=approver, application_id=case.pk, now=DECIDE_AT, reason="  "
        )

    assert refused.value.errors == {"reason": ["不予许可应当说明理由。"]}
    assert case_state(case.pk) == before


@pytest.mark.parametrize("state", ["approved", "rejected"])
def test_a_decided_case_cannot_be_decided_again(
    cases: dict[str, int], approver: User, state: str
) -> None:
    case = Application.objects.get(pk=cases[state])
    before = case_state(case.pk)

    with pytest.raises(AlreadyHandledError):
        services.application_approve(user=approver, application_id=case.pk, now=DECIDE_AT)

    assert case_state(case.pk) == before


# --- delivering ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "method", "note"),
    [
        pytest.param("approved", "", "电子送达", id="approved-as-chosen-by-applicant"),
        pytest.param("rejected", "WINDOW", "窗口领取", id="rejected-at-the-window"),
        pytest.param("approved", "MAIL", "邮寄送达", id="approved-by-mail"),
    ],
)
def test_delivering_the_decision_completes_the_case(
    cases: dict[str, int], clerk: User, state: str, method: str, note: str
) -> None:
    case = Application.objects.get(pk=cases[state])
    moment = NOW + dt.timedelta(hours=4)

    services.application_deliver(user=clerk, application_id=case.pk, now=moment, method=method)

    case.refresh_from_db()
    assert (case.status, case.completed_at) == (Status.COMPLETED, moment)
    event = case.events.get(kind=EventKind.DELIVERED)
    assert (event.actor, event.actor_role, event.note, event.data) == (
        clerk,
        "WINDOW_CLERK",
        note,
        {"method": method or "ELECTRONIC"},
    )


@pytest.mark.parametrize(
    ("state", "method", "exception"),
    [
        pytest.param("approved", "PIGEON", DomainError, id="unknown-method"),
        pytest.param("in_review", "", AlreadyHandledError, id="not-decided"),
        pytest.param("completed", "", AlreadyHandledError, id="already-delivered"),
    ],
)
def test_delivering_is_refused_for_an_unknown_method_or_an_undecided_case(
    cases: dict[str, int], clerk: User, state: str, method: str, exception: type[DomainError]
) -> None:
    case = Application.objects.get(pk=cases[state])
    before = case_state(case.pk)

    with pytest.raises(exception):
        services.application_deliver(
            user=clerk, application_id=case.pk, now=DECIDE_AT, method=method
        )

    assert case_state(case.pk) == before


# --- withdrawing and voiding -----------------------------------------------------------------------


@pytest.mark.parametrize("state", ["received", "supplement_required", "in_review", "suspended"])
def test_the_applicant_may_withdraw_before_the_decision(
    cases: dict[str, int], applicant: User, state: str
) -> None:
    case = Application.objects.get(pk=cases[state])
    moment = NOW + dt.timedelta(hours=6)

    services.application_withdraw(
        user=applicant, application_id=case.pk, now=moment, reason=" 不再经营。 "
    )

    case.refresh_from_db()
    assert (case.status, case.closed_at) == (Status.WITHDRAWN, moment)
    event = case.events.get(kind=EventKind.WITHDRAWN)
    assert (event.actor, event.from_status, event.note) == (applicant, state.upper(), "不再经营。")


@pytest.mark.parametrize("state", ["approved", "rejected", "completed", "not_accepted", "void"])
def test_the_applicant_may_not_withdraw_once_decided_or_closed(
    cases: dict[str, int], applicant: User, state: str
) -> None:
    case = Application.objects.get(pk=cases[state])
    before = case_state(case.pk)

    with pytest.raises(AlreadyHandledError):
        services.application_withdraw(user=applicant, application_id=case.pk, now=DECIDE_AT)

    assert case_state(case.pk) == before


def test_withdrawing_twice_records_one_withdrawal(cases: dict[str, int], applicant: User) -> None:
    case = Application.objects.get(pk=cases["withdrawn"])
    before = case_state(case.pk)

    again = services.application_withdraw(user=applicant, application_id=case.pk, now=DECIDE_AT)

    assert again.status == Status.WITHDRAWN
    assert case_state(case.pk) == before


def test_a_draft_is_discarded_not_withdrawn(cases: dict[str, int], applicant: User) -> None:
    case = Application.objects.get(pk=cases["draft"])
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_withdraw(user=applicant, application_id=case.pk, now=DECIDE_AT)

    assert refused.value.message == "草稿尚未提交，可以直接删除。"
    assert case_state(case.pk) == before


@pytest.mark.parametrize("state", ["received", "suspended", "approved", "rejected"])
def test_the_supervisor_voids_a_case_with_the_reason(
    cases: dict[str, int], supervisor: User, state: str
) -> None:
    case = Application.objects.get(pk=cases[state])
    moment = NOW + dt.timedelta(hours=6)

    services.application_void(
        user=supervisor, application_id=case.pk, now=moment, reason=" 重复录入。 "
    )

    case.refresh_from_db()
    assert (case.status, case.closed_at, case.decision_reason) == (
        Status.VOID,
        moment,
        "重复录入。",
    )
    event = case.events.get(kind=EventKind.VOIDED)
    assert (event.actor, event.actor_role, event.from_status) == (
        supervisor,
        "SUPERVISOR",
        state.upper(),
    )


@pytest.mark.parametrize(
    ("state", "reason", "exception"),
    [
        pytest.param("received", " ", DomainError, id="no-reason"),
        pytest.param("completed", "重复录入。", AlreadyHandledError, id="completed"),
        pytest.param("withdrawn", "重复录入。", AlreadyHandledError, id="withdrawn"),
        pytest.param("void", "重复录入。", AlreadyHandledError, id="already-void"),
    ],
)
def test_voiding_needs_a_reason_and_an_open_case(
    cases: dict[str, int], supervisor: User, state: str, reason: str, exception: type[DomainError]
) -> None:
    case = Application.objects.get(pk=cases[state])
    before = case_state(case.pk)

    with pytest.raises(exception):
        services.application_void(
            user=supervisor, application_id=case.pk, now=DECIDE_AT, reason=reason
        )

    assert case_state(case.pk) == before


# --- claiming and assigning ------------------------------------------------------------------------


def test_a_clerk_claims_a_received_case_and_a_colleague_is_told_who_has_it(
    submitted: Callable[..., Application], clerk: User, clerk2: User
) -> None:
    case = submitted()

    services.application_claim(user=clerk, application_id=case.pk, now=LATER)
    with pytest.raises(ConflictError) as refused:
        services.application_claim(user=clerk2, application_id=case.pk, now=LATER)
    services.application_claim(user=clerk, application_id=case.pk, now=LATER)  # again: no-op

    case.refresh_from_db()
    assert case.assignee == clerk
    assert refused.value.message == "该办件已由Clerk认领。"
    event = case.events.get(kind=EventKind.CLAIMED)
    assert (event.actor, event.from_status, event.to_status) == (
        clerk,
        Status.RECEIVED,
        Status.RECEIVED,
    )
    assert event_kinds(case.pk) == [EventKind.SUBMITTED, EventKind.CLAIMED]


@pytest.mark.parametrize(
    ("state", "who", "message"),
    [
        pytest.param("received", "reviewer", "该操作应由“窗口人员”办理。", id="reviewer-at-intake"),
        pytest.param("received", "approver", "该操作应由“窗口人员”办理。", id="approver-at-intake"),
        pytest.param("in_review", "clerk", "该操作应由“审查人员”办理。", id="clerk-at-review"),
        pytest.param(
            "at_decision", "reviewer", "该操作应由“审批人员”办理。", id="reviewer-at-decision"
        ),
    ],
)
def test_only_the_role_of_the_current_step_may_claim(
    request: pytest.FixtureRequest, cases: dict[str, int], state: str, who: str, message: str
) -> None:
    case = Application.objects.get(pk=cases[state])
    before = case_state(case.pk)

    with pytest.raises(PermissionDenied) as refused:
        services.application_claim(user=actor(request, who), application_id=case.pk, now=DECIDE_AT)

    assert str(refused.value) == message
    assert case_state(case.pk) == before


def test_passing_the_step_frees_the_claimed_case_for_the_next_role(
    cases: dict[str, int], reviewer: User, approver: User
) -> None:
    case = Application.objects.get(pk=cases["in_review"])
    services.application_claim(user=reviewer, application_id=case.pk, now=STEP_AT)

    services.application_step_pass(
        user=reviewer, application_id=case.pk, now=STEP_AT, opinion="同意。"
    )
    services.application_claim(user=approver, application_id=case.pk, now=DECIDE_AT)

    case.refresh_from_db()
    assert case.assignee == approver


@pytest.mark.parametrize(
    ("state", "who", "assignee"),
    [
        pytest.param("received", "approver", "clerk2", id="approver-to-clerk-at-intake"),
        pytest.param("in_review", "department_admin", "reviewer", id="admin-to-reviewer"),
        pytest.param("at_decision", "approver", "approver", id="approver-to-self-at-decision"),
    ],
)
def test_an_approver_or_department_admin_assigns_the_case_to_the_role_of_its_step(
    request: pytest.FixtureRequest, cases: dict[str, int], state: str, who: str, assignee: str
) -> None:
    case = Application.objects.get(pk=cases[state])
    user, colleague = actor(request, who), actor(request, assignee)

    services.application_assign(
        user=user, application_id=case.pk, assignee_id=colleague.pk, now=DECIDE_AT
    )

    case.refresh_from_db()
    assert case.assignee == colleague
    event = case.events.get(kind=EventKind.ASSIGNED)
    assert (event.actor, event.note, event.data) == (
        user,
        colleague.display_name,
        {"assignee": colleague.pk},
    )


@pytest.mark.parametrize(
    "assignee", ["reviewer", "outsider", "inactive_clerk", "applicant", "nobody"]
)
def test_a_case_is_not_assigned_to_someone_who_may_not_handle_its_step(
    request: pytest.FixtureRequest, cases: dict[str, int], approver: User, assignee: str
) -> None:
    case = Application.objects.get(pk=cases["received"])
    assignee_id = 999_999 if assignee == "nobody" else actor(request, assignee).pk
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_assign(
            user=approver, application_id=case.pk, assignee_id=assignee_id, now=DECIDE_AT
        )

    assert refused.value.errors == {"assignee": ["只能分派给本部门负责当前环节的工作人员。"]}
    assert case_state(case.pk) == before


@pytest.mark.parametrize(
    ("state", "claimer"),
    [
        pytest.param("completed", "approver", id="completed-at-decision-step"),
        pytest.param("withdrawn", "reviewer", id="withdrawn-at-first-step"),
    ],
)
def test_a_closed_case_is_neither_claimed_nor_assigned(
    request: pytest.FixtureRequest,
    cases: dict[str, int],
    approver: User,
    clerk2: User,
    state: str,
    claimer: str,
) -> None:
    case = Application.objects.get(pk=cases[state])
    before = case_state(case.pk)

    with pytest.raises(AlreadyHandledError):
        services.application_claim(
            user=actor(request, claimer), application_id=case.pk, now=DECIDE_AT
        )
    with pytest.raises(AlreadyHandledError):
        services.application_assign(
            user=approver, application_id=case.pk, assignee_id=clerk2.pk, now=DECIDE_AT
        )

    assert case_state(case.pk) == before


# --- 即办件 and chains without a decision step ------------------------------------------------------


def test_an_immediate_case_is_accepted_and_decided_on_the_spot_by_the_window_clerk(
    applicant: User, clerk: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = simple_draft_ready(applicant, workflow_catalogue["immediate"])
    case = services.application_submit(user=applicant, application_id=draft.pk, now=NOW)

    services.application_accept(user=clerk, application_id=case.pk, now=LATER)
    services.application_approve(user=clerk, application_id=case.pk, now=LATER)
    services.application_deliver(user=clerk, application_id=case.pk, now=LATER)

    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert (case.accepted_at, case.decided_at, case.promise_deadline, case.legal_deadline) == (
        LATER,
        LATER,
        end_of("2025-06-11"),
        end_of("2025-06-11"),
    )
    approved = case.events.get(kind=EventKind.APPROVED)
    assert (approved.actor, approved.actor_role, approved.step_name) == (
        clerk,
        "WINDOW_CLERK",
        "当场办结",
    )
    assert event_kinds(case.pk) == [
        EventKind.SUBMITTED,
        EventKind.ACCEPTED,
        EventKind.APPROVED,
        EventKind.DELIVERED,
    ]


@pytest.mark.parametrize("who", ["reviewer", "approver"])
def test_an_immediate_case_is_not_decided_by_back_office_staff(
    request: pytest.FixtureRequest,
    applicant: User,
    clerk: User,
    workflow_catalogue: dict[str, Matter],
    who: str,
) -> None:
    draft = simple_draft_ready(applicant, workflow_catalogue["immediate"])
    case = services.application_submit(user=applicant, application_id=draft.pk, now=NOW)
    services.application_accept(user=clerk, application_id=case.pk, now=LATER)
    before = case_state(case.pk)

    with pytest.raises(PermissionDenied):
        services.application_approve(user=actor(request, who), application_id=case.pk, now=LATER)

    assert case_state(case.pk) == before


@pytest.mark.parametrize("change", ["special-procedure", "extension"])
def test_an_immediate_case_can_be_neither_paused_nor_extended(
    applicant: User,
    clerk: User,
    approver: User,
    workflow_catalogue: dict[str, Matter],
    change: str,
) -> None:
    draft = simple_draft_ready(applicant, workflow_catalogue["immediate"])
    case = services.application_submit(user=applicant, application_id=draft.pk, now=NOW)
    services.application_accept(user=clerk, application_id=case.pk, now=LATER)
    before = case_state(case.pk)

    def change_it() -> None:
        if change == "extension":
            services.application_extend(
                user=approver, application_id=case.pk, now=LATER, days=3, reason="需核实。"
            )
        else:
            services.application_suspend(
                user=clerk,
                application_id=case.pk,
                now=LATER,
                kind="SITE_CHECK",
                reason="需现场核查。",
                expected_days=3,
            )

    with pytest.raises(DomainError, match="即办件应当场办结"):
        change_it()

    assert case_state(case.pk) == before


def test_a_case_of_a_matter_without_a_declared_decision_step_can_still_be_decided(
    applicant: User,
    clerk: User,
    reviewer: User,
    approver: User,
    workflow_catalogue: dict[str, Matter],
) -> None:
    draft = simple_draft_ready(applicant, workflow_catalogue["elder"])  # 李四 is under 60: no 秒批
    case = services.application_submit(user=applicant, application_id=draft.pk, now=NOW)
    services.application_accept(user=clerk, application_id=case.pk, now=LATER)

    services.application_step_pass(
        user=reviewer, application_id=case.pk, now=LATER, opinion="符合条件。"
    )
    services.application_approve(user=approver, application_id=case.pk, now=LATER)

    case.refresh_from_db()
    assert case.status == Status.APPROVED
