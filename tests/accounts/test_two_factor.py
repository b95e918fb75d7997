"""Every staff account passes a second factor (TOTP from an authenticator app) before it reaches
anything; citizens are never asked."""

import base64
import datetime as dt
import re

from django.test import Client

import pytest
import time_machine
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.two_factor import second_factor_reset

pytestmark = pytest.mark.django_db

PASSWORD = "pw-staff-test-1"


@pytest.fixture
def clerk_account(groups: None) -> User:
    from accounts.choices import Role
    from accounts.services import staff_create

    return staff_create(
        username="clerk2fa", password=PASSWORD, real_name="窗口人员", roles=[Role.WINDOW_CLERK]
    )


def password_sign_in(client: Client, username: str = "clerk2fa") -> None:
    response = client.post("/accounts/sign-in/", {"account": username, "password": PASSWORD})
    assert response.status_code == 302


def shown_key(page: str) -> bytes:
    match = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page)
    assert match is not None, "the setup page shows the key as text"
    text = match.group(1).replace(" ", "")
    return base64.b32decode(text + "=" * (-len(text) % 8))


def code_for(key: bytes, offset: int = 0) -> str:
    totp = TOTP(key)
    totp.drift = offset
    return f"{totp.token():06d}"


def enrol(client: Client) -> bytes:
    key = shown_key(client.get("/accounts/two-factor/setup/").content.decode())
    response = client.post("/accounts/two-factor/setup/", {"code": code_for(key)})
    assert response.status_code == 302
    return key


def test_a_signed_in_clerk_without_the_second_factor_reaches_nothing_else(
    clerk_account: User, client: Client
) -> None:
    password_sign_in(client)

    workbench = client.get("/workbench/")
    admin = client.get("/admin/")
    api = client.get("/api/v1/applications/")

    assert workbench.status_code == 302
    assert workbench["Location"] == "/accounts/two-factor/?next=%2Fworkbench%2F"
    assert admin["Location"].startswith("/accounts/two-factor/")
    assert api.status_code == 403
    assert api.json()["detail"] == "需要完成双因素认证。"


def test_enrolment_shows_a_qr_code_and_the_key_and_a_right_code_opens_the_workbench(
    clerk_account: User, client: Client
) -> None:
    password_sign_in(client)
    start = client.get("/accounts/two-factor/?next=/workbench/")
    assert start["Location"] == "/accounts/two-factor/setup/?next=%2Fworkbench%2F"
    page = client.get(start["Location"]).content.decode()
    assert "<svg" in page
    key = shown_key(page)
    assert (
        client.get("/accounts/two-factor/setup/")
        .content.decode()
        .count(base64.b32encode(key).decode()[:4])
    ), "a reload shows the same key: one device is being enrolled, not two"

    response = client.post(
        "/accounts/two-factor/setup/?next=/workbench/",
        {"code": code_for(key), "next": "/workbench/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200
    assert TOTPDevice.objects.filter(user=clerk_account, confirmed=True).count() == 1


def test_a_wrong_code_is_refused_with_a_reason_and_the_session_stays_unverified(
    clerk_account: User, client: Client
) -> None:
    password_sign_in(client)
    key = shown_key(client.get("/accounts/two-factor/setup/").content.decode())

    wrong = client.post("/accounts/two-factor/setup/", {"code": code_for(key, offset=-20)})
    letters = client.post("/accounts/two-factor/setup/", {"code": "abc"})

    assert wrong.status_code == 400
    assert "验证码不正确或已过期" in wrong.content.decode()
    assert "请输入认证器应用显示的6位数字验证码" in letters.content.decode()
    assert client.get("/workbench/").status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk_account, confirmed=True).exists()


def test_the_next_sign_in_asks_for_a_code_from_the_enrolled_app(
    clerk_account: User, client: Client
) -> None:
    password_sign_in(client)
    key = enrol(client)
    client.post("/accounts/sign-out/")

    password_sign_in(client)
    assert client.get("/accounts/two-factor/setup/")["Location"] == "/accounts/two-factor/verify/"
    page = client.get("/accounts/two-factor/verify/").content.decode()
    assert "totp-secret" not in page, "the key is shown at enrolment only"
    with time_machine.travel(dt.timedelta(seconds=31)):  # the next code: a code works once
        response = client.post("/accounts/two-factor/verify/", {"code": code_for(key)})

    assert response.status_code == 302
    assert response["Location"] == "/workbench/"


def test_repeated_wrong_codes_make_the_clerk_wait(clerk_account: User, client: Client) -> None:
    password_sign_in(client)
    key = enrol(client)
    client.post("/accounts/sign-out/")
    password_sign_in(client)

    client.post("/accounts/two-factor/verify/", {"code": code_for(key, offset=-20)})
    client.post("/accounts/two-factor/verify/", {"code": code_for(key, offset=-20)})
    throttled = client.post("/accounts/two-factor/verify/", {"code": code_for(key)})

    assert throttled.status_code == 400
    assert "错误次数较多" in throttled.content.decode()
    assert client.get("/workbench/").status_code == 302


def test_next_pointing_elsewhere_is_ignored(clerk_account: User, client: Client) -> None:
    password_sign_in(client)
    key = shown_key(client.get("/accounts/two-factor/setup/").content.decode())

    response = client.post(
        "/accounts/two-factor/setup/", {"code": code_for(key), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/workbench/"


def test_citizens_are_never_asked_for_a_second_factor(citizen: User, client: Client) -> None:
    client.force_login(citizen)

    assert client.get("/my/applications/").status_code == 200
    assert client.get("/accounts/two-factor/setup/")["Location"] == "/"


def test_after_a_reset_the_clerk_enrols_a_new_app(clerk_account: User, client: Client) -> None:
    password_sign_in(client)
    old_key = enrol(client)
    second_factor_reset(user=clerk_account)
    client.post("/accounts/sign-out/")

    password_sign_in(client)
    response = client.get("/accounts/two-factor/")
    new_key = shown_key(client.get(response["Location"]).content.decode())

    assert response["Location"] == "/accounts/two-factor/setup/"
    assert new_key != old_key


def test_a_clerk_signing_in_without_a_destination_lands_on_the_workbench(
    clerk_account: User, client: Client
) -> None:
    response = client.post("/accounts/sign-in/", {"account": "clerk2fa", "password": PASSWORD})

    assert response["Location"] == "/workbench/"
    assert client.get("/workbench/")["Location"] == "/accounts/two-factor/?next=%2Fworkbench%2F"
