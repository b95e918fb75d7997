"""Search relevance over the shipped demo catalogue (matters/demo/catalogue.json), imported once."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db import transaction
from django.test import Client

import pytest
from pytest_django import DjangoDbBlocker

from matters.models import Matter
from matters.search import search
from matters.services import catalogue_import

DEMO_CATALOGUE = Path(__file__).resolve().parents[2] / "matters" / "demo" / "catalogue.json"

pytestmark = pytest.mark.skipif(
    not DEMO_CATALOGUE.exists(), reason="matters/demo/catalogue.json not built yet"
)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[dict[str, Any]]:
    """The demo catalogue, imported once for the module and rolled back after it."""
    document = json.loads(DEMO_CATALOGUE.read_text(encoding="utf-8"))
    with django_db_blocker.unblock(), transaction.atomic():
        catalogue_import(document=document)
        yield document
        transaction.set_rollback(True)


Names = Callable[[str], list[str]]


@pytest.fixture
def names(demo: dict[str, Any], db: None) -> Names:
    """Search the demo catalogue and name the ten best matches, best first."""

    def found(query: str) -> list[str]:
        ids = search(query, limit=10).matter_ids
        by_id = dict(Matter.objects.filter(pk__in=ids).values_list("pk", "current_version__name"))
        return [by_id[i] for i in ids]

    return found


def test_every_demo_matter_is_published_and_visible(demo: dict[str, Any], db: None) -> None:
    in_use = [m for m in demo["matters"] if m["status"] == "IN_USE"]

    assert Matter.objects.visible().count() == len(in_use) > 0


def test_business_licence_finds_the_registration_of_a_company_or_sole_trader(names: Names) -> None:
    found = names("营业执照")

    assert found[0] in {"企业设立登记", "个体工商户设立登记"}
    assert {"企业设立登记", "个体工商户设立登记"} <= set(found[:3])


def test_opening_a_restaurant_finds_the_food_business_licence(names: Names) -> None:
    assert "食品经营许可" in names("开饭店")[:3]


def test_the_old_age_card_alias_finds_the_old_age_card_first(names: Names) -> None:
    assert names("老年证")[0] == "老年人优待证办理"


def test_pinyin_finds_the_old_age_card(names: Names) -> None:
    assert "老年人优待证办理" in names("laonian")[:3]


def test_birth_finds_the_birth_certificate(names: Names) -> None:
    assert "出生医学证明办理" in names("出生")[:5]


def test_filler_words_around_a_business_licence_still_find_it(names: Names) -> None:
    assert names("我要办理营业执照")[0] in {"企业设立登记", "个体工商户设立登记"}


@pytest.mark.parametrize("query", ["护照", "户口", "证", "ｈｕｋｏｕ", "%_\\'\"<>"])
def test_the_search_page_answers_any_query(names: Names, client: Client, query: str) -> None:
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200


def test_a_single_character_finds_many_matters(names: Names) -> None:
    assert search("证").total >= 10


def test_household_registration_finds_the_registration_matters(names: Names) -> None:
    assert {"出生登记", "户口迁移"} & set(names("户口")[:5])
