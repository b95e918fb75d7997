"""SEC-AC-09: clerk-assisted identity change (the GOV.UK "contact centre" case). A member of staff
changes a citizen's mobile, then whoever holds the new number uses "forgot password" or SMS sign-in.

The control in place is a notice to the old channel plus an audit event, not a second clerk's
approval: the change takes effect at once, the old mobile is texted (and the inbox told) that the
number was changed by staff, and the audit log names the member of staff who did it. Who may make
the change: only a superuser, in the user admin (corrections of a mistyped identity); window
clerks have no way to, and staff given `accounts.change_user` see the mobile read-only.
"""

import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from accounts.choices import Role
from accounts.models import User
from accounts.services import staff_create
from audit.choices import AuditAction
from audit.models import AuditEvent
from core import sms
from notifications.choices import Channel, Event
from notifications.models import Notification
from notifications.services import notification_send
from tests.accounts.test_admin_personal_data import change_url, post_change
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

OLD_MOBILE = "13800138000"  # the `citizen` fixture's
ATTACKER_MOBILE = "13912345678"
ID_NUMBER = "11010519491231002X"
TAKEN_OVER = "attacker-chosen-77"


@pytest.fixture
def root(db: None) -> User:
    return staff_create(
        username="root", password="pw-root-12345", real_name="管理员", roles=[], is_superuser=True
    )


def code_on_phone(mobile: str) -> str:
    texts = [message.text for message in sms.outbox if message.mobile == mobile]
    match = re.search(r"验证码是(\d{6})", texts[-1])
    assert match is not None
    return match.group(1)


def send_queued() -> None:
    """What the notification workers do: send every queued message once."""
    for pk in Notification.objects.exclude(channel=Channel.INBOX).values_list("pk", flat=True):
        notification_send(notification_id=pk, now=timezone.now())


def test_a_window_clerk_cannot_reach_a_citizens_account(groups: None, citizen: User) -> None:
    clerk = staff_create(
        username="clerk", password="pw-staff-1", real_name="窗口", roles=[Role.WINDOW_CLERK]
    )
    client = Client()
    sign_in(client, clerk)

    response = client.post(change_url(citizen), {"mobile": ATTACKER_MOBILE})

    assert response.status_code == 403
    citizen.refresh_from_db()
    assert citizen.mobile == OLD_MOBILE


def test_a_staff_mobile_change_then_a_password_reset_by_the_new_phone_is_told_to_the_old_phone(
    root: User, citizen: User
) -> None:
    admin = Client()
    sign_in(admin, root)
    attacker = Client()

    changed = post_change(admin, citizen, mobile=ATTACKER_MOBILE)
    reset = {
        "id_number": ID_NUMBER,
        "mobile": ATTACKER_MOBILE,
        "password": TAKEN_OVER,
        "password_confirm": TAKEN_OVER,
    }
    attacker.post(reverse("password-reset"), {**reset, "send_code": "1"})
    reset_done = attacker.post(
        reverse("password-reset"), {**reset, "sms_code": code_on_phone(ATTACKER_MOBILE)}
    )
    sms.outbox.clear()  # the reset code
    send_queued()

    # The reset works: no second approval holds the change back (the documented control is the
    # notice to the old channel and the audit event).
    assert changed.status_code == 302
    assert reset_done.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(TAKEN_OVER)
    # The old phone was told once, in words that say staff did it, and nothing else went there.
    to_old = [m.text for m in sms.outbox if m.mobile == OLD_MOBILE]
    assert to_old == [
        "【通办】您账号绑定的手机号码已更换。如非本人操作，请立即通过“找回密码”重设密码或拨打12345。"
    ]
    inbox = Notification.objects.get(event=Event.MOBILE_CHANGED, channel=Channel.INBOX)
    assert "由工作人员代为办理" in inbox.body
    assert ATTACKER_MOBILE not in inbox.body
    # The audit log names the member of staff, then the reset.
    rows = list(
        AuditEvent.objects.filter(
            action__in=[AuditAction.MOBILE_CHANGE, AuditAction.PASSWORD_CHANGE],
            object_id=str(citizen.pk),
        ).order_by("seq")
    )
    assert [(r.action, r.actor_id) for r in rows] == [
        (AuditAction.MOBILE_CHANGE, root.pk),
        (AuditAction.PASSWORD_CHANGE, citizen.pk),
    ]
    assert rows[0].detail == {"by_staff": True, "had_mobile": True}
    assert OLD_MOBILE not in str(rows[0].detail)
    assert ATTACKER_MOBILE not in str(rows[0].detail)


def test_sms_sign_in_by_the_new_phone_works_only_after_the_old_phone_was_told(
    root: User, citizen: User
) -> None:
    admin = Client()
    sign_in(admin, root)
    attacker = Client()
    post_change(admin, citizen, mobile=ATTACKER_MOBILE)

    attacker.post(reverse("sign-in-code"), {"mobile": ATTACKER_MOBILE, "send_code": "1"})
    signed_in = attacker.post(
        reverse("sign-in-code"),
        {"mobile": ATTACKER_MOBILE, "sms_code": code_on_phone(ATTACKER_MOBILE)},
    )

    assert signed_in.status_code == 302
    assert attacker.session["_auth_user_id"] == str(citizen.pk)
    queued = Notification.objects.exclude(channel=Channel.INBOX).get(event=Event.MOBILE_CHANGED)
    assert (queued.address, queued.recipient_id) == (OLD_MOBILE, citizen.pk)


def test_saving_the_admin_form_without_changing_the_mobile_tells_nobody(
    root: User, citizen: User
) -> None:
    admin = Client()
    sign_in(admin, root)

    response = post_change(admin, citizen, real_name="张三丰")

    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=citizen).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.MOBILE_CHANGE).exists()
