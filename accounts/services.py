"""Write use cases for accounts, and the parsing of the identifiers citizens sign in with."""

import logging
import re
import secrets
import unicodedata
from datetime import datetime
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from axes.utils import reset as axes_reset

from accounts.choices import CodePurpose, Language, Role, SecurityChange, UserKind
from accounts.codes import CodeError, code_check, code_send
from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS
from accounts.signals import account_security_changed
from audit.choices import AuditAction
from audit.models import AuditEvent
from audit.services import REQUEST_USER, audit_record
from core.crypto import blind_index
from core.errors import DomainError
from core.identifiers import normalise_resident_id

logger = logging.getLogger(__name__)

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
        changed = set(group.permissions.all()) != set(permissions)
        group.permissions.set(permissions)
        if changed:
            audit_record(
                action=AuditAction.PERMISSION_CHANGE,
                actor=REQUEST_USER,
                object_type="auth.group",
                object_id=group.pk,
                detail={"role": role.value, "permissions": len(permissions)},
            )
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
        password_changed_at=timezone.now(),  # the staff password's age counts from here
    )
    user.groups.set(Group.objects.filter(name__in=[role.label for role in roles]))
    audit_record(
        action=AuditAction.ROLE_CHANGE,
        actor=REQUEST_USER,
        object_type="user",
        object_id=user.pk,
        detail={"roles_added": sorted(role.value for role in roles), "superuser": is_superuser},
    )
    return user


def citizen_registration_check(*, id_number: str, mobile: str) -> tuple[str, str]:
    """Return the normalised ID number and mobile if both are valid and not yet registered.

    :raises DomainError: naming every refused field in `errors`.
    """
    errors: dict[str, list[str]] = {}
    number = mobile_number = ""
    try:
        number = normalise_citizen_id(id_number)
    except ValueError as exc:
        errors["id_number"] = [str(exc)]
    else:
        if User.objects.filter(id_number_index=blind_index(number, kind="id_number")).exists():
            errors["id_number"] = [_("该公民身份号码已注册。")]
    try:
        mobile_number = normalise_mobile(mobile)
    except ValueError as exc:
        errors["mobile"] = [str(exc)]
    else:
        if User.objects.filter(mobile_index=blind_index(mobile_number, kind="mobile")).exists():
            errors["mobile"] = [_("该手机号码已注册。")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, errors=errors)
    return number, mobile_number


@transaction.atomic
def citizen_create(
    *, username: str | None = None, password: str, real_name: str, id_number: str, mobile: str
) -> User:
    """Create a real-name citizen account; without `username`, a random one (`c` + 10 base32).

    :raises DomainError: if the ID number or the mobile is invalid or already registered
        (`errors` names every refused field).
    """
    number, mobile = citizen_registration_check(id_number=id_number, mobile=mobile)
    try:
        with transaction.atomic():  # a savepoint: a concurrent sign-up is refused, not a 500
            return User.objects.create_user(
                username=username or _citizen_username(),
                password=password,
                real_name=real_name,
                id_number=number,
                mobile=mobile,
                kind=UserKind.CITIZEN,
                password_changed_at=timezone.now(),
            )
    except IntegrityError:
        if User.objects.filter(id_number_index=blind_index(number, kind="id_number")).exists():
            taken = _("该公民身份号码已注册。")
            raise DomainError(taken, errors={"id_number": [taken]}) from None
        raise


# Sign-up, SMS sign-in, password reset and change of mobile. Each page first sends a code
# (`*_code_send`), then checks it in the use case itself. Where a page must not tell whether an
# account exists (SMS sign-in, password reset), an unknown person gets a decoy code that is never
# sent, so that limits and messages are the same for everyone.


def citizen_for_mobile(mobile: str) -> User | None:
    """The one active citizen account with this mobile, or None (also when several share it)."""
    matches = list(
        User.objects.filter(
            mobile_index=blind_index(mobile, kind="mobile"),
            kind=UserKind.CITIZEN,
            is_active=True,
            is_staff=False,
        ).order_by("pk")[:2]
    )
    return matches[0] if len(matches) == 1 else None


def citizen_sign_up_code_send(*, id_number: str, mobile: str, now: datetime) -> None:
    """Text a sign-up code to `mobile` if the ID number and the mobile are free.

    :raises DomainError: if either is invalid or registered, or the code cannot be sent now.
    """
    _number, mobile = citizen_registration_check(id_number=id_number, mobile=mobile)
    code_send(purpose=CodePurpose.SIGN_UP, mobile=mobile, now=now)


def citizen_sign_up(
    *, password: str, real_name: str, id_number: str, mobile: str, code: str, now: datetime
) -> User:
    """Create a real-name citizen account once the code texted to `mobile` is confirmed.

    :raises DomainError: if the ID number or the mobile is invalid or registered.
    :raises CodeError: if the code is not the live sign-up code of `mobile`.
    """
    # Refusals that a code cannot cure come first, so they do not use up the code.
    _number, mobile = citizen_registration_check(id_number=id_number, mobile=mobile)
    code_check(purpose=CodePurpose.SIGN_UP, mobile=mobile, code=code, now=now)
    return citizen_create(
        password=password, real_name=real_name, id_number=id_number, mobile=mobile
    )


def sign_in_code_send(*, mobile: str, now: datetime) -> None:
    """Text a sign-in code if `mobile` belongs to exactly one active citizen (else a decoy).

    Staff never get one: they sign in with a password and their second factor.

    :raises CodeSendError: if a code for this mobile is too recent or today's limit is reached.
    """
    mobile = normalise_mobile(mobile)
    user = citizen_for_mobile(mobile)
    code_send(
        purpose=CodePurpose.SIGN_IN, mobile=mobile, user=user, now=now, deliver=user is not None
    )


def sign_in_code_check(*, mobile: str, code: str, now: datetime) -> User:
    """Return the citizen whose sign-in code this is.

    :raises CodeError: if it is not a live sign-in code (a decoy never is).
    """
    mobile = normalise_mobile(mobile)
    row = code_check(purpose=CodePurpose.SIGN_IN, mobile=mobile, code=code, now=now)
    user = row.user
    if user is None or user != citizen_for_mobile(mobile):
        # A decoy guessed, or the account changed since the code was sent.
        raise _code_wrong()
    return user


def _citizen_for_reset(*, id_number: str, mobile: str) -> User | None:
    try:
        number = normalise_citizen_id(id_number)
    except ValueError:
        return None
    return (
        User.objects.filter(
            id_number_index=blind_index(number, kind="id_number"),
            mobile_index=blind_index(mobile, kind="mobile"),
            kind=UserKind.CITIZEN,
            is_active=True,
            is_staff=False,
        )
        .order_by("pk")
        .first()
    )


def password_reset_code_send(*, id_number: str, mobile: str, now: datetime) -> None:
    """Text a password-reset code if the ID number and the mobile name one active citizen.

    :raises CodeSendError: if a code for this mobile is too recent or today's limit is reached.
    """
    mobile = normalise_mobile(mobile)
    user = _citizen_for_reset(id_number=id_number, mobile=mobile)
    code_send(
        purpose=CodePurpose.RESET_PASSWORD,
        mobile=mobile,
        user=user,
        now=now,
        deliver=user is not None,
    )


def password_reset(*, id_number: str, mobile: str, code: str, password: str, now: datetime) -> User:
    """Set a new password with a reset code; unlock the account and end all its sessions.

    :raises CodeError: if the code is not the live reset code of that ID number and mobile.
    """
    mobile = normalise_mobile(mobile)
    row = code_check(purpose=CodePurpose.RESET_PASSWORD, mobile=mobile, code=code, now=now)
    user = _citizen_for_reset(id_number=id_number, mobile=mobile)
    if user is None or row.user_id != user.pk:
        raise _code_wrong()
    return user_password_set(user=user, password=password)


@transaction.atomic
def user_password_set(*, user: User, password: str, by: Any = None) -> User:
    """Set `user`'s password and lift a lockout. Sessions signed in before end: Django checks
    each session against a hash of the password (the caller may keep its own session with
    `update_session_auth_hash`).

    `by`: None when the holder sets it (change or reset), else the member of staff who did
    (a user, or `REQUEST_USER` for whoever is signed in on the request). Either way the holder is
    told on the channel the account has (SEC-AUTH-04).
    """
    user.set_password(password)
    user.password_changed_at = timezone.now()  # restarts the staff password's age
    user.save(update_fields=["password", "password_changed_at"])
    axes_reset(username=user.get_username())
    event = audit_record(
        action=AuditAction.PASSWORD_CHANGE,
        actor=user if by is None else by,
        object_type="user",
        object_id=user.pk,
    )
    security_change_announce(
        user=user, change=SecurityChange.PASSWORD, event=event, by_staff=by is not None
    )
    return user


def security_change_announce(
    *,
    user: User,
    change: SecurityChange,
    event: AuditEvent,
    old_mobile: str | None = None,
    by_staff: bool = False,
) -> None:
    """Announce a change to how `user` signs in, inside the change's transaction (the receiver in
    notifications writes the notice then, so it exists if and only if the change commits).

    `old_mobile`: the mobile before the change, if the change was the mobile; the notice goes
    there, not to the new one. `event` is the change's audit row: its seq names the change once.
    """
    account_security_changed.send(
        sender=User,
        user=user,
        change=change,
        old_mobile=user.mobile if old_mobile is None else old_mobile,
        by_staff=by_staff,
        key=f"account-security:{event.seq}",
        at=event.ts,
    )


def mobile_change_code_send(*, user: User, mobile: str, now: datetime) -> None:
    """Text a code to `user`'s new mobile.

    :raises DomainError: if the mobile is the current one or taken by another account, or the
        code cannot be sent now.
    """
    mobile = _mobile_free_for(user=user, mobile=mobile)
    code_send(purpose=CodePurpose.CHANGE_MOBILE, mobile=mobile, user=user, now=now)


def mobile_change(*, user: User, mobile: str, code: str, now: datetime) -> User:
    """Replace `user`'s mobile with the one the code was texted to, and warn the old one.

    :raises DomainError: if the mobile is the current one or taken by another account.
    :raises CodeError: if the code is not `user`'s live code for that mobile.
    """
    mobile = _mobile_free_for(user=user, mobile=mobile)
    row = code_check(purpose=CodePurpose.CHANGE_MOBILE, mobile=mobile, code=code, now=now)
    if row.user_id != user.pk:
        raise _code_wrong()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        _mobile_free_for(user=locked, mobile=mobile)  # again, now that the row is locked
        old_mobile = locked.mobile
        locked.mobile = mobile
        locked.save(update_fields=["mobile"])
        user_mobile_changed(user=locked, old_mobile=old_mobile)
    user.mobile = mobile
    return user


def user_mobile_changed(*, user: User, old_mobile: str, by: Any = None) -> None:
    """Record that `user`'s mobile (already saved) replaced `old_mobile`, and have the old one
    told: whoever holds the new number can sign in and reset the password by SMS from now on.

    `by`: None when the holder changed it, else the member of staff who did (SEC-AC-09: a clerk
    correcting an identity in the admin), who is recorded as the actor.
    """
    with transaction.atomic(savepoint=False):
        event = audit_record(
            action=AuditAction.MOBILE_CHANGE,
            actor=user if by is None else by,
            object_type="user",
            object_id=user.pk,
            detail={"by_staff": by is not None, "had_mobile": bool(old_mobile)},
        )
        security_change_announce(
            user=user,
            change=SecurityChange.MOBILE,
            event=event,
            old_mobile=old_mobile,
            by_staff=by is not None,
        )


def _code_wrong() -> CodeError:
    # Worded as for any wrong code: a decoy must not read differently from a real code.
    message = _("验证码不正确，请重新获取。")
    return CodeError(message, errors={"sms_code": [message]})


def _mobile_free_for(*, user: User, mobile: str) -> str:
    try:
        number = normalise_mobile(mobile)
    except ValueError as exc:
        raise DomainError(str(exc), errors={"mobile": [str(exc)]}) from None
    if number == user.mobile:
        message = _("新手机号码与当前手机号码相同。")
        raise DomainError(message, errors={"mobile": [message]})
    taken = User.objects.filter(mobile_index=blind_index(number, kind="mobile"))
    if taken.exclude(pk=user.pk).exists():
        message = _("该手机号码已被其他账号使用。")
        raise DomainError(message, errors={"mobile": [message]})
    return number


def user_language_set(*, user: User, language: str) -> None:
    """Remember the language the person reads their messages in."""
    if language not in Language.values:
        raise DomainError(_("不支持该语言。"))
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
