"""Who may see or act on which application: one access function per purpose (STYLE R6).

Citizens reach only their own applications; anything else is "not found" (404), so a guessed id
reveals nothing. Staff reach the cases of the departments they are members of; a member whose role
does not fit the action gets "permission denied" (403). The action functions lock the row
(`select_for_update`), so the caller's transition runs on the current state.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.mandates import may_act_for
from accounts.models import User
from applications.choices import Status
from applications.conflicts import conflict_for
from applications.models import Application, BundleApplication
from applications.workflow import current_step, stage_role
from audit.bulk_access import bulk_access_note
from audit.services import audit_denied
from matters.models import Matter
from matters.permissions import (
    department_roles,
    is_staff_member,
    roles_in_department,
)


class RoleRequired(PermissionDenied):
    """The user is on the case's department but this step belongs to another role."""

    def __init__(self, role: str) -> None:
        super().__init__(_("该操作应由“%(role)s”办理。") % {"role": Role(role).label})
        self.message = str(self.args[0])


def _locked(application_id: int) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("version", "department", "matter")
        .get(pk=application_id)
    )


def _for_staff(user: User, application_id: int, *, lock: bool) -> tuple[Application, set[str]]:
    """The case and the user's roles in its department. Not a member: DoesNotExist (404)."""
    if not is_staff_member(user):
        raise Application.DoesNotExist
    if lock:
        application = _locked(application_id)
    else:
        application = Application.objects.select_related("version", "department", "matter").get(
            pk=application_id
        )
    if application.status == Status.DRAFT:
        raise Application.DoesNotExist  # drafts are the applicant's alone
    roles = roles_in_department(user, application.department_id)
    if not roles:
        audit_denied(actor=user, object_type="application", object_id=application_id)
        raise Application.DoesNotExist
    return application, roles


def _require(user: User, roles: set[str], *, role: str, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(_("您没有执行该操作的权限。"))
    if role not in roles:
        raise RoleRequired(role)


def access_application_for_applicant(
    *, user: User, application_id: int, lock: bool = False
) -> Application:
    """Return an application the user applied for, or may follow and act on for its applicant:
    a company they represent, or a principal whose mandate covers the matter now (ADR 0006).
    Row-locked with `lock`.

    :raises Application.DoesNotExist: if it is not theirs to reach (404, never 403).
    """
    queryset = Application.objects.select_related("version", "department", "matter", "applicant")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    if not user.is_authenticated:
        raise Application.DoesNotExist
    application = queryset.get(pk=application_id)
    if application.applicant_id == user.pk:
        return application
    if application.applicant is None or not may_act_for(
        agent=user,
        principal=application.applicant,
        matter_code=application.matter.implementation_code,
    ):
        audit_denied(actor=user, object_type="application", object_id=application_id)
        raise Application.DoesNotExist
    return application


def access_application_for_staff_view(*, user: User, application_id: int) -> Application:
    """Return a case of one of the user's departments, for reading.

    :raises Application.DoesNotExist: if the user is not staff of its department.
    """
    application, _roles = _for_staff(user, application_id, lock=False)
    bulk_access_note(user=user, object_type="application", object_id=application.pk)  # SEC-DP-06
    return application


def access_application_for_intake(*, user: User, application_id: int) -> Application:
    """Lock and return a case for an intake decision (accept / not accept / 补正).

    :raises Application.DoesNotExist: if the user is not staff of its department.
    :raises PermissionDenied: if the user is not a window clerk there.
    """
    application, roles = _for_staff(user, application_id, lock=True)
    _require(user, roles, role=Role.WINDOW_CLERK, permission="applications.receive_application")
    return application


def access_application_for_step(*, user: User, application_id: int) -> Application:
    """Lock and return a case whose current review step the user may act on (pass, send back,
    special procedure, and at the last step the decision).

    :raises Application.DoesNotExist: if the user is not staff of its department.
    :raises PermissionDenied: if the current step belongs to another role.
    """
    application, roles = _for_staff(user, application_id, lock=True)
    step = current_step(application)
    is_last = application.step_index + 1 >= application.step_count
    permission = "applications.decide_application" if is_last else "applications.review_application"
    if step.role == Role.WINDOW_CLERK:  # 即办件: the accepting clerk decides on the spot
        permission = "applications.receive_application"
    _require(user, roles, role=step.role, permission=permission)
    return application


def access_application_for_extension(*, user: User, application_id: int) -> Application:
    """Lock and return a case whose decision period the user may extend (本机关负责人: approver).

    :raises PermissionDenied: if the user is not an approver of its department.
    """
    application, roles = _for_staff(user, application_id, lock=True)
    _require(user, roles, role=Role.APPROVER, permission="applications.extend_application")
    return application


def access_application_for_delivery(*, user: User, application_id: int) -> Application:
    """Lock and return a decided case the user may deliver (window clerk).

    :raises PermissionDenied: if the user is not a window clerk of its department.
    """
    application, roles = _for_staff(user, application_id, lock=True)
    _require(user, roles, role=Role.WINDOW_CLERK, permission="applications.deliver_application")
    return application


def access_application_for_void(*, user: User, application_id: int) -> Application:
    """Lock and return a case the user may void (supervisor of its department).

    :raises PermissionDenied: if the user is not a supervisor there.
    """
    application, roles = _for_staff(user, application_id, lock=True)
    _require(user, roles, role=Role.SUPERVISOR, permission="applications.void_application")
    return application


def access_application_for_claim(*, user: User, application_id: int) -> Application:
    """Lock and return a case the user may claim: they hold the role of its current step.

    :raises PermissionDenied: if the current step belongs to another role.
    """
    application, roles = _for_staff(user, application_id, lock=True)
    if application.is_terminal:
        raise conflict_for(application)
    role = stage_role(application)
    if role not in roles:
        raise RoleRequired(role)
    return application


def access_application_for_assignment(*, user: User, application_id: int) -> Application:
    """Lock and return a case the user may assign to a colleague (department admin or approver).

    :raises PermissionDenied: if the user may not assign cases there.
    """
    application, roles = _for_staff(user, application_id, lock=True)
    if not user.has_perm("applications.assign_application"):
        raise PermissionDenied(_("您没有执行该操作的权限。"))
    if not roles & {Role.DEPARTMENT_ADMIN, Role.APPROVER}:
        raise RoleRequired(Role.APPROVER)
    return application


def access_matter_for_window_filing(*, user: User, matter_id: int) -> Matter:
    """Return a matter a window clerk may file walk-in applications for (their departments').

    :raises PermissionDenied: if the user is not a window clerk of the matter's department.
    """
    if not is_staff_member(user) or not user.has_perm("applications.file_application"):
        raise PermissionDenied(_("您没有执行该操作的权限。"))
    matter = Matter.objects.select_related("department").get(pk=matter_id)
    if not user.is_superuser and Role.WINDOW_CLERK not in department_roles(
        user, matter.department_id
    ):
        raise RoleRequired(Role.WINDOW_CLERK)
    return matter


def access_bundle_for_applicant(
    *, user: User, bundle_application_id: int, lock: bool = False
) -> BundleApplication:
    """Return a 一件事 the user applied for, or filed for its applicant. Row-locked with `lock`.

    :raises BundleApplication.DoesNotExist: if it is not theirs (404, never 403).
    """
    if not user.is_authenticated:
        raise BundleApplication.DoesNotExist
    queryset = BundleApplication.objects.select_related("bundle", "applicant", "filed_by")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    bundle_application = queryset.get(pk=bundle_application_id)
    if user.pk not in (bundle_application.applicant_id, bundle_application.filed_by_id):
        audit_denied(actor=user, object_type="bundle_application", object_id=bundle_application_id)
        raise BundleApplication.DoesNotExist
    return bundle_application
