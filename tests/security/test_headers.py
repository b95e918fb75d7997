"""Security headers, caching of personal pages, open redirects and API content negotiation
(CFG-02 in-process, SEC-DP-03, SEC-IN-04, SEC-IN-05, fail-closed API permissions)."""

from typing import Any

from django.test import Client
from django.urls import reverse

import pytest

from accounts.models import User
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

EVIL_TARGETS = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
]


def test_every_page_carries_the_browser_security_headers(client: Client) -> None:
    response = client.get(reverse("sign-in"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def test_a_public_catalogue_page_stays_cacheable_for_visitors(
    client: Client, catalogue: dict[str, Any]
) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "url_name", ["centre", "profile", "password-change", "notifications:inbox", "home"]
)
def test_pages_for_a_signed_in_citizen_are_never_stored(citizen: User, url_name: str) -> None:
    client = Client()
    sign_in(client, citizen)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_signed_in_api_answer_is_never_stored(citizen: User) -> None:
    client = Client()
    sign_in(client, citizen)

    response = client.get("/api/v1/applications/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_signing_in_never_redirects_off_site(citizen: User, target: str) -> None:
    response = Client().post(
        f"{reverse('sign-in')}?next={target}",
        {"account": "13800138000", "password": "pw-citizen-1"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_the_language_switch_never_redirects_off_site(client: Client, target: str) -> None:
    response = client.get(reverse("language", args=["en"]), {"next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_a_page_that_needs_signing_in_keeps_next_on_site(citizen: User, target: str) -> None:
    client = Client()
    sign_in(client, citizen)

    response = client.post(
        reverse("password-change"),
        {
            "current_password": "pw-citizen-1",
            "password": "copper-kettle-2026",
            "password_confirm": "copper-kettle-2026",
            "next": target,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("password-change")


def test_a_safe_next_is_still_followed(citizen: User) -> None:
    response = Client().post(
        f"{reverse('sign-in')}?next=/matters/",
        {"account": "13800138000", "password": "pw-citizen-1"},
    )

    assert response["Location"] == "/matters/"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", "hello"),
        ("application/xml", "<a>1</a>"),
        ("application/x-www-form-urlencoded", "note=x"),
    ],
)
def test_an_api_write_with_a_body_that_is_not_json_is_refused_with_415(
    citizen: User, content_type: str, body: str
) -> None:
    client = Client()
    sign_in(client, citizen)

    response = client.post("/api/v1/applications/1/withdraw/", body, content_type=content_type)

    assert response.status_code == 415


def test_an_api_call_asking_for_a_format_we_do_not_speak_gets_406(
    client: Client, catalogue: dict[str, Any]
) -> None:
    response = client.get("/api/v1/matters/", headers={"Accept": "application/xml"})

    assert response.status_code == 406


def test_the_public_catalogue_api_is_open_and_everything_else_needs_signing_in(
    client: Client, catalogue: dict[str, Any]
) -> None:
    public = client.get("/api/v1/matters/")
    private = client.get("/api/v1/applications/")

    assert public.status_code == 200
    assert private.status_code == 403
