"""一次一评 at the window (DOMAIN §5.1): the clerk opens a big-button page on the counter tablet,
the person at the counter rates the visit once; a bad rating is followed up as online ones are."""

from typing import Any

from django.test import Client
from django.urls import reverse

import pytest

from accounts.models import User
from applications.models import Application
from notifications.choices import Event
from notifications.models import Notification
from supervision.choices import EvaluationChannel, EvaluationObject
from supervision.models import Evaluation, Followup
from tests.applications.conftest import case_in, shared
from tests.auth import sign_in
from tests.html import visible_text

pytestmark = pytest.mark.django_db

clerk = shared("clerk")
department_admin = shared("department_admin")


@pytest.fixture
def completed(world: dict[str, Any]) -> Application:
    return case_in("completed", world)


def signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def tablet_url(application: Application) -> str:
    return reverse("window-rating", args=[application.pk])


def test_the_clerk_opens_the_tablet_page_for_the_case(clerk: User, completed: Application) -> None:
    page = signed_in(clerk).get(tablet_url(completed))

    text = visible_text(page)
    assert page.status_code == 200
    assert "请为本次窗口服务评价" in text
    assert "食品经营许可" in text
    assert "非常满意" in text
    assert "rating-big" in page.content.decode()


def test_the_person_at_the_counter_rates_the_visit_once(
    clerk: User, completed: Application
) -> None:
    client = signed_in(clerk)

    done = client.post(
        tablet_url(completed), {"level": "1", "good_tags": ["FRIENDLY"]}, follow=True
    )
    again = client.post(tablet_url(completed), {"level": "5", "comment": "改主意了"})

    evaluation = Evaluation.objects.get()
    assert (evaluation.object_type, evaluation.channel) == (
        EvaluationObject.WINDOW,
        EvaluationChannel.WINDOW,
    )
    assert evaluation.evaluator is None
    assert evaluation.staff == clerk
    assert (evaluation.level, evaluation.tags) == (1, ["FRIENDLY"])
    assert evaluation.department_id == completed.department_id
    assert "感谢您的评价" in visible_text(done)
    # The clerk's tablet never shows how they were rated.
    assert "非常满意" not in visible_text(done)
    assert again.status_code == 400
    assert Evaluation.objects.count() == 1


def test_a_window_rating_leaves_the_applicant_free_to_rate_the_case_online(
    world: dict[str, Any], clerk: User, completed: Application
) -> None:
    signed_in(clerk).post(tablet_url(completed), {"level": "2"})
    rater = Client()
    sign_in(rater, world["applicant"])

    response = rater.post(reverse("application-evaluate", args=[completed.pk]), {"level": "1"})

    assert response.status_code == 302
    assert Evaluation.objects.filter(object_type=EvaluationObject.CASE).count() == 1


def test_a_bad_window_rating_opens_a_followup_naming_the_clerk(
    clerk: User, department_admin: User, completed: Application
) -> None:
    signed_in(clerk).post(
        tablet_url(completed), {"level": "4", "bad_tags": ["UNFRIENDLY"], "comment": "态度冷淡"}
    )

    followup = Followup.objects.get()
    assert followup.evaluation.staff == clerk
    assert Notification.objects.filter(
        event=Event.FOLLOWUP_OPENED, recipient=department_admin
    ).exists()
    detail = visible_text(
        signed_in(department_admin).get(reverse("followup-detail", args=[followup.pk]))
    )
    assert "窗口服务（一次一评）（Clerk）" in detail
    assert "窗口现场办事人（未登录）" in detail
    assert "服务态度差" in detail


def test_a_bad_window_rating_needs_a_reason(clerk: User, completed: Application) -> None:
    response = signed_in(clerk).post(tablet_url(completed), {"level": "5"})

    assert response.status_code == 400
    assert "请告诉我们哪里没做好" in visible_text(response)
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("user_name", "expected_case"),
    [
        ("outsider", 404),  # a window clerk of another department
        ("reviewer", 403),  # of the department, but not at the window
        ("applicant", 404),  # a citizen: the workbench is not theirs to find
    ],
)
def test_only_a_window_clerk_of_the_cases_department_opens_the_tablet(
    world: dict[str, Any], completed: Application, user_name: str, expected_case: int
) -> None:
    client = signed_in(world[user_name])

    page = client.get(tablet_url(completed))
    posted = client.post(tablet_url(completed), {"level": "1"})

    assert (page.status_code, posted.status_code) == (expected_case, expected_case)
    assert not Evaluation.objects.exists()


def test_a_draft_has_no_visit_to_rate(world: dict[str, Any], clerk: User) -> None:
    draft = case_in("draft", world)

    assert signed_in(clerk).get(tablet_url(draft)).status_code == 404
