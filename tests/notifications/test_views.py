"""The inbox as a citizen sees it: only their own messages, newest first, unread marked; opening
one marks it read and the count in the page header drops."""

import datetime as dt
import re

from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

import pytest
from pytest_django import DjangoAssertNumQueries

from accounts.models import User
from notifications.choices import Event
from notifications.context_processors import inbox
from notifications.models import Notification
from notifications.services import Recipient, notify
from tests.auth import sign_in
from tests.html import visible_text
from tests.notifications.conftest import NOW, SUPPLEMENT_CONTEXT

pytestmark = pytest.mark.django_db


def inbox_message(user: User, *, key: str, matter_name: str = "食品经营许可") -> Notification:
    rows = notify(
        event=Event.SUPPLEMENT_REQUESTED,
        recipients=[Recipient(user=user)],
        context={**SUPPLEMENT_CONTEXT, "matter_name": matter_name},
        key=key,
        link="/applications/12/",
        now=NOW + dt.timedelta(minutes=len(key)),
    )
    return Notification.objects.inbox().get(pk__in=[row.pk for row in rows])


def header_count(html: str) -> str:
    found = re.search(r'<a href="/inbox/" class="inbox-link" aria-label="([^"]*)"', html)
    assert found is not None
    return found[1]


@pytest.fixture
def applicant_client(applicant: User) -> Client:
    client = Client()
    sign_in(client, applicant)
    return client


def test_the_inbox_lists_only_the_users_own_messages_newest_first_unread_marked(
    applicant: User, other: User, applicant_client: Client
) -> None:
    inbox_message(applicant, key="a:1", matter_name="食品经营许可")
    inbox_message(applicant, key="a:22", matter_name="老年人优待证办理")
    inbox_message(other, key="b:1", matter_name="公共场所卫生许可")

    response = applicant_client.get("/inbox/")

    text = visible_text(response)
    assert response.status_code == 200
    assert text.index("请补正材料：老年人优待证办理") < text.index("请补正材料：食品经营许可")
    assert "公共场所卫生许可" not in text
    assert text.count("未读：") == 2
    assert "您申请的“食品经营许可”（申报号" in text
    assert header_count(response.content.decode()) == "消息，2条未读"


def test_opening_a_message_marks_it_read_and_the_header_count_drops(
    applicant: User, applicant_client: Client
) -> None:
    message = inbox_message(applicant, key="a:1")
    inbox_message(applicant, key="a:2")

    response = applicant_client.get(f"/inbox/{message.pk}/")

    message.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 200
    assert message.read_at is not None
    assert header_count(html) == "消息，1条未读"
    assert "<h1>请补正材料：食品经营许可</h1>" in html
    assert "1. 营业执照副本复印件：复印件不清晰，请重新扫描上传。<br>" in html
    assert '<a class="button" href="/applications/12/">查看详情</a>' in html
    assert visible_text(applicant_client.get("/inbox/")).count("未读：") == 1


def test_another_users_message_is_not_found_and_stays_unread(
    other: User, applicant_client: Client
) -> None:
    message = inbox_message(other, key="b:1")

    response = applicant_client.get(f"/inbox/{message.pk}/")

    message.refresh_from_db()
    assert response.status_code == 404
    assert message.read_at is None


def test_an_email_row_is_not_an_inbox_message(applicant: User, applicant_client: Client) -> None:
    inbox_message(applicant, key="a:1")
    email = Notification.objects.get(channel="EMAIL")

    response = applicant_client.get(f"/inbox/{email.pk}/")

    assert response.status_code == 404


def test_mark_all_read_clears_the_count(applicant: User, applicant_client: Client) -> None:
    inbox_message(applicant, key="a:1")
    inbox_message(applicant, key="a:2")

    response = applicant_client.post("/inbox/read-all/", follow=True)

    assert response.redirect_chain == [("/inbox/", 302)]
    assert "所有消息已标记为已读。" in visible_text(response)
    assert header_count(response.content.decode()) == "消息，0条未读"
    assert Notification.objects.unread().count() == 0


def test_the_inbox_is_paginated_by_twenty(applicant: User, applicant_client: Client) -> None:
    for number in range(21):
        inbox_message(applicant, key=f"a:{number}")

    first = applicant_client.get("/inbox/")
    second = applicant_client.get("/inbox/?page=2")

    assert first.content.decode().count('class="inbox-item') == 20
    assert second.content.decode().count('class="inbox-item') == 1
    assert "第 2 / 2 页" in visible_text(second)


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/inbox/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_the_context_processor_makes_no_query_for_an_anonymous_visitor(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with django_assert_num_queries(0):
        context = inbox(request)

    assert context == {}


def test_the_context_processor_counts_unread_messages_in_one_query(
    applicant: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    inbox_message(applicant, key="a:1")
    request = RequestFactory().get("/")
    request.user = applicant

    with django_assert_num_queries(1):
        context = inbox(request)

    assert context == {"inbox_unread": 1}


def test_the_inbox_speaks_english_when_the_visitor_chose_it(
    applicant: User, applicant_client: Client
) -> None:
    inbox_message(applicant, key="a:1")
    applicant_client.cookies["django_language"] = "en"

    response = applicant_client.get("/inbox/")

    text = visible_text(response)
    assert "My messages" in text
    assert "Mark all as read" in text
    assert "Unread:" in text
    assert header_count(response.content.decode()) == "Messages, 1 unread"
