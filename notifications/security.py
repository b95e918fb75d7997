"""Security notices: a change to how an account signs in (SEC-AUTH-04), told to the holder on the
channel the account had before it, and a bulk-access alert (SEC-DP-06), told to the audit
administrators. Written by the receivers of the accounts and audit signals (notifications.receivers)
inside the transaction of what they report."""

from datetime import datetime

from django.utils import timezone

from accounts.choices import Role, SecurityChange
from accounts.models import User
from notifications.choices import Channel, Event
from notifications.models import Notification
from notifications.recipients import Recipient
from notifications.services import notify

SECURITY_EVENTS = {
    SecurityChange.PASSWORD: Event.PASSWORD_CHANGED,
    SecurityChange.MOBILE: Event.MOBILE_CHANGED,
    SecurityChange.MFA_ENROL: Event.MFA_ENROLLED,
    SecurityChange.MFA_REMOVE: Event.MFA_REMOVED,
}


def _old_channel(user: User, old_mobile: str) -> Recipient:
    """The inbox and one outside channel: the old mobile, or else the account's e-mail. One, so
    the holder gets exactly one message outside the portal per change."""
    if old_mobile:
        return Recipient(
            user=user, mobile=old_mobile, channels=frozenset({Channel.INBOX, Channel.SMS})
        )
    return Recipient(user=user, channels=frozenset({Channel.INBOX, Channel.EMAIL}))


def account_security_notify(
    *,
    user: User,
    change: SecurityChange | str,
    old_mobile: str,
    by_staff: bool,
    key: str,
    at: datetime,
) -> list[Notification]:
    """Tell `user` that `change` happened at `at`, in the inbox and on `old_mobile` (or the
    e-mail address when the account had no mobile). The message names no secret, code, device
    key or new number, and says what to do if it was not them. Call it in the change's transaction.
    """
    return notify(
        event=SECURITY_EVENTS[SecurityChange(change)],
        recipients=[_old_channel(user, old_mobile)],
        context={
            "changed_at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
            "by_staff": by_staff,
        },
        key=key,
        now=at,
    )


def bulk_access_alert_notify(
    *, staff: str, count: int, window_minutes: int, audit_seq: int, at: datetime
) -> list[Notification]:
    """Tell every active audit administrator (审计管理员), in the inbox and by e-mail, that the
    member of staff `staff` (a username) opened `count` cases within `window_minutes`."""
    auditors = (
        User.objects.filter(groups__name=Role.AUDITOR.label, is_active=True)
        .distinct()
        .order_by("pk")
    )
    channels = frozenset({Channel.INBOX, Channel.EMAIL})
    return notify(
        event=Event.BULK_ACCESS_ALERT,
        recipients=[Recipient(user=auditor, channels=channels) for auditor in auditors],
        context={
            "staff": staff,
            "count": count,
            "window_minutes": window_minutes,
            "audit_seq": audit_seq,
        },
        key=f"bulk-access:{audit_seq}",
        now=at,
    )
