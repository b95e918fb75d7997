"""axe-core (WCAG 2 A/AA rules) finds no violations on the pages of the citizen journey, the clerk's
case page and the verification page; and the journey's key steps work with the keyboard alone."""

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e import journeys
from tests.e2e.stack import Stack

AXE = Axe()


def assert_no_violations(page: Page, what: str) -> None:
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what} ({page.url}):\n{results.generate_report()}"


def test_the_citizen_journey_pages_have_no_axe_violations(
    page: Page, stack: Stack, tmp_path: Path
) -> None:
    person = journeys.new_citizen("林无障", "19440404")
    page.goto("/")
    assert_no_violations(page, "home page")
    journeys.sign_up(page, stack, person)
    page.goto("/search/?q=老年人优待证")
    assert_no_violations(page, "search results")
    page.get_by_role("link", name=journeys.ELDER_CARD).first.click()
    assert_no_violations(page, "matter guide")
    page.get_by_role("link", name="在线申请").first.click()
    assert_no_violations(page, "apply start")
    page.get_by_role("button", name="开始申请").click()
    assert_no_violations(page, "step 1: situation")
    page.get_by_label("深圳户籍", exact=True).check()
    page.get_by_label("本人办理").check()
    page.get_by_role("button", name="保存并继续").click()
    assert_no_violations(page, "step 2: form")
    page.get_by_role("button", name="保存并继续").click()  # missing answer: errors shown
    assert_no_violations(page, "step 2 with errors")
    page.get_by_label("户籍或居住证情况").select_option(label="本区户籍")
    page.get_by_role("button", name="保存并继续").click()
    assert_no_violations(page, "step 3: materials")
    for key in ("file-M01", "file-M02"):
        page.locator(f"#{key}").set_input_files(str(journeys.scan(tmp_path)))
        page.locator(f"form:has(#{key}) button").click()
    page.get_by_role("link", name="继续").click()
    assert_no_violations(page, "step 4: delivery")
    page.get_by_label("电子送达").check()
    page.get_by_role("button", name="保存并核对").click()
    assert_no_violations(page, "step 5: check your answers")
    page.locator("main form button", has_text="提交").first.click()
    assert_no_violations(page, "confirmation")
    page.goto("/my/applications/")
    assert_no_violations(page, "my applications")
    page.goto("/my/")
    assert_no_violations(page, "the citizen centre")
    page.goto("/my/applications/")
    page.get_by_role("link", name=journeys.ELDER_CARD).first.click()
    expect(page.locator("main")).to_contain_text("已签发", timeout=30_000)
    assert_no_violations(page, "case page")
    page.get_by_role("link", name="在证照夹中查看").click()
    verify = page.locator("a[href*='/verify/?id=']").first.get_attribute("href") or ""
    page.goto(verify)
    assert_no_violations(page, "verification result")
    page.goto("/verify/")
    assert_no_violations(page, "verification page")


def test_the_key_steps_work_with_the_keyboard_alone(page: Page, stack: Stack) -> None:
    person = journeys.new_citizen("键盘人", "19430303")
    journeys.sign_up(page, stack, person)
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.locator(":focus")).to_have_text("跳到主要内容")
    page.goto("/search/?q=老年人优待证")
    link = page.get_by_role("link", name=journeys.ELDER_CARD).first
    link.focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="在线申请").first.focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="开始申请").focus()
    page.keyboard.press("Enter")
    page.get_by_label("深圳户籍", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_label("本人办理").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="保存并继续").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/apply/form/"))
    page.get_by_label("户籍或居住证情况").focus()
    page.keyboard.press("ArrowDown")
    page.get_by_role("button", name="保存并继续").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/apply/materials/"))
