"""Steps people take in the browser, shared by the journeys and the accessibility checks."""

import base64
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from django_otp.oath import TOTP
from playwright.sync_api import Page, expect
from stdnum.cn import ric

from tests.e2e.stack import Stack

DEMO_PASSWORD = "tongban-demo-2026"
PASSWORD = "Tongban-e2e-2026!"
ELDER_CARD = "老年人优待证办理"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass
class Citizen:
    name: str
    id_number: str
    mobile: str


@dataclass
class StaffKeys:
    """The authenticator keys staff enrolled during the run (an authenticator app's memory)."""

    keys: dict[str, bytes] = field(default_factory=dict)
    used: dict[str, int] = field(default_factory=dict)


STAFF = StaffKeys()
_serial = iter(range(100, 999))


def new_citizen(name: str, born: str) -> Citizen:
    serial = next(_serial)
    body = f"110105{born}{serial:03d}"
    return Citizen(name, body + ric.calc_check_digit(body + "0"), f"135{serial:08d}")


def scan(tmp: Path, name: str = "scan.pdf") -> Path:
    path = tmp / name
    path.write_bytes(PDF)
    return path


def sign_up(page: Page, stack: Stack, person: Citizen) -> None:
    page.goto("/accounts/sign-up/")
    page.get_by_label("姓名").fill(person.name)
    page.get_by_label("公民身份号码").fill(person.id_number)
    page.get_by_label("手机号码").fill(person.mobile)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_label("短信验证码").fill(stack.latest_code(person.mobile))
    page.get_by_label("设置密码").fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_label("我已阅读并同意《个人信息保护告知》").check()
    page.get_by_role("button", name="同意并注册").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def sign_in(page: Page, account: str, password: str = PASSWORD, next_url: str = "") -> None:
    page.goto("/accounts/sign-in/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("账号").fill(account)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def staff_sign_in(page: Page, username: str, next_url: str = "/workbench/") -> None:
    """Password, then the second factor: enrol the first time, a fresh code afterwards."""
    sign_in(page, username, DEMO_PASSWORD, next_url)
    if "/two-factor/setup/" in page.url:
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        STAFF.keys[username] = base64.b32decode(secret + "=" * (-len(secret) % 8))
        page.get_by_label("验证码").fill(_code(username))
        page.get_by_role("button", name="验证并启用").click()
    else:
        expect(page).to_have_url(re.compile("/two-factor/verify/"))
        page.get_by_label("验证码").fill(_code(username))
        page.get_by_role("button", name="验证", exact=True).click()
    expect(page.get_by_role("link", name="工作台").first).to_be_visible()


def _code(username: str) -> str:
    """The app's current code; a code is accepted once, so wait for the next one if it was used."""
    totp = TOTP(STAFF.keys[username])
    while STAFF.used.get(username) == totp.t():
        time.sleep(1)
    STAFF.used[username] = totp.t()
    return f"{totp.token():06d}"


def apply_for_elder_card(page: Page, tmp: Path, *, resident: bool = True) -> str:
    """From the header search to the confirmation page; returns the reference (申报号)."""
    page.get_by_role("searchbox", name="搜索办事事项").fill("老年人优待证")
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("link", name=ELDER_CARD).first.click()
    page.get_by_role("link", name="在线申请").first.click()
    page.get_by_role("button", name="开始申请").click()
    page.get_by_label("深圳户籍" if resident else "非深圳户籍，持有深圳居住证", exact=True).check()
    page.get_by_label("本人办理").check()
    page.get_by_role("button", name="保存并继续").click()
    page.get_by_label("户籍或居住证情况").select_option(
        label="本区户籍" if resident else "持深圳居住证"
    )
    page.get_by_role("button", name="保存并继续").click()
    _upload_every_material(page, tmp)
    page.get_by_role("link", name="继续").click()
    page.get_by_label("电子送达").check()
    page.get_by_role("button", name="保存并核对").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("核对您的申请")
    return _submit(page)


def complete_draft(page: Page, tmp: Path, answers: dict[str, str] | None = None) -> str:
    """Answer every step of a draft the plain way (first option of each question, `answers` by
    label, every other field filled, every material uploaded), check and submit; returns the
    reference."""
    for radio_group in sorted(
        {r.get_attribute("name") or "" for r in page.locator("main form input[type=radio]").all()}
    ):
        page.locator(f"main form input[type=radio][name='{radio_group}']").first.check()
    page.get_by_role("button", name="保存并继续").click()
    for label, value in (answers or {}).items():
        page.get_by_label(label, exact=True).fill(value)
    text_boxes = "main form input[type=text], main form input:not([type]), main form textarea"
    for box in page.locator(text_boxes).all():
        if not box.input_value():
            box.fill("测试内容")
    for box in page.locator("main form input[type=date]").all():
        box.fill("2026-01-15")
    for box in page.locator("main form input[type=number]").all():
        box.fill("10")
    for select in page.locator("main form select").all():
        select.select_option(index=1)
    page.get_by_role("button", name="保存并继续").click()
    assert "/apply/form/" not in page.url, page.locator("main").inner_text()[:1500]
    _upload_every_material(page, tmp)
    page.get_by_role("link", name="继续").click()
    page.locator("input[name=delivery_method]").first.check()
    page.get_by_role("button", name="保存并核对").click()
    return _submit(page)


def _upload_every_material(page: Page, tmp: Path) -> None:
    """The materials step: a scan for each material asked for."""
    for upload in page.locator("input[type=file]").all():
        key = upload.get_attribute("id")
        page.locator(f"#{key}").set_input_files(str(scan(tmp)))
        page.locator(f"form:has(#{key}) button").click()


def _submit(page: Page) -> str:
    """Submit from the check page; the reference (申报号) the confirmation shows."""
    page.locator("main form button", has_text="提交").first.click()
    expect(page.locator("main")).to_contain_text("申报号")
    match = re.search(r"[0-9A-Z]{40,}", page.locator("main").inner_text())
    assert match is not None, "the confirmation shows the reference"
    return match.group(0)
