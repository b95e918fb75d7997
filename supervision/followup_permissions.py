"""Who may see or act on a 差评 follow-up, and who may record a window rating: one access function
per purpose (STYLE R6).

Staff reach the follow-ups of the departments they are members of; anything else is "not found"
(404), so a guessed id reveals nothing. A member whose role does not fit the action gets
"permission denied" (403). The rater reaches only the follow-up of their own rating. The action
functions lock the row (`select_for_update`), so the caller's transition runs on the current state.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from applications.choices import Status
from applications.models import Application
from matters.models import Department
from matters.permissions import departments_of_staff, is_staff_member, roles_in_department
from supervision.models import Followup

HANDLE = "supervision.handle_followup"
DECIDE = "supervision.decide_appeal"
VIEW = "supervision.view_followup"


def _followups(*, lock: bool) -> QuerySet[Followup]:
    queryset = Followup.objects.select_related(
        "evaluation__application__version", "evaluation__evaluator", "department"
    )
    return queryset.select_for_update(of=("self",)) if lock else queryset


def _for_staff(user: User, followup_id: int, *, lock: bool) -> tuple[Followup, set[str]]:
    """The follow-up and the user's roles in its department. Not a member: DoesNotExist (404)."""
    if not is_staff_member(user):
        raise Followup.DoesNotExist
    followup = _followups(lock=lock).get(pk=followup_id)
    roles = roles_in_department(user, followup.department_id)
    if not roles:
        raise Followup.DoesNotExist
    return followup, roles


def _require(user: User, roles: set[str], *, role: str, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(_("您没有执行该操作的权限。"))
    if role not in roles:
        raise PermissionDenied(_("该操作应由“%(role)s”办理。") % {"role": Role(role).label})


def access_followup_for_view(*, user: User, followup_id: int) -> Followup:
    """Return a follow-up of one of the user's departments, for reading (the department's head
    and supervisors; window clerks never see who rated them how).

    :raises Followup.DoesNotExist: if the user is not staff of its department.
    :raises PermissionDenied: if the user may not see follow-ups.
    """
    followup, roles = _for_staff(user, followup_id, lock=False)
    if not user.has_perm(VIEW):
        raise PermissionDenied(_("您没有查看差评整改的权限。"))
    if not roles & {Role.DEPARTMENT_ADMIN, Role.SUPERVISOR}:
        raise PermissionDenied(_("您没有查看差评整改的权限。"))
    return followup


def access_followup_for_handling(*, user: User, followup_id: int) -> Followup:
    """Lock and return a follow-up the user may contact, resolve or appeal (部门负责人).

    :raises Followup.DoesNotExist: if the user is not staff of its department.
    :raises PermissionDenied: if the user is not a department admin there.
    """
    followup, roles = _for_staff(user, followup_id, lock=True)
    _require(user, roles, role=Role.DEPARTMENT_ADMIN, permission=HANDLE)
    return followup


def access_followup_for_appeal_decision(*, user: User, followup_id: int) -> Followup:
    """Lock and return a follow-up whose appeal the user may decide (supervisor of its department).

    :raises Followup.DoesNotExist: if the user is not staff of its department.
    :raises PermissionDenied: if the user is not a supervisor there.
    """
    followup, roles = _for_staff(user, followup_id, lock=True)
    _require(user, roles, role=Role.SUPERVISOR, permission=DECIDE)
    return followup


def access_followup_for_rater(*, user: User, followup_id: int) -> Followup:
    """Lock and return the follow-up of a rating `user` made, so they can rate its outcome.

    :raises Followup.DoesNotExist: if it is not the follow-up of their rating (404, never 403).
    """
    if not user.is_authenticated:
        raise Followup.DoesNotExist
    followup = _followups(lock=True).get(pk=followup_id)
    if followup.evaluation.evaluator_id != user.pk:
        raise Followup.DoesNotExist
    return followup


def followup_departments_for_list(*, user: User) -> QuerySet[Department]:
    """The departments whose follow-ups `user` may list.

    :raises PermissionDenied: if the user may not see follow-ups at all.
    """
    if not user.has_perm(VIEW):
        raise PermissionDenied(_("您没有查看差评整改的权限。"))
    return departments_of_staff(user)


def followup_departments_for_appeals(*, user: User) -> QuerySet[Department]:
    """The departments whose appeals `user` may decide (where they are a supervisor).

    :raises PermissionDenied: if the user may not decide appeals.
    """
    if not user.has_perm(DECIDE):
        raise PermissionDenied(_("您没有复核差评申诉的权限。"))
    if user.is_superuser:
        return Department.objects.all()
    return Department.objects.filter(
        memberships__user=user, memberships__role=Role.SUPERVISOR
    ).distinct()


def access_application_for_window_rating(
    *, user: User, application_id: int, lock: bool = False
) -> Application:
    """Return a case whose counter visit may be rated now (一次一评): the user is a window clerk
    of its department. Drafts and voided cases are nobody's visit to rate. Row-locked with `lock`.

    :raises Application.DoesNotExist: if the user is not staff of its department (404).
    :raises PermissionDenied: if the user is not a window clerk there.
    """
    if not is_staff_member(user):
        raise Application.DoesNotExist
    queryset = Application.objects.select_related("version", "department", "matter")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    application = queryset.get(pk=application_id)
    if application.status in {Status.DRAFT, Status.VOID}:
        raise Application.DoesNotExist
    roles = roles_in_department(user, application.department_id)
    if not roles:
        raise Application.DoesNotExist
    _require(user, roles, role=Role.WINDOW_CLERK, permission="applications.file_application")
    return application
