"""The daily figures behind the dashboards equal direct counts of the cases, cards and ratings,
and each user sees only the departments they may."""

import datetime as dt
from io import StringIO
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db.models import F, Q, Sum

import pytest
import time_machine

from accounts.choices import Role
from accounts.models import User
from applications import services
from applications.models import Application
from matters.models import Department, DepartmentMembership, Matter
from supervision.alerts import alerts_raise
from supervision.models import Alert, DailyStat, DepartmentDailyStat, Evaluation
from supervision.statistics import (
    COUNTERS,
    Filters,
    Scope,
    dashboard,
    statistics_refresh,
    statistics_refresh_recent,
    statistics_scope_for,
)
from tests.applications.conftest import NOW, at, case_in, matter_import, simple_draft_ready
from tests.matters import documents

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
JUNE = Filters(start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30))


def rate(application: Application, level: int, when: dt.datetime) -> Evaluation:
    return Evaluation.objects.create(
        application=application,
        evaluator=application.applicant,
        level=level,
        department_id=application.department_id,
        matter_code=application.matter.implementation_code,
        created_at=when,
    )


@pytest.fixture
def month(world: dict[str, Any]) -> dict[str, Any]:
    """A June of cases over several days, in the market department and one in health."""
    completed = [case_in("completed", world, now=NOW + n * DAY) for n in range(3)]
    rejected = case_in("rejected", world, now=NOW + DAY)
    refused = case_in("not_accepted", world, now=NOW + 2 * DAY)
    in_review = case_in("in_review", world, now=NOW)
    received = case_in("received", world, now=NOW + 5 * DAY)
    health_matter = matter_import("11007000", "卫生许可", department=documents.HEALTH)
    health_case = simple_draft_ready(world["applicant"], health_matter, now=NOW)
    services.application_submit(user=world["applicant"], application_id=health_case.pk, now=NOW)
    rate(completed[0], 1, at("2025-06-12"))
    rate(completed[1], 2, at("2025-06-13"))
    rate(completed[2], 5, at("2025-06-14"))
    voided = rate(rejected, 4, at("2025-06-14"))
    voided.voided = True
    voided.save()
    alerts_raise(now=at("2025-06-19"))  # the case in review is past its promised deadline
    statistics_refresh(start=JUNE.start, end=JUNE.end, now=at("2025-06-30"))
    return {
        "completed": completed,
        "rejected": rejected,
        "refused": refused,
        "in_review": in_review,
        "received": received,
        "health_case": health_case,
        "health": Department.objects.get(uscc=documents.HEALTH),
    }


def direct(scope: Q | None = None) -> dict[str, int]:
    """The June figures counted straight from the cases, cards and ratings."""
    scope = scope or Q()
    cases = Application.objects.filter(scope)

    def on(field: str) -> Q:
        return Q(**{f"{field}__date__gte": JUNE.start, f"{field}__date__lte": JUNE.end})

    ratings = Evaluation.objects.filter(
        scope, voided=False, created_at__date__gte=JUNE.start, created_at__date__lte=JUNE.end
    )
    return {
        "received": cases.filter(on("received_at")).count(),
        "accepted": cases.filter(on("accepted_at")).count(),
        "not_accepted": cases.filter(on("closed_at"), status="NOT_ACCEPTED").count(),
        "decided": cases.filter(on("decided_at")).count(),
        "approved": cases.filter(on("decided_at"), outcome="APPROVED").count(),
        "decided_on_time": cases.filter(
            on("decided_at"), decided_at__lte=F("promise_deadline")
        ).count(),
        "completed": cases.filter(on("completed_at")).count(),
        "red_cards": Alert.objects.filter(scope, color="RED").count(),
        "ratings": ratings.count(),
        "ratings_bad": ratings.filter(level__gte=4).count(),
    }


def shown(figures: Any) -> dict[str, int]:
    return {name: getattr(figures, name) for name in direct()}


def test_the_figures_equal_direct_counts(month: dict[str, Any]) -> None:
    board = dashboard(scope=Scope(department_ids=None), filters=JUNE)

    assert shown(board.totals) == direct()
    assert board.totals.received == 8  # 7 market cases and the health one
    assert board.totals.decided == 4  # 3 approved and completed, 1 rejected
    assert board.totals.ratings == 3  # the voided one is not counted
    assert board.totals.good_rate == pytest.approx(2 / 3)


def test_a_department_head_sees_their_department_only(
    month: dict[str, Any], world: dict[str, Any]
) -> None:
    scope = statistics_scope_for(world["department_admin"])
    market = world["market"]

    board = dashboard(scope=scope, filters=JUNE)

    assert scope == Scope(department_ids=frozenset({market.pk}))
    assert shown(board.totals) == direct(Q(department=market))
    assert [row.label for row in board.by_department] == [market.name]
    assert month["health"].pk not in {row.key for row in board.by_department}
    assert all(row.figures.received > 0 for row in board.by_matter)
    assert "卫生许可" not in {row.label for row in board.by_matter}


def test_the_supervision_office_sees_every_department(
    month: dict[str, Any], world: dict[str, Any]
) -> None:
    board = dashboard(scope=statistics_scope_for(world["supervisor"]), filters=JUNE)

    assert {row.key for row in board.by_department} == {world["market"].pk, month["health"].pk}


def test_a_department_filter_inside_the_scope_narrows_every_figure(
    month: dict[str, Any],
) -> None:
    health = month["health"]

    board = dashboard(
        scope=Scope(department_ids=None),
        filters=Filters(start=JUNE.start, end=JUNE.end, department_id=health.pk),
    )

    assert shown(board.totals) == direct(Q(department=health))
    assert board.totals.received == 1


def test_a_region_filter_counts_the_departments_below_it(month: dict[str, Any]) -> None:
    health = month["health"]  # a county department, under the city

    county = dashboard(
        scope=Scope(department_ids=None),
        filters=Filters(start=JUNE.start, end=JUNE.end, region_id=health.region_id),
    )
    city = dashboard(
        scope=Scope(department_ids=None),
        filters=Filters(start=JUNE.start, end=JUNE.end, region_id=health.region.parent_id),
    )

    assert county.totals.received == 1
    assert city.totals.received == 8


def test_a_scoped_head_cannot_widen_the_scope_with_a_filter(
    month: dict[str, Any], world: dict[str, Any]
) -> None:
    scope = statistics_scope_for(world["department_admin"])

    board = dashboard(
        scope=scope,
        filters=Filters(start=JUNE.start, end=JUNE.end, department_id=month["health"].pk),
    )

    assert board.totals.received == 0


def test_a_day_per_row_and_days_without_cases_have_none(month: dict[str, Any]) -> None:
    board = dashboard(scope=Scope(department_ids=None), filters=JUNE)

    by_day = {row.key: row.figures.received for row in board.by_day}
    assert sum(by_day.values()) == 8
    assert by_day[dt.date(2025, 6, 11)] == 3  # the first completed case, in review, health


def test_time_taken_is_counted_in_working_days(month: dict[str, Any]) -> None:
    board = dashboard(scope=Scope(department_ids=None), filters=JUNE)

    # Every decision came hours after acceptance, the same day; each promised 5 working days.
    assert (board.totals.actual_days, board.totals.promised_days) == (0, 20)
    assert board.totals.on_time_rate == 1.0


def test_zero_visit_counts_online_cases_with_an_electronic_or_mailed_result(
    month: dict[str, Any],
) -> None:
    board = dashboard(scope=Scope(department_ids=None), filters=JUNE)

    completed = Application.objects.filter(completed_at__isnull=False)
    expected = completed.filter(channel="ONLINE", delivery_method__in=["ELECTRONIC", "MAIL"])
    assert board.totals.completed_zero_visit == expected.count() > 0
    assert board.totals.zero_visit_rate == expected.count() / completed.count()


def test_the_online_rate_counts_fully_online_matters_in_use(month: dict[str, Any]) -> None:
    board = dashboard(scope=Scope(department_ids=None), filters=JUNE)

    in_use = Matter.objects.filter(status="IN_USE")
    online = in_use.filter(current_version__online_depth="4")
    assert (board.matters_in_use, board.matters_fully_online) == (in_use.count(), online.count())


def test_refreshing_again_writes_the_same_rows(month: dict[str, Any]) -> None:
    before = list(DailyStat.objects.order_by("day", "matter").values())

    statistics_refresh(start=JUNE.start, end=JUNE.end, now=at("2025-06-30"))

    after = list(DailyStat.objects.order_by("day", "matter").values())
    assert [{**r, "id": 0} for r in before] == [{**r, "id": 0} for r in after]


def test_the_beat_job_picks_up_todays_cases(world: dict[str, Any]) -> None:
    case_in("completed", world, now=at("2025-06-20"))

    statistics_refresh_recent(now=at("2025-06-20", 18))

    board = dashboard(
        scope=Scope(department_ids=None),
        filters=Filters(start=dt.date(2025, 6, 20), end=dt.date(2025, 6, 20)),
    )
    assert (board.totals.received, board.totals.completed) == (1, 1)


def test_people_without_the_permission_see_no_statistics(world: dict[str, Any]) -> None:
    for name in ("applicant", "clerk", "reviewer"):
        with pytest.raises(PermissionDenied):
            statistics_scope_for(world[name])


def test_a_head_of_no_department_sees_no_statistics(world: dict[str, Any]) -> None:
    head: User = world["department_admin"]
    DepartmentMembership.objects.filter(user=head, role=Role.DEPARTMENT_ADMIN).delete()

    with pytest.raises(PermissionDenied):
        statistics_scope_for(head)


def test_the_rebuild_command_writes_the_rows_of_a_period(world: dict[str, Any]) -> None:
    case_in("completed", world)
    out = StringIO()

    with time_machine.travel(at("2025-06-30"), tick=False):
        call_command("statistics_rebuild", "--since", "2025-06-01", stdout=out)

    assert "2025-06-01 … 2025-06-30" in out.getvalue()
    row = DailyStat.objects.get(day=dt.date(2025, 6, 11))
    assert (row.received, row.completed) == (1, 1)


def test_the_rebuild_command_refuses_a_bad_date(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("statistics_rebuild", "--since", "yesterday")


def test_the_department_rollup_is_the_sum_of_its_matters_rows(month: dict[str, Any]) -> None:
    sums = (
        DailyStat.objects.values("day", "department_id")
        .annotate(**{name: Sum(name) for name in COUNTERS})
        .order_by("day", "department_id")
    )
    rollup = DepartmentDailyStat.objects.values("day", "department_id", *COUNTERS).order_by(
        "day", "department_id"
    )

    assert list(rollup) == list(sums)
    assert len(rollup) >= 5


def test_a_matter_filter_counts_that_matters_rows_only(
    month: dict[str, Any], world: dict[str, Any]
) -> None:
    food = world["workflow_catalogue"]["food"]

    board = dashboard(
        scope=Scope(department_ids=None),
        filters=Filters(start=JUNE.start, end=JUNE.end, matter_id=food.pk),
    )

    cases = Application.objects.filter(matter=food, received_at__date__lte=JUNE.end)
    assert board.totals.received == cases.count() == 7  # every market case of the month
    assert board.totals.decided == cases.filter(decided_at__isnull=False).count()
    assert (
        board.totals.ratings
        == Evaluation.objects.filter(matter_code=food.implementation_code, voided=False).count()
    )
    assert [row.key for row in board.by_department] == [world["market"].pk]
