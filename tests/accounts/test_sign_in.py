"""Signing in with the ID number or the mobile and a password, or with a code texted to the
mobile; signing out; the header's account area."""

import re
from collections.abc import Iterator

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

import pytest

from accounts.models import OneTimeCode, User
from core import sms
from tests.auth import sign_in
from tests.html import visible_text

URL = reverse("sign-in")
CODE_URL = reverse("sign-in-code")
GENERIC_ERROR = "账号或密码不正确。"
SENT = "如果该手机号码已注册，验证码已发送，请查收短信。"


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> Iterator[None]:
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def code_on_phone() -> str:
    match = re.search(r"验证码是(\d{6})", sms.outbox[-1].text)
    assert match is not None
    return match.group(1)


def test_the_sign_in_page_asks_for_the_account_and_the_current_password(db: None) -> None:
    response = Client().get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert "公民身份号码或手机号码。" in visible_text(response)


@pytest.mark.parametrize(
    ("_case", "account"),
    [
        ("ID number", "11010519491231002X"),
        ("ID number with a lower-case x", "11010519491231002x"),
        ("ID number with spaces", " 110105 19491231 002X "),
        ("mobile", "13800138000"),
        ("mobile in full-width digits", "１３８００１３８０００"),
    ],
)
def test_a_citizen_signs_in_with_their_id_number_or_mobile(
    citizen: User, _case: str, account: str
) -> None:
    client = Client()

    response = client.post(URL, {"account": account, "password": "pw-citizen-1"})

    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    assert client.session[SESSION_KEY] == str(citizen.pk)


def test_staff_still_sign_in_with_their_username(catalogue_admin: User) -> None:
    client = Client()

    response = client.post(URL, {"account": "catalogue", "password": "pw-catalogue-1"})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(catalogue_admin.pk)


@pytest.mark.parametrize(
    ("_case", "account", "password"),
    [
        ("wrong password", "11010519491231002X", "pw-citizen-2"),
        ("wrong password by mobile", "13800138000", "pw-citizen-2"),
        ("unknown ID number", "110101199003071233", "pw-citizen-1"),
        ("unknown mobile", "13912345678", "pw-citizen-1"),
        ("nonsense account", "nobody", "pw-citizen-1"),
    ],
)
def test_a_failed_sign_in_gives_one_message_that_does_not_tell_whether_the_account_exists(
    citizen: User, _case: str, account: str, password: str
) -> None:
    client = Client()

    response = client.post(URL, {"account": account, "password": password})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [GENERIC_ERROR]
    assert f'<a href="#id_account">{GENERIC_ERROR}</a>' in response.content.decode()
    assert SESSION_KEY not in client.session


def test_an_inactive_account_cannot_sign_in_and_gets_the_same_message(citizen: User) -> None:
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])

    response = Client().post(URL, {"account": "13800138000", "password": "pw-citizen-1"})

    assert response.context["form"].non_field_errors() == [GENERIC_ERROR]


def test_a_mobile_shared_by_two_accounts_signs_in_neither(citizen: User) -> None:
    User.objects.create_user(username="legacy", password="pw-citizen-1", mobile="13800138000")

    response = Client().post(URL, {"account": "13800138000", "password": "pw-citizen-1"})

    assert response.context["form"].non_field_errors() == [GENERIC_ERROR]


def test_after_signing_in_the_citizen_goes_back_to_the_page_they_came_from(
    citizen: User,
) -> None:
    response = Client().post(
        f"{URL}?next=/matters/", {"account": "13800138000", "password": "pw-citizen-1"}
    )

    assert response["Location"] == "/matters/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_a_next_address_on_another_site_is_ignored(citizen: User, next_url: str) -> None:
    response = Client().post(
        URL, {"account": "13800138000", "password": "pw-citizen-1", "next": next_url}
    )

    assert response["Location"] == reverse("home")


def test_signing_out_by_get_is_refused(citizen: User) -> None:
    client = Client()
    sign_in(client, citizen)

    response = client.get(reverse("sign-out"))

    assert response.status_code == 405
    assert client.session[SESSION_KEY] == str(citizen.pk)


def test_signing_out_by_post_signs_the_citizen_out(citizen: User) -> None:
    client = Client()
    sign_in(client, citizen)

    response = client.post(reverse("sign-out"))

    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    assert SESSION_KEY not in client.session


def test_signing_out_without_the_csrf_token_is_refused(citizen: User) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, citizen)

    response = client.post(reverse("sign-out"))

    assert response.status_code == 403
    assert client.session[SESSION_KEY] == str(citizen.pk)


def test_the_header_of_an_anonymous_visitor_links_to_sign_in_with_no_csrf_token(
    db: None,
) -> None:
    response = Client().get(reverse("department-list"))

    html = response.content.decode()
    assert f'href="{URL}?next=/departments/"' in html
    assert "csrfmiddlewaretoken" not in html
    assert not response.cookies  # still cacheable by matters.caching.public_page


def test_the_header_of_a_signed_in_citizen_shows_their_name_and_a_sign_out_button(
    citizen: User,
) -> None:
    client = Client()
    sign_in(client, citizen)

    response = client.get(reverse("department-list"))

    html = response.content.decode()
    assert "张三" in visible_text(response)
    assert f'action="{reverse("sign-out")}"' in html
    assert "csrfmiddlewaretoken" in html


def test_a_signed_in_citizen_never_gets_the_anonymous_page_from_the_cache(citizen: User) -> None:
    Client().get(reverse("department-list"))  # an anonymous visit stores the page
    client = Client()
    sign_in(client, citizen)

    response = client.get(reverse("department-list"))

    assert "张三" in visible_text(response)
    assert "登录" not in visible_text(response)


def test_the_sign_in_page_links_to_sms_sign_in_and_password_reset(db: None) -> None:
    response = Client().get(f"{URL}?next=/matters/")

    html = response.content.decode()
    assert f'href="{CODE_URL}?next=/matters/">短信验证码登录</a>' in html
    assert f'href="{reverse("password-reset")}">忘记密码？</a>' in html


def test_a_citizen_signs_in_with_a_code_texted_to_their_mobile(citizen: User) -> None:
    client = Client()

    sent = client.post(CODE_URL, {"mobile": "138 0013 8000", "send_code": "1"})
    response = client.post(
        f"{CODE_URL}?next=/matters/", {"mobile": "13800138000", "sms_code": code_on_phone()}
    )

    assert sent.status_code == 200
    assert SENT in visible_text(sent)
    assert [message.mobile for message in sms.outbox] == ["13800138000"]
    assert (response.status_code, response["Location"]) == (302, "/matters/")
    assert client.session[SESSION_KEY] == str(citizen.pk)


def test_the_sms_sign_in_page_has_labelled_fields_with_autocomplete_hints(db: None) -> None:
    response = Client().get(CODE_URL)

    html = response.content.decode()
    assert '<label for="id_mobile">手机号码</label>' in html
    assert '<label for="id_sms_code">短信验证码</label>' in html
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert 'name="send_code"' in html


@pytest.mark.parametrize(
    ("_case", "mobile"),
    [("unregistered mobile", "13912345678"), ("staff member's mobile", "13700137000")],
)
def test_asking_for_a_code_reads_the_same_for_an_unknown_mobile_and_texts_nothing(
    citizen: User, catalogue_admin: User, _case: str, mobile: str
) -> None:
    catalogue_admin.mobile = "13700137000"
    catalogue_admin.save(update_fields=["mobile"])
    client = Client()

    sent = client.post(CODE_URL, {"mobile": mobile, "send_code": "1"})
    again = client.post(CODE_URL, {"mobile": mobile, "send_code": "1"})
    response = client.post(CODE_URL, {"mobile": mobile, "sms_code": "123456"})

    assert SENT in visible_text(sent)
    assert sms.outbox == []
    assert re.fullmatch(r"请在\d+秒后再获取验证码。", again.context["form"].non_field_errors()[0])
    assert response.context["form"].errors["sms_code"][0].startswith("验证码不正确")
    assert SESSION_KEY not in client.session


def test_a_wrong_code_does_not_sign_in_and_five_kill_the_code(citizen: User) -> None:
    client = Client()
    client.post(CODE_URL, {"mobile": "13800138000", "send_code": "1"})
    code = code_on_phone()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _try in range(5):
        client.post(CODE_URL, {"mobile": "13800138000", "sms_code": wrong})

    response = client.post(CODE_URL, {"mobile": "13800138000", "sms_code": code})

    assert response.status_code == 400
    assert response.context["form"].errors["sms_code"] == [
        "验证码输入错误次数过多，已失效，请重新获取。"
    ]
    assert SESSION_KEY not in client.session


def test_a_code_asked_for_before_the_account_was_disabled_no_longer_signs_in(
    citizen: User,
) -> None:
    client = Client()
    client.post(CODE_URL, {"mobile": "13800138000", "send_code": "1"})
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])

    response = client.post(CODE_URL, {"mobile": "13800138000", "sms_code": code_on_phone()})

    assert response.context["form"].errors["sms_code"] == ["验证码不正确，请重新获取。"]
    assert SESSION_KEY not in client.session
    assert OneTimeCode.objects.get().used_at is not None
