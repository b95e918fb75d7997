"""Staff see an applicant's ID number and mobile masked; a window clerk or approver may reveal
them in full with a reason (查询事由), and every reveal is recorded: who, when, why, what."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from rest_framework.test import APIClient

from accounts.models import PersonalDataAccess, User
from applications.models import Application
from tests.auth import sign_in

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

Submit = Callable[..., Application]
REASON = "窗口核对申请人身份证件"


def signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def reveal(client: Client, application: Application, reason: str = REASON) -> "Response":
    return client.post(
        reverse("workbench-case-reveal", args=[application.pk]),
        {"reason": reason},
        REMOTE_ADDR="203.0.113.7",
    )


def test_the_case_page_shows_the_id_number_and_mobile_masked_by_default(
    submitted: Submit, clerk: User, applicant: User
) -> None:
    application = submitted(timezone.now())
    assert applicant.id_number

    page = signed_in(clerk).get(reverse("workbench-case", args=[application.pk])).content.decode()

    assert applicant.id_number not in page
    assert applicant.mobile not in page
    assert f"{applicant.id_number[:6]}********{applicant.id_number[-4:]}" in page
    assert "139****9000" in page
    assert 'id="reveal-form"' in page
    assert "查询事由" in page
    assert PersonalDataAccess.objects.count() == 0


def test_the_api_never_returns_the_whole_id_number_or_mobile(
    submitted: Submit, clerk: User, applicant: User
) -> None:
    application = submitted(timezone.now())
    assert applicant.id_number
    citizen_api, clerk_api = APIClient(), APIClient()
    citizen_api.force_authenticate(applicant)
    clerk_api.force_authenticate(clerk)

    bodies = [
        citizen_api.get(f"/api/v1/applications/{application.pk}/").content.decode(),
        clerk_api.post(
            f"/api/v1/cases/{application.pk}/claim/", {}, format="json"
        ).content.decode(),
    ]

    for body in bodies:
        assert applicant.id_number not in body
        assert applicant.mobile not in body


@pytest.mark.parametrize("role", ["clerk", "approver"])
def test_a_reveal_with_a_reason_shows_the_full_values_once_and_records_who_when_and_why(
    role: str, submitted: Submit, applicant: User, request: pytest.FixtureRequest
) -> None:
    member: User = request.getfixturevalue(role)
    application = submitted(timezone.now())
    assert applicant.id_number
    client = signed_in(member)
    before = timezone.now()

    response = reveal(client, application)

    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert applicant.id_number in page
    assert applicant.mobile in page
    assert "本次查看已记录" in page
    rows = list(PersonalDataAccess.objects.order_by("field"))
    assert [(r.user, r.object_type, r.object_id, r.field, r.reason) for r in rows] == [
        (member, "applications.application", str(application.pk), "applicant_id_number", REASON),
        (member, "applications.application", str(application.pk), "applicant_mobile", REASON),
    ]
    assert all(r.ip_address == "203.0.113.7" and r.accessed_at >= before for r in rows)
    # Nothing personal is written into the record itself.
    assert all(applicant.id_number not in str(vars(r)) for r in rows)
    # The next look at the case is masked again.
    again = client.get(reverse("workbench-case", args=[application.pk])).content.decode()
    assert applicant.id_number not in again


def test_a_member_without_the_permission_sees_no_form_and_a_post_is_refused_unrecorded(
    submitted: Submit, reviewer: User, applicant: User
) -> None:
    application = submitted(timezone.now())
    assert applicant.id_number
    client = signed_in(reviewer)

    page = client.get(reverse("workbench-case", args=[application.pk])).content.decode()
    response = reveal(client, application)

    assert 'id="reveal-form"' not in page
    assert response.status_code == 403
    assert applicant.id_number not in response.content.decode()
    assert PersonalDataAccess.objects.count() == 0


def test_a_case_of_another_department_is_not_found_and_nothing_is_recorded(
    submitted: Submit, outsider: User
) -> None:
    application = submitted(timezone.now())

    response = reveal(signed_in(outsider), application)

    assert response.status_code == 404
    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "请填写查询事由。"),
        ("   ", "请填写查询事由。"),
        ("核对", "查询事由至少需要5个字"),
        ("很" * 201, "查询事由不能超过200个字"),
    ],
)
def test_a_reason_is_required_and_must_say_something(
    reason: str, message: str, submitted: Submit, clerk: User, applicant: User
) -> None:
    application = submitted(timezone.now())
    assert applicant.id_number

    response = reveal(signed_in(clerk), application, reason)

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert applicant.id_number not in page
    assert PersonalDataAccess.objects.count() == 0


def test_the_reveal_is_only_a_post(submitted: Submit, clerk: User) -> None:
    application = submitted(timezone.now())

    response = signed_in(clerk).get(reverse("workbench-case-reveal", args=[application.pk]))

    assert response.status_code == 405
    assert PersonalDataAccess.objects.count() == 0
