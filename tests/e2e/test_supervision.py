"""电子监察 and 好差评 in the browser: the supervision office's dashboard with its charts, a
department head's dashboard limited to their department, and the public rating figures on a phone.
Runs after the other journeys, so there are cases and a rating to count."""

import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e import journeys
from tests.e2e.stack import Stack
from tests.e2e.test_accessibility import assert_no_violations


def test_7_the_supervisor_sees_charts_and_a_department_head_only_their_department(
    page: Page, other_page: Page, stack: Stack, tmp_path: Path
) -> None:
    elder = journeys.new_citizen("冯老伯", "19480808")
    journeys.sign_up(other_page, stack, elder)
    journeys.apply_for_elder_card(other_page, tmp_path)  # 秒批: received and decided today
    other_page.get_by_role("button", name="退出").click()
    since = (dt.datetime.now(tz=dt.UTC).date() - dt.timedelta(days=7)).isoformat()
    stack.manage("statistics_rebuild", "--since", since)

    journeys.staff_sign_in(page, "supervisor")
    page.get_by_role("link", name="统计分析").first.click()
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("统计分析")
    expect(main).to_contain_text("收件量")
    expect(main).to_contain_text("网上可办率")
    expect(main.locator("svg").first).to_be_visible()
    assert (
        main.locator("#departments-title ~ * tbody tr, #departments-title + * tbody tr").count()
        >= 1
    )
    assert_no_violations(page, "supervision dashboard")

    journeys.staff_sign_in(other_page, "deptadmin", next_url="/supervision/dashboard/")
    department = other_page.get_by_label("部门")
    options = [o.strip() for o in department.locator("option").all_inner_texts() if o.strip()]
    assert len(options) == 2, options  # 全部部门 and their own department only
    assert "市场监督管理局" in options[1]
    expect(other_page.locator("main")).not_to_contain_text("深圳市公安局")


def test_8_anyone_reads_the_public_rating_figures_on_a_phone(
    other_page: Page, stack: Stack
) -> None:
    phone = other_page
    phone.goto("/")
    phone.get_by_role("link", name="好差评公示").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("好差评公示")
    expect(phone.locator("main")).to_contain_text("好评率")
    assert_no_violations(phone, "public ratings")
