"""Write use cases for accounts."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.choices import Role, UserKind
from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS
from core.errors import DomainError
from core.identifiers import normalise_resident_id


@transaction.atomic
def roles_sync() -> dict[Role, Group]:
    """Create or update one group per staff role with exactly the role's permissions.

    :raises DomainError: if a permission named for a role does not exist (an app not migrated).
    """
    groups: dict[Role, Group] = {}
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.label)
        permissions = []
        for name in names:
            app_label, codename = name.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                raise DomainError(f"权限“{name}”不存在，请先执行数据库迁移。")
            permissions.append(permission)
        group.permissions.set(permissions)
        groups[role] = group
    return groups


@transaction.atomic
def staff_create(
    *, username: str, password: str, real_name: str, roles: list[Role], is_superuser: bool = False
) -> User:
    """Create a staff account holding `roles` (their groups must exist: run roles_sync first)."""
    user = User.objects.create_user(
        username=username,
        password=password,
        real_name=real_name,
        kind=UserKind.STAFF,
        is_staff=True,
        is_superuser=is_superuser,
    )
    user.groups.set(Group.objects.filter(name__in=[role.label for role in roles]))
    return user


@transaction.atomic
def citizen_create(
    *, username: str, password: str, real_name: str, id_number: str, mobile: str
) -> User:
    """Create a real-name citizen account.

    :raises DomainError: if the ID number is invalid or already registered.
    """
    try:
        number = normalise_resident_id(id_number)
    except ValueError as exc:
        raise DomainError(str(exc), errors={"id_number": [str(exc)]}) from None
    if User.objects.filter(id_number=number).exists():
        raise DomainError(
            "该公民身份号码已注册。", errors={"id_number": ["该公民身份号码已注册。"]}
        )
    return User.objects.create_user(
        username=username,
        password=password,
        real_name=real_name,
        id_number=number,
        mobile=mobile,
        kind=UserKind.CITIZEN,
    )
