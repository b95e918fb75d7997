"""The citizen centre (我的) gathers a person's cases, drafts, ratings due, messages, certificates and
the people they act for; the profile shows personal data masked."""

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from applications import services
from tests.applications.conftest import NOW, case_in, shared
from tests.auth import sign_in
from tests.html import visible_text

pytestmark = pytest.mark.django_db

applicant = shared("applicant")


def test_the_centre_shows_open_cases_with_the_next_step_drafts_and_cases_to_rate(
    world: dict[str, Any], client: Client
) -> None:
    open_case = case_in("received", world)
    closed = case_in("completed", world)
    draft = services.application_draft_create(
        applicant=world["applicant"], matter_id=world["workflow_catalogue"]["elder"].pk, now=NOW
    )
    case_in("received", {**world, "applicant": world["other_citizen"]})  # someone else's
    sign_in(client, world["applicant"])

    page = visible_text(client.get("/my/"))

    assert str(open_case.reference) in page
    assert "部门正在核对材料" in page
    assert draft.version.name in page
    assert f"/applications/{closed.pk}/rate/" in client.get("/my/").content.decode()
    assert page.count("已收件，待受理") == 1  # the other person's received case is not here


def test_the_centre_reads_a_fixed_number_of_queries(world: dict[str, Any], client: Client) -> None:
    sign_in(client, world["applicant"])
    case_in("received", world)
    client.get("/my/")  # the first request of a session writes it
    with CaptureQueriesContext(connection) as one:
        client.get("/my/")
    for _ in range(3):
        case_in("received", world)
        case_in("completed", world)
    with CaptureQueriesContext(connection) as many:
        client.get("/my/")

    assert len(many) == len(one)


def test_the_profile_masks_personal_data_and_saves_the_message_language(
    world: dict[str, Any], client: Client
) -> None:
    person = world["applicant"]
    sign_in(client, person)

    html = client.get("/my/profile/").content.decode()
    response = client.post("/my/profile/", {"language": "en"})

    person.refresh_from_db()
    assert person.id_number not in html
    assert person.mobile not in html
    assert "139****9000" in html
    assert "李*" in html
    assert response.status_code == 302
    assert person.language == "en"
