"""Receivers of the lower layers' domain signals; each only calls a service (STYLE R8)."""

from datetime import datetime

from django.dispatch import receiver

from accounts.models import User
from accounts.signals import account_security_changed
from audit.signals import bulk_access_detected
from notifications.security import account_security_notify, bulk_access_alert_notify


@receiver(account_security_changed, dispatch_uid="notifications_account_security")
def notify_account_security(
    sender: type,
    *,
    user: User,
    change: str,
    old_mobile: str,
    by_staff: bool,
    key: str,
    at: datetime,
    **kwargs: object,
) -> None:
    account_security_notify(
        user=user, change=change, old_mobile=old_mobile, by_staff=by_staff, key=key, at=at
    )


@receiver(bulk_access_detected, dispatch_uid="notifications_bulk_access")
def notify_bulk_access(
    sender: type,
    *,
    staff: str,
    count: int,
    window_minutes: int,
    audit_seq: int,
    at: datetime,
    **kwargs: object,
) -> None:
    bulk_access_alert_notify(
        staff=staff, count=count, window_minutes=window_minutes, audit_seq=audit_seq, at=at
    )
