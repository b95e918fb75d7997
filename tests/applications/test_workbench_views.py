"""The clerk workbench pages: queues, the case page and its actions, downloads, 一窗受理, receipts."""

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from pytest_django import DjangoAssertNumQueries

from accounts.models import User
from applications import services
from applications.choices import Channel, EventKind, NoticeStatus, Status
from applications.models import Application, SupplementNotice
from core import calendar
from matters.models import Department, Matter
from tests.applications.conftest import NOW, PDF, _valid_id, draft_ready, pdf
from tests.auth import sign_in
from tests.html import visible_text

pytestmark = pytest.mark.django_db

LATER = NOW + dt.timedelta(hours=1)
Submit = Callable[..., Application]


def signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def case_url(application: Application) -> str:
    return reverse("workbench-case", args=[application.pk])


def action_url(application: Application, action: str) -> str:
    return reverse("workbench-case-action", args=[application.pk, action])


def current(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


# --- queues -----------------------------------------------------------------------------------


def test_the_queue_shows_only_the_cases_of_the_users_departments_with_masked_names(
    submitted: Submit, clerk: User, outsider: User, health: Department, applicant: User
) -> None:
    ours = submitted(timezone.now())
    theirs = submitted(timezone.now())
    Application.objects.filter(pk=theirs.pk).update(department=health)

    response = signed_in(clerk).get(reverse("workbench-queue"))

    assert response.status_code == 200
    text = visible_text(response)
    assert str(ours.reference) in text
    assert str(theirs.reference) not in text
    assert "李*" in text
    assert "李四" not in text
    assert str(applicant.id_number) not in response.content.decode()
    other = visible_text(signed_in(outsider).get(reverse("workbench-queue")))
    assert str(theirs.reference) in other
    assert str(ours.reference) not in other


def test_the_queue_counts_each_tab_and_filters_my_cases(
    submitted: Submit, clerk: User, clerk2: User
) -> None:
    mine = submitted(timezone.now())
    submitted(timezone.now())
    services.application_claim(user=clerk, application_id=mine.pk, now=LATER)
    client = signed_in(clerk)

    everyone = client.get(reverse("workbench-queue"), {"tab": "received"})
    only_mine = client.get(reverse("workbench-queue"), {"tab": "received", "mine": "1"})

    tabs = {tab.key: tab.count for tab in everyone.context["queue"].tabs}
    assert tabs == {
        "received": 2,
        "supplement": 0,
        "review": 0,
        "special": 0,
        "delivery": 0,
        "done": None,  # counted only when its tab is open
    }
    assert [row.pk for row in only_mine.context["queue"].rows] == [mine.pk]
    assert "Clerk" in visible_text(only_mine)


def test_staff_of_no_department_see_empty_queues(submitted: Submit, catalogue_admin: User) -> None:
    submitted(timezone.now())

    response = signed_in(catalogue_admin).get(reverse("workbench-queue"))

    assert response.status_code == 200
    assert response.context["queue"].rows == []
    assert {tab.count for tab in response.context["queue"].tabs} == {0, None}


def test_the_review_tab_holds_the_cases_at_a_step_of_the_users_role(
    submitted: Submit, clerk: User, reviewer: User, approver: User
) -> None:
    at_review = submitted(timezone.now())
    at_decision = submitted(timezone.now())
    for application in (at_review, at_decision):
        services.application_accept(user=clerk, application_id=application.pk, now=LATER)
    services.application_step_pass(
        user=reviewer, application_id=at_decision.pk, now=LATER, opinion="同意。"
    )

    reviewers = signed_in(reviewer).get(reverse("workbench-queue"), {"tab": "review"})
    approvers = signed_in(approver).get(reverse("workbench-queue"), {"tab": "review"})

    assert [row.pk for row in reviewers.context["queue"].rows] == [at_review.pk]
    assert [row.pk for row in approvers.context["queue"].rows] == [at_decision.pk]
    assert "审查" in [row.step for row in reviewers.context["queue"].rows]


def test_overdue_cases_come_first_with_a_red_marker(submitted: Submit, clerk: User) -> None:
    later = submitted(now=NOW + dt.timedelta(days=1))
    earlier = submitted(NOW)

    response = signed_in(clerk).get(reverse("workbench-queue"), {"tab": "received"})

    rows = response.context["queue"].rows
    assert [row.pk for row in rows] == [earlier.pk, later.pk]
    assert rows[0].colour == "red"  # the fixtures' intake deadlines passed long ago
    assert "已超期" in visible_text(response)


def test_the_queue_makes_as_many_queries_for_30_cases_as_for_1(
    submitted: Submit, clerk: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    submitted(timezone.now())
    client = signed_in(clerk)
    client.get(reverse("workbench-queue"))  # warm up the session
    calendar.calendar_changed()
    with CaptureQueriesContext(connection) as one_case:
        client.get(reverse("workbench-queue"), {"tab": "received"})
    for _ in range(29):
        submitted(timezone.now())

    calendar.calendar_changed()
    with django_assert_max_num_queries(len(one_case.captured_queries)):
        response = client.get(reverse("workbench-queue"), {"tab": "received"})

    assert len(response.context["queue"].rows) == 30


# --- who may see a case -----------------------------------------------------------------------


def test_a_citizen_gets_404_on_every_workbench_page(submitted: Submit, applicant: User) -> None:
    application = submitted(timezone.now())
    material = application.materials.exclude(file="").first()
    assert material is not None
    client = signed_in(applicant)

    urls = [
        reverse("workbench-queue"),
        case_url(application),
        reverse("workbench-material", args=[application.pk, material.pk]),
        reverse("workbench-receipt", args=[application.pk]),
        reverse("workbench-file"),
    ]

    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert client.post(action_url(application, "accept")).status_code == 404
    assert current(application).status == Status.RECEIVED


def test_staff_of_another_department_gets_404_on_the_case_and_its_files(
    submitted: Submit, outsider: User
) -> None:
    application = submitted(timezone.now())
    material = application.materials.exclude(file="").order_by("pk").first()
    assert material is not None
    client = signed_in(outsider)

    assert client.get(case_url(application)).status_code == 404
    download = reverse("workbench-material", args=[application.pk, material.pk])
    assert client.get(download).status_code == 404
    assert client.post(action_url(application, "accept")).status_code == 404
    assert current(application).status == Status.RECEIVED


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(submitted: Submit) -> None:
    application = submitted(timezone.now())

    response = Client().get(case_url(application))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_the_header_links_the_workbench_for_staff_only(clerk: User, applicant: User) -> None:
    staff_page = signed_in(clerk).get(reverse("workbench-queue"))
    citizen_page = signed_in(applicant).get(reverse("home"))
    anonymous_page = Client().get(reverse("home"))

    link = f'href="{reverse("workbench-queue")}"'
    assert link in staff_page.content.decode()
    assert link not in citizen_page.content.decode()
    assert link not in anonymous_page.content.decode()


# --- the case page ----------------------------------------------------------------------------


def test_the_case_page_masks_the_applicant_and_shows_answers_and_materials(
    submitted: Submit, clerk: User, applicant: User
) -> None:
    application = submitted(timezone.now())

    response = signed_in(clerk).get(case_url(application))

    assert response.status_code == 200
    page = response.content.decode()
    text = visible_text(response)
    assert applicant.id_number is not None
    assert applicant.id_number not in page
    assert applicant.id_number[:6] + "********" + applicant.id_number[-4:] in text
    assert "139****9000" in text
    assert "李四" not in page
    assert "由谁办理？ 本人办理" in text
    assert "店铺名称 好味小馆" in text
    assert "容缺后补" in text
    assert "本人承诺符合“场所使用证明”" in text
    assert str(application.query_no) in text


def test_the_case_page_offers_only_the_actions_allowed_now(
    submitted: Submit, clerk: User, reviewer: User
) -> None:
    application = submitted(timezone.now())

    clerks = signed_in(clerk).get(case_url(application))
    reviewers = signed_in(reviewer).get(case_url(application))

    assert clerks.context["case"].actions == ["claim", "accept", "supplement", "not_accept"]
    assert action_url(application, "accept") in clerks.content.decode()
    assert reviewers.context["case"].actions == []
    assert action_url(application, "accept") not in reviewers.content.decode()


# --- actions ----------------------------------------------------------------------------------


def _bring(application: Application, state: str, staff: dict[str, User], applicant: User) -> None:
    """Move a RECEIVED case to `state` through the services."""
    pk = application.pk
    if state == "RECEIVED":
        return
    services.application_accept(user=staff["clerk"], application_id=pk, now=LATER)
    if state == "SUSPENDED":
        services.application_suspend(
            user=staff["reviewer"],
            application_id=pk,
            now=LATER,
            kind="EXPERT",
            reason="需要专家评审。",
            expected_days=5,
        )
    if state in ("DECISION", "APPROVED"):
        services.application_step_pass(
            user=staff["reviewer"], application_id=pk, now=LATER, opinion="同意。"
        )
        services.application_material_upload(
            user=applicant, application_id=pk, material_key="M04", file=pdf(), now=LATER
        )
    if state == "APPROVED":
        services.application_approve(user=staff["approver"], application_id=pk, now=LATER)


def _snapshot(application: Application) -> tuple[Any, ...]:
    row = current(application)
    return (
        row.status,
        row.step_index,
        row.assignee_id,
        row.extension_days,
        row.events.count(),
        row.supplement_notices.count(),
    )


ACTION_CASES = [
    # (action, state, right role, wrong role, posted data, check)
    ("claim", "RECEIVED", "clerk", "reviewer", {}, lambda a, s: a.assignee_id == s["clerk"].pk),
    ("accept", "RECEIVED", "clerk", "reviewer", {}, lambda a, s: a.status == Status.IN_REVIEW),
    (
        "not_accept",
        "RECEIVED",
        "clerk",
        "approver",
        {"kind": "NOT_COMPETENT", "reason": "不属于本机关职权。", "competent_authority": "区卫健局"},
        lambda a, s: a.status == Status.NOT_ACCEPTED and a.competent_authority == "区卫健局",
    ),
    ("pass", "REVIEW", "reviewer", "clerk", {"opinion": "材料齐全。"}, lambda a, s: a.step_index == 1),
    ("send_back", "DECISION", "approver", "reviewer", {"reason": "请补充核查。"}, lambda a, s: a.step_index == 0),
    (
        "suspend",
        "REVIEW",
        "reviewer",
        "approver",
        {"kind": "SITE_CHECK", "reason": "需要现场核查。", "expected_days": "3"},
        lambda a, s: a.status == Status.SUSPENDED,
    ),
    ("resume", "SUSPENDED", "reviewer", "clerk", {"result": "评审通过。"}, lambda a, s: a.status == Status.IN_REVIEW),
    ("extend", "REVIEW", "approver", "reviewer", {"days": "5", "reason": "情况复杂。"}, lambda a, s: a.extension_days == 5),
    ("approve", "DECISION", "approver", "reviewer", {"opinion": ""}, lambda a, s: a.status == Status.APPROVED),
    ("reject", "DECISION", "approver", "reviewer", {"reason": "不符合条件。"}, lambda a, s: a.status == Status.REJECTED),
    ("deliver", "APPROVED", "clerk", "approver", {"method": "WINDOW"}, lambda a, s: a.status == Status.COMPLETED),
    ("void", "RECEIVED", "supervisor", "clerk", {"reason": "重复收件。"}, lambda a, s: a.status == Status.VOID),
    ("assign", "RECEIVED", "approver", "clerk", {"assignee": "@clerk"}, lambda a, s: a.assignee_id == s["clerk"].pk),
]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "state", "right", "wrong", "data", "check"),
    ACTION_CASES,
    ids=[case[0] for case in ACTION_CASES],
)
def test_each_action_works_for_its_role_and_is_refused_with_403_for_another(
    request: pytest.FixtureRequest,
    submitted: Submit,
    applicant: User,
    action: str,
    state: str,
    right: str,
    wrong: str,
    data: dict[str, str],
    check: Callable[[Application, dict[str, User]], bool],
) -> None:
    staff = {
        name: request.getfixturevalue(name)
        for name in ("clerk", "reviewer", "approver", "supervisor")
    }
    application = submitted(timezone.now())
    _bring(application, state, staff, applicant)
    posted = {
        f"{action}-{key}": str(staff[value[1:]].pk) if value.startswith("@") else value
        for key, value in data.items()
    }
    before = _snapshot(application)

    refused = signed_in(staff[wrong]).post(action_url(application, action), posted)
    assert refused.status_code == 403
    assert _snapshot(application) == before

    response = signed_in(staff[right]).post(action_url(application, action), posted)

    assert response.status_code == 302, visible_text(response)
    assert response["Location"] == case_url(application)
    assert check(current(application), staff)


def test_a_successful_action_says_so_on_the_case_page(submitted: Submit, clerk: User) -> None:
    application = submitted(timezone.now())

    response = signed_in(clerk).post(action_url(application, "accept"), follow=True)

    assert "已受理，办件进入审查环节。" in visible_text(response)
    assert current(application).status == Status.IN_REVIEW


def test_the_403_page_names_the_role_the_step_belongs_to(submitted: Submit, reviewer: User) -> None:
    application = submitted(timezone.now())

    response = signed_in(reviewer).post(action_url(application, "claim"))

    assert response.status_code == 403
    assert "该操作应由“窗口人员”办理。" in visible_text(response)


def test_a_stale_action_gets_409_and_says_who_acted_first(
    submitted: Submit, clerk: User, clerk2: User
) -> None:
    application = submitted(timezone.now())
    client = signed_in(clerk)
    client.get(case_url(application))  # the page clerk looks at still offers 受理
    services.application_accept(user=clerk2, application_id=application.pk, now=timezone.now())

    response = client.post(action_url(application, "accept"), {"accept-opinion": "同意受理。"})

    assert response.status_code == 409
    text = visible_text(response)
    assert "该办件已由Clerk2" in text
    assert "已由" in text
    assert application.events.filter(kind=EventKind.ACCEPTED).count() == 1


def test_a_refused_action_shows_the_error_at_its_field(submitted: Submit, clerk: User) -> None:
    application = submitted(timezone.now())

    response = signed_in(clerk).post(
        action_url(application, "not_accept"), {"not_accept-kind": "NOT_COMPETENT"}
    )

    assert response.status_code == 400
    form = response.context["failed"]
    assert form.errors["reason"] == ["请写明不予受理的理由。"]
    assert "请修改以下内容后重新提交" in visible_text(response)
    assert current(application).status == Status.RECEIVED


def test_the_supplement_form_lists_every_item_and_posts_one_notice(
    submitted: Submit, clerk: User
) -> None:
    application = submitted(timezone.now())
    client = signed_in(clerk)
    page = client.get(case_url(application)).content.decode()
    for name in (
        "supplement-material_M01",
        "supplement-material_M05",
        "supplement-field_shop_name",
    ):
        assert f'name="{name}"' in page

    response = client.post(
        action_url(application, "supplement"),
        {
            "supplement-material_M01": "on",
            "supplement-material_M01__reason": "申请表未签字。",
            "supplement-field_shop_name": "on",
            "supplement-field_shop_name__reason": "店铺名称与营业执照不一致。",
            "supplement-respond_within": "20",
        },
    )

    assert response.status_code == 302
    notice = SupplementNotice.objects.get(application=application)
    assert notice.status == NoticeStatus.OPEN
    assert [(i["kind"], i["key"], i["reason"]) for i in notice.items] == [
        ("material", "M01", "申请表未签字。"),
        ("field", "shop_name", "店铺名称与营业执照不一致。"),
    ]
    assert current(application).status == Status.SUPPLEMENT_REQUIRED
    assert "supplement" not in client.get(case_url(application)).context["case"].actions


def test_a_supplement_item_without_a_reason_is_refused_at_its_box(
    submitted: Submit, clerk: User
) -> None:
    application = submitted(timezone.now())

    response = signed_in(clerk).post(
        action_url(application, "supplement"),
        {"supplement-material_M02": "on", "supplement-respond_within": "20"},
    )

    assert response.status_code == 400
    assert response.context["failed"].errors["material_M02__reason"] == [
        "请写明“居民身份证”需要补正的原因。"
    ]
    assert not SupplementNotice.objects.exists()


# --- downloads --------------------------------------------------------------------------------


def test_a_pdf_material_opens_inline_under_its_material_name(
    submitted: Submit, clerk: User
) -> None:
    application = submitted(timezone.now())
    material = application.materials.get(material_key="M01")

    response = signed_in(clerk).get(
        reverse("workbench-material", args=[application.pk, material.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f"inline; filename=\"material-{material.pk}.pdf\"; filename*=UTF-8''{quote('申请表.pdf')}"
    )
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert str(material.file.name) not in response["Content-Disposition"]


def _ofd() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as container:
        container.writestr("OFD.xml", "<ofd:OFD/>")
    return SimpleUploadedFile("scan.ofd", buffer.getvalue(), content_type="application/ofd")


def test_other_materials_download_as_attachments(
    applicant: User, workflow_catalogue: dict[str, Matter], clerk: User
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    services.application_material_upload(
        user=applicant, application_id=draft.pk, material_key="M01", file=_ofd(), now=NOW
    )
    application = services.application_submit(user=applicant, application_id=draft.pk, now=NOW)
    material = application.materials.get(material_key="M01")

    response = signed_in(clerk).get(
        reverse("workbench-material", args=[application.pk, material.pk])
    )

    assert response["Content-Type"] == "application/ofd"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response["Content-Disposition"].endswith(quote("申请表.ofd"))
    response.close()


def test_a_material_without_a_file_is_not_found(submitted: Submit, clerk: User) -> None:
    application = submitted(timezone.now())
    pledge = application.materials.get(material_key="M05")  # 告知承诺: no file

    response = signed_in(clerk).get(reverse("workbench-material", args=[application.pk, pledge.pk]))

    assert response.status_code == 404


# --- 一窗受理 ----------------------------------------------------------------------------------


WALK_IN_ID = _valid_id("19800101")


def _filing_data(client: Client, matter: Matter, **changes: Any) -> dict[str, Any]:
    form = client.get(reverse("workbench-file-matter", args=[matter.pk])).context["form"]
    data: dict[str, Any] = {
        "client_key": form["client_key"].value(),
        "applicant_name": "王小明",
        "applicant_id_number": WALK_IN_ID,
        "applicant_mobile": "13512345678",
        "situation__Q1": "Q1A",
        "answers__shop_name": "好味小馆",
        "answers__area": "80",
        "answers__category": "热食类",
        "materials__M01": pdf("申请表扫描.pdf"),
        "paper__M02": "on",
        "paper__M04": "on",
        "paper__M05": "on",
        "delivery_method": "WINDOW",
        "delivery_address": "",
    }
    data.update(changes)
    return data


def test_a_window_clerk_picks_a_matter_of_their_departments(
    clerk: User, reviewer: User, workflow_catalogue: dict[str, Matter]
) -> None:
    clerks = signed_in(clerk).get(reverse("workbench-file"))
    reviewers = signed_in(reviewer).get(reverse("workbench-file"))

    assert "食品经营许可" in visible_text(clerks)
    assert "食品经营许可" not in visible_text(reviewers)
    food = workflow_catalogue["food"]
    refused = signed_in(reviewer).get(reverse("workbench-file-matter", args=[food.pk]))
    assert refused.status_code == 403


def test_the_filing_form_notes_when_a_field_is_asked(
    clerk: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food = workflow_catalogue["food"]

    response = signed_in(clerk).get(reverse("workbench-file-matter", args=[food.pk]))

    text = visible_text(response)
    assert "受托人姓名" in text
    assert "仅在“由谁办理？”选择“委托他人办理”时填写" in text
    assert 'name="client_key"' in response.content.decode()


def test_filing_at_the_window_creates_a_received_case_and_prints_a_receipt(
    clerk: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food = workflow_catalogue["food"]
    client = signed_in(clerk)

    response = client.post(
        reverse("workbench-file-matter", args=[food.pk]), _filing_data(client, food)
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench-receipt", args=[application.pk])
    assert application.status == Status.RECEIVED
    assert application.channel == Channel.WINDOW
    assert application.filed_by == clerk
    assert application.answers["name"] == "王小明"
    assert application.answers["id_number"] == WALK_IN_ID
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    page = receipt.content.decode()
    text = visible_text(receipt)
    assert str(application.reference) in text
    assert str(application.query_no) in text
    assert "<svg" in page
    assert "王*明" in text
    assert "王小明" not in page
    assert "Clerk" in text
    assert "0755-12345678" in text
    assert "前告知是否受理" in text
    assert f"/track/?q={application.query_no}" in page


def test_a_bad_id_number_is_shown_at_its_field_and_files_nothing(
    clerk: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food = workflow_catalogue["food"]
    client = signed_in(clerk)
    bad = WALK_IN_ID[:-1] + ("0" if WALK_IN_ID[-1] != "0" else "1")

    response = client.post(
        reverse("workbench-file-matter", args=[food.pk]),
        _filing_data(client, food, applicant_id_number=bad),
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["applicant_id_number"] == ["公民身份号码无效：出生日期或校验位不正确。"]
    assert "公民身份号码无效" in visible_text(response)
    assert not Application.objects.exists()


def test_missing_items_are_shown_at_their_fields(
    clerk: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food = workflow_catalogue["food"]
    client = signed_in(clerk)
    data = _filing_data(client, food, answers__shop_name="", situation__Q1="")
    del data["paper__M02"]

    response = client.post(reverse("workbench-file-matter", args=[food.pk]), data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "situation__Q1" in errors
    assert "materials__M02" in errors  # needed in every situation, so reported at once
    assert errors["answers__shop_name"] == ["请填写“店铺名称”。"]
    assert not Application.objects.exists()


def test_the_same_client_key_twice_files_one_case(
    clerk: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food = workflow_catalogue["food"]
    client = signed_in(clerk)
    data = _filing_data(client, food)
    url = reverse("workbench-file-matter", args=[food.pk])

    first = client.post(url, data)
    data["materials__M01"] = pdf("申请表扫描.pdf")
    second = client.post(url, data)

    assert Application.objects.count() == 1
    assert first["Location"] == second["Location"]
