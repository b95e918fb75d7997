"""The inbox reads as many queries for many messages as for a few; so does a message's page.
Already guarded elsewhere: the unread count in the page header (tests/notifications/test_views.py)."""

import datetime as dt
from typing import Any

import pytest

from accounts.models import User
from notifications.choices import Event
from notifications.models import Notification
from notifications.services import Recipient, notify
from tests.notifications.conftest import NOW, SUPPLEMENT_CONTEXT
from tests.querycounts.conftest import read, same_count, signed_in

pytestmark = pytest.mark.django_db


def messages_to(user: User, count: int, *, first: int = 0) -> list[Notification]:
    """`count` inbox messages to `user`, each about another matter, a minute apart."""
    rows = []
    for index in range(first, first + count):
        written = notify(
            event=Event.SUPPLEMENT_REQUESTED,
            recipients=[Recipient(user=user)],
            context={**SUPPLEMENT_CONTEXT, "matter_name": f"事项{index:02d}"},
            key=f"querycounts:{user.pk}:{index}",
            link=f"/applications/{index}/",
            now=NOW + dt.timedelta(minutes=index),
        )
        rows.append(Notification.objects.inbox().get(pk__in=[row.pk for row in written]))
    return rows


def test_the_inbox_reads_the_same_for_twelve_messages_as_for_two(world: dict[str, Any]) -> None:
    client = signed_in(world["applicant"])
    messages_to(world["applicant"], 2)
    messages_to(world["other_citizen"], 3)  # someone else's
    few = read(client, "/inbox/")
    messages_to(world["applicant"], 10, first=2)

    many = read(client, "/inbox/")

    assert all(f"事项{index:02d}" in many.text for index in range(12))
    same_count(few, many)


def test_a_message_reads_the_same_with_many_others_in_the_inbox(world: dict[str, Any]) -> None:
    client = signed_in(world["applicant"])
    first, second = messages_to(world["applicant"], 2)
    few = read(client, f"/inbox/{first.pk}/")
    messages_to(world["applicant"], 10, first=2)

    many = read(client, f"/inbox/{second.pk}/")  # unread, like the first was: marked read now

    assert "事项01" in many.text
    same_count(few, many)
