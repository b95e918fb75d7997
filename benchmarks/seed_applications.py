"""Seed the applications benchmark (benchmarks/applications.py): a small published catalogue with
application forms, staff and their department memberships, citizens, and a million 办件 written
with COPY.

The catalogue, the bench citizens and the clerk the benchmark signs in as go through the real
services (`catalogue_import`, `citizen_create`, `staff_create`, `roles_sync`). The bulk — 100,000
applicant accounts, a million applications and the reference counters — is written with COPY, the
way benchmarks/seed.py writes the catalogue: explicit primary keys, one fixed random seed, the
secondary indexes dropped during the load and built afterwards, foreign-key triggers off for the
load (`session_replication_role = replica`; the generator only writes keys that exist).

Every application follows a plausible life from its receipt to now: a 5-working-day intake window,
补正 on some, 不予受理 on a few, review steps over the matter's promised limit, 特别程序 and
extensions on some, a decision, delivery; withdrawn and voided cases; abandoned drafts; and a small
backlog of overdue cases. Deadlines are computed with the portal's working-day calendar
(`core.calendar`), at the end of their day, as the services set them.

Only for the benchmark database: it writes rows without going through the services.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from stdnum.cn import ric

from accounts.choices import Role, UserKind
from accounts.models import User
from accounts.services import citizen_create, roles_sync, staff_create
from applications.choices import Channel, DeliveryMethod, NotAcceptedKind, Status
from applications.models import Application, ApplicationEvent, ApplicationMaterial, ReferenceCounter
from applications.workflow import review_chain
from benchmarks.personal_data import Sealer
from benchmarks.seed import Table, copy_rows
from core import calendar
from core.crypto import blind_index, encrypt, json_canonical
from core.identifiers import compose_uscc
from matters.choices import CaseType
from matters.models import Department, DepartmentMembership, Matter, MatterVersion
from matters.services import catalogue_import

PASSWORD = "bench-Pw-2026-applications"  # noqa: S105 -- every signed-in bench account (≥ 10 characters)
CLERK_USERNAME = "bench-clerk"
CITIZEN_AREA = "440305"  # bench citizens (signed in); the seeded applicants use 440304
APPLICANT_AREA = "440304"

PROVINCE, CITY = "440000", "440300"
COUNTIES = (("440304", "福田区"), ("440305", "南山区"), ("440306", "宝安区"))

# (organisation code, name, short name, region, share of the applications).
# The first is the clerk's department: 10 % of the cases.
DEPARTMENTS: tuple[tuple[str, str, str, str, float], ...] = (
    ("AB00001", "深圳市市场监督管理局", "市市场监管局", CITY, 0.10),
    ("AB00002", "深圳市公安局", "市公安局", CITY, 0.22),
    ("AB00003", "深圳市人力资源和社会保障局", "市人社局", CITY, 0.18),
    ("AB00004", "深圳市住房和建设局", "市住建局", CITY, 0.14),
    ("AB00005", "深圳市卫生健康委员会", "市卫健委", CITY, 0.10),
    ("AB00006", "深圳市交通运输局", "市交通运输局", CITY, 0.08),
    ("AB00007", "深圳市民政局", "市民政局", CITY, 0.07),
    ("AB00008", "南山区市场监督管理局", "南山区市场监管局", "440305", 0.06),
    ("AB00009", "福田区教育局", "福田区教育局", "440304", 0.03),
    ("AB00010", "宝安区城市更新和土地整备局", "宝安区更新整备局", "440306", 0.02),
)
# The department of the two matters the HTTP journeys apply for (no seeded cases).
BENCH_DEPARTMENT = ("AB00011", "深圳市政务服务数据管理局", "市政数局", CITY)

# Four matters per department; the one marked True is a 即办件 (decided at the window).
MATTER_NAMES: tuple[tuple[tuple[str, bool], ...], ...] = (
    (("食品经营许可", False), ("药品零售企业许可", False), ("特种设备使用登记", False), ("个体工商户设立登记", True)),
    (("机动车驾驶证换证", False), ("户口迁移审批", False), ("居住证申领", False), ("出入境证件签注", True)),
    (("社会保障卡补办", True), ("失业保险金申领", False), ("职业技能等级证书核发", False), ("工伤认定申请", False)),
    (("建筑工程施工许可", False), ("商品房预售许可", False), ("住房公积金提取", True), ("物业服务企业备案", False)),
    (("医疗机构执业登记", False), ("放射诊疗许可", False), ("公共场所卫生许可", False), ("出生医学证明补发", True)),
    (("道路运输经营许可", False), ("出租汽车驾驶员从业资格", False), ("网约车运输证核发", False), ("占用道路施工许可", True)),
    (("婚姻登记", True), ("老年人优待证办理", False), ("社会团体成立登记", False), ("最低生活保障申请", False)),
    (("食品小作坊登记", False), ("个体工商户变更登记", True), ("广告发布登记", False), ("计量器具检定", False)),
    (("民办学校办学许可", False), ("教师资格认定", False), ("校外培训机构登记", False), ("义务教育入学申请", True)),
    (("临时用地审批", False), ("建设用地规划许可", False), ("城市更新单元计划", False), ("土地整备补偿确认", True)),
)  # fmt: skip
PROMISED_LIMITS = (5, 10, 15, 3)  # working days, by matter position (a 即办件 has 0)

FORM_MATTER_SUFFIX = "19901000"  # form only, every material optional
UPLOAD_MATTER_SUFFIX = "19902000"  # two required uploads

FORM_FIELDS: list[dict[str, Any]] = [
    {"key": "name", "order": 1, "label": "申请人姓名", "field_type": "TEXT", "prefill": "NAME"},
    {"key": "id_number", "order": 2, "label": "公民身份号码", "field_type": "ID_NUMBER", "prefill": "ID_NUMBER"},
    {"key": "mobile", "order": 3, "label": "手机号码", "field_type": "MOBILE", "prefill": "MOBILE"},
    {"key": "shop_name", "order": 4, "label": "店铺名称", "field_type": "TEXT", "min_length": 2, "max_length": 30},
    {"key": "area", "order": 5, "label": "经营面积（平方米）", "field_type": "NUMBER", "min_value": "1", "max_value": "10000"},
    {"key": "category", "order": 6, "label": "经营类别", "field_type": "CHOICE", "choices": ["热食类", "冷食类", "饮品"]},
    {"key": "open_on", "order": 7, "label": "开业日期", "field_type": "DATE", "required": False},
    {"key": "agent_name", "order": 8, "label": "受托人姓名", "field_type": "TEXT", "visible_when": "Q1=Q1B"},
]  # fmt: skip
# What a bench citizen types in the form (PATCH); name, ID number and mobile are prefilled.
ANSWERS = {"shop_name": "好味小馆", "area": "80", "category": "热食类", "open_on": "2027-01-04"}
SITUATION = {"Q1": "Q1A"}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文博宇浩然欣怡子涵梓轩"

CST = dt.timezone(dt.timedelta(hours=8))
HISTORY_DAYS = 3 * 365  # received over the last three years
APPLICANTS = 100_000  # citizen accounts the seeded cases belong to


# --------------------------------------------------------------------------------------------
# The catalogue document
# --------------------------------------------------------------------------------------------


def department_code(region: str, serial: str) -> str:
    return compose_uscc(registration="11", region=region, organisation=serial.ljust(8, "0")[:8])


def _material(
    key: str, order: int, name: str, necessity: str, optional_case: str = ""
) -> dict[str, Any]:
    return {
        "key": key, "order": order, "name": name, "material_type": "1", "material_form": "2",
        "necessity": necessity, "optional_case": optional_case, "original_copies": 1,
        "copy_copies": 0, "paper_format": "A4", "source": "10", "source_explain": "", "issuer": "",
        "fill_explain": "", "acceptance_standard": "信息完整、清晰", "legal_basis": "",
        "certificate_type": "", "blank_form": None, "sample": None,
    }  # fmt: skip


def _step(order: int, name: str, kind: str, role: str = "", limit: int = 1) -> dict[str, Any]:
    return {
        "order": order, "name": name, "kind": kind, "role": role, "handler": "业务科室",
        "time_limit": limit, "unit": "WD", "has_special": False, "special_explain": "",
    }  # fmt: skip


SITUATIONS: list[dict[str, Any]] = [
    {
        "key": "Q1", "order": 1, "text": "由谁办理？", "help": "",
        "options": [
            {"key": "Q1A", "order": 1, "label": "本人办理", "materials": [], "conditions": ""},
            {"key": "Q1B", "order": 2, "label": "委托他人办理", "materials": ["M03"],
             "conditions": "受托人须持本人有效身份证件。"},
        ],
    }
]  # fmt: skip


def _version(
    name: str, *, immediate: bool, promised: int, chain: int, **extra: Any
) -> dict[str, Any]:
    steps = [_step(1, "受理", "INTAKE", limit=1)]
    if immediate:
        steps.append(_step(2, "当场办结", "DECISION", Role.WINDOW_CLERK, 0))
    elif chain == 3:
        steps += [_step(2, "初审", "REVIEW", Role.REVIEWER, 3), _step(3, "复审", "REVIEW", Role.REVIEWER, 3),
                  _step(4, "决定", "DECISION", Role.APPROVER, 2)]  # fmt: skip
    else:
        steps += [
            _step(2, "审查", "REVIEW", Role.REVIEWER, 3),
            _step(3, "决定", "DECISION", Role.APPROVER, 2),
        ]
    steps.append(_step(len(steps) + 1, "送达", "DELIVERY", limit=1))
    data: dict[str, Any] = {
        "number": 1, "status": "PUBLISHED", "published_at": "2025-01-02T09:00:00+08:00",
        "name": name, "short_name": "", "aliases": [], "summary": f"{name}的办事指南。",
        "matter_type": "01", "exercise_level": "3", "power_source": "法定本级行使",
        "service_objects": ["1"], "handling_forms": ["1", "2"],
        "case_type": "1" if immediate else "2", "joint_mode": "NONE",
        "statutory_limit": 20, "statutory_unit": "WD", "statutory_explain": "《行政许可法》第四十二条",
        "promised_limit": 0 if immediate else promised, "promised_unit": "WD", "promised_explain": "",
        "special_procedure": "无", "visits_required": 0, "visits_explain": "",
        "is_online": True, "online_depth": "4", "supports_express": True,
        "supports_appointment": False, "appointment_rule": "", "supports_self_service": False,
        "handle_area": "", "legal_basis": "《中华人民共和国行政许可法》第二十九条",
        "conditions": "1. 申请人具有完全民事行为能力。\n2. 材料真实有效。",
        "quantity_limit": "无数量限制", "process_description": "网上申请→受理→审查→决定→送达",
        "is_fee": False, "fee_basis": "", "pay_online": False, "result_type": "LICENCE",
        "result_name": f"{name}结果", "result_is_electronic": True, "result_certificate_type": "",
        "result_delivery": "电子送达", "address": "深圳市民中心B区行政服务大厅",
        "office_hours": "周一至周五 9:00-12:00 14:00-18:00", "consult_phone": "0755-12345678",
        "consult_ways": "电话咨询", "complaint_phone": "12345", "complaint_ways": "12345热线",
        "review_authority": "深圳市人民政府", "review_phone": "",
        "litigation_court": "深圳市福田区人民法院", "rights_and_duties": "",
        "topics": [], "life_events": [],
        "materials": [
            _material("M01", 1, "申请表", "1"),
            _material("M02", 2, "居民身份证", "1"),
            _material("M03", 3, "授权委托书", "2", "委托他人办理时提供"),
        ],
        "fees": [], "steps": steps,
        "faqs": [{"order": 1, "question": "可以网上办理吗？", "answer": "可以。"}],
        "situations": SITUATIONS, "form_fields": FORM_FIELDS,
    }  # fmt: skip
    data.update(extra)
    return data


def _matter(department: str, suffix: str, version: dict[str, Any]) -> dict[str, Any]:
    catalog = f"0001{suffix}"
    return {
        "implementation_code": department + "3" + catalog, "catalog_code": catalog,
        "local_catalog_code": "", "local_implementation_code": "", "department": department,
        "region": CITY, "status": "IN_USE", "versions": [version],
    }  # fmt: skip


def catalogue_document() -> dict[str, Any]:
    """10 departments × 4 matters for the seeded cases, and the two bench matters."""
    departments = [
        {"uscc": department_code(region, serial), "name": name, "short_name": short,
         "region": region, "kind": "1", "address": "深圳市", "phone": "0755-88888888",
         "office_hours": "", "website": ""}
        for serial, name, short, region, _share in (*DEPARTMENTS, (*BENCH_DEPARTMENT, 0.0))
    ]  # fmt: skip
    matters = []
    for d, (serial, _name, _short, region, _share) in enumerate(DEPARTMENTS):
        code = department_code(region, serial)
        for m, (name, immediate) in enumerate(MATTER_NAMES[d]):
            version = _version(
                name, immediate=immediate, promised=PROMISED_LIMITS[m], chain=3 if m == 1 else 2
            )
            matters.append(_matter(code, f"1{d:02d}{m:02d}000", version))
    bench = department_code(BENCH_DEPARTMENT[3], BENCH_DEPARTMENT[0])
    optional = [
        _material("M01", 1, "申请表（已在线填写的可不提供）", "2", "未在线填写申请表时提供"),
        _material("M02", 2, "经营场所照片", "2", "场所已登记的不需提供"),
        _material("M03", 3, "授权委托书", "2", "委托他人办理时提供"),
    ]
    matters.append(
        _matter(
            bench,
            FORM_MATTER_SUFFIX,
            _version(
                "小餐饮经营备案（表单）", immediate=False, promised=5, chain=2, materials=optional
            ),
        )
    )
    matters.append(_matter(bench, UPLOAD_MATTER_SUFFIX, _version("小餐饮经营备案（上传材料）", immediate=False, promised=5, chain=2)))  # fmt: skip
    return {
        "format": "tongban-catalogue", "format_version": 1,
        "regions": [
            {"code": PROVINCE, "name": "广东省", "level": "PROVINCE", "parent": None},
            {"code": CITY, "name": "深圳市", "level": "CITY", "parent": PROVINCE},
            *({"code": c, "name": n, "level": "COUNTY", "parent": CITY} for c, n in COUNTIES),
        ],
        "departments": departments, "topics": [], "life_events": [], "synonyms": [],
        "matters": matters,
    }  # fmt: skip


def bench_matter_codes() -> tuple[str, str]:
    """(form-only matter, matter with two required uploads): implementation codes."""
    bench = department_code(BENCH_DEPARTMENT[3], BENCH_DEPARTMENT[0])
    return f"{bench}30001{FORM_MATTER_SUFFIX}", f"{bench}30001{UPLOAD_MATTER_SUFFIX}"


def clerk_department() -> Department:
    serial, _name, _short, region, _share = DEPARTMENTS[0]
    return Department.objects.get(uscc=department_code(region, serial))


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------


def resident_id(area: str, index: int) -> str:
    """A valid resident ID number (checksum, and a district that existed at birth), unique per
    (area, index < 6,500,000)."""
    born = dt.date(1985, 1, 1) + dt.timedelta(days=index % 7_300)  # the districts exist since
    body = f"{area}{born:%Y%m%d}{100 + index // 7_300:03d}"
    return body + ric.calc_check_digit(body + "0")


@dataclass(frozen=True)
class Citizen:
    pk: int
    account: str  # what they sign in with: the ID number


def citizens_ensure(count: int) -> list[Citizen]:
    """Bench citizens 0 … count-1, created with `accounts.services.citizen_create` when missing."""
    out = []
    for i in range(count):
        number = resident_id(CITIZEN_AREA, i)
        user = User.objects.filter(id_number_index=blind_index(number, kind="id_number")).first()
        if user is None:
            user = citizen_create(
                password=PASSWORD,
                real_name=SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 3) % len(GIVEN)],
                id_number=number,
                mobile=f"199{i:08d}",
            )  # fmt: skip
        out.append(Citizen(pk=user.pk, account=number))
    return out


@dataclass
class Staff:
    clerks: dict[int, list[int]] = field(default_factory=dict)  # department pk → user pks
    by_role: dict[tuple[int, str], list[int]] = field(default_factory=dict)


def staff_seed(department_ids: Sequence[int]) -> Staff:
    """The bench clerk (staff_create: a window clerk of the first department) and, per department,
    2 window clerks, 2 reviewers, 1 approver, 1 supervisor, with their memberships. The others share
    one password hash (hashed once: PBKDF2 costs ~0.25 s each)."""
    groups = roles_sync()
    clerk = staff_create(
        username=CLERK_USERNAME, password=PASSWORD, real_name="窗口张三", roles=[Role.WINDOW_CLERK]
    )
    DepartmentMembership.objects.create(
        user=clerk, department_id=department_ids[0], role=Role.WINDOW_CLERK
    )
    staff = Staff()
    staff.by_role[(department_ids[0], Role.WINDOW_CLERK)] = [clerk.pk]
    hashed = make_password(PASSWORD)
    plan = ((Role.WINDOW_CLERK, 2), (Role.REVIEWER, 2), (Role.APPROVER, 1), (Role.SUPERVISOR, 1))
    users: list[tuple[User, int, Role]] = []
    for d, department_id in enumerate(department_ids):
        for role, count in plan:
            for n in range(count):
                if d == 0 and role == Role.WINDOW_CLERK and n == 0:
                    continue  # the bench clerk
                name = SURNAMES[(d * 7 + n) % len(SURNAMES)] + GIVEN[(d + n * 5) % len(GIVEN)]
                user = User(
                    username=f"bench-{role.lower()}-{d}-{n}", password=hashed, real_name=name,
                    kind=UserKind.STAFF, is_staff=True,
                )  # fmt: skip
                users.append((user, department_id, role))
    User.objects.bulk_create([u for u, _d, _r in users])
    through = User.groups.through
    through.objects.bulk_create(through(user_id=u.pk, group_id=groups[r].pk) for u, _d, r in users)
    DepartmentMembership.objects.bulk_create(
        DepartmentMembership(user=u, department_id=d, role=r) for u, d, r in users
    )
    for user, department_id, role in users:
        staff.by_role.setdefault((department_id, role), []).append(user.pk)
    for department_id in department_ids:
        staff.clerks[department_id] = staff.by_role[(department_id, Role.WINDOW_CLERK)]
    return staff


# --------------------------------------------------------------------------------------------
# A million applications
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatterInfo:
    pk: int
    version_pk: int
    department_pk: int
    code: str
    immediate: bool
    promised: int
    statutory: int
    chain_roles: tuple[str, ...]


@cache
def _wd(day: dt.date, days: int) -> dt.date:
    return calendar.add_working_days(day, days)


def _eod(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=CST)


def _local(moment: dt.datetime) -> dt.date:
    return moment.astimezone(CST).date()


def _after_wd(moment: dt.datetime, days: int) -> dt.datetime:
    return _eod(_wd(_local(moment), days))


def _days(rng: random.Random, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(days=rng.uniform(low, high))


@dataclass
class SeedReport:
    rows: dict[str, int] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class CaseMaker:
    """One application row (as a dict of attnames) per call, from a plausible life up to `now`."""

    def __init__(
        self,
        rng: random.Random,
        now: dt.datetime,
        matters: dict[int, list[MatterInfo]],
        staff: Staff,
        applicants: list[Applicant],
    ) -> None:
        self.rng, self.now = rng, now
        self.matters, self.staff, self.applicants = matters, staff, applicants
        self.references: dict[tuple[int, dt.date], int] = {}
        self.query_numbers: dict[dt.date, int] = {}
        self.sealed_answers: dict[tuple[str, bool], str] = {}

    def _answers(self, name: str, id_number: str, mobile: str, *, filled: bool) -> str:
        """The stored answers (EncryptedJSONField: a token of the canonical JSON), encrypted once
        per applicant and form state, as the token decrypts the same wherever it is reused."""
        key = (id_number, filled)
        token = self.sealed_answers.get(key)
        if token is None:
            answers = {"name": name, "id_number": id_number, "mobile": mobile}
            if filled:
                answers |= {"shop_name": "好味小馆", "area": "80", "category": "热食类"}
            token = self.sealed_answers[key] = encrypt(json_canonical(answers))
        return token

    def _reference(self, matter: MatterInfo, at: dt.datetime) -> tuple[str, str]:
        day = _local(at)
        seq = self.references.get((matter.pk, day), 0) + 1
        self.references[(matter.pk, day)] = seq
        n = self.query_numbers.get(day, 0) + 1
        self.query_numbers[day] = n
        scrambled = (n * 7_919 + 104_729) % 1_000_000  # a bijection: unique per day
        return f"{matter.code}{day:%Y%m%d}{seq:06d}", f"{day:%y%m%d}{scrambled:06d}"

    def _pick(self, department_pk: int, role: str) -> int | None:
        people = self.staff.by_role.get((department_pk, role))
        return self.rng.choice(people) if people else None

    def make(self, department_pk: int) -> dict[str, Any]:
        rng, now = self.rng, self.now
        matter = rng.choice(self.matters[department_pk])
        user_pk, name, id_number, mobile, id_number_token, mobile_token = rng.choice(
            self.applicants
        )
        row: dict[str, Any] = {
            "matter_id": matter.pk, "version_id": matter.version_pk, "department_id": department_pk,
            "applicant_id": user_pk, "applicant_name": name, "applicant_id_number": id_number_token,
            "applicant_mobile": mobile_token, "filed_by_id": user_pk, "channel": Channel.ONLINE,
            "situation": '{"Q1": "Q1A"}', "step_count": len(matter.chain_roles),
            "delivery_method": DeliveryMethod.ELECTRONIC, "outcome": "",
        }  # fmt: skip
        if rng.random() < 0.04:  # an abandoned or unfinished draft of the last 90 days
            created = now - _days(rng, 0, 90)
            row.update(status=Status.DRAFT, created_at=created, updated_at=created,
                       answers=self._answers(name, id_number, mobile, filled=False),
                       delivery_method="")  # fmt: skip
            return row
        row["answers"] = self._answers(name, id_number, mobile, filled=True)
        received = now - _days(rng, 0, HISTORY_DAYS)
        if rng.random() < 0.2:  # 一窗受理: filed by a clerk of the department
            row["channel"] = Channel.WINDOW
            row["filed_by_id"] = rng.choice(self.staff.clerks[department_pk])
            row["delivery_method"] = DeliveryMethod.WINDOW
            if rng.random() < 0.3:
                row["applicant_id"] = None  # walk-in without a portal account
        row["reference"], row["query_no"] = self._reference(matter, received)
        row["created_at"] = received - _days(rng, 0, 2)
        status, fields, last = self._life(matter, received, department_pk)
        row.update(fields)
        row["status"] = status
        if status in (Status.IN_REVIEW, Status.SUSPENDED):  # the current step's clock (电子监察)
            row["step_started_at"] = row["accepted_at"]
        row["updated_at"] = min(last, now)
        return row

    def _life(
        self, matter: MatterInfo, received: dt.datetime, department_pk: int
    ) -> tuple[str, dict[str, Any], dt.datetime]:
        """Walk the case forward from its receipt; stop at `now`. Returns status, fields, last change."""
        rng, now = self.rng, self.now
        f: dict[str, Any] = {"received_at": received, "intake_deadline": _after_wd(received, 5)}
        # A small backlog: recent cases that stall in review or before delivery (overdue).
        stuck = rng.random() < 0.04 and now - received < dt.timedelta(days=120)
        withdraw_at = received + _days(rng, 0.5, 30) if rng.random() < 0.03 else None
        void_at = received + _days(rng, 1, 40) if rng.random() < 0.004 else None

        def closed(
            at: dt.datetime, status: str, **extra: Any
        ) -> tuple[str, dict[str, Any], dt.datetime]:
            f.update(closed_at=at, intake_deadline=None, **extra)
            return status, f, at

        def cut(at: dt.datetime) -> tuple[str, dict[str, Any], dt.datetime] | None:
            for moment, status in ((withdraw_at, Status.WITHDRAWN), (void_at, Status.VOID)):
                if moment is not None and moment <= at and moment <= now:
                    reason = "申请人撤回" if status == Status.WITHDRAWN else "重复申报，作废"
                    return closed(moment, status, decision_reason=reason)
            return None

        # Intake: 补正 (6 %), 不予受理 (3 %), accepted within the 5 working days (or deemed).
        decided_intake = received + _days(rng, 0.05, 5.5)
        if rng.random() < 0.06:
            if decided_intake > now:
                return Status.RECEIVED, f, received
            if (c := cut(decided_intake)) is not None:
                return c
            f["intake_deadline"] = None
            answered = decided_intake + _days(rng, 1, 15)
            if rng.random() < 0.25 or answered > now:  # never answered, or not yet
                expires = _after_wd(decided_intake, 20)
                if expires > now:
                    return Status.SUPPLEMENT_REQUIRED, f, decided_intake
                return closed(expires, Status.RETURNED)
            received = answered
            f.update(received_at=answered, intake_deadline=_after_wd(answered, 5))
            decided_intake = answered + _days(rng, 0.05, 4)
        if decided_intake > now:
            return Status.RECEIVED, f, received
        if (c := cut(decided_intake)) is not None:
            return c
        if rng.random() < 0.03:
            kind = rng.choice(NotAcceptedKind.values)
            return closed(decided_intake, Status.NOT_ACCEPTED, not_accepted_kind=kind,
                          decision_reason=str(NotAcceptedKind(kind).label) + "。")  # fmt: skip
        accepted = decided_intake
        f.update(accepted_at=accepted, intake_deadline=None, step_index=0)
        if stuck and rng.random() < 0.7:  # stalls in review
            f.update(
                self._deadlines(matter, accepted, 0, 0),
                step_index=rng.randrange(len(matter.chain_roles)),
            )
            f["assignee_id"] = self._pick(department_pk, matter.chain_roles[f["step_index"]])
            return Status.IN_REVIEW, f, accepted
        # Review over the promised limit (calendar days ≈ working days × 1.4), 特别程序 on 2 %.
        paused = 0
        extension = 10 if not matter.immediate and rng.random() < 0.01 else 0
        span = 0.0 if matter.immediate else matter.promised * 1.4 * rng.uniform(0.2, 1.05)
        special = not matter.immediate and rng.random() < 0.02
        decided = accepted + dt.timedelta(days=span)
        if special:
            pause_start = accepted + dt.timedelta(days=span * rng.random())
            pause_days = rng.uniform(5, 30)
            if pause_start <= now < pause_start + dt.timedelta(days=pause_days):
                f.update(self._deadlines(matter, accepted, 0, extension))
                f.update(
                    step_index=rng.randrange(len(matter.chain_roles)), extension_days=extension
                )
                return Status.SUSPENDED, f, pause_start
            paused = max(1, round(pause_days * 5 / 7))
            decided += dt.timedelta(days=pause_days)
        f.update(self._deadlines(matter, accepted, paused, extension),
                 paused_working_days=paused, extension_days=extension)  # fmt: skip
        if decided > now:
            if (c := cut(now)) is not None:
                return c
            steps = len(matter.chain_roles)
            index = min(
                steps - 1,
                int((now - accepted) / max(decided - accepted, dt.timedelta(seconds=1)) * steps),
            )
            f.update(step_index=index)
            if rng.random() < 0.6:
                f["assignee_id"] = self._pick(department_pk, matter.chain_roles[index])
            return Status.IN_REVIEW, f, accepted
        if (c := cut(decided)) is not None:
            return c
        f["step_index"] = len(matter.chain_roles) - 1
        approved = rng.random() < 0.93
        f["outcome"] = Status.APPROVED if approved else Status.REJECTED  # kept once completed
        f.update(decided_at=decided, delivery_deadline=_after_wd(decided, 10),
                 decision_reason="符合法定条件、标准，准予许可。" if approved else "申请材料不符合法定条件，不予许可。")  # fmt: skip
        if not approved:
            f["remedy_text"] = "如不服本决定，可以自知道该决定之日起六十日内申请行政复议。"
        status = Status.APPROVED if approved else Status.REJECTED
        delivered = decided + _days(rng, 0.01, 6)
        if delivered > now or stuck:
            return status, f, decided
        f["completed_at"] = delivered
        return Status.COMPLETED, f, delivered

    @staticmethod
    def _deadlines(
        matter: MatterInfo, accepted: dt.datetime, paused: int, extension: int
    ) -> dict[str, Any]:
        day = _local(accepted)
        if matter.immediate:
            return {"promise_deadline": _eod(day), "legal_deadline": _eod(day)}
        return {
            "promise_deadline": _eod(_wd(_wd(day, matter.promised), paused)),
            "legal_deadline": _eod(_wd(_wd(day, matter.statutory), paused + extension)),
        }


def _matter_infos() -> dict[int, list[MatterInfo]]:
    out: dict[int, list[MatterInfo]] = {}
    versions = (
        MatterVersion.objects.filter(status="PUBLISHED")
        .select_related("matter")
        .prefetch_related("steps")
    )
    bench = set(bench_matter_codes())
    for v in versions:
        if v.matter.implementation_code in bench:
            continue
        chain = tuple(s.role for s in review_chain(v))
        info = MatterInfo(
            pk=v.matter.pk, version_pk=v.pk, department_pk=v.matter.department_id,
            code=v.matter.implementation_code, immediate=v.case_type == CaseType.IMMEDIATE,
            promised=v.promised_limit or 0, statutory=v.statutory_limit or 20, chain_roles=chain,
        )  # fmt: skip
        out.setdefault(info.department_pk, []).append(info)
    return out


# (user pk, name, ID number, mobile, and the stored tokens of the two: one encryption per person).
Applicant = tuple[int, str, str, str, str, str]


def _applicant_rows(first_pk: int, sealer: Sealer) -> Iterator[tuple[dict[str, Any], Applicant]]:
    """The applicant accounts as stored: ID number and mobile encrypted, with their blind indexes."""
    rng = random.Random(7)
    joined = dt.datetime(2023, 6, 1, tzinfo=CST)
    for i in range(APPLICANTS):
        pk = first_pk + i
        name = (
            rng.choice(SURNAMES)
            + rng.choice(GIVEN)
            + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        )
        number = resident_id(APPLICANT_AREA, i)
        mobile = f"13{rng.randrange(5, 10)}{i:08d}"
        number_token, mobile_token = sealer.token(number), sealer.token(mobile)
        user = {
            "id": pk, "password": "!", "username": f"a{i:07d}", "kind": UserKind.CITIZEN,
            "real_name": name, "id_number": number_token,
            "id_number_index": sealer.index(number, kind="id_number"),
            "mobile": mobile_token, "mobile_index": sealer.index(mobile, kind="mobile"),
            "date_joined": joined,
        }  # fmt: skip
        yield user, (pk, name, number, mobile, number_token, mobile_token)


class SecondaryIndexes:
    """Drop a table's unique constraints and secondary indexes for a bulk load; build them again."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.restore: list[str] = []

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'u'",
                [self.table],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [self.table, self.table],
            )
            indexes = cursor.fetchall()
            for name, _definition in constraints:
                cursor.execute(f'ALTER TABLE "{self.table}" DROP CONSTRAINT "{name}"')
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        self.restore = [d for _n, d in indexes] + [
            f'ALTER TABLE "{self.table}" ADD CONSTRAINT "{n}" {d}' for n, d in constraints
        ]

    def build(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for statement in self.restore:
                cursor.execute(statement)
            cursor.execute("RESET maintenance_work_mem")


def seed(total: int, *, rng_seed: int = 20_261_122) -> SeedReport:
    """Write the catalogue, the staff, 100,000 applicants and `total` applications into the
    (freshly migrated, empty) current database."""
    report = SeedReport()
    started = time.perf_counter()
    t0 = time.perf_counter()
    with transaction.atomic():
        catalogue_import(document=catalogue_document())
    report.phases["catalogue_import (42 matters, 11 departments)"] = time.perf_counter() - t0
    department_pks = [
        Department.objects.get(uscc=department_code(region, serial)).pk
        for serial, _n, _s, region, _share in DEPARTMENTS
    ]
    t0 = time.perf_counter()
    with transaction.atomic():
        staff = staff_seed(department_pks)
    report.rows["staff"] = sum(len(v) for v in staff.by_role.values())
    report.phases["staff and memberships (staff_create + bulk)"] = time.perf_counter() - t0
    matters = _matter_infos()
    now = timezone.now().astimezone(CST).replace(microsecond=0)
    rng = random.Random(rng_seed)
    tables = {m: Table(m) for m in (User, Application, ReferenceCounter)}
    applications = SecondaryIndexes(Application._meta.db_table)
    users = SecondaryIndexes(User._meta.db_table)
    generate = write = 0.0
    with transaction.atomic(), connection.cursor() as cursor:
        # No foreign-key triggers while loading: the generator writes only keys that exist.
        cursor.execute("SET LOCAL session_replication_role = replica")
        t0 = time.perf_counter()
        applications.drop()
        users.drop()
        first_user = int(User.objects.order_by("-pk").values_list("pk", flat=True)[0]) + 1
        pairs = list(_applicant_rows(first_user, Sealer()))
        applicants = [p for _u, p in pairs]
        t1 = time.perf_counter()
        report.rows["applicant accounts"] = copy_rows(
            tables[User], (tables[User].row(u) for u, _p in pairs)
        )
        generate += t1 - t0
        write += time.perf_counter() - t1
        maker = CaseMaker(rng, now, matters, staff, applicants)
        shares = [share for *_rest, share in DEPARTMENTS]
        batch = 50_000
        table = tables[Application]
        for start in range(0, total, batch):
            t0 = time.perf_counter()
            size = min(batch, total - start)
            chosen = rng.choices(department_pks, weights=shares, k=size)
            rows = []
            for offset, department_pk in enumerate(chosen):
                values = maker.make(department_pk)
                values["id"] = start + offset + 1
                report.statuses[values["status"]] = report.statuses.get(values["status"], 0) + 1
                rows.append(table.row(values))
            t1 = time.perf_counter()
            copy_rows(table, rows)
            generate += t1 - t0
            write += time.perf_counter() - t1
        report.rows["applications"] = total
        counter_rows = [
            tables[ReferenceCounter].row({"id": i, "matter_id": m, "day": d, "last": n})
            for i, ((m, d), n) in enumerate(sorted(maker.references.items()), 1)
        ]
        report.rows["reference counters"] = copy_rows(tables[ReferenceCounter], counter_rows)
        report.phases["generate rows (Python)"] = generate
        report.phases["COPY (PostgreSQL)"] = write
        t0 = time.perf_counter()
        applications.build()
        users.build()
        report.phases["build the secondary indexes"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [User, Application, ReferenceCounter]
        ):
            cursor.execute(statement)
        for model in (User, Application, ReferenceCounter):
            cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')
        cursor.execute("ANALYZE")  # the catalogue's and the staff tables too
    report.phases["sequence reset + VACUUM ANALYZE"] = time.perf_counter() - t0
    report.seconds = time.perf_counter() - started
    return report


# --------------------------------------------------------------------------------------------
# Between runs
# --------------------------------------------------------------------------------------------


def bench_matters() -> list[Matter]:
    return list(Matter.objects.filter(implementation_code__in=bench_matter_codes()))


def bench_cases_delete() -> int:
    """Delete the applications earlier runs filed for the two bench matters (their materials and
    events too: the append-only trigger is bypassed with `session_replication_role`, which only
    a superuser may set — this is the benchmark database). Returns how many were deleted."""
    matter_ids = [m.pk for m in bench_matters()]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        ids = "SELECT id FROM applications_application WHERE matter_id = ANY(%s)"
        cursor.execute(
            f"DELETE FROM {ApplicationMaterial._meta.db_table} WHERE application_id IN ({ids})",  # noqa: S608
            [matter_ids],
        )
        cursor.execute(
            f"DELETE FROM {ApplicationEvent._meta.db_table} WHERE application_id IN ({ids})",  # noqa: S608
            [matter_ids],
        )
        cursor.execute(
            f"DELETE FROM {ReferenceCounter._meta.db_table} WHERE matter_id = ANY(%s)",  # noqa: S608
            [matter_ids],
        )
        cursor.execute(
            "DELETE FROM applications_application WHERE matter_id = ANY(%s)", [matter_ids]
        )
        deleted = int(cursor.rowcount)
        cursor.execute("DELETE FROM django_session")
    return deleted


def drafts_clone(templates: dict[int, int], copies: int) -> dict[int, list[int]]:
    """`copies` complete drafts per citizen, cloned in SQL from the draft that citizen created
    and filled through the API (`templates`: citizen pk → application pk). Returns citizen pk →
    new draft ids."""
    columns = [
        f.column
        for f in Application._meta.concrete_fields
        if f.column not in ("id", "created_at", "updated_at", "client_key")
    ]
    names = ", ".join(f'"{c}"' for c in columns)
    out: dict[int, list[int]] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for citizen_pk, template in templates.items():
            cursor.execute(
                f"INSERT INTO applications_application ({names}, created_at, updated_at, client_key) "  # noqa: S608
                f"SELECT {names}, now(), now(), '' FROM applications_application a, "
                "generate_series(1, %s) WHERE a.id = %s AND a.status = 'DRAFT' RETURNING id",
                [copies, template],
            )
            out[citizen_pk] = [int(r[0]) for r in cursor.fetchall()]
    return out


def pdf_document(size: int = 100_000, *, seed: int = 1) -> bytes:
    """A valid one-page PDF of about `size` bytes: a grey-scale image of random pixels (as a scan
    is: incompressible), drawn on an A4 page, with a correct cross-reference table."""
    rng = random.Random(seed)
    width = 400
    height = max(1, (size - 900) // width)
    pixels = rng.randbytes(width * height)
    content = f"q {width * 0.9:.0f} 0 0 {height * 0.9:.0f} 60 300 cm /Im1 Do Q\n".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n"
        % (width, height, len(pixels))
        + pixels
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def staff_device(user: User) -> Any:
    """A confirmed TOTP device (as after enrolment) for a bench staff account, so the benchmark
    can pass the second factor by computing the codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import DEVICE_NAME

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)


def totp_code(username: str, at: float | None = None) -> str:
    """The code the member's authenticator app shows now (or at `at`, a Unix time)."""
    from django_otp.oath import TOTP

    device = staff_device(User.objects.get(username=username))
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():0{device.digits}d}"
