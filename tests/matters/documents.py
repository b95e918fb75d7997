"""Small, valid catalogue documents for tests, built fresh each time so a test may spoil its copy."""

import base64
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection

from core.identifiers import compose_uscc
from matters.models import (
    Department,
    Faq,
    Fee,
    LifeEvent,
    Material,
    Matter,
    MatterVersion,
    ProcessStep,
    Region,
    SituationOption,
    SituationQuestion,
    Synonym,
    Topic,
)

PROVINCE, CITY, COUNTY = "440000", "440300", "440305"


def department_code(region: str, serial: str) -> str:
    """A checksum-valid USCC of a government organ ("11" + region + organisation code + check)."""
    return compose_uscc(registration="11", region=region, organisation=serial.ljust(8, "0")[:8])


MARKET = department_code(CITY, "MB00001")
HEALTH = department_code(COUNTY, "MB00002")


def version(name: str, **overrides: Any) -> dict[str, Any]:
    """A complete, publishable version."""
    data: dict[str, Any] = {
        "number": 1,
        "status": "PUBLISHED",
        "published_at": "2025-01-02T09:00:00+08:00",
        "name": name,
        "short_name": "",
        "aliases": [],
        "summary": f"{name}的办事指南。",
        "matter_type": "01",
        "exercise_level": "3",
        "power_source": "法定本级行使",
        "service_objects": ["1"],
        "handling_forms": ["1", "2"],
        "case_type": "2",
        "joint_mode": "NONE",
        "statutory_limit": 20,
        "statutory_unit": "WD",
        "statutory_explain": "《行政许可法》第四十二条",
        "promised_limit": 5,
        "promised_unit": "WD",
        "promised_explain": "",
        "special_procedure": "无",
        "visits_required": 0,
        "visits_explain": "",
        "is_online": True,
        "online_depth": "4",
        "supports_express": True,
        "supports_appointment": False,
        "appointment_rule": "",
        "supports_self_service": False,
        "handle_area": "",
        "legal_basis": "《中华人民共和国行政许可法》第二十九条",
        "conditions": "1. 申请人具有完全民事行为能力。\n2. 材料真实有效。",
        "quantity_limit": "无数量限制",
        "process_description": "网上申请→受理→审查→决定→送达",
        "is_fee": False,
        "fee_basis": "",
        "pay_online": False,
        "result_type": "LICENCE",
        "result_name": f"{name}结果",
        "result_is_electronic": True,
        "result_certificate_type": "",
        "result_delivery": "电子送达",
        "address": "深圳市民中心B区行政服务大厅",
        "office_hours": "周一至周五 9:00-12:00 14:00-18:00",
        "consult_phone": "0755-12345678",
        "consult_ways": "电话咨询",
        "complaint_phone": "12345",
        "complaint_ways": "12345热线",
        "review_authority": "深圳市人民政府",
        "review_phone": "",
        "litigation_court": "深圳市福田区人民法院",
        "rights_and_duties": "",
        "topics": ["P-ELDER"],
        "life_events": [],
        "materials": [
            {
                "key": "M01",
                "order": 1,
                "name": "申请表",
                "material_type": "1",
                "material_form": "2",
                "necessity": "1",
                "optional_case": "",
                "original_copies": 1,
                "copy_copies": 0,
                "paper_format": "A4",
                "source": "10",
                "source_explain": "",
                "issuer": "",
                "fill_explain": "",
                "acceptance_standard": "信息完整",
                "legal_basis": "",
                "certificate_type": "",
                "blank_form": None,
                "sample": None,
            },
            {
                "key": "M02",
                "order": 2,
                "name": "居民身份证",
                "material_type": "1",
                "material_form": "2",
                "necessity": "1",
                "optional_case": "",
                "original_copies": 1,
                "copy_copies": 0,
                "paper_format": "",
                "source": "20",
                "source_explain": "",
                "issuer": "公安机关",
                "fill_explain": "",
                "acceptance_standard": "",
                "legal_basis": "",
                "certificate_type": "",
                "blank_form": None,
                "sample": None,
            },
            {
                "key": "M03",
                "order": 3,
                "name": "授权委托书",
                "material_type": "1",
                "material_form": "2",
                "necessity": "2",
                "optional_case": "委托他人办理时提供",
                "original_copies": 1,
                "copy_copies": 0,
                "paper_format": "",
                "source": "10",
                "source_explain": "",
                "issuer": "",
                "fill_explain": "",
                "acceptance_standard": "",
                "legal_basis": "",
                "certificate_type": "",
                "blank_form": None,
                "sample": None,
            },
        ],
        "fees": [],
        "steps": [
            {
                "order": 1,
                "name": "受理",
                "handler": "综合窗口",
                "time_limit": 1,
                "unit": "WD",
                "has_special": False,
                "special_explain": "",
            },
            {
                "order": 2,
                "name": "审查",
                "handler": "业务科室",
                "time_limit": 3,
                "unit": "WD",
                "has_special": False,
                "special_explain": "",
            },
        ],
        "faqs": [{"order": 1, "question": "可以网上办理吗？", "answer": "可以。"}],
        "situations": [
            {
                "key": "Q1",
                "order": 1,
                "text": "由谁办理？",
                "help": "",
                "options": [
                    {
                        "key": "Q1A",
                        "order": 1,
                        "label": "本人办理",
                        "materials": [],
                        "conditions": "",
                    },
                    {
                        "key": "Q1B",
                        "order": 2,
                        "label": "委托他人办理",
                        "materials": ["M03"],
                        "conditions": "受托人须持本人有效身份证件。",
                    },
                ],
            },
        ],
    }
    data.update(overrides)
    return data


def matter(
    code_suffix: str,
    name: str,
    *,
    department: str = MARKET,
    region: str = CITY,
    level: str = "3",
    matter_type: str = "01",
    **version_overrides: Any,
) -> dict[str, Any]:
    catalog = f"00{matter_type}{code_suffix}"
    assert len(catalog) == 12, catalog
    return {
        "implementation_code": department + level + catalog,
        "catalog_code": catalog,
        "local_catalog_code": "",
        "local_implementation_code": "",
        "department": department,
        "region": region,
        "status": "IN_USE",
        "versions": [
            version(name, exercise_level=level, matter_type=matter_type, **version_overrides)
        ],
    }


def document(*matters: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": "tongban-catalogue",
        "format_version": 1,
        "regions": [
            {"code": PROVINCE, "name": "广东省", "level": "PROVINCE", "parent": None},
            {"code": CITY, "name": "深圳市", "level": "CITY", "parent": PROVINCE},
            {"code": COUNTY, "name": "南山区", "level": "COUNTY", "parent": CITY},
        ],
        "departments": [
            {
                "uscc": MARKET,
                "name": "深圳市市场监督管理局",
                "short_name": "市市场监管局",
                "region": CITY,
                "kind": "1",
                "address": "深圳市福田区",
                "phone": "0755-1",
                "office_hours": "",
                "website": "",
            },
            {
                "uscc": HEALTH,
                "name": "南山区卫生健康局",
                "short_name": "区卫健局",
                "region": COUNTY,
                "kind": "1",
                "address": "深圳市南山区",
                "phone": "0755-2",
                "office_hours": "",
                "website": "",
            },
        ],
        "topics": [
            {
                "code": "P-ELDER",
                "name": "养老服务",
                "audience": "PERSON",
                "order": 1,
                "description": "",
            },
            {
                "code": "L-SETUP",
                "name": "设立变更",
                "audience": "LEGAL",
                "order": 1,
                "description": "",
            },
        ],
        "life_events": [
            {
                "code": "P-RETIRE",
                "name": "退休",
                "audience": "PERSON",
                "order": 1,
                "description": "",
            },
        ],
        "synonyms": [{"term": "开饭店", "expansions": ["餐饮", "食品经营"]}],
        "matters": list(matters)
        or [
            matter("11001000", "老年人优待证办理", aliases=["老年证"], matter_type="20"),
            matter("11002000", "食品经营许可", service_objects=["2"], topics=["L-SETUP"]),
            matter("11003000", "放射诊疗许可", department=HEALTH, region=COUNTY, level="4"),
        ],
    }


def draft(name: str, *, number: int = 2, **overrides: Any) -> dict[str, Any]:
    """A DRAFT version (complete unless `overrides` spoil it), numbered after the published one."""
    return version(name, number=number, status="DRAFT", published_at=None, **overrides)


def draft_matter(code_suffix: str, name: str, **version_overrides: Any) -> dict[str, Any]:
    """A matter never published: status DRAFT with one DRAFT version numbered 1."""
    data = matter(code_suffix, name)
    data["status"] = "DRAFT"
    data["versions"] = [draft(name, number=1, **version_overrides)]
    return data


def attachment(name: str, content: bytes) -> dict[str, str]:
    """A file embedded in a document, as `blank_form` and `sample` carry it."""
    return {"name": name, "content_base64": base64.b64encode(content).decode()}


CATALOGUE_MODELS = (
    Region, Department, Topic, LifeEvent, Synonym, Matter, MatterVersion,
    Material, Fee, ProcessStep, Faq, SituationQuestion, SituationOption,
)  # fmt: skip


def row_counts() -> dict[str, int]:
    """How many rows each catalogue table holds, to show that a refused import wrote nothing."""
    return {model.__name__: model.objects.count() for model in CATALOGUE_MODELS}


def catalogue_erase() -> None:
    """Empty every table of the catalogue, as a fresh database would be.

    TRUNCATE on PostgreSQL, so that the triggers guarding published versions (which refuse DELETE)
    stay out of the way; plain DELETE on SQLite.
    """
    tables = [
        model._meta.db_table
        for model in apps.get_app_config("matters").get_models(include_auto_created=True)
    ]
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:  # TRUNCATE refuses tables with deferred foreign-key checks still pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
            cursor.execute(statement)
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
