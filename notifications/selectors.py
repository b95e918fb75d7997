"""Reading a user's inbox."""

from django.db.models import QuerySet

from accounts.models import User
from notifications.models import Notification


def inbox_list_for_user(*, user: User) -> QuerySet[Notification]:
    """Return the user's inbox messages, newest first."""
    return Notification.objects.inbox().filter(recipient=user).order_by("-sent_at", "-pk")


def inbox_unread_count(*, user: User) -> int:
    """Return how many of the user's inbox messages are unread (one COUNT query)."""
    return Notification.objects.unread().filter(recipient=user).count()


def notification_key_used(*, key: str) -> bool:
    """Whether messages were already written for this event occurrence (reminders run often)."""
    return Notification.objects.filter(key=key).exists()
