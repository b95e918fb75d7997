"""Who may manage which part of the catalogue: one function per purpose (STYLE R6)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.choices import Role
from accounts.models import User
from matters.models import Department, Matter


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
