"""Two people acting on one case at the same moment (PostgreSQL row locks): exactly one wins, the
other is told who did, and the trail holds one event. Each call runs in a real thread with its own
database connection, released together by a barrier."""

from collections.abc import Callable
from functools import partial

import pytest

from accounts.models import User
from applications import services
from applications.choices import EventKind, Status
from applications.conflicts import AlreadyHandledError
from applications.models import Application, ApplicationEvent, ReferenceCounter
from matters.models import Matter
from tests.applications.conftest import LATER, NOW, draft_ready
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
