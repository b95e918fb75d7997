"""好差评 after a case closes (一事一评): five levels, tags that fit the level, a reason for a bad
rating, once per case and person, only one's own case."""

from typing import Any

from django.test import Client

import pytest

from applications.models import Application
from supervision.models import Evaluation
from tests.applications.conftest import case_in, shared
from tests.auth import sign_in
from tests.html import visible_text

pytestmark = pytest.mark.django_db

applicant = shared("applicant")
other_citizen = shared("other_citizen")


@pytest.fixture
def completed(world: dict[str, Any]) -> Application:
    return case_in("completed", world)


@pytest.fixture
def rater(world: dict[str, Any], client: Client) -> Client:
    sign_in(client, world["applicant"])
    return client


def rate_url(application: Application) -> str:
    return f"/applications/{application.pk}/rate/"


def test_the_closed_case_page_prompts_for_a_rating(rater: Client, completed: Application) -> None:
    page = visible_text(rater.get(f"/applications/{completed.pk}/"))

    assert "您对这次办事满意吗" in page
    assert "评价本次服务" in page


def test_an_open_case_is_not_prompted_and_cannot_be_rated(
    rater: Client, world: dict[str, Any]
) -> None:
    open_case = case_in("in_review", world)

    page = visible_text(rater.get(f"/applications/{open_case.pk}/"))
    response = rater.post(rate_url(open_case), {"level": "1"})

    assert "评价本次服务" not in page
    assert response.status_code == 400
    assert "办件办结后才能评价" in visible_text(response)
    assert not Evaluation.objects.exists()


def test_a_rating_with_tags_and_a_comment_is_recorded_and_thanked_for(
    rater: Client, completed: Application
) -> None:
    response = rater.post(
        rate_url(completed),
        {"level": "1", "good_tags": ["FAST", "ONE_GO"], "comment": "窗口很耐心"},
        follow=True,
    )

    evaluation = Evaluation.objects.get()
    assert "感谢您的评价" in visible_text(response)
    assert (evaluation.level, evaluation.tags, evaluation.comment) == (
        1,
        ["FAST", "ONE_GO"],
        "窗口很耐心",
    )
    assert evaluation.department_id == completed.department_id
    assert "您已评价：非常满意" in visible_text(rater.get(f"/applications/{completed.pk}/"))


def test_a_case_is_rated_once(rater: Client, completed: Application) -> None:
    rater.post(rate_url(completed), {"level": "2"})

    again = rater.post(rate_url(completed), {"level": "5", "comment": "改主意了"})

    assert Evaluation.objects.get().level == 2
    assert again.status_code in (200, 400)
    assert "感谢您的评价" in visible_text(again)


def test_a_bad_rating_asks_what_went_wrong(rater: Client, completed: Application) -> None:
    response = rater.post(rate_url(completed), {"level": "5"})

    assert response.status_code == 400
    assert "请告诉我们哪里没做好" in visible_text(response)
    assert not Evaluation.objects.exists()


def test_only_the_tags_of_the_chosen_level_count(rater: Client, completed: Application) -> None:
    rater.post(rate_url(completed), {"level": "4", "good_tags": ["FAST"], "bad_tags": ["SLOW"]})

    assert Evaluation.objects.get().tags == ["SLOW"]


def test_no_level_is_refused_at_the_field(rater: Client, completed: Application) -> None:
    response = rater.post(rate_url(completed), {"comment": "还行"})

    assert response.status_code == 400
    assert "请选择满意程度" in visible_text(response)
    assert not Evaluation.objects.exists()


def test_another_persons_case_cannot_be_seen_or_rated(
    client: Client, world: dict[str, Any], completed: Application
) -> None:
    sign_in(client, world["other_citizen"])

    assert client.get(rate_url(completed)).status_code == 404
    assert client.post(rate_url(completed), {"level": "1"}).status_code == 404
    assert not Evaluation.objects.exists()
