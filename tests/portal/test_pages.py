"""The public pages render the catalogue a citizen browses, in Chinese first."""

import re
from pathlib import Path
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from pytest_django import DjangoAssertNumQueries, Settings

from accounts.models import User
from matters.models import Department, Material, Matter, Topic
from matters.services import catalogue_import, matter_retire
from tests.auth import sign_in
from tests.html import visible_text
from tests.matters import documents


def badges(page: str) -> list[str]:
    """The labels of the guide page's badges, in order."""
    return re.findall(r'<li class="badge badge-[a-z]+">([^<]+)</li>', page)


def result_names(page: str) -> list[str]:
    """The matter names of a result list, in order."""
    return re.findall(r'<h3 class="result-title"><a href="[^"]+">([^<]+)</a></h3>', page)


@pytest.fixture
def elder_code(catalogue: dict[str, Any]) -> str:
    return str(catalogue["matters"][0]["implementation_code"])


def test_the_home_page_shows_topics_life_events_departments_and_popular_matters(
    catalogue: dict[str, Any], client: Client
) -> None:
    response = client.get("/")

    text = visible_text(response)
    assert response.status_code == 200
    assert "个人办事 按主题 养老服务 2 按人生事件 退休 0" in text
    assert "法人办事 按主题 设立变更 1" in text
    assert "按部门 深圳市市场监督管理局 2 南山区卫生健康局 1" in text
    assert sorted(result_names(response.content.decode())) == sorted(
        ["老年人优待证办理", "食品经营许可", "放射诊疗许可"]
    )
    elder = Topic.objects.get(code="P-ELDER")
    assert f'href="/matters/?topic={elder.pk}"' in response.content.decode()


def test_the_home_page_of_an_empty_catalogue_still_renders(db: None, client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert "一网通办，最多跑一次" in visible_text(response)


def test_the_matter_list_shows_every_published_matter(
    catalogue: dict[str, Any], client: Client
) -> None:
    response = client.get("/matters/")

    assert response.status_code == 200
    assert "全部办事事项" in visible_text(response)
    assert "共 3 个事项" in visible_text(response)
    assert sorted(result_names(response.content.decode())) == sorted(
        ["老年人优待证办理", "食品经营许可", "放射诊疗许可"]
    )


def test_the_matter_list_filters_by_audience(catalogue: dict[str, Any], client: Client) -> None:
    response = client.get("/matters/", {"audience": "LEGAL"})

    assert "<h1>法人办事</h1>" in response.content.decode()
    assert "共 1 个事项" in visible_text(response)
    assert result_names(response.content.decode()) == ["食品经营许可"]


def test_the_matter_list_filters_by_topic_and_department(
    catalogue: dict[str, Any], client: Client
) -> None:
    topic = Topic.objects.get(code="P-ELDER")
    market = Department.objects.get(uscc=documents.MARKET)

    response = client.get("/matters/", {"topic": topic.pk, "department": market.pk})

    assert "<h1>养老服务 · 深圳市市场监督管理局</h1>" in response.content.decode()
    assert result_names(response.content.decode()) == ["老年人优待证办理"]


def test_the_matter_list_searches_with_its_keyword_field(
    catalogue: dict[str, Any], client: Client
) -> None:
    response = client.get("/matters/", {"q": "开饭店"})

    assert result_names(response.content.decode()) == ["食品经营许可"]


def test_the_matter_list_is_paginated_by_twenty(db: None, client: Client) -> None:
    catalogue_import(
        document=documents.document(
            *(documents.matter(f"2{i:04d}000", f"测试事项{i:02d}") for i in range(1, 23))
        )
    )

    first = client.get("/matters/")
    second = client.get("/matters/", {"page": 2})

    assert "共 22 个事项" in visible_text(first)
    assert "第 1 / 2 页" in visible_text(first)
    assert '<a href="?page=2" rel="next">下一页</a>' in first.content.decode()
    assert '<a href="?page=1" rel="prev">上一页</a>' in second.content.decode()
    shown = result_names(first.content.decode()) + result_names(second.content.decode())
    assert (len(result_names(first.content.decode())), len(shown)) == (20, 22)
    assert sorted(shown) == [f"测试事项{i:02d}" for i in range(1, 23)]


def test_the_next_page_link_keeps_the_filters(db: None, client: Client) -> None:
    catalogue_import(
        document=documents.document(
            *(documents.matter(f"2{i:04d}000", f"测试事项{i:02d}") for i in range(1, 23))
        )
    )

    response = client.get("/matters/", {"audience": "PERSON"})

    assert '<a href="?audience=PERSON&amp;page=2" rel="next">' in response.content.decode()


def test_the_department_page_lists_departments_with_their_matters(
    catalogue: dict[str, Any], client: Client
) -> None:
    response = client.get("/departments/")

    text = visible_text(response)
    assert response.status_code == 200
    assert "深圳市市场监督管理局 深圳市 · 2 个事项 地址：深圳市福田区 电话：0755-1" in text
    assert "南山区卫生健康局 南山区 · 1 个事项 地址：深圳市南山区 电话：0755-2" in text


def test_the_guide_page_shows_badges_and_key_facts(client: Client, elder_code: str) -> None:
    response = client.get(f"/matters/{elder_code}/")

    text = visible_text(response)
    assert response.status_code == 200
    assert "<h1>老年人优待证办理</h1>" in response.content.decode()
    assert badges(response.content.decode()) == ["全程网办", "跑动次数 0", "不收费", "支持快递"]
    assert (
        "实施主体深圳市市场监督管理局 承诺办结时限5个工作日 法定办结时限20个工作日 "
        "到现场次数0次（全程网办） 收费不收费 办件类型承诺件"
    ) in text


def test_the_guide_page_lists_the_materials(client: Client, elder_code: str) -> None:
    response = client.get(f"/matters/{elder_code}/")

    text = visible_text(response)
    assert "1 申请表 必要 · 原件 · 电子原件1份 申请人自备 信息完整" in text
    assert "2 居民身份证 必要 · 原件 · 电子原件1份 政府部门核发 —" in text
    assert (
        "3 授权委托书 适用情形：委托他人办理 委托他人办理时提供 非必要 · 原件 · 电子原件1份 申请人自备"
    ) in text


def test_the_guide_page_names_where_to_seek_redress(client: Client, elder_code: str) -> None:
    response = client.get(f"/matters/{elder_code}/")

    assert (
        "救济途径 对办理结果不服的，可以依法向深圳市人民政府申请行政复议，"
        "或者向深圳市福田区人民法院提起行政诉讼。"
    ) in visible_text(response)


def test_the_guide_page_offers_the_situation_questions(client: Client, elder_code: str) -> None:
    response = client.get(f"/matters/{elder_code}/")

    page = response.content.decode()
    assert f'<form method="get" action="/matters/{elder_code}/notice/"' in page
    assert 'name="Q1" value="Q1B"' in page
    assert "由谁办理？ 本人办理 委托他人办理 生成一次性告知书" in visible_text(response)


def test_the_guide_page_badges_an_online_matter_that_is_not_fully_online(
    db: None, client: Client
) -> None:
    catalogue_import(
        document=documents.document(
            documents.matter(
                "11009000", "二手车交易登记",
                online_depth="3", visits_required=1, visits_explain="须核验车辆。",
                case_type="1", promised_limit=0, supports_appointment=True, handle_area="CROSS_PROVINCE",
            )
        )
    )  # fmt: skip

    response = client.get(f"/matters/{documents.MARKET}3000111009000/")

    assert badges(response.content.decode()) == [
        "可网办", "最多跑一次", "即办件", "不收费", "支持快递", "可预约", "跨省通办",
    ]  # fmt: skip
    assert "承诺办结时限即办（当场办结）" in visible_text(response)
    assert "需到现场的原因：须核验车辆。" in visible_text(response)


def test_the_guide_page_of_a_charged_matter_lists_its_fees(db: None, client: Client) -> None:
    catalogue_import(
        document=documents.document(
            documents.matter(
                "11009000", "二手车交易登记", is_fee=True, fee_basis="《收费目录》", pay_online=True,
                fees=[{"order": 1, "name": "登记费", "standard": "50元/次", "basis": "价格主管部门",
                       "reducible": True, "reduction_basis": ""}],
            )
        )
    )  # fmt: skip

    response = client.get(f"/matters/{documents.MARKET}3000111009000/")

    assert (
        "收费 登记费：50元/次（依据：价格主管部门） · 可减免 收费依据：《收费目录》 支持网上支付。"
    ) in visible_text(response)
    assert "不收费" not in badges(response.content.decode())


def test_the_matter_list_marks_online_matters(catalogue: dict[str, Any], client: Client) -> None:
    page = client.get("/matters/").content.decode()

    assert page.count('<span class="badge badge-online">可网办</span>') == 3


def test_the_guide_page_links_the_blank_form(
    db: None, client: Client, settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    document = documents.document()
    document["matters"][0]["versions"][0]["materials"][0]["blank_form"] = documents.attachment(
        "form.docx", b"form"
    )
    catalogue_import(document=document)

    response = client.get(f"/matters/{document['matters'][0]['implementation_code']}/")

    form = Material.objects.get(version__name="老年人优待证办理", key="M01").blank_form
    assert form.url.endswith("/form.docx")
    assert f'<a href="{form.url}">下载空白表格</a>' in response.content.decode()


def test_the_guide_page_is_served_from_the_cache_the_second_time(
    client: Client, elder_code: str, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with CaptureQueriesContext(connection) as first:
        client.get(f"/matters/{elder_code}/")

    with django_assert_num_queries(0):  # the whole page comes from the cache
        second = client.get(f"/matters/{elder_code}/")

    assert len(first) > 1
    assert second.status_code == 200
    assert "<h1>老年人优待证办理</h1>" in second.content.decode()


def test_a_signed_in_visitor_gets_a_freshly_rendered_guide(
    client: Client,
    elder_code: str,
    citizen: User,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client.get(f"/matters/{elder_code}/")
    sign_in(client, citizen)

    response = client.get(f"/matters/{elder_code}/")

    assert response.status_code == 200
    assert response.context is not None  # rendered by the view, not replayed from the page cache


def test_retiring_a_matter_takes_its_cached_guide_down_at_once(
    client: Client, elder_code: str, django_capture_on_commit_callbacks: Any
) -> None:
    assert client.get(f"/matters/{elder_code}/").status_code == 200
    matter = Matter.objects.get(implementation_code=elder_code)

    with django_capture_on_commit_callbacks(execute=True):
        matter_retire(matter_id=matter.pk, by=None, now=timezone.now(), reason="职能调整")

    assert client.get(f"/matters/{elder_code}/").status_code == 404


def test_an_unknown_matter_is_404(catalogue: dict[str, Any], client: Client) -> None:
    response = client.get("/matters/11440300MB000010773002011009000/")

    assert response.status_code == 404


def test_the_search_page_without_a_query_invites_one(db: None, client: Client) -> None:
    response = client.get("/search/")

    assert response.status_code == 200
    assert "<h1>搜索办事事项</h1>" in response.content.decode()


def test_the_api_documentation_page_renders(db: None, client: Client) -> None:
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"/api/schema/" in response.content


def test_the_health_check_answers_ok(db: None, client: Client) -> None:
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_pages_are_in_simplified_chinese_whatever_the_browser_asks(
    db: None, client: Client
) -> None:
    response = client.get("/", headers={"accept-language": "en"})

    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-CN">' in response.content.decode()


def test_the_language_switcher_turns_the_site_to_english(db: None, client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/matters/"})

    assert response.status_code == 302
    assert response["Location"] == "/matters/"
    assert response.cookies["django_language"].value == "en"
    page = client.get("/matters/")
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()


def test_an_unsupported_language_cookie_falls_back_to_chinese(db: None, client: Client) -> None:
    client.cookies["django_language"] = "fr"

    response = client.get("/")

    assert response["Content-Language"] == "zh-hans"


def test_pages_and_search_still_answer_when_the_cache_is_unreachable(
    client: Client, elder_code: str, settings: Settings
) -> None:
    settings.CACHES = {  # nothing listens on port 1: every cache call fails at once
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }

    guide = client.get(f"/matters/{elder_code}/")
    found = client.get("/search/", {"q": "老年证"})
    api = client.get("/api/v1/matters/", {"search": "老年证"}, HTTP_ACCEPT="application/json")

    assert guide.status_code == 200
    assert "<h1>老年人优待证办理</h1>" in guide.content.decode()
    assert "老年人优待证办理" in visible_text(found)
    assert api.json()["count"] == 1
