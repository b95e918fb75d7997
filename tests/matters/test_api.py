"""The public catalogue API (/api/v1/) and its OpenAPI schema."""

from typing import Any

from django.test import Client

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from matters.services import catalogue_import
from tests.matters import documents

ELDER, FOOD, RADIATION = "老年人优待证办理", "食品经营许可", "放射诊疗许可"


def result_names(body: dict[str, Any]) -> list[str]:
    return [item["name"] for item in body["results"]]


def test_the_matter_list_is_paginated_with_count_next_previous_and_results(
    catalogue: dict[str, Any], client: Client
) -> None:
    first = client.get("/api/v1/matters/", {"page_size": 2}).json()
    second = client.get("/api/v1/matters/", {"page_size": 2, "page": 2}).json()

    assert (first["count"], first["previous"]) == (3, None)
    assert first["next"] == "http://testserver/api/v1/matters/?page_size=2&page=2"
    assert (second["count"], second["next"]) == (3, None)
    assert second["previous"] == "http://testserver/api/v1/matters/?page_size=2&page=1"
    assert sorted(result_names(first) + result_names(second)) == sorted([ELDER, FOOD, RADIATION])


def test_a_matter_in_the_list_is_summarised(catalogue: dict[str, Any], client: Client) -> None:
    body = client.get("/api/v1/matters/", {"search": "放射"}).json()

    assert body["results"] == [
        {
            "implementation_code": catalogue["matters"][2]["implementation_code"],
            "name": RADIATION,
            "version": 1,
            "summary": "放射诊疗许可的办事指南。",
            "department": "南山区卫生健康局",
            "matter_type": "01",
            "is_online": True,
            "visits_required": 0,
            "promised_limit": 5,
            "promised_unit": "WD",
        }
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"search": "老年证"}, [ELDER]),
        ({"topic": "L-SETUP"}, [FOOD]),
        ({"topic": "NO-SUCH"}, []),
        ({"department": documents.HEALTH}, [RADIATION]),
        ({"department": documents.HEALTH.lower()}, [RADIATION]),
        ({"audience": "LEGAL"}, [FOOD]),
        ({"audience": "PERSON", "search": "许可"}, [RADIATION]),
    ],
)
def test_the_matter_list_filters(
    catalogue: dict[str, Any], client: Client, params: dict[str, str], expected: list[str]
) -> None:
    response = client.get("/api/v1/matters/", params)

    assert response.status_code == 200
    assert sorted(result_names(response.json())) == sorted(expected)
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"audience": "XYZ"}, "audience"),
    ],
)
def test_bad_list_parameters_are_refused_with_400(
    catalogue: dict[str, Any], client: Client, params: dict[str, str], field: str
) -> None:
    response = client.get("/api/v1/matters/", params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_page_size_of_100_is_allowed(catalogue: dict[str, Any], client: Client) -> None:
    response = client.get("/api/v1/matters/", {"page_size": 100})

    assert (response.status_code, response.json()["count"]) == (200, 3)


def test_a_matter_detail_carries_every_guide_element(
    catalogue: dict[str, Any], client: Client
) -> None:
    source = catalogue["matters"][0]
    version = source["versions"][0]

    response = client.get(f"/api/v1/matters/{source['implementation_code']}/")

    body = response.json()
    assert response.status_code == 200
    assert body["implementation_code"] == source["implementation_code"]
    assert (body["catalog_code"], body["region"], body["version"]) == ("002011001000", "440300", 1)
    assert body["published_at"] == "2025-01-02T09:00:00+08:00"
    assert body["department"]["uscc"] == documents.MARKET
    element_names = set(version) - {"number", "status", "published_at", "materials", "situations"}
    missing = {name for name in element_names if name not in body}
    assert missing == set()
    assert {name: body[name] for name in element_names - {"fees", "steps", "faqs"}} == {
        name: version[name] for name in element_names - {"fees", "steps", "faqs"}
    }
    assert body["steps"] == version["steps"]
    assert body["faqs"] == version["faqs"]


def test_a_matter_detail_carries_its_materials_and_situations(
    catalogue: dict[str, Any], client: Client
) -> None:
    code = catalogue["matters"][0]["implementation_code"]

    body = client.get(f"/api/v1/matters/{code}/").json()

    assert [m["key"] for m in body["materials"]] == ["M01", "M02", "M03"]
    assert body["materials"][2] == {
        "key": "M03", "name": "授权委托书", "necessity": "2", "necessity_label": "非必要",
        "type_label": "原件", "form_label": "电子", "copies": "原件1份", "source_label": "申请人自备",
        "source_explain": "", "acceptance_standard": "", "optional_case": "委托他人办理时提供",
        "situation_labels": ["委托他人办理"], "blank_form_url": "", "sample_url": "",
        "certificate_type": "",
    }  # fmt: skip
    assert body["situations"] == [
        {
            "key": "Q1",
            "text": "由谁办理？",
            "hint": "",
            "options": [
                {"key": "Q1A", "text": "本人办理", "conditions": "", "materials": []},
                {
                    "key": "Q1B",
                    "text": "委托他人办理",
                    "conditions": "受托人须持本人有效身份证件。",
                    "materials": ["M03"],
                },
            ],
        }
    ]


def test_a_matter_code_is_accepted_in_lower_case(catalogue: dict[str, Any], client: Client) -> None:
    code = catalogue["matters"][0]["implementation_code"]

    response = client.get(f"/api/v1/matters/{code.lower()}/")

    assert (response.status_code, response.json()["name"]) == (200, ELDER)


def test_an_unknown_matter_is_404(catalogue: dict[str, Any], client: Client) -> None:
    response = client.get("/api/v1/matters/11440300MB000010773002011009000/")

    assert response.status_code == 404
    assert response.json() == {"detail": "没有找到该事项，或该事项已停用。"}


def test_the_topics_carry_their_number_of_matters(
    catalogue: dict[str, Any], client: Client
) -> None:
    body = client.get("/api/v1/topics/").json()

    assert body["count"] == 2
    assert [(t["code"], t["name"], t["audience"], t["matter_count"]) for t in body["results"]] == [
        ("L-SETUP", "设立变更", "LEGAL", 1),
        ("P-ELDER", "养老服务", "PERSON", 2),
    ]


def test_the_topics_can_be_filtered_by_audience(catalogue: dict[str, Any], client: Client) -> None:
    body = client.get("/api/v1/topics/", {"audience": "PERSON"}).json()

    assert [t["code"] for t in body["results"]] == ["P-ELDER"]


def test_the_life_events_are_listed(db: None, client: Client) -> None:
    document = documents.document()
    document["matters"][0]["versions"][0]["life_events"] = ["P-RETIRE"]
    catalogue_import(document=document)

    body = client.get("/api/v1/life-events/").json()

    assert [(e["code"], e["name"], e["matter_count"]) for e in body["results"]] == [
        ("P-RETIRE", "退休", 1)
    ]


def test_the_departments_with_published_matters_are_listed(
    catalogue: dict[str, Any], client: Client
) -> None:
    body = client.get("/api/v1/departments/").json()

    assert [(d["uscc"], d["name"], d["region"], d["matter_count"]) for d in body["results"]] == [
        (documents.MARKET, "深圳市市场监督管理局", "440300", 2),
        (documents.HEALTH, "南山区卫生健康局", "440305", 1),
    ]


def test_the_regions_are_listed_with_their_parents(
    catalogue: dict[str, Any], client: Client
) -> None:
    body = client.get("/api/v1/regions/").json()

    assert body["results"] == [
        {"code": "440000", "name": "广东省", "level": "PROVINCE", "parent_code": None},
        {"code": "440300", "name": "深圳市", "level": "CITY", "parent_code": "440000"},
        {"code": "440305", "name": "南山区", "level": "COUNTY", "parent_code": "440300"},
    ]


def test_the_openapi_schema_builds_without_warnings_or_errors() -> None:
    GENERATOR_STATS.reset()

    generator = SchemaGenerator()  # type: ignore[no-untyped-call]
    schema = generator.get_schema(request=None, public=True)  # type: ignore[no-untyped-call]

    catalogue_paths = [
        path
        for path in sorted(schema["paths"])
        if "/applications/" not in path and "/cases/" not in path
    ]
    assert catalogue_paths == [
        "/api/v1/departments/",
        "/api/v1/life-events/",
        "/api/v1/matters/",
        "/api/v1/matters/{implementation_code}/",
        "/api/v1/regions/",
        "/api/v1/topics/",
    ]
    assert (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)) == ({}, {})
    validate_schema(schema)  # type: ignore[no-untyped-call]


def test_the_schema_is_served(db: None, client: Client) -> None:
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert b"/api/v1/matters/{implementation_code}/" in response.content


def test_a_repeated_search_is_answered_from_the_cache_without_a_query(
    catalogue: dict[str, Any], client: Client, django_assert_num_queries: Any
) -> None:
    first = client.get("/api/v1/matters/", {"search": "老年证"}, HTTP_ACCEPT="application/json")

    with django_assert_num_queries(0):
        second = client.get(
            "/api/v1/matters/", {"search": "老年证"}, HTTP_ACCEPT="application/json"
        )

    assert second.status_code == 200
    assert second.json() == first.json()
    assert second.json()["results"][0]["name"] == "老年人优待证办理"
