"""Who may manage which part of the catalogue: one function per purpose (STYLE R6)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.choices import Role, UserKind
from accounts.models import User
from matters.models import Department, DepartmentMembership, Matter


def is_catalogue_admin(user: User) -> bool:
    """Superusers and catalogue admins manage every department's matters."""
    return user.is_superuser or user.groups.filter(name=Role.CATALOGUE_ADMIN.label).exists()


def departments_managed_by(user: User) -> QuerySet[Department]:
    """The departments whose matters `user` may edit and publish."""
    if is_catalogue_admin(user):
        return Department.objects.all()
    return Department.objects.filter(
        memberships__user=user, memberships__role=Role.DEPARTMENT_ADMIN
    ).distinct()


def matters_managed_by(user: User) -> QuerySet[Matter]:
    return Matter.objects.filter(department__in=departments_managed_by(user))


def access_matter_for_management(*, user: User, matter_id: int) -> Matter:
    """Return the matter if `user` may edit, publish or retire it; raise otherwise.

    :raises PermissionDenied: if the matter belongs to a department `user` does not manage.
    """
    matter = Matter.objects.select_related("department").get(pk=matter_id)
    if not user.has_perm("matters.change_matter"):
        raise PermissionDenied
    if not departments_managed_by(user).filter(pk=matter.department_id).exists():
        raise PermissionDenied
    return matter


def department_roles(user: User, department_id: int) -> set[str]:
    """The roles `user` holds in one department (memberships only)."""
    return set(
        DepartmentMembership.objects.filter(user=user, department_id=department_id).values_list(
            "role", flat=True
        )
    )


def roles_in_department(user: User, department_id: int) -> set[str]:
    """The roles `user` acts with on a department's cases: every role for superusers."""
    if user.is_superuser:
        return set(Role.values)
    return department_roles(user, department_id)


def departments_of_staff(user: User) -> QuerySet[Department]:
    """The departments whose cases `user` may see (every department for superusers)."""
    if user.is_superuser:
        return Department.objects.all()
    return Department.objects.filter(memberships__user=user).distinct()


def is_staff_member(user: User) -> bool:
    """Whether `user` is an active staff account (who may open the workbench at all)."""
    return user.is_active and (user.kind == UserKind.STAFF or user.is_superuser)
