"""The citizen's application pages read as many queries for many cases (or a long trail) as for
a few. Already guarded elsewhere: the bundle page (tests/supervision/test_query_counts.py)."""

from typing import Any

import pytest

from applications import services
from tests.applications.conftest import NOW, case_in, draft_ready
from tests.querycounts.cases import cases_of, longer_trail
from tests.querycounts.conftest import read, same_count, signed_in

pytestmark = pytest.mark.django_db


def test_my_applications_reads_the_same_for_twelve_cases_as_for_two(world: dict[str, Any]) -> None:
    client = signed_in(world["applicant"])
    first = cases_of(world, 2)
    few = read(client, "/my/applications/")
    rest = cases_of(world, 10, first=2)

    many = read(client, "/my/applications/")

    assert all(str(case.reference) in many.text for case in first + rest)
    same_count(few, many)


def test_the_case_page_reads_the_same_for_a_long_trail_as_for_a_short_one(
    world: dict[str, Any],
) -> None:
    case = case_in("in_review", world)
    client = signed_in(world["applicant"])
    path = f"/applications/{case.pk}/"
    longer_trail(world, case, times=1)
    few = read(client, path)
    longer_trail(world, case, times=5)

    many = read(client, path)

    assert many.text.count("现场核查") > few.text.count("现场核查") > 0
    same_count(few, many)


def test_the_public_tracking_page_reads_the_same_for_a_long_trail(world: dict[str, Any]) -> None:
    case = case_in("in_review", world)
    client = signed_in(world["other_citizen"])  # no login needed; anyone's client will do
    longer_trail(world, case, times=1)
    few = read(client, "/track/", {"q": case.query_no})
    longer_trail(world, case, times=5)

    many = read(client, "/track/", {"q": case.query_no})

    assert str(case.query_no) in many.text
    assert many.text.count("<time") > few.text.count("<time")
    same_count(few, many)


@pytest.mark.parametrize(
    "page", ["apply/situation/", "apply/form/", "apply/materials/", "apply/delivery/", "check/"]
)
def test_the_draft_pages_read_the_same_with_every_material_provided_as_with_none(
    world: dict[str, Any], page: str
) -> None:
    food = world["workflow_catalogue"]["food"]
    client = signed_in(world["applicant"])
    empty = services.application_draft_create(
        applicant=world["applicant"], matter_id=food.pk, now=NOW
    )
    services.application_draft_update(
        user=world["applicant"], application_id=empty.pk, now=NOW, situation={"Q1": "Q1B"}
    )
    # the check page answers 400 while something is missing
    few = read(client, f"/applications/{empty.pk}/{page}", expect=400 if page == "check/" else 200)
    full = draft_ready(world["applicant"], food, now=NOW.replace(minute=1), situation="Q1B")

    many = read(client, f"/applications/{full.pk}/{page}")

    assert full.version.name in many.text
    same_count(few, many)
