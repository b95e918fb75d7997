"""Intake (收件 → 受理 / 不予受理 / 补正) and its watchdogs (行政许可法第32条; DOMAIN §3.1, §3.3).

Deadlines are checked against the 2025 calendar: National Day 2025 is 1–8 October (Wednesday to
Wednesday), with Sunday 28 September and Saturday 11 October as 调休 working days.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import User
from applications import services, tasks
from applications.choices import EventKind, NoticeStatus, Status
from applications.conflicts import AlreadyHandledError
from applications.models import Application, SupplementNotice
from core.errors import DomainError
from matters.models import Matter
from tests.applications.conftest import (
    LATER,
    NOW,
    SHANGHAI,
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

REMEDY = (
    "如不服本决定，可以自知道该决定之日起六十日内向深圳市人民政府申请行政复议，"
    "或者自知道该决定之日起六个月内向深圳市福田区人民法院提起行政诉讼。"
)
ITEMS = [
    {"kind": "material", "key": "M01", "reason": "申请表未签字"},
    {"kind": "field", "key": "area", "reason": "面积与平面图不符"},
]


def supplement_requested(
    submitted: Callable[..., Application], clerk: User, now: dt.datetime = NOW
) -> Application:
    """A food-licence case filed at `now` whose clerk asked, an hour later, for ITEMS."""
    case = submitted(now)
    services.application_supplement_request(
        user=clerk, application_id=case.pk, now=now + dt.timedelta(hours=1), items=ITEMS
    )
    return Application.objects.get(pk=case.pk)


# --- the intake clock ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "deadline"),
    [
        pytest.param(at("2025-06-11"), "2025-06-18", id="wednesday"),
        pytest.param(at("2025-06-13"), "2025-06-20", id="friday-over-a-weekend"),
        pytest.param(at("2025-06-11", 23), "2025-06-18", id="late-evening-same-local-day"),
        pytest.param(
            dt.datetime(2025, 6, 11, 17, 0, tzinfo=dt.UTC),
            "2025-06-19",
            id="utc-evening-is-next-local-day",
        ),
        pytest.param(at("2025-09-26"), "2025-10-10", id="friday-before-national-day"),
        pytest.param(at("2025-09-29"), "2025-10-13", id="monday-before-national-day"),
    ],
)
def test_the_intake_deadline_is_the_end_of_the_fifth_working_day_after_receipt(
    submitted: Callable[..., Application], received_at: dt.datetime, deadline: str
) -> None:
    case = submitted(received_at)

    case.refresh_from_db()
    assert (case.received_at, case.intake_deadline) == (received_at, end_of(deadline))


# --- accepting ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted_at", "promise", "legal"),
    [
        pytest.param(at("2025-06-11", 11), "2025-06-18", "2025-07-09", id="ordinary-weeks"),
        pytest.param(at("2025-09-26", 15), "2025-10-10", "2025-10-30", id="across-national-day"),
    ],
)
def test_accepting_starts_the_promised_5_and_statutory_20_working_day_clocks(
    submitted: Callable[..., Application],
    clerk: User,
    accepted_at: dt.datetime,
    promise: str,
    legal: str,
) -> None:
    case = submitted(accepted_at - dt.timedelta(hours=1))

    services.application_accept(user=clerk, application_id=case.pk, now=accepted_at)

    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    assert (case.accepted_at, case.deemed_accepted, case.intake_deadline) == (
        accepted_at,
        False,
        None,
    )
    assert (case.promise_deadline, case.legal_deadline) == (end_of(promise), end_of(legal))
    assert (case.step_index, case.assignee) == (0, None)


def test_accepting_records_the_event_and_dates_the_owed_material_by_the_promise(
    submitted: Callable[..., Application], clerk: User
) -> None:
    case = submitted()

    services.application_accept(user=clerk, application_id=case.pk, now=LATER)

    owed = case.materials.get(material_key="M04")
    assert (owed.source, owed.due_on) == ("DEFICIENCY", dt.date(2025, 6, 18))
    event = case.events.get(kind=EventKind.ACCEPTED)
    assert (event.actor, event.actor_role, event.from_status, event.to_status) == (
        clerk,
        "WINDOW_CLERK",
        Status.RECEIVED,
        Status.IN_REVIEW,
    )
    assert (event.step_name, event.note, event.at) == (
        "受理",
        "材料齐全，符合法定形式，予以受理。",
        LATER,
    )


def test_the_clerks_opinion_is_the_acceptance_note(
    submitted: Callable[..., Application], clerk: User
) -> None:
    case = submitted()

    services.application_accept(
        user=clerk, application_id=case.pk, now=LATER, opinion="  容缺受理，检测报告后补。 "
    )

    assert case.events.get(kind=EventKind.ACCEPTED).note == "容缺受理，检测报告后补。"


def test_an_immediate_case_is_due_the_day_it_is_accepted(
    applicant: User, clerk: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = simple_draft_ready(applicant, workflow_catalogue["immediate"])
    case = services.application_submit(user=applicant, application_id=draft.pk, now=NOW)

    services.application_accept(user=clerk, application_id=case.pk, now=LATER)

    case.refresh_from_db()
    assert (case.promise_deadline, case.legal_deadline) == (
        end_of("2025-06-11"),
        end_of("2025-06-11"),
    )
    assert (case.step_index, case.step_count) == (0, 1)


def test_a_case_cannot_be_accepted_twice(
    submitted: Callable[..., Application], clerk: User
) -> None:
    case = submitted()
    services.application_accept(user=clerk, application_id=case.pk, now=LATER)
    before = case_state(case.pk)

    with pytest.raises(AlreadyHandledError) as refused:
        services.application_accept(user=clerk, application_id=case.pk, now=LATER)

    assert refused.value.message == (
        "该办件已由Clerk于2025-06-11 11:00处理（受理），当前状态为“已受理，审查中”，请刷新后查看。"
    )
    assert case_state(case.pk) == before


# --- not accepting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "authority"),
    [
        pytest.param("NOT_COMPETENT", " 南山区卫生健康局 ", id="not-competent"),
        pytest.param("NO_LICENCE_NEEDED", "", id="no-licence-needed"),
        pytest.param("OTHER", "", id="other"),
    ],
)
def test_not_accepting_closes_the_case_with_reason_authority_and_remedies(
    submitted: Callable[..., Application], clerk: User, kind: str, authority: str
) -> None:
    case = submitted()

    services.application_not_accept(
        user=clerk,
        application_id=case.pk,
        now=LATER,
        kind=kind,
        reason="  经营场所位于南山区。 ",
        competent_authority=authority,
    )

    case.refresh_from_db()
    assert case.status == Status.NOT_ACCEPTED
    assert (case.not_accepted_kind, case.decision_reason, case.competent_authority) == (
        kind,
        "经营场所位于南山区。",
        authority.strip(),
    )
    assert (case.remedy_text, case.closed_at, case.intake_deadline) == (REMEDY, LATER, None)
    event = case.events.get(kind=EventKind.NOT_ACCEPTED)
    assert (event.actor, event.actor_role, event.note, event.data) == (
        clerk,
        "WINDOW_CLERK",
        "经营场所位于南山区。",
        {"kind": kind, "competent_authority": authority.strip()},
    )


@pytest.mark.parametrize(
    ("kind", "reason", "authority", "message", "errors"),
    [
        pytest.param(
            "OTHER",
            "   ",
            "",
            "请写明不予受理的理由。",
            {"reason": ["请写明不予受理的理由。"]},
            id="no-reason",
        ),
        pytest.param(
            "NOT_COMPETENT",
            "不属于本机关职权。",
            " ",
            "不属于本机关职权范围的，应告知申请人向哪个机关申请。",
            {"competent_authority": ["不属于本机关职权范围的，应告知申请人向哪个机关申请。"]},
            id="not-competent-without-authority",
        ),
        pytest.param(
            "BECAUSE",
            "理由",
            "",
            "请选择不予受理的情形。",
            {"kind": ["请选择不予受理的情形。"]},
            id="unknown-kind",
        ),
    ],
)
def test_not_accepting_is_refused_without_what_the_notice_must_state(
    submitted: Callable[..., Application],
    clerk: User,
    kind: str,
    reason: str,
    authority: str,
    message: str,
    errors: dict[str, list[str]],
) -> None:
    case = submitted()
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_not_accept(
            user=clerk,
            application_id=case.pk,
            now=LATER,
            kind=kind,
            reason=reason,
            competent_authority=authority,
        )

    assert (refused.value.message, refused.value.errors) == (message, errors)
    assert case_state(case.pk) == before


# --- 补正: one notice with every item ------------------------------------------------------------


def test_a_supplement_notice_lists_every_item_and_stops_the_intake_clock(
    submitted: Callable[..., Application], clerk: User
) -> None:
    case = submitted()

    notice = services.application_supplement_request(
        user=clerk, application_id=case.pk, now=LATER, items=ITEMS
    )

    case.refresh_from_db()
    assert (case.status, case.intake_deadline) == (Status.SUPPLEMENT_REQUIRED, None)
    items = [
        {"kind": "material", "key": "M01", "name": "申请表", "reason": "申请表未签字"},
        {
            "kind": "field",
            "key": "area",
            "name": "经营面积（平方米）",
            "reason": "面积与平面图不符",
        },
    ]
    notice.refresh_from_db()
    assert (notice.items, notice.status, notice.issued_by, notice.issued_at) == (
        items,
        NoticeStatus.OPEN,
        clerk,
        LATER,
    )
    assert notice.respond_by == end_of("2025-07-09")  # 20 working days
    event = case.events.get(kind=EventKind.SUPPLEMENT_REQUESTED)
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        clerk,
        Status.RECEIVED,
        Status.SUPPLEMENT_REQUIRED,
        "申请表：申请表未签字；经营面积（平方米）：面积与平面图不符",
    )
    assert event.data == {"items": items, "respond_by": "2025-07-09T23:59:59+08:00"}
    assert event.deadlines["intake"] is None


NOTICE_INCOMPLETE = "补正告知书还不完整，请按提示修改。"


@pytest.mark.parametrize(
    ("items", "respond_within", "message", "errors"),
    [
        pytest.param(
            [],
            20,
            NOTICE_INCOMPLETE,
            {"items": ["请选择需要补正的全部材料或内容，并逐项写明原因。"]},
            id="no-item",
        ),
        pytest.param(
            [{"kind": "material", "key": "M01", "reason": " "}],
            20,
            NOTICE_INCOMPLETE,
            {"items[0].reason": ["请写明“申请表”需要补正的原因。"]},
            id="item-without-reason",
        ),
        pytest.param(
            [
                {"kind": "material", "key": "M01", "reason": "未签字"},
                {"kind": "field", "key": "area"},
                {"kind": "material", "key": "M99", "reason": "不存在"},
                {"kind": "photo", "key": "M02", "reason": "种类不对"},
            ],
            20,
            NOTICE_INCOMPLETE,
            {
                "items[1].reason": ["请写明“经营面积（平方米）”需要补正的原因。"],
                "items[2].key": ["补正事项不是本事项的材料或表单字段。"],
                "items[3].key": ["补正事项不是本事项的材料或表单字段。"],
            },
            id="every-problem-at-once",
        ),
        pytest.param(
            ITEMS,
            0,
            "补正期限应为 1 至 60 个工作日。",
            {"respond_within": ["补正期限应为 1 至 60 个工作日。"]},
            id="no-time-to-answer",
        ),
        pytest.param(
            ITEMS,
            61,
            "补正期限应为 1 至 60 个工作日。",
            {"respond_within": ["补正期限应为 1 至 60 个工作日。"]},
            id="too-long-to-answer",
        ),
    ],
)
def test_an_incomplete_supplement_notice_is_refused(
    submitted: Callable[..., Application],
    clerk: User,
    items: list[dict[str, Any]],
    respond_within: int,
    message: str,
    errors: dict[str, list[str]],
) -> None:
    case = submitted()
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_supplement_request(
            user=clerk,
            application_id=case.pk,
            now=LATER,
            items=items,
            respond_within=respond_within,
        )

    assert (refused.value.message, refused.value.errors) == (message, errors)
    assert case_state(case.pk) == before


def test_a_second_supplement_notice_is_refused_after_the_first_was_answered(
    submitted: Callable[..., Application], clerk: User, applicant: User
) -> None:
    case = supplement_requested(submitted, clerk)
    moment = at("2025-06-12")
    services.application_material_upload(
        user=applicant, application_id=case.pk, material_key="M01", file=pdf(), now=moment
    )
    services.application_supplement_answer(user=applicant, application_id=case.pk, now=moment)
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_supplement_request(
            user=clerk, application_id=case.pk, now=at("2025-06-13"), items=ITEMS
        )

    assert refused.value.message == ("补正材料应一次性告知；本件已经告知过一次，不能再次要求补正。")
    assert case_state(case.pk) == before


def test_a_second_supplement_notice_is_refused_while_the_first_is_open(
    submitted: Callable[..., Application], clerk: User
) -> None:
    case = supplement_requested(submitted, clerk)
    before = case_state(case.pk)

    with pytest.raises(AlreadyHandledError):
        services.application_supplement_request(
            user=clerk, application_id=case.pk, now=at("2025-06-12"), items=ITEMS
        )

    assert case_state(case.pk) == before


def test_no_supplement_notice_is_issued_after_the_intake_deadline_has_passed(
    submitted: Callable[..., Application], clerk: User
) -> None:
    case = submitted()
    before = case_state(case.pk)

    with pytest.raises(DomainError):
        services.application_supplement_request(
            user=clerk, application_id=case.pk, now=at("2025-06-19"), items=ITEMS
        )

    assert case_state(case.pk) == before


# --- 补正: what the applicant may change ----------------------------------------------------------


def test_the_applicant_may_upload_again_a_material_the_notice_lists(
    submitted: Callable[..., Application], clerk: User, applicant: User
) -> None:
    case = supplement_requested(submitted, clerk)
    old = case.materials.get(material_key="M01")

    new = services.application_material_upload(
        user=applicant, application_id=case.pk, material_key="M01", file=pdf(), now=at("2025-06-12")
    )

    old.refresh_from_db()
    assert old.superseded_at == at("2025-06-12")
    assert (new.material_key, new.superseded_at, new.provided_at) == (
        "M01",
        None,
        at("2025-06-12"),
    )
    assert case.materials.filter(material_key="M01", superseded_at__isnull=True).get() == new


@pytest.mark.parametrize("material", ["M02", "M04"])
def test_the_applicant_may_not_upload_a_material_the_notice_does_not_list(
    submitted: Callable[..., Application], clerk: User, applicant: User, material: str
) -> None:
    case = supplement_requested(submitted, clerk)
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_material_upload(
            user=applicant,
            application_id=case.pk,
            material_key=material,
            file=pdf(),
            now=at("2025-06-12"),
        )

    assert refused.value.message == "现在不能提交这项材料。"
    assert case_state(case.pk) == before


def test_a_received_case_takes_no_new_material(
    submitted: Callable[..., Application], applicant: User
) -> None:
    case = submitted()
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_material_upload(
            user=applicant, application_id=case.pk, material_key="M01", file=pdf(), now=LATER
        )

    assert refused.value.message == "现在不能提交这项材料。"
    assert case_state(case.pk) == before


@pytest.mark.parametrize(
    ("upload", "answers", "errors"),
    [
        pytest.param(
            False,
            {"area": "85"},
            {"materials.M01": ["请重新提交“申请表”。"]},
            id="listed-material-not-provided-again",
        ),
        pytest.param(
            True,
            {"area": "85", "shop_name": "改名小馆"},
            {"answers.shop_name": ["只能修改补正告知书中列明的内容。"]},
            id="unlisted-field-changed",
        ),
        pytest.param(
            False,
            {"category": "冷食类"},
            {
                "answers.category": ["只能修改补正告知书中列明的内容。"],
                "materials.M01": ["请重新提交“申请表”。"],
            },
            id="everything-wrong-at-once",
        ),
    ],
)
def test_a_resubmission_must_supply_the_listed_items_and_change_nothing_else(
    submitted: Callable[..., Application],
    clerk: User,
    applicant: User,
    upload: bool,
    answers: dict[str, str],
    errors: dict[str, list[str]],
) -> None:
    case = supplement_requested(submitted, clerk)
    if upload:
        services.application_material_upload(
            user=applicant,
            application_id=case.pk,
            material_key="M01",
            file=pdf(),
            now=at("2025-06-12"),
        )
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_supplement_answer(
            user=applicant, application_id=case.pk, now=at("2025-06-12"), answers=answers
        )

    assert (refused.value.message, refused.value.errors) == (
        "补正还没有完成，请按提示修改。",
        errors,
    )
    assert case_state(case.pk) == before


def test_a_listed_field_is_checked_again_when_resubmitted(
    submitted: Callable[..., Application], clerk: User, applicant: User
) -> None:
    case = supplement_requested(submitted, clerk)
    services.application_material_upload(
        user=applicant, application_id=case.pk, material_key="M01", file=pdf(), now=at("2025-06-12")
    )
    before = case_state(case.pk)

    with pytest.raises(DomainError) as refused:
        services.application_supplement_answer(
            user=applicant,
            application_id=case.pk,
            now=at("2025-06-12"),
            answers={"area": "大约八十"},
        )

    assert refused.value.errors == {"answers.area": ["请填写数字。"]}
    assert case_state(case.pk) == before


def test_a_resubmission_restarts_the_five_day_intake_clock_from_its_own_day(
    submitted: Callable[..., Application], clerk: User, applicant: User
) -> None:
    case = supplement_requested(submitted, clerk)
    resubmitted_at = at("2025-06-16")  # a Monday
    services.application_material_upload(
        user=applicant, application_id=case.pk, material_key="M01", file=pdf(), now=resubmitted_at
    )

    services.application_supplement_answer(
        user=applicant, application_id=case.pk, now=resubmitted_at, answers={"area": "85"}
    )

    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert (case.received_at, case.intake_deadline) == (resubmitted_at, end_of("2025-06-23"))
    assert case.answers["area"] == "85"
    notice = case.supplement_notices.get()
    assert (notice.status, notice.answered_at) == (NoticeStatus.ANSWERED, resubmitted_at)
    event = case.events.get(kind=EventKind.RESUBMITTED)
    assert (event.actor, event.from_status, event.to_status, event.step_name) == (
        applicant,
        Status.SUPPLEMENT_REQUIRED,
        Status.RECEIVED,
        "补正",
    )


def test_resubmitting_twice_records_one_resubmission(
    submitted: Callable[..., Application], clerk: User, applicant: User
) -> None:
    case = supplement_requested(submitted, clerk)
    moment = at("2025-06-12")
    services.application_material_upload(
        user=applicant, application_id=case.pk, material_key="M01", file=pdf(), now=moment
    )
    services.application_supplement_answer(user=applicant, application_id=case.pk, now=moment)
    before = case_state(case.pk)

    again = services.application_supplement_answer(
        user=applicant, application_id=case.pk, now=moment + dt.timedelta(seconds=3)
    )

    assert again.status == Status.RECEIVED
    assert case_state(case.pk) == before


# --- deemed acceptance (第32条第4项) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    [
        pytest.param(LATER, id="same-day"),
        pytest.param(at("2025-06-18", 12), id="on-the-last-day"),
        pytest.param(end_of("2025-06-18"), id="at-the-deadline"),
    ],
)
def test_a_case_is_not_deemed_accepted_before_its_intake_deadline_passes(
    submitted: Callable[..., Application], moment: dt.datetime
) -> None:
    case = submitted()
    before = case_state(case.pk)

    result = services.application_deem_accepted(application_id=case.pk, now=moment)

    assert result is None
    assert case_state(case.pk) == before


def test_a_case_left_without_answer_is_deemed_accepted_from_the_day_it_was_received(
    submitted: Callable[..., Application],
) -> None:
    case = submitted()
    watchdog_at = dt.datetime(2025, 6, 19, 0, 5, tzinfo=SHANGHAI)

    result = services.application_deem_accepted(application_id=case.pk, now=watchdog_at)

    assert result is not None
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    assert (case.deemed_accepted, case.accepted_at, case.intake_deadline) == (True, NOW, None)
    assert (case.promise_deadline, case.legal_deadline) == (
        end_of("2025-06-18"),
        end_of("2025-07-09"),
    )
    event = case.events.get(kind=EventKind.DEEMED_ACCEPTED)
    assert (event.actor, event.actor_role, event.at, event.from_status, event.to_status) == (
        None,
        "",
        watchdog_at,
        Status.RECEIVED,
        Status.IN_REVIEW,
    )
    assert event.note == "收件后五个工作日内未告知，依法自收到申请材料之日起视为受理。"
    assert event_kinds(case.pk) == [EventKind.SUBMITTED, EventKind.DEEMED_ACCEPTED]


def test_a_case_received_before_national_day_is_deemed_accepted_only_after_the_thirteenth(
    submitted: Callable[..., Application],
) -> None:
    case = submitted(at("2025-09-29"))

    too_early = services.application_deem_accepted(application_id=case.pk, now=at("2025-10-13", 18))
    deemed = services.application_deem_accepted(application_id=case.pk, now=at("2025-10-14", 0))

    assert too_early is None
    assert deemed is not None
    case.refresh_from_db()
    assert (case.accepted_at, case.promise_deadline, case.legal_deadline) == (
        at("2025-09-29"),
        end_of("2025-10-13"),
        end_of("2025-11-03"),
    )


def test_after_a_resubmission_the_deemed_acceptance_dates_from_the_resubmission(
    submitted: Callable[..., Application], clerk: User, applicant: User
) -> None:
    case = supplement_requested(submitted, clerk)
    resubmitted_at = at("2025-06-16")
    services.application_material_upload(
        user=applicant, application_id=case.pk, material_key="M01", file=pdf(), now=resubmitted_at
    )
    services.application_supplement_answer(
        user=applicant, application_id=case.pk, now=resubmitted_at
    )

    services.application_deem_accepted(application_id=case.pk, now=at("2025-06-24", 0))

    case.refresh_from_db()
    assert (case.status, case.accepted_at, case.promise_deadline) == (
        Status.IN_REVIEW,
        resubmitted_at,
        end_of("2025-06-23"),
    )


@pytest.mark.parametrize("state", ["supplement-required", "accepted"])
def test_the_watchdog_leaves_a_case_alone_once_the_clerk_has_acted(
    submitted: Callable[..., Application], clerk: User, state: str
) -> None:
    if state == "accepted":
        case = submitted()
        services.application_accept(user=clerk, application_id=case.pk, now=LATER)
    else:
        case = supplement_requested(submitted, clerk)
    before = case_state(case.pk)

    result = services.application_deem_accepted(application_id=case.pk, now=at("2025-12-01"))

    assert result is None
    assert case_state(case.pk) == before


# --- 补正 expiry (退件) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    [
        pytest.param(at("2025-07-09", 12), id="last-day"),
        pytest.param(end_of("2025-07-09"), id="deadline"),
    ],
)
def test_an_unanswered_notice_does_not_close_the_case_before_its_window_ends(
    submitted: Callable[..., Application], clerk: User, moment: dt.datetime
) -> None:
    case = supplement_requested(submitted, clerk)
    before = case_state(case.pk)

    result = services.application_return_unanswered(application_id=case.pk, now=moment)

    assert result is None
    assert case_state(case.pk) == before


def test_an_unanswered_notice_returns_the_case_once_its_window_ends(
    submitted: Callable[..., Application], clerk: User
) -> None:
    case = supplement_requested(submitted, clerk)
    moment = at("2025-07-10", 1)

    result = services.application_return_unanswered(application_id=case.pk, now=moment)

    assert result is not None
    case.refresh_from_db()
    assert (case.status, case.closed_at) == (Status.RETURNED, moment)
    assert case.supplement_notices.get().status == NoticeStatus.EXPIRED
    event = case.events.get(kind=EventKind.RETURNED)
    assert (event.actor, event.at, event.note) == (
        None,
        moment,
        "申请人未在补正期限内补齐材料，予以退件。",
    )


def test_an_answered_notice_never_returns_the_case(
    submitted: Callable[..., Application], clerk: User, applicant: User
) -> None:
    case = supplement_requested(submitted, clerk)
    services.application_material_upload(
        user=applicant, application_id=case.pk, material_key="M01", file=pdf(), now=at("2025-06-12")
    )
    services.application_supplement_answer(
        user=applicant, application_id=case.pk, now=at("2025-06-12")
    )
    before = case_state(case.pk)

    result = services.application_return_unanswered(application_id=case.pk, now=at("2025-12-01"))

    assert result is None
    assert case_state(case.pk) == before


# --- the Celery beat tasks, called directly --------------------------------------------------------

FAR_FUTURE = at("2099-01-05")  # a case whose clocks run long after today, whatever today is


def test_the_intake_task_deems_accepted_every_overdue_case_and_only_those(
    submitted: Callable[..., Application], clerk: User
) -> None:
    overdue = submitted(NOW)
    fresh = submitted(FAR_FUTURE)
    answered = supplement_requested(submitted, clerk)
    untouched = {pk: case_state(pk) for pk in (fresh.pk, answered.pk)}

    done = tasks.deem_accepted_overdue_task()

    assert done == 1
    overdue.refresh_from_db()
    assert (overdue.status, overdue.deemed_accepted, overdue.accepted_at) == (
        Status.IN_REVIEW,
        True,
        NOW,
    )
    event = overdue.events.get(kind=EventKind.DEEMED_ACCEPTED)
    assert event.actor is None
    assert {pk: case_state(pk) for pk in untouched} == untouched
    assert tasks.deem_accepted_overdue_task() == 0


def test_the_supplement_task_returns_every_expired_case_and_only_those(
    submitted: Callable[..., Application], clerk: User
) -> None:
    expired = supplement_requested(submitted, clerk, NOW)
    running = supplement_requested(submitted, clerk, FAR_FUTURE)
    before = case_state(running.pk)

    done = tasks.return_unanswered_task()

    assert done == 1
    expired.refresh_from_db()
    assert expired.status == Status.RETURNED
    assert SupplementNotice.objects.get(application=expired).status == NoticeStatus.EXPIRED
    assert case_state(running.pk) == before
    assert tasks.return_unanswered_task() == 0
