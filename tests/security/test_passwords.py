"""Password policy (SEC-AUTH-03), staff password expiry with a forced change, TOTP reuse
(SEC-AUTH-06) and the hashers (CFG-07)."""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from portal.settings import base
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

STAFF_PASSWORD = "pw-catalogue-1"


def change_password(client: Client, current: str, new: str, **extra: str) -> Any:
    return client.post(
        reverse("password-change"),
        {"current_password": current, "password": new, "password_confirm": new, **extra},
    )


def errors_for(password: str) -> list[str]:
    try:
        validate_password(password)
    except ValidationError as error:
        return [str(message) for message in error.messages]
    return []


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("copper-ket1", False),  # 11 characters
        ("copper-kett1", True),  # 12
        ("c" + "opper-kettle-" * 4 + "x" * 11, True),  # 64
        ("k7" * 64, True),  # 128
        ("k7" * 64 + "!", False),  # 129
        ("通办密码不要告诉别人好吗谢谢", True),  # 14 CJK characters
        ("🔑🚲🌧️☕🎻🐼🍜🚇🌙🎈🧩🪁", True),  # emoji
        ("123456789012", False),  # all digits
        ("password1234", False),  # on the common-passwords list
        ("tongban-demo-2026", True),  # the demo accounts' password (portal/demo.py)
    ],
)
def test_the_password_rules(password: str, accepted: bool) -> None:
    assert (errors_for(password) == []) is accepted


def test_a_too_long_password_is_explained_in_chinese() -> None:
    assert errors_for("k7" * 65) == ["密码太长，最多128个字符。"]


def test_a_citizen_can_set_a_chinese_passphrase_and_sign_in_with_it(citizen: User) -> None:
    client = Client()
    sign_in(client, citizen)
    passphrase = "春眠不觉晓处处闻啼鸟🐦夜来风雨声"

    changed = change_password(client, "pw-citizen-1", passphrase)
    fresh = Client().post(reverse("sign-in"), {"account": "13800138000", "password": passphrase})

    assert changed.status_code == 302
    assert fresh.status_code == 302


def test_a_short_new_password_is_refused_with_a_reason(citizen: User) -> None:
    client = Client()
    sign_in(client, citizen)

    response = change_password(client, "pw-citizen-1", "short-pw-1")

    assert response.status_code == 400
    assert response.context["form"].errors["password"] == ["密码太短，至少需要12个字符。"]


def age_password(user: User, days: int) -> None:
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=days)
    )


def test_staff_with_a_password_older_than_90_days_must_change_it_first(
    catalogue_admin: User,
) -> None:
    age_password(catalogue_admin, 91)
    client = Client()
    sign_in(client, catalogue_admin)
    workbench = reverse("workbench-queue")

    sent = client.get(workbench)
    page = client.get(sent["Location"])
    api = client.get("/api/v1/applications/")
    changed = change_password(client, STAFF_PASSWORD, "copper-kettle-2026", next=workbench)
    after = client.get(workbench)

    assert sent.status_code == 302
    assert sent["Location"] == f"{reverse('password-change')}?next=%2Fworkbench%2F"
    assert "您的密码已超过90天未修改" in page.content.decode()
    assert api.status_code == 403
    assert api.json()["code"] == "password_expired"
    assert changed["Location"] == workbench
    assert after.status_code == 200


def test_staff_with_a_password_of_89_days_are_not_stopped(catalogue_admin: User) -> None:
    age_password(catalogue_admin, 89)
    client = Client()
    sign_in(client, catalogue_admin)

    assert client.get(reverse("workbench-queue")).status_code == 200


def test_the_maximum_age_follows_the_setting(catalogue_admin: User, settings: Any) -> None:
    settings.STAFF_PASSWORD_MAX_AGE_DAYS = 30
    age_password(catalogue_admin, 31)
    client = Client()
    sign_in(client, catalogue_admin)

    assert client.get(reverse("workbench-queue")).status_code == 302


def test_citizen_passwords_do_not_expire(citizen: User) -> None:
    age_password(citizen, 400)
    client = Client()
    sign_in(client, citizen)

    assert client.get(reverse("centre")).status_code == 200


def test_a_totp_code_works_once_and_its_reuse_is_logged(
    catalogue_admin: User, caplog: pytest.LogCaptureFixture
) -> None:
    device = TOTPDevice.objects.create(user=catalogue_admin, name="app", confirmed=True)
    code = f"{TOTP(device.bin_key).token():06d}"
    first, second = Client(), Client()
    for client in (first, second):
        response = client.post(
            reverse("sign-in"), {"account": "catalogue", "password": STAFF_PASSWORD}
        )
        assert response.status_code == 302

    accepted = first.post(reverse("two-factor-verify"), {"code": code})
    with caplog.at_level(logging.WARNING, logger="accounts.two_factor"):
        replayed = second.post(reverse("two-factor-verify"), {"code": code})

    assert accepted.status_code == 302
    assert replayed.status_code == 400
    assert [r.getMessage() for r in caplog.records if r.name == "accounts.two_factor"] == [
        f"Reused TOTP code refused for user {catalogue_admin.pk}"
    ]


def test_new_passwords_are_hashed_with_pbkdf2_outside_the_tests() -> None:
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert not any("MD5" in hasher for hasher in base.PASSWORD_HASHERS)
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
