"""Session lifecycle (SEC-AUTH-02): a new key at sign-in, a dead key after sign-out, idle and
absolute limits enforced by the server to the minute, and a password change that ends every other
session. Cookie flags under the production settings are checked against gunicorn
(tests/security/test_deploy_check.py)."""

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

import pytest
import time_machine

from accounts.models import User
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 0, 30, tzinfo=dt.UTC)
PAGE = reverse("centre")  # a page that needs signing in
SIGN_IN = reverse("sign-in")
CREDENTIALS = {"account": "13800138000", "password": "pw-citizen-1"}


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def at(clock: time_machine.Traveller, minutes: float) -> None:
    clock.move_to(START + dt.timedelta(minutes=minutes))


def signed_in_by_password() -> Client:
    client = Client()
    response = client.post(SIGN_IN, CREDENTIALS)
    assert response.status_code == 302
    return client


def is_signed_in(client: Client) -> bool:
    response = client.get(PAGE)
    if response.status_code == 302:
        assert response["Location"].startswith(SIGN_IN)
        return False
    assert response.status_code == 200
    return True


def test_signing_in_replaces_a_session_key_planted_before(citizen: User) -> None:
    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    assert planted.session_key is not None
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key

    client.post(SIGN_IN, CREDENTIALS)
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key

    assert client.cookies[settings.SESSION_COOKIE_NAME].value != planted.session_key
    assert is_signed_in(client)
    assert not is_signed_in(attacker)


def test_a_session_cookie_replayed_after_signing_out_is_refused(citizen: User) -> None:
    client = signed_in_by_password()
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post(reverse("sign-out"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key

    assert not is_signed_in(replay)


@pytest.mark.parametrize(("idle_minutes", "still_signed_in"), [(29, True), (31, False)])
def test_a_citizen_session_ends_after_30_idle_minutes_to_the_minute(
    citizen: User, clock: time_machine.Traveller, idle_minutes: int, still_signed_in: bool
) -> None:
    client = signed_in_by_password()
    at(clock, idle_minutes)

    assert is_signed_in(client) is still_signed_in


@pytest.mark.parametrize(("idle_minutes", "still_signed_in"), [(14, True), (16, False)])
def test_a_staff_session_ends_after_15_idle_minutes_to_the_minute(
    catalogue_admin: User, clock: time_machine.Traveller, idle_minutes: int, still_signed_in: bool
) -> None:
    client = Client()
    sign_in(client, catalogue_admin)
    assert client.get(reverse("password-change")).status_code == 200  # stamps the activity
    at(clock, idle_minutes)

    response = client.get(reverse("password-change"))

    assert (response.status_code == 200) is still_signed_in


@pytest.mark.parametrize(("minutes_after_sign_in", "still_signed_in"), [(719, True), (721, False)])
def test_a_busy_session_still_ends_12_hours_after_signing_in(
    citizen: User, clock: time_machine.Traveller, minutes_after_sign_in: int, still_signed_in: bool
) -> None:
    client = signed_in_by_password()
    for minute in range(20, 720, 20):  # active every 20 minutes, so never idle
        at(clock, minute)
        assert is_signed_in(client)
    at(clock, minutes_after_sign_in)

    assert is_signed_in(client) is still_signed_in


def test_the_absolute_limit_follows_the_setting(
    citizen: User, clock: time_machine.Traveller, settings: pytest.FixtureRequest
) -> None:
    settings.SESSION_ABSOLUTE_SECONDS = 3600  # type: ignore[attr-defined]
    client = signed_in_by_password()
    at(clock, 25)
    assert is_signed_in(client)
    at(clock, 50)
    assert is_signed_in(client)
    at(clock, 61)

    assert not is_signed_in(client)


def test_an_api_call_after_the_absolute_limit_gets_json(
    citizen: User, clock: time_machine.Traveller
) -> None:
    client = signed_in_by_password()
    for minute in range(20, 721, 20):
        at(clock, minute)
        client.get(PAGE)
    at(clock, 721)

    response = client.get("/api/v1/applications/")

    assert response.status_code == 403
    assert response.json()["code"] == "session_idle"


def test_changing_the_password_ends_every_other_session_and_keeps_this_one(
    citizen: User,
) -> None:
    laptop, phone = signed_in_by_password(), signed_in_by_password()
    key_before = laptop.cookies[settings.SESSION_COOKIE_NAME].value

    response = laptop.post(
        reverse("password-change"),
        {
            "current_password": "pw-citizen-1",
            "password": "copper-kettle-2026",
            "password_confirm": "copper-kettle-2026",
        },
    )

    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert laptop.cookies[settings.SESSION_COOKIE_NAME].value != key_before
    assert not is_signed_in(phone)
