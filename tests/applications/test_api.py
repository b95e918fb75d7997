"""The applications API (/api/v1/): the citizen's drafts, uploads, submission and case, and one
POST per workflow transition for staff, with its permission matrix and OpenAPI schema."""

import io
import json
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

from accounts.models import User
from applications import services
from applications.api.views import CASE_ACTIONS
from applications.choices import EventKind, Status
from applications.models import Application, ApplicationMaterial
from matters.models import Matter
from tests.applications.conftest import draft_ready, pdf
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

NO_PERMISSION = "您没有执行该操作的权限。"


def api_as(user: User | None) -> APIClient:
    """An API client signed in as `user` (anonymous for None); CSRF is not enforced."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def snapshot(application: Application) -> tuple[Any, ...]:
    """What a refused request must leave unchanged."""
    application.refresh_from_db()
    return (
        application.status,
        application.step_index,
        application.assignee_id,
        application.extension_days,
        application.answers,
        application.events.count(),
        application.materials.count(),
        application.supplement_notices.count(),
    )


@pytest.fixture
def me(applicant: User) -> APIClient:
    return api_as(applicant)


@pytest.fixture
def food(workflow_catalogue: dict[str, Matter]) -> Matter:
    return workflow_catalogue["food"]


@pytest.fixture
def case_in(
    submitted: Callable[..., Application],
    applicant: User,
    clerk: User,
    reviewer: User,
    approver: User,
) -> Callable[[str], Application]:
    """Bring a food-licence case to a state through the services: RECEIVED, IN_REVIEW (at the
    review step), SUSPENDED, AT_DECISION (the 容缺 material caught up) or APPROVED."""

    def make(state: str) -> Application:
        now = timezone.now()
        application = submitted(now=now)
        pk = application.pk
        if state != "RECEIVED":
            services.application_accept(user=clerk, application_id=pk, now=now)
        if state == "SUSPENDED":
            services.application_suspend(
                user=reviewer,
                application_id=pk,
                now=now,
                kind="SITE_CHECK",
                reason="需要现场核查",
                expected_days=5,
            )
        if state in ("AT_DECISION", "APPROVED"):
            services.application_material_upload(
                user=applicant, application_id=pk, material_key="M04", file=pdf(), now=now
            )
            services.application_step_pass(
                user=reviewer, application_id=pk, now=now, opinion="符合条件。"
            )
        if state == "APPROVED":
            services.application_approve(user=approver, application_id=pk, now=now)
        application.refresh_from_db()
        return application

    return make


# --- the citizen's draft ------------------------------------------------------------------------


def test_creating_a_draft_twice_with_the_same_client_key_returns_the_same_draft(
    me: APIClient, food: Matter, applicant: User
) -> None:
    body = {"matter": food.implementation_code, "client_key": "retry-1"}

    first = me.post("/api/v1/applications/", body, format="json")
    second = me.post("/api/v1/applications/", body, format="json")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["status"] == "DRAFT"
    assert first.json()["reference"] is None
    assert Application.objects.filter(applicant=applicant).count() == 1


def test_a_draft_is_saved_with_patch(me: APIClient, food: Matter, applicant: User) -> None:
    draft = me.post("/api/v1/applications/", {"matter": food.implementation_code}).json()

    response = me.patch(
        f"/api/v1/applications/{draft['id']}/",
        {
            "situation": {"Q1": "Q1B"},
            "answers": {"shop_name": "好", "agent_name": "王代办"},
            "delivery_method": "MAIL",
            "delivery_address": "深圳市南山区科技园1号",
        },
        format="json",
    )

    body = response.json()
    assert response.status_code == 200
    assert body["situation"] == {"Q1": "Q1B"}
    assert body["answers"]["shop_name"] == "好"  # a draft keeps what was typed, unchecked
    assert body["answers"]["agent_name"] == "王代办"
    assert (body["delivery_method"], body["delivery_address"]) == ("MAIL", "深圳市南山区科技园1号")
    stored = Application.objects.get(pk=draft["id"])
    assert stored.answers["shop_name"] == "好"


def test_a_patch_with_an_unknown_delivery_method_is_refused_naming_the_field(
    me: APIClient, food: Matter
) -> None:
    draft = me.post("/api/v1/applications/", {"matter": food.implementation_code}).json()

    response = me.patch(
        f"/api/v1/applications/{draft['id']}/", {"delivery_method": "PIGEON"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["delivery_method"]
    assert Application.objects.get(pk=draft["id"]).delivery_method == "ELECTRONIC"


def test_a_material_is_uploaded_as_multipart(me: APIClient, food: Matter) -> None:
    draft = me.post("/api/v1/applications/", {"matter": food.implementation_code}).json()

    response = me.post(
        f"/api/v1/applications/{draft['id']}/materials/",
        {"material_key": "M01", "file": pdf("申请表.pdf")},
        format="multipart",
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["material_key"], body["material_name"], body["source"]) == (
        "M01",
        "申请表",
        "UPLOAD",
    )
    assert (body["original_name"], body["content_type"]) == ("申请表.pdf", "application/pdf")
    assert len(body["sha256"]) == 64
    assert ApplicationMaterial.objects.get().pk == body["id"]


def test_a_refused_upload_comes_back_400_with_the_reason_and_stores_nothing(
    me: APIClient, food: Matter
) -> None:
    draft = me.post("/api/v1/applications/", {"matter": food.implementation_code}).json()
    fake = SimpleUploadedFile("scan.pdf", b"<html><body>x</body></html>", "application/pdf")

    response = me.post(
        f"/api/v1/applications/{draft['id']}/materials/",
        {"material_key": "M01", "file": fake},
        format="multipart",
    )

    message = "只能上传 PDF、JPG、PNG 或 OFD 文件；该文件的内容是 HTML 网页或 XML 文本。"
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {"file": [message]}}
    assert ApplicationMaterial.objects.count() == 0


@pytest.mark.parametrize(
    ("key", "alternative", "status", "detail"),
    [
        ("M04", "DEFICIENCY", 201, None),
        ("M05", "COMMITMENT", 201, None),
        ("M01", "DEFICIENCY", 400, "这项材料不能容缺后补。"),
        ("M04", "COMMITMENT", 400, "这项材料不能以告知承诺代替。"),
    ],
)
def test_deficiency_and_commitment_are_chosen_with_alternative_where_allowed(
    me: APIClient, food: Matter, key: str, alternative: str, status: int, detail: str | None
) -> None:
    draft = me.post("/api/v1/applications/", {"matter": food.implementation_code}).json()

    response = me.post(
        f"/api/v1/applications/{draft['id']}/materials/",
        {"material_key": key, "alternative": alternative},
        format="json",
    )

    assert response.status_code == status
    if detail is None:
        assert response.json()["source"] == alternative
        assert ApplicationMaterial.objects.get().source == alternative
    else:
        assert response.json() == {"detail": detail}
        assert ApplicationMaterial.objects.count() == 0


def test_a_material_without_file_or_alternative_is_refused(me: APIClient, food: Matter) -> None:
    draft = me.post("/api/v1/applications/", {"matter": food.implementation_code}).json()

    response = me.post(
        f"/api/v1/applications/{draft['id']}/materials/", {"material_key": "M01"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"file": ["请选择要上传的文件。"]}


def test_submitting_twice_returns_the_same_reference(
    me: APIClient, applicant: User, food: Matter
) -> None:
    draft = draft_ready(applicant, food)

    first = me.post(f"/api/v1/applications/{draft.pk}/submit/")
    second = me.post(f"/api/v1/applications/{draft.pk}/submit/")

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["status"] == "RECEIVED"
    assert first.json()["reference"] == second.json()["reference"]
    assert Application.objects.get().reference == first.json()["reference"]
    assert draft.events.filter(kind=EventKind.SUBMITTED).count() == 1


def test_an_incomplete_submission_comes_back_400_with_errors_keyed_by_path(
    me: APIClient, food: Matter
) -> None:
    draft = me.post("/api/v1/applications/", {"matter": food.implementation_code}).json()
    me.patch(
        f"/api/v1/applications/{draft['id']}/",
        {"situation": {"Q1": "Q1A"}, "answers": {"shop_name": "好", "area": "0"}},
        format="json",
    )

    response = me.post(f"/api/v1/applications/{draft['id']}/submit/")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "申请还有未完成的内容，请按提示修改。",
        "errors": {
            "answers.shop_name": ["至少填写 2 个字。"],
            "answers.area": ["不能小于 1。"],
            "answers.category": ["请填写“经营类别”。"],
            "materials.M01": ["请提交“申请表”。"],
            "materials.M02": ["请提交“居民身份证”。"],
            "materials.M04": ["请提交“卫生检测报告”。"],
            "materials.M05": ["请提交“场所使用证明”。"],
        },
    }
    assert Application.objects.get(pk=draft["id"]).status == Status.DRAFT


# --- the citizen's cases ------------------------------------------------------------------------


def test_the_list_holds_only_my_applications(
    me: APIClient, other_citizen: User, food: Matter, submitted: Callable[..., Application]
) -> None:
    mine = submitted(timezone.now())
    draft_ready(other_citizen, food)

    response = me.get("/api/v1/applications/")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    assert [(a["id"], a["reference"], a["query_no"]) for a in body["results"]] == [
        (mine.pk, mine.reference, mine.query_no)
    ]
    assert (body["results"][0]["matter_name"], body["results"][0]["status_label"]) == (
        "食品经营许可",
        "已收件，待受理",
    )


def test_the_list_is_paginated_by_twenty(me: APIClient, applicant: User, food: Matter) -> None:
    for _ in range(21):
        services.application_draft_create(
            applicant=applicant, matter_id=food.pk, now=timezone.now()
        )

    first = me.get("/api/v1/applications/").json()
    second = me.get("/api/v1/applications/", {"page": 2}).json()

    assert (first["count"], len(first["results"]), first["previous"]) == (21, 20, None)
    assert first["next"] == "http://testserver/api/v1/applications/?page=2"
    assert (len(second["results"]), second["next"]) == (1, None)
    ids = [a["id"] for a in first["results"] + second["results"]]
    assert sorted(ids) == sorted(Application.objects.values_list("pk", flat=True))


def test_the_detail_has_the_timeline_and_a_masked_id_number(
    me: APIClient, applicant: User, case_in: Callable[[str], Application]
) -> None:
    application = case_in("IN_REVIEW")
    assert applicant.id_number

    response = me.get(f"/api/v1/applications/{application.pk}/")

    body = response.json()
    assert response.status_code == 200
    assert (
        body["applicant_id_number"]
        == applicant.id_number[:6] + "********" + (applicant.id_number[-4:])
    )
    assert body["applicant_name"] == "李*"
    assert [(e["title"], e["text"]) for e in body["timeline"]] == [
        ("提交申请", "您提交了申请，材料已接收。部门将在5个工作日内告知是否受理。"),
        ("受理", "部门已受理您的申请，开始审查。"),
    ]
    assert body["next_step"] == "部门正在审查，将在承诺办结期限前作出决定。"
    assert [m["material_key"] for m in body["materials"]] == ["M01", "M02", "M04", "M05"]


def test_the_detail_contains_no_full_id_number_or_mobile(
    me: APIClient, applicant: User, case_in: Callable[[str], Application]
) -> None:
    application = case_in("RECEIVED")
    assert applicant.id_number

    content = me.get(f"/api/v1/applications/{application.pk}/").content.decode()

    assert applicant.id_number not in content
    assert applicant.mobile not in content


def test_the_citizen_withdraws_through_the_api(
    me: APIClient, case_in: Callable[[str], Application]
) -> None:
    application = case_in("IN_REVIEW")

    response = me.post(
        f"/api/v1/applications/{application.pk}/withdraw/", {"reason": "不办了"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "WITHDRAWN"
    detail = me.get(f"/api/v1/applications/{application.pk}/").json()
    assert detail["timeline"][-1]["title"] == "申请人撤回申请"


def test_a_decided_case_cannot_be_withdrawn(
    me: APIClient, case_in: Callable[[str], Application]
) -> None:
    application = case_in("APPROVED")
    before = snapshot(application)

    response = me.post(f"/api/v1/applications/{application.pk}/withdraw/")

    assert response.status_code == 409
    assert "当前状态为“准予许可，待送达”" in response.json()["detail"]
    assert snapshot(application) == before


def test_the_citizen_answers_a_supplement_notice_through_the_api(
    me: APIClient, clerk: User, case_in: Callable[[str], Application]
) -> None:
    application = case_in("RECEIVED")
    services.application_supplement_request(
        user=clerk,
        application_id=application.pk,
        now=timezone.now(),
        items=[
            {"kind": "material", "key": "M02", "reason": "不清晰"},
            {"kind": "field", "key": "shop_name", "reason": "与执照不一致"},
        ],
    )
    url = f"/api/v1/applications/{application.pk}/supplement/"

    unlisted = me.post(url, {"answers": {"area": "90"}}, format="json")
    me.post(
        f"/api/v1/applications/{application.pk}/materials/",
        {"material_key": "M02", "file": pdf()},
        format="multipart",
    )
    done = me.post(url, {"answers": {"shop_name": "好味小馆二店"}}, format="json")

    assert unlisted.status_code == 400
    assert unlisted.json()["errors"] == {
        "answers.area": ["只能修改补正告知书中列明的内容。"],
        "materials.M02": ["请重新提交“居民身份证”。"],
    }
    assert done.status_code == 200
    assert done.json()["status"] == "RECEIVED"
    detail = me.get(f"/api/v1/applications/{application.pk}/").json()
    assert detail["answers"]["shop_name"] == "好味小馆二店"


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/api/v1/applications/{pk}/", None),
        ("patch", "/api/v1/applications/{pk}/", {"answers": {"shop_name": "篡改"}}),
        ("post", "/api/v1/applications/{pk}/materials/", {"material_key": "M04", "alternative": "DEFICIENCY"}),
        ("post", "/api/v1/applications/{pk}/submit/", None),
        ("post", "/api/v1/applications/{pk}/withdraw/", None),
        ("post", "/api/v1/applications/{pk}/supplement/", None),
    ],
    ids=["detail_case", "patch_case", "material_case", "submit_case", "withdraw_case", "supplement_case"],
)  # fmt: skip
def test_another_citizen_gets_404_on_my_application(
    other_citizen: User,
    applicant: User,
    food: Matter,
    method: str,
    path: str,
    data: dict[str, Any] | None,
) -> None:
    draft = draft_ready(applicant, food)
    before = snapshot(draft)

    response = getattr(api_as(other_citizen), method)(path.format(pk=draft.pk), data, format="json")

    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}
    assert snapshot(draft) == before


# --- staff actions --------------------------------------------------------------------------------

SUPPLEMENT = {"items": [{"kind": "material", "key": "M02", "reason": "身份证不清晰"}]}
SUSPEND = {"kind": "SITE_CHECK", "reason": "需要现场核查", "expected_days": 5}

# action, state before, the role that may act, body, status after, a role that may not, its message
ACTION_MATRIX: list[tuple[str, str, str, dict[str, Any], str, str, str]] = [
    ("claim", "RECEIVED", "clerk", {}, "RECEIVED", "reviewer", "该操作应由“窗口人员”办理。"),
    ("assign", "IN_REVIEW", "approver", {"assignee": "@reviewer"}, "IN_REVIEW", "clerk", NO_PERMISSION),
    ("accept", "RECEIVED", "clerk", {"opinion": "材料齐全。"}, "IN_REVIEW", "reviewer", NO_PERMISSION),
    ("not-accept", "RECEIVED", "clerk", {"kind": "OTHER", "reason": "不符合条件。"}, "NOT_ACCEPTED", "approver", NO_PERMISSION),
    ("request-supplement", "RECEIVED", "clerk", SUPPLEMENT, "SUPPLEMENT_REQUIRED", "reviewer", NO_PERMISSION),
    ("pass", "IN_REVIEW", "reviewer", {"opinion": "符合条件。"}, "IN_REVIEW", "approver", "该操作应由“审查人员”办理。"),
    ("send-back", "AT_DECISION", "approver", {"reason": "请补充核查。"}, "IN_REVIEW", "reviewer", NO_PERMISSION),
    ("suspend", "IN_REVIEW", "reviewer", SUSPEND, "SUSPENDED", "clerk", NO_PERMISSION),
    ("resume", "SUSPENDED", "reviewer", {"result": "核查通过。"}, "IN_REVIEW", "approver", "该操作应由“审查人员”办理。"),
    ("extend", "IN_REVIEW", "approver", {"days": 5, "reason": "情况复杂。"}, "IN_REVIEW", "reviewer", NO_PERMISSION),
    ("approve", "AT_DECISION", "approver", {}, "APPROVED", "reviewer", NO_PERMISSION),
    ("reject", "AT_DECISION", "approver", {"reason": "不符合条件。"}, "REJECTED", "clerk", NO_PERMISSION),
    ("deliver", "APPROVED", "clerk", {}, "COMPLETED", "approver", NO_PERMISSION),
    ("void", "RECEIVED", "supervisor", {"reason": "重复提交。"}, "VOID", "clerk", NO_PERMISSION),
]  # fmt: skip


def _body(request: pytest.FixtureRequest, body: dict[str, Any]) -> dict[str, Any]:
    """The body with "@name" replaced by the id of the user fixture `name`."""
    return {
        key: request.getfixturevalue(value[1:]).pk
        if isinstance(value, str) and value.startswith("@")
        else value
        for key, value in body.items()
    }


def test_the_matrix_covers_every_case_action() -> None:
    assert sorted(row[0] for row in ACTION_MATRIX) == sorted(CASE_ACTIONS)


@pytest.mark.parametrize(
    ("action", "state", "role", "body", "after", "_wrong", "_message"),
    ACTION_MATRIX,
    ids=[f"{row[0]}_case" for row in ACTION_MATRIX],
)
def test_each_action_by_the_right_role_answers_the_new_status(
    request: pytest.FixtureRequest,
    case_in: Callable[[str], Application],
    supervisor: User,
    action: str,
    state: str,
    role: str,
    body: dict[str, Any],
    after: str,
    _wrong: str,
    _message: str,
) -> None:
    application = case_in(state)
    events = application.events.count()

    response = api_as(request.getfixturevalue(role)).post(
        f"/api/v1/cases/{application.pk}/{action}/", _body(request, body), format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == after
    assert response.json()["id"] == application.pk
    application.refresh_from_db()
    assert application.status == after
    assert application.events.count() == events + 1


@pytest.mark.parametrize(
    ("action", "state", "_role", "body", "_after", "wrong", "message"),
    ACTION_MATRIX,
    ids=[f"{row[0]}_by_{row[5]}_case" for row in ACTION_MATRIX],
)
def test_each_action_by_a_wrong_role_is_refused_403_with_a_message(
    request: pytest.FixtureRequest,
    case_in: Callable[[str], Application],
    supervisor: User,
    action: str,
    state: str,
    _role: str,
    body: dict[str, Any],
    _after: str,
    wrong: str,
    message: str,
) -> None:
    application = case_in(state)
    before = snapshot(application)

    response = api_as(request.getfixturevalue(wrong)).post(
        f"/api/v1/cases/{application.pk}/{action}/", _body(request, body), format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": message}
    assert snapshot(application) == before


@pytest.mark.parametrize("who", ["outsider", "applicant"], ids=["other_department", "citizen"])
@pytest.mark.parametrize(
    ("action", "state", "body"),
    [(row[0], row[1], row[3]) for row in ACTION_MATRIX],
    ids=[f"{row[0]}_case" for row in ACTION_MATRIX],
)
def test_each_action_is_404_for_another_department_and_for_citizens(
    request: pytest.FixtureRequest,
    case_in: Callable[[str], Application],
    action: str,
    state: str,
    body: dict[str, Any],
    who: str,
) -> None:
    application = case_in(state)
    before = snapshot(application)

    response = api_as(request.getfixturevalue(who)).post(
        f"/api/v1/cases/{application.pk}/{action}/", _body(request, body), format="json"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}
    assert snapshot(application) == before


def test_staff_cannot_act_on_a_draft(clerk: User, applicant: User, food: Matter) -> None:
    draft = draft_ready(applicant, food)

    response = api_as(clerk).post(f"/api/v1/cases/{draft.pk}/accept/")

    assert response.status_code == 404
    assert Application.objects.get(pk=draft.pk).status == Status.DRAFT


@pytest.mark.parametrize(
    ("action", "state", "role", "body", "detail"),
    [
        ("accept", "IN_REVIEW", "clerk", {}, "该办件已由Clerk于"),
        ("request-supplement", "IN_REVIEW", "clerk", SUPPLEMENT, "当前状态为“已受理，审查中”"),
        ("deliver", "IN_REVIEW", "clerk", {}, "当前状态为“已受理，审查中”"),
        ("pass", "RECEIVED", "reviewer", {"opinion": "同意。"}, "当前状态为“已收件，待受理”"),
        ("suspend", "SUSPENDED", "reviewer", SUSPEND, "当前状态为“特别程序中”"),
        ("resume", "IN_REVIEW", "reviewer", {"result": "结束。"}, "当前状态为“已受理，审查中”"),
        ("approve", "APPROVED", "approver", {}, "当前状态为“准予许可，待送达”"),
        ("void", "COMPLETED", "supervisor", {"reason": "误录。"}, "当前状态为“已办结”"),
        ("claim", "COMPLETED", "approver", {}, "当前状态为“已办结”"),
    ],
    ids=[
        "stale_accept_case",
        "supplement_after_acceptance_case",
        "deliver_before_decision_case",
        "pass_before_acceptance_case",
        "suspend_twice_case",
        "resume_without_procedure_case",
        "approve_twice_case",
        "void_completed_case",
        "claim_completed_case",
    ],
)
def test_an_action_not_allowed_in_the_current_state_is_409_and_changes_nothing(
    request: pytest.FixtureRequest,
    case_in: Callable[[str], Application],
    supervisor: User,
    clerk: User,
    action: str,
    state: str,
    role: str,
    body: dict[str, Any],
    detail: str,
) -> None:
    application = case_in("APPROVED" if state == "COMPLETED" else state)
    if state == "COMPLETED":
        services.application_deliver(user=clerk, application_id=application.pk, now=timezone.now())
    before = snapshot(application)

    response = api_as(request.getfixturevalue(role)).post(
        f"/api/v1/cases/{application.pk}/{action}/", body, format="json"
    )

    assert response.status_code == 409
    assert list(response.json()) == ["detail"]
    assert detail in response.json()["detail"]
    assert snapshot(application) == before


def test_a_clerk_claiming_a_case_a_colleague_completed_gets_409(
    case_in: Callable[[str], Application], clerk: User, clerk2: User
) -> None:
    application = case_in("APPROVED")
    services.application_deliver(user=clerk2, application_id=application.pk, now=timezone.now())
    before = snapshot(application)

    response = api_as(clerk).post(f"/api/v1/cases/{application.pk}/claim/")

    assert response.status_code == 409
    assert "该办件已由Clerk2于" in response.json()["detail"]
    assert snapshot(application) == before


def test_approving_while_a_deficiency_material_is_owed_is_409(
    case_in: Callable[[str], Application], reviewer: User, approver: User
) -> None:
    application = case_in("IN_REVIEW")
    services.application_step_pass(
        user=reviewer, application_id=application.pk, now=timezone.now(), opinion="同意。"
    )
    before = snapshot(application)

    response = api_as(approver).post(f"/api/v1/cases/{application.pk}/approve/")

    assert response.status_code == 409
    assert response.json() == {"detail": "容缺材料尚未补齐（卫生检测报告），暂不能作出决定。"}
    assert snapshot(application) == before


def test_extending_twice_is_409(case_in: Callable[[str], Application], approver: User) -> None:
    application = case_in("IN_REVIEW")
    url = f"/api/v1/cases/{application.pk}/extend/"
    api_as(approver).post(url, {"days": 5, "reason": "情况复杂。"}, format="json")
    before = snapshot(application)

    response = api_as(approver).post(url, {"days": 3, "reason": "还需时间。"}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "每个办件只能延长一次办理期限，本件已经延长过。"}
    assert snapshot(application) == before


def test_extending_a_case_before_acceptance_is_409(
    case_in: Callable[[str], Application], approver: User
) -> None:
    application = case_in("RECEIVED")
    before = snapshot(application)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(approver)

    response = client.post(
        f"/api/v1/cases/{application.pk}/extend/", {"days": 5, "reason": "复杂。"}, format="json"
    )

    assert response.status_code == 409
    assert snapshot(application) == before


def test_the_second_of_two_clerks_accepting_gets_409_naming_the_first(
    case_in: Callable[[str], Application], clerk: User, clerk2: User
) -> None:
    application = case_in("RECEIVED")
    url = f"/api/v1/cases/{application.pk}/accept/"
    first = api_as(clerk).post(url)
    before = snapshot(application)

    second = api_as(clerk2).post(url)

    assert first.status_code == 200
    assert second.status_code == 409
    detail = second.json()["detail"]
    assert detail.startswith("该办件已由Clerk于")
    assert "（受理），当前状态为“已受理，审查中”，请刷新后查看。" in detail
    assert snapshot(application) == before
    assert application.events.filter(kind=EventKind.ACCEPTED).count() == 1


def test_a_refused_action_with_a_missing_reason_is_400_naming_the_field(
    case_in: Callable[[str], Application], clerk: User
) -> None:
    application = case_in("RECEIVED")
    before = snapshot(application)

    response = api_as(clerk).post(
        f"/api/v1/cases/{application.pk}/not-accept/", {"kind": "OTHER"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "请写明不予受理的理由。",
        "errors": {"reason": ["请写明不予受理的理由。"]},
    }
    assert snapshot(application) == before


# --- authentication and the schema ---------------------------------------------------------------

CITIZEN_ENDPOINTS = [
    ("get", "/api/v1/applications/"),
    ("post", "/api/v1/applications/"),
    ("get", "/api/v1/applications/{pk}/"),
    ("patch", "/api/v1/applications/{pk}/"),
    ("post", "/api/v1/applications/{pk}/materials/"),
    ("post", "/api/v1/applications/{pk}/submit/"),
    ("post", "/api/v1/applications/{pk}/withdraw/"),
    ("post", "/api/v1/applications/{pk}/supplement/"),
]
CASE_ENDPOINTS = [("post", f"/api/v1/cases/{{pk}}/{action}/") for action in CASE_ACTIONS]


@pytest.mark.parametrize(
    ("method", "path"),
    CITIZEN_ENDPOINTS + CASE_ENDPOINTS,
    ids=[f"{m}_{p}" for m, p in CITIZEN_ENDPOINTS + CASE_ENDPOINTS],
)
def test_anonymous_requests_are_refused_403(
    case_in: Callable[[str], Application], method: str, path: str
) -> None:
    application = case_in("RECEIVED")
    before = snapshot(application)

    response = getattr(api_as(None), method)(path.format(pk=application.pk), {}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "身份认证信息未提供。"}
    assert snapshot(application) == before
    assert Application.objects.count() == 1


def test_a_session_post_without_the_csrf_token_is_refused_403(
    applicant: User, food: Matter
) -> None:
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, applicant)

    response = browser.post(
        "/api/v1/applications/",
        json.dumps({"matter": food.implementation_code}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Application.objects.count() == 0


def test_the_openapi_schema_builds_without_warnings_and_has_the_case_actions(db: None) -> None:
    GENERATOR_STATS.reset()
    out = io.StringIO()

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out
    )

    paths = json.loads(out.getvalue())["paths"]
    assert "post" in paths["/api/v1/cases/{id}/accept/"]
    assert {f"/api/v1/cases/{{id}}/{action}/" for action in CASE_ACTIONS} <= set(paths)
    assert set(paths["/api/v1/applications/{id}/"]) == {"get", "patch"}
