"""Write use cases for accounts, and the parsing of the identifiers citizens sign in with."""

import re
import secrets
import unicodedata

from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.choices import Role, UserKind
from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS
from core.errors import DomainError
from core.identifiers import normalise_resident_id

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Generated usernames are `c` + lower-case RFC 4648 base32: never all digits, so never mistaken for
# an ID number or a mobile at sign-in.
USERNAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
# What people put between digits when they copy a number from a card or a contact list.
_SEPARATORS_RE = re.compile(r"[\s\-]")


def compact_number(value: str) -> str:
    """Return a number as typed, in ASCII and without spaces or hyphens between its digits."""
    # NFKC turns the full-width digits and letters of Chinese input methods into ASCII.
    return _SEPARATORS_RE.sub("", unicodedata.normalize("NFKC", value or ""))


def normalise_citizen_id(value: str) -> str:
    """Return the 18-character resident ID number typed in `value`, or raise ValueError.

    Accepts full-width digits, a lower-case x and spaces or hyphens between groups of digits.
    """
    return normalise_resident_id(compact_number(value))


def normalise_mobile(value: str) -> str:
    """Return the 11-digit mainland mobile number typed in `value`, or raise ValueError."""
    number = compact_number(value).removeprefix("+86")
    if not MOBILE_RE.fullmatch(number):
        raise ValueError(_("手机号码应为以1开头的11位数字，请核对后重新输入。"))
    return number


def _citizen_username() -> str:
    """A random account name: the ID number and the mobile stay out of URLs, logs and admin lists."""
    for _attempt in range(5):
        username = "c" + "".join(secrets.choice(USERNAME_ALPHABET) for _position in range(10))
        if not User.objects.filter(username=username).exists():
            return username
    raise RuntimeError("Unable to generate a free citizen username")


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
    *, username: str | None = None, password: str, real_name: str, id_number: str, mobile: str
) -> User:
    """Create a real-name citizen account; without `username`, a random one (`c` + 10 base32).

    :raises DomainError: if the ID number or the mobile is invalid or already registered
        (`errors` names every refused field).
    """
    errors: dict[str, list[str]] = {}
    try:
        number = normalise_citizen_id(id_number)
    except ValueError as exc:
        errors["id_number"] = [str(exc)]
    else:
        if User.objects.filter(id_number=number).exists():
            errors["id_number"] = [_("该公民身份号码已注册。")]
    try:
        mobile = normalise_mobile(mobile)
    except ValueError as exc:
        errors["mobile"] = [str(exc)]
    else:
        if User.objects.filter(mobile=mobile).exists():
            errors["mobile"] = [_("该手机号码已注册。")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, errors=errors)
    try:
        with transaction.atomic():  # a savepoint: a concurrent sign-up is refused, not a 500
            return User.objects.create_user(
                username=username or _citizen_username(),
                password=password,
                real_name=real_name,
                id_number=number,
                mobile=mobile,
                kind=UserKind.CITIZEN,
            )
    except IntegrityError:
        if User.objects.filter(id_number=number).exists():
            taken = _("该公民身份号码已注册。")
            raise DomainError(taken, errors={"id_number": [taken]}) from None
        raise
