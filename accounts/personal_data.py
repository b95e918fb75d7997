"""Revealing masked personal data in full: a permission, a stated reason, and a record of it.

Pages and API responses show ID numbers and mobiles masked (DOMAIN §9.1). A member of staff who
needs a whole value (checking the person at the counter, signing a decision) asks for it with a
查询事由; every reveal is written to `PersonalDataAccess` (DOMAIN §9.3), which nobody can edit.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import PersonalDataAccess, User
from audit.choices import AuditAction
from audit.services import audit_denied, audit_record
from core.errors import DomainError

UNMASK_PERMISSION = "accounts.unmask_personal_data"
REASON_MIN_LENGTH = 5
REASON_MAX_LENGTH = 200


def personal_data_can_reveal(*, user: User) -> bool:
    """Whether `user` may ask to see personal data in full (the form is shown only then)."""
    return user.has_perm(UNMASK_PERMISSION)


def personal_data_reason_clean(reason: str) -> str:
    """The reason, trimmed, if it is long enough to say something and fits the record.

    :raises DomainError: naming the `reason` field.
    """
    text = " ".join(reason.split())
    if not text:
        message = _("请填写查询事由。")
    elif len(text) < REASON_MIN_LENGTH:
        message = _("查询事由至少需要%(min)d个字，请写明为何需要查看完整信息。") % {
            "min": REASON_MIN_LENGTH
        }
    elif len(text) > REASON_MAX_LENGTH:
        message = _("查询事由不能超过%(max)d个字。") % {"max": REASON_MAX_LENGTH}
    else:
        return text
    raise DomainError(message, errors={"reason": [message]})


def personal_data_reveal(
    *,
    user: User,
    object_type: str,
    object_id: str,
    field: str,
    value: str,
    reason: str,
    ip: str | None,
    now: datetime,
    purpose_permission: str = "",
) -> str:
    """Record that `user` looked at `field` of `object_type` #`object_id` in full, and why;
    return the whole `value`. The value itself is never stored in the record.

    `purpose_permission` names a task that needs the value (e.g. calling back a rater for
    `supervision.handle_followup`): holding it is enough for that task's caller.

    :raises PermissionDenied: if the user lacks `accounts.unmask_personal_data` and the purpose
        permission (nothing written).
    :raises DomainError: if the reason is missing, shorter than 5 or longer than 200 characters.
    """
    allowed = user.has_perm(purpose_permission) if purpose_permission else None
    if not (allowed or personal_data_can_reveal(user=user)):
        audit_denied(actor=user, object_type=object_type, object_id=object_id, reason="unmask")
        raise PermissionDenied(_("您没有查看完整个人信息的权限。"))
    text = personal_data_reason_clean(reason)
    access = PersonalDataAccess.objects.create(
        user=user,
        object_type=object_type,
        object_id=str(object_id),
        field=field,
        reason=text,
        ip_address=ip or None,
        accessed_at=now,
    )
    audit_record(
        action=AuditAction.PERSONAL_DATA_REVEAL,
        actor=user,
        object_type=object_type,
        object_id=object_id,
        detail={"field": field, "access": access.pk},
    )
    return value
