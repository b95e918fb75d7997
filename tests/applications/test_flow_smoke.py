"""The happy path, end to end through the services: submit → accept → review → decide → deliver."""

import datetime as dt
from collections.abc import Callable

import pytest

from accounts.models import User
from applications import services
from applications.choices import EventKind, Status
from applications.models import Application
from tests.applications.conftest import NOW, pdf

pytestmark = pytest.mark.django_db


def test_a_food_licence_goes_from_submission_to_completion(
    submitted: Callable[..., Application],
    clerk: User,
    reviewer: User,
    approver: User,
    applicant: User,
) -> None:
    application = submitted()
    assert application.status == Status.RECEIVED
    assert application.reference == application.matter.implementation_code + "20250611000001"
    assert application.intake_deadline == dt.datetime(2025, 6, 18, 23, 59, 59, tzinfo=NOW.tzinfo)

    later = NOW + dt.timedelta(hours=1)
    services.application_accept(user=clerk, application_id=application.pk, now=later)
    services.application_step_pass(
        user=reviewer, application_id=application.pk, now=later, opinion="材料齐全，符合条件。"
    )
    services.application_material_upload(
        user=applicant,
        application_id=application.pk,
        material_key="M04",
        file=pdf(),
        now=later,
    )
    services.application_approve(user=approver, application_id=application.pk, now=later)
    services.application_deliver(user=clerk, application_id=application.pk, now=later)

    application.refresh_from_db()
    assert application.status == Status.COMPLETED
    kinds = list(application.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == [
        EventKind.SUBMITTED,
        EventKind.ACCEPTED,
        EventKind.STEP_PASSED,
        EventKind.MATERIAL_CAUGHT_UP,
        EventKind.APPROVED,
        EventKind.DELIVERED,
    ]
