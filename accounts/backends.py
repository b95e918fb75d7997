"""Signing in with what a citizen knows by heart: the resident ID number or the mobile number."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import User
from accounts.services import compact_number, normalise_citizen_id, normalise_mobile
from core.crypto import blind_index


class IdentityBackend(ModelBackend):
    """Authenticate by resident ID number, mobile number or username, plus the password.

    Citizens' usernames are random (`accounts.services.citizen_create`), so they sign in with their
    ID number (a lower-case x is fine) or their mobile; staff keep signing in with their username,
    here and in the admin. Permissions are ModelBackend's.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = account_for_identifier(username)
        if user is None:
            # Hash anyway, as ModelBackend does, so the time taken does not tell whether the
            # account exists.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def account_for_identifier(identifier: str) -> User | None:
    """The one account `identifier` names, or None (also when several share a mobile)."""
    try:
        number = normalise_citizen_id(identifier)
        return User.objects.get(id_number_index=blind_index(number, kind="id_number"))
    except (ValueError, User.DoesNotExist):
        pass
    try:
        mobile = normalise_mobile(identifier)
    except ValueError:
        pass
    else:
        # No unique constraint on mobile (staff have none): refuse rather than pick one.
        by_mobile = User.objects.filter(mobile_index=blind_index(mobile, kind="mobile"))
        matches = list(by_mobile.order_by("pk")[:2])
        if len(matches) == 1:
            return matches[0]
    try:
        return User.objects.get_by_natural_key(identifier)
    except User.DoesNotExist:
        return None


def axes_username(request: HttpRequest | None, credentials: Mapping[str, Any] | None) -> str:
    """The name django-axes counts a sign-in attempt under (settings.AXES_USERNAME_CALLABLE).

    `11010519491231002x`, `11010519491231002X` and the account's mobile all become the account's
    username, so five failures lock the account whichever way it was typed. What names no account
    is counted in a canonical form too, so unknown and known accounts lock alike.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    typed: object = None
    if credentials:
        # Axes passes {"account": …}; Django's user_login_failed passes {"username": …}.
        typed = credentials.get(field) or credentials.get("username")
    elif request is not None:
        typed = request.POST.get(field)
    if not isinstance(typed, str) or not typed.strip():
        return ""
    user = account_for_identifier(typed)
    if user is not None:
        return user.get_username()
    for normalise in (normalise_citizen_id, normalise_mobile):
        try:
            return normalise(typed)
        except ValueError:
            continue
    return compact_number(typed)
