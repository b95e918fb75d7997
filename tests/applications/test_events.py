"""The trail (全程留痕, STYLE R7): one event per state change, written with its actor, role, states,
step and the deadlines as they stood; never updated or deleted."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, InternalError, transaction
from django.db.models import ProtectedError

import pytest

from applications.choices import EventKind, Status
from applications.models import Application, ApplicationEvent
from tests.applications.conftest import NOW, end_of, shared

pytestmark = pytest.mark.django_db

# Built once for this module (see conftest.shared).
workflow_catalogue = shared("workflow_catalogue")

HOUR = dt.timedelta(hours=1)


def stored(event_id: int) -> tuple[Any, ...]:
    return tuple(
        ApplicationEvent.objects.filter(pk=event_id).values_list("kind", "note", "to_status").get()
    )


def test_saving_an_existing_event_again_raises_and_leaves_the_row(
    cases: dict[str, int],
) -> None:
    event = ApplicationEvent.objects.get(application_id=cases["received"])
    before = stored(event.pk)
    event.note = "事后补记"

    with pytest.raises(ValueError, match="application events are append-only"):
        event.save()

    assert stored(event.pk) == before


def test_a_case_with_a_trail_cannot_be_deleted(cases: dict[str, int]) -> None:
    application = Application.objects.get(pk=cases["received"])

    with pytest.raises(ProtectedError), transaction.atomic():
        application.delete()

    assert Application.objects.filter(pk=application.pk).exists()
    assert ApplicationEvent.objects.filter(application=application).count() == 1


@pytest.mark.postgres
def test_on_postgresql_an_orm_update_of_events_is_refused_by_the_database(
    cases: dict[str, int],
) -> None:
    events = ApplicationEvent.objects.filter(application_id=cases["completed"])
    before = sorted(events.values_list("pk", "kind", "note", "to_status"))

    with pytest.raises((IntegrityError, InternalError), match="append-only"), transaction.atomic():
        events.update(note="篡改")

    assert sorted(events.values_list("pk", "kind", "note", "to_status")) == before


@pytest.mark.postgres
def test_on_postgresql_an_orm_delete_of_events_is_refused_by_the_database(
    cases: dict[str, int],
) -> None:
    events = ApplicationEvent.objects.filter(application_id=cases["completed"])
    before = sorted(events.values_list("pk", flat=True))

    with pytest.raises((IntegrityError, InternalError), match="append-only"), transaction.atomic():
        events.delete()

    assert sorted(events.values_list("pk", flat=True)) == before
    assert len(before) == 6


def _deadlines(snapshot: dict[str, str | None]) -> dict[str, dt.datetime | None]:
    return {k: dt.datetime.fromisoformat(v) if v else None for k, v in snapshot.items()}


def test_every_step_of_a_completed_case_is_in_its_trail_with_who_what_and_when(
    world: dict[str, Any], cases: dict[str, int]
) -> None:
    events = list(ApplicationEvent.objects.filter(application_id=cases["completed"]).order_by("pk"))

    rows = [
        (e.kind, e.actor, e.actor_role, e.from_status, e.to_status, e.step_name, e.at)
        for e in events
    ]

    applicant, clerk = world["applicant"], world["clerk"]
    reviewer, approver = world["reviewer"], world["approver"]
    assert rows == [
        (EventKind.SUBMITTED, applicant, "", Status.DRAFT, Status.RECEIVED, "收件", NOW),
        (
            EventKind.ACCEPTED,
            clerk,
            "WINDOW_CLERK",
            Status.RECEIVED,
            Status.IN_REVIEW,
            "受理",
            NOW + HOUR,
        ),
        (
            EventKind.STEP_PASSED,
            reviewer,
            "REVIEWER",
            Status.IN_REVIEW,
            Status.IN_REVIEW,
            "审查",
            NOW + 2 * HOUR,
        ),
        (
            EventKind.MATERIAL_CAUGHT_UP,
            applicant,
            "",
            Status.IN_REVIEW,
            Status.IN_REVIEW,
            "",
            NOW + 2 * HOUR,
        ),
        (
            EventKind.APPROVED,
            approver,
            "APPROVER",
            Status.IN_REVIEW,
            Status.APPROVED,
            "决定",
            NOW + 3 * HOUR,
        ),
        (
            EventKind.DELIVERED,
            clerk,
            "WINDOW_CLERK",
            Status.APPROVED,
            Status.COMPLETED,
            "送达",
            NOW + 4 * HOUR,
        ),
    ]


def test_each_event_keeps_the_deadlines_as_they_stood_after_it(cases: dict[str, int]) -> None:
    events = ApplicationEvent.objects.filter(application_id=cases["completed"]).order_by("pk")

    snapshots = [(e.kind, _deadlines(e.deadlines)) for e in events]

    received = {"intake": end_of("2025-06-18"), "promise": None, "legal": None, "delivery": None}
    running = {
        "intake": None,
        "promise": end_of("2025-06-18"),
        "legal": end_of("2025-07-09"),
        "delivery": None,
    }
    decided = {**running, "delivery": end_of("2025-06-25")}
    assert snapshots == [
        (EventKind.SUBMITTED, received),
        (EventKind.ACCEPTED, running),
        (EventKind.STEP_PASSED, running),
        (EventKind.MATERIAL_CAUGHT_UP, running),
        (EventKind.APPROVED, decided),
        (EventKind.DELIVERED, decided),
    ]


def test_the_trail_of_a_refused_or_closed_case_names_what_closed_it(
    world: dict[str, Any], cases: dict[str, int]
) -> None:
    closed = {
        state: ApplicationEvent.objects.filter(application_id=cases[state])
        .order_by("-pk")
        .values_list("kind", "actor", "actor_role", "from_status", "to_status", "note")
        .first()
        for state in ("not_accepted", "withdrawn", "void")
    }

    assert closed == {
        "not_accepted": (
            EventKind.NOT_ACCEPTED,
            world["clerk"].pk,
            "WINDOW_CLERK",
            Status.RECEIVED,
            Status.NOT_ACCEPTED,
            "重复申请。",
        ),
        "withdrawn": (
            EventKind.WITHDRAWN,
            world["applicant"].pk,
            "",
            Status.RECEIVED,
            Status.WITHDRAWN,
            "",
        ),
        "void": (
            EventKind.VOIDED,
            world["supervisor"].pk,
            "SUPERVISOR",
            Status.RECEIVED,
            Status.VOID,
            "误录。",
        ),
    }


def test_a_draft_has_no_trail(cases: dict[str, int]) -> None:
    assert ApplicationEvent.objects.filter(application_id=cases["draft"]).count() == 0
