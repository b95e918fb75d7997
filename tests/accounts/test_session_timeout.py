"""Idle sessions end: 30 minutes for citizens, 15 for staff. The certificate status poll does not
keep a session alive."""

import datetime as dt
from collections.abc import Iterator

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

import pytest
import time_machine

from accounts.models import User
from tests.auth import sign_in
from tests.html import visible_text

START = dt.datetime(2025, 11, 22, 2, 0, tzinfo=dt.UTC)
PAGE = reverse("password-change")  # any page that needs signing in
MESSAGE = "您已较长时间未操作，为保护账户安全已自动退出，请重新登录。"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def at(clock: time_machine.Traveller, minutes: float) -> None:
    clock.move_to(START + dt.timedelta(minutes=minutes))


def signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    client.get(PAGE)  # the first request stamps the activity time
    return client


def test_a_citizen_idle_for_31_minutes_is_signed_out_and_told_why(
    citizen: User, clock: time_machine.Traveller
) -> None:
    client = signed_in(citizen)
    at(clock, 31)

    response = client.get(PAGE)
    sign_in = client.get(response["Location"])
    again = client.get(response["Location"])

    assert response["Location"] == f"{reverse('sign-in')}?next={PAGE}"
    assert SESSION_KEY not in client.session
    assert MESSAGE in visible_text(sign_in)
    assert MESSAGE not in visible_text(again)  # said once


def test_activity_keeps_a_citizen_signed_in(citizen: User, clock: time_machine.Traveller) -> None:
    client = signed_in(citizen)
    at(clock, 20)
    client.get(PAGE)
    at(clock, 45)

    response = client.get(PAGE)

    assert response.status_code == 200
    assert client.session[SESSION_KEY] == str(citizen.pk)


def test_staff_are_signed_out_after_16_idle_minutes(
    catalogue_admin: User, clock: time_machine.Traveller
) -> None:
    client = signed_in(catalogue_admin)
    at(clock, 16)

    response = client.get(PAGE)

    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_the_certificate_status_poll_does_not_count_as_activity(
    citizen: User, clock: time_machine.Traveller
) -> None:
    client = signed_in(citizen)
    poll = reverse("application-certificate", args=[1])
    for minute in (10, 20, 29):
        at(clock, minute)
        client.get(poll, headers={"accept": "application/json"})
    at(clock, 31)

    response = client.get(PAGE)

    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_a_poll_after_the_timeout_gets_json_not_a_sign_in_page(
    citizen: User, clock: time_machine.Traveller
) -> None:
    client = signed_in(citizen)
    at(clock, 31)

    response = client.get(reverse("application-certificate", args=[1]))

    assert response.status_code == 403
    assert response.json() == {"detail": MESSAGE, "code": "session_idle"}


def test_an_api_request_after_the_timeout_gets_json(
    citizen: User, clock: time_machine.Traveller
) -> None:
    client = signed_in(citizen)
    at(clock, 31)

    response = client.get("/api/v1/matters/")

    assert response.status_code == 403
    assert response.json()["detail"] == MESSAGE
    assert SESSION_KEY not in client.session


def test_a_visitor_who_is_not_signed_in_is_not_affected(
    db: None, clock: time_machine.Traveller
) -> None:
    client = Client()
    client.get(reverse("home"))
    at(clock, 120)

    response = client.get(reverse("home"))

    assert response.status_code == 200
