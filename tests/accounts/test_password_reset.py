"""找回密码 with the ID number, the mobile and a code; 修改密码 while signed in."""

import re
from collections.abc import Iterator

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

import pytest

from accounts.models import User
from core import sms
from tests.auth import sign_in
from tests.html import visible_text

URL = reverse("password-reset")
CHANGE_URL = reverse("password-change")
SENT = "如果公民身份号码和手机号码与已注册的账号一致，验证码已发送到该手机，请查收短信。"
NEW_PASSWORD = "copper-kettle-77"


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> Iterator[None]:
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def code_on_phone() -> str:
    match = re.search(r"验证码是(\d{6})", sms.outbox[-1].text)
    assert match is not None
    return match.group(1)


def reset_data(**changes: str) -> dict[str, str]:
    data = {
        "id_number": "11010519491231002x",
        "mobile": "13800138000",
        "sms_code": "",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    }
    return {**data, **changes}


def test_a_citizen_resets_their_password_with_a_code_and_signs_in_with_it(
    citizen: User,
) -> None:
    client = Client()

    sent = client.post(URL, reset_data(send_code="1", password="", password_confirm=""))
    response = client.post(URL, reset_data(sms_code=code_on_phone()), follow=True)
    signed_in = client.post(
        reverse("sign-in"), {"account": "13800138000", "password": NEW_PASSWORD}
    )

    assert SENT in visible_text(sent)
    assert response.redirect_chain == [(reverse("sign-in"), 302)]
    assert "密码已重置，请使用新密码登录。" in visible_text(response)
    assert signed_in.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("_case", "id_number", "mobile"),
    [
        ("unknown ID number", "110101199003071233", "13800138000"),
        ("mobile of another person", "11010519491231002X", "13912345678"),
    ],
)
def test_a_mismatch_reads_the_same_and_texts_nothing(
    citizen: User, _case: str, id_number: str, mobile: str
) -> None:
    client = Client()

    sent = client.post(URL, reset_data(send_code="1", id_number=id_number, mobile=mobile))
    response = client.post(URL, reset_data(id_number=id_number, mobile=mobile, sms_code="123456"))

    assert SENT in visible_text(sent)
    assert sms.outbox == []
    assert response.context["form"].errors["sms_code"][0].startswith("验证码不正确")
    citizen.refresh_from_db()
    assert citizen.check_password("pw-citizen-1")


def test_the_new_password_follows_the_rules_and_a_refusal_keeps_the_code(
    citizen: User,
) -> None:
    client = Client()
    client.post(URL, reset_data(send_code="1"))
    code = code_on_phone()

    refused = client.post(
        URL,
        reset_data(sms_code=code, password="013800138000", password_confirm="013800138000"),
    )
    accepted = client.post(URL, reset_data(sms_code=code))

    assert refused.context["form"].errors["password"] == [
        "密码只包含数字。",
        "密码与手机号码太相似，请换一个密码。",
    ]
    assert accepted.status_code == 302


def test_resetting_the_password_lifts_the_lockout(citizen: User) -> None:
    for _attempt in range(5):
        Client().post(reverse("sign-in"), {"account": "13800138000", "password": "wrong-pw-1"})
    client = Client()
    client.post(URL, reset_data(send_code="1"))
    client.post(URL, reset_data(sms_code=code_on_phone()))

    response = client.post(
        reverse("sign-in"), {"account": "11010519491231002X", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302


def test_resetting_the_password_signs_out_every_other_session(citizen: User) -> None:
    elsewhere = Client()
    sign_in(elsewhere, citizen)
    client = Client()
    client.post(URL, reset_data(send_code="1"))
    client.post(URL, reset_data(sms_code=code_on_phone()))

    response = elsewhere.get(reverse("password-change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_changing_the_password_keeps_this_session_and_ends_the_others(citizen: User) -> None:
    client, elsewhere = Client(), Client()
    sign_in(client, citizen)
    sign_in(elsewhere, citizen)

    response = client.post(
        CHANGE_URL,
        {
            "current_password": "pw-citizen-1",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
        follow=True,
    )

    assert "密码已修改。其他设备上的登录已退出。" in visible_text(response)
    assert client.session[SESSION_KEY] == str(citizen.pk)
    assert elsewhere.get(CHANGE_URL).status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("_case", "data", "field", "message"),
    [
        (
            "wrong current password",
            {"current_password": "pw-citizen-9"},
            "current_password",
            "当前密码不正确。",
        ),
        (
            "confirmation differs",
            {"password_confirm": NEW_PASSWORD + "x"},
            "password_confirm",
            "两次输入的密码不一致，请重新输入。",
        ),
        (
            "too short",
            {"password": "short-pw", "password_confirm": "short-pw"},
            "password",
            "密码太短，至少需要12个字符。",
        ),
    ],
)
def test_a_refused_password_change_is_explained_and_changes_nothing(
    citizen: User, _case: str, data: dict[str, str], field: str, message: str
) -> None:
    client = Client()
    sign_in(client, citizen)
    form = {
        "current_password": "pw-citizen-1",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
        **data,
    }

    response = client.post(CHANGE_URL, form)

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert f'<a href="#id_{field}">{message}</a>' in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password("pw-citizen-1")


def test_changing_the_password_needs_signing_in(db: None) -> None:
    response = Client().get(CHANGE_URL)

    assert response["Location"] == f"{reverse('sign-in')}?next={CHANGE_URL}"
