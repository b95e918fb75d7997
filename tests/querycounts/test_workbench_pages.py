"""The clerk workbench reads as many queries for many cases as for a few: every queue tab (and
"mine"), the case page with a long trail, and the matters of 一窗受理. Already guarded elsewhere:
the 待受理 tab, as an upper bound (tests/applications/test_workbench_views.py), the follow-up
list (tests/supervision/test_query_counts.py)."""

import datetime as dt
from typing import Any

from django.utils import timezone

import pytest

from applications import services
from applications.models import Application
from tests.applications.conftest import case_in, matter_import, pdf
from tests.querycounts.cases import longer_trail
from tests.querycounts.conftest import read, same_count, signed_in

pytestmark = pytest.mark.django_db

# tab: (the state `case_in` brings its cases to, who reads it)
TABS = {
    "received": ("received", "clerk"),
    "supplement": ("supplement_required", "clerk"),
    "review": ("in_review", "reviewer"),
    "special": ("suspended", "reviewer"),
    "delivery": ("approved", "clerk"),
    "done": ("completed", "clerk"),
}


def _cases(world: dict[str, Any], state: str, count: int, *, first: int) -> list[Application]:
    # Yesterday, so the 已办结 tab (the last 30 days of the real clock) shows the closed ones.
    base = timezone.now().replace(hour=2, minute=0, second=0, microsecond=0) - dt.timedelta(days=1)
    return [
        case_in(state, world, now=base + dt.timedelta(minutes=first + index))
        for index in range(count)
    ]


@pytest.mark.parametrize("tab", list(TABS))
def test_each_queue_tab_reads_the_same_for_twelve_cases_as_for_two(
    world: dict[str, Any], tab: str
) -> None:
    state, reader = TABS[tab]
    client = signed_in(world[reader], warm="/workbench/")
    first = _cases(world, state, 2, first=0)
    few = read(client, "/workbench/", {"tab": tab})
    rest = _cases(world, state, 10, first=2)

    many = read(client, "/workbench/", {"tab": tab})

    assert many.response.context["queue"].tab == tab
    assert all(f">{case.reference}</a>" in many.text for case in first + rest)
    same_count(few, many)


def test_my_claimed_cases_read_the_same_for_twelve_as_for_two(world: dict[str, Any]) -> None:
    reviewer = world["reviewer"]
    client = signed_in(reviewer, warm="/workbench/")

    def claimed(count: int, first: int) -> list[Application]:
        cases = _cases(world, "in_review", count, first=first)
        for case in cases:
            services.application_claim(user=reviewer, application_id=case.pk, now=timezone.now())
        return cases

    first = claimed(2, 0)
    _cases(world, "in_review", 3, first=50)  # not claimed: not listed under "mine"
    few = read(client, "/workbench/", {"tab": "review", "mine": "1"})
    rest = claimed(10, 2)

    many = read(client, "/workbench/", {"tab": "review", "mine": "1"})

    assert len(many.response.context["queue"].rows) == 12
    assert all(f">{case.reference}</a>" in many.text for case in first + rest)
    same_count(few, many)


@pytest.mark.parametrize("reader", ["clerk", "reviewer", "supervisor"])
def test_the_case_page_reads_the_same_for_a_long_trail_as_for_a_short_one(
    world: dict[str, Any], reader: str
) -> None:
    case = case_in("in_review", world)
    client = signed_in(world[reader], warm="/workbench/")
    path = f"/workbench/cases/{case.pk}/"
    longer_trail(world, case, times=1)
    few = read(client, path)
    longer_trail(world, case, times=5)

    many = read(client, path)

    assert many.text.count("现场核查完毕") == 2 * 6  # the special procedures and the trail
    same_count(few, many)


def test_the_receipt_reads_the_same_after_materials_were_replaced(world: dict[str, Any]) -> None:
    case = case_in("supplement_required", world)
    assert case.received_at is not None
    client = signed_in(world["clerk"], warm="/workbench/")
    path = f"/workbench/cases/{case.pk}/receipt/"
    few = read(client, path)
    for minute in range(3):  # each upload supersedes the one before
        services.application_material_upload(
            user=world["applicant"],
            application_id=case.pk,
            material_key="M01",
            file=pdf(f"again-{minute}.pdf"),
            now=case.received_at + dt.timedelta(hours=2, minutes=minute),
        )

    many = read(client, path)

    assert "again-2.pdf" in many.text
    same_count(few, many)


def test_the_window_filing_list_reads_the_same_for_eight_matters_as_for_three(
    world: dict[str, Any],
) -> None:
    client = signed_in(world["clerk"], warm="/workbench/")
    few = read(client, "/workbench/file/")
    names = [f"测试事项{index}" for index in range(5)]
    for index, name in enumerate(names):
        matter_import(f"1109{index}000", name)

    many = read(client, "/workbench/file/")

    assert all(name in many.text for name in names)
    same_count(few, many)
