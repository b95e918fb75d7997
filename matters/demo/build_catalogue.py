"""Build the demo catalogue ``matters/demo/catalogue.json`` (format: docs/catalogue-format.md).

A realistic 一网通办 catalogue for 广东省 · 深圳市 · 南山区/福田区/宝安区: regions, departments,
topics, life events, search synonyms and matters with complete 办事指南 elements. Every code is
computed, not typed in: department USCCs (GB 32100 check character via python-stdnum, embedded
GB 11714 organisation code with its own check character), 基本编码 and 实施编码. The output is
deterministic (no clock, no randomness), so re-running the script yields the same file.

Addresses, telephone numbers and credit codes are fictional demo data; the legal bases cite real
laws, but a deployment must have its own catalogue reviewed by the departments concerned.

Run from the repository root::

    .venv/bin/python matters/demo/build_catalogue.py
"""

from __future__ import annotations

import base64
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from stdnum.cn import uscc

from core.identifiers import compose_uscc, organisation_check_char

OUTPUT = Path(__file__).with_name("catalogue.json")
CST = timezone(timedelta(hours=8))
CATALOG_CODE_RE = re.compile(r"^\d{2}\d{2}[0-9A-Z]{5}(000|00Y|\d{3})$")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

Json = dict[str, object]


# --------------------------------------------------------------------------------------------
# Identifier arithmetic
# --------------------------------------------------------------------------------------------


def gb11714_is_valid(code: str) -> bool:
    """True for a 9-character organisation code whose last character is its check character."""
    return (
        len(code) == 9
        and all(char in USCC_ALPHABET for char in code)
        and organisation_check_char(code[:8]) == code[8]
    )


def make_uscc(prefix: str, region: str, seed: int) -> str:
    """统一社会信用代码: 2-char registration authority/type + region + organisation code + check."""
    body = "MB" + f"{(seed * 104_729 + 350_021) % 1_000_000:06d}"
    return compose_uscc(registration=prefix, region=region, organisation=body)


def published(index: int) -> str:
    """Deterministic publication time: every second working day from 2025-03-03, 09:30 CST."""
    day = datetime(2025, 3, 3, 9, 30, tzinfo=CST)
    remaining = index * 2
    while remaining:
        day += timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day.isoformat()


# --------------------------------------------------------------------------------------------
# Regions, departments, topics, life events, synonyms
# --------------------------------------------------------------------------------------------

REGIONS: tuple[tuple[str, str, str, str | None], ...] = (
    ("440000", "广东省", "PROVINCE", None),
    ("440300", "深圳市", "CITY", "440000"),
    ("440304", "福田区", "COUNTY", "440300"),
    ("440305", "南山区", "COUNTY", "440300"),
    ("440306", "宝安区", "COUNTY", "440300"),
    ("440305001", "南头街道", "TOWN", "440305"),
    ("440305001001", "南头城社区", "VILLAGE", "440305001"),
)

# 行政复议机关 (2023年修订《行政复议法》: 县级以上地方人民政府工作部门及其派出机构 → 本级人民政府)
REVIEW = {
    "440000": ("广东省人民政府", "020-83133870"),
    "440300": ("深圳市人民政府", "0755-88125710"),
    "440304": ("深圳市福田区人民政府", "0755-82918325"),
    "440305": ("深圳市南山区人民政府", "0755-26652081"),
    "440306": ("深圳市宝安区人民政府", "0755-27751632"),
}
COURT = {
    "440000": "广州铁路运输法院",
    "440300": "深圳市福田区人民法院",
    "440304": "深圳市福田区人民法院",
    "440305": "深圳市南山区人民法院",
    "440306": "深圳市宝安区人民法院",
}

HOURS = "周一至周五 9:00-12:00，14:00-18:00（法定节假日除外）"
HOURS_SAT = "周一至周五 9:00-12:00，14:00-18:00；周六 9:00-12:00、14:00-17:00（法定节假日除外）"
SZ_HALL = "深圳市福田区福中三路市民中心B区 深圳市行政服务大厅"


@dataclass(frozen=True, kw_only=True)
class Dept:
    """An implementing department (实施主体)."""

    key: str
    name: str
    short_name: str
    region: str
    prefix: str  # GB 32100: 11 机关 · 12 事业单位 · 13 群团组织
    kind: str  # A.3: 1 法定机关 · 2 授权组织
    seed: int
    address: str
    hall: str  # where its matters are handled
    phone: str
    website: str
    sector: str  # 2-digit 业务指导部门代码 used in the 主项代码 of 基本编码
    office: str  # default 承办处室 for review steps
    hours: str = HOURS
    review_region: str = ""  # a 派出机构 is reviewed by the government of its parent department

    @property
    def uscc(self) -> str:
        return make_uscc(self.prefix, self.region, self.seed)

    @property
    def level(self) -> str:
        """行使层级 A.2 from the department's region: 2 省级 · 3 市级 · 4 县级."""
        if self.region.endswith("0000"):
            return "2"
        if self.region.endswith("00"):
            return "3"
        return "4"


DEPARTMENTS: tuple[Dept, ...] = (
    Dept(
        key="gd_ga",
        name="广东省公安厅",
        short_name="省公安厅",
        region="440000",
        prefix="11",
        kind="1",
        seed=1,
        address="广州市越秀区黄华路97号",
        hall="广东省政务服务中心公安厅窗口（广州市）",
        phone="020-83116110",
        website="https://gdga.gd.gov.cn",
        sector="09",
        office="治安管理局",
    ),
    Dept(
        key="gd_zjt",
        name="广东省住房和城乡建设厅",
        short_name="省住房城乡建设厅",
        region="440000",
        prefix="11",
        kind="1",
        seed=2,
        address="广州市越秀区东风中路",
        hall="广东省政务服务中心住房城乡建设厅窗口（广州市）",
        phone="020-83133710",
        website="https://zfcxjst.gd.gov.cn",
        sector="17",
        office="建筑市场监管处",
    ),
    Dept(
        key="gd_mzt",
        name="广东省民政厅",
        short_name="省民政厅",
        region="440000",
        prefix="11",
        kind="1",
        seed=3,
        address="广州市越秀区东风中路",
        hall="广东省政务服务中心民政厅窗口（广州市）",
        phone="020-83398225",
        website="https://smzt.gd.gov.cn",
        sector="10",
        office="社会组织管理局",
    ),
    Dept(
        key="gd_scj",
        name="广东省市场监督管理局",
        short_name="省市场监管局",
        region="440000",
        prefix="11",
        kind="1",
        seed=4,
        address="广州市天河区黄埔大道西",
        hall="广东省政务服务中心市场监管局窗口（广州市）",
        phone="020-38835311",
        website="https://amr.gd.gov.cn",
        sector="27",
        office="食品生产安全监督管理处",
    ),
    Dept(
        key="sz_scj",
        name="深圳市市场监督管理局",
        short_name="市市场监管局",
        region="440300",
        prefix="11",
        kind="1",
        seed=11,
        address="深圳市福田区深南大道7010号",
        hall=SZ_HALL,
        phone="0755-83070600",
        website="https://amr.sz.gov.cn",
        sector="27",
        office="登记注册处",
    ),
    Dept(
        key="sz_ga",
        name="深圳市公安局",
        short_name="市公安局",
        region="440300",
        prefix="11",
        kind="1",
        seed=12,
        address="深圳市福田区解放路4018号",
        hall="深圳市各公安分局户政办证大厅及辖区派出所户政窗口（地址以“深圳公安”公众号公布为准）",
        phone="0755-84465110",
        website="https://ga.sz.gov.cn",
        sector="09",
        office="人口管理支队",
        hours=HOURS_SAT,
    ),
    Dept(
        key="sz_jj",
        name="深圳市公安局交通警察局",
        short_name="市交警局",
        region="440300",
        prefix="11",
        kind="1",
        seed=13,
        address="深圳市福田区笋岗西路",
        hall="深圳市公安局交通警察局车辆管理所及各车驾管业务网点",
        phone="0755-83333122",
        website="https://szjj.sz.gov.cn",
        sector="09",
        office="车辆管理所",
        hours=HOURS_SAT,
    ),
    Dept(
        key="sz_wjw",
        name="深圳市卫生健康委员会",
        short_name="市卫生健康委",
        region="440300",
        prefix="11",
        kind="1",
        seed=14,
        address="深圳市福田区深南中路1025号新城大厦",
        hall=SZ_HALL,
        phone="0755-88113880",
        website="https://wjw.sz.gov.cn",
        sector="26",
        office="医政医管处",
    ),
    Dept(
        key="sz_mzj",
        name="深圳市民政局",
        short_name="市民政局",
        region="440300",
        prefix="11",
        kind="1",
        seed=15,
        address="深圳市福田区福中三路市民中心C区",
        hall=SZ_HALL,
        phone="0755-88123050",
        website="https://mzj.sz.gov.cn",
        sector="10",
        office="社会组织管理局",
    ),
    Dept(
        key="sz_rsj",
        name="深圳市人力资源和社会保障局",
        short_name="市人力资源保障局",
        region="440300",
        prefix="11",
        kind="1",
        seed=16,
        address="深圳市福田区福中三路市民中心C区",
        hall=SZ_HALL,
        phone="0755-88123160",
        website="https://hrss.sz.gov.cn",
        sector="14",
        office="就业促进处",
    ),
    Dept(
        key="sz_ghzy",
        name="深圳市规划和自然资源局",
        short_name="市规划和自然资源局",
        region="440300",
        prefix="11",
        kind="1",
        seed=17,
        address="深圳市福田区红荔西路8009号",
        hall="深圳市不动产登记中心及各登记所服务窗口；规划许可：深圳市行政服务大厅",
        phone="0755-83939800",
        website="https://pnr.sz.gov.cn",
        sector="15",
        office="建设用地规划处",
    ),
    Dept(
        key="sz_zjj",
        name="深圳市住房和建设局",
        short_name="市住房建设局",
        region="440300",
        prefix="11",
        kind="1",
        seed=18,
        address="深圳市福田区振华路8号设计大厦",
        hall=SZ_HALL,
        phone="0755-83788000",
        website="https://zjj.sz.gov.cn",
        sector="17",
        office="建设工程管理处",
    ),
    Dept(
        key="sz_jtj",
        name="深圳市交通运输局",
        short_name="市交通运输局",
        region="440300",
        prefix="11",
        kind="1",
        seed=19,
        address="深圳市福田区福中三路市民中心C区",
        hall=SZ_HALL,
        phone="0755-83322100",
        website="https://jtys.sz.gov.cn",
        sector="18",
        office="道路运输处",
    ),
    Dept(
        key="sz_ybj",
        name="深圳市医疗保障局",
        short_name="市医保局",
        region="440300",
        prefix="11",
        kind="1",
        seed=20,
        address="深圳市福田区福中三路市民中心C区",
        hall="深圳市各区医疗保障服务窗口及社会保险经办网点",
        phone="0755-88129900",
        website="https://hsa.sz.gov.cn",
        sector="48",
        office="医疗保障待遇处",
    ),
    Dept(
        key="sz_jyj",
        name="深圳市教育局",
        short_name="市教育局",
        region="440300",
        prefix="11",
        kind="1",
        seed=21,
        address="深圳市福田区福中三路市民中心C区",
        hall=SZ_HALL,
        phone="0755-83226800",
        website="https://szeb.sz.gov.cn",
        sector="06",
        office="教师工作处",
    ),
    Dept(
        key="sz_swj",
        name="深圳市水务局",
        short_name="市水务局",
        region="440300",
        prefix="11",
        kind="1",
        seed=22,
        address="深圳市福田区福强路2102号",
        hall=SZ_HALL,
        phone="0755-83072500",
        website="https://swj.sz.gov.cn",
        sector="19",
        office="排水管理处",
    ),
    Dept(
        key="sz_gjj",
        name="深圳市住房公积金管理中心",
        short_name="市公积金中心",
        region="440300",
        prefix="12",
        kind="2",
        seed=23,
        address="深圳市福田区深南大道6008号特区报业大厦",
        hall="深圳市住房公积金管理中心各管理部服务大厅",
        phone="0755-12329",
        website="https://zjj.sz.gov.cn/gjj",
        sector="17",
        office="归集提取部",
    ),
    Dept(
        key="sz_cl",
        name="深圳市残疾人联合会",
        short_name="市残联",
        region="440300",
        prefix="13",
        kind="2",
        seed=24,
        address="深圳市福田区彩田路2006号",
        hall="户籍所在地街道残疾人综合服务窗口",
        phone="0755-82923622",
        website="https://cl.sz.gov.cn",
        sector="56",
        office="康复部",
    ),
    Dept(
        key="ns_scj",
        name="深圳市市场监督管理局南山监管局",
        short_name="南山市场监管局",
        region="440305",
        prefix="11",
        kind="1",
        seed=31,
        address="深圳市南山区南头街道南山大道",
        hall="深圳市南山区行政服务大厅",
        phone="0755-26662600",
        website="https://amr.sz.gov.cn",
        sector="27",
        office="食品流通监管科",
        review_region="440300",
    ),
    Dept(
        key="ns_mzj",
        name="深圳市南山区民政局",
        short_name="南山区民政局",
        region="440305",
        prefix="11",
        kind="1",
        seed=32,
        address="深圳市南山区南头街道桃园路",
        hall="深圳市南山区行政服务大厅民政窗口",
        phone="0755-26652310",
        website="https://www.szns.gov.cn",
        sector="10",
        office="社会救助科",
    ),
    Dept(
        key="ns_cgj",
        name="深圳市南山区城市管理和综合执法局",
        short_name="南山区城管局",
        region="440305",
        prefix="11",
        kind="1",
        seed=33,
        address="深圳市南山区南头街道南山大道",
        hall="深圳市南山区行政服务大厅",
        phone="0755-26650312",
        website="https://www.szns.gov.cn",
        sector="17",
        office="市容环境科",
    ),
    Dept(
        key="ft_wjj",
        name="深圳市福田区卫生健康局",
        short_name="福田区卫生健康局",
        region="440304",
        prefix="11",
        kind="1",
        seed=34,
        address="深圳市福田区福田街道福民路",
        hall="深圳市福田区行政服务大厅卫生健康窗口",
        phone="0755-82918800",
        website="https://www.szft.gov.cn",
        sector="26",
        office="医政科",
    ),
    Dept(
        key="ba_jyj",
        name="深圳市宝安区教育局",
        short_name="宝安区教育局",
        region="440306",
        prefix="11",
        kind="1",
        seed=35,
        address="深圳市宝安区新安街道罗田路",
        hall="深圳市宝安区行政服务大厅教育窗口",
        phone="0755-29992900",
        website="https://www.baoan.gov.cn",
        sector="06",
        office="基础教育科",
    ),
)
DEPTS = {dept.key: dept for dept in DEPARTMENTS}

TOPICS: tuple[tuple[str, str, str, str], ...] = (
    ("P-FERTILITY", "生育收养", "PERSON", "出生医学证明、生育登记、收养登记等"),
    ("P-HUKOU", "户籍办理", "PERSON", "出生入户、户口迁移、死亡注销等户口登记"),
    ("P-ID", "证件办理", "PERSON", "居民身份证、居住证等身份证件"),
    ("P-EDU", "教育科研", "PERSON", "入学、学位、教师资格"),
    ("P-JOB", "就业创业", "PERSON", "失业登记、创业扶持、从业资格"),
    ("P-SOCIAL", "社会保障", "PERSON", "养老、失业、医疗等社会保险待遇"),
    ("P-HEALTH", "医疗卫生", "PERSON", "医保参保、异地就医、医务人员执业"),
    ("P-ELDER", "养老服务", "PERSON", "老年人优待、高龄津贴"),
    ("P-HOUSING", "住房保障", "PERSON", "住房公积金、公共租赁住房"),
    ("P-TRAFFIC", "交通出行", "PERSON", "驾驶证、机动车检验、网约车驾驶员"),
    ("P-MARRIAGE", "婚姻登记", "PERSON", "结婚、离婚、补领婚姻登记证"),
    ("P-DISABLED", "残疾人", "PERSON", "残疾人证及残疾人服务"),
    ("P-ASSIST", "社会救助", "PERSON", "最低生活保障、临时救助"),
    ("P-PROPERTY", "不动产", "PERSON", "房屋买卖、抵押登记与登记资料查询"),
    ("L-SETUP", "设立变更", "LEGAL", "企业、个体工商户、社会组织的设立、变更、注销登记"),
    ("L-PERMIT", "准营准办", "LEGAL", "取得营业执照后从事特定经营活动所需的许可"),
    ("L-QUALIFY", "资质认证", "LEGAL", "企业资质、执业资格"),
    ("L-HR", "人力资源", "LEGAL", "人力资源服务、劳务派遣、单位参保与公积金缴存"),
    ("L-CONSTRUCT", "建设工程", "LEGAL", "规划许可、施工许可、竣工验收备案"),
    ("L-TRANSPORT", "交通运输", "LEGAL", "道路运输、网约车、城市道路占用挖掘"),
    ("L-HEALTH", "卫生健康", "LEGAL", "医疗机构、放射诊疗、公共场所卫生"),
    ("L-FOOD", "食品药品", "LEGAL", "食品经营、食品生产、医疗器械经营"),
    ("L-SOCIALORG", "社会组织", "LEGAL", "社会团体、基金会、养老机构"),
    ("L-SECURITY", "公共安全", "LEGAL", "保安服务、特种行业、公章刻制"),
    ("L-PROPERTY", "不动产登记", "LEGAL", "企业不动产首次登记、抵押登记"),
)

LIFE_EVENTS: tuple[tuple[str, str, str, str], ...] = (
    ("P-BIRTH", "出生", "PERSON", "新生儿出生后要办的事：出生医学证明、入户、医保参保"),
    ("P-SCHOOL", "上学", "PERSON", "子女入学、学位申请"),
    ("P-WORK", "工作", "PERSON", "求职就业、失业、创业与从业资格"),
    ("P-MARRY", "结婚", "PERSON", "结婚登记、生育登记等"),
    ("P-HOUSE", "购房", "PERSON", "买房、公积金提取、不动产登记"),
    ("P-MOVE", "迁居", "PERSON", "户口迁移、居住证、异地就医"),
    ("P-DRIVE", "驾车出行", "PERSON", "驾驶证换补、机动车年审"),
    ("P-SICK", "就医", "PERSON", "看病报销、异地就医、残疾评定"),
    ("P-RETIRE", "退休", "PERSON", "退休待遇申领、公积金提取"),
    ("P-OLD", "养老", "PERSON", "老年人优待、高龄津贴、居民养老保险"),
    ("P-HARDSHIP", "遇到困难", "PERSON", "低保、临时救助等社会救助"),
    ("P-DEATH", "身后事", "PERSON", "死亡登记、丧葬补助金和抚恤金"),
    ("L-OPEN", "开办企业", "LEGAL", "营业执照、刻章、社保和公积金登记"),
    ("L-OPERATE", "准营", "LEGAL", "取得从事特定经营活动的许可"),
    ("L-CHANGE", "变更", "LEGAL", "名称、住所、法定代表人等登记事项变更"),
    ("L-INVEST", "投资建设", "LEGAL", "工程建设项目从用地规划到竣工验收"),
    ("L-HIRE", "招用员工", "LEGAL", "用工、参保与人力资源服务"),
    ("L-EXIT", "注销", "LEGAL", "企业、个体工商户退出市场"),
)

SYNONYMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("开饭店", ("餐饮", "食品经营")),
    ("开餐馆", ("餐饮", "食品经营")),
    ("开小吃店", ("餐饮", "食品经营", "个体工商户")),
    ("开公司", ("企业设立登记",)),
    ("营业执照", ("企业设立登记", "个体工商户设立登记")),
    ("老年证", ("老年人优待证",)),
    ("身份证", ("居民身份证",)),
    ("社保", ("社会保险",)),
    ("医保", ("基本医疗保险", "医疗费用", "异地就医")),
    ("公积金", ("住房公积金",)),
    ("生孩子", ("出生", "生育")),
    ("准生证", ("生育登记",)),
    ("上户口", ("出生登记", "户口迁移")),
    ("驾照", ("机动车驾驶证",)),
    ("车辆年审", ("机动车检验合格标志",)),
    ("低保", ("最低生活保障",)),
    ("房产证", ("不动产权证书", "不动产登记")),
    ("网约车", ("网络预约出租汽车",)),
    ("招牌", ("户外广告设置",)),
    ("残疾证", ("残疾人证",)),
    ("领结婚证", ("结婚登记",)),
    ("施工证", ("建筑工程施工许可",)),
    ("退休", ("养老保险待遇", "退休")),
    ("异地看病", ("异地就医备案",)),
)


# --------------------------------------------------------------------------------------------
# Matter specifications
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Mat:
    """One 申请材料; situational materials (named by an option) are 非必要 with their case."""

    name: str
    mtype: str = "1"  # 1 原件 · 2 复印件 · 3 原件或复印件
    form: str = "3"  # 1 纸质 · 2 电子 · 3 纸质/电子
    need: str = "1"  # 1 必要 · 2 非必要 · 3 容缺后补
    case: str = ""
    orig: int = 1
    copies: int = 0
    paper: str = "A4"
    source: str = "10"  # 10 申请人自备 · 20 政府部门核发 · 30 中介机构出具 · 99 其他
    source_explain: str = ""
    issuer: str = ""
    fill: str = ""
    std: str = ""
    basis: str = ""
    blank: str = ""  # text of a generated blank form, if any


@dataclass(frozen=True, kw_only=True)
class Opt:
    label: str
    materials: tuple[str, ...] = ()  # material names
    conditions: str = ""


@dataclass(frozen=True, kw_only=True)
class Sit:
    text: str
    options: tuple[Opt, ...]
    help: str = ""


@dataclass(frozen=True, kw_only=True)
class Fee:
    name: str
    standard: str
    basis: str
    reducible: bool = False
    reduction: str = ""


@dataclass(frozen=True, kw_only=True)
class Step:
    name: str
    handler: str
    limit: int
    special: str = ""


@dataclass(frozen=True, kw_only=True)
class M:
    """One matter (实施清单事项) as written by a catalogue editor; the builder derives the rest."""

    name: str
    dept: str
    mtype: str
    objects: tuple[str, ...]
    summary: str
    aliases: tuple[str, ...]
    legal: str
    conditions: str
    materials: tuple[Mat, ...]
    result: tuple[str, str]  # (result_type, result_name)
    topics: tuple[str, ...]
    events: tuple[str, ...]
    faqs: tuple[tuple[str, str], ...]
    stat: tuple[int, str, str]  # statutory limit, unit, explanation
    prom: tuple[int, str] = (
        -1,
        "",
    )  # promised limit (same unit), explanation; -1 = same as statutory
    situations: tuple[Sit, ...] = ()
    special: str = "无"
    visits: int = 0
    visits_explain: str = ""
    online: bool = True
    depth: str = "4"
    forms: tuple[str, ...] = ()
    express: bool = True
    appointment: bool = True
    self_service: bool = False
    area: str = ""
    quantity: str = "无数量限制"
    fees: tuple[Fee, ...] = ()
    fee_basis: str = ""
    pay_online: bool = False
    electronic: bool = True
    delivery: str = ""
    steps: tuple[Step, ...] = ()
    office: str = ""
    power_source: str = "法定本级行使"
    local: bool = False  # locally added item: 基本编码 region "44" instead of "00"
    group: str = ""  # sub-items of one main item share the 主项代码
    short_name: str = ""
    joint: str = "NONE"
    rights: str = ""
    address: str = ""
    process: str = ""
    retired: bool = False


def certificate(name: str, issuer: str, *, mtype: str = "3") -> Mat:
    """A certificate issued by a government body (来源渠道 20), usually shareable electronically."""
    return Mat(
        name=name,
        mtype=mtype,
        source="20",
        issuer=issuer,
        paper="不限",
        source_explain=f"由{issuer}核发；已归集电子证照的，可通过数据共享调取，无需另行提交",
        std="证件真实有效、在有效期内，信息清晰完整",
    )


def id_card(who: str = "申请人") -> Mat:
    return certificate(f"{who}居民身份证", "公安机关", mtype="1")


def situational(material: Mat, case: str) -> Mat:
    """A material that only some situations need (named by a 情形引导 option)."""
    return replace(material, need="2", case=case)


def proxy_materials(*, legal: bool = False) -> tuple[Mat, Mat]:
    if legal:
        case = "委托经办人办理时提供"
        letter = Mat(
            name="授权委托书",
            std="载明委托事项、权限和期限，由法定代表人（负责人）签字并加盖单位公章",
            source_explain="申请人自备，可使用在线模板生成",
        )
        agent = id_card("经办人")
    else:
        case = "委托他人代为办理时提供"
        letter = Mat(
            name="授权委托书",
            std="载明委托事项、权限和期限，由委托人本人签名",
            source_explain="申请人自备，可使用在线模板生成",
        )
        agent = id_card("受托人")
    return situational(letter, case), situational(agent, case)


def proxy_question(*, legal: bool = False) -> Sit:
    if legal:
        return Sit(
            text="由谁办理本事项？",
            help="法定代表人（负责人）通过“粤商通”实名认证后办理的，无需提交授权材料。",
            options=(
                Opt(label="法定代表人（负责人）本人办理"),
                Opt(
                    label="委托经办人办理",
                    materials=("授权委托书", "经办人居民身份证"),
                    conditions="经办人须持本人有效身份证件，并在授权范围内办理。",
                ),
            ),
        )
    return Sit(
        text="是否委托他人代为办理？",
        help="本事项允许委托办理；依法须本人到场的环节除外。",
        options=(
            Opt(label="本人办理"),
            Opt(
                label="委托他人代为办理",
                materials=("授权委托书", "受托人居民身份证"),
                conditions="受托人应为完全民事行为能力人，并持本人有效身份证件。",
            ),
        ),
    )


PROXY = proxy_materials()
PROXY_LEGAL = proxy_materials(legal=True)
PROXY_Q = proxy_question()
PROXY_Q_LEGAL = proxy_question(legal=True)
BIZ_LICENCE = replace(
    certificate("营业执照", "市场监督管理部门"), std="在有效期内，名称与申请人一致"
)
LEGAL_REP_ID = id_card("法定代表人（负责人）")
HUKOU_BOOK = replace(
    certificate("居民户口簿", "公安机关", mtype="1"), std="户口簿首页及本人页信息完整、真实"
)


# --------------------------------------------------------------------------------------------
# The catalogue: matters for citizens (service object 1)
# --------------------------------------------------------------------------------------------

ID_FEE_BASIS = (
    "《中华人民共和国居民身份证法》第二十条；《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》"
    "（发改价格〔2003〕2322号）"
)
ID_FEE_REDUCTION = (
    "《中华人民共和国居民身份证法》第二十条：城市中领取最低生活保障金的居民、农村中有特殊生活困难的居民，"
    "在其初次申请领取和换领居民身份证时，免收工本费"
)
DRIVING_FEE_BASIS = (
    "《国家发展改革委 财政部关于公安交通管理收费标准及有关问题的通知》（发改价格〔2004〕2831号）"
)
REGISTRY_FEE_BASIS = (
    "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）；"
    "《财政部 国家发展改革委关于不动产登记收费有关政策问题的通知》（财税〔2016〕79号）"
)
REGISTRY_FEE_REDUCTION = (
    "财税〔2016〕79号：小微企业（含个体工商户）申请不动产登记的，免征不动产登记费"
)
PHOTO = Mat(
    name="居民身份证数码相片回执",
    need="2",
    case="在社会照相馆拍摄相片的提供；在受理点现场拍照的无需提供",
    form="2",
    source="30",
    issuer="公安机关认可的照相机构",
    source_explain="由公安机关认可的照相机构拍摄并上传",
    std="相片回执在有效期内，相片符合居民身份证照片标准",
)
ID_FORM = Mat(
    name="居民身份证申领登记表",
    form="1",
    source="99",
    source_explain="受理点现场打印，核对无误后由申领人签名",
    std="登记信息与户籍信息一致，申领人本人签名（未满十六周岁的由监护人签名）",
)
RESIDENCE_BASES = (
    Opt(label="在深圳有合法稳定就业", materials=("劳动合同或营业执照",)),
    Opt(label="在深圳有合法稳定住所", materials=("房屋租赁合同或房屋权属证明",)),
    Opt(label="在深圳连续就读", materials=("学校出具的在读证明",)),
)
RESIDENCE_MATERIALS = (
    situational(
        Mat(
            name="劳动合同或营业执照",
            mtype="3",
            std="劳动合同在有效期内；或为本人名下营业执照",
            source_explain="申请人自备；在本市参加社会保险的，可通过数据共享核验，免于提交",
        ),
        "以合法稳定就业为依据申请时提供",
    ),
    situational(
        Mat(
            name="房屋租赁合同或房屋权属证明",
            mtype="3",
            std="租赁合同已办理登记备案，或房屋登记在本人或近亲属名下",
            source_explain="申请人自备；已办理租赁登记或不动产登记的，可通过数据共享核验",
        ),
        "以合法稳定住所为依据申请时提供",
    ),
    situational(
        Mat(
            name="学校出具的在读证明",
            source="99",
            issuer="就读学校",
            std="加盖学校公章，注明在读起止时间",
            source_explain="由就读学校出具",
        ),
        "以连续就读为依据申请时提供",
    ),
)
MARRIAGE_STATEMENT = Mat(
    name="申请结婚登记声明书",
    form="1",
    source="99",
    source_explain="婚姻登记机关提供，当事人在婚姻登记员面前亲自签名",
    std="双方亲笔签名并按指纹，内容真实",
)
BANK_ACCOUNT = Mat(
    name="本人银行结算账户信息",
    form="2",
    orig=0,
    source_explain="申请人在线填写本人社会保障卡金融账户或一类银行结算账户",
    std="账户户名与申请人一致，账户状态正常",
)

PERSON_MATTERS: tuple[M, ...] = (
    M(
        name="居民身份证首次申领",
        dept="sz_ga",
        mtype="07",
        objects=("1",),
        group="居民身份证",
        summary="本市户籍居民首次申请领取居民身份证，年满十六周岁的应当申领，未满十六周岁的可以自愿申领。",
        aliases=("办身份证", "身份证申领", "第一次办身份证"),
        legal="《中华人民共和国居民身份证法》第二条、第七条、第八条、第十条、第十二条",
        conditions=(
            "1. 本市常住户口居民；\n2. 年满十六周岁的，应当自年满十六周岁之日起三个月内申领；"
            "未满十六周岁的可以自愿申领，由监护人代为申请；\n3. 申领人须本人到场采集人像和指纹信息。"
        ),
        materials=(
            HUKOU_BOOK,
            ID_FORM,
            situational(id_card("监护人"), "申领人未满十六周岁时提供"),
            PHOTO,
        ),
        situations=(
            Sit(
                text="申领人是否已满十六周岁？",
                options=(
                    Opt(label="已满十六周岁"),
                    Opt(
                        label="未满十六周岁",
                        materials=("监护人居民身份证",),
                        conditions="须由监护人陪同到场办理，证件有效期为五年。",
                    ),
                ),
            ),
        ),
        result=("PROOF", "中华人民共和国居民身份证"),
        topics=("P-ID",),
        events=("P-SCHOOL",),
        stat=(
            60,
            "CD",
            "《中华人民共和国居民身份证法》第十二条：公安机关应当自公民提交《居民身份证申领登记表》之日起六十日内发放居民身份证",
        ),
        prom=(20, "自受理之日起20个自然日内制证完毕"),
        visits=1,
        visits_explain="须本人到受理点现场采集人像和指纹信息，并核验本人身份",
        depth="3",
        self_service=True,
        fees=(
            Fee(
                name="居民身份证工本费",
                standard="每证20元",
                basis=ID_FEE_BASIS,
                reducible=True,
                reduction=ID_FEE_REDUCTION,
            ),
        ),
        fee_basis=ID_FEE_BASIS,
        pay_online=True,
        electronic=False,
        delivery="制证完成后凭受理回执到受理点领取，或在受理时选择邮政快递送达（到付）。",
        faqs=(
            (
                "孩子未满十六周岁可以办理身份证吗？",
                "可以。由监护人陪同到户籍所在地受理点申领，证件有效期为五年。",
            ),
            (
                "申领后多久可以拿到证件？",
                "一般在受理之日起20个自然日内制证完毕，可在“深圳公安”公众号查询制证进度。",
            ),
        ),
    ),
    M(
        name="居民身份证换领",
        dept="sz_ga",
        mtype="07",
        objects=("1",),
        group="居民身份证",
        area="CROSS_PROVINCE",
        summary="居民身份证有效期满、严重损坏不能辨认或登记项目变更的，申请换领新证；非本省户籍人员可在深圳异地换领。",
        aliases=("身份证到期", "换身份证", "身份证过期"),
        legal="《中华人民共和国居民身份证法》第十一条、第十二条；《国务院办公厅转发公安部关于建立居民身份证异地受理挂失申报和丢失招领制度意见的通知》（国办发〔2015〕38号）",
        conditions="1. 持有居民身份证，且证件有效期满或将在三个月内期满、严重损坏不能辨认，或姓名等登记项目发生变更；\n2. 须本人到场采集人像和指纹信息，领取新证时交回原证。",
        materials=(
            certificate("原居民身份证", "公安机关", mtype="1"),
            ID_FORM,
            situational(HUKOU_BOOK, "因姓名等登记项目变更换领时提供"),
            PHOTO,
        ),
        situations=(
            Sit(
                text="因何原因换领居民身份证？",
                options=(
                    Opt(label="有效期满或即将期满"),
                    Opt(label="证件严重损坏不能辨认", conditions="按损坏换领收取工本费每证40元。"),
                    Opt(
                        label="姓名等登记项目已变更",
                        materials=("居民户口簿",),
                        conditions="户口簿上的登记项目须已完成变更。",
                    ),
                ),
            ),
        ),
        result=("PROOF", "中华人民共和国居民身份证"),
        topics=("P-ID",),
        events=("P-MOVE",),
        stat=(
            60,
            "CD",
            "《中华人民共和国居民身份证法》第十二条：公安机关应当自公民提交《居民身份证申领登记表》之日起六十日内发放居民身份证",
        ),
        prom=(
            20,
            "本省户籍自受理之日起20个自然日内制证完毕；跨省异地换领的以制证地公安机关实际时间为准",
        ),
        visits=1,
        visits_explain="须本人到受理点现场采集人像和指纹信息",
        depth="3",
        self_service=True,
        fees=(
            Fee(
                name="居民身份证工本费（期满或变更换领）",
                standard="每证20元",
                basis=ID_FEE_BASIS,
                reducible=True,
                reduction=ID_FEE_REDUCTION,
            ),
            Fee(name="居民身份证工本费（损坏换领）", standard="每证40元", basis=ID_FEE_BASIS),
        ),
        fee_basis=ID_FEE_BASIS,
        pay_online=True,
        electronic=False,
        delivery="制证完成后凭受理回执到受理点领取，或在受理时选择邮政快递送达（到付）。",
        faqs=(
            ("身份证还有两个月到期，现在可以换吗？", "可以。有效期满前三个月内即可申请换领。"),
            (
                "外省户籍可以在深圳换领身份证吗？",
                "可以。居民身份证换领已实行跨省通办，可在深圳任一异地受理点申请。",
            ),
        ),
    ),
    M(
        name="居民身份证补领",
        dept="sz_ga",
        mtype="07",
        objects=("1",),
        group="居民身份证",
        area="CROSS_PROVINCE",
        summary="居民身份证丢失的，申请补领新证；补领前可先在线办理挂失申报。",
        aliases=("身份证丢了", "身份证补办", "身份证挂失"),
        legal="《中华人民共和国居民身份证法》第十一条、第十二条、第二十条",
        conditions="1. 居民身份证丢失或被盗；\n2. 须本人到场采集人像和指纹信息；\n3. 补领期间急需使用的，可同时申领临时居民身份证。",
        materials=(ID_FORM, situational(HUKOU_BOOK, "在户籍所在地受理点补领时提供"), PHOTO),
        situations=(
            Sit(
                text="在哪里申请补领？",
                options=(
                    Opt(label="在户籍所在地受理点", materials=("居民户口簿",)),
                    Opt(
                        label="在非户籍所在地的深圳受理点（异地补领）",
                        conditions="凭本人指纹或人像比对核验身份，无需户口簿。",
                    ),
                ),
            ),
        ),
        result=("PROOF", "中华人民共和国居民身份证"),
        topics=("P-ID",),
        events=("P-MOVE",),
        stat=(
            60,
            "CD",
            "《中华人民共和国居民身份证法》第十二条：公安机关应当自公民提交《居民身份证申领登记表》之日起六十日内发放居民身份证",
        ),
        prom=(20, "本省户籍自受理之日起20个自然日内制证完毕"),
        visits=1,
        visits_explain="须本人到受理点现场采集人像和指纹信息",
        depth="3",
        self_service=True,
        fees=(Fee(name="居民身份证工本费（丢失补领）", standard="每证40元", basis=ID_FEE_BASIS),),
        fee_basis=ID_FEE_BASIS,
        pay_online=True,
        electronic=False,
        delivery="制证完成后凭受理回执到受理点领取，或在受理时选择邮政快递送达（到付）。",
        faqs=(
            (
                "身份证丢了要先登报声明吗？",
                "不需要。可通过“深圳公安”公众号办理挂失申报，挂失后原证件在公安系统中作废。",
            ),
        ),
    ),
    M(
        name="临时居民身份证申领",
        dept="sz_ga",
        mtype="07",
        objects=("1",),
        summary="在申领、换领、补领居民身份证期间急需使用身份证件的，可申领临时居民身份证，有效期三个月。",
        aliases=("临时身份证", "急用身份证"),
        legal="《中华人民共和国居民身份证法》第十二条；《中华人民共和国临时居民身份证管理办法》第四条、第七条",
        conditions="1. 已在本市申请领取、换领或补领居民身份证，尚未领到新证；\n2. 因乘坐交通工具、办理业务等急需使用身份证件。",
        materials=(
            HUKOU_BOOK,
            Mat(
                name="居民身份证受理回执",
                source="20",
                issuer="公安机关",
                paper="不限",
                source_explain="申领、换领、补领居民身份证时由受理点出具",
                std="回执在有效期内，与申领人一致",
            ),
            Mat(
                name="临时居民身份证相片",
                form="1",
                orig=2,
                paper="不限",
                source="30",
                issuer="照相机构",
                source_explain="近期正面免冠彩色相片，也可在受理点现场拍摄",
                std="近三个月内拍摄，符合证件照标准",
            ),
        ),
        result=("PROOF", "中华人民共和国临时居民身份证"),
        topics=("P-ID",),
        events=("P-MOVE",),
        stat=(
            3,
            "CD",
            "《中华人民共和国临时居民身份证管理办法》：公安机关应当自受理之日起三日内签发临时居民身份证",
        ),
        prom=(1, "材料齐全的，次日即可领取；有条件的受理点当场签发"),
        visits=1,
        visits_explain="须本人到受理点核验身份并领取证件",
        online=False,
        express=False,
        fees=(
            Fee(
                name="临时居民身份证工本费",
                standard="每证10元",
                basis="《国家发展改革委 财政部关于临时居民身份证收费标准的通知》（发改价格〔2005〕436号）",
            ),
        ),
        fee_basis="《中华人民共和国临时居民身份证管理办法》；发改价格〔2005〕436号",
        electronic=False,
        delivery="到受理点现场领取。",
        faqs=(
            (
                "临时身份证能用多久？",
                "临时居民身份证有效期为三个月，领取新的居民身份证后应当交回。",
            ),
        ),
    ),
    M(
        name="出生登记",
        dept="sz_ga",
        mtype="07",
        objects=("1",),
        short_name="新生儿入户",
        summary="新生儿随父亲或母亲在深圳申报出生登记、落户，可通过“出生一件事”线上联办。",
        aliases=("新生儿入户", "上户口", "宝宝落户", "出生入户"),
        legal="《中华人民共和国户口登记条例》第七条；《国务院办公厅关于解决无户口人员登记户口问题的意见》（国办发〔2015〕96号）",
        conditions="1. 新生儿父亲或母亲一方为本市户籍；\n2. 婴儿出生后一个月以内申报，逾期的须说明原因；\n3. 随父或随母落户，依父母意愿选择。",
        materials=(
            certificate("出生医学证明", "助产医疗机构"),
            id_card("父母双方"),
            replace(HUKOU_BOOK, name="落户方居民户口簿"),
            situational(certificate("父母结婚证", "婚姻登记机关"), "父母为婚姻关系时提供"),
            situational(
                Mat(name="非婚生育情况说明", std="由父母双方或落户方签名，如实说明生育情况"),
                "非婚生育时提供",
            ),
        ),
        situations=(
            Sit(
                text="新生儿父母的婚姻状况？",
                options=(
                    Opt(label="父母为合法婚姻关系", materials=("父母结婚证",)),
                    Opt(
                        label="非婚生育",
                        materials=("非婚生育情况说明",),
                        conditions="出生医学证明未记载父亲信息而随父落户的，须另行提供亲子鉴定证明。",
                    ),
                ),
            ),
        ),
        result=("OTHER", "户口登记（居民户口簿本人页）"),
        topics=("P-HUKOU", "P-FERTILITY"),
        events=("P-BIRTH",),
        stat=(10, "WD", "法律、行政法规未规定办理时限，按公安机关户政业务规范确定为10个工作日"),
        prom=(5, "材料齐全的，自受理之日起5个工作日内办结"),
        depth="4",
        delivery="办结后户口簿本人页可邮寄送达，或到派出所户政窗口领取；电子户籍信息同步至“粤省事”。",
        faqs=(
            (
                "可以网上办理新生儿入户吗？",
                "可以。通过“粤省事”“出生一件事”一次申请，同时办理出生登记、医保参保和社保卡申领。",
            ),
            (
                "超过一个月才申报出生登记怎么办？",
                "可以补办，须书面说明逾期原因，其余材料与按期申报相同。",
            ),
        ),
    ),
    M(
        name="户口迁移",
        dept="sz_ga",
        mtype="07",
        objects=("1",),
        area="CROSS_PROVINCE",
        summary="符合深圳户籍迁入条件的人员申请将户口迁入深圳，跨省迁移实行“一站式”办理，无需回迁出地开具迁移证。",
        aliases=("迁户口", "入深户", "落户深圳", "调干入户"),
        legal="《中华人民共和国户口登记条例》第十条、第十三条；《公安部关于进一步推进户籍制度改革的意见》",
        conditions="1. 符合本市户籍迁入政策规定的人才引进、投靠或其他迁入条件；\n2. 在本市有合法稳定住所或可落户的集体户；\n3. 迁入人员无在逃、在押等不得迁移户口的情形。",
        materials=(
            id_card(),
            replace(HUKOU_BOOK, name="迁出地居民户口簿"),
            Mat(
                name="落户地址证明",
                mtype="3",
                std="房屋权属证明或集体户口接收证明，地址与申报落户地址一致",
                source_explain="申请人自备；自有住房的可通过不动产登记信息共享核验",
            ),
            situational(certificate("普通高等学校毕业证书", "高等学校"), "人才引进入户时提供"),
            situational(certificate("夫妻双方结婚证", "婚姻登记机关"), "夫妻投靠入户时提供"),
            situational(
                Mat(
                    name="亲属关系证明",
                    mtype="3",
                    source="20",
                    issuer="公安机关或公证机构",
                    std="能证明投靠双方为父母子女关系",
                ),
                "父母投靠子女入户时提供",
            ),
            *PROXY,
        ),
        situations=(
            Sit(
                text="您申请迁入深圳的类型？",
                options=(
                    Opt(
                        label="人才引进（学历型）",
                        materials=("普通高等学校毕业证书",),
                        conditions="全日制本科及以上学历，且年龄符合本市人才引进政策。",
                    ),
                    Opt(
                        label="夫妻投靠",
                        materials=("夫妻双方结婚证",),
                        conditions="配偶为本市户籍，且婚姻关系及在深居住年限符合政策规定。",
                    ),
                    Opt(
                        label="父母投靠子女",
                        materials=("亲属关系证明",),
                        conditions="投靠的子女为本市户籍且已落户满规定年限。",
                    ),
                ),
            ),
            PROXY_Q,
        ),
        result=("OTHER", "户口迁入登记（居民户口簿本人页）"),
        topics=("P-HUKOU",),
        events=("P-MOVE", "P-WORK"),
        stat=(20, "WD", "法律、行政法规未规定办理时限，按公安机关户政业务规范确定为20个工作日"),
        prom=(10, "材料齐全的，自受理之日起10个工作日内办结（跨省迁移含迁出地核验时间）"),
        depth="4",
        special="跨省迁移信息核验（不计入承诺时限）",
        faqs=(
            (
                "跨省迁入还需要回老家开迁移证吗？",
                "不需要。跨省迁移已实行“一站式”办理，由深圳公安机关与迁出地联网核验后直接办理。",
            ),
            ("集体户可以落户吗？", "可以落入单位集体户或人才集体户，须提供集体户口接收证明。"),
        ),
    ),
    M(
        name="居住证申领",
        dept="sz_ga",
        mtype="07",
        objects=("1",),
        summary="离开常住户口所在地到深圳居住半年以上，且有合法稳定就业、住所或连续就读之一的，可以申领居住证。",
        aliases=("办居住证", "深圳居住证"),
        legal="《居住证暂行条例》第二条、第九条、第十条、第十一条",
        conditions="1. 在深圳已办理居住登记满半年；\n2. 符合有合法稳定就业、合法稳定住所、连续就读三个条件之一。",
        materials=(
            id_card(),
            Mat(
                name="居住登记凭证",
                form="2",
                orig=0,
                source="20",
                issuer="公安派出所",
                source_explain="居住登记信息由系统自动核验，无需提交纸质材料",
                std="居住登记已满六个月",
            ),
            *RESIDENCE_MATERIALS,
        ),
        situations=(Sit(text="您申领居住证的依据是？", options=RESIDENCE_BASES),),
        result=("PROOF", "广东省居住证"),
        topics=("P-ID",),
        events=("P-MOVE", "P-WORK"),
        stat=(
            15,
            "CD",
            "《居住证暂行条例》第十一条：公安派出所应当自受理之日起15日内制作发放居住证",
        ),
        prom=(10, "自受理之日起10个自然日内制证完毕"),
        depth="4",
        self_service=True,
        delivery="制证完成后可邮寄送达或到派出所领取；电子居住证同步至“粤省事”。",
        faqs=(
            (
                "首次申领居住证要收费吗？",
                "不收费。首次申领居住证免收证件工本费；换领、补领的按规定缴纳工本费。",
            ),
        ),
    ),
    M(
        name="居住证签注",
        dept="sz_ga",
        mtype="07",
        objects=("1",),
        summary="居住证持有人在深圳连续居住满一年、符合申领条件的，每年签注一次，签注后延续居住证有效期。",
        aliases=("居住证续签", "居住证年审"),
        legal="《居住证暂行条例》第十四条",
        conditions="1. 持有有效的广东省居住证；\n2. 居住地址未发生跨区变化，且仍符合合法稳定就业、住所或连续就读条件之一；\n3. 在居住证有效期满前一个月内申请。",
        materials=(certificate("广东省居住证", "公安机关"), id_card(), *RESIDENCE_MATERIALS),
        situations=(
            Sit(
                text="本次签注的依据是？",
                options=RESIDENCE_BASES,
                help="通过社保、租赁登记、学籍信息共享能自动核验的，系统不再要求上传材料。",
            ),
        ),
        result=("STAMP", "居住证签注（电子签注记录）"),
        topics=("P-ID",),
        events=("P-MOVE",),
        stat=(15, "CD", "《居住证暂行条例》未单独规定签注时限，参照第十一条居住证制作发放时限执行"),
        prom=(0, "信息核验通过的，即时完成签注"),
        self_service=True,
        appointment=False,
        delivery="签注结果实时更新至电子居住证，无需领取。",
        faqs=(
            (
                "签注过期了怎么办？",
                "逾期未签注的，居住证在签注期间停止使用；符合条件的仍可随时申请签注，签注后恢复使用。",
            ),
        ),
    ),
    M(
        name="死亡登记（注销户口）",
        dept="sz_ga",
        mtype="07",
        objects=("1",),
        summary="本市户籍居民死亡后，由其亲属或相关人员申报死亡登记，注销户口。",
        aliases=("户口注销", "死亡注销户口", "注销身份证"),
        legal="《中华人民共和国户口登记条例》第八条",
        conditions="1. 死亡人员为本市户籍；\n2. 由户主、亲属、抚养人或者邻居申报，城市在葬前申报。",
        materials=(
            certificate("居民死亡医学证明（推断）书", "医疗卫生机构"),
            replace(HUKOU_BOOK, name="死者居民户口簿"),
            Mat(
                name="死者居民身份证",
                need="2",
                case="死者生前已领取居民身份证的，申报时交回",
                source="20",
                issuer="公安机关",
                paper="不限",
                source_explain="死者生前由公安机关签发",
                std="原件交回注销；遗失的作出书面说明",
            ),
            id_card("申报人"),
        ),
        result=("PROOF", "户口注销证明"),
        topics=("P-HUKOU",),
        events=("P-DEATH",),
        stat=(1, "WD", "法律、行政法规未规定办理时限，按公安机关户政业务规范当场办结"),
        prom=(0, "材料齐全的，当场办结"),
        visits=1,
        visits_explain="须交回死者居民身份证、户口簿，由申报人到派出所户政窗口办理",
        online=False,
        electronic=False,
        delivery="当场出具户口注销证明。",
        faqs=(
            (
                "死亡登记可以在哪里办？",
                "到死者户籍所在地派出所户政窗口办理，也可在“身后一件事”窗口一并办理。",
            ),
        ),
    ),
    M(
        name="机动车驾驶证换证",
        dept="sz_jj",
        mtype="01",
        objects=("1",),
        group="机动车驾驶证",
        area="NATION",
        summary="机动车驾驶证有效期满、驾驶人信息发生变化或证件损毁的，申请换发驾驶证，全国范围内可异地办理。",
        aliases=("驾照到期换证", "换驾照", "驾驶证期满换证"),
        legal="《中华人民共和国道路交通安全法》第十九条；《机动车驾驶证申领和使用规定》（公安部令第162号）关于换证的规定",
        conditions="1. 驾驶证有效期满前九十日内申请，或驾驶人信息发生变化、证件损毁无法辨认；\n2. 驾驶证未被吊销、注销，无未处理的交通违法和事故；\n3. 年满七十周岁的，每年须提交身体条件证明。",
        materials=(
            id_card("驾驶人"),
            certificate("机动车驾驶证", "公安机关交通管理部门"),
            situational(
                Mat(
                    name="驾驶人身体条件证明",
                    form="2",
                    source="30",
                    issuer="具有资质的医疗机构",
                    source_explain="由具有资质的医疗机构体检后上传至交管系统",
                    std="六个月内有效",
                ),
                "有效期满换证时提供",
            ),
            Mat(
                name="驾驶人证件照片",
                form="2",
                source="30",
                issuer="照相机构",
                source_explain="在“交管12123”上传或由照相机构上传",
                std="近六个月内白底正面免冠彩色照片",
            ),
        ),
        situations=(
            Sit(
                text="申请换证的原因？",
                options=(
                    Opt(label="有效期满换证", materials=("驾驶人身体条件证明",)),
                    Opt(
                        label="驾驶人身份信息发生变化",
                        conditions="须先完成户籍或身份证件信息变更。",
                    ),
                    Opt(label="驾驶证损毁无法辨认"),
                ),
            ),
        ),
        result=("LICENCE", "中华人民共和国机动车驾驶证"),
        topics=("P-TRAFFIC",),
        events=("P-DRIVE",),
        stat=(
            1,
            "WD",
            "《机动车驾驶证申领和使用规定》：车辆管理所对符合规定的，当日换发机动车驾驶证",
        ),
        prom=(0, "材料齐全、符合条件的，当场办结"),
        self_service=True,
        fees=(Fee(name="机动车驾驶证工本费", standard="每证10元", basis=DRIVING_FEE_BASIS),),
        fee_basis=DRIVING_FEE_BASIS,
        pay_online=True,
        delivery="网上办理的，新驾驶证邮寄送达；窗口办理的当场领取；电子驾驶证同步更新至“交管12123”。",
        faqs=(
            (
                "驾驶证过期了还能换吗？",
                "超过有效期不满一年的仍可换证；超过一年以上未换证的，驾驶证将被注销，须重新考试或按规定恢复驾驶资格。",
            ),
            (
                "可以网上换证吗？",
                "可以。通过“交管12123”App在线提交身体条件证明和照片，新证件邮寄到家。",
            ),
        ),
    ),
    M(
        name="机动车驾驶证补证",
        dept="sz_jj",
        mtype="01",
        objects=("1",),
        group="机动车驾驶证",
        area="NATION",
        summary="机动车驾驶证遗失的，申请补发驾驶证。",
        aliases=("驾照丢了", "驾驶证补办", "补领驾照"),
        legal="《中华人民共和国道路交通安全法》第十九条；《机动车驾驶证申领和使用规定》（公安部令第162号）关于补证的规定",
        conditions="1. 机动车驾驶证遗失；\n2. 驾驶证未被吊销、注销、扣押。",
        materials=(
            id_card("驾驶人"),
            Mat(
                name="机动车驾驶证申请表",
                form="2",
                orig=0,
                source_explain="在“交管12123”或窗口在线填写生成",
                std="信息填写完整准确，驾驶人确认",
            ),
            Mat(
                name="驾驶人证件照片",
                form="2",
                source="30",
                issuer="照相机构",
                source_explain="在“交管12123”上传或由照相机构上传",
                std="近六个月内白底正面免冠彩色照片",
            ),
        ),
        result=("LICENCE", "中华人民共和国机动车驾驶证"),
        topics=("P-TRAFFIC",),
        events=("P-DRIVE",),
        stat=(
            1,
            "WD",
            "《机动车驾驶证申领和使用规定》：车辆管理所对符合规定的，当日补发机动车驾驶证",
        ),
        prom=(0, "材料齐全、符合条件的，当场办结"),
        self_service=True,
        fees=(Fee(name="机动车驾驶证工本费", standard="每证10元", basis=DRIVING_FEE_BASIS),),
        fee_basis=DRIVING_FEE_BASIS,
        pay_online=True,
        delivery="网上办理的，新驾驶证邮寄送达；窗口办理的当场领取。",
        faqs=(
            (
                "补证期间可以开车吗？",
                "可以使用“交管12123”中的电子驾驶证，电子驾驶证与纸质驾驶证具有同等效力。",
            ),
        ),
    ),
    M(
        name="机动车检验合格标志核发",
        dept="sz_jj",
        mtype="01",
        objects=("1", "2", "6"),
        area="NATION",
        summary="机动车按规定检验合格或符合免检条件的，核发检验合格标志（俗称车辆年审），可在线申领电子检验合格标志。",
        aliases=("车辆年审", "年检标志", "六年免检"),
        legal="《中华人民共和国道路交通安全法》第十三条；《中华人民共和国道路交通安全法实施条例》第十五条、第十六条",
        conditions="1. 机动车在检验有效期满前三个月内申请；\n2. 已投保机动车交通事故责任强制保险；\n3. 交通违法和事故已处理完毕；\n4. 非免检车辆须经机动车安全技术检验机构检验合格。",
        materials=(
            certificate("机动车行驶证", "公安机关交通管理部门"),
            Mat(
                name="机动车交通事故责任强制保险凭证",
                form="2",
                orig=0,
                source="99",
                issuer="保险公司",
                source_explain="由系统与保险行业信息平台联网核验，无需提交",
                std="保险在有效期内",
            ),
            situational(
                Mat(
                    name="机动车安全技术检验报告",
                    form="2",
                    orig=0,
                    source="30",
                    issuer="机动车安全技术检验机构",
                    source_explain="由检验机构联网上传",
                    std="检验结论为合格",
                ),
                "非免检车辆提供",
            ),
        ),
        situations=(
            Sit(
                text="您的车辆是否属于免检车辆？",
                help="非营运小微型载客汽车（面包车除外）注册登记之日起10年内实行免检。",
                options=(
                    Opt(
                        label="是，属于免检车辆",
                        conditions="第6年、第10年须申领检验标志，无需上线检验。",
                    ),
                    Opt(label="否，须上线检验", materials=("机动车安全技术检验报告",)),
                ),
            ),
        ),
        result=("STAMP", "机动车检验合格标志（电子检验合格标志）"),
        topics=("P-TRAFFIC", "L-TRANSPORT"),
        events=("P-DRIVE",),
        stat=(
            1,
            "WD",
            "《中华人民共和国道路交通安全法实施条例》第十六条：对符合条件的，公安机关交通管理部门应当在当日核发检验合格标志",
        ),
        prom=(0, "信息核验通过的，即时核发电子检验合格标志"),
        appointment=False,
        delivery="电子检验合格标志实时生成，可在“交管12123”查看，无需张贴纸质标志。",
        faqs=(
            (
                "六年免检的车还需要做什么？",
                "第6年、第10年须通过“交管12123”申领电子检验标志，无需上线检测。",
            ),
        ),
    ),
    M(
        name="结婚登记",
        dept="ns_mzj",
        mtype="07",
        objects=("1",),
        area="CROSS_PROVINCE",
        summary="内地居民男女双方自愿结婚的，共同到婚姻登记机关申请结婚登记，领取结婚证；符合条件的非本市户籍人员可在深圳办理。",
        aliases=("领结婚证", "登记结婚", "结婚证"),
        legal="《中华人民共和国民法典》第一千零四十六条、第一千零四十七条、第一千零四十九条；《婚姻登记条例》第四条、第五条、第七条",
        conditions="1. 男方年满二十二周岁，女方年满二十周岁；\n2. 男女双方完全自愿；\n3. 双方均无配偶，且无直系血亲或三代以内旁系血亲关系；\n4. 双方须共同亲自到场办理。",
        materials=(
            id_card("男女双方"),
            situational(
                replace(HUKOU_BOOK, name="男女双方居民户口簿"),
                "至少一方为本市户籍或按规定需交验户口簿时提供",
            ),
            situational(
                certificate("深圳市居住证", "公安机关"),
                "双方均非本市户籍、一方持有本市居住证时提供",
            ),
            Mat(
                name="双方近期半身免冠合影照片",
                form="1",
                orig=3,
                paper="不限",
                source="30",
                issuer="照相机构",
                source_explain="可在婚姻登记处现场拍摄",
                std="2寸红底合影照片3张",
            ),
            MARRIAGE_STATEMENT,
        ),
        situations=(
            Sit(
                text="双方的户籍情况？",
                options=(
                    Opt(label="至少一方为深圳户籍", materials=("男女双方居民户口簿",)),
                    Opt(
                        label="双方均非深圳户籍，一方持有深圳居住证",
                        materials=("男女双方居民户口簿", "深圳市居住证"),
                        conditions="居住证须在有效期内。",
                    ),
                ),
            ),
        ),
        result=("PROOF", "结婚证"),
        topics=("P-MARRIAGE",),
        events=("P-MARRY",),
        stat=(
            0,
            "WD",
            "《婚姻登记条例》第七条：对当事人符合结婚条件的，应当当场予以登记，发给结婚证",
        ),
        prom=(0, "符合条件的，当场登记并颁发结婚证"),
        visits=1,
        visits_explain="依法须男女双方共同亲自到婚姻登记机关办理，当场签署声明书",
        depth="3",
        express=False,
        electronic=True,
        address="深圳市南山区婚姻登记处（南山区南头街道南山大道）",
        delivery="当场颁发结婚证，电子婚姻登记证明同步至“粤省事”。",
        faqs=(
            (
                "结婚登记需要预约吗？",
                "建议通过“粤省事”或“i深圳”提前预约；特殊纪念日预约较多，请尽早预约。",
            ),
            ("办理结婚登记收费吗？", "不收费。"),
        ),
    ),
    M(
        name="离婚登记",
        dept="ns_mzj",
        mtype="07",
        objects=("1",),
        summary="夫妻双方自愿离婚并对子女抚养、财产及债务处理等事项协商一致的，到婚姻登记机关申请离婚登记。",
        aliases=("协议离婚", "办离婚", "离婚证"),
        legal="《中华人民共和国民法典》第一千零七十六条、第一千零七十七条、第一千零七十八条；《婚姻登记条例》第十条、第十一条、第十三条",
        conditions="1. 双方均为完全民事行为能力人，自愿离婚；\n2. 在内地办理结婚登记；\n3. 已签订书面离婚协议，对子女抚养、财产及债务处理等事项协商一致；\n4. 双方须两次共同亲自到场。",
        materials=(
            id_card("双方"),
            replace(HUKOU_BOOK, name="双方居民户口簿"),
            certificate("结婚证", "婚姻登记机关"),
            Mat(
                name="离婚协议书",
                form="1",
                orig=3,
                std="双方签名，载明自愿离婚意思表示及子女抚养、财产和债务处理等协商一致的意见",
            ),
            Mat(
                name="双方各自近期半身免冠照片",
                form="1",
                orig=2,
                paper="不限",
                source="30",
                issuer="照相机构",
                source_explain="可在婚姻登记处现场拍摄",
                std="2寸单人照片，每人2张",
            ),
        ),
        result=("PROOF", "离婚证"),
        topics=("P-MARRIAGE",),
        events=("P-MARRY",),
        stat=(
            30,
            "CD",
            "《中华人民共和国民法典》第一千零七十七条：自婚姻登记机关收到离婚登记申请之日起三十日内任何一方不愿意离婚的，可以撤回申请；期间届满后三十日内双方应当亲自申请发给离婚证",
        ),
        prom=(30, "离婚冷静期30日届满后，双方共同到场申请发证的，当场审查并发给离婚证"),
        special="离婚冷静期30日",
        steps=(
            Step(name="离婚登记申请受理", handler="婚姻登记处", limit=0),
            Step(
                name="离婚冷静期",
                handler="婚姻登记处",
                limit=30,
                special="离婚冷静期30日，任何一方可撤回申请",
            ),
            Step(name="审查并发给离婚证", handler="婚姻登记处", limit=0),
        ),
        visits=2,
        visits_explain="依法须双方在申请和领证两个环节共同亲自到场",
        online=False,
        express=False,
        electronic=False,
        address="深圳市南山区婚姻登记处（南山区南头街道南山大道）",
        delivery="审查通过后当场发给离婚证。",
        faqs=(
            (
                "冷静期满后没有去领证会怎样？",
                "冷静期届满后三十日内双方未共同到场申请发给离婚证的，视为撤回离婚登记申请。",
            ),
        ),
    ),
    M(
        name="补领婚姻登记证",
        dept="ns_mzj",
        mtype="07",
        objects=("1",),
        area="CROSS_PROVINCE",
        summary="结婚证、离婚证遗失或损毁的，当事人向原登记机关或一方常住户口所在地的婚姻登记机关申请补领。",
        aliases=("补办结婚证", "结婚证丢了", "补领离婚证"),
        legal="《婚姻登记条例》第十七条",
        conditions="1. 在内地办理过婚姻登记，婚姻登记证遗失或损毁；\n2. 婚姻登记档案查证属实。",
        materials=(
            id_card(),
            HUKOU_BOOK,
            situational(
                Mat(
                    name="双方近期半身免冠合影照片",
                    form="1",
                    orig=2,
                    paper="不限",
                    source="30",
                    issuer="照相机构",
                    source_explain="可在婚姻登记处现场拍摄",
                    std="2寸红底合影照片",
                ),
                "补领结婚证时提供",
            ),
            situational(
                Mat(
                    name="本人近期半身免冠单人照片",
                    form="1",
                    orig=2,
                    paper="不限",
                    source="30",
                    issuer="照相机构",
                    source_explain="可在婚姻登记处现场拍摄",
                    std="2寸单人照片",
                ),
                "补领离婚证时提供",
            ),
        ),
        situations=(
            Sit(
                text="需要补领哪种证件？",
                options=(
                    Opt(
                        label="补领结婚证",
                        materials=("双方近期半身免冠合影照片",),
                        conditions="双方须共同到场；一方无法到场的可提供单人照片。",
                    ),
                    Opt(label="补领离婚证", materials=("本人近期半身免冠单人照片",)),
                ),
            ),
        ),
        result=("PROOF", "结婚证或离婚证（补发）"),
        topics=("P-MARRIAGE",),
        events=("P-MARRY",),
        stat=(
            0,
            "WD",
            "《婚姻登记条例》第十七条：婚姻登记机关对当事人的婚姻登记档案进行查证，确认属实的，应当为当事人补发",
        ),
        prom=(0, "档案查证属实的，当场补发"),
        visits=1,
        visits_explain="须当事人本人到场核验身份",
        online=False,
        express=False,
        electronic=False,
        address="深圳市南山区婚姻登记处（南山区南头街道南山大道）",
        delivery="当场补发婚姻登记证。",
        faqs=(
            (
                "在外地登记结婚的，能在深圳补领吗？",
                "一方常住户口在深圳的可以在深圳补领；档案在外地的，补领时间以档案查证为准。",
            ),
        ),
    ),
    M(
        name="老年人优待证办理",
        dept="ns_mzj",
        mtype="20",
        objects=("1",),
        local=True,
        summary="年满六十周岁的本区户籍老年人或持有深圳居住证的老年人，可申领老年人优待证，凭证享受乘车、游园等优待。",
        aliases=("老年证", "老人卡", "敬老卡", "老年人优待卡"),
        legal="《中华人民共和国老年人权益保障法》第五章“社会优待”；《广东省老年人权益保障条例》有关老年人优待的规定",
        conditions="1. 年满六十周岁；\n2. 户籍在南山区，或持有登记地址在南山区的深圳市居住证。",
        materials=(
            id_card(),
            Mat(
                name="近期免冠证件照",
                form="2",
                orig=0,
                source_explain="手机拍摄上传或现场拍摄",
                std="白底正面免冠照片",
            ),
            situational(certificate("深圳市居住证", "公安机关"), "非深圳户籍老年人提供"),
            *PROXY,
        ),
        situations=(
            Sit(
                text="老年人是否为深圳户籍？",
                options=(
                    Opt(label="深圳户籍"),
                    Opt(label="非深圳户籍，持有深圳居住证", materials=("深圳市居住证",)),
                ),
            ),
            PROXY_Q,
        ),
        result=("PROOF", "广东省老年人优待证"),
        topics=("P-ELDER",),
        events=("P-OLD",),
        stat=(5, "WD", "法律法规未规定办理时限，按本市老年人优待工作规范确定为5个工作日"),
        prom=(0, "网上申请信息核验通过的，即时生成电子优待证"),
        self_service=True,
        appointment=False,
        delivery="电子优待证即时发放至“粤省事”；需要实体卡的，可选择邮寄送达或到街道党群服务中心领取。",
        faqs=(
            (
                "优待证有什么用？",
                "凭证可享受本市公交地铁免费或优惠乘车、公园景区免费或优惠游览等优待。",
            ),
            ("子女可以帮父母代办吗？", "可以，提供授权委托书和受托人身份证即可。"),
        ),
    ),
    M(
        name="临时救助申请",
        dept="ns_mzj",
        mtype="05",
        objects=("1",),
        summary="因火灾、交通事故、突发重大疾病等原因导致基本生活暂时出现严重困难的家庭或个人，可以申请临时救助。",
        aliases=("临时困难补助", "急难救助", "救助金"),
        legal="《社会救助暂行办法》第四十七条、第四十八条、第四十九条；《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号）",
        conditions="1. 因突发事件、意外伤害、重大疾病等导致基本生活暂时出现严重困难；\n2. 户籍或居住证登记地在南山区；\n3. 家庭财产状况符合本市临时救助规定。",
        materials=(
            Mat(name="临时救助申请书", std="如实填写困难情况和家庭成员信息，申请人签名"),
            id_card(),
            Mat(name="家庭经济状况核对授权书", std="家庭成员均须签名授权核对收入和财产"),
            situational(
                Mat(
                    name="突发事件相关证明",
                    mtype="3",
                    source="99",
                    issuer="公安、应急管理等部门",
                    std="能证明事故或灾害发生时间、经过及损失",
                ),
                "因火灾、交通事故等突发事件申请时提供",
            ),
            situational(
                Mat(
                    name="医疗费用票据及诊断证明",
                    mtype="3",
                    source="99",
                    issuer="医疗机构",
                    std="医疗费用发票及二级以上医院诊断证明",
                ),
                "因重大疾病医疗支出申请时提供",
            ),
            BANK_ACCOUNT,
        ),
        situations=(
            Sit(
                text="导致生活困难的主要原因？",
                options=(
                    Opt(
                        label="火灾、交通事故等突发事件（急难型）",
                        materials=("突发事件相关证明",),
                        conditions="情况紧急的可先行救助，事后补充材料。",
                    ),
                    Opt(
                        label="重大疾病医疗支出（支出型）",
                        materials=("医疗费用票据及诊断证明",),
                        conditions="医疗费用须为经基本医保、大病保险等报销后的个人自付部分。",
                    ),
                ),
            ),
        ),
        result=("OTHER", "临时救助金发放"),
        topics=("P-ASSIST",),
        events=("P-HARDSHIP",),
        stat=(
            20,
            "WD",
            "《社会救助暂行办法》第四十八条及本市临时救助实施办法：乡镇人民政府（街道办事处）审核、县级民政部门审批",
        ),
        prom=(10, "自受理之日起10个工作日内作出决定；急难型救助先行救助"),
        special="入户调查、家庭经济状况核对（不计入办理时限）",
        visits=1,
        visits_explain="须配合街道工作人员入户调查核实家庭困难情况",
        depth="3",
        electronic=False,
        delivery="审批通过后，救助金直接发放至申请人提供的银行账户，并短信告知。",
        faqs=(
            (
                "非深圳户籍可以申请吗？",
                "持有南山区登记的居住证、在本区遭遇急难的人员可以向街道申请。",
            ),
        ),
    ),
    M(
        name="最低生活保障申请",
        dept="ns_mzj",
        mtype="05",
        objects=("1",),
        summary="共同生活的家庭成员人均收入低于本市最低生活保障标准，且财产状况符合规定的家庭，可以申请最低生活保障。",
        aliases=("低保", "申请低保", "低保金"),
        legal="《社会救助暂行办法》第九条、第十一条、第十二条；《最低生活保障审核确认办法》（民发〔2021〕57号）",
        conditions="1. 申请人户籍在南山区；\n2. 共同生活的家庭成员人均收入低于本市最低生活保障标准；\n3. 家庭财产状况符合本市有关规定。",
        materials=(
            Mat(name="最低生活保障申请书", std="以家庭为单位申请，由申请人签名"),
            id_card("家庭成员"),
            HUKOU_BOOK,
            Mat(name="家庭经济状况核对授权书", std="家庭成员均须签名授权核对收入和财产"),
            Mat(
                name="家庭成员收入情况说明",
                std="如实申报工资性收入、经营性收入等，无固定收入的作出书面说明",
            ),
            situational(
                Mat(
                    name="残疾人证或疾病诊断证明",
                    mtype="3",
                    source="20",
                    issuer="残疾人联合会或医疗机构",
                    std="残疾人证在有效期内，或二级以上医院出具的诊断证明",
                ),
                "家庭成员中有重度残疾人或重病患者时提供",
            ),
        ),
        situations=(
            Sit(
                text="家庭成员中是否有重度残疾人或重病患者？",
                options=(
                    Opt(
                        label="有",
                        materials=("残疾人证或疾病诊断证明",),
                        conditions="可按规定“单人保”或在核算收入时扣减必要支出。",
                    ),
                    Opt(label="没有"),
                ),
            ),
        ),
        result=("OTHER", "最低生活保障金发放"),
        topics=("P-ASSIST",),
        events=("P-HARDSHIP",),
        stat=(
            30,
            "WD",
            "《最低生活保障审核确认办法》：审核确认工作应当自受理之日起30个工作日内完成",
        ),
        prom=(20, "自受理之日起20个工作日内完成审核确认（不含公示期）"),
        special="入户调查、民主评议、公示7天（不计入办理时限）",
        visits=1,
        visits_explain="须配合入户调查，核实家庭收入和财产状况",
        depth="3",
        electronic=False,
        delivery="审核确认后，自次月起按月将低保金发放至申请人银行账户。",
        faqs=(
            (
                "有房子能申请低保吗？",
                "拥有一套自住住房的不影响申请；拥有两套及以上住房的一般不符合条件。",
            ),
        ),
    ),
    M(
        name="高龄老人津贴申领",
        dept="ns_mzj",
        mtype="05",
        objects=("1",),
        local=True,
        summary="年满八十周岁的深圳户籍老年人可按月领取高龄老人津贴。",
        aliases=("高龄津贴", "长寿金", "高龄补贴"),
        legal="《中华人民共和国老年人权益保障法》第三十三条；本市高龄老人津贴发放有关规定",
        conditions="1. 深圳户籍；\n2. 年满八十周岁；\n3. 户籍所在地在南山区。",
        materials=(id_card("老年人"), HUKOU_BOOK, BANK_ACCOUNT, *PROXY),
        situations=(PROXY_Q,),
        result=("OTHER", "高龄老人津贴发放"),
        topics=("P-ELDER", "P-SOCIAL"),
        events=("P-OLD",),
        stat=(20, "WD", "法律法规未规定办理时限，按本市高龄老人津贴工作规范确定为20个工作日"),
        prom=(10, "自受理之日起10个工作日内完成审核，次月起按月发放"),
        appointment=False,
        electronic=False,
        delivery="审核通过后，津贴自次月起按月发放至老年人本人银行账户。",
        faqs=(
            (
                "高龄津贴每年需要认证吗？",
                "需要。每年通过“粤省事”刷脸完成领取资格认证，逾期未认证的暂停发放。",
            ),
        ),
    ),
    M(
        name="出生医学证明办理",
        dept="ft_wjj",
        mtype="20",
        objects=("1",),
        summary="为在本区出生的新生儿办理出生医学证明的首次签发、换发和补发。",
        aliases=("出生证", "出生证明", "补办出生证"),
        legal="《中华人民共和国母婴保健法》第二十三条；《中华人民共和国母婴保健法实施办法》第三十二条",
        conditions="1. 新生儿在本区具有助产资质的医疗机构出生；\n2. 换发须因出生医学证明信息错误或损毁；补发须因遗失且新生儿未满规定年龄。",
        materials=(
            id_card("新生儿父母"),
            Mat(
                name="出生医学证明首次签发登记表",
                source="99",
                issuer="助产医疗机构",
                source_explain="由助产医疗机构提供，父母核对签名",
                std="新生儿姓名等信息准确，父母签名",
            ),
            situational(
                Mat(
                    name="原出生医学证明",
                    paper="不限",
                    source="20",
                    issuer="助产医疗机构",
                    std="正副页齐全",
                ),
                "申请换发时提供",
            ),
            situational(
                Mat(name="出生医学证明补发申请书", std="说明遗失情况，父母签名"), "申请补发时提供"
            ),
            situational(
                Mat(
                    name="住院分娩病历复印件",
                    mtype="2",
                    source="99",
                    issuer="助产医疗机构",
                    std="加盖医疗机构病案专用章",
                ),
                "申请换发或补发时提供",
            ),
        ),
        situations=(
            Sit(
                text="办理类型？",
                options=(
                    Opt(label="首次签发"),
                    Opt(
                        label="换发（信息错误或损毁）",
                        materials=("原出生医学证明", "住院分娩病历复印件"),
                    ),
                    Opt(
                        label="补发（遗失）",
                        materials=("出生医学证明补发申请书", "住院分娩病历复印件"),
                        conditions="补发须经签发机构核查原始档案。",
                    ),
                ),
            ),
        ),
        result=("PROOF", "出生医学证明"),
        topics=("P-FERTILITY", "P-HEALTH"),
        events=("P-BIRTH",),
        stat=(20, "WD", "法律、行政法规未规定办理时限，按国家和广东省出生医学证明管理规定执行"),
        prom=(5, "首次签发在出院时当场办结；换发、补发自受理之日起5个工作日内办结"),
        visits=1,
        visits_explain="首次签发须在助产医疗机构当面核对并领取证件原件",
        depth="3",
        electronic=True,
        address="新生儿出生的助产医疗机构；换发、补发：福田区妇幼保健院出生医学证明办理窗口",
        delivery="首次签发当场领取；换发、补发可窗口领取或邮寄送达；电子出生医学证明同步至“粤省事”。",
        faqs=(
            (
                "出生医学证明上的名字写错了怎么办？",
                "在新生儿办理户口登记前，可凭原证和病历申请换发。",
            ),
        ),
    ),
    M(
        name="生育登记",
        dept="ft_wjj",
        mtype="20",
        objects=("1",),
        summary="生育子女的夫妻可在线办理生育登记，登记信息用于孕产期保健、生育保险待遇等服务。",
        aliases=("准生证", "生育服务登记", "怀孕登记", "生孩子登记"),
        legal="《中华人民共和国人口与计划生育法》第十八条；《广东省人口与计划生育条例》有关生育登记的规定",
        conditions="1. 夫妻一方户籍在福田区，或双方均非本市户籍但一方持有福田区登记的居住证；\n2. 拟生育或已怀孕、已生育子女。",
        materials=(
            id_card("夫妻双方"),
            certificate("结婚证", "婚姻登记机关"),
            situational(
                replace(HUKOU_BOOK, name="深圳户籍一方居民户口簿"), "夫妻一方为深圳户籍时提供"
            ),
            situational(certificate("深圳市居住证", "公安机关"), "夫妻双方均非深圳户籍时提供"),
            Mat(
                name="生育子女情况承诺书",
                form="2",
                orig=0,
                source_explain="在线填写并电子签名",
                std="如实承诺现有子女情况",
            ),
        ),
        situations=(
            Sit(
                text="夫妻双方的户籍情况？",
                options=(
                    Opt(label="一方为深圳户籍", materials=("深圳户籍一方居民户口簿",)),
                    Opt(label="双方均非深圳户籍", materials=("深圳市居住证",)),
                ),
            ),
        ),
        result=("PROOF", "生育登记服务单（电子）"),
        topics=("P-FERTILITY",),
        events=("P-MARRY", "P-BIRTH"),
        stat=(1, "WD", "法律法规未规定办理时限，按本市生育登记服务规范当场办结"),
        prom=(0, "信息核验通过的，即时办结"),
        appointment=False,
        delivery="电子生育登记服务单即时发放至“粤省事”，可自行下载打印。",
        faqs=(
            (
                "生育第三个孩子需要审批吗？",
                "不需要。生育三个子女以内的均实行生育登记服务，无需审批。",
            ),
        ),
    ),
    M(
        name="生育服务证办理",
        dept="ft_wjj",
        mtype="20",
        objects=("1",),
        retired=True,
        summary="（已停用）原为夫妻生育第一、二个子女办理生育服务证，现已由生育登记取代。",
        aliases=("生育服务证",),
        legal="《广东省人口与计划生育条例》（2016年修正前）有关生育服务证的规定",
        conditions="1. 夫妻一方户籍在福田区；\n2. 符合原计划生育政策规定的生育条件。",
        materials=(
            id_card("夫妻双方"),
            certificate("结婚证", "婚姻登记机关"),
            replace(HUKOU_BOOK, name="夫妻双方居民户口簿"),
        ),
        result=("PROOF", "生育服务证"),
        topics=("P-FERTILITY",),
        events=("P-MARRY",),
        stat=(10, "WD", "原《广东省人口与计划生育条例》规定的办理时限"),
        prom=(5, "自受理之日起5个工作日内办结"),
        visits=1,
        visits_explain="原规定须夫妻一方到户籍所在地街道计生窗口办理",
        online=False,
        electronic=False,
        delivery="窗口领取。",
        faqs=(("现在还需要办生育服务证吗？", "不需要，请办理“生育登记”。"),),
    ),
    M(
        name="残疾人证办理",
        dept="sz_cl",
        mtype="20",
        objects=("1",),
        summary="符合残疾标准的本市户籍居民可申请办理中华人民共和国残疾人证，包括首次申领、到期换领和遗失补办。",
        aliases=("残疾证", "办残疾证", "残疾人证换领"),
        legal="《中华人民共和国残疾人保障法》第二条；《中华人民共和国残疾人证管理办法》（残联发〔2017〕33号）",
        conditions="1. 深圳户籍；\n2. 视力、听力、言语、肢体、智力、精神残疾或多重残疾，经指定医疗机构评定符合残疾标准。",
        materials=(
            id_card(),
            HUKOU_BOOK,
            Mat(
                name="近期二寸免冠彩色照片",
                form="3",
                orig=2,
                paper="不限",
                source="30",
                issuer="照相机构",
                source_explain="可在线上传电子照片",
                std="近六个月内，白底",
            ),
            situational(
                Mat(
                    name="残疾评定表",
                    source="30",
                    issuer="残联指定的评定医疗机构",
                    std="由指定医疗机构评定医生签名并加盖公章",
                ),
                "首次申领或残疾等级变化时提供",
            ),
            situational(certificate("原残疾人证", "残疾人联合会"), "到期换领时提供"),
            situational(
                Mat(name="残疾人证遗失补办申请书", std="说明遗失情况，申请人或监护人签名"),
                "遗失补办时提供",
            ),
            *PROXY,
        ),
        situations=(
            Sit(
                text="申请类型？",
                options=(
                    Opt(
                        label="首次申领",
                        materials=("残疾评定表",),
                        conditions="须先到指定医疗机构进行残疾评定。",
                    ),
                    Opt(label="到期换领", materials=("原残疾人证",)),
                    Opt(label="遗失补办", materials=("残疾人证遗失补办申请书",)),
                ),
            ),
            PROXY_Q,
        ),
        result=("PROOF", "中华人民共和国残疾人证"),
        topics=("P-DISABLED",),
        events=("P-SICK",),
        stat=(30, "WD", "《中华人民共和国残疾人证管理办法》：县级残联自收到评定结果之日起审核发证"),
        prom=(20, "自收到残疾评定结果之日起20个工作日内审核发证"),
        special="残疾评定（由指定医疗机构进行，不计入办理时限）",
        visits=1,
        visits_explain="首次申领须本人到指定医疗机构接受残疾评定",
        depth="3",
        delivery="发证后可到街道残疾人综合服务窗口领取或邮寄送达；电子残疾人证同步至“粤省事”。",
        faqs=(("残疾人证有效期多长？", "残疾人证有效期为十年，到期前须申请换领。"),),
    ),
    M(
        name="城乡居民基本养老保险参保登记",
        dept="sz_rsj",
        mtype="20",
        objects=("1",),
        summary="年满十六周岁（不含在校学生）、未参加职工基本养老保险的深圳户籍居民，可参加城乡居民基本养老保险。",
        aliases=("居民养老保险", "城乡居民社保", "居民社保参保"),
        legal="《中华人民共和国社会保险法》第二十条、第二十二条；《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
        conditions="1. 深圳户籍，年满十六周岁（不含在校学生）；\n2. 非国家机关和事业单位工作人员，且不属于职工基本养老保险制度覆盖范围。",
        materials=(
            id_card(),
            HUKOU_BOOK,
            Mat(
                name="城乡居民基本养老保险参保登记表",
                form="2",
                orig=0,
                source_explain="在线填写生成",
                std="信息完整准确",
            ),
            replace(BANK_ACCOUNT, need="2", case="选择银行代扣缴费时提供"),
        ),
        result=("OTHER", "城乡居民基本养老保险参保登记"),
        topics=("P-SOCIAL",),
        events=("P-OLD", "P-WORK"),
        stat=(1, "WD", "法律法规未规定办理时限，按社会保险经办规程当场办结"),
        prom=(0, "信息核验通过的，即时完成参保登记"),
        appointment=False,
        electronic=False,
        delivery="参保结果即时生效，可在“粤省事”查询参保记录。",
        faqs=(("缴费档次可以调整吗？", "可以。每年可在缴费年度内选择或调整一次缴费档次。"),),
    ),
    M(
        name="失业保险金申领",
        dept="sz_rsj",
        mtype="05",
        objects=("1",),
        summary="参加失业保险的职工非因本人意愿中断就业、缴费满一年并已办理失业登记的，可申领失业保险金。",
        aliases=("失业金", "领失业金", "失业保险待遇"),
        legal="《中华人民共和国社会保险法》第四十五条、第四十六条、第五十条；《失业保险条例》第十四条",
        conditions="1. 失业前用人单位和本人已缴纳失业保险费满一年；\n2. 非因本人意愿中断就业；\n3. 已办理失业登记，并有求职要求。",
        materials=(
            id_card(),
            Mat(
                name="解除或终止劳动关系证明",
                form="2",
                orig=0,
                source="99",
                issuer="原用人单位",
                source_explain="用人单位已在系统中申报的，自动核验免提交",
                std="载明解除或终止劳动关系的日期和原因",
            ),
            BANK_ACCOUNT,
            situational(
                Mat(
                    name="被迫解除劳动合同的相关证明",
                    mtype="3",
                    std="仲裁裁决书、法院判决书或劳动监察认定文书等，能证明因用人单位过错解除",
                ),
                "因用人单位过错由本人提出解除劳动合同时提供",
            ),
        ),
        situations=(
            Sit(
                text="劳动关系因何解除或终止？",
                options=(
                    Opt(label="劳动合同期满终止或用人单位解除"),
                    Opt(
                        label="因用人单位过错，本人被迫解除",
                        materials=("被迫解除劳动合同的相关证明",),
                        conditions="包括用人单位未按约定支付报酬、未依法缴纳社会保险费等情形。",
                    ),
                ),
            ),
        ),
        result=("OTHER", "失业保险金发放"),
        topics=("P-SOCIAL", "P-JOB"),
        events=("P-WORK",),
        stat=(
            10,
            "WD",
            "《失业保险金申领发放办法》：经办机构自受理之日起10日内作出是否享受待遇的决定",
        ),
        prom=(5, "自受理之日起5个工作日内审核，次月起按月发放"),
        appointment=False,
        electronic=False,
        delivery="审核通过后，失业保险金按月发放至本人社会保障卡金融账户或银行账户。",
        faqs=(
            (
                "主动辞职能领失业金吗？",
                "本人主动辞职的一般不能领取；因用人单位过错被迫解除劳动合同的除外。",
            ),
            (
                "领失业金期间找到工作怎么办？",
                "重新就业的，自就业之日起停止领取，剩余期限可保留并与再次失业后应领取的期限合并计算。",
            ),
        ),
    ),
    M(
        name="职工基本养老保险待遇申领",
        dept="sz_rsj",
        mtype="05",
        objects=("1",),
        summary="参加职工基本养老保险、达到法定退休年龄且累计缴费满规定年限的人员，申请按月领取基本养老金。",
        aliases=("退休", "办退休", "养老金申领", "退休待遇"),
        legal="《中华人民共和国社会保险法》第十六条；《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》",
        conditions="1. 达到法定退休年龄（含弹性提前或延迟退休）；\n2. 累计缴费年限达到规定的最低缴费年限；\n3. 已办理退休审批。",
        materials=(
            id_card(),
            BANK_ACCOUNT,
            Mat(
                name="基本养老保险待遇申领表",
                form="2",
                orig=0,
                source_explain="在线填写生成",
                std="信息完整，本人确认",
            ),
            situational(
                Mat(
                    name="特殊工种工作经历证明材料",
                    mtype="3",
                    source="99",
                    issuer="原用人单位及档案管理机构",
                    std="能证明从事特殊工种的岗位和年限",
                ),
                "特殊工种提前退休时提供",
            ),
            situational(
                Mat(
                    name="劳动能力鉴定结论书",
                    source="20",
                    issuer="劳动能力鉴定委员会",
                    std="鉴定结论为完全丧失劳动能力",
                ),
                "因病或非因工致残提前退休时提供",
            ),
        ),
        situations=(
            Sit(
                text="退休类型？",
                options=(
                    Opt(label="达到法定退休年龄正常退休"),
                    Opt(label="特殊工种提前退休", materials=("特殊工种工作经历证明材料",)),
                    Opt(label="因病或非因工致残提前退休", materials=("劳动能力鉴定结论书",)),
                ),
            ),
        ),
        result=("OTHER", "基本养老金核定及发放"),
        topics=("P-SOCIAL",),
        events=("P-RETIRE",),
        stat=(20, "WD", "法律法规未规定办理时限，按社会保险经办规程确定为20个工作日"),
        prom=(10, "自受理之日起10个工作日内核定待遇"),
        appointment=False,
        electronic=False,
        delivery="核定后按月发放至本人社会保障卡金融账户，待遇核定表可在线下载。",
        faqs=(
            (
                "缴费不满最低年限怎么办？",
                "可以延长缴费至满规定年限，或按规定转入城乡居民基本养老保险。",
            ),
        ),
    ),
    M(
        name="职工丧葬补助金和抚恤金申领",
        dept="sz_rsj",
        mtype="05",
        objects=("1",),
        summary="参加职工基本养老保险的个人因病或非因工死亡的，其遗属可申领丧葬补助金和抚恤金。",
        aliases=("丧葬费", "抚恤金", "死亡待遇"),
        legal="《中华人民共和国社会保险法》第十七条",
        conditions="1. 死者生前参加本市职工基本养老保险；\n2. 因病或者非因工死亡；\n3. 申领人为死者的直系亲属或法定继承人。",
        materials=(
            certificate("居民死亡医学证明（推断）书", "医疗卫生机构"),
            id_card("申领人"),
            Mat(
                name="申领人与死者的亲属关系证明",
                mtype="3",
                source="20",
                issuer="公安机关或公证机构",
                std="户口簿、结婚证、出生医学证明或公证书等能证明亲属关系的材料",
            ),
            BANK_ACCOUNT,
        ),
        result=("OTHER", "丧葬补助金和抚恤金发放"),
        topics=("P-SOCIAL",),
        events=("P-DEATH",),
        stat=(20, "WD", "法律法规未规定办理时限，按社会保险经办规程确定为20个工作日"),
        prom=(10, "自受理之日起10个工作日内核定并发放"),
        depth="3",
        visits=1,
        visits_explain="多名遗属的，须共同到窗口确认领取人或提交委托材料",
        electronic=False,
        delivery="核定后一次性发放至申领人银行账户。",
        faqs=(
            (
                "个人账户余额可以继承吗？",
                "可以。参保人员死亡的，个人账户余额依法可以继承，可同时申请。",
            ),
        ),
    ),
    M(
        name="创业担保贷款申请",
        dept="sz_rsj",
        mtype="20",
        objects=("1",),
        summary="符合条件的高校毕业生、退役军人、就业困难人员等在深圳创业的，可申请创业担保贷款及贴息。",
        aliases=("创业贷款", "贴息贷款", "创业担保贷"),
        legal="《中华人民共和国就业促进法》第七条；《财政部 人力资源社会保障部 中国人民银行关于进一步加大创业担保贷款贴息力度全力支持重点群体创业就业的通知》（财金〔2020〕21号）",
        conditions="1. 属于高校毕业生、退役军人、就业困难人员等重点群体；\n2. 在深圳依法登记创业，正常经营；\n3. 除助学贷款、住房贷款等外，无其他未结清的商业贷款。",
        materials=(
            id_card(),
            BIZ_LICENCE,
            Mat(name="创业担保贷款申请表", std="如实填写创业项目、贷款金额和期限，申请人签名"),
            Mat(name="创业计划书", std="包括项目介绍、经营计划、资金用途和还款计划"),
            situational(
                certificate("普通高等学校毕业证书", "高等学校"), "以高校毕业生身份申请时提供"
            ),
            situational(certificate("退役证件", "退役军人事务部门"), "以退役军人身份申请时提供"),
            situational(
                Mat(
                    name="就业困难人员认定证明",
                    source="20",
                    issuer="人力资源社会保障部门",
                    std="认定在有效期内",
                ),
                "以就业困难人员身份申请时提供",
            ),
        ),
        situations=(
            Sit(
                text="您以哪类身份申请？",
                options=(
                    Opt(label="高校毕业生（毕业5年内）", materials=("普通高等学校毕业证书",)),
                    Opt(label="退役军人", materials=("退役证件",)),
                    Opt(label="就业困难人员", materials=("就业困难人员认定证明",)),
                ),
            ),
        ),
        result=("APPROVAL", "创业担保贷款审核意见"),
        topics=("P-JOB",),
        events=("P-WORK",),
        stat=(20, "WD", "法律法规未规定办理时限，按本市创业担保贷款工作规程确定"),
        prom=(15, "自受理之日起15个工作日内完成资格审核并推送经办银行"),
        special="经办银行贷款审查（不计入办理时限）",
        depth="3",
        visits=1,
        visits_explain="须到经办银行面签贷款合同",
        electronic=False,
        delivery="资格审核结果在线告知，贷款由经办银行按合同发放。",
        faqs=(
            (
                "个人最多能贷多少？",
                "个人创业担保贷款最高额度按国家和本市规定执行，合伙创业的可适当提高额度。",
            ),
        ),
    ),
    M(
        name="住房公积金提取",
        dept="sz_gjj",
        mtype="20",
        objects=("1",),
        area="CROSS_PROVINCE",
        summary="职工购买、偿还或租赁自住住房以及退休等情形，可以申请提取本人住房公积金账户余额。",
        aliases=("公积金提取", "提公积金", "租房提取公积金", "取公积金"),
        legal="《住房公积金管理条例》第二十四条、第二十五条",
        conditions="1. 属于购买、建造、翻建、大修自住住房，偿还购房贷款本息，房租超出家庭工资收入规定比例，或离休、退休等法定提取情形；\n2. 住房公积金账户状态正常。",
        materials=(
            id_card("职工本人"),
            BANK_ACCOUNT,
            situational(
                certificate("不动产权证书或购房合同", "不动产登记机构"),
                "购买自住住房或偿还购房贷款提取时提供",
            ),
            situational(
                Mat(
                    name="租房提取承诺书",
                    form="2",
                    orig=0,
                    source_explain="在线勾选承诺",
                    std="承诺本人及配偶在本市无自有住房",
                ),
                "租赁住房提取时提供",
            ),
        ),
        situations=(
            Sit(
                text="提取原因？",
                options=(
                    Opt(
                        label="购买自住住房或偿还购房贷款本息",
                        materials=("不动产权证书或购房合同",),
                        conditions="偿还购房贷款的，贷款信息由贷款银行共享核验，无需提交借款合同。",
                    ),
                    Opt(
                        label="租赁自住住房",
                        materials=("租房提取承诺书",),
                        conditions="本人及配偶在本市无自有住房。",
                    ),
                    Opt(label="离休、退休", conditions="退休信息通过社保数据共享自动核验。"),
                ),
            ),
        ),
        result=("OTHER", "住房公积金提取到账"),
        topics=("P-HOUSING",),
        events=("P-HOUSE", "P-RETIRE"),
        stat=(
            3,
            "CD",
            "《住房公积金管理条例》第二十五条：住房公积金管理中心应当自受理申请之日起3日内作出准予提取或者不准提取的决定",
        ),
        prom=(1, "信息核验通过的，即时审批，1个自然日内到账"),
        appointment=False,
        electronic=False,
        delivery="提取金额转入职工本人银行账户，短信告知。",
        faqs=(
            (
                "租房提取每年能提几次？",
                "租房提取可按月或按年办理，每年提取总额不超过本市规定的租房提取限额。",
            ),
        ),
    ),
    M(
        name="基本医疗保险参保登记",
        dept="sz_ybj",
        mtype="20",
        objects=("1",),
        summary="深圳户籍居民、持居住证的非深户居民及其子女、灵活就业人员等办理基本医疗保险参保登记。",
        aliases=("医保参保", "少儿医保", "灵活就业医保", "办医保"),
        legal="《中华人民共和国社会保险法》第二十三条、第二十五条；《深圳市医疗保障办法》",
        conditions="1. 深圳户籍居民，或持有深圳居住证的非深户居民及其未成年子女；\n2. 未参加本市职工基本医疗保险。",
        materials=(
            id_card("参保人"),
            situational(HUKOU_BOOK, "深圳户籍居民参保时提供"),
            situational(certificate("深圳市居住证", "公安机关"), "非深户居民参保时提供"),
            situational(
                certificate("出生医学证明", "助产医疗机构"), "未办理户口登记的新生儿参保时提供"
            ),
        ),
        situations=(
            Sit(
                text="参保人类型？",
                options=(
                    Opt(label="深圳户籍居民", materials=("居民户口簿",)),
                    Opt(label="非深户居民（持居住证）", materials=("深圳市居住证",)),
                    Opt(
                        label="新生儿（尚未落户）",
                        materials=("出生医学证明",),
                        conditions="出生后三个月内参保的，自出生之日起享受待遇。",
                    ),
                ),
            ),
        ),
        result=("OTHER", "基本医疗保险参保登记"),
        topics=("P-HEALTH", "P-SOCIAL"),
        events=("P-BIRTH", "P-SICK"),
        stat=(1, "WD", "法律法规未规定办理时限，按医疗保障经办规程当场办结"),
        prom=(0, "信息核验通过的，即时参保"),
        appointment=False,
        electronic=False,
        delivery="参保结果即时生效，医保电子凭证可在“粤省事”“国家医保服务平台”使用。",
        faqs=(
            ("新生儿什么时候参保？", "建议出生后三个月内办理，可通过“出生一件事”与入户一并办理。"),
        ),
    ),
    M(
        name="异地就医备案",
        dept="sz_ybj",
        mtype="20",
        objects=("1",),
        area="CROSS_PROVINCE",
        summary="深圳参保人到外地长期居住、工作或转诊就医的，办理异地就医备案后可在就医地直接结算。",
        aliases=("异地看病备案", "跨省就医", "异地就医"),
        legal="《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》（医保发〔2022〕22号）",
        conditions="1. 参加本市基本医疗保险，参保状态正常；\n2. 属于异地长期居住、常驻异地工作、异地转诊或临时外出就医人员。",
        materials=(
            id_card("参保人"),
            Mat(
                name="异地就医备案表",
                form="2",
                orig=0,
                source_explain="在线填写生成",
                std="备案地、备案类型、有效期填写准确",
            ),
            situational(
                Mat(
                    name="异地长期居住或工作个人承诺书",
                    form="2",
                    orig=0,
                    source_explain="在线勾选承诺",
                    std="承诺在备案地长期居住或由用人单位派驻备案地工作",
                ),
                "异地长期居住或常驻异地工作备案时提供",
            ),
            situational(
                Mat(
                    name="转诊转院证明",
                    source="99",
                    issuer="本市定点医疗机构",
                    std="由本市二级及以上定点医疗机构出具",
                ),
                "异地转诊就医备案时提供",
            ),
        ),
        situations=(
            Sit(
                text="备案类型？",
                options=(
                    Opt(
                        label="异地长期居住或常驻异地工作",
                        materials=("异地长期居住或工作个人承诺书",),
                        conditions="包括退休异地安置人员；备案长期有效，变更备案地须重新备案。",
                    ),
                    Opt(label="异地转诊就医", materials=("转诊转院证明",)),
                    Opt(label="临时外出就医", conditions="临时外出就医备案有效期一般为6个月。"),
                ),
            ),
        ),
        result=("PROOF", "异地就医备案凭证"),
        topics=("P-HEALTH",),
        events=("P-SICK", "P-MOVE"),
        stat=(1, "WD", "医保发〔2022〕22号：参保地经办机构应当即时办理备案"),
        prom=(0, "即时办结"),
        appointment=False,
        delivery="备案结果实时生效，可在“国家医保服务平台”查询。",
        faqs=(
            (
                "备案后还能在深圳看病报销吗？",
                "可以。备案有效期内在参保地就医的，按本市规定正常结算。",
            ),
        ),
    ),
    M(
        name="生育津贴申领",
        dept="sz_ybj",
        mtype="05",
        objects=("1",),
        summary="参加本市职工基本医疗保险（含生育保险）的女职工生育或终止妊娠的，申领产假期间的生育津贴。",
        aliases=("产假工资", "生育保险待遇", "生育补贴"),
        legal="《中华人民共和国社会保险法》第五十四条、第五十六条；《女职工劳动保护特别规定》第七条",
        conditions="1. 参加本市职工生育保险，且生育时符合连续缴费规定；\n2. 已生育或终止妊娠。",
        materials=(
            id_card("女职工"),
            certificate("出生医学证明", "助产医疗机构"),
            Mat(
                name="住院病历或出院小结",
                mtype="2",
                source="99",
                issuer="医疗机构",
                source_explain="定点医疗机构已联网上传的，免于提交",
                std="加盖医疗机构印章",
            ),
            BANK_ACCOUNT,
        ),
        result=("OTHER", "生育津贴发放"),
        topics=("P-SOCIAL", "P-FERTILITY"),
        events=("P-BIRTH",),
        stat=(20, "WD", "法律法规未规定办理时限，按医疗保障经办规程确定为20个工作日"),
        prom=(10, "自受理之日起10个工作日内核发"),
        appointment=False,
        electronic=False,
        delivery="生育津贴发放至用人单位或职工本人银行账户，短信告知。",
        faqs=(
            (
                "生育津贴和产假工资能同时领吗？",
                "生育津贴由用人单位代领的，单位应按规定支付产假工资；不重复享受。",
            ),
        ),
    ),
    M(
        name="医疗费用零星报销",
        dept="sz_ybj",
        mtype="05",
        objects=("1",),
        summary="参保人因急诊抢救、未能直接联网结算等原因全额垫付医疗费用的，申请按规定报销。",
        aliases=("医保报销", "手工报销", "垫付报销"),
        legal="《中华人民共和国社会保险法》第二十八条、第二十九条；《深圳市医疗保障办法》",
        conditions="1. 就医时参保状态正常；\n2. 因急诊抢救、异地就医未直接结算等原因全额垫付；\n3. 自费用发生之日起在规定期限内申请。",
        materials=(
            id_card("参保人"),
            Mat(
                name="医疗费用发票",
                paper="不限",
                source="99",
                issuer="医疗机构",
                std="电子票据或纸质发票原件",
            ),
            Mat(
                name="费用明细清单",
                mtype="3",
                source="99",
                issuer="医疗机构",
                std="加盖医疗机构印章",
            ),
            Mat(
                name="病历或出院小结",
                mtype="2",
                source="99",
                issuer="医疗机构",
                std="记载诊断和治疗经过",
            ),
            BANK_ACCOUNT,
            situational(
                Mat(
                    name="急诊抢救证明",
                    source="99",
                    issuer="医疗机构",
                    std="医疗机构出具，注明急诊抢救情况",
                ),
                "因急诊抢救在非定点医疗机构就医时提供",
            ),
        ),
        situations=(
            Sit(
                text="垫付医疗费用的原因？",
                options=(
                    Opt(label="异地就医未能直接结算"),
                    Opt(label="在非定点医疗机构急诊抢救", materials=("急诊抢救证明",)),
                ),
            ),
        ),
        result=("OTHER", "医疗费用报销款发放"),
        topics=("P-HEALTH",),
        events=("P-SICK",),
        stat=(30, "WD", "法律法规未规定办理时限，按医疗保障经办规程确定为30个工作日"),
        prom=(20, "自受理之日起20个工作日内完成审核并支付"),
        express=True,
        electronic=False,
        delivery="报销款支付至参保人本人银行账户。",
        faqs=(("报销有时间限制吗？", "应当自医疗费用发生之日起两年内申请，逾期不予受理。"),),
    ),
    M(
        name="义务教育阶段学位申请",
        dept="ba_jyj",
        mtype="20",
        objects=("1",),
        summary="适龄儿童申请宝安区公办小学一年级、初中一年级学位，按积分和学区安排入学。",
        aliases=("小一学位", "初一学位", "小学报名", "入学申请"),
        legal="《中华人民共和国义务教育法》第四条、第十二条；宝安区当年度义务教育阶段学校招生工作方案",
        conditions="1. 小一：当年8月31日前年满6周岁；初一：小学应届毕业生；\n2. 儿童或其父母（监护人）为深圳户籍，或非深户父母（监护人）符合居住和社会保险缴交年限要求。",
        materials=(
            certificate("儿童出生医学证明", "助产医疗机构"),
            id_card("父母（监护人）"),
            situational(HUKOU_BOOK, "儿童为深圳户籍时提供"),
            situational(
                certificate("父母（监护人）深圳市居住证", "公安机关"), "儿童为非深圳户籍时提供"
            ),
            situational(certificate("不动产权证书", "不动产登记机构"), "以自有住房申请时提供"),
            situational(
                Mat(
                    name="房屋租赁凭证",
                    source="20",
                    issuer="区住房租赁管理部门",
                    std="租赁登记在有效期内",
                ),
                "以租赁住房申请时提供",
            ),
        ),
        situations=(
            Sit(
                text="儿童的户籍？",
                options=(
                    Opt(label="深圳户籍", materials=("居民户口簿",)),
                    Opt(
                        label="非深圳户籍",
                        materials=("父母（监护人）深圳市居住证",),
                        conditions="父母一方在深连续缴交社会保险须满规定年限。",
                    ),
                ),
            ),
            Sit(
                text="申请时的居住情况？",
                options=(
                    Opt(label="自有住房", materials=("不动产权证书",)),
                    Opt(label="租赁住房", materials=("房屋租赁凭证",)),
                ),
            ),
        ),
        result=("OTHER", "学位录取通知"),
        topics=("P-EDU",),
        events=("P-SCHOOL",),
        stat=(60, "CD", "按宝安区当年度招生工作方案的时间安排执行"),
        prom=(60, "在招生工作方案规定时间内公布录取结果"),
        special="资料审核、积分排位（按招生时间表统一进行）",
        appointment=False,
        express=False,
        electronic=False,
        quantity="按各学校当年度招生计划学位数安排",
        delivery="录取结果在宝安区学位申请系统公布，并短信通知。",
        faqs=(("错过网上报名还能申请吗？", "可在补录阶段申请，由区教育局统筹安排学位。"),),
    ),
    M(
        name="公共租赁住房申请",
        dept="sz_zjj",
        mtype="20",
        objects=("1",),
        summary="符合条件的本市户籍住房困难家庭和单身居民，可以申请公共租赁住房，进入轮候库按序配租。",
        aliases=("公租房", "保障房申请", "廉租房"),
        legal="《公共租赁住房管理办法》（住房和城乡建设部令第11号）第七条、第九条、第十条",
        conditions="1. 申请人及共同申请人具有本市户籍；\n2. 在本市未拥有任何形式的自有住房；\n3. 家庭收入和财产符合本市公共租赁住房准入标准。",
        materials=(
            id_card("申请人及共同申请人"),
            HUKOU_BOOK,
            Mat(
                name="住房状况及收入财产申报承诺书",
                std="如实申报住房、收入和财产情况，全体申请人签名",
            ),
            situational(certificate("结婚证", "婚姻登记机关"), "以家庭名义申请时提供"),
            situational(
                Mat(name="单身状况承诺书", std="承诺未婚、离异或丧偶"), "单身居民申请时提供"
            ),
        ),
        situations=(
            Sit(
                text="申请方式？",
                options=(
                    Opt(label="以家庭名义申请", materials=("结婚证",)),
                    Opt(
                        label="单身居民申请",
                        materials=("单身状况承诺书",),
                        conditions="单身居民须年满规定年龄。",
                    ),
                ),
            ),
        ),
        result=("APPROVAL", "公共租赁住房轮候资格"),
        topics=("P-HOUSING",),
        events=("P-HOUSE",),
        stat=(
            30,
            "WD",
            "《公共租赁住房管理办法》第十条：市、县级人民政府住房保障主管部门应当依法审核申请人提交的申请材料",
        ),
        prom=(20, "自受理之日起20个工作日内完成审核（不含公示期）"),
        special="审核结果公示（不计入办理时限）",
        appointment=False,
        express=False,
        electronic=False,
        quantity="按年度公共租赁住房房源计划配租",
        delivery="审核通过的纳入轮候库，轮候排位可在线查询。",
        faqs=(
            (
                "非深户可以申请公租房吗？",
                "本事项面向深圳户籍居民；符合条件的人才可申请人才住房，请另行查询。",
            ),
        ),
    ),
)

REGISTRY_APPLICATION = Mat(
    name="不动产登记申请书",
    form="3",
    std="申请人签名或盖章，登记事项填写准确",
    source_explain="申请人自备，可在线填写或窗口领取",
)
PROPERTY_CERT = replace(
    certificate("不动产权证书", "不动产登记机构"),
    mtype="1",
    std="证书原件，权利人与申请人一致；已实行电子证照的，可通过数据共享核验",
)
REGISTRY_HALL = "深圳市不动产登记中心及各区登记所服务窗口（福田区红荔西路8009号等）"

PROFESSIONAL_AND_PROPERTY_MATTERS: tuple[M, ...] = (
    M(
        name="不动产转移登记",
        dept="sz_ghzy",
        mtype="07",
        objects=("1", "2", "6"),
        group="不动产登记",
        summary="因买卖、赠与、继承等导致不动产权利转移的，当事人申请转移登记，取得新的不动产权证书。",
        aliases=("二手房过户", "房产过户", "房产证过户", "房屋继承登记"),
        legal="《中华人民共和国民法典》第二百零九条、第二百一十四条；《不动产登记暂行条例》第三条、第十四条、第二十条",
        conditions="1. 不动产已办理首次登记，权属清晰，无查封等限制；\n2. 转移原因真实合法，相关税费已缴纳；\n3. 买卖、赠与由双方共同申请，继承可由继承人单方申请。",
        materials=(
            REGISTRY_APPLICATION,
            id_card("申请人"),
            PROPERTY_CERT,
            situational(Mat(name="存量房买卖合同", std="经网签备案，双方签名"), "因买卖申请时提供"),
            situational(
                Mat(name="赠与合同", std="双方签名，涉及住房赠与的按规定办理公证"),
                "因赠与申请时提供",
            ),
            situational(
                Mat(
                    name="继承公证书或生效法律文书",
                    source="30",
                    issuer="公证机构或人民法院",
                    std="载明继承人及继承份额",
                ),
                "因继承申请时提供",
            ),
            Mat(
                name="完税凭证",
                form="2",
                orig=0,
                source="20",
                issuer="税务机关",
                source_explain="税务机关已联网推送的，免于提交",
                std="契税等税费已缴纳",
            ),
        ),
        situations=(
            Sit(
                text="不动产转移的原因？",
                options=(
                    Opt(label="买卖", materials=("存量房买卖合同",)),
                    Opt(label="赠与", materials=("赠与合同",)),
                    Opt(
                        label="继承、受遗赠",
                        materials=("继承公证书或生效法律文书",),
                        conditions="无公证书的，可按规定由全体继承人到场办理继承查验。",
                    ),
                ),
            ),
        ),
        result=("PROOF", "不动产权证书"),
        topics=("P-PROPERTY", "L-PROPERTY"),
        events=("P-HOUSE",),
        stat=(
            30,
            "WD",
            "《不动产登记暂行条例》第二十条：不动产登记机构应当自受理登记申请之日起30个工作日内办结不动产登记手续",
        ),
        prom=(5, "自受理之日起5个工作日内办结；“带押过户”等联办业务按公布时限办理"),
        special="继承查验公告（不计入办理时限）",
        depth="3",
        visits=1,
        visits_explain="买卖双方须到场核验身份并签署询问笔录（已实行远程视频核验的除外）",
        address=REGISTRY_HALL,
        fees=(
            Fee(
                name="不动产登记费（住宅）",
                standard="每件80元",
                basis=REGISTRY_FEE_BASIS,
                reducible=True,
                reduction=REGISTRY_FEE_REDUCTION,
            ),
            Fee(
                name="不动产登记费（非住宅）",
                standard="每件550元",
                basis=REGISTRY_FEE_BASIS,
                reducible=True,
                reduction=REGISTRY_FEE_REDUCTION,
            ),
            Fee(
                name="不动产权证书工本费（多发证书）", standard="每本10元", basis=REGISTRY_FEE_BASIS
            ),
        ),
        fee_basis=REGISTRY_FEE_BASIS,
        pay_online=True,
        delivery="电子不动产权证书同步至“粤省事”；纸质证书可窗口领取或邮寄送达。",
        faqs=(
            (
                "房子还有贷款可以过户吗？",
                "可以申请“带押过户”，转移登记与抵押登记合并办理，无需先还清贷款。",
            ),
            ("过户需要多久？", "材料齐全、税费缴清的，5个工作日内办结。"),
        ),
    ),
    M(
        name="不动产抵押权登记",
        dept="sz_ghzy",
        mtype="07",
        objects=("1", "2", "6"),
        group="不动产登记",
        summary="以不动产设定抵押的，抵押人和抵押权人共同申请抵押权首次登记，抵押权自登记时设立。",
        aliases=("房产抵押", "抵押登记", "按揭登记"),
        legal="《中华人民共和国民法典》第三百九十五条、第四百零二条；《不动产登记暂行条例》第十四条、第二十条",
        conditions="1. 抵押财产已办理不动产首次登记或预告登记；\n2. 抵押人与抵押权人已签订书面抵押合同；\n3. 由抵押人和抵押权人共同申请。",
        materials=(
            REGISTRY_APPLICATION,
            id_card("抵押人"),
            replace(
                certificate("抵押权人主体资格证明", "金融监督管理部门或市场监督管理部门"),
                mtype="2",
                std="营业执照或金融许可证复印件，加盖公章",
            ),
            PROPERTY_CERT,
            Mat(
                name="抵押合同及主债权合同", std="双方签名盖章，合同约定的债权数额、期限与申请一致"
            ),
            situational(
                Mat(
                    name="最高额抵押确认文件",
                    std="载明最高债权额和债权确定期间；将已存在债权转入的须提交书面确认",
                ),
                "办理最高额抵押登记时提供",
            ),
        ),
        situations=(
            Sit(
                text="抵押类型？",
                options=(
                    Opt(label="一般抵押"),
                    Opt(label="最高额抵押", materials=("最高额抵押确认文件",)),
                ),
            ),
        ),
        result=("PROOF", "不动产登记证明（抵押权）"),
        topics=("P-PROPERTY", "L-PROPERTY"),
        events=("P-HOUSE",),
        stat=(
            30,
            "WD",
            "《不动产登记暂行条例》第二十条：不动产登记机构应当自受理登记申请之日起30个工作日内办结不动产登记手续",
        ),
        prom=(1, "银行端线上申请的，1个工作日内办结"),
        address=REGISTRY_HALL,
        fees=(
            Fee(
                name="不动产登记费（住宅）",
                standard="每件80元",
                basis=REGISTRY_FEE_BASIS,
                reducible=True,
                reduction=REGISTRY_FEE_REDUCTION,
            ),
            Fee(
                name="不动产登记费（非住宅）",
                standard="每件550元",
                basis=REGISTRY_FEE_BASIS,
                reducible=True,
                reduction=REGISTRY_FEE_REDUCTION,
            ),
        ),
        fee_basis=REGISTRY_FEE_BASIS,
        pay_online=True,
        delivery="电子不动产登记证明推送至抵押权人，抵押人可在“粤省事”查看。",
        faqs=(
            (
                "抵押登记费由谁交？",
                "按规定由登记申请人缴纳，双方可以约定；多数按揭业务由抵押权人（银行）申请缴纳。",
            ),
        ),
    ),
    M(
        name="国有建设用地使用权及房屋所有权首次登记",
        dept="sz_ghzy",
        mtype="07",
        objects=("2", "3", "6"),
        group="不动产登记",
        summary="房屋竣工验收后，建设单位申请国有建设用地使用权及房屋所有权首次登记（俗称办“大证”）。",
        aliases=("新房首次登记", "办大证", "房屋初始登记"),
        legal="《不动产登记暂行条例》第十四条、第二十条；《不动产登记暂行条例实施细则》第三十五条",
        conditions="1. 已取得国有建设用地使用权；\n2. 房屋已竣工验收合格并完成规划核实；\n3. 由建设单位申请。",
        materials=(
            REGISTRY_APPLICATION,
            BIZ_LICENCE,
            certificate("土地权属来源证明", "不动产登记机构"),
            Mat(
                name="建设工程符合规划的材料",
                mtype="3",
                source="20",
                issuer="规划和自然资源部门",
                source_explain="规划核实信息已共享的，免于提交",
                std="规划核实（验收）合格",
            ),
            Mat(
                name="房屋已经竣工的材料",
                mtype="3",
                source="20",
                issuer="住房和建设部门",
                source_explain="竣工验收备案信息已共享的，免于提交",
                std="竣工验收备案完成",
            ),
            Mat(
                name="房地产调查或者测绘报告",
                source="30",
                issuer="具有相应资质的测绘机构",
                std="报告经测绘成果审核",
            ),
            *PROXY_LEGAL,
        ),
        situations=(PROXY_Q_LEGAL,),
        result=("PROOF", "不动产权证书"),
        topics=("L-PROPERTY", "L-CONSTRUCT"),
        events=("L-INVEST",),
        stat=(
            30,
            "WD",
            "《不动产登记暂行条例》第二十条：不动产登记机构应当自受理登记申请之日起30个工作日内办结不动产登记手续",
        ),
        prom=(5, "自受理之日起5个工作日内办结"),
        special="实地查看（不计入办理时限）",
        address=REGISTRY_HALL,
        fees=(
            Fee(name="不动产登记费（住宅）", standard="每件80元", basis=REGISTRY_FEE_BASIS),
            Fee(
                name="不动产登记费（非住宅）",
                standard="每件550元",
                basis=REGISTRY_FEE_BASIS,
                reducible=True,
                reduction=REGISTRY_FEE_REDUCTION,
            ),
        ),
        fee_basis=REGISTRY_FEE_BASIS,
        pay_online=True,
        delivery="电子不动产权证书推送至“粤商通”；纸质证书可窗口领取或邮寄送达。",
        faqs=(
            (
                "首次登记后购房人怎么办证？",
                "建设单位完成首次登记后，购房人可申请转移登记（俗称分户“小证”）。",
            ),
        ),
    ),
    M(
        name="不动产登记资料查询",
        dept="sz_ghzy",
        mtype="20",
        objects=("1", "2", "6"),
        summary="权利人、利害关系人可以依法查询、复制不动产登记资料。",
        aliases=("查房产", "房产查询", "产权查询", "查档"),
        legal="《不动产登记暂行条例》第二十七条；《不动产登记资料查询暂行办法》第十四条、第二十一条",
        conditions="1. 查询人为不动产权利人、利害关系人，或经其委托的人；\n2. 利害关系人只能查询与其利害关系相关的登记结果。",
        materials=(
            id_card("查询人"),
            Mat(
                name="不动产登记资料查询申请书",
                form="2",
                orig=0,
                source_explain="在线填写生成",
                std="查询目的、查询内容填写明确",
            ),
            situational(
                Mat(
                    name="利害关系证明材料",
                    mtype="3",
                    std="买卖合同、起诉状副本等能证明存在利害关系的材料",
                ),
                "利害关系人查询时提供",
            ),
            *PROXY,
        ),
        situations=(
            Sit(
                text="查询人身份？",
                options=(
                    Opt(label="不动产权利人本人"),
                    Opt(
                        label="利害关系人",
                        materials=("利害关系证明材料",),
                        conditions="只能查询不动产自然状况、权利人姓名、查封抵押等登记结果。",
                    ),
                ),
            ),
            PROXY_Q,
        ),
        result=("PROOF", "不动产登记信息查询结果证明"),
        topics=("P-PROPERTY",),
        events=("P-HOUSE",),
        stat=(
            1,
            "WD",
            "《不动产登记资料查询暂行办法》：符合查询条件的，不动产登记机构应当当场提供查询",
        ),
        prom=(0, "符合条件的，当场提供查询结果"),
        self_service=True,
        appointment=False,
        address=REGISTRY_HALL,
        delivery="在线查询即时生成带电子印章的查询结果证明，可自行下载打印。",
        faqs=(
            (
                "查询结果有效吗？",
                "在线生成的查询结果证明加盖不动产登记电子印章，与窗口出具的具有同等效力。",
            ),
        ),
    ),
    M(
        name="医师执业注册",
        dept="ft_wjj",
        mtype="01",
        objects=("1",),
        summary="取得医师资格的人员在福田区医疗机构执业的，申请医师执业注册、变更注册或重新注册。",
        aliases=("医师注册", "医师执业证书", "医师变更执业地点"),
        legal="《中华人民共和国医师法》第十三条、第十四条、第十五条；《医师执业注册管理办法》（国家卫生和计划生育委员会令第13号）",
        conditions="1. 已取得医师资格；\n2. 拟执业机构为福田区卫生健康部门登记或备案的医疗机构；\n3. 不存在医师法规定不予注册的情形。",
        materials=(
            certificate("医师资格证书", "卫生健康行政部门"),
            id_card(),
            Mat(
                name="拟执业机构聘用证明",
                form="2",
                orig=0,
                source="99",
                issuer="拟执业医疗机构",
                source_explain="由医疗机构在电子化注册系统中确认",
                std="医疗机构确认聘用",
            ),
            situational(
                Mat(
                    name="健康体检证明",
                    source="30",
                    issuer="医疗机构",
                    std="六个月内县级以上医疗机构出具",
                ),
                "首次注册或重新注册时提供",
            ),
            situational(
                certificate("医师执业证书", "卫生健康行政部门"), "变更执业地点、类别或范围时提供"
            ),
            situational(
                Mat(
                    name="培训考核合格证明",
                    source="30",
                    issuer="县级以上卫生健康部门指定机构",
                    std="六个月临床培训并考核合格",
                ),
                "中止执业活动二年以上申请重新注册时提供",
            ),
        ),
        situations=(
            Sit(
                text="注册类型？",
                options=(
                    Opt(label="首次注册", materials=("健康体检证明",)),
                    Opt(label="变更注册（变更执业地点、类别或范围）", materials=("医师执业证书",)),
                    Opt(
                        label="重新注册（中止执业二年以上）",
                        materials=("健康体检证明", "培训考核合格证明"),
                    ),
                ),
            ),
        ),
        result=("QUALIFICATION", "医师执业证书（电子证照）"),
        topics=("P-HEALTH", "P-JOB"),
        events=("P-WORK",),
        stat=(
            20,
            "WD",
            "《中华人民共和国医师法》第十三条：卫生健康主管部门应当自受理申请之日起二十个工作日内准予注册",
        ),
        prom=(5, "自受理之日起5个工作日内办结"),
        delivery="电子医师执业证书即时生成，可在“粤省事”和国家医师电子化注册系统查看。",
        faqs=(
            (
                "医师可以在多个机构执业吗？",
                "可以。医师以一个医疗机构为主要执业机构，其他执业机构在电子化注册系统中进行备案即可。",
            ),
        ),
    ),
    M(
        name="护士执业注册",
        dept="ft_wjj",
        mtype="01",
        objects=("1",),
        summary="通过护士执业资格考试的人员在福田区医疗卫生机构执业的，申请护士执业注册。",
        aliases=("护士注册", "护士执业证书"),
        legal="《护士条例》第七条、第八条；《护士执业注册管理办法》",
        conditions="1. 具有完全民事行为能力；\n2. 取得规定学历并完成临床实习；\n3. 通过护士执业资格考试；\n4. 符合健康标准。",
        materials=(
            id_card(),
            Mat(
                name="护士执业资格考试成绩合格证明",
                form="2",
                orig=0,
                source="20",
                issuer="国家卫生健康委人才交流服务中心",
                source_explain="系统联网核验",
                std="考试成绩合格",
            ),
            certificate("学历证书", "普通中等职业学校或高等学校"),
            Mat(
                name="健康体检证明",
                source="30",
                issuer="医疗机构",
                std="六个月内县级以上医疗机构出具",
            ),
            Mat(
                name="拟执业机构聘用证明",
                form="2",
                orig=0,
                source="99",
                issuer="拟执业医疗卫生机构",
                source_explain="由医疗卫生机构在电子化注册系统中确认",
                std="医疗卫生机构确认聘用",
            ),
            situational(
                Mat(
                    name="临床护理培训考核合格证明",
                    source="30",
                    issuer="教学、综合医院",
                    std="在教学或综合医院接受3个月临床护理培训并考核合格",
                ),
                "通过考试三年后申请注册时提供",
            ),
        ),
        situations=(
            Sit(
                text="是否在通过护士执业资格考试之日起三年内申请？",
                options=(
                    Opt(label="是"),
                    Opt(label="否，已超过三年", materials=("临床护理培训考核合格证明",)),
                ),
            ),
        ),
        result=("QUALIFICATION", "护士执业证书（电子证照）"),
        topics=("P-HEALTH", "P-JOB"),
        events=("P-WORK",),
        stat=(
            20,
            "WD",
            "《护士条例》第八条：收到申请的卫生主管部门应当自收到申请之日起20个工作日内作出决定",
        ),
        prom=(5, "自受理之日起5个工作日内办结"),
        delivery="电子护士执业证书即时生成，可在“粤省事”查看。",
        faqs=(
            (
                "护士执业注册有效期多久？",
                "有效期为5年，期满需继续执业的应在有效期届满前30日申请延续注册。",
            ),
        ),
    ),
    M(
        name="教师资格认定",
        dept="sz_jyj",
        mtype="01",
        objects=("1",),
        summary="符合条件的人员申请认定高级中学、中等职业学校等教师资格（幼儿园、小学、初级中学教师资格由区教育局认定）。",
        aliases=("教师资格证", "认定教师资格", "教资认定"),
        legal="《中华人民共和国教师法》第十条、第十一条、第十三条；《教师资格条例》第十三条、第十四条",
        conditions="1. 遵守宪法和法律，热爱教育事业，具有良好的思想品德；\n2. 具备教师法规定的相应学历；\n3. 普通话水平达到相应等级标准；\n4. 通过中小学教师资格考试或符合师范生免试认定条件；\n5. 体检合格。",
        materials=(
            id_card(),
            certificate("学历证书", "高等学校"),
            certificate("普通话水平测试等级证书", "语言文字工作部门"),
            Mat(
                name="教师资格认定体检表", source="30", issuer="指定体检医院", std="体检结论为合格"
            ),
            situational(
                Mat(
                    name="中小学教师资格考试合格证明",
                    form="2",
                    orig=0,
                    source="20",
                    issuer="教育部教育考试院",
                    source_explain="系统联网核验",
                    std="在有效期内",
                ),
                "通过考试申请认定时提供",
            ),
            situational(
                Mat(
                    name="师范生教师职业能力证书",
                    source="20",
                    issuer="所在高校",
                    std="教育类研究生和公费师范生免试认定的证明",
                ),
                "师范生免试认定时提供",
            ),
        ),
        situations=(
            Sit(
                text="申请认定方式？",
                options=(
                    Opt(label="通过中小学教师资格考试", materials=("中小学教师资格考试合格证明",)),
                    Opt(label="师范生免试认定", materials=("师范生教师职业能力证书",)),
                ),
            ),
        ),
        result=("QUALIFICATION", "教师资格证书"),
        topics=("P-EDU", "P-JOB"),
        events=("P-WORK",),
        stat=(
            30,
            "CD",
            "《教师资格条例》第十四条：认定教师资格，应当自受理申请之日起30日内作出决定",
        ),
        prom=(20, "自受理之日起20个自然日内作出认定决定"),
        special="现场确认（春、秋两季集中受理）",
        depth="3",
        visits=1,
        visits_explain="须在规定时间内到现场确认或提交体检",
        quantity="按春、秋两季认定公告规定的时间集中受理",
        electronic=False,
        delivery="证书可现场领取或邮寄送达，并可在中国教师资格网查询。",
        faqs=(
            (
                "教师资格证书有有效期吗？",
                "教师资格一经认定，全国范围内适用；中小学教师资格定期注册按有关规定执行。",
            ),
        ),
    ),
    M(
        name="网络预约出租汽车驾驶员证核发",
        dept="sz_jtj",
        mtype="01",
        objects=("1",),
        summary="从事网约车服务的驾驶员申请网络预约出租汽车驾驶员证。",
        aliases=("网约车司机证", "网约车驾驶员证", "开网约车"),
        legal="《网络预约出租汽车经营服务管理暂行办法》第十四条、第十五条；《出租汽车驾驶员从业资格管理规定》",
        conditions="1. 取得相应准驾车型机动车驾驶证并具有3年以上驾驶经历；\n2. 无交通肇事犯罪、危险驾驶犯罪记录，无吸毒记录，无饮酒后驾驶记录，最近连续3个记分周期内没有记满12分记录；\n3. 无暴力犯罪记录；\n4. 通过全国公共科目和本市区域科目考试。",
        materials=(
            id_card(),
            certificate("机动车驾驶证", "公安机关交通管理部门"),
            Mat(
                name="网约车驾驶员从业资格考试合格证明",
                form="2",
                orig=0,
                source="20",
                issuer="交通运输部门",
                source_explain="系统联网核验",
                std="全国公共科目和区域科目均合格",
            ),
            Mat(
                name="驾驶员近期免冠照片",
                form="2",
                orig=0,
                source_explain="在线上传",
                std="白底正面免冠彩色照片",
            ),
        ),
        result=("QUALIFICATION", "网络预约出租汽车驾驶员证"),
        topics=("P-TRAFFIC", "P-JOB"),
        events=("P-WORK",),
        stat=(
            20,
            "WD",
            "《网络预约出租汽车经营服务管理暂行办法》第十五条：设区的市级出租汽车行政主管部门应当自受理申请之日起20日内作出决定",
        ),
        prom=(10, "自受理之日起10个工作日内办结"),
        special="驾驶员背景核查（公安机关协查，不计入办理时限）",
        delivery="电子驾驶员证同步至“粤省事”，可窗口领取纸质证件。",
        faqs=(("外地驾驶证可以申请吗？", "可以。驾驶证核发地不限，但须参加本市区域科目考试。"),),
    ),
)


# --------------------------------------------------------------------------------------------
# The catalogue: matters for enterprises and other organisations
# --------------------------------------------------------------------------------------------

ENTERPRISE_FORM_TEXT = """企业设立登记申请书（空白表格）

企业名称：
住所：
法定代表人（负责人）：　　　　　联系电话：
企业类型：□有限责任公司　□股份有限公司　□个人独资企业　□合伙企业
注册资本（出资额）：　　　　　万元
经营范围：
股东（发起人、投资人）：

本申请人承诺所提交的材料真实、合法、有效，并对其真实性承担责任。

申请人签名（盖章）：　　　　　　　　年　　月　　日
"""
HYGIENE_FORM_TEXT = """公共场所卫生许可申请表（空白表格）

单位名称：　　　　　　　　　　　统一社会信用代码：
经营场所地址：
场所类别：□住宿场所　□沐浴场所　□美容美发场所　□游泳场所
营业面积（平方米）：　　　　　　从业人员人数：
法定代表人（负责人）：　　　　　联系电话：

申请人承诺：所填内容及所附材料真实有效。

申请人签名（盖章）：　　　　　　　　年　　月　　日
"""
REGISTRATION_LAW = "《中华人民共和国市场主体登记管理条例》第三条、第十六条、第十九条"
FOOD_LAW = "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）"

LEGAL_MATTERS: tuple[M, ...] = (
    M(
        name="企业设立登记",
        dept="sz_scj",
        mtype="01",
        objects=("2",),
        short_name="开办企业",
        summary="在深圳设立有限责任公司、股份有限公司、个人独资企业等企业，申请设立登记并领取营业执照，可同步办理刻章、社保和公积金登记。",
        aliases=("营业执照", "开公司", "注册公司", "公司注册", "办营业执照"),
        legal="《中华人民共和国公司法》第二十九条、第三十条；" + REGISTRATION_LAW,
        conditions="1. 企业名称经自主申报符合规定；\n2. 有符合规定的住所（经营场所）；\n3. 股东（发起人、投资人）符合法律规定的资格；\n4. 章程或合伙协议等符合法律规定；\n5. 经营范围中属于法律、行政法规规定须在登记前批准的项目，已取得批准文件。",
        materials=(
            Mat(
                name="企业设立登记申请书",
                form="3",
                std="法定代表人（负责人）签名，信息填写完整准确",
                source_explain="在线填写自动生成，也可下载空白表格填写",
                fill="按表格提示逐项填写；经营范围从规范目录中选择",
                blank=ENTERPRISE_FORM_TEXT,
            ),
            LEGAL_REP_ID,
            Mat(
                name="住所（经营场所）使用证明",
                mtype="3",
                std="自有房产提供权属证明，租赁的提供租赁合同；深圳可实行住所申报承诺制",
                source_explain="申请人自备；已办理租赁登记或不动产登记的可数据共享核验",
            ),
            situational(
                Mat(name="公司章程", std="全体股东（发起人）签名或盖章"),
                "设立有限责任公司或股份有限公司时提供",
            ),
            situational(
                Mat(
                    name="股东（发起人）主体资格证明",
                    mtype="3",
                    std="自然人股东提供身份证件，法人股东提供营业执照",
                ),
                "设立有限责任公司或股份有限公司时提供",
            ),
            situational(
                Mat(name="股份有限公司成立大会会议记录", std="发起人签名，载明成立大会决议事项"),
                "设立股份有限公司时提供",
            ),
            *PROXY_LEGAL,
        ),
        situations=(
            Sit(
                text="拟设立的企业类型？",
                options=(
                    Opt(label="有限责任公司", materials=("公司章程", "股东（发起人）主体资格证明")),
                    Opt(
                        label="股份有限公司",
                        materials=(
                            "公司章程",
                            "股东（发起人）主体资格证明",
                            "股份有限公司成立大会会议记录",
                        ),
                        conditions="发起人应当认足公司章程规定的公司设立时应发行的股份。",
                    ),
                    Opt(
                        label="个人独资企业",
                        conditions="投资人为一个自然人，以其个人财产对企业债务承担无限责任。",
                    ),
                ),
            ),
            PROXY_Q_LEGAL,
        ),
        result=("LICENCE", "营业执照"),
        topics=("L-SETUP",),
        events=("L-OPEN",),
        stat=(
            3,
            "WD",
            "《中华人民共和国市场主体登记管理条例》第十九条：不能当场登记的，应当在3个工作日内予以登记",
        ),
        prom=(1, "材料齐全、符合法定形式的，1个工作日内办结，符合条件的“秒批”"),
        self_service=True,
        delivery="电子营业执照即时发放至“粤商通”；纸质执照可免费邮寄或到自助终端打印。",
        faqs=(
            (
                "注册公司要实缴注册资本吗？",
                "有限责任公司全体股东认缴的出资额应当按照公司章程规定自公司成立之日起五年内缴足，登记时无需验资。",
            ),
            (
                "没有办公场所能注册吗？",
                "须有住所；可使用符合规定的商务秘书企业地址或住所申报承诺，具体以本市规定为准。",
            ),
            (
                "领了营业执照还要办什么？",
                "可在“开办企业一件事”中同步申领免费印章、办理社保和公积金单位登记、申领发票。",
            ),
        ),
    ),
    M(
        name="企业变更登记",
        dept="sz_scj",
        mtype="01",
        objects=("2",),
        summary="企业名称、住所、法定代表人、经营范围、注册资本等登记事项发生变化的，申请变更登记。",
        aliases=("公司变更", "变更法人", "变更地址", "营业执照变更"),
        legal="《中华人民共和国市场主体登记管理条例》第二十四条、第二十五条；《中华人民共和国市场主体登记管理条例实施细则》",
        conditions="1. 登记事项发生变更；\n2. 变更事项已按章程规定作出决议或决定；\n3. 应当自作出变更决议、决定或者法定变更事项发生之日起30日内申请。",
        materials=(
            Mat(
                name="企业变更登记申请书",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="法定代表人签名，变更事项填写准确",
            ),
            situational(
                Mat(name="股东会决议或股东决定", std="按章程规定表决通过，股东签名或盖章"),
                "变更名称、经营范围、住所或法定代表人时提供",
            ),
            situational(
                Mat(name="章程修正案", std="与变更决议内容一致"), "变更事项涉及章程修改时提供"
            ),
            situational(
                Mat(name="新住所使用证明", mtype="3", std="权属证明或租赁合同"), "变更住所时提供"
            ),
            situational(
                Mat(
                    name="新任法定代表人任职文件及身份证明",
                    mtype="3",
                    std="任职文件符合章程规定，附身份证件",
                ),
                "变更法定代表人时提供",
            ),
            *PROXY_LEGAL,
        ),
        situations=(
            Sit(
                text="本次变更的事项？",
                help="同时变更多项的，请分别选择后合并提交。",
                options=(
                    Opt(label="名称或经营范围", materials=("股东会决议或股东决定", "章程修正案")),
                    Opt(
                        label="住所",
                        materials=("股东会决议或股东决定", "章程修正案", "新住所使用证明"),
                    ),
                    Opt(
                        label="法定代表人",
                        materials=("股东会决议或股东决定", "新任法定代表人任职文件及身份证明"),
                    ),
                ),
            ),
            PROXY_Q_LEGAL,
        ),
        result=("LICENCE", "营业执照（变更后）"),
        topics=("L-SETUP",),
        events=("L-CHANGE",),
        stat=(
            3,
            "WD",
            "《中华人民共和国市场主体登记管理条例》第十九条：不能当场登记的，应当在3个工作日内予以登记",
        ),
        prom=(1, "材料齐全、符合法定形式的，1个工作日内办结"),
        self_service=True,
        delivery="电子营业执照实时更新；纸质执照可免费邮寄或到自助终端打印。",
        faqs=(("跨区迁移住所需要先注销吗？", "不需要。市内跨区迁移直接办理住所变更登记。"),),
    ),
    M(
        name="企业注销登记",
        dept="sz_scj",
        mtype="01",
        objects=("2",),
        summary="企业解散、被宣告破产或者其他法定事由需要终止的，清算完结后申请注销登记；符合条件的可适用简易注销。",
        aliases=("公司注销", "注销营业执照", "简易注销"),
        legal="《中华人民共和国市场主体登记管理条例》第三十一条、第三十三条；《中华人民共和国公司法》第二百三十九条、第二百四十条",
        conditions="1. 已依法完成清算，或符合未发生债权债务、已将债权债务清偿完结等简易注销条件；\n2. 已结清应缴纳的税款、社会保险费等；\n3. 无被吊销、被立案调查等不得注销的情形。",
        materials=(
            Mat(
                name="企业注销登记申请书",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="法定代表人或清算组负责人签名",
            ),
            situational(
                Mat(name="全体投资人承诺书", std="全体投资人签名，承诺未发生或已清偿完结债权债务"),
                "申请简易注销时提供",
            ),
            situational(Mat(name="清算报告", std="经股东会确认，清算组成员签名"), "一般注销时提供"),
            situational(Mat(name="股东会注销决议", std="按章程规定表决通过"), "一般注销时提供"),
            Mat(
                name="清税信息",
                form="2",
                orig=0,
                source="20",
                issuer="税务机关",
                source_explain="税务机关通过信息共享推送，免于提交",
                std="已结清税款",
            ),
            *PROXY_LEGAL,
        ),
        situations=(
            Sit(
                text="注销方式？",
                options=(
                    Opt(
                        label="简易注销",
                        materials=("全体投资人承诺书",),
                        conditions="须经20日简易注销公告期，公告期内无异议的方可申请。",
                    ),
                    Opt(
                        label="一般注销",
                        materials=("清算报告", "股东会注销决议"),
                        conditions="清算组应当通过国家企业信用信息公示系统发布债权人公告，公告期45日。",
                    ),
                ),
            ),
            PROXY_Q_LEGAL,
        ),
        result=("OTHER", "准予注销登记通知书"),
        topics=("L-SETUP",),
        events=("L-EXIT",),
        stat=(
            3,
            "WD",
            "《中华人民共和国市场主体登记管理条例》第十九条：不能当场登记的，应当在3个工作日内予以登记",
        ),
        prom=(1, "公告期满、材料齐全的，1个工作日内办结"),
        special="简易注销公告20日或债权人公告45日（不计入办理时限）",
        delivery="准予注销登记通知书在线下载。",
        faqs=(("企业有欠税能简易注销吗？", "不能。须先结清税款、滞纳金和罚款。"),),
    ),
    M(
        name="个体工商户设立登记",
        dept="ns_scj",
        mtype="01",
        objects=("1", "6"),
        short_name="个体户开业",
        summary="有经营能力的公民在南山区从事工商业经营的，申请个体工商户设立登记，领取营业执照。",
        aliases=("营业执照", "个体户注册", "开小店", "个体执照", "开小吃店"),
        legal="《促进个体工商户发展条例》第二条；" + REGISTRATION_LAW,
        conditions="1. 申请人为有经营能力的自然人；\n2. 有符合规定的经营场所；\n3. 经营范围不属于法律法规禁止个体工商户经营的项目。",
        materials=(
            Mat(
                name="个体工商户登记申请书",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="经营者签名，信息填写完整准确",
            ),
            id_card("经营者"),
            Mat(
                name="经营场所使用证明",
                mtype="3",
                std="自有房产提供权属证明，租赁的提供租赁合同",
                source_explain="申请人自备；已办理租赁登记的可数据共享核验",
            ),
            situational(
                Mat(
                    name="家庭成员身份证明及关系证明",
                    mtype="3",
                    std="参加经营的家庭成员身份证件及户口簿或结婚证等",
                ),
                "以家庭形式经营时提供",
            ),
            *PROXY,
        ),
        situations=(
            Sit(
                text="经营组成形式？",
                options=(
                    Opt(label="个人经营"),
                    Opt(
                        label="家庭经营",
                        materials=("家庭成员身份证明及关系证明",),
                        conditions="参加经营的家庭成员姓名应当同时备案。",
                    ),
                ),
            ),
            PROXY_Q,
        ),
        result=("LICENCE", "营业执照（个体工商户）"),
        topics=("L-SETUP",),
        events=("L-OPEN",),
        stat=(
            3,
            "WD",
            "《中华人民共和国市场主体登记管理条例》第十九条：对申请材料齐全、符合法定形式的予以确认并当场登记",
        ),
        prom=(0, "材料齐全、符合法定形式的，即时办结（“秒批”）"),
        self_service=True,
        delivery="电子营业执照即时发放至“粤商通”；纸质执照可免费邮寄或到自助终端打印。",
        faqs=(
            (
                "个体户可以起字号吗？",
                "可以使用名称，也可以不使用名称；使用名称的，一户只能使用一个名称。",
            ),
            ("开小吃店还需要什么许可？", "从事餐饮服务的，领取营业执照后还须办理食品经营许可。"),
        ),
    ),
    M(
        name="个体工商户注销登记",
        dept="ns_scj",
        mtype="01",
        objects=("1", "6"),
        summary="个体工商户不再从事经营活动的，申请注销登记。",
        aliases=("个体户注销", "注销个体执照"),
        legal="《中华人民共和国市场主体登记管理条例》第三十一条；《促进个体工商户发展条例》",
        conditions="1. 已结清应缴纳的税款等；\n2. 无被立案调查、查封等不得注销的情形。",
        materials=(
            Mat(
                name="个体工商户注销登记申请书",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="经营者签名",
            ),
            id_card("经营者"),
            Mat(
                name="营业执照正副本",
                paper="不限",
                source="20",
                issuer="市场监督管理部门",
                source_explain="已领取纸质执照的交回；仅有电子执照的无需提交",
                need="2",
                case="已领取纸质营业执照的交回",
                std="正副本齐全；遗失的在线声明作废",
            ),
        ),
        result=("OTHER", "准予注销登记通知书"),
        topics=("L-SETUP",),
        events=("L-EXIT",),
        stat=(3, "WD", "《中华人民共和国市场主体登记管理条例》第十九条"),
        prom=(0, "材料齐全的，即时办结"),
        appointment=False,
        delivery="准予注销登记通知书在线下载。",
        faqs=(("个体户注销要登报吗？", "不需要登报，未发生债权债务的可直接申请注销。"),),
    ),
    M(
        name="食品经营许可",
        dept="ns_scj",
        mtype="01",
        objects=("1", "2", "6"),
        summary="在南山区从事食品销售（含散装食品）和餐饮服务的经营者，申请食品经营许可；仅销售预包装食品的实行备案。",
        aliases=("开饭店", "餐饮许可", "食品经营许可证", "开餐馆", "餐饮服务许可"),
        legal=FOOD_LAW,
        conditions="1. 已取得营业执照；\n2. 具有与经营的食品品种、数量相适应的经营场所和设施设备；\n3. 有专职或者兼职的食品安全管理人员和保证食品安全的规章制度；\n4. 具有合理的设备布局和工艺流程。",
        materials=(
            Mat(
                name="食品经营许可申请书",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="法定代表人（负责人）签名，经营项目填写准确",
            ),
            BIZ_LICENCE,
            LEGAL_REP_ID,
            Mat(name="经营场所平面布局图", std="标明功能区域、面积及主要设施设备位置"),
            Mat(name="食品安全管理制度", std="包括从业人员健康管理、进货查验、食品安全自查等制度"),
            situational(
                Mat(name="主要设备设施布局及操作流程图", std="标明加工制作区域及操作流程"),
                "从事餐饮服务（含单位食堂）时提供",
            ),
            *PROXY_LEGAL,
        ),
        situations=(
            Sit(
                text="经营项目？",
                options=(
                    Opt(label="食品销售（含散装食品）"),
                    Opt(
                        label="餐饮服务（热食类、冷食类、生食类等）",
                        materials=("主要设备设施布局及操作流程图",),
                        conditions="从事冷食类、生食类食品制售的，须设置专间。",
                    ),
                    Opt(label="单位食堂", materials=("主要设备设施布局及操作流程图",)),
                ),
            ),
            PROXY_Q_LEGAL,
        ),
        result=("LICENCE", "食品经营许可证"),
        topics=("L-PERMIT", "L-FOOD"),
        events=("L-OPERATE",),
        stat=(
            10,
            "WD",
            "《食品经营许可和备案管理办法》：县级以上地方市场监督管理部门应当自受理申请之日起10个工作日内作出是否准予行政许可的决定",
        ),
        prom=(5, "自受理之日起5个工作日内作出决定"),
        special="现场核查（不计入办理时限）",
        delivery="电子食品经营许可证发放至“粤商通”；纸质证书可邮寄送达。",
        faqs=(
            ("只卖预包装食品需要办许可证吗？", "不需要许可，办理仅销售预包装食品备案即可。"),
            (
                "食品经营许可证有效期多久？",
                "有效期为五年，需延续的应当在有效期届满前90个工作日至15个工作日期间提出申请。",
            ),
        ),
    ),
    M(
        name="公共场所卫生许可",
        dept="ft_wjj",
        mtype="01",
        objects=("2", "6"),
        summary="在福田区开办宾馆酒店、沐浴场所、美容美发场所、游泳场所等公共场所，申请公共场所卫生许可证。",
        aliases=("卫生许可证", "开宾馆", "美容美发卫生许可", "游泳馆卫生许可"),
        legal="《公共场所卫生管理条例》第二条、第八条；《公共场所卫生管理条例实施细则》第二十二条",
        conditions="1. 已取得营业执照；\n2. 场所布局、卫生设施设备符合卫生标准和规范；\n3. 有卫生管理制度，从业人员经健康检查合格；\n4. 场所空气、水质等经检测符合卫生标准。",
        materials=(
            Mat(
                name="公共场所卫生许可申请表",
                form="3",
                std="法定代表人（负责人）签名并加盖公章",
                source_explain="在线填写自动生成，也可下载空白表格填写",
                blank=HYGIENE_FORM_TEXT,
            ),
            BIZ_LICENCE,
            LEGAL_REP_ID,
            Mat(
                name="公共场所地址方位示意图、平面图和卫生设施平面布局图",
                std="标明场所面积、功能分区及卫生设施位置",
            ),
            Mat(
                name="公共场所卫生检测或者评价报告",
                need="3",
                source="30",
                issuer="具有资质的检测机构",
                source_explain="由具有资质的检测机构出具；可容缺受理，在决定前补交",
                std="检测项目齐全，结论为合格",
            ),
            Mat(name="公共场所卫生管理制度", std="包括从业人员健康管理、清洗消毒、卫生检测等制度"),
            situational(
                Mat(
                    name="游泳场所水质检测报告",
                    source="30",
                    issuer="具有资质的检测机构",
                    std="池水水质各项指标符合卫生标准",
                ),
                "开办游泳场所时提供",
            ),
            *PROXY_LEGAL[:1],
        ),
        situations=(
            Sit(
                text="场所类别？",
                options=(
                    Opt(label="住宿场所（宾馆、酒店、民宿等）"),
                    Opt(label="沐浴或美容美发场所"),
                    Opt(label="游泳场所", materials=("游泳场所水质检测报告",)),
                ),
            ),
            Sit(
                text="由谁办理本事项？",
                options=(
                    Opt(label="法定代表人（负责人）本人办理"),
                    Opt(
                        label="委托经办人办理",
                        materials=("授权委托书",),
                        conditions="经办人须持本人有效身份证件。",
                    ),
                ),
            ),
        ),
        result=("LICENCE", "公共场所卫生许可证"),
        topics=("L-PERMIT", "L-HEALTH"),
        events=("L-OPERATE",),
        stat=(
            20,
            "WD",
            "《中华人民共和国行政许可法》第四十二条：除可以当场作出行政许可决定的外，应当自受理之日起二十日内作出决定",
        ),
        prom=(5, "自受理之日起5个工作日内办结（不含现场核查时间）"),
        special="现场核查（不计入办理时限）",
        delivery="电子证照自动归集到“粤商通”“我的证照”；也可窗口领取或邮寄。",
        faqs=(
            ("检测报告还没出来可以先申请吗？", "可以容缺受理，检测报告须在作出许可决定前补交。"),
        ),
    ),
    M(
        name="放射诊疗许可",
        dept="sz_wjw",
        mtype="01",
        objects=("2", "3", "6"),
        summary="医疗机构开展介入放射学、核医学、放射治疗工作的，申请放射诊疗许可（仅开展X射线影像诊断的向区卫生健康部门申请）。",
        aliases=("放射诊疗许可证", "放射科许可", "DSA许可"),
        legal="《放射性同位素与射线装置安全和防护条例》第八条；《放射诊疗管理规定》（卫生部令第46号）第四条、第十一条",
        conditions="1. 具有经核准登记的医学影像科等相应诊疗科目；\n2. 具有符合标准的放射诊疗场所、设备和防护设施；\n3. 具有相应资质的放射诊疗工作人员；\n4. 建设项目已通过职业病危害放射防护预评价审核和控制效果评价。",
        materials=(
            Mat(
                name="放射诊疗许可申请表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖医疗机构公章",
            ),
            certificate("医疗机构执业许可证", "卫生健康行政部门"),
            Mat(
                name="放射诊疗专业技术人员资质材料",
                mtype="3",
                std="执业证书、放射工作人员证、培训及健康检查证明",
            ),
            Mat(name="放射诊疗设备清单", std="设备名称、型号、数量及检测合格证明"),
            Mat(
                name="职业病危害控制效果放射防护评价报告",
                source="30",
                issuer="具有资质的放射卫生技术服务机构",
                std="评价结论为符合要求",
            ),
            Mat(
                name="放射事件应急处理预案及质量控制与安全防护制度", std="制度完整并有专门管理人员"
            ),
            situational(
                Mat(
                    name="介入放射学专业人员培训证明",
                    source="30",
                    issuer="省级卫生健康部门认可的培训机构",
                    std="介入手术医师经专业培训合格",
                ),
                "开展介入放射学时提供",
            ),
            situational(
                certificate("放射性药品使用许可证", "药品监督管理部门"), "开展核医学时提供"
            ),
        ),
        situations=(
            Sit(
                text="申请开展的放射诊疗类别？",
                options=(
                    Opt(label="介入放射学", materials=("介入放射学专业人员培训证明",)),
                    Opt(label="核医学", materials=("放射性药品使用许可证",)),
                    Opt(label="放射治疗"),
                ),
            ),
        ),
        result=("LICENCE", "放射诊疗许可证"),
        topics=("L-PERMIT", "L-HEALTH"),
        events=("L-OPERATE",),
        stat=(20, "WD", "《放射诊疗管理规定》：卫生行政部门应当自受理之日起20日内作出审查决定"),
        prom=(10, "自受理之日起10个工作日内办结"),
        special="现场审核、专家评审（不计入办理时限）",
        delivery="电子许可证发放至“粤商通”，纸质证书窗口领取或邮寄。",
        faqs=(("放射诊疗许可证需要校验吗？", "需要。与医疗机构执业许可证同时校验。"),),
    ),
    M(
        name="医疗机构执业许可",
        dept="sz_wjw",
        mtype="01",
        objects=("2", "3", "4"),
        summary="在深圳开办医院等医疗机构（诊所除外）的，申请医疗机构执业登记，领取医疗机构执业许可证。",
        aliases=("开医院", "医疗机构执业登记", "医疗机构执业许可证"),
        legal="《医疗机构管理条例》第十五条、第十六条、第十七条",
        conditions="1. 按照规定应当办理设置审批的，已取得设置医疗机构批准书；\n2. 符合医疗机构基本标准；\n3. 有适合的名称、组织机构和场所；\n4. 有与其开展的业务相适应的经费、设施、设备和专业卫生技术人员；\n5. 有相应的规章制度。",
        materials=(
            Mat(
                name="医疗机构执业登记申请书",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖申请单位公章",
            ),
            Mat(
                name="医疗机构用房产权证明或者使用证明",
                mtype="3",
                std="权属证明或租赁合同，租期不少于规定年限",
            ),
            Mat(name="医疗机构建筑设计平面图", std="标明各科室布局和面积"),
            Mat(
                name="验资证明或资产评估报告",
                source="30",
                issuer="会计师事务所或资产评估机构",
                std="机构盖章",
            ),
            Mat(name="医疗机构规章制度", std="包括医疗质量管理、院感控制等核心制度"),
            Mat(
                name="医疗机构法定代表人或者主要负责人以及各科室负责人名录和有关资格证书、执业证书复印件",
                mtype="2",
                std="加盖申请单位公章",
            ),
            situational(
                certificate("设置医疗机构批准书", "卫生健康行政部门"),
                "按规定须办理设置审批的医疗机构提供",
            ),
        ),
        situations=(
            Sit(
                text="拟设置的医疗机构是否须办理设置审批？",
                help="三级医院、三级妇幼保健院、急救中心等须先办理设置审批；其他医疗机构可直接申请执业登记。",
                options=(
                    Opt(label="须办理设置审批", materials=("设置医疗机构批准书",)),
                    Opt(label="无须设置审批，直接申请执业登记"),
                ),
            ),
        ),
        result=("LICENCE", "医疗机构执业许可证"),
        topics=("L-PERMIT", "L-HEALTH"),
        events=("L-OPERATE", "L-OPEN"),
        stat=(
            45,
            "CD",
            "《医疗机构管理条例》第十七条：登记机关应当自受理执业登记申请之日起45日内进行审核",
        ),
        prom=(20, "自受理之日起20个自然日内办结（不含现场审核时间）"),
        special="现场审核（不计入办理时限）",
        delivery="电子许可证发放至“粤商通”，纸质证书窗口领取或邮寄。",
        faqs=(("开诊所也要办执业许可吗？", "诊所实行备案管理，请办理“诊所备案”。"),),
    ),
    M(
        name="诊所备案",
        dept="ft_wjj",
        mtype="11",
        objects=("1", "2", "6"),
        summary="在福田区举办诊所的，向区卫生健康局备案后即可执业。",
        aliases=("开诊所", "诊所执业备案", "中医诊所备案"),
        legal="《医疗机构管理条例》第十五条；《国家卫生健康委 国家中医药局关于印发诊所备案管理暂行办法的通知》（国卫医政发〔2022〕33号）",
        conditions="1. 诊所负责人为取得医师执业证书且执业满规定年限的医师；\n2. 诊所用房、设备和人员符合诊所基本标准。",
        materials=(
            Mat(
                name="诊所备案信息表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="信息真实准确，举办人签名",
            ),
            Mat(name="诊所用房产权证明或使用证明", mtype="3", std="权属证明或租赁合同"),
            Mat(
                name="诊所主要负责人和医务人员执业证书",
                mtype="3",
                source="20",
                issuer="卫生健康行政部门",
                source_explain="已归集电子证照的可数据共享核验",
                std="执业范围与诊所诊疗科目一致",
            ),
            Mat(name="诊所规章制度", std="包括医疗质量安全、感染防控等制度"),
        ),
        result=("PROOF", "诊所备案凭证"),
        topics=("L-HEALTH",),
        events=("L-OPEN", "L-OPERATE"),
        stat=(0, "WD", "《诊所备案管理暂行办法》：备案材料齐全的，当场发放诊所备案凭证"),
        prom=(0, "备案材料齐全的，当场发放备案凭证"),
        appointment=False,
        delivery="诊所备案凭证在线下载打印。",
        faqs=(
            (
                "备案后多久会检查？",
                "区卫生健康局自备案之日起30日内进行现场核查，不符合要求的责令改正。",
            ),
        ),
    ),
    M(
        name="建设工程规划许可",
        dept="sz_ghzy",
        mtype="01",
        objects=("2", "3", "6"),
        summary="在城市规划区内进行建筑物、构筑物、道路、管线等工程建设的，申请建设工程规划许可证。",
        aliases=("建设工程规划许可证", "规划许可证", "工程规划证"),
        legal="《中华人民共和国城乡规划法》第四十条；《深圳市城市规划条例》",
        conditions="1. 已取得建设用地使用权；\n2. 建设工程设计方案符合控制性详细规划和规划条件；\n3. 设计方案由具有相应资质的设计单位编制。",
        materials=(
            Mat(
                name="建设工程规划许可申请表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖建设单位公章",
            ),
            certificate("土地权属证明", "规划和自然资源部门"),
            Mat(
                name="建设工程设计方案（总平面图、建筑设计图）",
                form="2",
                orig=0,
                source="30",
                issuer="具有相应资质的设计单位",
                std="符合规划条件，设计单位盖章",
            ),
            situational(
                Mat(
                    name="建筑工程经济技术指标核查表",
                    form="2",
                    orig=0,
                    source="30",
                    issuer="设计单位",
                    std="面积、容积率等指标计算准确",
                ),
                "申请房屋建筑工程时提供",
            ),
            situational(
                Mat(
                    name="管线综合设计图",
                    form="2",
                    orig=0,
                    source="30",
                    issuer="设计单位",
                    std="标明管线走向、埋深及与现状管线关系",
                ),
                "申请市政管线工程时提供",
            ),
            *PROXY_LEGAL,
        ),
        situations=(
            Sit(
                text="工程类型？",
                options=(
                    Opt(label="房屋建筑工程", materials=("建筑工程经济技术指标核查表",)),
                    Opt(label="市政管线工程", materials=("管线综合设计图",)),
                ),
            ),
            PROXY_Q_LEGAL,
        ),
        result=("LICENCE", "建设工程规划许可证"),
        topics=("L-CONSTRUCT",),
        events=("L-INVEST",),
        stat=(20, "WD", "《中华人民共和国行政许可法》第四十二条：应当自受理之日起二十日内作出决定"),
        prom=(10, "自受理之日起10个工作日内办结（不含批前公示时间）"),
        special="批前公示（不计入办理时限）",
        delivery="电子建设工程规划许可证推送至“粤商通”及工程建设项目审批管理系统。",
        faqs=(
            ("规划许可证有效期多久？", "取得许可证后一年内未开工且未申请延期的，许可证自行失效。"),
        ),
    ),
    M(
        name="建设用地规划许可",
        dept="sz_ghzy",
        mtype="01",
        objects=("2", "3", "6"),
        summary="以划拨或出让方式取得国有土地使用权的建设项目，申请建设用地规划许可证。",
        aliases=("建设用地规划许可证", "用地规划许可"),
        legal="《中华人民共和国城乡规划法》第三十七条、第三十八条",
        conditions="1. 建设项目已依法批准、核准或者备案；\n2. 用地位置、面积和用途符合国土空间规划；\n3. 已签订国有建设用地使用权出让合同或取得划拨决定。",
        materials=(
            Mat(
                name="建设用地规划许可申请表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖建设单位公章",
            ),
            BIZ_LICENCE,
            Mat(
                name="用地红线图",
                form="2",
                orig=0,
                source="20",
                issuer="规划和自然资源部门",
                std="坐标和面积准确",
            ),
            situational(
                Mat(
                    name="建设项目批准、核准或备案文件",
                    mtype="3",
                    source="20",
                    issuer="发展改革部门",
                    std="文件在有效期内",
                ),
                "以划拨方式供地时提供",
            ),
            situational(
                Mat(name="国有建设用地使用权出让合同", std="合同双方已签订"), "以出让方式供地时提供"
            ),
        ),
        situations=(
            Sit(
                text="土地供应方式？",
                options=(
                    Opt(label="划拨", materials=("建设项目批准、核准或备案文件",)),
                    Opt(
                        label="出让",
                        materials=("国有建设用地使用权出让合同",),
                        conditions="出让地块可与出让合同签订同步核发。",
                    ),
                ),
            ),
        ),
        result=("LICENCE", "建设用地规划许可证"),
        topics=("L-CONSTRUCT",),
        events=("L-INVEST",),
        stat=(20, "WD", "《中华人民共和国行政许可法》第四十二条：应当自受理之日起二十日内作出决定"),
        prom=(5, "自受理之日起5个工作日内办结"),
        delivery="电子许可证推送至工程建设项目审批管理系统。",
        faqs=(
            ("出让用地还要单独申请吗？", "本市实行出让合同签订与建设用地规划许可证核发同步办理。"),
        ),
    ),
    M(
        name="建筑工程施工许可",
        dept="sz_zjj",
        mtype="01",
        objects=("2", "3", "6"),
        summary="建筑工程开工前，建设单位申请领取施工许可证；按规定限额以下的小型工程无需办理。",
        aliases=("施工许可证", "施工证", "开工许可"),
        legal="《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》（住房和城乡建设部令第18号）第四条",
        conditions="1. 已办理用地批准手续，依法取得建设工程规划许可证；\n2. 已确定施工企业，需要招标的已完成招标；\n3. 有满足施工需要的技术资料和资金保障；\n4. 有保证工程质量和安全的具体措施。",
        materials=(
            Mat(
                name="建筑工程施工许可申请表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖建设单位公章",
            ),
            certificate("建设工程规划许可证", "规划和自然资源部门"),
            Mat(name="施工合同", std="建设单位与施工单位签订，加盖双方公章"),
            Mat(name="建设资金已经落实承诺书", std="建设单位法定代表人签名并盖章"),
            Mat(
                name="工程质量安全监督手续",
                form="2",
                orig=0,
                source="20",
                issuer="工程质量安全监督机构",
                source_explain="系统并联办理，免于提交",
                std="已办理",
            ),
            situational(
                Mat(
                    name="中标通知书",
                    mtype="3",
                    source="99",
                    issuer="招标人",
                    std="与施工合同内容一致",
                ),
                "依法必须招标的工程提供",
            ),
        ),
        situations=(
            Sit(
                text="该工程是否属于依法必须招标的项目？",
                options=(
                    Opt(label="是", materials=("中标通知书",)),
                    Opt(label="否，直接发包"),
                ),
            ),
        ),
        result=("LICENCE", "建筑工程施工许可证"),
        topics=("L-CONSTRUCT",),
        events=("L-INVEST",),
        stat=(
            7,
            "CD",
            "《中华人民共和国建筑法》第八条：建设行政主管部门应当自收到申请之日起七日内，对符合条件的申请颁发施工许可证",
        ),
        prom=(3, "自受理之日起3个自然日内办结"),
        delivery="电子施工许可证推送至工程建设项目审批管理系统，可在线打印。",
        faqs=(
            (
                "多大的工程需要办施工许可证？",
                "工程投资额在30万元以下或者建筑面积在300平方米以下的建筑工程可以不申请；本市另有规定的从其规定。",
            ),
        ),
    ),
    M(
        name="建设工程竣工验收备案",
        dept="sz_zjj",
        mtype="11",
        objects=("2", "3", "6"),
        summary="建设工程竣工验收合格后，建设单位向住房和建设部门办理竣工验收备案。",
        aliases=("竣工备案", "竣工验收备案"),
        legal="《建设工程质量管理条例》第四十九条；《房屋建筑和市政基础设施工程竣工验收备案管理办法》第四条、第五条",
        conditions="1. 工程已竣工验收合格；\n2. 应当自竣工验收合格之日起15日内备案。",
        materials=(
            Mat(
                name="工程竣工验收备案表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖建设单位公章",
            ),
            Mat(name="工程竣工验收报告", std="参建各方签字盖章"),
            Mat(
                name="规划验收合格证明",
                form="2",
                orig=0,
                source="20",
                issuer="规划和自然资源部门",
                source_explain="联合验收结果共享，免于提交",
                std="验收合格",
            ),
            Mat(name="施工单位签署的工程质量保修书", std="施工单位盖章"),
            situational(
                Mat(name="住宅质量保证书和住宅使用说明书", std="开发建设单位盖章"),
                "商品住宅工程提供",
            ),
            situational(
                Mat(
                    name="特殊建设工程消防验收意见书",
                    form="2",
                    orig=0,
                    source="20",
                    issuer="消防设计审查验收主管部门",
                    std="验收合格",
                ),
                "特殊建设工程提供",
            ),
        ),
        situations=(
            Sit(
                text="工程类型？",
                options=(
                    Opt(label="商品住宅工程", materials=("住宅质量保证书和住宅使用说明书",)),
                    Opt(
                        label="特殊建设工程（大型公共建筑等）",
                        materials=("特殊建设工程消防验收意见书",),
                    ),
                    Opt(label="其他工程"),
                ),
            ),
        ),
        result=("PROOF", "建设工程竣工验收备案证明"),
        topics=("L-CONSTRUCT",),
        events=("L-INVEST",),
        stat=(
            5,
            "WD",
            "《房屋建筑和市政基础设施工程竣工验收备案管理办法》：备案机关收讫备案文件后签收备案",
        ),
        prom=(1, "材料齐全的，1个工作日内完成备案"),
        appointment=False,
        delivery="备案证明在线下载。",
        faqs=(
            (
                "联合验收后还需要单独备案吗？",
                "实行联合验收的项目，验收通过后系统自动推送备案信息，只需在线确认。",
            ),
        ),
    ),
    M(
        name="商品房预售许可",
        dept="sz_zjj",
        mtype="01",
        objects=("2",),
        summary="房地产开发企业预售商品房的，申请商品房预售许可证。",
        aliases=("预售证", "卖楼花", "商品房预售许可证"),
        legal="《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》第五条、第七条、第十条",
        conditions="1. 已交付全部土地使用权出让金，取得土地使用权证书；\n2. 持有建设工程规划许可证和施工许可证；\n3. 投入开发建设的资金达到工程建设总投资的25%以上，并已确定施工进度和竣工交付日期；\n4. 已开立商品房预售资金监管账户。",
        materials=(
            Mat(
                name="商品房预售许可申请表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖开发企业公章",
            ),
            BIZ_LICENCE,
            certificate("房地产开发企业资质证书", "住房和建设部门"),
            certificate("建筑工程施工许可证", "住房和建设部门"),
            Mat(
                name="工程施工进度证明",
                source="99",
                issuer="监理单位",
                std="载明投入资金比例和形象进度",
            ),
            Mat(name="商品房预售方案", std="载明预售房屋位置、面积、价格及竣工交付日期"),
            Mat(name="预售资金监管协议", std="开发企业与监管银行签订"),
        ),
        result=("LICENCE", "商品房预售许可证"),
        topics=("L-CONSTRUCT", "L-PROPERTY"),
        events=("L-INVEST",),
        stat=(
            10,
            "CD",
            "《城市商品房预售管理办法》第七条：房地产管理部门应当自受理之日起10日内作出决定",
        ),
        prom=(5, "自受理之日起5个自然日内办结"),
        special="现场查勘（不计入办理时限）",
        delivery="预售许可证信息在线公示，纸质证书窗口领取。",
        faqs=(
            ("预售资金可以随意使用吗？", "不可以，预售资金必须存入监管账户，按工程进度申请拨付。"),
        ),
    ),
    M(
        name="城市道路占用挖掘许可",
        dept="sz_jtj",
        mtype="01",
        objects=("2", "3", "6"),
        joint="JOINT",
        summary="因工程建设需要临时占用或挖掘城市道路的，向交通运输部门申请，公安交通管理部门联合审批。",
        aliases=("占道许可", "挖路审批", "占用挖掘道路", "临时占道"),
        legal="《城市道路管理条例》第三十条、第三十一条、第三十三条",
        conditions="1. 因特殊情况确需临时占用或因工程建设确需挖掘城市道路；\n2. 有施工方案和交通疏解方案；\n3. 挖掘的已取得规划许可等批准文件。",
        materials=(
            Mat(
                name="占用挖掘城市道路申请表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="载明占用挖掘位置、面积、期限",
            ),
            Mat(name="施工方案及交通疏解方案", std="施工单位编制，明确安全措施和交通组织"),
            Mat(name="占用挖掘位置平面图", std="标明道路名称、范围和面积"),
            situational(
                Mat(
                    name="建设工程规划许可证或管线规划批准文件",
                    mtype="3",
                    source="20",
                    issuer="规划和自然资源部门",
                    std="在有效期内",
                ),
                "申请挖掘城市道路时提供",
            ),
            situational(
                Mat(name="道路修复方案及承诺书", std="承诺按原结构、原标准修复"),
                "申请挖掘城市道路时提供",
            ),
        ),
        situations=(
            Sit(
                text="申请类型？",
                options=(
                    Opt(label="临时占用城市道路"),
                    Opt(
                        label="挖掘城市道路",
                        materials=("建设工程规划许可证或管线规划批准文件", "道路修复方案及承诺书"),
                        conditions="新建、扩建、改建的城市道路交付使用后5年内、大修的城市道路竣工后3年内不得挖掘，确需挖掘的须经批准。",
                    ),
                ),
            ),
        ),
        result=("APPROVAL", "占用挖掘城市道路许可决定书"),
        topics=("L-TRANSPORT", "L-CONSTRUCT"),
        events=("L-INVEST",),
        stat=(20, "WD", "《中华人民共和国行政许可法》第四十二条：应当自受理之日起二十日内作出决定"),
        prom=(7, "自受理之日起7个工作日内作出决定（含交警联合审查）"),
        special="现场踏勘（不计入办理时限）",
        delivery="许可决定书在线下载，施工现场须公示。",
        faqs=(
            ("占道期限到了没完工怎么办？", "应当在期满前申请延期，未经批准的须按期恢复道路原状。"),
        ),
    ),
    M(
        name="户外广告设置许可",
        dept="ns_cgj",
        mtype="01",
        objects=("1", "2", "6"),
        summary="在南山区设置户外广告或大型招牌的，申请户外广告设置许可。",
        aliases=("招牌", "店招", "广告牌", "招牌设置许可", "户外广告审批"),
        legal="《中华人民共和国广告法》第四十一条；《城市市容和环境卫生管理条例》第十一条；《深圳市户外广告管理办法》",
        conditions="1. 设置位置、规格、形式符合户外广告设置规划和招牌设置指引；\n2. 设施结构安全，不影响消防、交通和市容；\n3. 设置人对设置场地有合法使用权。",
        materials=(
            Mat(
                name="户外广告设置申请表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="申请人签名或盖章",
            ),
            BIZ_LICENCE,
            Mat(name="设置场地使用权证明", mtype="3", std="场地产权证明或与产权人签订的使用协议"),
            Mat(
                name="设计效果图及位置示意图",
                form="2",
                orig=0,
                std="标明尺寸、材质、照明方式和设置位置",
            ),
            situational(
                Mat(
                    name="结构安全设计文件",
                    source="30",
                    issuer="具有相应资质的设计单位",
                    std="设计单位盖章",
                ),
                "设置大型户外广告时提供",
            ),
        ),
        situations=(
            Sit(
                text="设置类型？",
                options=(
                    Opt(
                        label="店铺招牌（店名店招）",
                        conditions="符合招牌设置指引的，可适用告知承诺当场办结。",
                    ),
                    Opt(label="户外广告或大型招牌", materials=("结构安全设计文件",)),
                ),
            ),
        ),
        result=("APPROVAL", "户外广告设置许可决定书"),
        topics=("L-PERMIT",),
        events=("L-OPERATE", "L-OPEN"),
        stat=(20, "WD", "《中华人民共和国行政许可法》第四十二条：应当自受理之日起二十日内作出决定"),
        prom=(5, "自受理之日起5个工作日内办结；招牌适用告知承诺的当场办结"),
        special="现场踏勘（不计入办理时限）",
        electronic=False,
        delivery="许可决定书在线下载或窗口领取。",
        faqs=(("换招牌内容也要重新申请吗？", "变更招牌位置、规格或主要内容的，应当重新申请。"),),
    ),
    M(
        name="排水许可",
        dept="sz_swj",
        mtype="01",
        objects=("2", "3", "6"),
        summary="从事工业、建筑、餐饮、医疗等活动的企业事业单位、个体工商户向城镇排水设施排放污水的，申请污水排入排水管网许可证。",
        aliases=("城镇污水排入排水管网许可", "排水证", "排水许可证"),
        legal="《城镇排水与污水处理条例》第二十一条；《城镇污水排入排水管网许可管理办法》（住房和城乡建设部令第21号）",
        conditions="1. 排放口设置符合要求，内部排水管网已实行雨污分流；\n2. 按规定建设预处理设施，排放污水符合纳管标准；\n3. 按规定设置专用检测井。",
        materials=(
            Mat(
                name="排水许可申请表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖申请单位公章",
            ),
            BIZ_LICENCE,
            Mat(
                name="排水户内部排水管网、专用检测井、排放口位置平面图",
                std="标明雨污管网走向和接驳位置",
            ),
            Mat(
                name="排水水质检测报告",
                need="3",
                source="30",
                issuer="具有资质的检测机构",
                source_explain="新建项目可容缺受理，投入使用后补交",
                std="各项指标符合纳管标准",
            ),
            situational(
                Mat(
                    name="污水预处理设施说明及水质监测方案",
                    std="说明预处理工艺、处理能力和自行监测计划",
                ),
                "重点排水户提供",
            ),
        ),
        situations=(
            Sit(
                text="排水户类型？",
                options=(
                    Opt(label="一般排水户（餐饮、洗车等）"),
                    Opt(
                        label="重点排水户（列入重点排污单位名录或排放工业废水）",
                        materials=("污水预处理设施说明及水质监测方案",),
                    ),
                ),
            ),
        ),
        result=("LICENCE", "城镇污水排入排水管网许可证"),
        topics=("L-PERMIT", "L-CONSTRUCT"),
        events=("L-OPERATE",),
        stat=(
            15,
            "WD",
            "《城镇污水排入排水管网许可管理办法》：城镇排水主管部门应当自受理申请之日起15日内作出决定",
        ),
        prom=(5, "自受理之日起5个工作日内办结"),
        special="现场勘查（不计入办理时限）",
        delivery="电子许可证推送至“粤商通”。",
        faqs=(
            (
                "开餐馆需要办排水许可吗？",
                "餐饮经营者向城镇排水管网排放污水的，须设置隔油设施并申请排水许可。",
            ),
        ),
    ),
    M(
        name="人力资源服务许可",
        dept="sz_rsj",
        mtype="01",
        objects=("2", "6"),
        summary="经营性人力资源服务机构从事职业中介活动的，申请人力资源服务许可证；可选择告知承诺方式办理。",
        aliases=("职业中介许可", "人力资源服务许可证", "猎头许可", "开人力资源公司"),
        legal="《中华人民共和国就业促进法》第四十条；《人力资源市场暂行条例》第十八条；《人力资源服务机构管理规定》第五条至第八条",
        conditions="1. 有明确的章程和管理制度；\n2. 有开展业务必备的固定场所、办公设施和一定数额的开办资金；\n3. 有3名以上专职工作人员；\n4. 法律、法规规定的其他条件。",
        materials=(
            Mat(
                name="从事职业中介活动申请书",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖公章",
            ),
            BIZ_LICENCE,
            Mat(
                name="专职工作人员名单及社会保险缴纳证明",
                form="2",
                orig=0,
                source_explain="社保信息共享核验",
                std="3名以上专职人员",
            ),
            situational(
                Mat(name="机构章程和管理制度", std="包括服务流程、收费标准、信息管理等制度"),
                "按一般程序申请时提供",
            ),
            situational(
                Mat(name="经营场所使用证明", mtype="3", std="产权证明或租赁合同"),
                "按一般程序申请时提供",
            ),
            situational(
                Mat(
                    name="告知承诺书",
                    form="2",
                    orig=0,
                    source_explain="在线签署",
                    std="法定代表人签署，承诺符合许可条件",
                ),
                "选择告知承诺方式申请时提供",
            ),
        ),
        situations=(
            Sit(
                text="申请方式？",
                help="选择告知承诺的，作出承诺后当场取得许可，事后接受核查。",
                options=(
                    Opt(label="一般程序", materials=("机构章程和管理制度", "经营场所使用证明")),
                    Opt(
                        label="告知承诺制",
                        materials=("告知承诺书",),
                        conditions="承诺不实的，依法撤销许可并记入信用记录。",
                    ),
                ),
            ),
        ),
        result=("LICENCE", "人力资源服务许可证"),
        topics=("L-HR", "L-PERMIT"),
        events=("L-OPERATE",),
        stat=(
            20,
            "WD",
            "《人力资源市场暂行条例》第十八条：人力资源社会保障行政部门应当自收到申请之日起20日内依法作出行政许可决定",
        ),
        prom=(5, "一般程序自受理之日起5个工作日内办结；告知承诺制当场办结"),
        delivery="电子许可证推送至“粤商通”。",
        faqs=(
            (
                "只做网络招聘需要许可吗？",
                "开展网络招聘服务属于职业中介活动，须取得人力资源服务许可证，并依法取得电信业务经营许可。",
            ),
        ),
    ),
    M(
        name="劳务派遣经营许可",
        dept="sz_rsj",
        mtype="01",
        objects=("2",),
        summary="经营劳务派遣业务的，向人力资源社会保障部门申请劳务派遣经营许可。",
        aliases=("劳务派遣许可证", "劳务派遣资质"),
        legal="《中华人民共和国劳动合同法》第五十七条；《劳务派遣行政许可实施办法》第六条、第八条、第十二条",
        conditions="1. 注册资本不得少于人民币二百万元；\n2. 有与开展业务相适应的固定的经营场所和设施；\n3. 有符合法律、行政法规规定的劳务派遣管理制度。",
        materials=(
            Mat(
                name="劳务派遣经营许可申请书",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖公章",
            ),
            BIZ_LICENCE,
            Mat(
                name="公司章程以及验资机构出具的验资报告或者财务审计报告",
                source="30",
                issuer="会计师事务所",
                std="实缴注册资本不少于200万元",
            ),
            Mat(name="经营场所使用证明及设施设备清单", mtype="3", std="产权证明或租赁合同"),
            Mat(
                name="劳务派遣管理制度",
                std="包括劳动合同、劳动报酬、社会保险、工作时间、休息休假等内容",
            ),
            Mat(name="法定代表人的身份证明", mtype="3", std="身份证件复印件"),
        ),
        result=("LICENCE", "劳务派遣经营许可证"),
        topics=("L-HR", "L-PERMIT"),
        events=("L-OPERATE", "L-HIRE"),
        stat=(
            20,
            "WD",
            "《劳务派遣行政许可实施办法》第十二条：许可机关应当自受理之日起20个工作日内作出是否准予行政许可的决定",
        ),
        prom=(10, "自受理之日起10个工作日内办结"),
        special="实地核查（不计入办理时限）",
        delivery="电子许可证推送至“粤商通”。",
        faqs=(("劳务派遣许可证有效期多久？", "有效期为3年，需延续的应当在有效期届满60日前申请。"),),
    ),
    M(
        name="网络预约出租汽车经营许可",
        dept="sz_jtj",
        mtype="01",
        objects=("2",),
        summary="在深圳从事网约车经营服务的平台公司，申请网络预约出租汽车经营许可。",
        aliases=("网约车平台许可", "网约车经营许可证"),
        legal="《网络预约出租汽车经营服务管理暂行办法》第五条、第六条、第七条、第八条",
        conditions="1. 具有企业法人资格；\n2. 具备开展网约车经营的互联网平台和与拟开展业务相适应的信息数据交互及处理能力；\n3. 有健全的经营管理制度、安全生产管理制度和服务质量保障制度；\n4. 在服务所在地有相应服务机构及服务能力。",
        materials=(
            Mat(
                name="网络预约出租汽车经营申请表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖公章",
            ),
            BIZ_LICENCE,
            Mat(name="投资人、负责人身份证明及简历", mtype="3", std="身份证件复印件及履历"),
            Mat(
                name="线上服务能力认定结果",
                source="20",
                issuer="企业注册地省级交通运输主管部门",
                std="认定结论为具备线上服务能力",
            ),
            Mat(
                name="服务所在地办公场所证明及负责人员名单", mtype="3", std="场所产权证明或租赁合同"
            ),
            Mat(
                name="经营管理制度、安全生产管理制度和服务质量保障制度文本",
                std="制度完整，符合规定",
            ),
            Mat(
                name="网络服务平台数据库接入情况说明",
                form="2",
                orig=0,
                std="已接入部级和本市网约车监管信息交互平台",
            ),
        ),
        result=("LICENCE", "网络预约出租汽车经营许可证"),
        topics=("L-TRANSPORT", "L-PERMIT"),
        events=("L-OPERATE",),
        stat=(
            20,
            "WD",
            "《网络预约出租汽车经营服务管理暂行办法》第八条：出租汽车行政主管部门应当自受理之日起20日内作出许可或者不予许可的决定",
        ),
        prom=(10, "自受理之日起10个工作日内办结"),
        special="征求通信、公安、网信等部门意见（不计入办理时限）",
        delivery="电子许可证推送至“粤商通”，纸质证书窗口领取。",
        faqs=(
            (
                "在多个城市经营需要分别申请吗？",
                "需要。网约车平台公司在服务所在地分别申请经营许可。",
            ),
        ),
    ),
    M(
        name="网络预约出租汽车运输证核发",
        dept="sz_jtj",
        mtype="01",
        objects=("1", "2"),
        summary="拟从事网约车经营的车辆，申请网络预约出租汽车运输证。",
        aliases=("网约车运输证", "网约车车辆证", "双证"),
        legal="《网络预约出租汽车经营服务管理暂行办法》第十二条、第十三条",
        conditions="1. 7座及以下乘用车；\n2. 安装具有行驶记录功能的车辆卫星定位装置、应急报警装置；\n3. 车辆技术性能符合运营安全相关标准要求，符合本市网约车车辆标准。",
        materials=(
            Mat(
                name="网络预约出租汽车运输证申请表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="车辆所有人签名或盖章",
            ),
            certificate("机动车行驶证", "公安机关交通管理部门"),
            Mat(
                name="车辆所有人身份证明",
                mtype="3",
                source="20",
                issuer="公安机关或市场监督管理部门",
                std="个人提供身份证件，单位提供营业执照",
            ),
            Mat(
                name="卫星定位装置和应急报警装置安装证明",
                source="30",
                issuer="安装服务商",
                std="设备已接入监管平台",
            ),
            Mat(
                name="网约车平台公司接入证明",
                form="2",
                orig=0,
                source="99",
                issuer="网约车平台公司",
                std="平台公司确认车辆接入",
            ),
        ),
        result=("LICENCE", "网络预约出租汽车运输证"),
        topics=("L-TRANSPORT",),
        events=("L-OPERATE",),
        stat=(
            20,
            "WD",
            "《网络预约出租汽车经营服务管理暂行办法》第十三条：出租汽车行政主管部门应当按照规定条件审核后发放运输证",
        ),
        prom=(5, "自受理之日起5个工作日内办结"),
        delivery="电子运输证同步至“粤省事”“粤商通”。",
        faqs=(("车辆使用性质要变更吗？", "取得运输证后，车辆使用性质登记为“预约出租客运”。"),),
    ),
    M(
        name="道路运输经营许可",
        dept="sz_jtj",
        mtype="01",
        objects=("2", "6"),
        summary="从事道路旅客运输或道路普通货物运输（使用总质量4.5吨以上货车）经营的，申请道路运输经营许可证。",
        aliases=("道路运输经营许可证", "货运许可", "客运许可", "运输公司资质"),
        legal="《中华人民共和国道路运输条例》第八条、第十条、第二十一条、第二十四条；《道路货物运输及站场管理规定》",
        conditions="1. 有与其经营业务相适应并经检测合格的车辆；\n2. 有符合规定条件的驾驶人员；\n3. 有健全的安全生产管理制度。",
        materials=(
            Mat(
                name="道路运输经营申请表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖公章",
            ),
            BIZ_LICENCE,
            LEGAL_REP_ID,
            Mat(
                name="驾驶人员从业资格证",
                mtype="3",
                source="20",
                issuer="交通运输部门",
                source_explain="系统联网核验",
                std="从业资格类别与经营类别一致",
            ),
            Mat(
                name="安全生产管理制度文本", std="包括安全生产责任制、操作规程、车辆动态监控等制度"
            ),
            situational(
                certificate("机动车行驶证", "公安机关交通管理部门"), "已购置营运车辆的提供"
            ),
            situational(
                Mat(name="拟投入车辆承诺书", std="载明车辆数量、类型及技术等级"),
                "尚未购置营运车辆的提供",
            ),
            situational(
                Mat(name="客运线路和站点方案", std="载明起讫地、途经站点和班次"),
                "申请道路旅客运输班车经营时提供",
            ),
        ),
        situations=(
            Sit(
                text="经营类别？",
                options=(
                    Opt(label="道路普通货物运输"),
                    Opt(
                        label="道路旅客运输（班车、包车）",
                        materials=("客运线路和站点方案",),
                        conditions="企业须有与经营规模相适应的客车及安全管理人员。",
                    ),
                ),
            ),
            Sit(
                text="营运车辆情况？",
                options=(
                    Opt(label="已购置车辆", materials=("机动车行驶证",)),
                    Opt(
                        label="尚未购置，承诺购置",
                        materials=("拟投入车辆承诺书",),
                        conditions="取得许可后按承诺配备车辆，再办理道路运输证。",
                    ),
                ),
            ),
        ),
        result=("LICENCE", "道路运输经营许可证"),
        topics=("L-TRANSPORT", "L-PERMIT"),
        events=("L-OPERATE",),
        stat=(
            20,
            "WD",
            "《中华人民共和国道路运输条例》：道路运输管理机构应当自受理申请之日起20日内审查完毕",
        ),
        prom=(10, "自受理之日起10个工作日内办结"),
        delivery="电子许可证推送至“粤商通”。",
        faqs=(
            (
                "4.5吨以下货车需要办理吗？",
                "使用总质量4.5吨及以下普通货运车辆从事普通货运经营的，无需申请道路运输经营许可。",
            ),
        ),
    ),
    M(
        name="社会团体成立登记",
        dept="sz_mzj",
        mtype="01",
        objects=("4", "6"),
        summary="成立市级社会团体的，向市民政局申请成立登记；行业协会商会等四类社会组织可直接登记。",
        aliases=("成立协会", "社团登记", "注册商会", "社会组织登记"),
        legal="《社会团体登记管理条例》第三条、第十条、第十一条、第十二条",
        conditions="1. 有50个以上的个人会员或者30个以上的单位会员，混合组成的会员总数不少于50个；\n2. 有规范的名称和相应的组织机构、固定的住所；\n3. 有与其业务活动相适应的专职工作人员；\n4. 有3万元以上活动资金；\n5. 有独立承担民事责任的能力。",
        materials=(
            Mat(
                name="社会团体成立登记申请书",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="发起人签名",
            ),
            Mat(name="章程草案", std="经会员大会或会员代表大会通过"),
            Mat(name="验资报告", source="30", issuer="会计师事务所", std="活动资金不少于3万元"),
            Mat(name="住所使用权证明", mtype="3", std="产权证明或租赁合同，租期一年以上"),
            Mat(
                name="发起人和拟任负责人的基本情况、身份证明",
                mtype="3",
                std="附身份证件复印件及履历",
            ),
            situational(
                Mat(
                    name="业务主管单位批准文件",
                    source="20",
                    issuer="业务主管单位",
                    std="同意成立的批复文件",
                ),
                "须经业务主管单位审查同意的社会团体提供",
            ),
        ),
        situations=(
            Sit(
                text="是否属于可直接登记的社会团体？",
                help="行业协会商会类、科技类、公益慈善类、城乡社区服务类社会组织可直接向民政部门申请登记。",
                options=(
                    Opt(label="直接登记（行业协会商会、科技、公益慈善、城乡社区服务类）"),
                    Opt(label="须经业务主管单位审查同意", materials=("业务主管单位批准文件",)),
                ),
            ),
        ),
        result=("LICENCE", "社会团体法人登记证书"),
        topics=("L-SOCIALORG", "L-SETUP"),
        events=("L-OPEN",),
        stat=(
            60,
            "CD",
            "《社会团体登记管理条例》第十二条：登记管理机关应当自收到全部有效文件之日起60日内，作出准予或者不予登记的决定",
        ),
        prom=(20, "自受理之日起20个自然日内办结"),
        special="专家评估或实地考察（不计入办理时限）",
        electronic=True,
        delivery="电子登记证书推送至“粤商通”，纸质证书窗口领取。",
        faqs=(
            (
                "同一行业可以成立两个协会吗？",
                "在同一行政区域内已有业务范围相同或者相似的社会团体，没有必要成立的，不予登记。",
            ),
        ),
    ),
    M(
        name="基金会设立登记",
        dept="gd_mzt",
        mtype="01",
        objects=("4", "6"),
        summary="设立在广东省民政厅登记的地方性基金会，申请设立登记。",
        aliases=("成立基金会", "基金会注册", "慈善基金会登记"),
        legal="《基金会管理条例》第八条、第九条、第十一条；《中华人民共和国慈善法》第十条",
        conditions="1. 为特定的公益目的而设立；\n2. 地方性公募基金会原始基金不低于400万元，非公募基金会不低于200万元，原始基金为到账货币资金；\n3. 有规范的名称、章程、组织机构以及与其开展活动相适应的专职工作人员；\n4. 有固定的住所。",
        materials=(
            Mat(
                name="基金会设立登记申请书",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="发起人签名或盖章",
            ),
            Mat(name="基金会章程草案", std="符合章程示范文本要求"),
            Mat(name="验资证明", source="30", issuer="会计师事务所", std="原始基金为到账货币资金"),
            Mat(name="住所证明", mtype="3", std="产权证明或租赁合同"),
            Mat(
                name="理事名单、身份证明以及拟任理事长、副理事长、秘书长简历",
                mtype="3",
                std="附身份证件复印件",
            ),
            situational(
                Mat(
                    name="业务主管单位同意设立的文件",
                    source="20",
                    issuer="业务主管单位",
                    std="同意设立的批复文件",
                ),
                "须经业务主管单位审查同意的基金会提供",
            ),
        ),
        situations=(
            Sit(
                text="是否须经业务主管单位审查同意？",
                options=(
                    Opt(label="直接登记（公益慈善类）"),
                    Opt(
                        label="须经业务主管单位审查同意", materials=("业务主管单位同意设立的文件",)
                    ),
                ),
            ),
        ),
        result=("LICENCE", "基金会法人登记证书"),
        topics=("L-SOCIALORG", "L-SETUP"),
        events=("L-OPEN",),
        stat=(
            60,
            "CD",
            "《基金会管理条例》第十一条：登记管理机关应当自收到全部有效文件之日起60日内，作出准予或者不予登记的决定",
        ),
        prom=(30, "自受理之日起30个自然日内办结"),
        special="专家评审（不计入办理时限）",
        address="广东省政务服务中心民政厅窗口（广州市）；可通过广东政务服务网全程网办",
        delivery="电子登记证书推送至“粤商通”，纸质证书邮寄送达。",
        faqs=(
            (
                "基金会登记后可以公开募捐吗？",
                "依法登记满一年的慈善组织，可以向民政部门申请公开募捐资格。",
            ),
        ),
    ),
    M(
        name="养老机构备案",
        dept="sz_mzj",
        mtype="11",
        objects=("2", "3", "4"),
        summary="设立养老机构依法办理登记后，向民政部门办理备案。",
        aliases=("开养老院", "养老院备案", "养老机构设立"),
        legal="《中华人民共和国老年人权益保障法》第四十三条；《养老机构管理办法》（民政部令第66号）第九条、第十条",
        conditions="1. 已依法办理法人登记；\n2. 有与服务内容相适应的场所、设施设备和工作人员；\n3. 养老机构建筑符合消防安全和建筑设计标准。",
        materials=(
            Mat(
                name="养老机构备案书",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖公章",
            ),
            Mat(name="养老机构服务场所使用证明", mtype="3", std="产权证明或租赁合同"),
            Mat(name="养老机构服务设施、设备和人员情况说明", std="包括床位数、护理人员配备等"),
            Mat(name="养老机构书面承诺书", std="承诺符合消防、建筑、卫生等标准"),
            situational(BIZ_LICENCE, "营利性养老机构提供"),
            situational(
                certificate(
                    "民办非企业单位登记证书或事业单位法人证书", "民政部门或事业单位登记管理机关"
                ),
                "非营利性养老机构提供",
            ),
        ),
        situations=(
            Sit(
                text="养老机构的性质？",
                options=(
                    Opt(label="营利性养老机构", materials=("营业执照",)),
                    Opt(
                        label="非营利性养老机构",
                        materials=("民办非企业单位登记证书或事业单位法人证书",),
                    ),
                ),
            ),
        ),
        result=("PROOF", "养老机构备案回执"),
        topics=("L-SOCIALORG",),
        events=("L-OPEN",),
        stat=(0, "WD", "《养老机构管理办法》：民政部门对材料齐全的，当场予以备案"),
        prom=(0, "材料齐全的，当场予以备案"),
        appointment=False,
        delivery="备案回执在线下载；民政部门自备案之日起20个工作日内现场检查。",
        faqs=(
            (
                "养老机构备案需要审批吗？",
                "不需要审批，登记后备案即可开展服务，民政部门依法进行事中事后监管。",
            ),
        ),
    ),
    M(
        name="保安服务公司设立许可",
        dept="gd_ga",
        mtype="01",
        objects=("2",),
        joint="REPORT",
        summary="设立保安服务公司的，向所在地设区的市级公安机关提出申请，经审核后由省公安厅作出许可决定。",
        aliases=("保安公司许可", "保安服务许可证", "开保安公司"),
        legal="《保安服务管理条例》第八条、第九条",
        conditions="1. 有不低于人民币100万元的注册资本；\n2. 拟任的保安服务公司法定代表人和主要管理人员应当具备任职所需的专业知识和有关业务工作经验，无被刑事处罚、劳动教养、收容教育、强制隔离戒毒或者被开除公职、开除军籍等不良记录；\n3. 有与所提供的保安服务相适应的专业技术人员；\n4. 有住所和提供保安服务所需的设施、装备；\n5. 有健全的组织机构和保安服务管理制度、岗位责任制度、保安员管理制度。",
        materials=(
            Mat(
                name="保安服务公司设立申请书",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖公章",
            ),
            Mat(name="注册资本证明", mtype="3", std="营业执照或验资证明，注册资本不低于100万元"),
            Mat(
                name="拟任法定代表人和主要管理人员的任职资格证明",
                mtype="3",
                std="身份证件、履历及无犯罪记录证明",
            ),
            Mat(name="专业技术人员名单及资格证明", mtype="3", std="与拟提供的保安服务相适应"),
            Mat(name="住所证明及设施装备清单", mtype="3", std="产权证明或租赁合同"),
            Mat(name="组织机构设置及保安服务管理制度", std="包括岗位责任制度、保安员管理制度"),
        ),
        result=("LICENCE", "保安服务许可证"),
        topics=("L-SECURITY", "L-PERMIT"),
        events=("L-OPEN", "L-OPERATE"),
        stat=(
            30,
            "CD",
            "《保安服务管理条例》第九条：受理的公安机关应当自收到申请材料之日起15日内审核并报省级公安机关，省级公安机关应当自收到审核意见之日起15日内作出决定",
        ),
        prom=(20, "设区的市级公安机关审核10个自然日、省公安厅决定10个自然日"),
        steps=(
            Step(name="受理", handler="深圳市公安局治安管理支队", limit=0),
            Step(
                name="审核并上报", handler="深圳市公安局治安管理支队", limit=10, special="背景审查"
            ),
            Step(name="决定", handler="广东省公安厅治安管理局", limit=10),
        ),
        special="拟任人员背景审查",
        depth="3",
        visits=1,
        visits_explain="须到设区的市级公安机关提交纸质申请材料原件核验",
        address="深圳市公安局治安管理支队行政审批窗口（深圳市行政服务大厅）",
        delivery="许可证由受理的市级公安机关窗口领取或邮寄送达。",
        faqs=(
            (
                "保安服务许可证和营业执照先办哪个？",
                "先申请保安服务许可证，取得许可后再办理企业登记。",
            ),
        ),
    ),
    M(
        name="旅馆业特种行业许可",
        dept="sz_ga",
        mtype="01",
        objects=("1", "2", "6"),
        summary="开办旅馆（含宾馆、酒店、民宿等）的，取得营业执照后向公安机关申领特种行业许可证。",
        aliases=("旅馆特种行业许可证", "开旅馆", "开酒店", "特行许可"),
        legal="《旅馆业治安管理办法》第四条；《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）",
        conditions="1. 已取得营业执照；\n2. 房屋建筑、消防设备、出入口和通道等符合消防安全要求；\n3. 已安装旅馆业治安管理信息系统；\n4. 有健全的治安保卫制度和专（兼）职治安保卫人员。",
        materials=(
            Mat(
                name="旅馆业特种行业许可申请表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="法定代表人（负责人）签名",
            ),
            BIZ_LICENCE,
            LEGAL_REP_ID,
            Mat(name="经营场所平面图", std="标明客房数量、床位及安全出口"),
            Mat(
                name="消防安全检查合格证明或告知承诺书",
                mtype="3",
                source="20",
                issuer="消防救援机构",
                std="公众聚集场所投入使用营业前消防安全检查合格",
            ),
            Mat(name="治安保卫制度和治安保卫人员名单", std="制度完整，人员明确"),
            Mat(
                name="旅馆业治安管理信息系统安装证明",
                form="2",
                orig=0,
                source="99",
                issuer="系统服务商",
                std="已安装并接入公安机关系统",
            ),
        ),
        result=("LICENCE", "特种行业许可证"),
        topics=("L-SECURITY", "L-PERMIT"),
        events=("L-OPERATE",),
        stat=(20, "WD", "《中华人民共和国行政许可法》第四十二条：应当自受理之日起二十日内作出决定"),
        prom=(10, "自受理之日起10个工作日内办结"),
        special="现场检查（不计入办理时限）",
        delivery="许可证窗口领取或邮寄送达。",
        faqs=(
            (
                "民宿需要办特种行业许可吗？",
                "从事住宿经营的民宿应当依法取得特种行业许可证，具体按本市民宿管理规定执行。",
            ),
        ),
    ),
    M(
        name="公章刻制备案",
        dept="sz_ga",
        mtype="11",
        objects=("2", "3", "4", "6"),
        summary="单位刻制公章后由刻章企业通过系统向公安机关备案；新开办企业可免费刻制首套印章。",
        aliases=("刻章", "刻公章", "印章备案", "免费刻章"),
        legal="《国务院关于取消一批行政许可事项的决定》（国发〔2020〕13号）；《国务院关于在全国推开“证照分离”改革的通知》",
        conditions="1. 已依法登记设立；\n2. 到已备案的公章刻制企业刻制，刻制企业当场通过系统备案。",
        materials=(
            BIZ_LICENCE,
            LEGAL_REP_ID,
            Mat(
                name="印章刻制申请信息",
                form="2",
                orig=0,
                source_explain="在线选择印章种类和刻章企业",
                std="印章名称与登记名称一致",
            ),
            *PROXY_LEGAL,
        ),
        situations=(PROXY_Q_LEGAL,),
        result=("PROOF", "公章刻制备案信息"),
        topics=("L-SECURITY", "L-SETUP"),
        events=("L-OPEN",),
        stat=(0, "WD", "国发〔2020〕13号：公章刻制审批改为备案，刻章企业在刻制后即时备案"),
        prom=(0, "刻制完成后即时备案"),
        appointment=False,
        delivery="印章由刻章企业免费寄递或自取；备案信息可在线查询。",
        faqs=(
            (
                "开办企业刻章要钱吗？",
                "新开办企业通过“开办企业一件事”申领的首套印章（公章、财务章、发票章等）由政府购买服务免费提供。",
            ),
        ),
    ),
    M(
        name="社会保险登记",
        dept="sz_rsj",
        mtype="07",
        objects=("2", "3", "4", "6"),
        summary="用人单位自成立之日起三十日内办理社会保险登记；开办企业时可与设立登记一并办理。",
        aliases=("单位参保", "社保开户", "企业社保登记"),
        legal="《中华人民共和国社会保险法》第五十七条；《社会保险费征缴暂行条例》第七条",
        conditions="1. 用人单位已依法设立；\n2. 应当自成立之日起三十日内申请。",
        materials=(
            BIZ_LICENCE,
            Mat(
                name="单位社会保险登记表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="信息准确",
            ),
            LEGAL_REP_ID,
            Mat(
                name="单位银行账户信息",
                form="2",
                orig=0,
                source_explain="在线填写",
                std="户名与单位名称一致",
            ),
        ),
        result=("PROOF", "社会保险登记信息"),
        topics=("L-HR",),
        events=("L-OPEN", "L-HIRE"),
        stat=(
            15,
            "CD",
            "《中华人民共和国社会保险法》第五十七条：社会保险经办机构应当自收到申请之日起十五日内予以审核",
        ),
        prom=(0, "信息核验通过的，即时办结"),
        appointment=False,
        electronic=False,
        delivery="登记结果即时生效，可在“粤商通”查询单位参保信息。",
        faqs=(
            (
                "营业执照和社保登记能一起办吗？",
                "可以。企业设立登记时勾选社保登记，信息自动推送，无需另行申请。",
            ),
        ),
    ),
    M(
        name="单位住房公积金缴存登记",
        dept="sz_gjj",
        mtype="20",
        objects=("2", "3", "4", "6"),
        summary="新设立的单位自设立之日起30日内办理住房公积金缴存登记，并为职工办理账户设立。",
        aliases=("公积金开户", "单位公积金登记", "公积金缴存登记"),
        legal="《住房公积金管理条例》第十四条、第十五条",
        conditions="1. 单位已依法设立；\n2. 应当自设立之日起30日内办理缴存登记。",
        materials=(
            BIZ_LICENCE,
            Mat(
                name="单位住房公积金缴存登记表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="信息准确",
            ),
            Mat(
                name="职工名册及缴存基数信息",
                form="2",
                orig=0,
                source_explain="在线填写或批量导入",
                std="职工姓名、身份证号和缴存基数准确",
            ),
            *PROXY_LEGAL,
        ),
        situations=(PROXY_Q_LEGAL,),
        result=("PROOF", "住房公积金缴存登记信息"),
        topics=("L-HR",),
        events=("L-OPEN", "L-HIRE"),
        stat=(
            5,
            "CD",
            "《住房公积金管理条例》第十四条：住房公积金管理中心应当自收到缴存登记申请之日起5日内审核",
        ),
        prom=(0, "信息核验通过的，即时办结"),
        appointment=False,
        electronic=False,
        delivery="登记结果即时生效，单位可在网上业务平台办理汇缴。",
        faqs=(
            (
                "新员工入职多久要缴公积金？",
                "单位录用职工的，应当自录用之日起30日内为职工办理住房公积金账户设立。",
            ),
        ),
    ),
    M(
        name="第三类医疗器械经营许可",
        dept="sz_scj",
        mtype="01",
        objects=("2",),
        summary="从事第三类医疗器械经营的企业，向市市场监督管理局申请医疗器械经营许可。",
        aliases=("医疗器械经营许可证", "三类医疗器械许可", "卖医疗器械"),
        legal="《医疗器械监督管理条例》第五十二条、第五十三条；《医疗器械经营监督管理办法》（国家市场监督管理总局令第54号）",
        conditions="1. 有与经营范围和经营规模相适应的质量管理机构或者质量管理人员；\n2. 有与经营范围和经营规模相适应的经营场所和贮存条件；\n3. 有与经营的医疗器械相适应的质量管理制度和计算机信息管理系统。",
        materials=(
            Mat(
                name="医疗器械经营许可申请表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖公章",
            ),
            BIZ_LICENCE,
            Mat(
                name="法定代表人、企业负责人、质量负责人的身份证明、学历或者职称证明",
                mtype="3",
                std="质量负责人具有相关专业学历或职称",
            ),
            Mat(name="组织机构与部门设置说明", std="明确质量管理机构及职责"),
            Mat(
                name="经营场所和库房的地理位置图、平面图及产权证明或租赁协议",
                mtype="3",
                std="场所与库房面积符合要求",
            ),
            Mat(
                name="经营质量管理制度、工作程序等文件目录",
                std="制度覆盖采购、验收、贮存、销售、售后等环节",
            ),
            Mat(name="计算机信息管理系统基本情况介绍", std="具备医疗器械追溯功能"),
            situational(
                Mat(name="委托第三方物流贮存配送协议", std="受托方具备相应贮存配送条件"),
                "委托第三方物流贮存时提供",
            ),
        ),
        situations=(
            Sit(
                text="是否委托第三方物流企业贮存配送？",
                options=(
                    Opt(label="自设库房"),
                    Opt(
                        label="委托第三方物流贮存配送",
                        materials=("委托第三方物流贮存配送协议",),
                        conditions="可不设库房。",
                    ),
                ),
            ),
        ),
        result=("LICENCE", "医疗器械经营许可证"),
        topics=("L-FOOD", "L-PERMIT"),
        events=("L-OPERATE",),
        stat=(20, "WD", "《医疗器械监督管理条例》第五十三条：自受理申请之日起20个工作日内作出决定"),
        prom=(10, "自受理之日起10个工作日内办结（不含现场核查时间）"),
        special="现场核查（不计入办理时限）",
        delivery="电子许可证推送至“粤商通”。",
        faqs=(("第二类医疗器械要许可吗？", "经营第二类医疗器械实行备案管理，无需许可。"),),
    ),
    M(
        name="特种设备使用登记",
        dept="sz_scj",
        mtype="01",
        objects=("2", "3", "6"),
        summary="电梯、锅炉、压力容器、起重机械等特种设备在投入使用前或者投入使用后30日内办理使用登记。",
        aliases=("电梯使用登记", "电梯使用标志", "特种设备登记"),
        legal="《中华人民共和国特种设备安全法》第三十三条；《特种设备使用管理规则》（TSG 08）",
        conditions="1. 特种设备已经监督检验合格（按规定须监督检验的）；\n2. 使用单位已明确安全管理人员和作业人员；\n3. 在投入使用前或者投入使用后30日内申请。",
        materials=(
            Mat(
                name="特种设备使用登记表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖使用单位公章",
            ),
            BIZ_LICENCE,
            Mat(name="产品合格证", mtype="3", source="99", issuer="制造单位", std="含产品数据表"),
            Mat(name="监督检验证明", source="30", issuer="特种设备检验机构", std="检验结论为合格"),
            *PROXY_LEGAL,
        ),
        situations=(PROXY_Q_LEGAL,),
        result=("PROOF", "特种设备使用登记证"),
        topics=("L-PERMIT",),
        events=("L-OPERATE",),
        stat=(
            15,
            "WD",
            "《特种设备使用管理规则》：登记机关应当自受理之日起15个工作日内完成审核发证",
        ),
        prom=(5, "自受理之日起5个工作日内办结"),
        delivery="使用登记证和使用标志可在线打印，张贴于设备显著位置。",
        faqs=(("小区电梯由谁办理使用登记？", "由电梯的使用单位（通常为物业服务企业）办理。"),),
    ),
    M(
        name="保健食品生产许可",
        dept="gd_scj",
        mtype="01",
        objects=("2",),
        summary="在广东省内从事保健食品生产的企业，向省市场监督管理局申请食品生产许可。",
        aliases=("保健品生产许可", "SC许可保健食品"),
        legal="《中华人民共和国食品安全法》第三十五条、第八十二条；《食品生产许可管理办法》（国家市场监督管理总局令第24号）",
        conditions="1. 具有与生产的保健食品品种、数量相适应的生产场所和设备设施；\n2. 有专职食品安全管理人员和保证食品安全的规章制度；\n3. 产品已取得保健食品注册证书或备案凭证；\n4. 符合保健食品良好生产规范要求。",
        materials=(
            Mat(
                name="食品生产许可申请书",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖公章",
            ),
            BIZ_LICENCE,
            Mat(name="食品生产设备布局图和食品生产工艺流程图", std="标明主要设备位置和洁净级别"),
            Mat(name="食品生产主要设备、设施清单", std="与生产工艺相适应"),
            Mat(name="食品安全管理制度文本", std="包括原辅料控制、生产过程控制、检验管理等制度"),
            certificate("保健食品注册证书或备案凭证", "市场监督管理部门"),
            Mat(name="产品配方和生产工艺等技术材料", std="与注册或备案内容一致"),
        ),
        result=("LICENCE", "食品生产许可证（保健食品）"),
        topics=("L-FOOD", "L-PERMIT"),
        events=("L-OPERATE",),
        stat=(
            10,
            "WD",
            "《食品生产许可管理办法》：县级以上地方市场监督管理部门应当自受理申请之日起10个工作日内作出是否准予行政许可的决定",
        ),
        prom=(10, "自受理之日起10个工作日内作出决定"),
        special="现场核查（不计入办理时限）",
        delivery="电子许可证推送至“粤商通”，纸质证书邮寄送达。",
        address="广东省政务服务中心市场监管局窗口（广州市）；可通过广东政务服务网全程网办",
        faqs=(
            (
                "保健食品生产许可和普通食品生产许可有何不同？",
                "保健食品生产许可由省级市场监督管理部门实施，并须按保健食品良好生产规范进行现场核查。",
            ),
        ),
    ),
    M(
        name="建筑业企业资质许可",
        dept="gd_zjt",
        mtype="01",
        objects=("2",),
        summary="从事建筑工程施工的企业，申请省级许可权限内的施工总承包、专业承包资质。",
        aliases=("建筑资质", "施工资质", "建筑业企业资质证书"),
        legal="《中华人民共和国建筑法》第十三条；《建筑业企业资质管理规定》（住房和城乡建设部令第22号）第九条、第十四条",
        conditions="1. 企业净资产、注册人员、技术负责人、工程业绩等符合相应资质标准；\n2. 申请之日前一年内无违法违规行为和重大安全质量事故。",
        materials=(
            Mat(
                name="建筑业企业资质申请表",
                form="2",
                orig=0,
                source_explain="在线填写自动生成",
                std="加盖公章",
            ),
            BIZ_LICENCE,
            Mat(
                name="注册人员执业资格证书",
                form="2",
                orig=0,
                source="20",
                issuer="住房和城乡建设部门",
                source_explain="全国建筑市场监管公共服务平台联网核验",
                std="注册单位与申请企业一致",
            ),
            Mat(
                name="技术负责人身份证明、职称证书和工程业绩证明",
                mtype="3",
                std="业绩与资质标准要求相符",
            ),
            Mat(name="企业工程业绩证明材料", mtype="3", std="中标通知书、施工合同及竣工验收文件"),
            situational(
                certificate("建筑业企业资质证书", "住房和城乡建设部门"), "申请资质增项或升级时提供"
            ),
        ),
        situations=(
            Sit(
                text="申请类型？",
                options=(
                    Opt(label="首次申请"),
                    Opt(label="增项或升级", materials=("建筑业企业资质证书",)),
                ),
            ),
        ),
        result=("QUALIFICATION", "建筑业企业资质证书"),
        topics=("L-QUALIFY", "L-CONSTRUCT"),
        events=("L-OPERATE",),
        stat=(
            20,
            "WD",
            "《建筑业企业资质管理规定》：资质许可机关应当自受理之日起20个工作日内完成审查",
        ),
        prom=(15, "自受理之日起15个工作日内办结（不含专家评审和公示时间）"),
        special="专家评审、公示（不计入办理时限）",
        address="广东省政务服务中心住房城乡建设厅窗口（广州市）；可通过广东政务服务网全程网办",
        delivery="电子资质证书推送至全国建筑市场监管公共服务平台和“粤商通”。",
        faqs=(
            ("资质证书有效期多久？", "有效期为5年，有效期届满需要延续的，应当在届满3个月前申请。"),
        ),
    ),
    M(
        name="民办学校办学许可",
        dept="sz_jyj",
        mtype="01",
        objects=("4", "6"),
        summary="举办实施学历教育的民办高级中学等学校（市级审批权限）的，申请正式设立并取得办学许可证。",
        aliases=("办学许可证", "开办民办学校", "民办学校设立"),
        legal="《中华人民共和国民办教育促进法》第十条至第十七条；《中华人民共和国民办教育促进法实施条例》",
        conditions="1. 举办者具有政治权利和完全民事行为能力（个人）或具有法人资格（单位）；\n2. 有与办学规模相适应的校舍、设施设备和办学资金；\n3. 有具备相应资格的校长和教师；\n4. 有规范的学校章程和决策机构。",
        materials=(
            Mat(name="正式设立民办学校申请报告", std="举办者签名或盖章"),
            Mat(name="学校章程及首届理事会（董事会）组成人员名单", std="章程内容符合法律规定"),
            Mat(name="举办者的姓名、住址或名称、地址及资产来源证明", mtype="3", std="资产来源合法"),
            Mat(
                name="资产及其来源的证明文件",
                source="30",
                issuer="会计师事务所或资产评估机构",
                std="出资到位",
            ),
            Mat(name="校长、教师、财会人员的资格证明文件", mtype="3", std="资格证书真实有效"),
            Mat(name="校舍产权证明或租赁合同", mtype="3", std="租赁期不少于规定年限"),
            situational(
                Mat(name="筹设批准书", source="20", issuer="教育行政部门", std="在有效期内"),
                "经批准筹设后申请正式设立时提供",
            ),
        ),
        situations=(
            Sit(
                text="是否已经批准筹设？",
                options=(
                    Opt(label="已批准筹设", materials=("筹设批准书",)),
                    Opt(label="具备办学条件，直接申请正式设立", conditions="须达到设置标准。"),
                ),
            ),
        ),
        result=("LICENCE", "民办学校办学许可证"),
        topics=("L-QUALIFY", "L-SOCIALORG"),
        events=("L-OPEN",),
        stat=(
            90,
            "CD",
            "《中华人民共和国民办教育促进法》第十七条：审批机关应当自受理正式设立申请之日起三个月内以书面形式作出是否批准的决定",
        ),
        prom=(60, "自受理之日起60个自然日内作出决定（不含专家评审时间）"),
        special="专家评审、实地考察（不计入办理时限）",
        depth="3",
        visits=1,
        visits_explain="须配合实地考察，并到窗口领取办学许可证",
        electronic=False,
        delivery="办学许可证到窗口领取。",
        faqs=(
            (
                "办学许可证和法人登记先办哪个？",
                "先取得办学许可证，再到民政或市场监管部门办理法人登记。",
            ),
        ),
    ),
)

MATTERS: tuple[M, ...] = PERSON_MATTERS + PROFESSIONAL_AND_PROPERTY_MATTERS + LEGAL_MATTERS


def food_licence_v2(spec: M) -> M:
    """Version 2 of 食品经营许可 (published): shorter promise, 告知承诺 for 食品销售 explained."""
    return replace(
        spec,
        prom=(3, "自受理之日起3个工作日内作出决定；仅从事食品销售且选择告知承诺的，当场发证"),
        summary=spec.summary + "食品销售经营者可选择告知承诺方式当场取证。",
        faqs=(
            *spec.faqs,
            (
                "什么是告知承诺取证？",
                "申请人书面承诺已符合许可条件的，市场监管部门当场作出许可决定，并在3个月内进行现场核查。",
            ),
        ),
    )


def hygiene_licence_draft(spec: M) -> M:
    """Draft version 2 of 公共场所卫生许可: adds 告知承诺 (the agent question goes: 粤商通 real-name)."""
    pledge = situational(
        Mat(
            name="公共场所卫生许可告知承诺书",
            form="2",
            orig=0,
            source_explain="在线签署",
            std="法定代表人签署，承诺已符合卫生许可条件",
        ),
        "选择告知承诺方式申请时提供",
    )
    # The draft keeps no blank form of its own: only two materials in the whole demo carry one.
    materials = tuple(replace(m, blank="") for m in spec.materials if m.name != "授权委托书")
    return replace(
        spec,
        materials=(*materials, pledge),
        situations=(
            spec.situations[0],
            Sit(
                text="申请方式？",
                help="选择告知承诺的，当场取得许可证，卫生健康部门在3个月内现场核查。",
                options=(
                    Opt(label="一般程序"),
                    Opt(
                        label="告知承诺制",
                        materials=("公共场所卫生许可告知承诺书",),
                        conditions="承诺不实的，依法撤销许可并记入信用记录。",
                    ),
                ),
            ),
        ),
        prom=(3, "一般程序自受理之日起3个工作日内办结；告知承诺制当场发证"),
    )


EXTRA_VERSIONS = {
    "食品经营许可": ("PUBLISHED", food_licence_v2, "2026-01-12T10:00:00+08:00"),
    "公共场所卫生许可": ("DRAFT", hygiene_licence_draft, None),
}


# --------------------------------------------------------------------------------------------
# Building the JSON document
# --------------------------------------------------------------------------------------------

UNIT_NAME = {"WD": "工作日", "CD": "自然日"}
STEP_NAMES = {
    "01": ("受理", "审查", "决定", "制证送达"),
    "05": ("受理", "审核", "审批", "待遇发放"),
    "07": ("受理", "审核", "确认", "办结送达"),
    "11": ("受理", "核对", "备案", "办结"),
    "20": ("受理", "审核", "办结", "结果送达"),
}
RIGHTS = {
    "01": (
        "申请人依法享有知情权、陈述权、申辩权；行政许可直接涉及申请人与他人之间重大利益关系的，享有要求听证的权利；"
        "对行政许可决定不服的，可以依法申请行政复议或者提起行政诉讼。申请人应当如实提交有关材料和反映真实情况，"
        "并对申请材料实质内容的真实性负责；取得许可后应当依法从事许可活动，接受监督检查。"
    ),
    "05": (
        "申请人依法享有按规定获得给付、查询办理进度、要求说明不予给付理由的权利，对决定不服的可以依法申请行政复议或者提起行政诉讼。"
        "申请人应当如实申报个人和家庭情况，情况发生变化时及时告知；以欺诈、伪造证明材料等手段骗取待遇的，依法追回并承担法律责任。"
    ),
    "07": (
        "申请人依法享有知情权、查询权以及对确认结果提出异议的权利，对确认决定不服的可以依法申请行政复议或者提起行政诉讼。"
        "申请人应当如实提供材料，对材料的真实性负责。"
    ),
    "11": (
        "备案人享有依法备案、查询备案信息的权利；应当保证备案材料真实、完整，备案事项发生变化时及时变更，并接受事中事后监管。"
    ),
    "20": (
        "申请人享有平等获得公共服务、查询办理进度、对服务进行评价和投诉的权利；应当如实提供信息和材料，配合必要的核查。"
    ),
}
COMPLAINT_WAYS = "12345政务服务便民热线、广东政务服务网“好差评”、信函投诉"


def assign_catalog_codes(matters: tuple[M, ...]) -> list[str]:
    """基本编码: region(2) + type(2) + 业务指导部门(2) + sequence(3) + sub-item(3)."""
    counters: Counter[tuple[str, str, str]] = Counter()
    groups: dict[str, tuple[str, str, str]] = {}  # group -> (region, type, main)
    group_subs: Counter[str] = Counter()
    codes: list[str] = []
    for spec in matters:
        region = "44" if spec.local else "00"
        sector = DEPTS[spec.dept].sector
        if spec.group and spec.group in groups:
            group_region, group_type, main = groups[spec.group]
            assert (group_region, group_type) == (region, spec.mtype), (
                f"{spec.name}: sub-items share region and type"
            )
        else:
            counters[region, spec.mtype, sector] += 1
            main = f"{sector}{counters[region, spec.mtype, sector]:03d}"
            if spec.group:
                groups[spec.group] = (region, spec.mtype, main)
        if spec.group:
            group_subs[spec.group] += 1
            sub = f"{group_subs[spec.group]:03d}"
        else:
            sub = "000"
        codes.append(region + spec.mtype + main + sub)
    return codes


def material_json(material: Mat, key: str, order: int) -> Json:
    electronic_only = material.form == "2"
    original = 0 if electronic_only or material.mtype == "2" else max(material.orig, 1)
    copies = (
        0
        if electronic_only
        else (max(material.copies, 1) if material.mtype == "2" else material.copies)
    )
    issuer = material.issuer or ("申请人" if material.source == "10" else "")
    source_explain = (
        material.source_explain
        or {
            "10": "申请人自备",
            "20": f"由{issuer or '有关部门'}核发",
            "30": f"由{issuer or '具有资质的中介机构'}出具",
            "99": f"由{issuer}出具" if issuer else "其他渠道取得",
        }[material.source]
    )
    fill = material.fill
    if not fill and ("申请" in material.name or material.name.endswith("表")):
        fill = "按栏目如实、完整填写，不得涂改"
        if material.form != "1":
            fill += "；在线申请的由系统根据填报信息自动生成"
    blank: Json | None = None
    if material.blank:
        blank = {
            "name": f"{material.name}.txt",
            "content_base64": base64.b64encode(material.blank.encode("utf-8")).decode("ascii"),
        }
    return {
        "key": key,
        "order": order,
        "name": material.name,
        "material_type": material.mtype,
        "material_form": material.form,
        "necessity": material.need,
        "optional_case": material.case,
        "original_copies": original,
        "copy_copies": copies,
        "paper_format": "" if electronic_only else material.paper,
        "source": material.source,
        "source_explain": source_explain,
        "issuer": issuer,
        "fill_explain": fill,
        "acceptance_standard": material.std or "内容真实、完整，签名（盖章）齐全",
        "legal_basis": material.basis,
        "certificate_type": "",
        "commitment_allowed": any(word in material.name for word in COMMITMENT_WORDS),
        "blank_form": blank,
        "sample": None,
    }


# Materials an applicant may replace by a signed commitment (告知承诺制, 国办发〔2020〕42号): proofs
# of premises and of conditions the department checks afterwards.
COMMITMENT_WORDS = ("场所使用证明", "住所使用证明", "经营场所证明", "房屋使用证明", "卫生检测")

PERSON_FIELDS: tuple[Json, ...] = (
    {"key": "name", "label": "申请人姓名", "field_type": "TEXT", "prefill": "NAME", "max_length": 30},
    {"key": "id_number", "label": "公民身份号码", "field_type": "ID_NUMBER", "prefill": "ID_NUMBER"},
    {"key": "mobile", "label": "联系电话", "field_type": "MOBILE", "prefill": "MOBILE"},
    {
        "key": "address", "label": "联系地址", "field_type": "ADDRESS", "required": False,
        "help_text": "用于邮寄送达或联系，精确到门牌号。", "max_length": 200,
    },
)  # fmt: skip
LEGAL_FIELDS: tuple[Json, ...] = (
    {"key": "org_name", "label": "单位名称", "field_type": "TEXT", "min_length": 2, "max_length": 100},
    {
        "key": "org_code", "label": "统一社会信用代码", "field_type": "TEXT",
        "pattern": "[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}",
        "pattern_message": "统一社会信用代码为18位数字或大写字母，请核对营业执照。",
        "required": False, "help_text": "设立登记时尚未取得的，可不填。",
    },
    {"key": "name", "label": "经办人姓名", "field_type": "TEXT", "prefill": "NAME", "max_length": 30},
    {"key": "mobile", "label": "经办人电话", "field_type": "MOBILE", "prefill": "MOBILE"},
)  # fmt: skip
EXTRA_FIELDS: dict[str, tuple[Json, ...]] = {
    "食品经营许可": (
        {
            "key": "business_type", "label": "主体业态", "field_type": "CHOICE",
            "choices": ["食品销售经营者", "餐饮服务经营者", "单位食堂"],
        },
        {
            "key": "premises_area", "label": "经营场所面积（平方米）", "field_type": "NUMBER",
            "min_value": "1", "max_value": "100000",
        },
        {"key": "premises_address", "label": "经营场所地址", "field_type": "ADDRESS", "max_length": 200},
    ),
    "老年人优待证办理": (
        {
            "key": "household", "label": "户籍或居住证情况", "field_type": "CHOICE",
            "choices": ["本区户籍", "持深圳居住证"],
        },
    ),
}  # fmt: skip
# 秒批 (DOMAIN §4.6): fully objective criteria decided by the system.
AUTO_APPROVE_RULES: dict[str, list[Json]] = {
    "老年人优待证办理": [{"field": "applicant.age", "op": ">=", "value": 60}],
}


def form_fields_json(spec: M) -> list[Json]:
    """The application form: who applies (person or organisation) and the matter's own questions."""
    base = PERSON_FIELDS if "1" in spec.objects else LEGAL_FIELDS
    fields = (*base, *EXTRA_FIELDS.get(spec.name, ()))
    return [{**field, "order": order} for order, field in enumerate(fields, 1)]


def default_steps(spec: M, promised: int) -> tuple[Step, ...]:
    """办理环节 whose time limits add up to the promised limit."""
    dept = DEPTS[spec.dept]
    office = spec.office or dept.office
    names = STEP_NAMES[spec.mtype]
    special = "" if spec.special == "无" else spec.special
    window = "综合受理窗口"
    if promised == 0:
        return Step(name=names[0], handler=window, limit=0), Step(
            name=f"{names[1]}并办结", handler=office, limit=0
        )
    if promised <= 2:
        return (
            Step(name=names[0], handler=window, limit=promised - 1),
            Step(name=f"{names[1]}{names[2]}", handler=office, limit=1, special=special),
        )
    return (
        Step(name=names[0], handler=window, limit=1),
        Step(name=names[1], handler=office, limit=promised - 2, special=special),
        Step(name=names[2], handler=f"{dept.short_name}分管负责人", limit=1),
        Step(name=names[3], handler=window, limit=0),
    )


def version_json(spec: M, number: int, status: str, published_at: str | None) -> Json:
    dept = DEPTS[spec.dept]
    statutory, unit, statutory_explain = spec.stat
    promised, promised_explain = spec.prom if spec.prom[0] >= 0 else (statutory, "")
    if not promised_explain:
        promised_explain = (
            "材料齐全、符合法定形式的，当场办结"
            if promised == 0
            else f"自受理之日起{promised}个{UNIT_NAME[unit]}内办结"
        )
    steps = spec.steps or default_steps(spec, promised)
    for_person = spec.objects == ("1",)
    app = "“粤省事”" if for_person else "“粤商通”"
    channel = f"网上申请（广东政务服务网、{app}）或窗口申请" if spec.online else "到窗口申请"
    review_region = dept.review_region or dept.region
    review_authority, review_phone = REVIEW[review_region]
    keys: dict[str, str] = {}
    materials: list[Json] = []
    for order, material in enumerate(spec.materials, 1):
        assert material.name not in keys, f"{spec.name}: duplicate material {material.name}"
        keys[material.name] = f"M{order:02d}"
        materials.append(material_json(material, keys[material.name], order))
    situations: list[Json] = []
    for q_order, question in enumerate(spec.situations, 1):
        q_key = f"Q{q_order}"
        options: list[Json] = []
        for o_order, option in enumerate(question.options, 1):
            missing = [name for name in option.materials if name not in keys]
            assert not missing, (
                f"{spec.name}: option {option.label} names unknown materials {missing}"
            )
            options.append(
                {
                    "key": f"{q_key}{'ABC'[o_order - 1]}",
                    "order": o_order,
                    "label": option.label,
                    "materials": [keys[name] for name in option.materials],
                    "conditions": option.conditions,
                }
            )
        situations.append(
            {
                "key": q_key,
                "order": q_order,
                "text": question.text,
                "help": question.help,
                "options": options,
            }
        )
    if spec.appointment:
        portal = (
            "广东政务服务网或“粤省事”"
            if dept.level == "2"
            else "“i深圳”App、“粤省事”小程序或深圳政务服务网"
        )
        appointment_rule = (
            f"可通过{portal}预约，预约时段为工作日9:00-12:00、14:00-18:00，每30分钟一个时段；"
            "预约后如不能按时到场，请提前1个工作日取消。"
        )
    else:
        appointment_rule = ""
    is_fee = bool(spec.fees)
    electronic_word = "电子证照" if spec.electronic else "办理结果"
    delivery = (
        spec.delivery or f"{electronic_word}可在{app}查看；纸质结果可窗口领取或免费邮寄送达。"
    )
    return {
        "number": number,
        "status": status,
        "published_at": published_at,
        "name": spec.name,
        "short_name": spec.short_name,
        "aliases": list(spec.aliases),
        "summary": spec.summary,
        "matter_type": spec.mtype,
        "exercise_level": dept.level,
        "power_source": spec.power_source,
        "service_objects": list(spec.objects),
        "handling_forms": list(spec.forms or (("1", "2", "3") if spec.online else ("1",))),
        "case_type": "1" if promised == 0 else "2",
        "joint_mode": spec.joint,
        "statutory_limit": statutory,
        "statutory_unit": unit,
        "statutory_explain": statutory_explain,
        "promised_limit": promised,
        "promised_unit": unit,
        "promised_explain": promised_explain,
        "special_procedure": spec.special,
        "visits_required": spec.visits,
        "visits_explain": spec.visits_explain,
        "is_online": spec.online,
        "online_depth": spec.depth if spec.online else "",
        "supports_express": spec.express,
        "supports_appointment": spec.appointment,
        "appointment_rule": appointment_rule,
        "supports_self_service": spec.self_service,
        "handle_area": spec.area,
        "legal_basis": spec.legal,
        "conditions": spec.conditions,
        "quantity_limit": spec.quantity,
        "process_description": spec.process or "→".join((channel, *(step.name for step in steps))),
        "is_fee": is_fee,
        "fee_basis": spec.fee_basis,
        "pay_online": spec.pay_online,
        "result_type": spec.result[0],
        "result_name": spec.result[1],
        "result_is_electronic": spec.electronic,
        "result_certificate_type": "",
        "result_delivery": delivery,
        "address": spec.address or dept.hall,
        "office_hours": dept.hours,
        "consult_phone": dept.phone,
        "consult_ways": "窗口咨询、电话咨询、广东政务服务网在线咨询"
        if spec.online
        else "窗口咨询、电话咨询",
        "complaint_phone": "12345",
        "complaint_ways": COMPLAINT_WAYS,
        "review_authority": review_authority,
        "review_phone": review_phone,
        "litigation_court": COURT[dept.region],
        "rights_and_duties": spec.rights or RIGHTS[spec.mtype],
        "topics": list(spec.topics),
        "life_events": list(spec.events),
        "materials": materials,
        "fees": [
            {
                "order": order,
                "name": fee.name,
                "standard": fee.standard,
                "basis": fee.basis,
                "reducible": fee.reducible,
                "reduction_basis": fee.reduction,
            }
            for order, fee in enumerate(spec.fees, 1)
        ],
        "steps": [
            {
                "order": order,
                "name": step.name,
                "handler": step.handler,
                "time_limit": step.limit,
                "unit": unit,
                "has_special": bool(step.special),
                "special_explain": step.special,
            }
            for order, step in enumerate(steps, 1)
        ],
        "faqs": [
            {"order": order, "question": q, "answer": a}
            for order, (q, a) in enumerate(spec.faqs, 1)
        ],
        "situations": situations,
        "form_fields": form_fields_json(spec),
        "auto_approve_rules": AUTO_APPROVE_RULES.get(spec.name, []),
    }


# E-certificate types (证照类型代码 = 定义机构 USCC + 3 digits, DOMAIN §7.3; demo codes of the
# defining ministries). certificates/demo.py creates the types; here the matters point at them.
CERT_INDIVIDUAL_BUSINESS = "11100000000133380B001"  # 营业执照（个体工商户）
CERT_FOOD_BUSINESS = "11100000000133380B002"  # 食品经营许可证
CERT_RESIDENCE_PERMIT = "1110000000013341XK001"  # 居住证
CERT_DRIVING_LICENCE = "1110000000013341XK002"  # 机动车驾驶证
CERT_MARRIAGE = "111000000001334449001"  # 结婚证
CERT_SENIOR = "111000000001334449002"  # 老年人优待证
CERT_PHYSICIAN = "11100000000133567A001"  # 医师执业证书
CERT_NURSE = "11100000000133567A002"  # 护士执业证书
CERT_DISABILITY = "11100000000133700R001"  # 残疾人证
CERT_RIDE_HAILING_DRIVER = "11100000000133612B001"  # 网络预约出租汽车驾驶员证
RESULT_CERTIFICATES = {
    "个体工商户设立登记": CERT_INDIVIDUAL_BUSINESS,
    "食品经营许可": CERT_FOOD_BUSINESS,
    "居住证申领": CERT_RESIDENCE_PERMIT,
    "机动车驾驶证换证": CERT_DRIVING_LICENCE,
    "机动车驾驶证补证": CERT_DRIVING_LICENCE,
    "结婚登记": CERT_MARRIAGE,
    "老年人优待证办理": CERT_SENIOR,
    "医师执业注册": CERT_PHYSICIAN,
    "护士执业注册": CERT_NURSE,
    "残疾人证办理": CERT_DISABILITY,
    "网络预约出租汽车驾驶员证核发": CERT_RIDE_HAILING_DRIVER,
}
# Materials a valid certificate in the applicant's wallet may replace (免提交).
EVIDENCE_CERTIFICATES = {
    ("食品经营许可", "营业执照"): CERT_INDIVIDUAL_BUSINESS,
    ("公共场所卫生许可", "营业执照"): CERT_INDIVIDUAL_BUSINESS,
    ("老年人优待证办理", "深圳市居住证"): CERT_RESIDENCE_PERMIT,
    ("居住证签注", "居住证"): CERT_RESIDENCE_PERMIT,
    ("网络预约出租汽车驾驶员证核发", "机动车驾驶证"): CERT_DRIVING_LICENCE,
}


def link_certificates(version: Json) -> Json:
    """Point a version's result and replaceable materials at the demo certificate types."""
    name = str(version["name"])
    if version.get("result_is_electronic") and name in RESULT_CERTIFICATES:
        version["result_certificate_type"] = RESULT_CERTIFICATES[name]
    for material in _list(version.get("materials")):
        code = EVIDENCE_CERTIFICATES.get((name, str(material["name"])))
        if code:
            material["certificate_type"] = code
    return version


def build() -> Json:
    """The whole catalogue document, in the order of docs/catalogue-format.md."""
    matters: list[Json] = []
    for index, (spec, catalog_code) in enumerate(
        zip(MATTERS, assign_catalog_codes(MATTERS), strict=True)
    ):
        dept = DEPTS[spec.dept]
        versions = [link_certificates(version_json(spec, 1, "PUBLISHED", published(index)))]
        if spec.name in EXTRA_VERSIONS:
            status, change, published_at = EXTRA_VERSIONS[spec.name]
            versions.append(link_certificates(version_json(change(spec), 2, status, published_at)))
        matters.append(
            {
                "implementation_code": dept.uscc + dept.level + catalog_code,
                "catalog_code": catalog_code,
                "local_catalog_code": "",
                "local_implementation_code": "",
                "department": dept.uscc,
                "region": dept.region,
                "status": "RETIRED" if spec.retired else "IN_USE",
                "versions": versions,
            }
        )
    return {
        "format": "tongban-catalogue",
        "format_version": 1,
        "regions": [{"code": c, "name": n, "level": lv, "parent": p} for c, n, lv, p in REGIONS],
        "departments": [
            {
                "uscc": d.uscc,
                "name": d.name,
                "short_name": d.short_name,
                "region": d.region,
                "kind": d.kind,
                "address": d.address,
                "phone": d.phone,
                "office_hours": d.hours,
                "website": d.website,
            }
            for d in DEPARTMENTS
        ],
        "topics": [
            {"code": c, "name": n, "audience": a, "order": i, "description": desc}
            for i, (c, n, a, desc) in enumerate(TOPICS, 1)
        ],
        "life_events": [
            {"code": c, "name": n, "audience": a, "order": i, "description": desc}
            for i, (c, n, a, desc) in enumerate(LIFE_EVENTS, 1)
        ],
        "synonyms": [
            {"term": term, "expansions": list(expansions)} for term, expansions in SYNONYMS
        ],
        "matters": matters,
    }


# --------------------------------------------------------------------------------------------
# Checks: the document must be importable and every code valid
# --------------------------------------------------------------------------------------------

LEVEL_PATTERNS = {
    "PROVINCE": re.compile(r"^\d{2}0000$"),
    "CITY": re.compile(r"^\d{4}00$"),
    "COUNTY": re.compile(r"^\d{4}(?!00)\d{2}$"),
    "TOWN": re.compile(r"^\d{9}$"),
    "VILLAGE": re.compile(r"^\d{12}$"),
}
PUBLISHED_AT_RE = re.compile(r"^202[56]-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")


def _significant(code: str) -> str:
    """The digits of a region code that its children repeat (trailing zero pairs stripped)."""
    if len(code) > 6:
        return code
    while code.endswith("00"):
        code = code[:-2]
    return code


def check(doc: Json) -> dict[str, int]:
    """Assert every rule of the format (and of this demo's brief); return the counts."""
    regions = {str(r["code"]): r for r in _rows(doc, "regions")}
    seen_regions: set[str] = set()
    for region in _rows(doc, "regions"):
        code, level, parent = str(region["code"]), str(region["level"]), region["parent"]
        assert LEVEL_PATTERNS[level].match(code), f"region {code} does not match level {level}"
        if parent is not None:
            assert parent in seen_regions, f"region {code}: parent {parent} must come first"
            assert code.startswith(_significant(str(parent))), f"region {code} not under {parent}"
        seen_regions.add(code)
    assert {str(r["level"]) for r in regions.values()} == set(LEVEL_PATTERNS)

    departments = {str(d["uscc"]): d for d in _rows(doc, "departments")}
    assert len(departments) == len(DEPARTMENTS), "department USCCs must be unique"
    for code, department in departments.items():
        assert uscc.validate(code) == code, f"{code}: GB 32100 check character"
        assert gb11714_is_valid(code[8:17]), f"{code}: embedded GB 11714 organisation code"
        assert code[2:8] == department["region"], f"{code}: region digits"
        assert department["region"] in regions
        if department["kind"] == "1":
            assert code.startswith("11"), f"{code}: government organs are registered under 11"

    topic_audience = {str(t["code"]): str(t["audience"]) for t in _rows(doc, "topics")}
    event_audience = {str(e["code"]): str(e["audience"]) for e in _rows(doc, "life_events")}
    assert len(topic_audience) == len(TOPICS), "topic codes are unique"
    assert len(event_audience) == len(LIFE_EVENTS), "life-event codes are unique"
    assert not set(topic_audience) & set(event_audience), "topic and life-event codes stay distinct"
    synonyms = _rows(doc, "synonyms")
    assert len(synonyms) >= 10
    assert len({s["term"] for s in synonyms}) == len(synonyms), "synonym terms are unique"

    used_topics: set[str] = set()
    used_events: set[str] = set()
    implementation_codes: set[str] = set()
    names: set[str] = set()
    searchable: list[str] = []
    counts = Counter[str]()
    for matter in _rows(doc, "matters"):
        code, catalog = str(matter["implementation_code"]), str(matter["catalog_code"])
        department = departments[str(matter["department"])]
        assert code not in implementation_codes, f"duplicate 实施编码 {code}"
        implementation_codes.add(code)
        assert CATALOG_CODE_RE.fullmatch(catalog), f"基本编码 {catalog}"
        assert len(code) == 31, code
        assert code[:18] == matter["department"], f"{code}: USCC part is the department"
        assert code[19:] == catalog, f"{code}: ends with the 基本编码"
        assert matter["region"] == department["region"]
        versions = _list(matter["versions"])
        assert [v["number"] for v in versions] == list(range(1, len(versions) + 1))
        assert sum(v["status"] == "DRAFT" for v in versions) <= 1
        assert versions[0]["status"] == "PUBLISHED"
        counts["matters"] += 1
        counts["retired"] += matter["status"] == "RETIRED"
        counts["second_published"] += sum(
            v["status"] == "PUBLISHED" and v["number"] == 2 for v in versions
        )
        counts["drafts"] += sum(v["status"] == "DRAFT" for v in versions)
        counts[f"level{code[18]}"] += 1
        names.add(str(versions[0]["name"]))
        for version in versions:
            _check_version(version, code, catalog, topic_audience, event_audience)
            used_topics.update(map(str, _list(version["topics"])))
            used_events.update(map(str, _list(version["life_events"])))
            searchable.append(
                f"{version['name']} {' '.join(map(str, _list(version['aliases'])))} {version['summary']}"
            )
        first = versions[0]
        counts["materials"] += len(_list(first["materials"]))
        counts["situations"] += len(_list(first["situations"]))
        counts["with_situations"] += bool(first["situations"])
        counts["blank_forms"] += sum(
            m["blank_form"] is not None for v in versions for m in _list(v["materials"])
        )
        counts["with_fees"] += bool(first["is_fee"])
    for synonym in synonyms:
        for expansion in _list(synonym["expansions"]):
            assert any(str(expansion) in text for text in searchable), (
                f"synonym {expansion} matches nothing"
            )
    assert used_topics == set(topic_audience), f"unused topics {set(topic_audience) - used_topics}"
    assert used_events == set(event_audience), (
        f"unused life events {set(event_audience) - used_events}"
    )
    assert len(names) == counts["matters"] >= 64, "at least 64 matters with distinct names"
    assert len({m["department"] for m in _rows(doc, "matters")}) >= 10
    assert {"level2", "level3", "level4"} <= set(counts), "matters at three region levels"
    assert counts["with_situations"] >= 20
    assert counts["retired"] == 1, "one retired matter"
    assert counts["second_published"] == 1, "one matter with a published version 2"
    assert counts["drafts"] == 1, "one matter with a draft version 2"
    assert counts["blank_forms"] == 2
    return {
        "regions": len(regions),
        "departments": len(departments),
        "topics": len(topic_audience),
        "life_events": len(event_audience),
        "synonyms": len(synonyms),
        "matters": counts["matters"],
        "versions": sum(len(_list(m["versions"])) for m in _rows(doc, "matters")),
        "materials": counts["materials"],
        "matters_with_situations": counts["with_situations"],
        "situation_questions": counts["situations"],
        "matters_with_fees": counts["with_fees"],
    }


def _check_version(
    version: Json, code: str, catalog: str, topics: dict[str, str], events: dict[str, str]
) -> None:
    where = f"{code} v{version['number']} {version['name']}"
    assert catalog[2:4] == version["matter_type"], f"{where}: type digits of 基本编码"
    assert code[18] == version["exercise_level"], f"{where}: exercise level digit"
    if version["status"] == "PUBLISHED":
        assert PUBLISHED_AT_RE.match(str(version["published_at"])), f"{where}: published_at"
    else:
        assert version["published_at"] is None
    statutory, promised = _int(version["statutory_limit"]), _int(version["promised_limit"])
    assert version["promised_unit"] == version["statutory_unit"], f"{where}: units"
    assert promised <= statutory, f"{where}: promised ≤ statutory"
    assert (version["case_type"] == "1") == (promised == 0), f"{where}: 即办件 ⇔ promised 0"
    assert version["visits_explain"] or not version["visits_required"], f"{where}: visits_explain"
    assert not version["is_online"] or version["online_depth"] in {"1", "2", "3", "4"}, where
    assert version["online_depth"] != "4" or version["visits_required"] == 0, (
        f"{where}: 全程网办 needs 0 visits"
    )
    assert version["is_online"] or _int(version["visits_required"]) > 0, (
        f"{where}: offline needs a visit"
    )
    assert bool(version["fees"]) == version["is_fee"] == bool(version["fee_basis"]), (
        f"{where}: fees"
    )
    for field in (
        "legal_basis",
        "conditions",
        "special_procedure",
        "summary",
        "statutory_explain",
        "promised_explain",
        "result_name",
        "result_delivery",
        "address",
        "office_hours",
        "consult_phone",
        "complaint_phone",
        "review_authority",
        "litigation_court",
        "process_description",
        "rights_and_duties",
        "power_source",
        "quantity_limit",
    ):
        assert version[field], f"{where}: {field} is empty"
    assert version["supports_appointment"] == bool(version["appointment_rule"]), (
        f"{where}: appointment"
    )
    version_objects = set(map(str, _list(version["service_objects"])))
    for topic in map(str, _list(version["topics"])):
        assert _audience_fits(topics[topic], version_objects), f"{where}: topic {topic}"
    for event in map(str, _list(version["life_events"])):
        assert _audience_fits(events[event], version_objects), f"{where}: life event {event}"
    assert version["topics"], f"{where}: topics"
    assert version["life_events"], f"{where}: life events"
    materials = _list(version["materials"])
    assert 3 <= len(materials) <= 8, f"{where}: {len(materials)} materials"
    keys = {str(m["key"]) for m in materials}
    assert len(keys) == len(materials)
    for material in materials:
        assert material["acceptance_standard"], f"{where}: {material['name']} acceptance standard"
        assert material["optional_case"] or material["necessity"] != "2", (
            f"{where}: {material['name']} optional_case"
        )
    steps = _list(version["steps"])
    assert 2 <= len(steps) <= 5, f"{where}: {len(steps)} steps"
    assert sum(_int(s["time_limit"]) for s in steps) <= promised, f"{where}: steps exceed promise"
    assert 1 <= len(_list(version["faqs"])) <= 3, f"{where}: faqs"
    situations = _list(version["situations"])
    assert len(situations) <= 3, f"{where}: at most 3 questions"
    named: set[str] = set()
    for question in situations:
        options = _list(question["options"])
        assert 2 <= len(options) <= 3, f"{where}: {question['text']} has {len(options)} options"
        for option in options:
            named.update(map(str, _list(option["materials"])))
    assert named <= keys, f"{where}: options name unknown materials {named - keys}"
    for material in materials:
        if material["key"] in named:
            assert material["necessity"] == "2", (
                f"{where}: situational {material['name']} is 非必要"
            )


def _audience_fits(audience: str, objects: set[str]) -> bool:
    return "1" in objects if audience == "PERSON" else bool(objects - {"1"})


def _list(value: object) -> list[Json]:
    assert isinstance(value, list)
    return value


def _int(value: object) -> int:
    assert isinstance(value, int)
    return value


def _rows(doc: Json, key: str) -> list[Json]:
    return _list(doc[key])


def main() -> None:
    doc = build()
    counts = check(doc)
    OUTPUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    summary = ", ".join(f"{key} {value}" for key, value in counts.items())
    sys.stdout.write(f"wrote {OUTPUT}: {summary}\n")


if __name__ == "__main__":
    main()
