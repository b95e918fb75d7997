"""The security suite's world: citizen A with one object of every kind, each carrying a canary
string, and the actors who must never reach them (anonymous, citizen B, a clerk of another
department). Built once per module and rolled back after it (see tests.certificates.conftest).

A's canaries (RELIABILITY §4 "Seeded users"): a canary name, a valid synthetic ID number, a
mobile, a shop name in the case's answers, a share purpose, a 差评 comment and the case
references. A response to anyone else that contains one of them is a leak.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

import pytest
from pytest_django import DjangoDbBlocker
from stdnum.iso7064 import mod_11_2

from accounts import mandates
from accounts.choices import Role
from accounts.models import Mandate, User
from accounts.services import citizen_create, staff_create
from applications import bundles, services
from applications.models import Application, ApplicationMaterial, BundleApplication
from certificates.choices import CertificateStatus
from certificates.models import Certificate, ShareLink
from certificates.services import share_link_create
from matters.choices import Audience, BundleOrder
from matters.models import Bundle, BundleItem, DepartmentMembership
from notifications.choices import Channel
from notifications.models import Notification
from supervision import invitations
from supervision import services as supervision_services
from supervision.choices import AlertColor, AlertRule
from supervision.models import Alert, Evaluation, Followup
from tests.applications.conftest import (
    FORM_FIELDS,
    GOOD_ANSWERS,
    NOW,
    PDF,
    _staff,
    draft_ready,
    matter_import,
)
from tests.auth import sign_in
from tests.certificates.conftest import FOOD_TYPE, STAND_IN_PDF, requested, world_build
from tests.matters import documents

HOUR = dt.timedelta(hours=1)

# Citizen A's identity: every one of these is a canary.
A_NAME = "金丝雀甲"


def valid_id(birth: str, area: str = "110105", serial: str = "731") -> str:
    """A resident ID number with a correct ISO 7064 MOD 11-2 check character."""
    body = f"{area}{birth}{serial}"
    return body + mod_11_2.calc_check_digit(body)


A_ID = valid_id("19720815")
A_MOBILE = "13912345678"
A_PASSWORD = "pw-canary-A-7f3c"
A_SHOP = "金丝雀小馆"
A_PURPOSE = "金丝雀用途"
A_COMPLAINT = "金丝雀差评内容"
A_FILE = "金丝雀材料.pdf"
A_COMPANY = "金丝雀有限公司"
A_USCC = "91440300E37284563T"

B_ID = valid_id("19880101", serial="456")
B_MOBILE = "13611112222"
C_ID = valid_id("19790505", serial="222")

STAFF_PASSWORD = "pw-staff-1"
CITIZEN_PASSWORD = "pw-citizen-1"


def _case(world: dict[str, Any], state: str, *, minute: int) -> Application:
    """A food-licence case of A whose answers carry A's canary shop name, brought to `state`
    (draft, received, in_review, completed) through the real services."""
    a, clerk = world["a"], world["clerk"]
    now = NOW.replace(minute=minute)
    draft = draft_ready(a, world["workflow_catalogue"]["food"], now=now)
    pk = draft.pk
    services.application_draft_update(
        user=a,
        application_id=pk,
        now=now,
        answers={**GOOD_ANSWERS, "shop_name": A_SHOP, "agent_name": "王代办"},
    )
    services.application_material_upload(
        user=a,
        application_id=pk,
        material_key="M01",
        file=SimpleUploadedFile(A_FILE, PDF, content_type="application/pdf"),
        now=now,
    )
    if state == "draft":
        return Application.objects.get(pk=pk)
    services.application_submit(user=a, application_id=pk, now=now)
    if state == "received":
        return Application.objects.get(pk=pk)
    services.application_accept(user=clerk, application_id=pk, now=now + HOUR)
    if state == "in_review":
        return Application.objects.get(pk=pk)
    services.application_step_pass(
        user=world["reviewer"], application_id=pk, now=now + 2 * HOUR, opinion="符合条件。"
    )
    services.application_material_upload(
        user=a,
        application_id=pk,
        material_key="M04",
        file=SimpleUploadedFile(A_FILE, PDF, content_type="application/pdf"),
        now=now + 2 * HOUR,
    )
    services.application_approve(user=world["approver"], application_id=pk, now=now + 3 * HOUR)
    services.application_deliver(user=clerk, application_id=pk, now=now + 4 * HOUR)
    return Application.objects.get(pk=pk)


def _certificate(holder: User) -> Certificate:
    """A VALID food licence of `holder` with a stand-in file. Written directly rather than through
    `certificate_store`: this world is about who reaches it, not about issuing."""
    certificate = requested(holder, FOOD_TYPE, now=timezone.now() - dt.timedelta(days=1))
    certificate.file.save(f"{certificate.pk}.pdf", ContentFile(STAND_IN_PDF), save=False)
    certificate.status = CertificateStatus.VALID
    certificate.sha256 = hashlib.sha256(STAND_IN_PDF).hexdigest()
    certificate.size = len(STAND_IN_PDF)
    certificate.issued_at = timezone.now()
    certificate.valid_from = timezone.localdate()
    certificate.save(
        update_fields=["file", "sha256", "size", "status", "issued_at", "valid_from", "updated_at"]
    )
    return certificate


def security_world_build() -> dict[str, Any]:
    """The certificate world (catalogue, types, signing key, staff of two departments) plus A, B,
    a third citizen C and A's objects of every kind."""
    world = world_build()
    market, health = world["market"], world["health"]
    world["department_admin"] = _staff("deptadmin", Role.DEPARTMENT_ADMIN, market)
    world["health_admin"] = _staff("healthadmin", Role.DEPARTMENT_ADMIN, health)
    world["other_supervisor"] = _staff("hsupervisor", Role.SUPERVISOR, health)
    world["auditor_less"] = staff_create(
        username="norole", password=STAFF_PASSWORD, real_name="无角色", roles=[]
    )
    world["a"] = citizen_create(
        username="canary_a",
        password=A_PASSWORD,
        real_name=A_NAME,
        id_number=A_ID,
        mobile=A_MOBILE,
    )
    world["b"] = citizen_create(
        username="citizen_b",
        password=CITIZEN_PASSWORD,
        real_name="乙某某",
        id_number=B_ID,
        mobile=B_MOBILE,
    )
    world["c"] = citizen_create(
        username="citizen_c",
        password=CITIZEN_PASSWORD,
        real_name="丙某某",
        id_number=C_ID,
        mobile="13622223333",
    )
    world["applicant"] = world["a"]  # for the helpers of tests.applications that take `people`
    world["draft"] = _case(world, "draft", minute=1)
    world["received"] = _case(world, "received", minute=2)
    world["in_review"] = _case(world, "in_review", minute=3)
    world["completed"] = _case(world, "completed", minute=4)
    world["material"] = ApplicationMaterial.objects.filter(
        application=world["received"], material_key="M01"
    ).latest("pk")
    world["certificate"] = _certificate(world["a"])
    world["share"] = share_link_create(
        user=world["a"],
        certificate_id=world["certificate"].pk,
        days=7,
        purpose=A_PURPOSE,
        now=timezone.now(),
    )
    world["notification"] = (
        Notification.objects.filter(recipient=world["a"], channel=Channel.INBOX)
        .order_by("pk")
        .first()
    )
    assert world["notification"] is not None, "A's submission should have told A in the inbox"
    world["evaluation"] = supervision_services.evaluation_submit(
        user=world["a"],
        application_id=world["completed"].pk,
        level=5,
        tags=["SLOW"],
        comment=A_COMPLAINT,
        now=NOW + dt.timedelta(days=1),
    )
    world["followup"] = Followup.objects.get(evaluation=world["evaluation"])
    world["rating_token"] = invitations.rating_token_make(
        application_id=world["completed"].pk, user_id=world["a"].pk, now=timezone.now()
    )
    world["company"] = mandates.company_register(
        representative=world["a"], uscc=A_USCC, name=A_COMPANY, now=timezone.now()
    )
    world["mandate"] = mandates.mandate_grant(
        granted_by=world["a"],
        principal=world["a"],
        agent_name="丙某某",
        agent_id_number=C_ID,
        matter_codes=[],
        consent=True,
        now=timezone.now(),
    )
    permit = matter_import(
        "11007000", "公共场所卫生许可", department=documents.HEALTH, form_fields=FORM_FIELDS[:3]
    )
    bundle = Bundle.objects.create(
        code="restaurant",
        name="开办餐饮店",
        audience=Audience.PERSON,
        lead_department=market,
        order_mode=BundleOrder.PARALLEL,
        is_published=True,
    )
    BundleItem.objects.create(bundle=bundle, matter=world["workflow_catalogue"]["food"], order=1)
    BundleItem.objects.create(bundle=bundle, matter=permit, order=2)
    world["bundle"] = bundle
    world["bundle_application"] = bundles.bundle_application_start(
        applicant=world["a"], bundle_id=bundle.pk, now=NOW
    )
    bundles.bundle_application_save(
        user=world["a"],
        bundle_application_id=world["bundle_application"].pk,
        now=NOW,
        situations={},
        answers={**GOOD_ANSWERS, "shop_name": A_SHOP},
        delivery_method="ELECTRONIC",
    )
    world["food"] = world["workflow_catalogue"]["food"]
    world["food_code"] = world["food"].implementation_code
    world["alert"] = Alert.objects.create(
        application=world["in_review"],
        rule=AlertRule.CASE_DUE_SOON,
        color=AlertColor.YELLOW,
        step_name="审查",
        deadline=NOW + dt.timedelta(days=3),
        raised_at=NOW + dt.timedelta(days=2),
        department=market,
        matter_code=world["food_code"],
    )
    world["canaries"] = canaries(world)
    return world


def canaries(world: dict[str, Any]) -> list[str]:
    """The strings of A's that no one else may see."""
    cases = [world[name] for name in ("draft", "received", "in_review", "completed")]
    return [
        A_NAME,
        A_ID,
        A_MOBILE,
        A_SHOP,
        A_PURPOSE,
        A_COMPLAINT,
        A_FILE,
        A_COMPANY,
        world["share"].token,
        *(case.reference for case in cases if case.reference),
        *(case.query_no for case in cases if case.query_no),
    ]


def security_world() -> Any:
    """A module-scoped fixture named `world` with the security world, rolled back after the
    module. A test module assigns `world = security_world()`."""

    @pytest.fixture(scope="module", name="world")
    def fixture(
        django_db_setup: None, django_db_blocker: DjangoDbBlocker
    ) -> Iterator[dict[str, Any]]:
        with django_db_blocker.unblock(), transaction.atomic():
            yield security_world_build()
            transaction.set_rollback(True)

    return fixture


def client_for(user: User | None) -> Client:
    """A client signed in as `user` (staff with the second factor passed), or anonymous."""
    client = Client()
    if user is not None:
        sign_in(client, user)
    return client


def snapshot(world: dict[str, Any]) -> str:
    """A digest of every row of A's objects: a refused request must leave it unchanged."""

    def rows(model: Any, **filters: Any) -> list[dict[str, Any]]:
        return list(model.objects.filter(**filters).order_by("pk").values())

    a = world["a"]
    state = {
        "user": rows(User, pk=a.pk),
        "company": rows(User, legal_representative=a),
        "applications": rows(Application, applicant=a),
        "materials": rows(ApplicationMaterial, application__applicant=a),
        "certificates": rows(Certificate, holder_user=a),
        "shares": rows(ShareLink, certificate__holder_user=a),
        "notifications": rows(Notification, recipient=a),
        "mandates": rows(Mandate, principal=a),
        "evaluations": rows(Evaluation, application__applicant=a),
        "followups": rows(Followup, evaluation__application__applicant=a),
        "bundles": rows(BundleApplication, applicant=a),
        "memberships": rows(DepartmentMembership),
    }
    return hashlib.sha256(json.dumps(state, default=str, sort_keys=True).encode()).hexdigest()
