"""Seed a large, realistic published catalogue into the benchmark database with COPY.

Everything is generated from word lists with a fixed random seed, so two runs with the same
parameters produce the same catalogue. Rows are written with explicit primary keys through
PostgreSQL COPY (psycopg 3), one transaction per batch of matters; sequences are reset afterwards.

Names look like "个人护照申领（南山区）", "企业食品经营许可证延续（禅城区）", "住房公积金提取（深圳市）":
about 45 objects × 3–5 actions × 69 regions, so a 2-character query such as 护照 or 户口 matches
thousands of matters, which is what makes short queries expensive (PERFORMANCE.md §2).

Only for the benchmark database: it writes rows without going through the services.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Any

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction

from stdnum.cn import uscc

from core.crypto import EncryptedJSONField, encrypt, json_canonical
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
from matters.snapshots import guide_snapshots_fill

CST = dt_timezone(timedelta(hours=8))
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=CST)

# --------------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------------

# (code, name, cities' counties as (code, name)).
CITIES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("440100", "广州市", (("440103", "荔湾区"), ("440104", "越秀区"), ("440105", "海珠区"),
                          ("440106", "天河区"), ("440111", "白云区"), ("440112", "黄埔区"),
                          ("440113", "番禺区"), ("440114", "花都区"), ("440115", "南沙区"),
                          ("440117", "从化区"), ("440118", "增城区"))),
    ("440300", "深圳市", (("440303", "罗湖区"), ("440304", "福田区"), ("440305", "南山区"),
                          ("440306", "宝安区"), ("440307", "龙岗区"), ("440308", "盐田区"),
                          ("440309", "龙华区"), ("440310", "坪山区"), ("440311", "光明区"))),
    ("440400", "珠海市", (("440402", "香洲区"), ("440403", "斗门区"), ("440404", "金湾区"))),
    ("440500", "汕头市", (("440507", "龙湖区"), ("440511", "金平区"), ("440512", "濠江区"),
                          ("440513", "潮阳区"), ("440514", "潮南区"), ("440515", "澄海区"),
                          ("440523", "南澳县"))),
    ("440600", "佛山市", (("440604", "禅城区"), ("440605", "南海区"), ("440606", "顺德区"),
                          ("440607", "三水区"), ("440608", "高明区"))),
    ("440200", "韶关市", (("440203", "武江区"), ("440204", "浈江区"), ("440205", "曲江区"))),
    ("440700", "江门市", (("440703", "蓬江区"), ("440704", "江海区"), ("440705", "新会区"),
                          ("440781", "台山市"), ("440783", "开平市"))),
    ("440800", "湛江市", (("440802", "赤坎区"), ("440803", "霞山区"), ("440804", "坡头区"),
                          ("440811", "麻章区"))),
    ("440900", "茂名市", (("440902", "茂南区"), ("440904", "电白区"))),
    ("441200", "肇庆市", (("441202", "端州区"), ("441203", "鼎湖区"), ("441204", "高要区"))),
    ("441300", "惠州市", (("441302", "惠城区"), ("441303", "惠阳区"), ("441322", "博罗县"),
                          ("441323", "惠东县"))),
)  # fmt: skip
PROVINCE = ("440000", "广东省")

P, L, B = "P", "L", "B"  # audience of an object: person, legal person, both


@dataclass(frozen=True)
class Sector:
    key: str
    number: int  # 2-digit sector code used in the 基本编码
    department: str  # name template: {region} is the region's name
    short: str
    weight: float  # share of matters, relative
    topics: tuple[str, ...]
    events: tuple[str, ...]
    law: str
    objects: tuple[tuple[str, str, tuple[str, ...]], ...]  # (object, audience, actions)


SECTORS: tuple[Sector, ...] = (
    Sector("police", 11, "{region}公安局", "公安", 1.6, ("P-HUJI", "P-CRJ", "P-JT"), ("E-BIRTH", "E-MOVE"),
           "《中华人民共和国户口登记条例》第十条；《中华人民共和国护照法》第五条",
           (("护照", P, ("申领", "换发", "补发", "加注")),
            ("往来港澳通行证", P, ("申领", "换发", "补发", "签注")),
            ("户口迁移", P, ("办理", "审批", "证明开具", "网上迁入")),
            ("户口登记", P, ("出生申报", "项目变更", "注销", "恢复")),
            ("户口簿", P, ("补领", "换领")),
            ("居民身份证", P, ("申领", "换领", "补领", "临时申领")),
            ("居住证", P, ("申领", "签注", "换领")),
            ("机动车驾驶证", P, ("申领", "换证", "补证", "注销")),
            ("机动车登记", B, ("注册", "转移", "变更", "注销")))),
    Sector("hrss", 12, "{region}人力资源和社会保障局", "人社", 1.3, ("P-SB", "P-JY"), ("E-JOB", "E-RETIRE"),
           "《中华人民共和国社会保险法》第五十八条",
           (("社会保障卡", P, ("申领", "补办", "换领", "挂失", "信息变更")),
            ("养老保险待遇", P, ("申领", "资格认证", "变更")),
            ("失业保险金", P, ("申领", "停发")),
            ("职业技能等级证书", P, ("核发", "补办")),
            ("就业创业证", P, ("申领", "补办")),
            ("社会保险参保登记", B, ("办理", "变更", "注销")),
            ("工伤认定", B, ("申请",)))),
    Sector("market", 13, "{region}市场监督管理局", "市场监管", 1.2, ("L-SL", "L-ZY"), ("E-OPEN", "E-CLOSE"),
           "《中华人民共和国市场主体登记管理条例》第三条；《中华人民共和国食品安全法》第三十五条",
           (("营业执照", L, ("核发", "变更", "注销", "补领", "换领")),
            ("食品经营许可证", L, ("核发", "变更", "延续", "注销", "补办")),
            ("个体工商户登记", L, ("设立", "变更", "注销")),
            ("特种设备使用登记", L, ("办理", "变更", "注销")),
            ("药品经营许可证", L, ("核发", "变更", "延续")))),
    Sector("medical", 14, "{region}医疗保障局", "医保", 0.8, ("P-YL", "P-SB"), ("E-BIRTH",),
           "《中华人民共和国社会保险法》第二十三条",
           (("基本医疗保险参保登记", B, ("办理", "变更")),
            ("异地就医备案", P, ("办理", "取消")),
            ("医保关系转移", P, ("办理",)),
            ("生育保险待遇", P, ("申领",)))),
    Sector("civil", 15, "{region}民政局", "民政", 0.9, ("P-HY", "P-YLFW"), ("E-MARRY", "E-RETIRE"),
           "《婚姻登记条例》第四条；《中华人民共和国老年人权益保障法》第五十七条",
           (("老年人优待证", P, ("申领", "补办", "换领")),
            ("婚姻登记证", P, ("结婚登记", "离婚登记", "补领")),
            ("最低生活保障", P, ("申请", "变更", "停发")),
            ("残疾人两项补贴", P, ("申请", "停发")),
            ("社会团体登记", L, ("成立", "变更", "注销")))),
    Sector("health", 16, "{region}卫生健康局", "卫健", 0.7, ("P-YL", "L-ZY"), ("E-BIRTH",),
           "《中华人民共和国母婴保健法》第二十三条；《中华人民共和国医师法》第十三条",
           (("出生医学证明", P, ("签发", "补发", "换发")),
            ("医师执业注册", P, ("首次注册", "变更", "注销")),
            ("护士执业注册", P, ("首次注册", "延续", "变更")),
            ("公共场所卫生许可证", L, ("核发", "变更", "延续")))),
    Sector("fund", 17, "{region}住房公积金管理中心", "公积金", 0.9, ("P-ZF",), ("E-HOUSE", "E-RETIRE"),
           "《住房公积金管理条例》第二十四条",
           (("住房公积金", B, ("缴存登记", "提取", "贷款", "转移接续")),
            ("公积金缴存证明", P, ("开具",)))),
    Sector("edu", 18, "{region}教育局", "教育", 0.6, ("P-JY2",), ("E-SCHOOL",),
           "《教师资格条例》第四条；《中华人民共和国民办教育促进法》第十二条",
           (("教师资格认定", P, ("申请",)),
            ("民办学校办学许可证", L, ("核发", "变更", "延续")),
            ("学籍", P, ("转学", "休学", "复学")))),
    Sector("transport", 19, "{region}交通运输局", "交通", 0.6, ("P-JT", "L-YS"), ("E-JOB",),
           "《中华人民共和国道路运输条例》第二十四条",
           (("道路运输经营许可证", L, ("核发", "变更", "注销")),
            ("出租汽车驾驶员从业资格证", P, ("核发", "注册", "补发")),
            ("网络预约出租汽车运输证", B, ("核发", "注销")))),
    Sector("tax", 20, "国家税务总局{region}税务局", "税务", 0.8, ("L-SS",), ("E-OPEN", "E-CLOSE"),
           "《中华人民共和国税收征收管理法》第十五条",
           (("发票", L, ("领用", "代开", "验旧")),
            ("税务登记", L, ("设立", "变更", "注销")),
            ("纳税证明", B, ("开具",)),
            ("个人所得税", P, ("汇算清缴", "专项附加扣除")))),
)  # fmt: skip

TOPICS: tuple[tuple[str, str, str], ...] = (
    ("P-HUJI", "户籍办理", "PERSON"), ("P-CRJ", "出境入境", "PERSON"), ("P-JT", "交通出行", "PERSON"),
    ("P-SB", "社会保障", "PERSON"), ("P-JY", "就业创业", "PERSON"), ("P-YL", "医疗卫生", "PERSON"),
    ("P-HY", "婚姻登记", "PERSON"), ("P-YLFW", "养老服务", "PERSON"), ("P-ZF", "住房保障", "PERSON"),
    ("P-JY2", "教育科研", "PERSON"), ("L-SL", "设立变更", "LEGAL"), ("L-ZY", "准营准办", "LEGAL"),
    ("L-YS", "交通运输", "LEGAL"), ("L-SS", "税收财务", "LEGAL"),
)  # fmt: skip
LIFE_EVENTS: tuple[tuple[str, str, str], ...] = (
    ("E-BIRTH", "出生", "PERSON"), ("E-SCHOOL", "上学", "PERSON"), ("E-JOB", "就业", "PERSON"),
    ("E-MARRY", "结婚", "PERSON"), ("E-HOUSE", "买房", "PERSON"), ("E-MOVE", "迁居", "PERSON"),
    ("E-RETIRE", "退休", "PERSON"), ("E-OPEN", "开办企业", "LEGAL"), ("E-CLOSE", "企业注销", "LEGAL"),
)  # fmt: skip
SYNONYMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("开饭店", ("餐饮", "食品经营")), ("开餐馆", ("餐饮", "食品经营")), ("开公司", ("营业执照",)),
    ("老年证", ("老年人优待证",)), ("身份证", ("居民身份证",)), ("社保", ("社会保险", "社会保障")),
    ("医保", ("基本医疗保险", "医疗保障")), ("公积金", ("住房公积金",)), ("生孩子", ("出生", "生育")),
    ("上户口", ("户口登记", "户口迁移")), ("驾照", ("机动车驾驶证",)), ("低保", ("最低生活保障",)),
    ("网约车", ("网络预约出租汽车",)), ("结婚证", ("婚姻登记证",)), ("个税", ("个人所得税",)),
)  # fmt: skip

PERSON_MATERIALS = (
    "居民身份证", "户口簿", "近期免冠彩色照片", "原证件", "结婚证", "社会保障卡", "居住证明",
    "授权委托书及受托人身份证件", "银行账户信息", "学历证明", "劳动合同", "医疗机构出具的证明",
)  # fmt: skip
LEGAL_MATERIALS = (
    "营业执照", "法定代表人身份证明", "授权委托书", "经营场所使用证明", "公司章程", "股东会决议",
    "从业人员健康证明", "设备设施清单", "安全管理制度", "财务会计报告", "专业技术人员资格证明",
)  # fmt: skip
STANDARDS = ("原件核验后退回", "复印件需加盖公章", "内容真实、完整、清晰", "须在有效期内", "")
FAQS = (
    ("可以委托他人代办吗？", "可以。代办人须携带本人有效身份证件和申请人签署的授权委托书。"),
    ("在哪里可以查询办理进度？", "登录一网通办平台“我的办件”，或拨打12345政务服务便民热线查询。"),
    ("材料不齐全怎么办？", "窗口将一次性告知需补正的全部内容；部分材料可容缺后补。"),
)
RESULT_TYPES = ("LICENCE", "QUALIFICATION", "APPROVAL", "PROOF", "OTHER")
APPLYABLE_TYPES = ("01", "07", "11", "20")
HANDLE_AREAS = ("", "NATION", "CROSS_PROVINCE", "CROSS_CITY", "CROSS_COUNTY")
SLOGANS = ("一网通办", "最多跑一次", "全程网办", "就近办", "掌上办")


# --------------------------------------------------------------------------------------------
# COPY helpers
# --------------------------------------------------------------------------------------------


class Table:
    """COPY rows of one model: column order and each column's default, from the model itself."""

    def __init__(self, model: type[models.Model]) -> None:
        self.name = model._meta.db_table
        fields = model._meta.concrete_fields
        instance = model()
        self.attnames = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.base: dict[str, Any] = {}
        for f in fields:
            value = getattr(instance, f.attname)
            if isinstance(f, EncryptedJSONField):  # the stored form: a token of the JSON text
                value = encrypt(json_canonical(value))
            elif isinstance(f, models.JSONField):
                value = json.dumps(value, ensure_ascii=False)
            elif isinstance(f, models.FileField):
                value = str(value or "")
            self.base[f.attname] = value
        self.base.update(created_at=NOW, updated_at=NOW)
        self._checked = False

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        if not self._checked:
            unknown = set(values) - set(self.attnames)
            if unknown:
                raise ValueError(f"{self.name}: unknown columns {sorted(unknown)}")
            self._checked = True
        merged = self.base | values
        return tuple(merged[a] for a in self.attnames)


def copy_rows(table: Table, rows: Iterable[tuple[Any, ...]]) -> int:
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        columns = ", ".join(f'"{c}"' for c in table.columns)
        with raw.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def make_uscc(region_code: str, seed: int) -> str:
    """A checksum-valid 统一社会信用代码 of a 机关 (registration prefix 11)."""
    body = f"MB{(seed * 104_729 + 350_021) % 1_000_000:06d}"
    code = compose_uscc(registration="11", region=region_code, organisation=body)
    uscc.validate(code)
    return code


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------


@dataclass
class Dept:
    pk: int
    name: str
    short: str
    region_pk: int
    region_name: str
    region_code: str
    level: str  # 行使层级: 2 province, 3 city, 4 county
    uscc: str
    sector: Sector


@dataclass
class SeedReport:
    matters: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)


def _small_tables(rng: random.Random, departments_wanted: int) -> tuple[list[Dept], dict[str, int]]:
    """Regions, departments, topics, life events, synonyms (ORM bulk_create; a few hundred rows)."""
    regions: list[Region] = []
    province = Region(pk=1, code=PROVINCE[0], name=PROVINCE[1], level="PROVINCE")
    regions.append(province)
    places: list[tuple[int, str, str, str]] = [(1, PROVINCE[1], PROVINCE[0], "2")]
    pk = 1
    for city_code, city_name, counties in CITIES:
        pk += 1
        city_pk = pk
        regions.append(Region(pk=pk, code=city_code, name=city_name, level="CITY", parent_id=1))
        places.append((pk, city_name, city_code, "3"))
        for county_code, county_name in counties:
            pk += 1
            regions.append(
                Region(pk=pk, code=county_code, name=county_name, level="COUNTY", parent_id=city_pk)
            )
            places.append((pk, county_name, county_code, "4"))
    Region.objects.bulk_create(regions)

    # Every sector at province and city level, then county-level departments up to the count.
    pairs = [(p, s) for p in places if p[3] != "4" for s in SECTORS]
    county_pairs = [(p, s) for p in places if p[3] == "4" for s in SECTORS]
    rng.shuffle(county_pairs)
    pairs += county_pairs[: max(0, departments_wanted - len(pairs))]
    departments: list[Dept] = []
    rows: list[Department] = []
    for number, ((region_pk, region_name, region_code, level), sector) in enumerate(pairs, 1):
        name = sector.department.format(region=region_name)
        if sector.key == "police" and level == "4":
            name = name.replace("公安局", "公安分局")
        code = make_uscc(region_code, number)
        dept = Dept(
            number, name, region_name + sector.short, region_pk, region_name, region_code, level,
            code, sector,
        )  # fmt: skip
        departments.append(dept)
        rows.append(
            Department(
                pk=number, uscc=code, name=name, short_name=dept.short, region_id=region_pk,
                address=f"{region_name}政务服务中心{rng.randint(1, 5)}楼{rng.randint(1, 40)}号窗口",
                phone=f"0{rng.randint(200, 799)}-{rng.randint(20_000_000, 89_999_999)}",
                office_hours="周一至周五 9:00-12:00，14:00-18:00（法定节假日除外）",
            )
        )  # fmt: skip
    Department.objects.bulk_create(rows)
    Topic.objects.bulk_create(
        Topic(pk=i, code=c, name=n, audience=a, order=i) for i, (c, n, a) in enumerate(TOPICS, 1)
    )
    LifeEvent.objects.bulk_create(
        LifeEvent(pk=i, code=c, name=n, audience=a, order=i)
        for i, (c, n, a) in enumerate(LIFE_EVENTS, 1)
    )
    Synonym.objects.bulk_create(Synonym(term=t, expansions=list(e)) for t, e in SYNONYMS)
    ids = {c: i for i, (c, _n, _a) in enumerate(TOPICS, 1)}
    ids |= {c: i for i, (c, _n, _a) in enumerate(LIFE_EVENTS, 1)}
    return departments, ids


@dataclass
class Counters:
    material: int = 0
    step: int = 0
    faq: int = 0
    fee: int = 0
    question: int = 0
    option: int = 0
    option_material: int = 0
    topic_link: int = 0
    event_link: int = 0


class Tables:
    def __init__(self) -> None:
        self.matter = Table(Matter)
        self.version = Table(MatterVersion)
        self.material = Table(Material)
        self.step = Table(ProcessStep)
        self.faq = Table(Faq)
        self.fee = Table(Fee)
        self.question = Table(SituationQuestion)
        self.option = Table(SituationOption)
        self.option_material = Table(SituationOption.materials.through)
        self.topic_link = Table(MatterVersion.topics.through)
        self.event_link = Table(MatterVersion.life_events.through)


def _batch_rows(
    rng: random.Random,
    tables: Tables,
    numbers: Sequence[int],
    departments: Sequence[Dept],
    weights: Sequence[float],
    ids: dict[str, int],
    c: Counters,
) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {
        k: [] for k in ("matter", "version", "material", "step", "faq", "fee", "question",
                        "option", "option_material", "topic_link", "event_link")
    }  # fmt: skip
    chosen = rng.choices(departments, weights=weights, k=len(numbers))
    for number, dept in zip(numbers, chosen, strict=True):
        sector = dept.sector
        obj, audience, actions = rng.choice(sector.objects)
        action = rng.choice(actions)
        person = audience == P or (audience == B and rng.random() < 0.5)
        prefix = ""
        if rng.random() < 0.5:
            prefix = "个人" if person else "企业"
        name = f"{prefix}{obj}{action}（{dept.region_name}）"
        matter_type = rng.choice(APPLYABLE_TYPES)
        catalog = f"{sector.number:02d}{matter_type}{number % 100_000:05d}{number // 100_000:03d}"
        code = f"{dept.uscc}{dept.level}{catalog}"
        popularity = min(1_000_000, int(rng.paretovariate(1.1) * 10))
        published_at = NOW - timedelta(days=rng.randint(1, 700), minutes=rng.randint(0, 1439))
        out["matter"].append(
            tables.matter.row(
                {"id": number, "implementation_code": code, "catalog_code": catalog,
                 "department_id": dept.pk, "region_id": dept.region_pk, "status": "IN_USE",
                 "current_version_id": number, "popularity": popularity}
            )
        )  # fmt: skip
        statutory = rng.choice((10, 15, 20, 30, 60))
        is_fee = rng.random() < 0.1
        online = rng.random() < 0.8
        service_objects = ["1"] if person else rng.choice((["2"], ["2", "3"], ["2", "6"]))
        if audience == B and rng.random() < 0.3:
            service_objects = ["1", "2"]
        who = "申请人" if person else "申请单位"
        out["version"].append(
            tables.version.row(
                {"id": number, "matter_id": number, "number": 1, "status": "PUBLISHED",
                 "published_at": published_at, "name": name,
                 "short_name": f"{obj}{action}" if rng.random() < 0.3 else "",
                 "aliases": json.dumps([f"办{obj}"] if rng.random() < 0.2 else [], ensure_ascii=False),
                 "summary": f"为{'个人' if person else '企业'}办理{obj}{action}，实行“{rng.choice(SLOGANS)}”。",
                 "matter_type": matter_type, "exercise_level": dept.level,
                 "power_source": "法定本级行使",
                 "service_objects": json.dumps(service_objects),
                 "for_person": "1" in service_objects,
                 "for_legal": bool(set(service_objects) - {"1"}),
                 "handling_forms": json.dumps(["1", "2", "3"] if online else ["1"]),
                 "legal_basis": sector.law,
                 "conditions": f"1. {who}符合{obj}{action}的法定条件；\n2. 提交的材料真实、完整、有效；\n3. 无不良信用记录。",
                 "process_description": "1. 申请：网上或窗口提交申请；\n2. 受理：材料齐全的当场受理；\n3. 审查与决定；\n4. 送达：电子证照或邮寄送达。",
                 "case_type": rng.choice(("1", "2")), "statutory_limit": statutory,
                 "promised_limit": rng.randint(1, statutory), "special_procedure": "无",
                 "visits_required": rng.choice((0, 0, 1, 1, 2)),
                 "is_fee": is_fee, "fee_basis": "按规定标准收费" if is_fee else "",
                 "is_online": online, "online_depth": rng.choice("1234") if online else "",
                 "supports_express": rng.random() < 0.5, "supports_appointment": rng.random() < 0.4,
                 "handle_area": rng.choice(HANDLE_AREAS),
                 "address": f"{dept.region_name}政务服务中心{rng.randint(1, 5)}楼",
                 "office_hours": "周一至周五 9:00-12:00，14:00-18:00（法定节假日除外）",
                 "result_type": rng.choice(RESULT_TYPES),
                 "result_name": obj if rng.random() < 0.6 else f"准予{action}决定书",
                 "result_is_electronic": rng.random() < 0.5,
                 "consult_phone": f"0{rng.randint(200, 799)}-{rng.randint(20_000_000, 89_999_999)}",
                 "complaint_phone": "12345",
                 "review_authority": f"{dept.region_name}人民政府",
                 "litigation_court": f"{dept.region_name}人民法院",
                 "rights_and_duties": "申请人有权依法获得办理结果，并应对所提交材料的真实性负责。"}
            )
        )  # fmt: skip
        # Materials: the application form first, then 2–7 from the audience's pool.
        pool = PERSON_MATERIALS if person else LEGAL_MATERIALS
        names = [f"{obj}{action}申请表", *rng.sample(pool, rng.randint(2, 7))]
        material_ids: list[int] = []
        for order, material_name in enumerate(names, 1):
            c.material += 1
            material_ids.append(c.material)
            out["material"].append(
                tables.material.row(
                    {"id": c.material, "version_id": number, "order": order, "key": f"M{order}",
                     "name": material_name, "material_type": rng.choice("123"),
                     "material_form": rng.choice("123"),
                     "necessity": "1" if order <= 2 or rng.random() < 0.7 else rng.choice("23"),
                     "original_copies": rng.choice((0, 1)), "copy_copies": rng.choice((0, 1, 2)),
                     "source": "10" if order == 1 else rng.choice(("10", "20", "30")),
                     "acceptance_standard": rng.choice(STANDARDS)}
                )
            )  # fmt: skip
        for order, (step, days) in enumerate((("受理", 1), ("审查", 3), ("决定", 1)), 1):
            c.step += 1
            out["step"].append(
                tables.step.row(
                    {"id": c.step, "version_id": number, "order": order, "name": step,
                     "handler": f"{dept.short}窗口", "time_limit": days}
                )
            )  # fmt: skip
        if rng.random() < 0.3:
            for order, (question, answer) in enumerate(rng.sample(FAQS, rng.randint(1, 2)), 1):
                c.faq += 1
                out["faq"].append(
                    tables.faq.row(
                        {"id": c.faq, "version_id": number, "order": order,
                         "question": question, "answer": answer}
                    )
                )  # fmt: skip
        if is_fee:
            c.fee += 1
            out["fee"].append(
                tables.fee.row(
                    {"id": c.fee, "version_id": number, "order": 1, "name": f"{obj}工本费",
                     "standard": f"{rng.choice((10, 20, 40, 120))}元/本", "basis": "按价格主管部门核定标准"}
                )
            )  # fmt: skip
        if (
            rng.random() < 0.12
        ):  # 情形引导 on some matters: who applies, and maybe a second question
            questions = [("Q1", "由谁办理？", (("self", "本人办理"), ("agent", "委托他人代办")))]
            if rng.random() < 0.5:
                questions.append(
                    ("Q2", "是否首次办理？", (("first", "首次办理"), ("again", "再次办理")))
                )
            for q_order, (q_key, text, options) in enumerate(questions, 1):
                c.question += 1
                out["question"].append(
                    tables.question.row(
                        {"id": c.question, "version_id": number, "order": q_order, "key": q_key,
                         "text": text}
                    )
                )  # fmt: skip
                for o_order, (o_key, label) in enumerate(options, 1):
                    c.option += 1
                    out["option"].append(
                        tables.option.row(
                            {"id": c.option, "question_id": c.question, "order": o_order,
                             "key": o_key, "label": label}
                        )
                    )  # fmt: skip
                    c.option_material += 1
                    out["option_material"].append(
                        tables.option_material.row(
                            {"id": c.option_material, "situationoption_id": c.option,
                             "material_id": rng.choice(material_ids)}
                        )
                    )  # fmt: skip
        topic_codes = [t for t in sector.topics if t.startswith("P" if person else "L")]
        for topic in rng.sample(topic_codes, min(len(topic_codes), rng.randint(1, 2))):
            c.topic_link += 1
            out["topic_link"].append(
                tables.topic_link.row(
                    {"id": c.topic_link, "matterversion_id": number, "topic_id": ids[topic]}
                )
            )
        if person and rng.random() < 0.3:
            c.event_link += 1
            out["event_link"].append(
                tables.event_link.row(
                    {"id": c.event_link, "matterversion_id": number,
                     "lifeevent_id": ids[rng.choice(sector.events)]}
                )
            )  # fmt: skip
    return out


COPY_ORDER = (
    "matter", "version", "material", "step", "faq", "fee", "question", "option",
    "option_material", "topic_link", "event_link",
)  # fmt: skip


def _chunks(total: int, size: int) -> Iterator[range]:
    for start in range(1, total + 1, size):
        yield range(start, min(total, start + size - 1) + 1)


def seed(
    matters: int, *, departments: int = 300, batch: int = 10_000, rng_seed: int = 20_260_105
) -> SeedReport:
    """Write the whole catalogue into the (freshly migrated, empty) current database."""
    report = SeedReport(matters=matters)
    started = time.perf_counter()
    rng = random.Random(rng_seed)
    with transaction.atomic():
        depts, ids = _small_tables(rng, departments)
    report.rows["department"] = len(depts)
    weights = [d.sector.weight for d in depts]
    tables = Tables()
    counters = Counters()
    generate = write = 0.0
    for numbers in _chunks(matters, batch):
        t0 = time.perf_counter()
        rows = _batch_rows(rng, tables, numbers, depts, weights, ids, counters)
        t1 = time.perf_counter()
        with transaction.atomic():
            for key in COPY_ORDER:
                report.rows[key] = report.rows.get(key, 0) + copy_rows(
                    getattr(tables, key), rows[key]
                )
        generate += t1 - t0
        write += time.perf_counter() - t1
    report.phases["generate rows (Python)"] = generate
    report.phases["COPY (PostgreSQL)"] = write
    t0 = time.perf_counter()
    models_with_ids: list[type[models.Model]] = [
        Region, Department, Topic, LifeEvent, Synonym, Matter, MatterVersion, Material,
        ProcessStep, Faq, Fee, SituationQuestion, SituationOption,
        SituationOption.materials.through, MatterVersion.topics.through,
        MatterVersion.life_events.through,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models_with_ids):
            cursor.execute(statement)
        cursor.execute("VACUUM ANALYZE")
    report.phases["sequence reset + VACUUM ANALYZE"] = time.perf_counter() - t0
    # Publishing renders each guide's body once (matters/snapshots.py); COPY bypassed publishing,
    # so render them as `manage.py guide_snapshots` would after an import. The benchmark's requests
    # carry no language cookie: the site's language is the one they see.
    t0 = time.perf_counter()
    report.rows["guide snapshot"] = guide_snapshots_fill(language=settings.LANGUAGE_CODE)
    report.phases["guide snapshots (render once per version)"] = time.perf_counter() - t0
    report.seconds = time.perf_counter() - started
    return report
