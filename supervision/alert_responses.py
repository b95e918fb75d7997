"""The yellow and red cards of 电子监察 as their departments see them (DOMAIN §4.9): who may list
them, and the department head's written answer (整改说明), recorded once.

Scope follows the statistics: the supervision office (`view_all_statistics`) sees every
department's cards, a department head or supervisor those of their departments. A card outside the
user's scope is "not found" (404), so a guessed id reveals nothing; a user who may see it but not
answer it gets "permission denied" (403).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from core.errors import ConflictError, DomainError
from matters.models import DepartmentMembership
from matters.permissions import roles_in_department
from supervision.models import Alert
from supervision.statistics import HEAD_ROLES, Scope

VIEW = "supervision.view_alert"
RESPOND = "supervision.respond_alert"
RESPONSE_MAX = 2000


def alert_scope_for(user: User) -> Scope:
    """The departments whose cards `user` may list: all for the supervision office, else those
    where they are a department head or supervisor.

    :raises PermissionDenied: without `view_alert`, or a head of no department.
    """
    if not user.is_active or not user.has_perm(VIEW):
        raise PermissionDenied(_("您没有查看监察预警的权限。"))
    if user.is_superuser or user.has_perm("supervision.view_all_statistics"):
        return Scope(department_ids=None)
    ids = frozenset(
        DepartmentMembership.objects.filter(user=user, role__in=HEAD_ROLES).values_list(
            "department_id", flat=True
        )
    )
    if not ids:
        raise PermissionDenied(_("您没有查看监察预警的权限。"))
    return Scope(department_ids=ids)


def alert_list_open(
    *, scope: Scope, color: str | None = None, department_id: int | None = None
) -> QuerySet[Alert]:
    """The cards not yet resolved in `scope`, newest first, with what the list shows."""
    alerts = Alert.objects.filter(resolved_at__isnull=True)
    if scope.department_ids is not None:
        alerts = alerts.filter(department_id__in=scope.department_ids)
    if color:
        alerts = alerts.filter(color=color)
    if department_id is not None:
        alerts = alerts.filter(department_id=department_id)
    return alerts.select_related("application__version", "department").order_by("-raised_at", "-pk")


def alert_departments_for_response(user: User) -> frozenset[int] | None:
    """The departments whose cards `user` may answer (`None`: every department)."""
    if not user.has_perm(RESPOND):
        return frozenset()
    if user.is_superuser:
        return None
    return frozenset(
        DepartmentMembership.objects.filter(user=user, role=Role.DEPARTMENT_ADMIN).values_list(
            "department_id", flat=True
        )
    )


def access_alert_for_response(*, user: User, alert_id: int, lock: bool = False) -> Alert:
    """Return a card `user` may answer (the head of its department); row-locked with `lock`.

    :raises Alert.DoesNotExist: if the card is outside the user's scope (404).
    :raises PermissionDenied: if the user may see it but not answer it.
    """
    scope = alert_scope_for(user)
    alerts = Alert.objects.select_related("application__version", "department")
    if lock:
        alerts = alerts.select_for_update(of=("self",))
    alert = alerts.get(pk=alert_id)
    if not scope.allows(alert.department_id):
        raise Alert.DoesNotExist
    if not user.has_perm(RESPOND):
        raise PermissionDenied(_("监察预警应由责任部门负责人答复。"))
    if Role.DEPARTMENT_ADMIN not in roles_in_department(user, alert.department_id):
        raise PermissionDenied(_("监察预警应由责任部门负责人答复。"))
    return alert


@transaction.atomic
def alert_respond(*, user: User, alert_id: int, text: str, now: dt.datetime) -> Alert:
    """Record the department's answer to a card (整改说明), once.

    :raises Alert.DoesNotExist: if the card is outside the user's scope (404).
    :raises PermissionDenied: if the user is not the head of the card's department.
    :raises DomainError: if the answer is empty or too long.
    :raises ConflictError: if the card has been answered already.
    """
    alert = access_alert_for_response(user=user, alert_id=alert_id, lock=True)
    text = text.strip()
    if not text:
        raise DomainError(_("请填写整改说明。"), errors={"text": [_("请填写整改说明。")]})
    if len(text) > RESPONSE_MAX:
        message = _("整改说明不能超过%(max)d个字。") % {"max": RESPONSE_MAX}
        raise DomainError(message, errors={"text": [message]})
    if alert.responded_at is not None:
        raise ConflictError(_("该预警已答复，不能重复答复。"))
    alert.response, alert.responded_at, alert.responded_by = text, now, user
    alert.save(update_fields=["response", "responded_at", "responded_by"])
    return alert
