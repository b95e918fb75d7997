"""Lockout (django-axes): five wrong passwords lock the account for 30 minutes, however the
account was typed, and from whatever address the attempts came."""

import datetime as dt

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

import pytest
import time_machine

from accounts.models import User
from tests.html import visible_text

URL = reverse("sign-in")
LOCKED = "密码连续输错5次，为保护账户安全，该账号已锁定30分钟。请30分钟后再试。"


def fail(account: str, address: str = "10.0.0.1") -> None:
    Client(REMOTE_ADDR=address).post(URL, {"account": account, "password": "not-my-password"})


def test_five_wrong_passwords_however_the_account_is_typed_lock_it(citizen: User) -> None:
    for account in ["11010519491231002X", "11010519491231002x", "13800138000", "zhangsan"]:
        fail(account)
    client = Client()

    fifth = client.post(URL, {"account": "138 0013 8000", "password": "still-wrong-pw"})
    right = client.post(URL, {"account": "11010519491231002X", "password": "pw-citizen-1"})

    assert fifth.status_code == right.status_code == 429
    assert LOCKED in visible_text(right)
    assert SESSION_KEY not in client.session


def test_the_lockout_page_links_to_password_reset_and_has_one_heading(citizen: User) -> None:
    for _attempt in range(5):
        fail("13800138000")

    response = Client().post(URL, {"account": "13800138000", "password": "pw-citizen-1"})

    html = response.content.decode()
    assert html.count("<h1") == 1
    assert f'href="{reverse("password-reset")}"' in html
    assert "zhangsan" not in html


def test_attempts_from_different_addresses_count_together(citizen: User) -> None:
    for number in range(5):
        fail("13800138000", address=f"10.0.0.{number}")

    response = Client(REMOTE_ADDR="10.9.9.9").post(
        URL, {"account": "13800138000", "password": "pw-citizen-1"}
    )

    assert response.status_code == 429


def test_a_locked_account_does_not_lock_others_in_the_same_hall(
    citizen: User, catalogue_admin: User
) -> None:
    for _attempt in range(5):
        fail("13800138000")
    client = Client(REMOTE_ADDR="10.0.0.1")

    response = client.post(URL, {"account": "catalogue", "password": "pw-catalogue-1"})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(catalogue_admin.pk)


def test_four_failures_then_the_right_password_signs_in_and_starts_the_count_again(
    citizen: User,
) -> None:
    for _attempt in range(4):
        fail("13800138000")
    Client().post(URL, {"account": "13800138000", "password": "pw-citizen-1"})
    for _attempt in range(4):
        fail("13800138000")
    client = Client()

    response = client.post(URL, {"account": "13800138000", "password": "pw-citizen-1"})

    assert response.status_code == 302


@pytest.mark.parametrize(("minutes", "status"), [(29, 429), (31, 302)])
def test_the_lock_lifts_after_30_minutes(citizen: User, minutes: int, status: int) -> None:
    start = dt.datetime(2025, 11, 22, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _attempt in range(5):
            fail("13800138000")

    with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
        response = Client().post(URL, {"account": "13800138000", "password": "pw-citizen-1"})

    assert response.status_code == status


def test_an_unknown_account_locks_like_a_known_one(db: None) -> None:
    for _attempt in range(4):
        fail("13912345678")

    response = Client().post(URL, {"account": "139 1234 5678", "password": "whatever-pw"})

    assert response.status_code == 429
