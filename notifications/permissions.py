"""Who may open a notification: its recipient, and nobody else."""

from accounts.models import User
from notifications.models import Notification


def access_notification_for_recipient(*, user: User, notification_id: int) -> Notification:
    """Return the inbox message if `user` is its recipient.

    :raises Notification.DoesNotExist: for anyone else's message too, so a stranger learns nothing
        about whether it exists (the views answer 404, never 403).
    """
    return Notification.objects.inbox().get(pk=notification_id, recipient=user)
