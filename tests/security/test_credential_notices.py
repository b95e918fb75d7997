"""SEC-AUTH-04: a change of password, mobile or second factor writes exactly one outbox message per
change, to the channel the account had before it (the old mobile, else the e-mail address), plus
one inbox message. The message names no secret and says what to do if it was not the holder."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import Role
from accounts.models import User
from accounts.services import staff_create
from audit.choices import AuditAction
from audit.models import AuditEvent
from core import sms
from notifications.choices import Channel, DeliveryStatus, Event
from notifications.models import Notification
from notifications.services import notification_send
from tests.accounts.test_admin_personal_data import form_data
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

OLD_MOBILE = "13800138000"  # the `citizen` fixture's
NEW_MOBILE = "13912345678"
NEW_PASSWORD = "copper-kettle-77"
IF_NOT_YOU = "如非本人操作"


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser(
        username="root", password="pw-root-12345", email="root@example.gov.cn", kind="STAFF"
    )


@pytest.fixture
def member(groups: None) -> User:
    """A clerk whose account has an e-mail address and no mobile."""
    user = staff_create(
        username="clerk", password="pw-staff-1", real_name="窗口", roles=[Role.WINDOW_CLERK]
    )
    User.objects.filter(pk=user.pk).update(email="clerk@example.gov.cn")
    user.refresh_from_db()
    return user


def code_on_phone(mobile: str) -> str:
    texts = [message.text for message in sms.outbox if message.mobile == mobile]
    match = re.search(r"验证码是(\d{6})", texts[-1])
    assert match is not None
    return match.group(1)


@dataclass(frozen=True)
class Change:
    holder: User
    event: Event
    channel: Channel
    address: str
    secrets: tuple[str, ...] = ()


def password_changed_by_the_holder(citizen: User, member: User, root: User) -> Change:
    client = Client()
    sign_in(client, citizen)
    response = client.post(
        reverse("password-change"),
        {
            "current_password": "pw-citizen-1",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    return Change(citizen, Event.PASSWORD_CHANGED, Channel.SMS, OLD_MOBILE, (NEW_PASSWORD,))


def password_reset_with_a_code(citizen: User, member: User, root: User) -> Change:
    client = Client()
    data = {
        "id_number": "11010519491231002X",
        "mobile": OLD_MOBILE,
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    }
    client.post(reverse("password-reset"), {**data, "send_code": "1"})
    code = code_on_phone(OLD_MOBILE)
    response = client.post(reverse("password-reset"), {**data, "sms_code": code})
    assert response.status_code == 302
    return Change(citizen, Event.PASSWORD_CHANGED, Channel.SMS, OLD_MOBILE, (NEW_PASSWORD, code))


def password_set_by_an_administrator(citizen: User, member: User, root: User) -> Change:
    client = Client()
    sign_in(client, root)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[citizen.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    return Change(citizen, Event.PASSWORD_CHANGED, Channel.SMS, OLD_MOBILE, (NEW_PASSWORD,))


def mobile_changed_by_the_holder(citizen: User, member: User, root: User) -> Change:
    client = Client()
    sign_in(client, citizen)
    form = {"current_password": "pw-citizen-1", "mobile": NEW_MOBILE}
    client.post(reverse("mobile-change"), {**form, "send_code": "1"})
    code = code_on_phone(NEW_MOBILE)
    response = client.post(reverse("mobile-change"), {**form, "sms_code": code})
    assert response.status_code == 302
    return Change(citizen, Event.MOBILE_CHANGED, Channel.SMS, OLD_MOBILE, (NEW_MOBILE, code))


def authenticator_enrolled(citizen: User, member: User, root: User) -> Change:
    client = Client()
    client.force_login(member)
    client.get(reverse("two-factor-setup"))
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    code = f"{TOTP(device.bin_key).token():06d}"
    response = client.post(reverse("two-factor-setup"), {"code": code})
    assert response.status_code == 302
    secret = device.bin_key.hex()
    return Change(member, Event.MFA_ENROLLED, Channel.EMAIL, member.email, (code, secret))


def authenticator_removed_by_an_administrator(citizen: User, member: User, root: User) -> Change:
    device = TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    client = Client()
    sign_in(client, root)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [member.pk]},
    )
    assert response.status_code == 302
    return Change(member, Event.MFA_REMOVED, Channel.EMAIL, member.email, (device.key,))


def authenticator_added_by_an_administrator(citizen: User, member: User, root: User) -> Change:
    client = Client()
    sign_in(client, root)
    url = reverse("admin:otp_totp_totpdevice_add")
    data = form_data(client.get(url).context["adminform"].form)
    data.update(user=str(member.pk), name="phone", confirmed="on")
    response = client.post(url, data)
    assert response.status_code == 302
    return Change(member, Event.MFA_ENROLLED, Channel.EMAIL, member.email, (data["key"],))


def authenticator_deleted_by_an_administrator(citizen: User, member: User, root: User) -> Change:
    device = TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    client = Client()
    sign_in(client, root)
    response = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    return Change(member, Event.MFA_REMOVED, Channel.EMAIL, member.email, (device.key,))


CHANGES: list[Callable[[User, User, User], Change]] = [
    password_changed_by_the_holder,
    password_reset_with_a_code,
    password_set_by_an_administrator,
    mobile_changed_by_the_holder,
    authenticator_enrolled,
    authenticator_removed_by_an_administrator,
    authenticator_added_by_an_administrator,
    authenticator_deleted_by_an_administrator,
]


@pytest.mark.parametrize("make_change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_each_change_writes_one_outbox_message_to_the_old_channel_and_one_inbox_message(
    citizen: User, member: User, root: User, make_change: Callable[[User, User, User], Change]
) -> None:
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    change = make_change(citizen, member, root)

    written = Notification.objects.filter(pk__gt=before)
    outbox = list(written.exclude(channel=Channel.INBOX))
    inbox = list(written.filter(channel=Channel.INBOX))
    assert [(n.event, n.channel, n.address) for n in outbox] == [
        (change.event, change.channel, change.address)
    ]
    assert outbox[0].recipient_id == change.holder.pk
    assert outbox[0].status == DeliveryStatus.QUEUED
    assert [(n.event, n.recipient_id) for n in inbox] == [(change.event, change.holder.pk)]
    for message in (*outbox, *inbox):
        text = message.subject + message.body
        assert IF_NOT_YOU in text
        for secret in change.secrets:
            assert secret not in text


def test_the_old_mobile_is_texted_and_the_new_one_is_not_when_the_mobile_changes(
    citizen: User, member: User, root: User
) -> None:
    mobile_changed_by_the_holder(citizen, member, root)
    sms.outbox.clear()  # the code sent to the new mobile
    queued = Notification.objects.get(event=Event.MOBILE_CHANGED, channel=Channel.SMS)

    notification_send(notification_id=queued.pk, now=timezone.now())

    assert [(m.mobile, m.text) for m in sms.outbox] == [
        (
            OLD_MOBILE,
            "【通办】您账号绑定的手机号码已更换。如非本人操作，请立即通过“找回密码”重设密码或拨打12345。",
        )
    ]


def test_a_password_set_by_staff_says_so_and_records_the_administrator(
    citizen: User, member: User, root: User
) -> None:
    password_set_by_an_administrator(citizen, member, root)

    inbox = Notification.objects.get(event=Event.PASSWORD_CHANGED, channel=Channel.INBOX)
    row = AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE).order_by("-seq").first()
    assert "由工作人员代为办理" in inbox.body
    assert row is not None
    assert (row.actor_id, row.object_id) == (root.pk, str(citizen.pk))
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE).count() == 1


def test_a_refused_password_change_tells_nobody(citizen: User) -> None:
    client = Client()
    sign_in(client, citizen)

    response = client.post(
        reverse("password-change"),
        {"current_password": "wrong-password-1", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )  # fmt: skip

    assert response.status_code == 400
    assert not Notification.objects.filter(recipient=citizen).exists()


def test_a_wrong_code_for_a_new_mobile_tells_nobody(citizen: User) -> None:
    client = Client()
    sign_in(client, citizen)
    form = {"current_password": "pw-citizen-1", "mobile": NEW_MOBILE}
    client.post(reverse("mobile-change"), {**form, "send_code": "1"})
    wrong = f"{(int(code_on_phone(NEW_MOBILE)) + 1) % 1_000_000:06d}"

    client.post(reverse("mobile-change"), {**form, "sms_code": wrong})

    assert not Notification.objects.filter(recipient=citizen).exists()
