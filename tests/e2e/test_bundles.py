"""一件事 in the browser: a parent applies for 新生儿出生一件事 with one form and one upload per
material; three departments' cases are filed at once; two departments ask for supplements and the
parent gets one message listing both."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e import journeys
from tests.e2e.journeys import new_citizen
from tests.e2e.stack import Stack
from tests.e2e.test_accessibility import assert_no_violations

BUNDLE = "新生儿出生一件事"


def _apply_for_the_bundle(page: Page, tmp: Path) -> str:
    """From the header to the bundle's page; returns its path."""
    page.get_by_role("link", name="一件事", exact=True).click()
    page.get_by_role("link", name=BUNDLE).click()
    expect(page.locator("main")).to_contain_text("一套材料")
    page.get_by_role("link", name="在线申请").click()
    page.get_by_role("button", name="开始填写").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BUNDLE)
    for group in sorted(
        {
            r.get_attribute("name") or ""
            for r in page.locator("#bundle-form input[type=radio]").all()
        }
    ):
        page.locator(f"#bundle-form input[type=radio][name='{group}']").first.check()
    page.get_by_label("电子送达").check()
    page.get_by_role("button", name="保存", exact=True).click()
    uploads = page.locator("input[type=file]")
    for index in range(uploads.count()):
        field = page.locator("input[type=file]").nth(index)
        slot = field.get_attribute("id")
        field.set_input_files(str(journeys.scan(tmp)))
        page.locator(f"form:has(#{slot}) button").click()
        expect(page.locator("main")).to_contain_text("材料已上传")
    assert_no_violations(page, "bundle form")
    page.get_by_role("button", name="核对并一次提交").click()
    expect(page.locator("main")).to_contain_text("一件事已提交")
    return re.sub(r"^https?://[^/]+", "", page.url)


def test_6_one_bundle_three_departments_and_one_supplement_message(
    page: Page, other_page: Page, stack: Stack, tmp_path: Path
) -> None:
    parent = new_citizen("郑爸爸", "19920202")
    journeys.sign_up(other_page, stack, parent)
    bundle_path = _apply_for_the_bundle(other_page, tmp_path)
    expect(other_page.locator("main tbody tr")).to_have_count(3)
    expect(other_page.locator("main tbody")).not_to_contain_text("草稿")
    case_ids = [
        re.sub(r"\D", "", link.get_attribute("href") or "")
        for link in other_page.locator("main tbody a[href^='/applications/']").all()
    ]
    assert len(case_ids) == 3

    journeys.staff_sign_in(page, "clerk")
    for pk, reason in zip(
        case_ids[:2], ("请补充清晰的身份证扫描件", "登记表缺少签名"), strict=True
    ):
        page.goto(f"/workbench/cases/{pk}/")
        expect(page.locator("main")).to_contain_text(f"本件属于一件事“{BUNDLE}”")
        supplement = page.locator(
            "details.action", has=page.locator("summary", has_text="一次性告知补正")
        )
        supplement.locator("summary").click()
        supplement.locator("input[type=checkbox]").first.check()
        supplement.locator("textarea").first.fill(reason)
        supplement.get_by_role("button", name="出具补正告知书").click()
        expect(page.locator("main")).to_contain_text("待补正")
    page.goto(f"/workbench/cases/{case_ids[2]}/")
    accept = page.locator("details.action").filter(
        has=page.locator("summary").get_by_text("受理", exact=True)
    )
    accept.locator("summary").click()
    accept.get_by_role("button", name="受理").click()

    other_page.goto("/inbox/")
    messages = other_page.locator("main").get_by_text("请补正材料", exact=False)
    expect(messages).to_have_count(1)
    other_page.goto(bundle_path)
    main = other_page.locator("main")
    expect(main).to_contain_text("请补充清晰的身份证扫描件")
    expect(main).to_contain_text("登记表缺少签名")
    assert_no_violations(other_page, "bundle page")
