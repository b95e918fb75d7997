"""Fixtures for applications: a catalogue with application forms, staff of two departments, and
helpers that bring a case to any state through the real services."""

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

import pytest
from pytest_django import DjangoDbBlocker, Settings

from accounts.choices import Role
from accounts.models import User
from accounts.services import citizen_create, roles_sync, staff_create
from applications import services
from applications.models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Extension,
    SpecialProcedure,
    SupplementNotice,
)
from matters.models import Department, DepartmentMembership, Matter
from matters.services import catalogue_import
from tests.matters import documents

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday with no holiday nearby (2025-06-11); tests inject time.
NOW = dt.datetime(2025, 6, 11, 10, 0, tzinfo=SHANGHAI)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

FOOD_CODE_SUFFIX = "11002000"
ELDER_CODE_SUFFIX = "11001000"
IMMEDIATE_CODE_SUFFIX = "11004000"

FORM_FIELDS: list[dict[str, Any]] = [
    {"key": "name", "order": 1, "label": "申请人姓名", "field_type": "TEXT", "prefill": "NAME"},
    {
        "key": "id_number",
        "order": 2,
        "label": "公民身份号码",
        "field_type": "ID_NUMBER",
        "prefill": "ID_NUMBER",
    },
    {"key": "mobile", "order": 3, "label": "手机号码", "field_type": "MOBILE", "prefill": "MOBILE"},
    {
        "key": "shop_name",
        "order": 4,
        "label": "店铺名称",
        "field_type": "TEXT",
        "min_length": 2,
        "max_length": 30,
    },
    {
        "key": "area",
        "order": 5,
        "label": "经营面积（平方米）",
        "field_type": "NUMBER",
        "min_value": "1",
        "max_value": "10000",
    },
    {
        "key": "category",
        "order": 6,
        "label": "经营类别",
        "field_type": "CHOICE",
        "choices": ["热食类", "冷食类", "饮品"],
    },
    {"key": "open_on", "order": 7, "label": "开业日期", "field_type": "DATE", "required": False},
    {
        "key": "agent_name",
        "order": 8,
        "label": "受托人姓名",
        "field_type": "TEXT",
        "visible_when": "Q1=Q1B",
    },
]

FOOD_MATERIALS_EXTRA: list[dict[str, Any]] = [
    {
        "key": "M04",
        "order": 4,
        "name": "卫生检测报告",
        "necessity": "3",  # 容缺后补
        "material_type": "1",
        "material_form": "2",
        "source": "30",
    },
    {
        "key": "M05",
        "order": 5,
        "name": "场所使用证明",
        "necessity": "1",
        "material_type": "2",
        "material_form": "2",
        "source": "10",
        "commitment_allowed": True,
    },
]

REVIEW_STEPS: list[dict[str, Any]] = [
    {"order": 1, "name": "受理", "kind": "INTAKE"},
    {"order": 2, "name": "审查", "kind": "REVIEW", "role": "REVIEWER"},
    {"order": 3, "name": "决定", "kind": "DECISION", "role": "APPROVER"},
    {"order": 4, "name": "制证送达", "kind": "DELIVERY"},
]


def workflow_document() -> dict[str, Any]:
    """The test catalogue with application forms: a food licence (form, steps, 容缺 and 告知承诺
    materials, mail delivery), an elderly card with a 秒批 rule, and a 即办件."""
    base = documents.version("x")
    food = documents.matter(
        FOOD_CODE_SUFFIX,
        "食品经营许可",
        service_objects=["1", "2"],
        form_fields=FORM_FIELDS,
        materials=base["materials"] + FOOD_MATERIALS_EXTRA,
        steps=REVIEW_STEPS,
        supports_express=True,
        is_online=True,
        result_is_electronic=True,
    )
    elder = documents.matter(
        ELDER_CODE_SUFFIX,
        "老年人优待证办理",
        matter_type="20",
        form_fields=FORM_FIELDS[:3],
        auto_approve_rules=[{"field": "applicant.age", "op": ">=", "value": 60}],
        is_online=True,
        result_is_electronic=True,
    )
    immediate = documents.matter(
        IMMEDIATE_CODE_SUFFIX,
        "个体工商户名称变更",
        case_type="1",
        promised_limit=0,
        form_fields=FORM_FIELDS[:3],
        is_online=True,
    )
    return documents.document(food, elder, immediate)


@pytest.fixture
def workflow_catalogue(groups: None) -> dict[str, Matter]:
    catalogue_import(document=workflow_document())
    return {
        "food": Matter.objects.get(catalog_code__endswith=FOOD_CODE_SUFFIX),
        "elder": Matter.objects.get(catalog_code__endswith=ELDER_CODE_SUFFIX),
        "immediate": Matter.objects.get(catalog_code__endswith=IMMEDIATE_CODE_SUFFIX),
    }


def _staff(username: str, role: Role, department: Department) -> User:
    user = staff_create(
        username=username, password="pw-staff-1", real_name=username.title(), roles=[role]
    )
    DepartmentMembership.objects.create(user=user, department=department, role=role)
    return user


@pytest.fixture
def market(workflow_catalogue: dict[str, Matter]) -> Department:
    return Department.objects.get(uscc=documents.MARKET)


@pytest.fixture
def health(workflow_catalogue: dict[str, Matter]) -> Department:
    return Department.objects.get(uscc=documents.HEALTH)


@pytest.fixture
def clerk(market: Department) -> User:
    return _staff("clerk", Role.WINDOW_CLERK, market)


@pytest.fixture
def clerk2(market: Department) -> User:
    return _staff("clerk2", Role.WINDOW_CLERK, market)


@pytest.fixture
def reviewer(market: Department) -> User:
    return _staff("reviewer", Role.REVIEWER, market)


@pytest.fixture
def approver(market: Department) -> User:
    return _staff("approver", Role.APPROVER, market)


@pytest.fixture
def supervisor(market: Department) -> User:
    return _staff("supervisor", Role.SUPERVISOR, market)


@pytest.fixture
def outsider(health: Department) -> User:
    """A window clerk of another department."""
    return _staff("outsider", Role.WINDOW_CLERK, health)


@pytest.fixture
def applicant(db: None) -> User:
    """A citizen born 1990 (not 60 yet)."""
    return citizen_create(
        username="lisi",
        password="pw-citizen-1",
        real_name="李四",
        id_number=_valid_id("19900307"),
        mobile="13900139000",
    )


@pytest.fixture
def elder_applicant(db: None) -> User:
    return citizen_create(
        username="wangwu",
        password="pw-citizen-1",
        real_name="王五",
        id_number=_valid_id("19500101"),
        mobile="13700137000",
    )


@pytest.fixture
def other_citizen(db: None) -> User:
    return citizen_create(
        username="zhaoliu",
        password="pw-citizen-1",
        real_name="赵六",
        id_number=_valid_id("19851212"),
        mobile="13600136000",
    )


def _valid_id(birth: str, area: str = "110105", serial: str = "123") -> str:
    """A resident ID number with a correct check character."""
    from stdnum.cn import ric

    body = f"{area}{birth}{serial}"
    return body + ric.calc_check_digit(body + "0")


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


GOOD_ANSWERS = {"shop_name": "好味小馆", "area": "80", "category": "热食类"}


def draft_ready(
    applicant: User, matter: Matter, *, now: dt.datetime = NOW, situation: str = "Q1A"
) -> Application:
    """A complete food-licence draft: answers, the required uploads, 承诺 for M05, 容缺 for M04."""
    application = services.application_draft_create(
        applicant=applicant, matter_id=matter.pk, now=now
    )
    services.application_draft_update(
        user=applicant,
        application_id=application.pk,
        now=now,
        situation={"Q1": situation},
        answers={**GOOD_ANSWERS, "agent_name": "王代办"},
        delivery_method="ELECTRONIC",
    )
    for key in ("M01", "M02", "M03") if situation == "Q1B" else ("M01", "M02"):
        services.application_material_upload(
            user=applicant, application_id=application.pk, material_key=key, file=pdf(), now=now
        )
    for key, source in (("M04", "DEFICIENCY"), ("M05", "COMMITMENT")):
        services.application_material_choose(
            user=applicant, application_id=application.pk, material_key=key, source=source, now=now
        )
    application.refresh_from_db()
    return application


@pytest.fixture
def submitted(applicant: User, workflow_catalogue: dict[str, Matter]) -> Callable[..., Application]:
    """Make a RECEIVED food-licence case."""

    def make(now: dt.datetime = NOW) -> Application:
        draft = draft_ready(applicant, workflow_catalogue["food"], now=now)
        return services.application_submit(user=applicant, application_id=draft.pk, now=now)

    return make


# --- Helpers for the service-level test modules (appended; the fixtures above are unchanged) ----

# An hour after NOW: when the clerk accepts the case filed at NOW.
LATER = NOW + dt.timedelta(hours=1)


def at(day: str, hour: int = 10) -> dt.datetime:
    """An aware moment in Shanghai on an ISO day, e.g. at("2025-09-29")."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


def end_of(day: str) -> dt.datetime:
    """23:59:59 Shanghai time of an ISO day: where every deadline falls."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(23, 59, 59), tzinfo=SHANGHAI)


def matter_import(code_suffix: str, name: str, **version_overrides: Any) -> Matter:
    """Import one more published matter of the market department (e.g. with other form fields)."""
    catalogue_import(
        document=documents.document(documents.matter(code_suffix, name, **version_overrides))
    )
    return Matter.objects.get(catalog_code__endswith=code_suffix)


def simple_draft_ready(
    applicant: User,
    matter: Matter,
    *,
    now: dt.datetime = NOW,
    answers: dict[str, str] | None = None,
) -> Application:
    """A complete draft of a matter with the base materials (M01, M02) and situation Q1A; its form
    asks only what identity prefills unless `answers` adds more (elder card, 即办件, imports)."""
    application = services.application_draft_create(
        applicant=applicant, matter_id=matter.pk, now=now
    )
    services.application_draft_update(
        user=applicant,
        application_id=application.pk,
        now=now,
        situation={"Q1": "Q1A"},
        answers=answers or {},
        delivery_method="ELECTRONIC",
    )
    for key in ("M01", "M02"):
        services.application_material_upload(
            user=applicant, application_id=application.pk, material_key=key, file=pdf(), now=now
        )
    application.refresh_from_db()
    return application


def case_state(application_id: int) -> dict[str, object]:
    """Everything a refused call must leave as it was: the case row (with `updated_at`), its trail
    and the rows hanging off it."""
    application = Application.objects.get(pk=application_id)
    return {
        "row": {
            field.attname: getattr(application, field.attname)
            for field in Application._meta.concrete_fields
        },
        "events": list(
            ApplicationEvent.objects.filter(application_id=application_id)
            .order_by("pk")
            .values_list("pk", "kind")
        ),
        "materials": list(
            ApplicationMaterial.objects.filter(application_id=application_id)
            .order_by("pk")
            .values_list("pk", "material_key", "source", "superseded_at", "due_on")
        ),
        "notices": list(
            SupplementNotice.objects.filter(application_id=application_id)
            .order_by("pk")
            .values_list("pk", "status", "answered_at")
        ),
        "procedures": list(
            SpecialProcedure.objects.filter(application_id=application_id)
            .order_by("pk")
            .values_list("pk", "ended_at")
        ),
        "extensions": list(
            Extension.objects.filter(application_id=application_id).values_list("pk", "days")
        ),
    }


def event_kinds(application_id: int) -> list[str]:
    """The kinds of a case's trail, oldest first."""
    return list(
        ApplicationEvent.objects.filter(application_id=application_id)
        .order_by("at", "pk")
        .values_list("kind", flat=True)
    )


def stored_uploads(media_root: Path) -> list[str]:
    """The upload files in storage, relative to MEDIA_ROOT, sorted."""
    return sorted(
        str(path.relative_to(media_root))
        for path in (media_root / "applications").rglob("*")
        if path.is_file()
    )


@pytest.fixture
def media_root(settings: Settings, tmp_path: Path) -> Path:
    """A MEDIA_ROOT of this test's own, so file counts see no other test's uploads."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def accepted(submitted: Callable[..., Application], clerk: User) -> Callable[..., Application]:
    """Make a food-licence case filed at `now` and accepted an hour later (at its 审查 step)."""

    def make(now: dt.datetime = NOW) -> Application:
        application = submitted(now)
        return services.application_accept(
            user=clerk, application_id=application.pk, now=now + dt.timedelta(hours=1)
        )

    return make


# --- One catalogue, staff and citizens per module, for the modules with many tests ---------------
#
# Building the catalogue, the role groups and the accounts takes most of a test's time. A module
# that assigns `clerk = shared("clerk")` (and so on) gets the same objects as the fixtures above,
# built once per module inside a transaction that is rolled back after the module; each test still
# runs in its own savepoint, so nothing a test writes is seen by the next one. Tests must not
# change these objects in memory.


def _world_build() -> dict[str, Any]:
    """The objects of the function-scoped fixtures above, built the same way."""
    roles_sync()
    catalogue_import(document=workflow_document())
    catalogue = {
        "food": Matter.objects.get(catalog_code__endswith=FOOD_CODE_SUFFIX),
        "elder": Matter.objects.get(catalog_code__endswith=ELDER_CODE_SUFFIX),
        "immediate": Matter.objects.get(catalog_code__endswith=IMMEDIATE_CODE_SUFFIX),
    }
    market = Department.objects.get(uscc=documents.MARKET)
    health = Department.objects.get(uscc=documents.HEALTH)
    gone = _staff("gone", Role.WINDOW_CLERK, market)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    citizens = {
        "applicant": ("lisi", "李四", "19900307", "13900139000"),
        "elder_applicant": ("wangwu", "王五", "19500101", "13700137000"),
        "other_citizen": ("zhaoliu", "赵六", "19851212", "13600136000"),
    }
    return {
        "workflow_catalogue": catalogue,
        "market": market,
        "health": health,
        "clerk": _staff("clerk", Role.WINDOW_CLERK, market),
        "clerk2": _staff("clerk2", Role.WINDOW_CLERK, market),
        "reviewer": _staff("reviewer", Role.REVIEWER, market),
        "approver": _staff("approver", Role.APPROVER, market),
        "supervisor": _staff("supervisor", Role.SUPERVISOR, market),
        "outsider": _staff("outsider", Role.WINDOW_CLERK, health),
        "department_admin": _staff("deptadmin", Role.DEPARTMENT_ADMIN, market),
        "inactive_clerk": gone,
        **{
            name: citizen_create(
                username=username,
                password="pw-citizen-1",
                real_name=real_name,
                id_number=_valid_id(birth),
                mobile=mobile,
            )
            for name, (username, real_name, birth, mobile) in citizens.items()
        },
    }


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[dict[str, Any]]:
    """The shared objects of one module, rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _world_build()
        transaction.set_rollback(True)


def shared(name: str) -> Any:
    """A fixture called `name` that returns the module's shared object of that name."""

    @pytest.fixture(name=name)
    def fixture(world: dict[str, Any]) -> Any:
        return world[name]

    return fixture


def case_in(state: str, people: dict[str, Any], *, now: dt.datetime = NOW) -> Application:
    """A food-licence case of people["applicant"] brought to `state` through the services, one
    hour per step after `now`. `people` holds the fixtures' objects by name (e.g. `world`).

    States: draft, received, supplement_required, in_review (at 审查), suspended (at 审查),
    at_decision (决定, 容缺 caught up), owing (决定, 容缺 still owed), approved, rejected,
    completed, not_accepted, withdrawn, void.
    """
    applicant, clerk = people["applicant"], people["clerk"]
    reviewer, approver = people["reviewer"], people["approver"]
    hour = dt.timedelta(hours=1)
    draft = draft_ready(applicant, people["workflow_catalogue"]["food"], now=now)
    if state == "draft":
        return draft
    pk = draft.pk
    services.application_submit(user=applicant, application_id=pk, now=now)
    if state == "supplement_required":
        services.application_supplement_request(
            user=clerk,
            application_id=pk,
            now=now + hour,
            items=[{"kind": "material", "key": "M01", "reason": "申请表未签字"}],
        )
    elif state == "not_accepted":
        services.application_not_accept(
            user=clerk, application_id=pk, now=now + hour, kind="OTHER", reason="重复申请。"
        )
    elif state == "withdrawn":
        services.application_withdraw(user=applicant, application_id=pk, now=now + hour)
    elif state == "void":
        services.application_void(
            user=people["supervisor"], application_id=pk, now=now + hour, reason="误录。"
        )
    elif state != "received":
        services.application_accept(user=clerk, application_id=pk, now=now + hour)
    if state == "suspended":
        services.application_suspend(
            user=reviewer,
            application_id=pk,
            now=now + 2 * hour,
            kind="SITE_CHECK",
            reason="需现场核查经营场所。",
            expected_days=3,
        )
    if state in {"at_decision", "owing", "approved", "rejected", "completed"}:
        services.application_step_pass(
            user=reviewer, application_id=pk, now=now + 2 * hour, opinion="符合条件。"
        )
    if state in {"at_decision", "approved", "rejected", "completed"}:
        services.application_material_upload(
            user=applicant, application_id=pk, material_key="M04", file=pdf(), now=now + 2 * hour
        )
    if state in {"approved", "completed"}:
        services.application_approve(user=approver, application_id=pk, now=now + 3 * hour)
    if state == "rejected":
        services.application_reject(
            user=approver, application_id=pk, now=now + 3 * hour, reason="场所不符合要求。"
        )
    if state == "completed":
        services.application_deliver(user=clerk, application_id=pk, now=now + 4 * hour)
    return Application.objects.get(pk=pk)


CASE_STATES = (
    "draft", "received", "supplement_required", "in_review", "suspended", "at_decision", "owing",
    "approved", "rejected", "completed", "not_accepted", "withdrawn", "void",
)  # fmt: skip


@pytest.fixture(scope="module")
def cases(world: dict[str, Any]) -> dict[str, int]:
    """The id of one case in each state of `case_in`, built once per module with `world`. Each test
    runs in its own savepoint, so a test changing a case leaves it as it was for the next one."""
    return {state: case_in(state, world).pk for state in CASE_STATES}
