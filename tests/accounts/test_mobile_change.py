"""更换手机号码: the current password and the new mobile, a code texted to the new mobile, and a
security notice to the old one."""

import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from accounts.models import User
from core import sms
from notifications.choices import Channel, Event
from notifications.models import Notification
from notifications.services import notification_send
from tests.auth import sign_in
from tests.html import visible_text

URL = reverse("mobile-change")
NEW_MOBILE = "13912345678"


@pytest.fixture
def client(citizen: User) -> Client:
    client = Client()
    sign_in(client, citizen)
    return client


def code_on_phone(mobile: str) -> str:
    texts = [message.text for message in sms.outbox if message.mobile == mobile]
    match = re.search(r"验证码是(\d{6})", texts[-1])
    assert match is not None
    return match.group(1)


def test_a_citizen_moves_to_a_new_mobile_and_the_old_one_is_warned(
    client: Client, citizen: User
) -> None:
    form = {"current_password": "pw-citizen-1", "mobile": NEW_MOBILE}

    sent = client.post(URL, {**form, "send_code": "1"})
    response = client.post(URL, {**form, "sms_code": code_on_phone(NEW_MOBILE)}, follow=True)

    assert "验证码已发送到新手机号码，请查收短信。" in visible_text(sent)
    assert "手机号码已更换。" in visible_text(response)
    citizen.refresh_from_db()
    assert citizen.mobile == NEW_MOBILE
    # The warning is an outbox message (SEC-AUTH-04), sent by the notification workers.
    queued = Notification.objects.get(event=Event.MOBILE_CHANGED, channel=Channel.SMS)
    notification_send(notification_id=queued.pk, now=timezone.now())
    notice = sms.outbox[-1]
    assert notice.mobile == "13800138000"
    assert notice.text == (
        "【通办】您账号绑定的手机号码已更换。如非本人操作，请立即通过“找回密码”重设密码或拨打12345。"
    )
    assert NEW_MOBILE not in notice.text


def test_the_page_shows_the_current_mobile_masked(client: Client) -> None:
    response = client.get(URL)

    assert "当前手机号码：138****8000。" in visible_text(response)
    assert "13800138000" not in response.content.decode()


@pytest.mark.parametrize(
    ("_case", "changes", "field", "message"),
    [
        ("wrong password", {"current_password": "nope-nope-1"}, "current_password", "当前密码不正确。"),
        ("same mobile", {"mobile": "138 0013 8000"}, "mobile", "新手机号码与当前手机号码相同。"),
        ("taken mobile", {"mobile": "13900139000"}, "mobile", "该手机号码已被其他账号使用。"),
        ("not a mobile", {"mobile": "12345"}, "mobile", "手机号码应为以1开头的11位数字，请核对后重新输入。"),
    ],
)  # fmt: skip
def test_a_refused_request_texts_nothing(
    client: Client, citizen: User, _case: str, changes: dict[str, str], field: str, message: str
) -> None:
    User.objects.create_user(username="other", password="pw-other-123", mobile="13900139000")
    form = {"current_password": "pw-citizen-1", "mobile": NEW_MOBILE, "send_code": "1", **changes}

    response = client.post(URL, form)

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert sms.outbox == []


def test_a_wrong_code_changes_nothing(client: Client, citizen: User) -> None:
    form = {"current_password": "pw-citizen-1", "mobile": NEW_MOBILE}
    client.post(URL, {**form, "send_code": "1"})
    wrong = f"{(int(code_on_phone(NEW_MOBILE)) + 1) % 1_000_000:06d}"

    response = client.post(URL, {**form, "sms_code": wrong})

    assert response.context["form"].errors["sms_code"] == ["验证码不正确，还可以再试4次。"]
    citizen.refresh_from_db()
    assert citizen.mobile == "13800138000"
    assert len(sms.outbox) == 1


def test_a_mobile_taken_between_code_and_confirmation_is_refused(
    client: Client, citizen: User
) -> None:
    form = {"current_password": "pw-citizen-1", "mobile": NEW_MOBILE}
    client.post(URL, {**form, "send_code": "1"})
    User.objects.create_user(username="quick", password="pw-quick-123", mobile=NEW_MOBILE)

    response = client.post(URL, {**form, "sms_code": code_on_phone(NEW_MOBILE)})

    assert response.context["form"].errors["mobile"] == ["该手机号码已被其他账号使用。"]
    citizen.refresh_from_db()
    assert citizen.mobile == "13800138000"


def test_another_citizens_code_for_the_same_mobile_does_not_work(
    client: Client, citizen: User
) -> None:
    other = User.objects.create_user(
        username="lisi", password="pw-lisi-1234", mobile="13700137000", kind="CITIZEN"
    )
    other_client = Client()
    sign_in(other_client, other)
    other_client.post(
        URL, {"current_password": "pw-lisi-1234", "mobile": NEW_MOBILE, "send_code": "1"}
    )

    response = client.post(
        URL,
        {"current_password": "pw-citizen-1", "mobile": NEW_MOBILE, "sms_code": code_on_phone(NEW_MOBILE)},
    )  # fmt: skip

    assert response.context["form"].errors["sms_code"] == ["验证码不正确，请重新获取。"]


def test_staff_cannot_use_this_page(catalogue_admin: User) -> None:
    client = Client()
    sign_in(client, catalogue_admin)

    assert client.get(URL).status_code == 403


def test_a_visitor_is_sent_to_sign_in(db: None) -> None:
    response = Client().get(URL)

    assert response["Location"] == f"{reverse('sign-in')}?next={URL}"
