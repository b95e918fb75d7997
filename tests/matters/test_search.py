"""Search over the published catalogue: aliases, pinyin, synonyms, departments, filters, freshness."""

import datetime as dt
from typing import Any

from django.test import Client

import pytest
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from matters.models import Department, Matter, Topic
from matters.search import SearchFilters, search
from matters.services import (
    catalogue_import,
    matter_reinstate,
    matter_retire,
    matter_version_publish,
)
from tests.html import visible_text
from tests.matters import documents

NOW = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)


def names(query: str, filters: SearchFilters | None = None) -> list[str]:
    """Names of the matching matters, best first."""
    ids = search(query, filters=filters).matter_ids
    by_id = dict(Matter.objects.filter(pk__in=ids).values_list("pk", "current_version__name"))
    return [by_id[i] for i in ids]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("老年证", "老年人优待证办理"),  # alias
        ("laonian", "老年人优待证办理"),  # full pinyin
        ("lnr", "老年人优待证办理"),  # pinyin initials
        ("LaoNian", "老年人优待证办理"),  # case
        ("ＬＡＯＮＩＡＮ", "老年人优待证办理"),  # full-width
        ("开饭店", "食品经营许可"),  # synonym → 餐饮 / 食品经营
        ("卫生健康", "放射诊疗许可"),  # department name
        ("区卫健局", "放射诊疗许可"),  # department short name
        ("我要办理老年证", "老年人优待证办理"),  # filler words
        ("老年证怎么办理？", "老年人优待证办理"),  # filler words and punctuation
        ("食品 经营", "食品经营许可"),  # spaces
        ("放射许可", "放射诊疗许可"),  # characters in order
    ],
)
def test_a_citizens_words_find_the_matter_first(
    catalogue: dict[str, Any], query: str, expected: str
) -> None:
    found = names(query)

    assert found[0] == expected


def test_an_alias_finds_only_its_matter(catalogue: dict[str, Any]) -> None:
    assert names("老年证") == ["老年人优待证办理"]


def test_a_query_that_matches_nothing_finds_nothing(catalogue: dict[str, Any]) -> None:
    result = search("火星移民")

    assert (result.matter_ids, result.total) == ([], 0)


def test_an_empty_query_finds_nothing(catalogue: dict[str, Any]) -> None:
    assert search("  ？ ").total == 0


def test_a_single_character_finds_every_matter_containing_it(catalogue: dict[str, Any]) -> None:
    found = names("证")

    assert found[0] == "老年人优待证办理"
    assert sorted(found) == sorted(["老年人优待证办理", "食品经营许可", "放射诊疗许可"])


def test_the_audience_filter_restricts_results(catalogue: dict[str, Any]) -> None:
    assert names("许可", SearchFilters(audience="LEGAL")) == ["食品经营许可"]
    assert names("许可", SearchFilters(audience="PERSON")) == ["放射诊疗许可"]


def test_the_topic_filter_restricts_results(catalogue: dict[str, Any]) -> None:
    setup = Topic.objects.get(code="L-SETUP")

    assert names("证", SearchFilters(topic_id=setup.pk)) == ["食品经营许可"]


def test_the_department_filter_restricts_results(catalogue: dict[str, Any]) -> None:
    health = Department.objects.get(uscc=documents.HEALTH)

    assert names("证", SearchFilters(department_id=health.pk)) == ["放射诊疗许可"]


def test_the_search_page_lists_what_was_found(catalogue: dict[str, Any], client: Client) -> None:
    response = client.get("/search/", {"q": "老年证"})

    assert response.status_code == 200
    assert "“老年证”的搜索结果 找到 1 个事项 老年人优待证办理 深圳市市场监督管理局" in (
        visible_text(response)
    )


def test_the_search_page_says_when_nothing_was_found(
    catalogue: dict[str, Any], client: Client
) -> None:
    response = client.get("/search/", {"q": "火星移民"})

    assert response.status_code == 200
    assert "找到 0 个事项 没有找到相关事项。可以试试：" in visible_text(response)


def test_the_api_search_ranks_the_pinyin_match_first(
    catalogue: dict[str, Any], client: Client
) -> None:
    response = client.get("/api/v1/matters/", {"search": "laonian"})

    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["name"] == "老年人优待证办理"


def test_a_newly_published_name_is_found_at_once(db: None) -> None:
    document = documents.document()
    document["matters"][0]["versions"].append(documents.draft("长者优待证申领"))
    catalogue_import(document=document)
    assert names("长者") == []
    draft = Matter.objects.get(versions__name="长者优待证申领").versions.get(number=2)

    matter_version_publish(version_id=draft.pk, by=None, now=NOW)

    assert names("长者") == ["长者优待证申领"]


def test_a_retired_matter_is_not_found_and_a_reinstated_one_is(catalogue: dict[str, Any]) -> None:
    matter = Matter.objects.get(current_version__name="食品经营许可")
    assert names("食品经营") == ["食品经营许可"]

    matter_retire(matter_id=matter.pk, by=None, now=NOW, reason="职能调整")
    retired = names("食品经营")
    matter_reinstate(matter_id=matter.pk, by=None)

    assert retired == []
    assert names("食品经营") == ["食品经营许可"]


def test_an_import_is_searchable_at_once(db: None) -> None:
    assert names("食品经营") == []

    catalogue_import(document=documents.document())

    assert names("食品经营") == ["食品经营许可"]


def test_a_committed_change_is_searchable_at_once_whatever_the_check_interval(
    catalogue: dict[str, Any],
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.SEARCH_GENERATION_CHECK_SECONDS = 10**9  # longer than any uptime
    matter = Matter.objects.get(current_version__name="食品经营许可")
    assert names("食品经营") == ["食品经营许可"]

    with django_capture_on_commit_callbacks(execute=True):
        matter_retire(matter_id=matter.pk, by=None, now=NOW, reason="职能调整")

    assert names("食品经营") == []
