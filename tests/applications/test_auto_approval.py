"""秒批 (DOMAIN §4.6): when every rule holds and nothing is owed, the system accepts and approves;
otherwise the case waits for a person. Rules never refuse."""

import datetime as dt
from typing import Any

import pytest

from accounts.models import User
from accounts.services import citizen_create
from applications import services
from applications.choices import EventKind, Status
from applications.conflicts import AlreadyHandledError
from applications.models import Application
from applications.services import WalkIn
from matters.models import Matter
from tests.applications.conftest import (
    FOOD_MATERIALS_EXTRA,
    FORM_FIELDS,
    LATER,
    NOW,
    _valid_id,
    end_of,
    event_kinds,
    matter_import,
    pdf,
    shared,
    simple_draft_ready,
)
from tests.matters import documents

pytestmark = pytest.mark.django_db

# Built once for this module (see conftest.shared).
workflow_catalogue = shared("workflow_catalogue")
applicant = shared("applicant")
elder_applicant = shared("elder_applicant")
clerk = shared("clerk")

AGE_RULES = [{"field": "applicant.age", "op": ">=", "value": 60}]
ALLOWANCE_RULES: list[dict[str, Any]] = [
    {"field": "income", "op": "<=", "value": 3000},
    {"field": "household", "op": "in", "value": ["本市"]},
]
ALLOWANCE_FIELDS: list[dict[str, Any]] = [
    *FORM_FIELDS[:3],
    {
        "key": "income",
        "order": 4,
        "label": "月收入（元）",
        "field_type": "NUMBER",
        "required": False,
    },
    {
        "key": "household",
        "order": 5,
        "label": "户籍",
        "field_type": "CHOICE",
        "choices": ["本市", "外省市"],
    },
]


def citizen(birth: str, mobile: str) -> User:
    return citizen_create(
        password="pw-citizen-1", real_name="测试", id_number=_valid_id(birth), mobile=mobile
    )


def submit(user: User, matter: Matter, answers: dict[str, str] | None = None) -> Application:
    draft = simple_draft_ready(user, matter, answers=answers)
    services.application_submit(user=user, application_id=draft.pk, now=NOW)
    return Application.objects.get(pk=draft.pk)


def assert_left_to_a_person(case: Application) -> None:
    """Received, not accepted, not refused: the trail holds the submission only."""
    assert case.status == Status.RECEIVED
    assert (case.auto_approved, case.accepted_at, case.decided_at, case.decision_reason) == (
        False,
        None,
        None,
        "",
    )
    assert event_kinds(case.pk) == [EventKind.SUBMITTED]


def test_an_elderly_applicant_is_accepted_and_approved_by_the_system(
    elder_applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    case = submit(elder_applicant, workflow_catalogue["elder"])

    assert case.status == Status.APPROVED
    assert (case.auto_approved, case.deemed_accepted, case.accepted_at, case.decided_at) == (
        True,
        False,
        NOW,
        NOW,
    )
    assert (case.promise_deadline, case.legal_deadline, case.delivery_deadline) == (
        end_of("2025-06-18"),
        end_of("2025-07-09"),
        end_of("2025-06-25"),
    )
    assert (case.intake_deadline, case.step_index, case.decision_reason) == (
        None,
        case.step_count - 1,
        "符合秒批规则，系统自动准予。",
    )
    events = list(case.events.order_by("pk"))
    assert [e.kind for e in events] == [
        EventKind.SUBMITTED,
        EventKind.ACCEPTED,
        EventKind.APPROVED,
    ]
    accepted, approved = events[1], events[2]
    assert (accepted.actor, accepted.actor_role, accepted.note, accepted.data) == (
        None,
        "",
        "符合秒批规则，系统自动受理。",
        {"rules": AGE_RULES},
    )
    assert (accepted.from_status, accepted.to_status, accepted.step_name) == (
        Status.RECEIVED,
        Status.IN_REVIEW,
        "受理",
    )
    assert (approved.actor, approved.actor_role, approved.note, approved.data) == (
        None,
        "",
        "秒批：系统按规则自动准予。",
        {"rules": AGE_RULES},
    )
    assert (approved.from_status, approved.to_status, approved.step_name) == (
        Status.IN_REVIEW,
        Status.APPROVED,
        "决定",
    )


@pytest.mark.parametrize(
    ("birth", "approved"),
    [
        pytest.param("19650611", True, id="sixty-today"),
        pytest.param("19650612", False, id="sixty-tomorrow"),
        pytest.param("19891231", False, id="thirty-five"),
    ],
)
def test_the_age_rule_counts_completed_years_on_the_day_of_submission(
    workflow_catalogue: dict[str, Matter], birth: str, approved: bool
) -> None:
    user = citizen(birth, "13500135001")

    case = submit(user, workflow_catalogue["elder"])

    if approved:
        assert (case.status, case.auto_approved) == (Status.APPROVED, True)
    else:
        assert_left_to_a_person(case)


def test_a_younger_applicants_case_waits_for_the_clerk(
    applicant: User, clerk: User, workflow_catalogue: dict[str, Matter]
) -> None:
    case = submit(applicant, workflow_catalogue["elder"])
    assert_left_to_a_person(case)

    services.application_accept(user=clerk, application_id=case.pk, now=LATER)

    case.refresh_from_db()
    assert (case.status, case.auto_approved) == (Status.IN_REVIEW, False)
    assert case.events.get(kind=EventKind.ACCEPTED).actor == clerk


def allowance(**overrides: Any) -> Matter:
    """A benefit (行政给付) approved by rules over two of its form fields."""
    settings: dict[str, Any] = {
        "matter_type": "05",
        "form_fields": ALLOWANCE_FIELDS,
        "auto_approve_rules": ALLOWANCE_RULES,
    }
    settings.update(overrides)
    return matter_import("11005000", "困难群众生活补贴", **settings)


@pytest.mark.parametrize(
    ("income", "household", "approved"),
    [
        pytest.param("2500", "本市", True, id="both-rules-hold"),
        pytest.param("3000", "本市", True, id="at-the-limit"),
        pytest.param("3000.01", "本市", False, id="over-the-limit"),
        pytest.param("2500", "外省市", False, id="not-in-the-list"),
        pytest.param("", "本市", False, id="optional-value-missing"),
    ],
)
def test_rules_over_form_fields_approve_only_when_every_rule_holds(
    applicant: User,
    workflow_catalogue: dict[str, Matter],
    income: str,
    household: str,
    approved: bool,
) -> None:
    matter = allowance()

    case = submit(applicant, matter, {"income": income, "household": household})

    if approved:
        assert (case.status, case.auto_approved) == (Status.APPROVED, True)
        assert case.events.get(kind=EventKind.APPROVED).data == {"rules": ALLOWANCE_RULES}
    else:
        assert_left_to_a_person(case)


@pytest.mark.parametrize(
    ("note", "approved"),
    [
        pytest.param("75", True, id="digits-read-as-a-number"),
        pytest.param("七十五", False, id="words-cannot-be-compared"),
        pytest.param("75岁", False, id="number-with-unit"),
    ],
)
def test_a_value_that_cannot_be_read_as_a_number_does_not_approve(
    applicant: User, workflow_catalogue: dict[str, Matter], note: str, approved: bool
) -> None:
    fields = [
        *FORM_FIELDS[:3],
        {"key": "age_text", "order": 4, "label": "年龄", "field_type": "TEXT"},
    ]
    matter = allowance(
        form_fields=fields, auto_approve_rules=[{"field": "age_text", "op": ">=", "value": 60}]
    )

    case = submit(applicant, matter, {"age_text": note})

    if approved:
        assert case.status == Status.APPROVED
    else:
        assert_left_to_a_person(case)


def test_a_material_still_owed_keeps_the_case_from_the_system(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    base_materials: list[dict[str, Any]] = documents.version("x")["materials"]
    matter = allowance(materials=[*base_materials, FOOD_MATERIALS_EXTRA[0]])
    draft = simple_draft_ready(applicant, matter, answers={"income": "2500", "household": "本市"})
    services.application_material_choose(
        user=applicant, application_id=draft.pk, material_key="M04", source="DEFICIENCY", now=NOW
    )

    services.application_submit(user=applicant, application_id=draft.pk, now=NOW)

    assert_left_to_a_person(Application.objects.get(pk=draft.pk))


def test_a_walk_in_elder_filed_at_the_window_is_approved_by_the_system_too(
    clerk: User, workflow_catalogue: dict[str, Matter]
) -> None:
    id_number = _valid_id("19480808")

    case = services.application_file_at_window(
        clerk=clerk,
        matter_id=workflow_catalogue["elder"].pk,
        applicant=WalkIn(name="钱七", id_number=id_number, mobile=""),
        situation={"Q1": "Q1A"},
        answers={"name": "钱七", "id_number": id_number, "mobile": "13300133000"},
        uploads={"M01": pdf()},
        paper=["M02"],
        delivery_method="ELECTRONIC",
        delivery_address="",
        now=NOW + dt.timedelta(minutes=5),
    )

    case.refresh_from_db()
    assert (case.status, case.auto_approved) == (Status.APPROVED, True)
    trail = list(case.events.order_by("pk").values_list("kind", "actor"))
    assert trail == [
        (EventKind.FILED_AT_WINDOW, clerk.pk),
        (EventKind.ACCEPTED, None),
        (EventKind.APPROVED, None),
    ]


def test_a_clerk_opening_a_case_the_system_approved_is_told_it_is_done(
    elder_applicant: User, clerk: User, workflow_catalogue: dict[str, Matter]
) -> None:
    case = submit(elder_applicant, workflow_catalogue["elder"])

    with pytest.raises(AlreadyHandledError) as refused:
        services.application_accept(user=clerk, application_id=case.pk, now=LATER)

    assert refused.value.message == "办件当前状态为“准予许可，待送达”，不能执行该操作。"
    assert event_kinds(case.pk) == [EventKind.SUBMITTED, EventKind.ACCEPTED, EventKind.APPROVED]
