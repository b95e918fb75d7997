"""The citizen centre, the home page and the mandate pages read as many queries for many rows as
for a few. Already guarded elsewhere: the centre with open and closed cases
(tests/portal/test_centre.py); here with every section filled (drafts, cases to rate, messages,
certificates, companies and proxies)."""

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

import pytest

from accounts import mandates
from accounts.models import User
from applications import services
from tests.applications.conftest import NOW, case_in, matter_import
from tests.querycounts.cases import cases_of
from tests.querycounts.conftest import read, same_count, signed_in
from tests.querycounts.test_notifications_pages import messages_to

pytestmark = pytest.mark.django_db

USCCS = ("91440300MA5G00001W", "91440300MA5G00011X", "91440300MA5G00021Y", "91440300MA5G000310")


def _filled(world: dict[str, Any], count: int, *, first: int) -> None:
    """Cases in mixed states, drafts of the other matters, and messages: `count` of each kind."""
    cases_of(world, count, first=first)
    for index in range(count):
        services.application_draft_create(
            applicant=world["applicant"],
            matter_id=world["workflow_catalogue"]["elder" if index % 2 else "immediate"].pk,
            now=NOW + dt.timedelta(minutes=first + index),
            client_key=f"draft-{first + index}",
        )
    messages_to(world["applicant"], count, first=first)


def test_the_centre_reads_the_same_with_every_section_full(world: dict[str, Any]) -> None:
    client = signed_in(world["applicant"])
    _filled(world, 2, first=0)
    few = read(client, "/my/")
    _filled(world, 10, first=2)
    rated = case_in("completed", world, now=NOW.replace(minute=40))

    many = read(client, "/my/")

    assert f"/applications/{rated.pk}/rate/" in many.text
    same_count(few, many)


def _company(world: dict[str, Any], index: int) -> User:
    return mandates.company_register(
        representative=world["applicant"],
        uscc=USCCS[index],
        name=f"测试公司{index}",
        now=timezone.now(),
    )


def _proxy(world: dict[str, Any], principal: User, agent: User) -> None:
    assert agent.id_number is not None
    mandates.mandate_grant(
        granted_by=world["applicant"],
        principal=principal,
        agent_name=agent.real_name,
        agent_id_number=agent.id_number,
        matter_codes=[],
        consent=True,
        now=timezone.now(),
    )


@pytest.mark.parametrize("path", ["/my/companies/", "/my/proxies/"])
def test_the_mandate_pages_read_the_same_for_four_companies_as_for_one(
    world: dict[str, Any], path: str
) -> None:
    client = signed_in(world["applicant"])
    companies = [_company(world, 0)]
    _proxy(world, companies[0], world["other_citizen"])
    _proxy(world, world["applicant"], world["other_citizen"])
    few = read(client, path)
    for index in range(1, 4):
        companies.append(_company(world, index))
        _proxy(world, companies[-1], world["other_citizen"])
        _proxy(world, companies[-1], world["elder_applicant"])
    _proxy(world, world["applicant"], world["elder_applicant"])

    many = read(client, path)

    if path == "/my/companies/":
        assert all(company.real_name in many.text for company in companies)
    else:
        assert "王*" in many.text or "王五" in many.text
    same_count(few, many)


def test_the_home_page_reads_the_same_for_more_matters(world: dict[str, Any]) -> None:
    client = Client()
    few = read(client, "/")
    for index in range(5):
        matter_import(f"1108{index}000", f"首页事项{index}")
    cache.clear()  # the page is cached for visitors: render it again

    many = read(client, "/")

    assert "首页事项" in many.text
    same_count(few, many)
