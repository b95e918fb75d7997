"""The follow-up appeals and a follow-up's page read as many queries for many rows as for a few.
Already guarded elsewhere: the card list and the follow-up list
(tests/supervision/test_query_counts.py), the dashboard (an upper bound and no query of the case
table, tests/supervision/test_dashboard_views.py), the public figures
(tests/supervision/test_public_ratings.py)."""

from typing import Any

import pytest

from supervision import followups, services
from supervision.models import Followup
from tests.applications.conftest import NOW, at, case_in
from tests.querycounts.conftest import read, same_count, signed_in

pytestmark = pytest.mark.django_db


def bad_ratings(world: dict[str, Any], count: int, *, first: int = 0) -> list[Followup]:
    """`count` 差评 of completed cases, each with its follow-up open."""
    rows = []
    for minute in range(first, first + count):
        application = case_in("completed", world, now=NOW.replace(minute=minute))
        evaluation = services.evaluation_submit(
            user=world["applicant"],
            application_id=application.pk,
            level=5,
            tags=["SLOW"],
            comment=f"等了很久（{minute}）",
            now=at("2025-06-12"),
        )
        rows.append(Followup.objects.get(evaluation=evaluation))
    return rows


def appealed(world: dict[str, Any], rows: list[Followup]) -> None:
    for followup in rows:
        followups.followup_appeal(
            user=world["department_admin"],
            followup_id=followup.pk,
            reason="恶意差评。",
            now=at("2025-06-13"),
        )


def test_the_appeals_read_the_same_for_six_as_for_two(world: dict[str, Any]) -> None:
    client = signed_in(world["supervisor"], warm="/workbench/")
    first = bad_ratings(world, 2)
    appealed(world, first)
    few = read(client, "/workbench/followups/appeals/")
    rest = bad_ratings(world, 4, first=2)
    appealed(world, rest)

    many = read(client, "/workbench/followups/appeals/")

    assert all(f"/workbench/followups/{f.pk}/" in many.text for f in first + rest)
    same_count(few, many)


def test_a_followups_page_reads_the_same_as_its_history_grows(world: dict[str, Any]) -> None:
    (followup,) = bad_ratings(world, 1)
    client = signed_in(world["department_admin"], warm="/workbench/")
    path = f"/workbench/followups/{followup.pk}/"
    few = read(client, path)
    followups.followup_contact(
        user=world["department_admin"],
        followup_id=followup.pk,
        note="已电话联系评价人。",
        now=at("2025-06-13"),
    )
    appealed(world, [followup])
    followups.followup_appeal_decide(
        user=world["supervisor"],
        followup_id=followup.pk,
        upheld=False,
        note="证据不足。",
        now=at("2025-06-16"),
    )

    many = read(client, path)

    assert "已电话联系评价人" in many.text
    assert "证据不足" in many.text
    # Each actor of the history (contacted_by, appeal_decided_by, resolved_by) is read by a query
    # of its own once shown: at most three, whatever else the case has; reported to
    # supervision.selectors (select_related them in followup_detail_for_staff).
    assert few.queries <= many.queries <= few.queries + 2
