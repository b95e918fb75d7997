"""The state machine of an application (DOMAIN §6.2) on in-memory instances: every (state,
transition) pair, allowed and forbidden, and the conditions of the review steps.

The expected table below is written from DOMAIN §6.2, not read from the model, so the model is
checked against the specification rather than against itself.
"""

import datetime as dt
from typing import Any

import pytest
from django_fsm import TransitionNotAllowed, can_proceed

from applications.choices import Status
from applications.models import Application
from tests.applications.conftest import NOW

DUE = NOW + dt.timedelta(days=7)

PRE_DECISION = {Status.RECEIVED, Status.SUPPLEMENT_REQUIRED, Status.IN_REVIEW, Status.SUSPENDED}

# transition → (the states it may leave, the state it enters)
TABLE: dict[str, tuple[set[Status], Status]] = {
    "submit": ({Status.DRAFT}, Status.RECEIVED),
    "accept": ({Status.RECEIVED}, Status.IN_REVIEW),
    "not_accept": ({Status.RECEIVED}, Status.NOT_ACCEPTED),
    "request_supplement": ({Status.RECEIVED}, Status.SUPPLEMENT_REQUIRED),
    "resubmit": ({Status.SUPPLEMENT_REQUIRED}, Status.RECEIVED),
    "return_unanswered": ({Status.SUPPLEMENT_REQUIRED}, Status.RETURNED),
    "pass_step": ({Status.IN_REVIEW}, Status.IN_REVIEW),
    "send_back": ({Status.IN_REVIEW}, Status.IN_REVIEW),
    "suspend": ({Status.IN_REVIEW}, Status.SUSPENDED),
    "resume": ({Status.SUSPENDED}, Status.IN_REVIEW),
    "extend": ({Status.IN_REVIEW}, Status.IN_REVIEW),
    "approve": ({Status.IN_REVIEW}, Status.APPROVED),
    "reject": ({Status.IN_REVIEW}, Status.REJECTED),
    "deliver": ({Status.APPROVED, Status.REJECTED}, Status.COMPLETED),
    "withdraw": (PRE_DECISION, Status.WITHDRAWN),
    "void": (PRE_DECISION | {Status.APPROVED, Status.REJECTED}, Status.VOID),
}

ARGUMENTS: dict[str, dict[str, Any]] = {
    "submit": {"at": NOW, "reference": "R1", "query_no": "250611000001", "intake_deadline": DUE},
    "accept": {"at": NOW, "promise_deadline": DUE, "legal_deadline": DUE},
    "not_accept": {
        "at": NOW,
        "kind": "OTHER",
        "reason": "理由",
        "competent_authority": "",
        "remedy_text": "救济",
    },
    "request_supplement": {},
    "resubmit": {"at": NOW, "intake_deadline": DUE},
    "return_unanswered": {"at": NOW},
    "pass_step": {"at": NOW},
    "send_back": {"at": NOW},
    "suspend": {},
    "resume": {"paused_days": 2, "promise_deadline": DUE, "legal_deadline": DUE},
    "extend": {"days": 10, "legal_deadline": DUE},
    "approve": {"at": NOW, "reason": "准予", "delivery_deadline": DUE},
    "reject": {"at": NOW, "reason": "不予", "remedy_text": "救济", "delivery_deadline": DUE},
    "deliver": {"at": NOW},
    "withdraw": {"at": NOW},
    "void": {"at": NOW, "reason": "重复申报"},
}


def positioned(status: Status, transition: str) -> Application:
    """An unsaved case in `status` of a two-step chain, at the step where the transition's own
    conditions hold (the second step to send back or decide, the first otherwise)."""
    second = transition in {"send_back", "approve", "reject"}
    return Application(status=status, step_count=2, step_index=1 if second else 0)


def fields_of(application: Application) -> dict[str, object]:
    return {f.attname: getattr(application, f.attname) for f in Application._meta.concrete_fields}


ALLOWED = [
    pytest.param(source, name, target, id=f"{source.value}-{name}")
    for name, (sources, target) in TABLE.items()
    for source in Status
    if source in sources
]
FORBIDDEN = [
    pytest.param(state, name, id=f"{state.value}-{name}")
    for name, (sources, _target) in TABLE.items()
    for state in Status
    if state not in sources
]


def test_the_table_covers_every_state_and_every_transition_of_the_model() -> None:
    transitions = {t.name for t in Application().get_all_status_transitions()}  # type: ignore[attr-defined]

    assert transitions == set(TABLE)
    assert len(ALLOWED) + len(FORBIDDEN) == len(Status) * len(TABLE) == 192


@pytest.mark.parametrize(("source", "name", "target"), ALLOWED)
def test_an_allowed_transition_moves_the_case_to_its_target(
    source: Status, name: str, target: Status
) -> None:
    application = positioned(source, name)
    method = getattr(application, name)
    assert can_proceed(method)

    method(**ARGUMENTS[name])

    assert application.status == target


@pytest.mark.parametrize(("state", "name"), FORBIDDEN)
def test_a_forbidden_transition_raises_and_changes_nothing(state: Status, name: str) -> None:
    application = positioned(state, name)
    before = fields_of(application)
    method = getattr(application, name)
    assert not can_proceed(method)

    with pytest.raises(TransitionNotAllowed):
        method(**ARGUMENTS[name])

    assert fields_of(application) == before


def test_the_status_cannot_be_assigned_directly() -> None:
    application = Application(status=Status.RECEIVED)

    with pytest.raises(AttributeError, match="Direct status modification is not allowed"):
        application.status = Status.APPROVED

    assert application.status == Status.RECEIVED


# --- conditions of the review chain ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "step_index", "step_count", "allowed"),
    [
        pytest.param("pass_step", 0, 2, True, id="pass_step-first-of-two"),
        pytest.param("pass_step", 1, 3, True, id="pass_step-middle-of-three"),
        pytest.param("pass_step", 1, 2, False, id="pass_step-at-last-step"),
        pytest.param("pass_step", 0, 1, False, id="pass_step-single-step"),
        pytest.param("send_back", 1, 2, True, id="send_back-second-step"),
        pytest.param("send_back", 0, 2, False, id="send_back-at-first-step"),
        pytest.param("approve", 1, 2, True, id="approve-at-last-step"),
        pytest.param("approve", 0, 1, True, id="approve-single-step-immediate"),
        pytest.param("approve", 0, 2, False, id="approve-before-last-step"),
        pytest.param("approve", 1, 3, False, id="approve-middle-step"),
        pytest.param("reject", 1, 2, True, id="reject-at-last-step"),
        pytest.param("reject", 0, 2, False, id="reject-before-last-step"),
    ],
)
def test_review_transitions_depend_on_the_step_the_case_is_at(
    name: str, step_index: int, step_count: int, allowed: bool
) -> None:
    application = Application(status=Status.IN_REVIEW, step_index=step_index, step_count=step_count)
    method = getattr(application, name)
    assert can_proceed(method, check_conditions=False)  # the state itself allows it

    if allowed:
        method(**ARGUMENTS[name])
        assert application.status == TABLE[name][1]
    else:
        with pytest.raises(TransitionNotAllowed):
            method(**ARGUMENTS[name])
        assert (application.status, application.step_index) == (Status.IN_REVIEW, step_index)


def test_passing_a_step_moves_to_the_next_step_and_frees_the_case() -> None:
    application = Application(status=Status.IN_REVIEW, step_index=0, step_count=3, assignee_id=7)

    application.pass_step(at=NOW)

    assert (application.step_index, application.assignee_id) == (1, None)


def test_sending_back_returns_to_the_previous_step_and_frees_the_case() -> None:
    application = Application(status=Status.IN_REVIEW, step_index=2, step_count=3, assignee_id=7)

    application.send_back(at=NOW)

    assert (application.step_index, application.assignee_id) == (1, None)


def test_a_second_extension_is_refused_by_the_state_machine() -> None:
    application = Application(status=Status.IN_REVIEW, extension_days=5, legal_deadline=NOW)

    with pytest.raises(TransitionNotAllowed):
        application.extend(days=3, legal_deadline=DUE)

    assert (application.extension_days, application.legal_deadline) == (5, NOW)


def test_the_first_extension_records_its_days_and_the_new_legal_deadline() -> None:
    application = Application(status=Status.IN_REVIEW, extension_days=0, legal_deadline=NOW)

    application.extend(days=10, legal_deadline=DUE)

    assert (application.extension_days, application.legal_deadline) == (10, DUE)


def test_accepting_stops_the_intake_clock_and_starts_at_the_first_step() -> None:
    application = Application(status=Status.RECEIVED, intake_deadline=NOW, step_index=1)

    application.accept(at=NOW, promise_deadline=DUE, legal_deadline=DUE, deemed=True)

    assert (
        application.accepted_at,
        application.deemed_accepted,
        application.intake_deadline,
        application.step_index,
        application.promise_deadline,
        application.legal_deadline,
    ) == (NOW, True, None, 0, DUE, DUE)


def test_resuming_adds_the_paused_working_days_to_those_paused_before() -> None:
    application = Application(status=Status.SUSPENDED, paused_working_days=3)

    application.resume(paused_days=2, promise_deadline=DUE, legal_deadline=DUE)

    assert (application.paused_working_days, application.status) == (5, Status.IN_REVIEW)
