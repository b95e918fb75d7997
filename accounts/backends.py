"""Signing in with what a citizen knows by heart: the resident ID number or the mobile number."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import User
from accounts.services import normalise_citizen_id, normalise_mobile


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
        user = self._account(username)
        if user is None:
            # Hash anyway, as ModelBackend does, so the time taken does not tell whether the
            # account exists.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def _account(self, identifier: str) -> User | None:
        """The one account `identifier` names, or None (also when several share a mobile)."""
        try:
            return User.objects.get(id_number=normalise_citizen_id(identifier))
        except (ValueError, User.DoesNotExist):
            pass
        try:
            mobile = normalise_mobile(identifier)
        except ValueError:
            pass
        else:
            # No unique constraint on mobile (staff have none): refuse rather than pick one.
            matches = list(User.objects.filter(mobile=mobile).order_by("pk")[:2])
            if len(matches) == 1:
                return matches[0]
        try:
            return User.objects.get_by_natural_key(identifier)
        except User.DoesNotExist:
            return None
