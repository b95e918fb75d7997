"""The SMS link channel (DOMAIN §5.3, §11): a closed case invites its applicant once; the link
rates that case once without signing in, carries no personal data, and a tampered or expired
link is refused with a friendly page."""

import datetime as dt
import re
from typing import Any

from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from applications.models import Application
from notifications.choices import Channel, Event
from notifications.models import Notification
from supervision import invitations, services
from supervision.choices import EvaluationChannel
from supervision.models import Evaluation, Followup
from tests.applications.conftest import NOW, at, case_in
from tests.html import visible_text

pytestmark = pytest.mark.django_db

# case_in closes a completed case four hours after NOW (2025-06-11 14:00).
NEXT_DAY = at("2025-06-12")


@pytest.fixture
def completed(world: dict[str, Any]) -> Application:
    return case_in("completed", world)


def link_of(application: Application, world: dict[str, Any], **kwargs: Any) -> str:
    token = invitations.rating_token_make(
        application_id=application.pk,
        user_id=world["applicant"].pk,
        now=kwargs.get("now", timezone.now()),
    )
    return reverse("rate-by-link", args=[token])


def test_a_closed_case_invites_its_applicant_once_by_sms_with_a_link(
    world: dict[str, Any], completed: Application
) -> None:
    assert invitations.evaluation_invites_send(now=NEXT_DAY) == 1
    assert invitations.evaluation_invites_send(now=NEXT_DAY + dt.timedelta(hours=1)) == 0

    sms = Notification.objects.get(event=Event.EVALUATION_INVITE, channel=Channel.SMS)
    assert sms.recipient == world["applicant"]
    assert sms.address == completed.applicant_mobile
    assert sms.key == f"evaluation-invite:{completed.pk}"
    url = re.search(r"https?://\S+/rate/[^/\s]+/", sms.body)
    assert url is not None
    assert "食品经营许可" in sms.body
    assert Notification.objects.filter(event=Event.EVALUATION_INVITE).count() == 2  # + inbox


def test_the_link_carries_no_personal_data(world: dict[str, Any], completed: Application) -> None:
    invitations.evaluation_invites_send(now=NEXT_DAY)

    body = Notification.objects.get(event=Event.EVALUATION_INVITE, channel=Channel.SMS).body
    url = re.search(r"/rate/([^/\s]+)/", body)
    assert url is not None
    applicant = world["applicant"]
    token = url.group(1)
    for personal in (applicant.id_number, applicant.mobile, applicant.real_name, "李四"):
        assert personal not in token
    payload = signing.b64_decode(token.split(":")[0].encode()).decode()
    assert payload == f"[{completed.pk},{applicant.pk},{int(NEXT_DAY.timestamp())}]"


@pytest.mark.parametrize(
    ("state", "now"),
    [
        ("completed", NOW + dt.timedelta(days=31)),  # closed more than 30 days ago
        ("in_review", NEXT_DAY),  # still open
        ("void", NEXT_DAY),  # voided by the department: nothing to rate
    ],
)
def test_cases_not_worth_inviting_are_skipped(
    world: dict[str, Any], state: str, now: dt.datetime
) -> None:
    case_in(state, world)

    assert invitations.evaluation_invites_send(now=now) == 0
    assert not Notification.objects.filter(event=Event.EVALUATION_INVITE).exists()


def test_a_case_rated_online_is_not_invited(world: dict[str, Any], completed: Application) -> None:
    services.evaluation_submit(
        user=world["applicant"],
        application_id=completed.pk,
        level=1,
        tags=[],
        comment="",
        now=NEXT_DAY,
    )

    assert invitations.evaluation_invites_send(now=NEXT_DAY) == 0


def test_the_link_rates_the_case_once_without_signing_in(
    world: dict[str, Any], completed: Application
) -> None:
    client = Client()
    url = link_of(completed, world)

    page = client.get(url)
    rated = client.post(url, {"level": "2", "good_tags": ["EASY"]}, follow=True)
    again = client.post(url, {"level": "5", "comment": "改主意了"})

    assert page.status_code == 200
    assert "评价本次服务" in visible_text(page)
    assert "李四" not in visible_text(page)
    assert page["Referrer-Policy"] == "no-referrer"
    evaluation = Evaluation.objects.get()
    assert (evaluation.evaluator, evaluation.channel, evaluation.level) == (
        world["applicant"],
        EvaluationChannel.SMS,
        2,
    )
    assert "感谢您的评价" in visible_text(rated)
    assert "该办件已评价" in visible_text(again)
    assert Evaluation.objects.count() == 1


def test_a_case_rated_online_shows_the_thanks_page_on_the_link(
    world: dict[str, Any], completed: Application
) -> None:
    services.evaluation_submit(
        user=world["applicant"],
        application_id=completed.pk,
        level=3,
        tags=[],
        comment="",
        now=NEXT_DAY,
    )

    page = Client().get(link_of(completed, world))

    assert page.status_code == 200
    assert "该办件已评价" in visible_text(page)


def test_a_bad_rating_by_link_is_followed_up(world: dict[str, Any], completed: Application) -> None:
    Client().post(link_of(completed, world), {"level": "5", "bad_tags": ["MANY_VISITS"]})

    followup = Followup.objects.get()
    assert followup.evaluation.channel == EvaluationChannel.SMS


def tampered(url: str) -> str:
    token = url.rstrip("/").rsplit("/", 1)[1]
    data, signature = token.split(":")
    payload = signing.b64_decode(data.encode()).decode().replace("[", "[9", 1)
    return reverse(
        "rate-by-link", args=[f"{signing.b64_encode(payload.encode()).decode()}:{signature}"]
    )


@pytest.mark.parametrize("kind", ["tampered", "expired", "other_salt", "garbage", "other_user"])
def test_a_bad_link_gets_a_friendly_not_found_page_and_rates_nothing(
    world: dict[str, Any], completed: Application, kind: str
) -> None:
    if kind == "tampered":
        url = tampered(link_of(completed, world))
    elif kind == "expired":
        url = link_of(completed, world, now=timezone.now() - dt.timedelta(days=31))
    elif kind == "other_salt":
        token = signing.dumps(
            [completed.pk, world["applicant"].pk, int(timezone.now().timestamp())]
        )
        url = reverse("rate-by-link", args=[token])
    elif kind == "garbage":
        url = reverse("rate-by-link", args=["not-a-token"])
    else:
        token = invitations.rating_token_make(
            application_id=completed.pk, user_id=world["other_citizen"].pk, now=timezone.now()
        )
        url = reverse("rate-by-link", args=[token])
    client = Client()

    page = client.get(url)
    posted = client.post(url, {"level": "1"})

    assert (page.status_code, posted.status_code) == (404, 404)
    assert "评价链接无效或已过期" in visible_text(page)
    assert not Evaluation.objects.exists()


def test_a_link_is_valid_for_the_configured_days(
    world: dict[str, Any], completed: Application
) -> None:
    token = invitations.rating_token_make(
        application_id=completed.pk, user_id=world["applicant"].pk, now=NEXT_DAY
    )

    link = invitations.rating_token_read(token, now=NEXT_DAY + dt.timedelta(days=30))
    with pytest.raises(invitations.InvalidRatingLinkError, match="已过期"):
        invitations.rating_token_read(token, now=NEXT_DAY + dt.timedelta(days=30, seconds=1))

    assert (link.application_id, link.user_id) == (completed.pk, world["applicant"].pk)
