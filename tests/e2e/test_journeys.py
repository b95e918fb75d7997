"""The five journeys of issue 5, in Chromium against the running portal (gunicorn, PostgreSQL,
Redis, a Celery worker). Each saves a screenshot of its final page in var/e2e-artifacts/."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import journeys
from tests.e2e.journeys import apply_for_elder_card, new_citizen, sign_in
from tests.e2e.stack import Stack
from tests.e2e.test_accessibility import assert_no_violations

ELDER = new_citizen("钱老伯", "19450315")
_cases: dict[str, str] = {}


def test_1_a_citizen_signs_up_searches_applies_with_an_upload_and_sees_the_confirmation(
    page: Page, stack: Stack, tmp_path: Path
) -> None:
    journeys.sign_up(page, stack, ELDER)

    reference = apply_for_elder_card(page, tmp_path)

    expect(page.locator("main")).to_contain_text(reference)
    expect(page.locator("main")).to_contain_text("查看办件进度")
    _cases["elder"] = reference


def test_3_the_certificate_turns_ready_downloads_verifies_valid_and_the_service_is_rated(
    page: Page, stack: Stack, tmp_path: Path
) -> None:
    if "elder" not in _cases:
        pytest.skip("needs journey 1's case")
    sign_in(page, ELDER.mobile, next_url="/my/applications/")
    page.get_by_role("link", name=journeys.ELDER_CARD).first.click()

    # The case page polls; the certificate shows as issued without a reload.
    expect(page.locator("main")).to_contain_text("已签发", timeout=30_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载PDF").click()
    pdf = Path(download.value.path())
    assert pdf.read_bytes().startswith(b"%PDF")
    case_url = page.url

    page.get_by_role("link", name="在证照夹中查看").click()
    verify_link = page.locator("a[href*='/verify/?id=']").first
    page.goto(verify_link.get_attribute("href") or "")
    expect(page.locator("main")).to_contain_text("有效")

    page.goto(case_url)
    page.get_by_role("link", name="评价本次服务").click()
    page.get_by_label("非常满意").check()
    page.get_by_label("一次办成").check()
    page.get_by_label("评价内容（选填）").fill("全程网上办，很方便")
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("main")).to_contain_text("感谢您的评价")


def test_5_a_citizen_opening_another_citizens_case_gets_not_found(
    page: Page, stack: Stack, tmp_path: Path
) -> None:
    other = new_citizen("孙好奇", "19800808")
    owner = new_citizen("周老太", "19460101")
    journeys.sign_up(page, stack, owner)
    apply_for_elder_card(page, tmp_path)
    page.get_by_role("link", name="查看办件进度").click()
    case_path = re.sub(r"^https?://[^/]+", "", page.url)
    page.get_by_role("button", name="退出").click()

    journeys.sign_up(page, stack, other)
    response = page.goto(case_path)

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("页面找不到了")


def _case_pk(page: Page) -> str:
    match = re.search(r"/applications/(\d+)/", page.url)
    assert match is not None
    return match.group(1)


def _act(page: Page, pk: str, title: str, submit: str, fill: dict[str, str] | None = None) -> None:
    """Open one action of the clerk's case page, fill it, submit it, and see it done."""
    page.goto(f"/workbench/cases/{pk}/")
    action = page.locator("details.action").filter(
        has=page.locator("summary").get_by_text(title, exact=True)
    )
    action.locator("summary").click()
    for label, value in (fill or {}).items():
        action.get_by_label(label).fill(value)
    action.get_by_role("button", name=submit).click()
    expect(page.locator(".error-summary")).to_have_count(0)


def test_2_a_clerk_with_2fa_asks_for_a_supplement_the_citizen_supplies_it_and_it_is_approved(
    page: Page, other_page: Page, stack: Stack, tmp_path: Path
) -> None:
    citizen = new_citizen("吴中年", "19750505")  # under 60: no 秒批, the department decides
    journeys.sign_up(other_page, stack, citizen)
    reference = apply_for_elder_card(other_page, tmp_path)
    other_page.get_by_role("link", name="查看办件进度").click()
    pk = _case_pk(other_page)

    journeys.staff_sign_in(page, "clerk")
    expect(page.locator("main")).to_contain_text(reference)
    page.goto(f"/workbench/cases/{pk}/")
    supplement = page.locator(
        "details.action", has=page.locator("summary", has_text="一次性告知补正")
    )
    supplement.locator("summary").click()
    supplement.locator("input[type=checkbox]").first.check()
    supplement.locator("textarea").first.fill("照片不清晰，请重新上传")
    supplement.get_by_role("button", name="出具补正告知书").click()
    expect(page.locator("main")).to_contain_text("待补正")

    other_page.reload()
    expect(other_page.locator("main")).to_contain_text("照片不清晰，请重新上传")
    upload = other_page.locator("input[id^='sf-']").first
    upload.set_input_files(str(journeys.scan(tmp_path, "new.pdf")))
    other_page.locator("form:has(input[id^='sf-']) button", has_text="上传").first.click()
    other_page.get_by_role("button", name="提交补正").click()
    expect(other_page.locator("main")).to_contain_text("已收件")

    _act(page, pk, "受理", "受理")
    # Review steps until the decision: this matter is 即办件 (the accepting clerk decides on the
    # spot); a multi-step matter passes each step's role in turn.
    for username in ("clerk", "reviewer", "approver"):
        if username != "clerk":
            page.get_by_role("button", name="退出").click()
            journeys.staff_sign_in(page, username, next_url=f"/workbench/cases/{pk}/")
        page.goto(f"/workbench/cases/{pk}/")
        if page.locator("summary").get_by_text("准予许可", exact=True).count():
            _act(page, pk, "准予许可", "作出准予许可决定")
            break
        if page.locator("summary").get_by_text("本环节办理完毕", exact=True).count():
            _act(page, pk, "本环节办理完毕", "提交意见，转下一环节", {"办理意见": "材料齐全"})
    expect(page.locator("main")).to_contain_text("准予许可")
    assert_no_violations(page, "clerk case page")

    other_page.reload()
    expect(other_page.locator("main")).to_contain_text("准予许可")


COMPANY_CHANGE = "/matters/11440300MB5020406K3000127002000/apply/"


def test_4_a_companys_agent_applies_for_it_and_a_window_clerk_files_and_prints_a_receipt(
    page: Page, other_page: Page, stack: Stack, tmp_path: Path
) -> None:
    representative = new_citizen("郑法人", "19700101")
    agent = new_citizen("冯经办", "19900202")
    journeys.sign_up(other_page, stack, agent)
    journeys.sign_up(page, stack, representative)
    page.goto("/my/companies/register/")
    page.get_by_label("统一社会信用代码").fill("91440300E37284563T")
    page.get_by_label("单位名称").fill("深圳好味餐饮有限公司")
    page.get_by_label("本人是该单位的法定代表人，所填信息真实有效").check()
    page.get_by_role("button", name="登记").click()
    page.get_by_role("link", name="授权经办人").click()
    page.get_by_label("姓名").fill(agent.name)
    page.get_by_label("公民身份号码").fill(agent.id_number)
    page.get_by_label("我已阅读并确认上述授权声明").check()
    page.get_by_role("button", name="确认授权").click()
    expect(page.locator("main")).to_contain_text("授权已生效")

    other_page.goto(COMPANY_CHANGE)
    other_page.get_by_label(re.compile("深圳好味餐饮有限公司")).check()
    other_page.get_by_role("button", name="开始申请").click()
    reference = journeys.complete_draft(
        other_page,
        tmp_path,
        {"统一社会信用代码（选填）": "91440300E37284563T", "单位名称": "深圳好味餐饮有限公司"},
    )
    other_page.goto("/my/")
    expect(other_page.locator("main")).to_contain_text("代 深圳好味餐饮有限公司 申报")
    assert reference

    # 一窗受理: a walk-in citizen without an account, the receipt printed.
    page.get_by_role("button", name="退出").click()
    journeys.staff_sign_in(page, "clerk", next_url="/workbench/file/")
    page.get_by_role("link", name=journeys.ELDER_CARD).first.click()
    walk_in = new_citizen("陈来办", "19500606")
    page.get_by_label("申请人姓名").fill(walk_in.name)
    page.get_by_label("公民身份号码").first.fill(walk_in.id_number)
    page.get_by_label("手机号码").first.fill(walk_in.mobile)
    page.locator("input[name=situation__Q1]").first.check()
    page.locator("input[name=situation__Q2]").first.check()
    page.locator("select[name=answers__household]").select_option(index=1)
    page.locator("#id_paper__M01").check()
    page.locator("#id_paper__M02").check()
    page.locator("#id_delivery_method_1").check()
    page.get_by_role("button", name="收件并生成收件凭证").click()
    expect(page.locator("main")).to_contain_text("收件凭证")
    expect(page.locator("main")).to_contain_text("陈*")
    page.pdf(path=str(tmp_path / "receipt.pdf"))
    assert (tmp_path / "receipt.pdf").read_bytes().startswith(b"%PDF")
