"""The supervision lists and the bundle page read as many queries for many rows as for one: no
query per card, follow-up or case."""

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from applications import services as application_services
from applications.bundles import bundle_application_submit
from core import calendar
from matters.choices import BundleOrder
from supervision import services
from supervision.alerts import alerts_raise
from tests.applications.conftest import NOW, at, case_in
from tests.applications.test_bundles import filled, make_bundle
from tests.auth import sign_in

pytestmark = pytest.mark.django_db


def queries(client: Client, path: str, *, rows: str = "", expect: int = 0) -> int:
    """The queries a page takes; with `rows`, check the page shows `expect` of that text."""
    calendar.calendar_changed()  # the calendar's table is read once per change, count it each time
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    if rows:
        assert response.content.decode().count(rows) == expect
    return len(captured.captured_queries)


def signed_in(user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    client.get("/workbench/")  # the session's activity stamp is written at most once a minute
    return client


def test_the_card_list_reads_the_same_for_five_cards_as_for_one(world: dict[str, Any]) -> None:
    client = signed_in(world["supervisor"])
    case_in("in_review", world)
    alerts_raise(now=at("2025-06-19"))
    one = queries(client, "/supervision/alerts/", rows="<tr", expect=1 + 1)
    for minute in range(1, 5):
        case_in("in_review", world, now=NOW.replace(minute=minute))
    alerts_raise(now=at("2025-06-20"))

    assert queries(client, "/supervision/alerts/", rows="<tr", expect=1 + 5) == one


def _bad_rating(world: dict[str, Any], minute: int) -> None:
    application = case_in("completed", world, now=NOW.replace(minute=minute))
    services.evaluation_submit(
        user=world["applicant"],
        application_id=application.pk,
        level=5,
        tags=["SLOW"],
        comment="等了很久",
        now=at("2025-06-12"),
    )


def test_the_followup_list_reads_the_same_for_four_as_for_one(world: dict[str, Any]) -> None:
    client = signed_in(world["department_admin"])
    _bad_rating(world, 0)
    one = queries(client, "/workbench/followups/", rows="非常不满意", expect=1)
    for minute in range(1, 4):
        _bad_rating(world, minute)

    assert queries(client, "/workbench/followups/", rows="非常不满意", expect=4) == one


def test_the_bundle_page_reads_the_same_as_its_cases_move_on(world: dict[str, Any]) -> None:
    bundle = make_bundle(world, BundleOrder.PARALLEL)
    bundle_application = filled(world["applicant"], bundle)
    bundle_application_submit(
        user=world["applicant"], bundle_application_id=bundle_application.pk, now=NOW
    )
    client = Client()
    sign_in(client, world["applicant"])
    path = f"/my/bundles/{bundle_application.pk}/"
    client.get(path)
    entries = client.get(path).content.decode().count("<time")
    before = queries(client, path, rows="<time", expect=entries)
    food = bundle_application.cases.get(department=world["market"])
    application_services.application_accept(
        user=world["clerk"], application_id=food.pk, now=at("2025-06-11", 11)
    )
    application_services.application_step_pass(
        user=world["reviewer"], application_id=food.pk, now=at("2025-06-11", 12), opinion="符合。"
    )

    # two more trail entries, no more queries
    assert queries(client, path, rows="<time", expect=entries + 2) == before
