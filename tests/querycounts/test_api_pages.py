"""The API's lists and details read as many queries for many rows as for a few: the applicant's
applications and one application with a long trail, and the catalogue's lists and a matter.
Already guarded elsewhere: a repeated matter search comes from the cache
(tests/matters/test_api.py)."""

from typing import Any

from django.core.cache import cache
from django.test import Client

import pytest

from tests.applications.conftest import case_in, matter_import
from tests.querycounts.cases import cases_of, longer_trail
from tests.querycounts.conftest import read, same_count, signed_in

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json"}


def test_my_applications_read_the_same_for_twelve_as_for_two(world: dict[str, Any]) -> None:
    client = signed_in(world["applicant"])
    first = cases_of(world, 2)
    few = read(client, "/api/v1/applications/", headers=JSON)
    rest = cases_of(world, 10, first=2)

    many = read(client, "/api/v1/applications/", headers=JSON)

    references = {row["reference"] for row in many.json()["results"]}
    assert {case.reference for case in first + rest} <= references
    same_count(few, many)


def test_an_application_reads_the_same_for_a_long_trail(world: dict[str, Any]) -> None:
    case = case_in("in_review", world)
    client = signed_in(world["applicant"])
    path = f"/api/v1/applications/{case.pk}/"
    longer_trail(world, case, times=1)
    few = read(client, path, headers=JSON)
    longer_trail(world, case, times=5)

    many = read(client, path, headers=JSON)

    assert len(many.text) > len(few.text)
    assert many.json()["reference"] == case.reference
    same_count(few, many)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/matters/",
        "/api/v1/topics/",
        "/api/v1/life-events/",
        "/api/v1/departments/",
        "/api/v1/regions/",
    ],
)
def test_the_catalogue_lists_read_the_same_for_eight_matters_as_for_three(
    world: dict[str, Any], path: str
) -> None:
    client = Client()
    few = read(client, path, headers=JSON)
    for index in range(5):
        matter_import(f"1107{index}000", f"接口事项{index}")
    cache.clear()  # the catalogue's answers are cached: read them again

    many = read(client, path, headers=JSON)

    if path == "/api/v1/matters/":
        assert all(f"接口事项{index}" in many.text for index in range(5))
    assert many.json()
    same_count(few, many)


def test_a_matter_reads_the_same_as_another(world: dict[str, Any]) -> None:
    client = Client()
    food = world["workflow_catalogue"]["food"]
    elder = world["workflow_catalogue"]["elder"]
    few = read(client, f"/api/v1/matters/{elder.implementation_code}/", headers=JSON)

    many = read(client, f"/api/v1/matters/{food.implementation_code}/", headers=JSON)  # more of all

    assert many.json()["name"] == "食品经营许可"
    same_count(few, many)
