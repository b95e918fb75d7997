"""Two people acting on one case at the same moment (PostgreSQL row locks): exactly one wins, the
other is told who did, and the trail holds one event. Each call runs in a real thread with its own
database connection, released together by a barrier."""

import datetime as dt
import os
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.test import Client

import pytest
import redis
from celery import Celery
from celery.app import app_or_default
from celery.app.task import Task as CeleryTask
from pytest_django import Settings

from accounts.choices import Role
from accounts.models import User
from applications import services
from applications.choices import EventKind, Status
from applications.conflicts import AlreadyHandledError
from applications.models import Application, ApplicationEvent, ReferenceCounter
from applications.workflow import current_step
from certificates.models import Certificate
from matters.models import Matter
from notifications.choices import Event
from notifications.models import Notification
from tests.applications.conftest import LATER, NOW, _staff, draft_ready, pdf
from tests.auth import sign_in
from tests.certificates.conftest import case_at_decision, world_build
from tests.concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def accept(user: User, pk: int) -> Callable[[], Application]:
    return lambda: services.application_accept(user=user, application_id=pk, now=LATER)


def not_accept(user: User, pk: int) -> Callable[[], Application]:
    return lambda: services.application_not_accept(
        user=user, application_id=pk, now=LATER, kind="OTHER", reason="重复申请。"
    )


def test_two_clerks_accepting_at_once_accept_once_and_the_other_is_told_who(
    submitted: Callable[..., Application], clerk: User, clerk2: User
) -> None:
    case = submitted()

    results = run_together([accept(clerk, case.pk), accept(clerk2, case.pk)])

    winners = [i for i, r in enumerate(results) if isinstance(r, Application)]
    losers = [r for r in results if isinstance(r, AlreadyHandledError)]
    assert (len(winners), len(losers)) == (1, 1)
    winner = (clerk, clerk2)[winners[0]]
    assert losers[0].message == (
        f"该办件已由{winner.display_name}于2025-06-11 11:00处理（受理），"
        "当前状态为“已受理，审查中”，请刷新后查看。"
    )
    accepted = ApplicationEvent.objects.filter(application_id=case.pk, kind=EventKind.ACCEPTED)
    assert list(accepted.values_list("actor", flat=True)) == [winner.pk]
    case.refresh_from_db()
    assert (case.status, case.accepted_at) == (Status.IN_REVIEW, LATER)


def test_accepting_and_refusing_at_once_do_one_of_the_two(
    submitted: Callable[..., Application], clerk: User, clerk2: User
) -> None:
    case = submitted()

    results = run_together([accept(clerk, case.pk), not_accept(clerk2, case.pk)])

    assert sum(isinstance(r, Application) for r in results) == 1
    losers = [r for r in results if isinstance(r, AlreadyHandledError)]
    assert len(losers) == 1
    case.refresh_from_db()
    if isinstance(results[0], Application):  # accepted
        expected = ("Clerk", "受理", "已受理，审查中", Status.IN_REVIEW, EventKind.ACCEPTED)
    else:
        expected = ("Clerk2", "不予受理", "不予受理", Status.NOT_ACCEPTED, EventKind.NOT_ACCEPTED)
    who, what, label, status, kind = expected
    assert losers[0].message == (
        f"该办件已由{who}于2025-06-11 11:00处理（{what}），当前状态为“{label}”，请刷新后查看。"
    )
    assert case.status == status
    assert list(case.events.order_by("pk").values_list("kind", flat=True)) == [
        EventKind.SUBMITTED,
        kind,
    ]


def test_twenty_submissions_of_one_draft_at_once_make_one_case(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])

    results = run_together(
        [
            lambda: services.application_submit(user=applicant, application_id=draft.pk, now=NOW)
            for _ in range(20)
        ]
    )

    assert all(isinstance(r, Application) for r in results), results
    assert {r.reference for r in results} == {
        f"{workflow_catalogue['food'].implementation_code}20250611000001"
    }
    assert {r.pk for r in results} == {draft.pk}
    submitted = ApplicationEvent.objects.filter(application_id=draft.pk, kind=EventKind.SUBMITTED)
    assert submitted.count() == 1
    assert list(ReferenceCounter.objects.values_list("last", flat=True)) == [1]


def test_ten_drafts_submitted_at_once_get_ten_consecutive_references(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food = workflow_catalogue["food"]
    drafts = [draft_ready(applicant, food) for _ in range(10)]

    results = run_together(
        [
            partial(services.application_submit, user=applicant, application_id=d.pk, now=NOW)
            for d in drafts
        ]
    )

    assert all(isinstance(r, Application) for r in results), results
    references = sorted(r.reference for r in results)
    assert references == [f"{food.implementation_code}20250611{n:06d}" for n in range(1, 11)]
    assert list(ReferenceCounter.objects.values_list("last", flat=True)) == [10]


def test_one_client_key_sent_ten_times_at_once_makes_one_draft(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food = workflow_catalogue["food"]

    results = run_together(
        [
            lambda: services.application_draft_create(
                applicant=applicant, matter_id=food.pk, now=NOW, client_key="double-click"
            )
            for _ in range(10)
        ]
    )

    assert all(isinstance(r, Application) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Application.objects.filter(filed_by=applicant, client_key="double-click").count() == 1


# --- REL-CC-01: twenty decision-makers on one case, half approving and half refusing -------------
#
# The figures of RELIABILITY 4.7: per round exactly 1 success, 19 refusals, 0 errors; the case ends
# in the winner's state with one trail event, one set of messages and (approved) one certificate.

# RELIABILITY 4.7 asks for 50 rounds (about 70 s here); 20 keep the default run near 30 s.
ROUNDS = int(os.environ.get("RACE_ROUNDS", "20"))
DECIDERS = 20
DECIDED = NOW + dt.timedelta(hours=3)
DECISION_EVENTS = (EventKind.APPROVED, EventKind.REJECTED)
DECISION_MESSAGES = (Event.APPLICATION_APPROVED, Event.APPLICATION_REJECTED)


def certificate_world(deciders: int) -> dict[str, Any]:
    """The certificate tests' world (food licences are e-certificates) with `deciders` approvers."""
    people = world_build()
    market = people["market"]
    people["approvers"] = [people["approver"]] + [
        _staff(f"approver{n:02d}", Role.APPROVER, market) for n in range(1, deciders)
    ]
    return people


def decide(user: User, pk: int, *, approve: bool) -> Callable[[], Application]:
    """One decision in its own transaction, as a request would make it."""

    def call() -> Application:
        with transaction.atomic():
            if approve:
                return services.application_approve(user=user, application_id=pk, now=DECIDED)
            return services.application_reject(
                user=user, application_id=pk, now=DECIDED, reason="场所不符合要求。"
            )

    return call


def test_twenty_deciders_approving_and_refusing_at_once_decide_once_in_every_round() -> None:
    people = certificate_world(DECIDERS)
    approvers: list[User] = people["approvers"]
    outcomes = {"approved": 0, "rejected": 0}

    for round_ in range(ROUNDS):
        case = case_at_decision(people, now=NOW + dt.timedelta(minutes=round_))
        calls = [decide(user, case.pk, approve=i % 2 == 0) for i, user in enumerate(approvers)]

        results = run_together(calls)

        winners = [i for i, r in enumerate(results) if isinstance(r, Application)]
        refused = [r for r in results if isinstance(r, AlreadyHandledError)]
        errors = [r for r in results if not isinstance(r, Application | AlreadyHandledError)]
        assert (len(winners), len(refused), errors) == (1, DECIDERS - 1, []), (round_, results)
        approved = winners[0] % 2 == 0
        outcomes["approved" if approved else "rejected"] += 1
        case.refresh_from_db()
        assert case.status == (Status.APPROVED if approved else Status.REJECTED)
        events = ApplicationEvent.objects.filter(application=case, kind__in=DECISION_EVENTS)
        assert list(events.values_list("kind", "actor")) == [
            (EventKind.APPROVED if approved else EventKind.REJECTED, approvers[winners[0]].pk)
        ]
        assert Certificate.objects.filter(source_ref=case.reference).count() == int(approved)
        messages = Notification.objects.filter(event__in=DECISION_MESSAGES)
        assert set(
            messages.filter(key=f"application-event:{events[0].pk}").values_list("event", flat=True)
        ) == {Event.APPLICATION_APPROVED if approved else Event.APPLICATION_REJECTED}

    # One set of messages per round: every decision message belongs to one of the winners' events.
    assert (
        Notification.objects.filter(event__in=DECISION_MESSAGES).values("key").distinct().count()
        == ROUNDS
    )
    assert Certificate.objects.count() == outcomes["approved"]


def test_twenty_approve_requests_at_once_answer_one_200_and_nineteen_409() -> None:
    people = certificate_world(DECIDERS)
    case = case_at_decision(people)
    clients = []
    for user in people["approvers"]:
        client = Client()
        sign_in(client, user)  # staff: with the second factor passed
        client.raise_request_exception = False  # a crash must show up as a 500, not pass silently
        clients.append(client)
    url = f"/api/v1/cases/{case.pk}/approve/"

    responses = run_together([partial(c.post, url, {}, "application/json") for c in clients])

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * (DECIDERS - 1), codes
    winner = next(r for r in responses if r.status_code == 200)
    assert winner.json()["status"] == Status.APPROVED
    refusal = next(r for r in responses if r.status_code == 409).json()["detail"]
    assert refusal.startswith("该办件已由")
    assert refusal.endswith("请刷新后查看。")
    assert ApplicationEvent.objects.filter(application=case, kind=EventKind.APPROVED).count() == 1
    assert Certificate.objects.filter(source_ref=case.reference).count() == 1


# --- REL-CC-02: a material caught up while the review step is passed: both changes kept ----------


def test_catching_up_a_material_while_the_step_is_passed_loses_neither_change() -> None:
    people = certificate_world(1)
    applicant, reviewer = people["applicant"], people["reviewer"]

    for round_ in range(5):
        now = NOW + dt.timedelta(minutes=round_)
        case = _owing_at_review(people, now=now)
        upload = partial(
            services.application_material_upload,
            user=applicant, application_id=case.pk, material_key="M04", file=pdf(), now=LATER,
        )  # fmt: skip
        step_pass = partial(
            services.application_step_pass,
            user=reviewer, application_id=case.pk, now=LATER, opinion="符合条件。",
        )  # fmt: skip

        results = run_together([upload, step_pass])

        assert not [r for r in results if isinstance(r, BaseException)], results
        case.refresh_from_db()
        assert (case.status, current_step(case).name) == (Status.IN_REVIEW, "决定")
        assert not case.materials.owed().exists()
        kinds = list(case.events.values_list("kind", flat=True))
        assert (kinds.count(EventKind.STEP_PASSED), kinds.count(EventKind.MATERIAL_CAUGHT_UP)) == (
            1,
            1,
        )
        # What the approver notices: the decision is no longer held back by the owed material.
        services.application_approve(user=people["approver"], application_id=case.pk, now=LATER)


def _owing_at_review(people: dict[str, Any], *, now: dt.datetime) -> Application:
    """A food-licence case accepted (at 审查) that still owes its 容缺 material M04."""
    draft = draft_ready(people["applicant"], people["workflow_catalogue"]["food"], now=now)
    services.application_submit(user=people["applicant"], application_id=draft.pk, now=now)
    return services.application_accept(user=people["clerk"], application_id=draft.pk, now=now)


# --- REL-OB-01: a transaction that fails after the transition leaves no work behind -------------


class AfterTransitionError(Exception):
    """Raised after the decision, inside its transaction."""


def approve_then_fail(people: dict[str, Any], case: Application) -> None:
    """Approve in a transaction that then fails (a bug or a crash after the transition)."""
    with transaction.atomic():
        services.application_approve(user=people["approver"], application_id=case.pk, now=DECIDED)
        raise AfterTransitionError


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the tasks sent to the broker during the test (whatever the broker)."""
    sent: list[str] = []
    original = CeleryTask.apply_async

    def spy(self: CeleryTask[Any, Any], *args: Any, **kwargs: Any) -> Any:
        sent.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(CeleryTask, "apply_async", spy)
    return sent


def test_an_approval_rolled_back_after_the_transition_writes_and_sends_nothing(
    published: list[str],
) -> None:
    people = certificate_world(1)
    case = case_at_decision(people)
    messages_before = Notification.objects.count()
    published.clear()

    with pytest.raises(AfterTransitionError):
        approve_then_fail(people, case)

    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    assert Certificate.objects.count() == 0
    assert Notification.objects.count() == messages_before
    assert published == []
    # The control: the same approval committed writes the certificate and sends its task.
    services.application_approve(user=people["approver"], application_id=case.pk, now=DECIDED)
    assert Certificate.objects.count() == 1
    assert Notification.objects.count() > messages_before
    assert "certificates.issue" in published


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real broker)")
def test_an_approval_rolled_back_puts_nothing_on_the_redis_queues(settings: Settings) -> None:
    people = certificate_world(1)
    case = case_at_decision(people)
    name = f"race-{uuid.uuid4().hex[:12]}"
    broker_url = urlsplit(os.environ["REDIS_URL"])._replace(path="/5").geturl()
    settings.CELERY_BROKER_URL = broker_url
    settings.CELERY_TASK_DEFAULT_QUEUE = name
    settings.CELERY_TASK_ROUTES = {}  # the messages' sends on the same queue
    app = Celery("portal-race", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    previous = app_or_default()
    app.set_current()
    broker = redis.Redis.from_url(broker_url)
    try:
        with pytest.raises(AfterTransitionError):
            approve_then_fail(people, case)
        rolled_back = broker.llen(name)
        services.application_approve(user=people["approver"], application_id=case.pk, now=DECIDED)
        committed = broker.llen(name)
    finally:
        previous.set_current()
        app.close()
        broker.delete(name)
        broker.close()

    assert rolled_back == 0
    assert committed >= 1  # the control: a committed approval does reach the queue
