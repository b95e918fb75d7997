"""Fixtures for the certificate library: the workflow catalogue whose food licence, elderly card and
business licence are e-certificates, a signing key for the market department only, staff of two
departments and four citizens; and helpers that request, store or really issue a certificate.

The world is built once per module (see tests.applications.conftest.shared) and rolled back after
it; each test runs in its own savepoint. Really issuing renders and signs a PDF (0.1 to 1
second), so tests use `stored()` (a stand-in file) unless the file itself matters."""

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from django.db import transaction

import pytest
from pytest_django import DjangoDbBlocker

from accounts.choices import Role
from accounts.models import User
from accounts.services import citizen_create, roles_sync, staff_create
from applications import services as application_services
from applications.models import Application
from certificates import rendering, services
from certificates.choices import CertificateStatus, HolderCodeType
from certificates.models import Certificate, CertificateType
from core.calendar import local_date
from matters.models import Department, DepartmentMembership, Matter
from matters.services import catalogue_import
from tests.applications.conftest import (
    ELDER_CODE_SUFFIX,
    FOOD_CODE_SUFFIX,
    IMMEDIATE_CODE_SUFFIX,
    NOW,
    _valid_id,
    draft_ready,
    pdf,
    workflow_document,
)
from tests.matters import documents

# 证照类型代码: the defining organ's USCC (18) + a 3-digit sequence (DOMAIN §7.3).
FOOD_TYPE = "11100000MB0143028R017"
SENIOR_TYPE = "11100000MB0143028R018"
BUSINESS_TYPE = "11100000MB0143028R019"

# 个体工商户变更登记: its 营业执照 material may be replaced by a wallet certificate (免提交).
CHANGE_CODE_SUFFIX = "11006000"
BUSINESS_MATERIAL: dict[str, Any] = {
    "key": "M04",
    "order": 4,
    "name": "营业执照",
    "material_type": "2",
    "material_form": "2",
    "necessity": "1",
    "optional_case": "",
    "original_copies": 1,
    "copy_copies": 0,
    "paper_format": "",
    "source": "20",
    "source_explain": "",
    "issuer": "市场监督管理部门",
    "fill_explain": "",
    "acceptance_standard": "",
    "legal_basis": "",
    "certificate_type": BUSINESS_TYPE,
    "blank_form": None,
    "sample": None,
}

# The citizen of DOMAIN's masking examples (张*, 110105********002X).
ZHANG_ID = "11010519491231002X"


def certificate_document() -> dict[str, Any]:
    """The applications' workflow catalogue with e-certificate results, plus a matter whose
    营业执照 material a wallet certificate may replace."""
    document = workflow_document()
    results = {FOOD_CODE_SUFFIX: FOOD_TYPE, ELDER_CODE_SUFFIX: SENIOR_TYPE}
    for matter in document["matters"]:
        code = matter["catalog_code"][-8:]
        if code in results:
            matter["versions"][0]["result_certificate_type"] = results[code]
    base = documents.version("x")
    document["matters"].append(
        documents.matter(
            CHANGE_CODE_SUFFIX,
            "个体工商户变更登记",
            materials=[*base["materials"], BUSINESS_MATERIAL],
            is_online=True,
            result_is_electronic=False,
        )
    )
    return document


def _type(
    code: str,
    name: str,
    department: Department,
    *,
    prefix: str,
    years: int | None,
    renewable: bool,
    fields: list[tuple[str, str]],
) -> CertificateType:
    template_html, template_css = rendering.default_template()
    return CertificateType.objects.create(
        code=code,
        name=name,
        department=department,
        number_prefix=prefix,
        validity_years=years,
        renewable=renewable,
        fields=[{"key": key, "label": label} for key, label in fields],
        template_html=template_html,
        template_css=template_css,
    )


def _staff(username: str, role: Role, department: Department) -> User:
    user = staff_create(
        username=username, password="pw-staff-1", real_name=username.title(), roles=[role]
    )
    DepartmentMembership.objects.create(user=user, department=department, role=role)
    return user


def world_build() -> dict[str, Any]:
    """Catalogue, certificate types, the market department's signing key, staff and citizens."""
    roles_sync()
    catalogue_import(document=certificate_document())
    market = Department.objects.get(uscc=documents.MARKET)
    health = Department.objects.get(uscc=documents.HEALTH)
    services.signing_keys_ensure(departments=[market], now=NOW)
    citizens = {
        "applicant": ("lisi", "李四", _valid_id("19900307"), "13900139000"),
        "elder_applicant": ("wangwu", "王五", _valid_id("19500101"), "13700137000"),
        "other_citizen": ("zhaoliu", "赵六", _valid_id("19851212"), "13600136000"),
        "zhang": ("zhangsan", "张三", ZHANG_ID, "13800138000"),
    }
    return {
        "workflow_catalogue": {
            "food": Matter.objects.get(catalog_code__endswith=FOOD_CODE_SUFFIX),
            "elder": Matter.objects.get(catalog_code__endswith=ELDER_CODE_SUFFIX),
            "immediate": Matter.objects.get(catalog_code__endswith=IMMEDIATE_CODE_SUFFIX),
            "change": Matter.objects.get(catalog_code__endswith=CHANGE_CODE_SUFFIX),
        },
        "market": market,
        "health": health,
        "food_type": _type(
            FOOD_TYPE, "食品经营许可证", market, prefix="JY", years=5, renewable=True,
            fields=[("shop_name", "经营者名称"), ("category", "经营项目")],
        ),
        "senior_type": _type(
            SENIOR_TYPE, "广东省老年人优待证", market, prefix="YD", years=None, renewable=False,
            fields=[],
        ),
        "business_type": _type(
            BUSINESS_TYPE, "营业执照（个体工商户）", market, prefix="GT", years=None,
            renewable=False, fields=[("shop_name", "名称")],
        ),
        "clerk": _staff("clerk", Role.WINDOW_CLERK, market),
        "reviewer": _staff("reviewer", Role.REVIEWER, market),
        "approver": _staff("approver", Role.APPROVER, market),
        "supervisor": _staff("supervisor", Role.SUPERVISOR, market),
        "outsider": _staff("outsider", Role.WINDOW_CLERK, health),
        "health_approver": _staff("healthapprover", Role.APPROVER, health),
        "catalogue_admin": staff_create(
            username="catalogue", password="pw-staff-1", real_name="目录管理员",
            roles=[Role.CATALOGUE_ADMIN],
        ),
        **{
            name: citizen_create(
                username=username, password="pw-citizen-1", real_name=real_name,
                id_number=id_number, mobile=mobile,
            )
            for name, (username, real_name, id_number, mobile) in citizens.items()
        },
    }  # fmt: skip


def module_world(
    build: Callable[[], dict[str, Any]],
) -> Callable[..., Iterator[dict[str, Any]]]:
    """A module-scoped fixture named `world` holding what `build` made, rolled back after the
    module. A test module assigning `world = module_world(world_build)` replaces its conftest's
    world, so `tests.applications.conftest.shared` and `cases` hand out these objects."""

    @pytest.fixture(scope="module", name="world")
    def fixture(
        django_db_setup: None, django_db_blocker: DjangoDbBlocker
    ) -> Iterator[dict[str, Any]]:
        with django_db_blocker.unblock(), transaction.atomic():
            yield build()
            transaction.set_rollback(True)

    return fixture


world = module_world(world_build)


# --- Certificates -------------------------------------------------------------------------------

# A stand-in for the signed PDF, for tests about the register rather than the file.
STAND_IN_PDF = b"%PDF-1.7\n% stand-in for a signed certificate\n%%EOF\n"


def holder_of(user: User) -> services.Holder:
    return services.Holder(
        name=user.real_name,
        code=user.id_number or "",
        code_type=HolderCodeType.RESIDENT_ID,
        user=user,
    )


def requested(
    user: User,
    type_code: str = FOOD_TYPE,
    *,
    now: dt.datetime = NOW,
    source_ref: str = "",
    issuer: Department | None = None,
) -> Certificate:
    """A PENDING certificate for `user`, as the approving transaction writes it."""
    certificate = services.certificate_request(
        type_code=type_code,
        holder=holder_of(user),
        data={"shop_name": "好味小馆", "category": "热食类"},
        source_ref=source_ref,
        issuer=issuer,
        now=now,
    )
    assert certificate is not None
    return certificate


def stored(
    user: User,
    type_code: str = FOOD_TYPE,
    *,
    now: dt.datetime = NOW,
    issued_on: dt.date | None = None,
    source_ref: str = "",
) -> Certificate:
    """A VALID certificate whose file is a stand-in (no rendering), issued on `issued_on`."""
    certificate = requested(user, type_code, now=now, source_ref=source_ref)
    return services.certificate_store(
        certificate_id=certificate.pk,
        pdf=STAND_IN_PDF,
        issued_on=issued_on or local_date(now),
        now=now,
    )


def issued(user: User, type_code: str = FOOD_TYPE, *, now: dt.datetime = NOW) -> Certificate:
    """A VALID certificate really rendered, signed and stored."""
    certificate = services.certificate_issue(
        certificate_id=requested(user, type_code, now=now).pk, now=now
    )
    assert certificate.status == CertificateStatus.VALID, certificate.last_error
    return certificate


def stored_file(certificate: Certificate) -> bytes:
    with certificate.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


# --- Cases --------------------------------------------------------------------------------------

HOUR = dt.timedelta(hours=1)


def case_at_decision(
    people: dict[str, Any], *, now: dt.datetime = NOW, delivery_method: str = "ELECTRONIC"
) -> Application:
    """A food-licence case of people["applicant"] at its decision step, nothing owed, the result
    to be delivered by `delivery_method`."""
    applicant = people["applicant"]
    draft = draft_ready(applicant, people["workflow_catalogue"]["food"], now=now)
    pk = draft.pk
    if delivery_method != "ELECTRONIC":
        application_services.application_draft_update(
            user=applicant, application_id=pk, now=now, delivery_method=delivery_method
        )
    application_services.application_submit(user=applicant, application_id=pk, now=now)
    application_services.application_accept(user=people["clerk"], application_id=pk, now=now + HOUR)
    application_services.application_step_pass(
        user=people["reviewer"], application_id=pk, now=now + 2 * HOUR, opinion="符合条件。"
    )
    application_services.application_material_upload(
        user=applicant, application_id=pk, material_key="M04", file=pdf(), now=now + 2 * HOUR
    )
    return Application.objects.get(pk=pk)


def case_approved(
    people: dict[str, Any], *, now: dt.datetime = NOW, delivery_method: str = "ELECTRONIC"
) -> Application:
    """The same case approved by people["approver"] three hours after `now`."""
    application = case_at_decision(people, now=now, delivery_method=delivery_method)
    return application_services.application_approve(
        user=people["approver"], application_id=application.pk, now=now + 3 * HOUR
    )


def certificate_of(application: Application) -> Certificate:
    """The one certificate a case asked for."""
    return Certificate.objects.get(source_ref=application.reference)
