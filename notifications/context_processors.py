"""The unread count in the page header."""

from django.http import HttpRequest

from accounts.models import User
from notifications.selectors import inbox_unread_count


def inbox(request: HttpRequest) -> dict[str, int]:
    """`inbox_unread` for a signed-in user (one COUNT query); nothing, and no query, otherwise."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    return {"inbox_unread": inbox_unread_count(user=user)}
