"""好差评公示 (DOMAIN §5.1): the public figures by department and matter for a period equal the
direct counts, leave voided ratings out, take a handful of queries, and are cached for visitors."""

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from pytest_django import DjangoAssertNumQueries

from applications.models import Application
from matters.models import Department, Matter
from matters.services import catalogue_import
from supervision import public
from supervision.choices import FollowupStatus
from supervision.models import Evaluation, Followup
from tests.applications.conftest import at, case_in
from tests.html import visible_text
from tests.matters import documents

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2025-09-01", "to": "2025-09-30"}


def evaluation(
    case: Application,
    department: Department,
    matter: Matter,
    level: int,
    *,
    on: str = "2025-09-15",
    followup: str | None = None,
    contacted: bool = False,
) -> Evaluation:
    """A rating row as the services leave it (anonymous: many per case), with its follow-up."""
    row = Evaluation.objects.create(
        application=case,
        level=level,
        department=department,
        matter_code=matter.implementation_code,
        created_at=at(on),
        voided=followup == FollowupStatus.VOIDED,
        tags=[],
    )
    if followup is not None:
        Followup.objects.create(
            evaluation=row,
            department=department,
            status=followup,
            opened_at=at(on),
            contact_due=at(on),
            resolve_due=at(on),
            contacted_at=at(on) if contacted else None,
        )
    return row


@pytest.fixture
def ratings(world: dict[str, Any]) -> dict[str, Any]:
    """Food (market): 1, 2, 3, 4 (rectified), 5 (contacted). Elder card (market): 1, 5 (open).
    Radiation licence (health): 4 (explained), 5 (voided by appeal). Outside the period: 1, 5."""
    catalogue_import(
        document=documents.document(
            documents.matter(
                "11003000", "放射诊疗许可", department=documents.HEALTH, region=documents.COUNTY
            )
        )
    )
    case = case_in("completed", world)
    market, health = world["market"], world["health"]
    food, elder = world["workflow_catalogue"]["food"], world["workflow_catalogue"]["elder"]
    radiation = Matter.objects.get(catalog_code__endswith="11003000")
    for level in (1, 2, 3):
        evaluation(case, market, food, level)
    evaluation(case, market, food, 4, followup=FollowupStatus.RECTIFIED, contacted=True)
    evaluation(case, market, food, 5, followup=FollowupStatus.CONTACTED, contacted=True)
    evaluation(case, market, elder, 1, on="2025-09-01")
    evaluation(case, market, elder, 5, on="2025-09-30", followup=FollowupStatus.OPEN)
    evaluation(case, health, radiation, 4, followup=FollowupStatus.EXPLAINED, contacted=True)
    evaluation(case, health, radiation, 5, followup=FollowupStatus.VOIDED, contacted=True)
    evaluation(case, market, food, 1, on="2025-08-31")
    evaluation(case, health, radiation, 5, on="2025-10-01", followup=FollowupStatus.OPEN)
    return {
        "market": market,
        "health": health,
        "food": food,
        "elder": elder,
        "radiation": radiation,
    }


def direct(**filters: Any) -> dict[str, Any]:
    """The figures counted one by one, the way an auditor would."""
    ratings = Evaluation.objects.filter(
        voided=False,
        created_at__gte=at("2025-09-01", 0),
        created_at__lt=at("2025-10-01", 0),
        **filters,
    )
    followups = Followup.objects.filter(evaluation__in=ratings).exclude(
        status=FollowupStatus.VOIDED
    )
    return {
        "total": ratings.count(),
        "by_level": [ratings.filter(level=n).count() for n in (1, 2, 3, 4, 5)],
        "bad": ratings.filter(level__gte=4).count(),
        "followups": followups.count(),
        "contacted": followups.filter(contacted_at__isnull=False).count(),
        "resolved": followups.filter(
            status__in=[FollowupStatus.RECTIFIED, FollowupStatus.EXPLAINED]
        ).count(),
    }


def figures(f: public.Figures) -> dict[str, Any]:
    return {
        "total": f.total,
        "by_level": f.by_level,
        "bad": f.bad,
        "followups": f.followups,
        "contacted": f.contacted,
        "resolved": f.resolved,
    }


def test_the_figures_by_department_and_matter_equal_the_direct_counts(
    ratings: dict[str, Any], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(2):
        publication = public.ratings_published(
            start_on=dt.date(2025, 9, 1), end_on=dt.date(2025, 9, 30)
        )

    assert figures(publication.overall) == direct()
    assert [d.name for d in publication.departments] == ["南山区卫生健康局", "深圳市市场监督管理局"]
    for department in publication.departments:
        assert figures(department.figures) == direct(department_id=department.department_id)
        for matter in department.matters:
            assert figures(matter.figures) == direct(
                department_id=department.department_id, matter_code=matter.code
            )
    market = publication.departments[1]
    assert [m.name for m in market.matters] == ["老年人优待证办理", "食品经营许可"]


def test_the_rates_follow_their_definitions(ratings: dict[str, Any]) -> None:
    publication = public.ratings_published(
        start_on=dt.date(2025, 9, 1), end_on=dt.date(2025, 9, 30)
    )

    market = publication.departments[1].figures
    # 7 ratings, 4 of levels 1-3; 3 follow-ups, 2 contacted, 1 rectified.
    assert (market.total, market.good, market.bad) == (7, 4, 3)
    assert (str(market.good_rate), str(market.contact_rate), str(market.resolve_rate)) == (
        "57.1",
        "66.7",
        "33.3",
    )
    health = publication.departments[0].figures
    # The voided rating is gone with its follow-up: one rating, explained.
    assert (health.total, health.bad, health.followups, str(health.resolve_rate)) == (
        1,
        1,
        1,
        "100.0",
    )
    assert str(health.good_rate) == "0.0"


def test_the_public_page_shows_the_tables_to_anyone(ratings: dict[str, Any]) -> None:
    page = Client().get(reverse("ratings-public"), PERIOD)

    html = page.content.decode()
    text = visible_text(page)
    assert page.status_code == 200
    assert "好差评公示" in text
    assert "2025-09-01 至 2025-09-30" in text
    assert "深圳市市场监督管理局" in text
    assert "放射诊疗许可" in text
    assert "57.1%" in text
    assert "66.7%" in text
    assert 'scope="col"' in html
    assert 'data-label="好评率"' in html
    assert 'class="table-scroll"' in html
    assert "csrfmiddlewaretoken" not in html


def test_the_page_is_served_from_the_cache_to_the_next_visitor(
    ratings: dict[str, Any], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(2):
        first = Client().get(reverse("ratings-public"), PERIOD)
    with django_assert_num_queries(0):
        second = Client().get(reverse("ratings-public"), PERIOD)

    assert first.content == second.content


def test_the_default_period_is_the_last_90_days(world: dict[str, Any]) -> None:
    case = case_in("completed", world)
    food = world["workflow_catalogue"]["food"]
    today = timezone.localdate()
    evaluation(case, world["market"], food, 2, on=str(today - dt.timedelta(days=89)))
    evaluation(case, world["market"], food, 5, on=str(today - dt.timedelta(days=90)))

    page = visible_text(Client().get(reverse("ratings-public")))

    start = (today - dt.timedelta(days=89)).isoformat()
    assert f"{start} 至 {today.isoformat()}" in page
    assert "评价数1 好评率100.0% 差评数0" in page


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, ("2025-07-04", "2025-10-01", True)),
        ("2025-09-01", "2025-09-30", ("2025-09-01", "2025-09-30", True)),
        ("2025-09-01", "2026-01-01", ("2025-09-01", "2025-10-01", True)),  # not in the future
        ("2025-09-30", "2025-09-01", ("2025-07-04", "2025-10-01", False)),
        ("yesterday", None, ("2025-07-04", "2025-10-01", False)),
        ("2020-01-01", "2025-10-01", ("2025-07-04", "2025-10-01", False)),  # too long
    ],
)
def test_the_period_a_visitor_asks_for(
    start: str | None, end: str | None, expected: tuple[str, str, bool]
) -> None:
    start_on, end_on, valid = public.period_parse(start, end, today=dt.date(2025, 10, 1))

    assert (start_on.isoformat(), end_on.isoformat(), valid) == expected


def test_an_invalid_period_says_so_and_shows_the_default(db: None) -> None:
    page = visible_text(
        Client().get(reverse("ratings-public"), {"from": "2025-09-30", "to": "2025-09-01"})
    )

    assert "所选期间无效" in page
    assert "该期间暂无评价" in page
