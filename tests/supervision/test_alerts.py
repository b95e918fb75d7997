"""电子监察: yellow and red cards on the promised, statutory, step, intake and delivery clocks, with
injected time. The food licence promises 5 working days; accepted on Wednesday 2025-06-11, it is
due at the end of Wednesday 2025-06-18."""

import datetime as dt
from typing import Any

from django.test import override_settings

import pytest

from applications import services
from applications.models import Application
from notifications.models import Notification
from supervision.alerts import alerts_raise
from supervision.choices import AlertColor, AlertRule
from supervision.models import Alert
from tests.applications.conftest import (
    NOW,
    at,
    case_in,
    matter_import,
    pdf,
    shared,
    simple_draft_ready,
)

pytestmark = pytest.mark.django_db

applicant = shared("applicant")
clerk = shared("clerk")
reviewer = shared("reviewer")


def cards(application: Application, *, rules: tuple[str, ...] = ()) -> dict[str, str]:
    """The case's cards by rule (all, or those of `rules`): 'open' or 'resolved'."""
    alerts = Alert.objects.filter(application=application)
    if rules:
        alerts = alerts.filter(rule__in=rules)
    return {alert.rule: "resolved" if alert.resolved_at else "open" for alert in alerts}


WHOLE_CASE = (AlertRule.CASE_DUE_SOON, AlertRule.CASE_OVERDUE, AlertRule.LEGAL_OVERDUE)


@pytest.fixture
def in_review(world: dict[str, Any]) -> Application:
    return case_in("in_review", world)  # accepted 2025-06-11 11:00, at 审查


def test_nothing_is_raised_while_the_promised_deadline_is_far(in_review: Application) -> None:
    assert alerts_raise(now=at("2025-06-16")) == 0

    assert cards(in_review) == {}


def test_a_yellow_card_one_working_day_before_the_promised_deadline(
    in_review: Application,
) -> None:
    alerts_raise(now=at("2025-06-17"))

    alert = Alert.objects.get(application=in_review)
    assert (alert.rule, alert.color) == (AlertRule.CASE_DUE_SOON, AlertColor.YELLOW)
    assert alert.deadline == in_review.promise_deadline


def test_a_red_card_once_the_promised_deadline_has_passed_and_only_once(
    in_review: Application,
) -> None:
    alerts_raise(now=at("2025-06-17"))
    alerts_raise(now=at("2025-06-19"))
    alerts_raise(now=at("2025-06-20"))

    assert cards(in_review) == {"CASE_DUE_SOON": "open", "CASE_OVERDUE": "open"}
    assert Alert.objects.filter(application=in_review, rule=AlertRule.CASE_OVERDUE).count() == 1


def test_the_statutory_deadline_raises_its_own_red_card(in_review: Application) -> None:
    alerts_raise(now=at("2025-07-10"))  # 20 working days after 2025-06-11 is 2025-07-09

    assert cards(in_review) == {"CASE_OVERDUE": "open", "LEGAL_OVERDUE": "open"}


def test_red_cards_tell_the_department_head_once(
    in_review: Application, world: dict[str, Any]
) -> None:
    alerts_raise(now=at("2025-06-19"))
    alerts_raise(now=at("2025-06-20"))

    told = Notification.objects.filter(event="ALERT_RAISED", recipient=world["department_admin"])
    assert told.count() == told.values("channel").distinct().count() >= 1
    assert "超过承诺办结期限" in told.get(channel="INBOX").body


def test_yellow_cards_tell_nobody(in_review: Application) -> None:
    alerts_raise(now=at("2025-06-17"))

    assert not Notification.objects.filter(event="ALERT_RAISED").exists()


def test_deciding_the_case_resolves_its_cards(
    in_review: Application, world: dict[str, Any]
) -> None:
    alerts_raise(now=at("2025-06-19"))
    services.application_step_pass(
        user=world["reviewer"],
        application_id=in_review.pk,
        now=at("2025-06-19", 11),
        opinion="符合。",
    )
    services.application_material_upload(
        user=world["applicant"],
        application_id=in_review.pk,
        material_key="M04",
        file=pdf(),
        now=at("2025-06-19", 11),
    )
    services.application_approve(
        user=world["approver"], application_id=in_review.pk, now=at("2025-06-19", 12)
    )

    alerts_raise(now=at("2025-06-19", 13))

    assert cards(in_review) == {"CASE_OVERDUE": "resolved"}


def test_a_suspended_case_raises_nothing(world: dict[str, Any]) -> None:
    suspended = case_in("suspended", world)

    alerts_raise(now=at("2025-06-30"))

    assert cards(suspended) == {}


@override_settings(SUPERVISION_YELLOW_RULE="percent", SUPERVISION_YELLOW_PERCENT=80)
def test_the_yellow_card_can_come_at_80_percent_of_the_time(applicant: Any, clerk: Any) -> None:
    matter = matter_import("11008000", "十日承诺事项", promised_limit=10)
    draft = simple_draft_ready(applicant, matter)
    services.application_submit(user=applicant, application_id=draft.pk, now=NOW)
    case = services.application_accept(user=clerk, application_id=draft.pk, now=NOW)
    # Due 2025-06-25 (10 working days); 80 % is 8 working days: Monday 2025-06-23.
    alerts_raise(now=at("2025-06-20"))
    assert cards(case, rules=WHOLE_CASE) == {}

    alerts_raise(now=at("2025-06-23"))

    assert cards(case, rules=WHOLE_CASE) == {"CASE_DUE_SOON": "open"}


def test_with_the_default_rule_the_same_case_turns_yellow_a_day_later(
    applicant: Any, clerk: Any
) -> None:
    matter = matter_import("11008000", "十日承诺事项", promised_limit=10)
    draft = simple_draft_ready(applicant, matter)
    services.application_submit(user=applicant, application_id=draft.pk, now=NOW)
    case = services.application_accept(user=clerk, application_id=draft.pk, now=NOW)

    alerts_raise(now=at("2025-06-23"))
    assert cards(case, rules=WHOLE_CASE) == {}
    alerts_raise(now=at("2025-06-24"))

    assert cards(case, rules=WHOLE_CASE) == {"CASE_DUE_SOON": "open"}


def test_a_step_past_its_own_limit_is_red_though_the_case_is_in_time(
    applicant: Any, clerk: Any
) -> None:
    # The imported guide's 审查 step has a 3-working-day limit; the case promises 5.
    matter = matter_import("11009000", "环节时限事项", promised_limit=15)
    draft = simple_draft_ready(applicant, matter)
    services.application_submit(user=applicant, application_id=draft.pk, now=NOW)
    case = services.application_accept(user=clerk, application_id=draft.pk, now=NOW)

    alerts_raise(now=at("2025-06-13"))  # step due Monday 2025-06-16: one working day left
    assert cards(case) == {"STEP_DUE_SOON": "open"}
    alerts_raise(now=at("2025-06-17"))

    assert cards(case) == {"STEP_DUE_SOON": "open", "STEP_OVERDUE": "open"}
    step = Alert.objects.get(application=case, rule=AlertRule.STEP_OVERDUE)
    assert step.step_name == "审查"


def test_passing_the_late_step_resolves_its_cards(
    applicant: Any, clerk: Any, reviewer: Any
) -> None:
    matter = matter_import("11009000", "环节时限事项", promised_limit=15)
    draft = simple_draft_ready(applicant, matter)
    services.application_submit(user=applicant, application_id=draft.pk, now=NOW)
    case = services.application_accept(user=clerk, application_id=draft.pk, now=NOW)
    alerts_raise(now=at("2025-06-17"))

    services.application_step_pass(
        user=reviewer,
        application_id=case.pk,
        now=at("2025-06-17", 11),
        opinion="符合。",
    )
    alerts_raise(now=at("2025-06-17", 12))

    assert cards(case) == {"STEP_OVERDUE": "resolved"}  # already late at the first run: no yellow


def test_a_deemed_acceptance_raises_a_red_card(world: dict[str, Any]) -> None:
    received = case_in("received", world)  # received 2025-06-11: intake due 2025-06-18
    services.application_deem_accepted(application_id=received.pk, now=at("2025-06-19"))

    alerts_raise(now=at("2025-06-19", 11))

    alert = Alert.objects.get(application=received, rule=AlertRule.DEEMED_ACCEPTED)
    assert alert.color == AlertColor.RED


def test_late_delivery_raises_a_red_card_until_delivered(world: dict[str, Any]) -> None:
    approved = case_in("approved", world)  # decided 2025-06-11: deliver by 2025-06-25

    alerts_raise(now=at("2025-06-25"))
    assert "DELIVERY_LATE" not in cards(approved)
    alerts_raise(now=at("2025-06-26"))
    assert cards(approved)["DELIVERY_LATE"] == "open"

    services.application_deliver(
        user=world["clerk"], application_id=approved.pk, now=at("2025-06-26", 11)
    )
    alerts_raise(now=at("2025-06-26", 12))

    assert cards(approved)["DELIVERY_LATE"] == "resolved"


def test_cards_are_raised_for_every_open_case_in_one_run(world: dict[str, Any]) -> None:
    first = case_in("in_review", world)
    second = case_in("in_review", world, now=NOW + dt.timedelta(minutes=5))

    assert alerts_raise(now=at("2025-06-19")) == 2

    assert cards(first) == cards(second) == {"CASE_OVERDUE": "open"}
