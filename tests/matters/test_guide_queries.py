"""The 办事指南 page from its stored body (issue 7): what a visit costs, and that it is never stale."""

import datetime as dt
from typing import Any

from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

import pytest
from pytest_django import DjangoAssertNumQueries, Settings

from matters.models import Department, GuideSnapshot, Matter
from matters.presentation import guide_context
from matters.selectors import matter_guides_for_snapshot
from matters.services import catalogue_import, matter_retire, matter_version_publish
from matters.snapshots import guide_snapshots_fill
from tests.matters import documents

NOW = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)

FEES = [
    {
        "order": 1,
        "name": "驾驶证工本费",
        "standard": "10元/本",
        "basis": "发改价格〔2017〕1186号",
        "reducible": False,
        "reduction_basis": "",
    }
]


@pytest.fixture
def guide_catalogue(db: None) -> dict[str, Any]:
    """The test catalogue plus a matter with fees, all published."""
    document = documents.document()
    document["matters"].append(
        documents.matter(
            "11004000", "机动车驾驶证换证", is_fee=True, fee_basis="按规定收费", fees=FEES
        )
    )
    catalogue_import(document=document)
    return document


def code_of(name: str) -> str:
    return Matter.objects.get(versions__name=name).implementation_code


@pytest.fixture
def uncached(settings: Settings) -> None:
    """No whole-page cache: every visit goes to the view, as on a first visit."""
    settings.CATALOGUE_PAGE_CACHE_SECONDS = 0


def test_a_guide_page_whose_body_is_stored_costs_one_query(
    guide_catalogue: dict[str, Any],
    uncached: None,
    client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    guide_snapshots_fill()
    code = code_of("机动车驾驶证换证")

    with django_assert_num_queries(1):
        response = client.get(f"/matters/{code}/")

    assert response.status_code == 200
    assert "驾驶证工本费：10元/本" in response.content.decode()


def test_the_first_visit_renders_the_body_once_and_later_visits_read_it(
    guide_catalogue: dict[str, Any],
    uncached: None,
    client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    code = code_of("老年人优待证办理")
    GuideSnapshot.objects.all().delete()  # as for a version published before snapshots existed

    with django_assert_max_num_queries(12):
        first = client.get(f"/matters/{code}/")
    with django_assert_num_queries(1):
        second = client.get(f"/matters/{code}/")

    assert first.content == second.content
    assert GuideSnapshot.objects.filter(version__matter__implementation_code=code).count() == 1


def test_a_cached_guide_page_costs_no_query(
    guide_catalogue: dict[str, Any],
    client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    code = code_of("老年人优待证办理")
    first = client.get(f"/matters/{code}/")

    with django_assert_num_queries(0):
        second = client.get(f"/matters/{code}/")

    assert second.status_code == 200
    assert second.content == first.content


def test_a_search_of_any_length_is_cached_like_a_short_one(
    guide_catalogue: dict[str, Any],
    client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    # The visitor chooses the query string and the Accept header: a long search (percent-encoded,
    # over 500 characters) with spaces must neither fail nor warn (warnings are errors here), and is
    # served from the cache the second time like any other page.
    url = "/api/v1/matters/?search=" + "老年 " * 16  # 48 of the 50 characters allowed
    first = client.get(url, HTTP_ACCEPT="application/json, text/plain; q=0.5")

    with django_assert_num_queries(0):
        second = client.get(url, HTTP_ACCEPT="application/json, text/plain; q=0.5")

    assert first.status_code == second.status_code == 200
    assert second.content == first.content


def test_the_stored_body_is_the_guide_rendered_from_the_version_itself(
    guide_catalogue: dict[str, Any], uncached: None, client: Client
) -> None:
    code = code_of("机动车驾驶证换证")
    guide_snapshots_fill()
    version = Matter.objects.get(implementation_code=code).current_version
    assert version is not None
    (fresh,) = matter_guides_for_snapshot(version_ids=[version.pk])
    with translation.override("zh-hans"):
        expected = render_to_string("matters/_guide_body.html", guide_context(fresh))

    page = client.get(f"/matters/{code}/").content.decode()

    assert expected in page
    for shown in (
        "<h1>机动车驾驶证换证</h1>",
        "<strong>申请表</strong>",
        "<strong>居民身份证</strong>",
        "<strong>授权委托书</strong>",
        "驾驶证工本费：10元/本",
        "<strong>受理</strong>（综合窗口）",
        "<strong>审查</strong>（业务科室）",
        "可以网上办理吗？",
        "委托他人办理",
        "深圳市市场监督管理局",
        "《中华人民共和国行政许可法》第二十九条",
    ):
        assert shown in page, shown


def test_publishing_a_new_version_shows_its_guide_at_once(
    db: None, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    document = documents.document()
    document["matters"][0]["versions"].append(
        documents.draft(
            "老年人优待证申领",
            conditions="年满60周岁的本市户籍居民。",
            is_fee=True,
            fee_basis="按规定收费",
            fees=FEES,
        )
    )
    catalogue_import(document=document)
    matter = Matter.objects.get(versions__name="老年人优待证办理")
    before = client.get(f"/matters/{matter.implementation_code}/").content.decode()
    draft = matter.versions.get(number=2)

    with django_capture_on_commit_callbacks(execute=True):
        matter_version_publish(version_id=draft.pk, by=None, now=NOW)

    after = client.get(f"/matters/{matter.implementation_code}/").content.decode()
    assert "<h1>老年人优待证办理</h1>" in before
    assert "<h1>老年人优待证申领</h1>" in after
    assert "年满60周岁的本市户籍居民。" in after
    assert "驾驶证工本费：10元/本" in after
    assert "老年人优待证办理" not in after
    assert GuideSnapshot.objects.filter(version=draft).count() == 2  # rendered when published


def test_a_renamed_department_shows_its_new_name_on_stored_guides(
    guide_catalogue: dict[str, Any], uncached: None, client: Client
) -> None:
    guide_snapshots_fill()
    code = code_of("老年人优待证办理")
    department = Department.objects.get(name="深圳市市场监督管理局")
    department.name = "深圳市市场监管局"
    department.save(update_fields=["name", "updated_at"])

    page = client.get(f"/matters/{code}/").content.decode()

    assert "深圳市市场监管局" in page
    assert "深圳市市场监督管理局" not in page


def test_a_retired_matter_is_not_shown_from_its_stored_body(
    guide_catalogue: dict[str, Any], uncached: None, client: Client
) -> None:
    guide_snapshots_fill()
    matter = Matter.objects.get(versions__name="老年人优待证办理")

    matter_retire(matter_id=matter.pk, by=None, now=NOW, reason="职能调整")

    assert client.get(f"/matters/{matter.implementation_code}/").status_code == 404


def test_a_guide_in_english_is_stored_apart_from_the_chinese_one(
    guide_catalogue: dict[str, Any], uncached: None, client: Client
) -> None:
    guide_snapshots_fill()
    code = code_of("老年人优待证办理")
    client.get("/language/en/")

    english = client.get(f"/matters/{code}/").content.decode()
    chinese = Client().get(f"/matters/{code}/").content.decode()

    assert "List of application materials" in english
    assert "申请材料清单" not in english
    assert "申请材料清单" in chinese
    assert "List of application materials" not in chinese


def test_the_fill_command_renders_only_missing_bodies(guide_catalogue: dict[str, Any]) -> None:
    GuideSnapshot.objects.all().delete()
    visible = Matter.objects.filter(status="IN_USE").count()

    call_command("guide_snapshots")
    written_again = guide_snapshots_fill()

    assert GuideSnapshot.objects.count() == 2 * visible  # zh-hans and en
    assert written_again == 0
