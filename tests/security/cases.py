"""Cases of citizen A in every state of the workflow, brought there through the real services
(tests/security/world.py's `_case` and the services after it), for the role, step-skipping and
masking tests.

States are named by the status, except IN_REVIEW, which is at its first step (`REVIEW`, 审查, a
reviewer's) or its last (`DECISION`, 决定, an approver's, with the 容缺 material supplied).
"""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.choices import Role
from accounts.models import User
from accounts.services import staff_create
from applications import services
from applications.models import Application
from matters.models import DepartmentMembership
from tests.applications.conftest import NOW, PDF
from tests.security.world import A_FILE, STAFF_PASSWORD, _case

HOUR = dt.timedelta(hours=1)

REVIEW = "REVIEW"
DECISION = "DECISION"
STATES = (
    "DRAFT", "RECEIVED", "SUPPLEMENT_REQUIRED", REVIEW, DECISION, "SUSPENDED", "APPROVED",
    "REJECTED", "COMPLETED", "NOT_ACCEPTED", "RETURNED", "WITHDRAWN", "VOID",
)  # fmt: skip


def _upload_m04(world: dict[str, Any], pk: int, now: dt.datetime) -> None:
    services.application_material_upload(
        user=world["a"],
        application_id=pk,
        material_key="M04",
        file=SimpleUploadedFile(A_FILE, PDF, content_type="application/pdf"),
        now=now,
    )


def case_in(world: dict[str, Any], state: str, *, minute: int) -> Application:
    """A fresh case of A's in `state` (one of STATES), made through the services."""
    base = NOW.replace(minute=minute)
    clerk, reviewer, approver = world["clerk"], world["reviewer"], world["approver"]
    if state == "DRAFT":
        return _case(world, "draft", minute=minute)
    if state in ("RECEIVED", "SUPPLEMENT_REQUIRED", "NOT_ACCEPTED", "RETURNED", "WITHDRAWN"):
        case = _case(world, "received", minute=minute)
        pk = case.pk
        if state == "SUPPLEMENT_REQUIRED" or state == "RETURNED":
            services.application_supplement_request(
                user=clerk,
                application_id=pk,
                now=base + HOUR,
                items=[{"kind": "material", "key": "M01", "reason": "不清晰。"}],
            )
        if state == "RETURNED":
            services.application_return_unanswered(
                application_id=pk, now=base + dt.timedelta(days=120)
            )
        if state == "NOT_ACCEPTED":
            services.application_not_accept(
                user=clerk, application_id=pk, now=base + HOUR, kind="OTHER", reason="不符合。"
            )
        if state == "WITHDRAWN":
            services.application_withdraw(user=world["a"], application_id=pk, now=base + HOUR)
        return Application.objects.get(pk=pk)
    case = _case(world, "in_review", minute=minute)
    pk = case.pk
    if state == REVIEW:
        return case
    if state == "SUSPENDED":
        services.application_suspend(
            user=reviewer,
            application_id=pk,
            now=base + 2 * HOUR,
            kind="TESTING",
            reason="需要检验。",
            expected_days=5,
        )
        return Application.objects.get(pk=pk)
    if state == "VOID":
        services.application_void(
            user=world["supervisor"], application_id=pk, now=base + 2 * HOUR, reason="作废测试。"
        )
        return Application.objects.get(pk=pk)
    services.application_step_pass(
        user=reviewer, application_id=pk, now=base + 2 * HOUR, opinion="符合条件。"
    )
    _upload_m04(world, pk, base + 2 * HOUR)
    if state == DECISION:
        return Application.objects.get(pk=pk)
    if state == "REJECTED":
        services.application_reject(
            user=approver, application_id=pk, now=base + 3 * HOUR, reason="不符合条件。"
        )
        return Application.objects.get(pk=pk)
    services.application_approve(user=approver, application_id=pk, now=base + 3 * HOUR)
    if state == "APPROVED":
        return Application.objects.get(pk=pk)
    assert state == "COMPLETED", state
    services.application_deliver(user=clerk, application_id=pk, now=base + 4 * HOUR)
    return Application.objects.get(pk=pk)


def staff_with_roles(world: dict[str, Any], username: str, roles: list[Role]) -> User:
    """A member of staff holding `roles`, each in the market department (A's cases')."""
    user = staff_create(
        username=username, password=STAFF_PASSWORD, real_name=f"{username}员", roles=roles
    )
    for role in roles:
        DepartmentMembership.objects.create(user=user, department=world["market"], role=role)
    return user


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run the block in a savepoint that is always rolled back: the case is fresh for the next."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def outcome(call: Callable[[], object]) -> str:
    """'allowed', or the name of the refusal a service raised."""
    try:
        with rolled_back():
            call()
    except Exception as exc:  # the name of the refusal is the result
        return type(exc).__name__
    return "allowed"
