"""Applying: drafts, answers, materials, submission online and at the window (DOMAIN §6.1, §6.2)."""

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from accounts.models import User
from applications import services
from applications.choices import Channel, EventKind, MaterialSource, Status
from applications.models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    ReferenceCounter,
)
from applications.permissions import access_application_for_applicant
from applications.services import SubmissionIncompleteError, WalkIn
from applications.uploads import UploadRefused
from core.errors import DomainError
from matters.models import Matter
from matters.services import matter_retire
from tests.applications.conftest import (
    GOOD_ANSWERS,
    NOW,
    PDF,
    _valid_id,
    case_state,
    draft_ready,
    event_kinds,
    matter_import,
    pdf,
    shared,
    simple_draft_ready,
    stored_uploads,
)

pytestmark = pytest.mark.django_db

# Built once for this module (see conftest.shared).
workflow_catalogue = shared("workflow_catalogue")
applicant = shared("applicant")
elder_applicant = shared("elder_applicant")
other_citizen = shared("other_citizen")
clerk = shared("clerk")
reviewer = shared("reviewer")
outsider = shared("outsider")
inactive_clerk = shared("inactive_clerk")

INCOMPLETE = "申请还有未完成的内容，请按提示修改。"
WALK_IN_ID = _valid_id("19800101")


def submit_refused(applicant: User, application_id: int) -> SubmissionIncompleteError:
    """Submit, expecting a refusal that changes nothing; return the refusal."""
    before = case_state(application_id)
    with pytest.raises(SubmissionIncompleteError) as refused:
        services.application_submit(user=applicant, application_id=application_id, now=NOW)
    assert case_state(application_id) == before
    assert refused.value.message == INCOMPLETE
    return refused.value


def rows() -> dict[str, int]:
    """Row counts of everything a filing writes."""
    return {
        "applications": Application.objects.count(),
        "materials": ApplicationMaterial.objects.count(),
        "events": ApplicationEvent.objects.count(),
        "counters": ReferenceCounter.objects.count(),
    }


# --- drafts -----------------------------------------------------------------------------------


def test_a_draft_is_prefilled_from_the_applicants_identity(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food = workflow_catalogue["food"]

    draft = services.application_draft_create(applicant=applicant, matter_id=food.pk, now=NOW)

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert (draft.reference, draft.query_no, draft.received_at) == (None, None, None)
    assert draft.answers == {
        "name": "李四",
        "id_number": applicant.id_number,
        "mobile": "13900139000",
    }
    assert (draft.applicant_name, draft.applicant_id_number, draft.applicant_mobile) == (
        "李四",
        applicant.id_number,
        "13900139000",
    )
    assert (draft.applicant, draft.filed_by, draft.channel) == (
        applicant,
        applicant,
        Channel.ONLINE,
    )
    assert (draft.version_id, draft.department_id) == (food.current_version_id, food.department_id)
    assert (draft.delivery_method, draft.step_count) == ("ELECTRONIC", 2)
    assert event_kinds(draft.pk) == []


def test_a_staff_account_cannot_start_a_draft(
    clerk: User, workflow_catalogue: dict[str, Matter]
) -> None:
    with pytest.raises(DomainError) as refused:
        services.application_draft_create(
            applicant=clerk, matter_id=workflow_catalogue["food"].pk, now=NOW
        )

    assert refused.value.message == "请使用实名认证的个人账户申请。"
    assert Application.objects.count() == 0


def test_a_matter_not_offered_online_cannot_be_applied_for_online(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    offline = matter_import("11007000", "仅窗口办理事项", is_online=False, online_depth="1")

    with pytest.raises(DomainError) as refused:
        services.application_draft_create(applicant=applicant, matter_id=offline.pk, now=NOW)

    assert refused.value.message == "该事项暂不支持网上办理，请到办事窗口申请。"
    assert Application.objects.count() == 0


def test_a_retired_matter_cannot_be_started(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food = workflow_catalogue["food"]
    matter_retire(matter_id=food.pk, by=None, now=NOW, reason="职能调整")

    with pytest.raises(DomainError) as refused:
        services.application_draft_create(applicant=applicant, matter_id=food.pk, now=NOW)

    assert refused.value.message == "该事项已停用或尚未发布，暂不能申请。"
    assert Application.objects.count() == 0


def test_the_same_client_key_returns_the_same_draft(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food = workflow_catalogue["food"]
    first = services.application_draft_create(
        applicant=applicant, matter_id=food.pk, now=NOW, client_key="tab-1"
    )

    again = services.application_draft_create(
        applicant=applicant, matter_id=food.pk, now=NOW, client_key="tab-1"
    )
    other = services.application_draft_create(
        applicant=applicant, matter_id=food.pk, now=NOW, client_key="tab-2"
    )

    assert again.pk == first.pk
    assert other.pk != first.pk
    assert Application.objects.filter(applicant=applicant).count() == 2


def test_a_draft_update_keeps_unknown_questions_options_fields_and_methods_out(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = services.application_draft_create(
        applicant=applicant, matter_id=workflow_catalogue["food"].pk, now=NOW
    )

    services.application_draft_update(
        user=applicant,
        application_id=draft.pk,
        now=NOW,
        situation={"Q1": "Q1B", "Q9": "Q9A"},
        answers={"shop_name": "  好味小馆  ", "salary": "100000", "is_admin": True},
        delivery_method="PIGEON",
        delivery_address="  深圳市南山区科技园  ",
    )

    draft.refresh_from_db()
    assert draft.situation == {"Q1": "Q1B"}
    assert draft.answers == {
        "name": "李四",
        "id_number": applicant.id_number,
        "mobile": "13900139000",
        "shop_name": "好味小馆",
    }
    assert (draft.delivery_method, draft.delivery_address) == ("", "深圳市南山区科技园")


def test_a_draft_update_drops_an_unknown_option_of_a_known_question(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])

    services.application_draft_update(
        user=applicant, application_id=draft.pk, now=NOW, situation={"Q1": "Q1Z"}
    )

    draft.refresh_from_db()
    assert draft.situation == {}


def test_another_citizen_cannot_update_a_draft(
    applicant: User, other_citizen: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    before = case_state(draft.pk)

    with pytest.raises(Application.DoesNotExist):
        services.application_draft_update(
            user=other_citizen, application_id=draft.pk, now=NOW, answers={"shop_name": "冒名"}
        )

    assert case_state(draft.pk) == before


# --- submitting: everything missing at once ------------------------------------------------------


def test_submitting_reports_every_missing_answer_material_and_the_delivery_at_once(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = services.application_draft_create(
        applicant=applicant, matter_id=workflow_catalogue["food"].pk, now=NOW
    )
    services.application_draft_update(
        user=applicant,
        application_id=draft.pk,
        now=NOW,
        situation={"Q1": "Q1A"},
        delivery_method="",
    )

    refused = submit_refused(applicant, draft.pk)

    assert refused.errors == {
        "answers.shop_name": ["请填写“店铺名称”。"],
        "answers.area": ["请填写“经营面积（平方米）”。"],
        "answers.category": ["请填写“经营类别”。"],
        "materials.M01": ["请提交“申请表”。"],
        "materials.M02": ["请提交“居民身份证”。"],
        "materials.M04": ["请提交“卫生检测报告”。"],
        "materials.M05": ["请提交“场所使用证明”。"],
        "delivery_method": ["请选择结果送达方式。"],
    }


def test_submitting_with_nothing_filled_in_reports_the_situation_and_every_material_at_once(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = services.application_draft_create(
        applicant=applicant, matter_id=workflow_catalogue["food"].pk, now=NOW
    )
    services.application_draft_update(
        user=applicant, application_id=draft.pk, now=NOW, delivery_method=""
    )

    refused = submit_refused(applicant, draft.pk)

    assert refused.errors == {
        "situation.Q1": ["请回答：由谁办理？"],
        "answers.shop_name": ["请填写“店铺名称”。"],
        "answers.area": ["请填写“经营面积（平方米）”。"],
        "answers.category": ["请填写“经营类别”。"],
        "materials.M01": ["请提交“申请表”。"],
        "materials.M02": ["请提交“居民身份证”。"],
        "materials.M04": ["请提交“卫生检测报告”。"],
        "materials.M05": ["请提交“场所使用证明”。"],
        "delivery_method": ["请选择结果送达方式。"],
    }


@pytest.mark.parametrize(
    ("method", "address", "errors"),
    [
        pytest.param("MAIL", "", {"delivery_address": ["请填写邮寄地址。"]}, id="mail-no-address"),
        pytest.param("MAIL", "   ", {"delivery_address": ["请填写邮寄地址。"]}, id="mail-blank"),
        pytest.param("", "", {"delivery_method": ["请选择结果送达方式。"]}, id="no-method"),
    ],
)
def test_the_delivery_must_be_complete(
    applicant: User,
    workflow_catalogue: dict[str, Matter],
    method: str,
    address: str,
    errors: dict[str, list[str]],
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    services.application_draft_update(
        user=applicant,
        application_id=draft.pk,
        now=NOW,
        delivery_method=method,
        delivery_address=address,
    )

    refused = submit_refused(applicant, draft.pk)

    assert refused.errors == errors


def test_mail_is_refused_for_a_matter_that_does_not_post_results(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    no_post = matter_import("11008000", "不邮寄结果的事项", supports_express=False)
    draft = simple_draft_ready(applicant, no_post)
    services.application_draft_update(
        user=applicant,
        application_id=draft.pk,
        now=NOW,
        delivery_method="MAIL",
        delivery_address="深圳市南山区科技园",
    )

    refused = submit_refused(applicant, draft.pk)

    assert refused.errors == {"delivery_method": ["该事项不支持邮寄送达，请选择其他方式。"]}


# --- submitting: one check per field type ---------------------------------------------------------

WRONG_CHECK_DIGIT = _valid_id("19900307")[:-1] + ("0" if _valid_id("19900307")[-1] != "0" else "1")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        pytest.param("area", "abc", "请填写数字。", id="number-not-a-number"),
        pytest.param("area", "NaN", "请填写数字。", id="number-nan"),
        pytest.param("area", "Infinity", "请填写数字。", id="number-infinity"),
        pytest.param("area", "0", "不能小于 1。", id="number-below-min"),
        pytest.param(
            "area",
            "10001",
            "不能大于 10000。",
            id="number-above-max",
        ),
        pytest.param("category", "火锅", "请从选项中选择一项。", id="choice-unknown"),
        pytest.param(
            "open_on", "2025/06/01", "请按“年-月-日”填写日期，例如 2026-03-01。", id="date-slashes"
        ),
        pytest.param(
            "open_on",
            "2025-02-30",
            "请按“年-月-日”填写日期，例如 2026-03-01。",
            id="date-no-such-day",
        ),
        pytest.param("id_number", "11010519900307123", "公民身份号码应为18位。", id="id-17-digits"),
        pytest.param(
            "id_number",
            WRONG_CHECK_DIGIT,
            "公民身份号码无效：出生日期或校验位不正确。",
            id="id-wrong-check-digit",
        ),
        pytest.param(
            "id_number",
            "110105199002301238",
            "公民身份号码无效：出生日期或校验位不正确。",
            id="id-no-such-birth-date",
        ),
        pytest.param(
            "mobile", "12345678901", "手机号码应为以 1 开头的 11 位数字。", id="mobile-bad-prefix"
        ),
        pytest.param(
            "mobile", "1390013900", "手机号码应为以 1 开头的 11 位数字。", id="mobile-10-digits"
        ),
        pytest.param("shop_name", "好", "至少填写 2 个字。", id="text-too-short"),
        pytest.param("shop_name", "好" * 31, "最多填写 30 个字。", id="text-too-long"),
        pytest.param("shop_name", "", "请填写“店铺名称”。", id="text-required"),
        pytest.param("id_number", "", "请填写“公民身份号码”。", id="prefilled-field-cleared"),
    ],
)
def test_each_field_type_is_checked_with_a_message_for_the_citizen(
    applicant: User, workflow_catalogue: dict[str, Matter], field: str, value: str, message: str
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    services.application_draft_update(
        user=applicant, application_id=draft.pk, now=NOW, answers={field: value}
    )

    refused = submit_refused(applicant, draft.pk)

    assert refused.errors == {f"answers.{field}": [message]}


PATTERN_FIELDS: list[dict[str, Any]] = [
    {
        "key": "plate",
        "order": 1,
        "label": "车牌号码",
        "field_type": "TEXT",
        "pattern": "粤B[0-9A-Z]{5}",
        "pattern_message": "请填写深圳的车牌号码，例如 粤B12345。",
    },
    {"key": "door", "order": 2, "label": "门牌编码", "field_type": "TEXT", "pattern": "[0-9]{4}"},
]


@pytest.mark.parametrize(
    ("answers", "errors"),
    [
        pytest.param({"plate": "粤B12345", "door": "0123"}, {}, id="both-match"),
        pytest.param(
            {"plate": "京A12345", "door": "0123"},
            {"answers.plate": ["请填写深圳的车牌号码，例如 粤B12345。"]},
            id="own-message",
        ),
        pytest.param(
            {"plate": "粤B12345", "door": "12a4"},
            {"answers.door": ["格式不正确。"]},
            id="default-message",
        ),
        pytest.param(
            {"plate": "粤B123456", "door": "01234"},
            {
                "answers.plate": ["请填写深圳的车牌号码，例如 粤B12345。"],
                "answers.door": ["格式不正确。"],
            },
            id="whole-value-must-match",
        ),
    ],
)
def test_a_text_field_with_a_pattern_must_match_it_whole(
    applicant: User,
    workflow_catalogue: dict[str, Matter],
    answers: dict[str, str],
    errors: dict[str, list[str]],
) -> None:
    matter = matter_import("11009000", "车辆登记", form_fields=PATTERN_FIELDS)
    draft = simple_draft_ready(applicant, matter, answers=answers)

    if errors:
        assert submit_refused(applicant, draft.pk).errors == errors
    else:
        case = services.application_submit(user=applicant, application_id=draft.pk, now=NOW)
        assert case.status == Status.RECEIVED


def test_valid_answers_are_stored_normalised_at_submission(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    services.application_draft_update(
        user=applicant,
        application_id=draft.pk,
        now=NOW,
        answers={"area": "080.50", "open_on": "2025-07-01", "id_number": "11010519491231002x"},
    )

    case = services.application_submit(user=applicant, application_id=draft.pk, now=NOW)

    case.refresh_from_db()
    assert case.answers == {
        "name": "李四",
        "id_number": "11010519491231002X",
        "mobile": "13900139000",
        **GOOD_ANSWERS,
        "area": "80.5",
        "open_on": "2025-07-01",
    }


# --- which questions and materials the situation asks for -----------------------------------------


@pytest.mark.parametrize(
    ("situation", "agent_name", "errors", "stored_agent"),
    [
        pytest.param("Q1A", "", {}, None, id="self-without-agent"),
        pytest.param("Q1A", "王代办", {}, None, id="self-agent-answer-dropped"),
        pytest.param("Q1B", "王代办", {}, "王代办", id="agent-named"),
        pytest.param(
            "Q1B",
            "",
            {"answers.agent_name": ["请填写“受托人姓名”。"]},
            None,
            id="agent-missing",
        ),
    ],
)
def test_the_agent_name_is_asked_only_when_someone_applies_for_another(
    applicant: User,
    workflow_catalogue: dict[str, Matter],
    situation: str,
    agent_name: str,
    errors: dict[str, list[str]],
    stored_agent: str | None,
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"], situation=situation)
    services.application_draft_update(
        user=applicant, application_id=draft.pk, now=NOW, answers={"agent_name": agent_name}
    )

    if errors:
        assert submit_refused(applicant, draft.pk).errors == errors
    else:
        case = services.application_submit(user=applicant, application_id=draft.pk, now=NOW)
        case.refresh_from_db()
        assert case.status == Status.RECEIVED
        assert case.answers.get("agent_name") == stored_agent


def test_an_agent_must_provide_the_power_of_attorney_the_situation_asks_for(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"], situation="Q1A")
    services.application_draft_update(
        user=applicant, application_id=draft.pk, now=NOW, situation={"Q1": "Q1B"}
    )

    refused = submit_refused(applicant, draft.pk)

    assert refused.errors == {"materials.M03": ["请提交“授权委托书”。"]}


# --- submitting: the case, its numbers, idempotency -----------------------------------------------


def test_submitting_receives_the_case_with_a_reference_and_the_intake_clock(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food = workflow_catalogue["food"]
    draft = draft_ready(applicant, food)

    case = services.application_submit(user=applicant, application_id=draft.pk, now=NOW)

    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert case.reference == f"{food.implementation_code}20250611000001"
    assert len(case.reference) == 45
    assert re.fullmatch(r"250611\d{6}", case.query_no or "")
    assert case.received_at == NOW
    assert case.intake_deadline == dt.datetime(2025, 6, 18, 23, 59, 59, tzinfo=NOW.tzinfo)
    event = case.events.get()
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        EventKind.SUBMITTED,
        applicant,
        Status.DRAFT,
        Status.RECEIVED,
    )


def test_submitting_twice_returns_the_same_case_with_one_reference_and_one_event(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    first = services.application_submit(user=applicant, application_id=draft.pk, now=NOW)

    again = services.application_submit(
        user=applicant, application_id=draft.pk, now=NOW + dt.timedelta(seconds=2)
    )

    assert (again.pk, again.reference, again.received_at) == (
        first.pk,
        first.reference,
        first.received_at,
    )
    assert event_kinds(draft.pk) == [EventKind.SUBMITTED]
    assert list(ReferenceCounter.objects.values_list("last", flat=True)) == [1]


def test_cases_of_one_matter_and_day_are_numbered_in_sequence_and_each_matter_and_day_restarts(
    applicant: User, elder_applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food, immediate = workflow_catalogue["food"], workflow_catalogue["immediate"]
    first_draft, second_draft = draft_ready(applicant, food), draft_ready(elder_applicant, food)
    other_draft = simple_draft_ready(applicant, immediate)
    next_day = NOW + dt.timedelta(days=1)
    next_day_draft = draft_ready(applicant, food, now=next_day)

    first = services.application_submit(user=applicant, application_id=first_draft.pk, now=NOW)
    second = services.application_submit(
        user=elder_applicant, application_id=second_draft.pk, now=NOW
    )
    other = services.application_submit(user=applicant, application_id=other_draft.pk, now=NOW)
    tomorrow = services.application_submit(
        user=applicant, application_id=next_day_draft.pk, now=next_day
    )

    code = food.implementation_code
    assert (first.reference, second.reference) == (
        f"{code}20250611000001",
        f"{code}20250611000002",
    )
    assert other.reference == f"{immediate.implementation_code}20250611000001"
    assert tomorrow.reference == f"{code}20250612000001"
    assert re.fullmatch(r"250612\d{6}", tomorrow.query_no or "")
    query_numbers = {c.query_no for c in (first, second, other, tomorrow)}
    assert len(query_numbers) == 4


def test_a_draft_of_a_matter_retired_since_cannot_be_submitted(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food = workflow_catalogue["food"]
    draft = draft_ready(applicant, food)
    matter_retire(matter_id=food.pk, by=None, now=NOW, reason="职能调整")
    before = case_state(draft.pk)

    with pytest.raises(DomainError) as refused:
        services.application_submit(user=applicant, application_id=draft.pk, now=NOW)

    assert refused.value.message == "该事项已停用，暂不能申请。"
    assert case_state(draft.pk) == before
    assert ReferenceCounter.objects.count() == 0


def test_another_citizen_cannot_submit_a_draft(
    applicant: User, other_citizen: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    before = case_state(draft.pk)

    with pytest.raises(Application.DoesNotExist):
        services.application_submit(user=other_citizen, application_id=draft.pk, now=NOW)

    assert case_state(draft.pk) == before


# --- 容缺 and 告知承诺 ------------------------------------------------------------------------------

COMMITMENT_TEXT = (
    "本人承诺符合“场所使用证明”所证明的条件，所填报信息真实、准确；"
    "如有虚假，愿意承担相应法律责任，并接受撤销相关决定的处理。"
)


@pytest.mark.parametrize(
    ("material", "source", "commitment"),
    [
        pytest.param("M04", MaterialSource.DEFICIENCY, "", id="deficiency-where-allowed"),
        pytest.param("M05", MaterialSource.COMMITMENT, COMMITMENT_TEXT, id="commitment-allowed"),
    ],
)
def test_a_material_may_be_owed_or_committed_where_the_matter_allows_it(
    applicant: User,
    workflow_catalogue: dict[str, Matter],
    material: str,
    source: str,
    commitment: str,
) -> None:
    draft = services.application_draft_create(
        applicant=applicant, matter_id=workflow_catalogue["food"].pk, now=NOW
    )

    row = services.application_material_choose(
        user=applicant, application_id=draft.pk, material_key=material, source=source, now=NOW
    )

    row.refresh_from_db()
    assert (row.material_key, row.source, row.commitment_text, row.file.name, row.due_on) == (
        material,
        source,
        commitment,
        "",
        None,
    )
    assert (row.provided_by, row.provided_at) == (applicant, NOW)


@pytest.mark.parametrize(
    ("material", "source", "message"),
    [
        pytest.param("M01", "DEFICIENCY", "这项材料不能容缺后补。", id="deficiency-required"),
        pytest.param(
            "M05", "DEFICIENCY", "这项材料不能容缺后补。", id="deficiency-commitment-only"
        ),
        pytest.param(
            "M04", "COMMITMENT", "这项材料不能以告知承诺代替。", id="commitment-deficiency-only"
        ),
        pytest.param("M01", "COMMITMENT", "这项材料不能以告知承诺代替。", id="commitment-required"),
        pytest.param(
            "M01",
            "UPLOAD",
            "请上传这项材料，或在允许时选择容缺后补、告知承诺。",
            id="upload-is-not-a-choice",
        ),
        pytest.param(
            "M01", "FAX", "请上传这项材料，或在允许时选择容缺后补、告知承诺。", id="unknown-source"
        ),
        pytest.param("M99", "DEFICIENCY", "该事项没有这项材料。", id="unknown-material"),
        pytest.param(
            "M01",
            "PAPER",
            "请上传这项材料，或在允许时选择容缺后补、告知承诺。",
            id="paper-claimed-online",
        ),
    ],
)
def test_owing_or_committing_a_material_is_refused_where_the_matter_does_not_allow_it(
    applicant: User, workflow_catalogue: dict[str, Matter], material: str, source: str, message: str
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    before = case_state(draft.pk)

    with pytest.raises(DomainError) as refused:
        services.application_material_choose(
            user=applicant, application_id=draft.pk, material_key=material, source=source, now=NOW
        )

    assert refused.value.message == message
    assert case_state(draft.pk) == before


@pytest.mark.parametrize("change", ["update", "choose"])
def test_the_draft_cannot_be_changed_once_the_application_is_submitted(
    applicant: User, submitted: Callable[..., Application], change: str
) -> None:
    case = submitted()
    before = case_state(case.pk)

    calls: dict[str, Callable[[], object]] = {
        "update": lambda: services.application_draft_update(
            user=applicant, application_id=case.pk, now=NOW, answers={"area": "90"}
        ),
        "choose": lambda: services.application_material_choose(
            user=applicant, application_id=case.pk, material_key="M04", source="DEFICIENCY", now=NOW
        ),
    }

    with pytest.raises(DomainError) as refused:
        calls[change]()

    assert refused.value.message == "申请已提交，不能再修改草稿。"
    assert case_state(case.pk) == before


# --- uploads ----------------------------------------------------------------------------------


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("scan.pdf", PDF)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "limit", "code", "message"),
    [
        pytest.param(b"", None, "empty", "文件是空的，请重新选择文件。", id="empty"),
        pytest.param(
            b"just some text, not a scan",
            None,
            "type_not_allowed",
            "只能上传 PDF、JPG、PNG 或 OFD 文件；无法识别该文件的格式。",
            id="text",
        ),
        pytest.param(
            _zip(),
            None,
            "type_not_allowed",
            "只能上传 PDF、JPG、PNG 或 OFD 文件；该文件的内容是 ZIP 压缩包。",
            id="zip",
        ),
        pytest.param(
            b"%PDF garbage without a version",
            None,
            "damaged",
            "该文件不是有效的 PDF 文件，请重新导出后上传。",
            id="damaged-pdf",
        ),
        pytest.param(PDF, 64, "too_large", "文件超过 64 字节，请压缩后重新上传。", id="too-big"),
    ],
)
def test_a_refused_upload_stores_no_file_and_no_row(
    applicant: User,
    workflow_catalogue: dict[str, Matter],
    media_root: Path,
    settings: Settings,
    content: bytes,
    limit: int | None,
    code: str,
    message: str,
) -> None:
    if limit is not None:
        settings.UPLOAD_MAX_BYTES = limit
    draft = services.application_draft_create(
        applicant=applicant, matter_id=workflow_catalogue["food"].pk, now=NOW
    )
    before = case_state(draft.pk)

    with pytest.raises(UploadRefused) as refused:
        services.application_material_upload(
            user=applicant,
            application_id=draft.pk,
            material_key="M01",
            file=SimpleUploadedFile("scan.pdf", content),
            now=NOW,
        )

    assert (refused.value.code, refused.value.message) == (code, message)
    assert case_state(draft.pk) == before
    assert stored_uploads(media_root) == []


def test_a_refused_replacement_keeps_the_material_provided_before(
    applicant: User, workflow_catalogue: dict[str, Matter], media_root: Path
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    files = stored_uploads(media_root)
    before = case_state(draft.pk)

    with pytest.raises(UploadRefused):
        services.application_material_upload(
            user=applicant,
            application_id=draft.pk,
            material_key="M01",
            file=SimpleUploadedFile("empty.pdf", b""),
            now=NOW,
        )

    assert case_state(draft.pk) == before
    assert stored_uploads(media_root) == files
    assert len(files) == 2


def test_replacing_an_upload_in_a_draft_deletes_the_old_file_after_commit(
    applicant: User,
    workflow_catalogue: dict[str, Matter],
    media_root: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    old = ApplicationMaterial.objects.get(application=draft, material_key="M01")

    with django_capture_on_commit_callbacks(execute=True):
        new = services.application_material_upload(
            user=applicant, application_id=draft.pk, material_key="M01", file=pdf(), now=NOW
        )

    assert not ApplicationMaterial.objects.filter(pk=old.pk).exists()
    assert str(old.file.name) not in stored_uploads(media_root)
    assert str(new.file.name) in stored_uploads(media_root)
    assert len(stored_uploads(media_root)) == 2


# --- discarding a draft -------------------------------------------------------------------------


def test_discarding_a_draft_deletes_it_its_materials_and_its_files(
    applicant: User,
    workflow_catalogue: dict[str, Matter],
    media_root: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    assert len(stored_uploads(media_root)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.application_draft_discard(user=applicant, application_id=draft.pk)

    assert not Application.objects.filter(pk=draft.pk).exists()
    assert ApplicationMaterial.objects.count() == 0
    assert stored_uploads(media_root) == []


def test_a_submitted_case_cannot_be_discarded(
    applicant: User, submitted: Callable[..., Application], media_root: Path
) -> None:
    case = submitted()
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_draft_discard(user=applicant, application_id=case.pk)

    assert refused.value.message == "申请已提交，不能再修改草稿。"
    assert case_state(case.pk) == before


def test_another_citizen_cannot_discard_a_draft(
    applicant: User, other_citizen: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    before = case_state(draft.pk)

    with pytest.raises(Application.DoesNotExist):
        services.application_draft_discard(user=other_citizen, application_id=draft.pk)

    assert case_state(draft.pk) == before


# --- filing at the window (一窗受理) ------------------------------------------------------------


def file_at_window(clerk: User, matter: Matter, **overrides: Any) -> Application:
    """File a complete food-licence application for a walk-in applicant, with `overrides`."""
    arguments: dict[str, Any] = {
        "clerk": clerk,
        "matter_id": matter.pk,
        "applicant": WalkIn(name="张三", id_number=WALK_IN_ID, mobile="13500135000"),
        "situation": {"Q1": "Q1A"},
        "answers": {
            "name": "张三",
            "id_number": WALK_IN_ID,
            "mobile": "13500135000",
            **GOOD_ANSWERS,
        },
        "uploads": {},
        "paper": ["M01", "M02", "M04", "M05"],
        "delivery_method": "WINDOW",
        "delivery_address": "",
        "now": NOW,
    }
    arguments.update(overrides)
    return services.application_file_at_window(**arguments)


def test_a_clerk_files_a_walk_in_application_with_paper_materials(
    clerk: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food = workflow_catalogue["food"]

    case = file_at_window(clerk, food)

    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert case.reference == f"{food.implementation_code}20250611000001"
    assert (case.channel, case.filed_by, case.applicant) == (Channel.WINDOW, clerk, None)
    assert (case.applicant_name, case.applicant_id_number, case.delivery_method) == (
        "张三",
        WALK_IN_ID,
        "WINDOW",
    )
    assert sorted(case.materials.values_list("material_key", "source", "provided_by")) == [
        ("M01", "PAPER", clerk.pk),
        ("M02", "PAPER", clerk.pk),
        ("M04", "PAPER", clerk.pk),
        ("M05", "PAPER", clerk.pk),
    ]
    event = case.events.get()
    assert (event.kind, event.actor, event.actor_role, event.step_name) == (
        EventKind.FILED_AT_WINDOW,
        clerk,
        "WINDOW_CLERK",
        "收件",
    )


def test_a_window_filing_appears_in_the_account_with_the_same_id_number(
    clerk: User, applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    assert applicant.id_number is not None
    case = file_at_window(
        clerk,
        workflow_catalogue["food"],
        applicant=WalkIn(name="李四", id_number=applicant.id_number, mobile=""),
        answers={
            "name": "李四",
            "id_number": applicant.id_number,
            "mobile": "13900139000",
            **GOOD_ANSWERS,
        },
    )

    assert case.applicant == applicant
    assert access_application_for_applicant(user=applicant, application_id=case.pk) == case


def test_a_window_filing_with_scans_stores_them_as_uploads(
    clerk: User, workflow_catalogue: dict[str, Matter], media_root: Path
) -> None:
    case = file_at_window(
        clerk,
        workflow_catalogue["food"],
        uploads={"M01": pdf()},
        paper=["M01", "M02", "M04", "M05"],
    )

    uploads = case.materials.filter(source=MaterialSource.UPLOAD)
    assert list(uploads.values_list("material_key", flat=True)) == ["M01"]
    assert stored_uploads(media_root) == [str(uploads.get().file.name)]
    assert sorted(case.materials.values_list("material_key", flat=True)) == [
        "M01",
        "M02",
        "M04",
        "M05",
    ]


def test_a_window_filing_is_checked_like_an_online_one_and_a_refusal_stores_nothing(
    clerk: User,
    applicant: User,
    workflow_catalogue: dict[str, Matter],
    media_root: Path,
) -> None:
    food = workflow_catalogue["food"]
    online = services.application_draft_create(applicant=applicant, matter_id=food.pk, now=NOW)
    services.application_draft_update(
        user=applicant,
        application_id=online.pk,
        now=NOW,
        situation={"Q1": "Q1A"},
        answers={"category": "热食类"},
        delivery_method="WINDOW",
    )
    services.application_material_upload(
        user=applicant, application_id=online.pk, material_key="M02", file=pdf(), now=NOW
    )
    for key, source in (("M04", "DEFICIENCY"), ("M05", "COMMITMENT")):
        services.application_material_choose(
            user=applicant, application_id=online.pk, material_key=key, source=source, now=NOW
        )
    online_errors = submit_refused(applicant, online.pk).errors
    before, files = rows(), stored_uploads(media_root)

    with pytest.raises(SubmissionIncompleteError) as refused:
        file_at_window(
            clerk,
            food,
            answers={
                "name": "张三",
                "id_number": WALK_IN_ID,
                "mobile": "13500135000",
                "category": "热食类",
            },
            uploads={"M02": pdf()},
            paper=["M04", "M05"],
        )

    expected = {
        "answers.shop_name": ["请填写“店铺名称”。"],
        "answers.area": ["请填写“经营面积（平方米）”。"],
        "materials.M01": ["请提交“申请表”。"],
    }
    assert online_errors == expected
    assert refused.value.errors == expected
    assert rows() == before
    assert stored_uploads(media_root) == files


@pytest.mark.parametrize(
    ("walk_in", "errors"),
    [
        pytest.param(
            WalkIn(name=" ", id_number=WALK_IN_ID, mobile=""),
            {"applicant_name": ["请填写申请人姓名。"]},
            id="no-name",
        ),
        pytest.param(
            WalkIn(name="张三", id_number="11010519800101", mobile=""),
            {"applicant_id_number": ["公民身份号码应为18位。"]},
            id="short-id",
        ),
        pytest.param(
            WalkIn(name="张三", id_number=WALK_IN_ID[:-1] + "0", mobile="1350013500"),
            {
                "applicant_id_number": ["公民身份号码无效：出生日期或校验位不正确。"],
                "applicant_mobile": ["手机号码应为以 1 开头的 11 位数字。"],
            },
            id="bad-id-and-mobile",
        ),
        pytest.param(
            WalkIn(name="张三", id_number=WALK_IN_ID, mobile="00000000000"),
            {"applicant_mobile": ["手机号码应为以 1 开头的 11 位数字。"]},
            id="mobile-not-starting-with-1",
        ),
    ],
)
def test_a_walk_in_with_wrong_identity_details_is_refused_and_nothing_is_stored(
    clerk: User,
    workflow_catalogue: dict[str, Matter],
    media_root: Path,
    walk_in: WalkIn,
    errors: dict[str, list[str]],
) -> None:
    before = rows()

    with pytest.raises(SubmissionIncompleteError) as refused:
        file_at_window(clerk, workflow_catalogue["food"], applicant=walk_in, uploads={"M01": pdf()})

    assert (refused.value.message, refused.value.errors) == ("申请人信息有误，请核对。", errors)
    assert rows() == before
    assert stored_uploads(media_root) == []


def test_a_refused_scan_at_the_window_stores_nothing(
    clerk: User, workflow_catalogue: dict[str, Matter], media_root: Path
) -> None:
    before = rows()

    with pytest.raises(SubmissionIncompleteError) as refused:
        file_at_window(
            clerk,
            workflow_catalogue["food"],
            uploads={"M02": pdf(), "M01": SimpleUploadedFile("blank.pdf", b"")},
            paper=["M04", "M05"],
        )

    assert refused.value.message == "申请表：文件是空的，请重新选择文件。"
    assert refused.value.errors == {"materials.M01": ["文件是空的，请重新选择文件。"]}
    assert rows() == before
    assert stored_uploads(media_root) == []


@pytest.mark.parametrize(
    ("actor", "exception"),
    [
        pytest.param("outsider", PermissionDenied, id="clerk-of-another-department"),
        pytest.param("reviewer", PermissionDenied, id="reviewer"),
        pytest.param("applicant", PermissionDenied, id="citizen"),
        pytest.param("inactive_clerk", PermissionDenied, id="deactivated-clerk"),
    ],
)
def test_only_a_window_clerk_of_the_department_may_file_at_the_window(
    request: pytest.FixtureRequest,
    workflow_catalogue: dict[str, Matter],
    media_root: Path,
    actor: str,
    exception: type[Exception],
) -> None:
    user = request.getfixturevalue(actor)
    before = rows()

    with pytest.raises(exception):
        file_at_window(user, workflow_catalogue["food"], uploads={"M01": pdf()})

    assert rows() == before
    assert stored_uploads(media_root) == []


def test_the_same_client_key_at_the_window_files_one_case(
    clerk: User, workflow_catalogue: dict[str, Matter]
) -> None:
    first = file_at_window(clerk, workflow_catalogue["food"], client_key="desk-7-0001")

    again = file_at_window(clerk, workflow_catalogue["food"], client_key="desk-7-0001")

    assert again.pk == first.pk
    assert Application.objects.count() == 1
    assert event_kinds(first.pk) == [EventKind.FILED_AT_WINDOW]


def test_a_window_filing_keeps_unknown_situation_questions_out_like_a_draft(
    clerk: User, workflow_catalogue: dict[str, Matter]
) -> None:
    case = file_at_window(clerk, workflow_catalogue["food"], situation={"Q1": "Q1A", "Q9": "Q9A"})

    case.refresh_from_db()
    assert case.situation == {"Q1": "Q1A"}
