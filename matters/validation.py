"""Every rule a catalogue document must satisfy, in one place.

The rules work on the exchange format of docs/catalogue-format.md (plain dicts), so the importer, the
publishing service and the admin all refuse the same things with the same messages. Each problem names
its JSON path, e.g. `matters[3].versions[0].materials[1].name`.
"""

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from accounts.choices import Role
from core.identifiers import check_catalog_code, check_implementation_code, normalise_uscc
from matters.choices import (
    APPLYABLE_MATTER_TYPES,
    Audience,
    CaseType,
    DepartmentKind,
    ExerciseLevel,
    FieldType,
    HandleArea,
    HandlingForm,
    JointMode,
    MaterialForm,
    MaterialSource,
    MaterialType,
    MatterStatus,
    MatterType,
    Necessity,
    OnlineDepth,
    Prefill,
    RegionLevel,
    ResultType,
    ServiceObject,
    StepKind,
    TimeUnit,
    VersionStatus,
)

# The roles a 办理环节 may name (ProcessStep.role): those that act on cases in the review chain
# (applications.workflow / applications.permissions: the window clerk deciding a 即办件, the
# reviewer, the approver). Supervisors, administrators and the auditor (审计管理员, 等保 separation
# of duties) hold no case-handling permission: a step given to them would leave cases stuck.
STEP_ROLES: tuple[str, ...] = (Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER)

REGION_CODE_LENGTH = {
    RegionLevel.PROVINCE: 6, RegionLevel.CITY: 6, RegionLevel.COUNTY: 6,
    RegionLevel.TOWN: 9, RegionLevel.VILLAGE: 12,
}  # fmt: skip


@dataclass
class Problems:
    """Collected refusals, path → messages, in the order they were found."""

    items: dict[str, list[str]] = field(default_factory=dict)

    def add(self, path: str, message: str) -> None:
        self.items.setdefault(path, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.items)

    def lines(self) -> list[str]:
        return [
            f"{path}: {message}" for path, messages in self.items.items() for message in messages
        ]


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def _check_str(
    problems: Problems, data: Mapping[str, Any], key: str, path: str, max_length: int
) -> None:
    value = data.get(key, "")
    if value is None:
        return
    if not isinstance(value, str):
        problems.add(f"{path}.{key}", "应为文本。")
    elif len(value) > max_length:
        problems.add(f"{path}.{key}", f"不能超过{max_length}个字符（现为{len(value)}个）。")


def _check_lengths(
    problems: Problems, data: Mapping[str, Any], path: str, limits: Mapping[str, int]
) -> None:
    """Text fields against their column sizes, so nothing is cut off or refused by the database."""
    for key, max_length in limits.items():
        _check_str(problems, data, key, path, max_length)


def _check_choice(
    problems: Problems,
    data: Mapping[str, Any],
    key: str,
    path: str,
    values: Iterable[str],
    *,
    required: bool = True,
) -> None:
    value = data.get(key)
    allowed = list(values)
    if value in (None, "") and not required:
        return
    if value not in allowed:
        problems.add(
            f"{path}.{key}", f"取值“{value}”无效，应为：{'、'.join(v for v in allowed if v)}。"
        )


def _check_int(problems: Problems, data: Mapping[str, Any], key: str, path: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        problems.add(f"{path}.{key}", "应为不小于0的整数。")
        return None
    return value


def _list(problems: Problems, data: Mapping[str, Any], key: str, path: str) -> list[Any]:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(f"{path}.{key}", "应为列表。")
        return []
    return value


def check_region(
    problems: Problems, region: Mapping[str, Any], path: str, known_codes: set[str]
) -> None:
    code = _text(region, "code")
    level = region.get("level")
    _check_choice(problems, region, "level", path, RegionLevel.values)
    if not _text(region, "name"):
        problems.add(f"{path}.name", "请填写区划名称。")
    _check_lengths(problems, region, path, {"name": 64})
    if not code.isdigit() or (
        level in REGION_CODE_LENGTH and len(code) != REGION_CODE_LENGTH[RegionLevel(level)]
    ):
        problems.add(
            f"{path}.code",
            f"行政区划代码“{code}”格式不正确：省、市、县为6位数字，乡镇9位，村（社区）12位。",
        )
        return
    if level == RegionLevel.PROVINCE and not code.endswith("0000"):
        problems.add(f"{path}.code", "省级区划代码应以0000结尾。")
    if level == RegionLevel.CITY and (not code.endswith("00") or code.endswith("0000")):
        problems.add(f"{path}.code", "市级区划代码应以00结尾（不以0000结尾）。")
    if level == RegionLevel.COUNTY and code.endswith("00"):
        problems.add(f"{path}.code", "县级区划代码的后两位不能为00。")
    parent = region.get("parent")
    if level == RegionLevel.PROVINCE:
        if parent:
            problems.add(f"{path}.parent", "省级区划没有上级区划。")
        return
    if not parent:
        problems.add(f"{path}.parent", "请填写上级区划代码。")
    elif parent not in known_codes:
        problems.add(f"{path}.parent", f"上级区划“{parent}”不存在（上级须排在下级之前）。")
    elif not code.startswith(str(parent).rstrip("0")[: len(code)]):
        problems.add(f"{path}.code", f"区划代码“{code}”与上级区划“{parent}”不一致。")


def check_department(
    problems: Problems, department: Mapping[str, Any], path: str, regions: set[str]
) -> None:
    try:
        normalise_uscc(_text(department, "uscc"))
    except ValueError as exc:
        problems.add(f"{path}.uscc", str(exc))
    if not _text(department, "name"):
        problems.add(f"{path}.name", "请填写部门名称。")
    _check_lengths(
        problems, department, path,
        {"name": 128, "short_name": 64, "address": 200, "phone": 32, "office_hours": 200, "website": 200},
    )  # fmt: skip
    _check_choice(problems, department, "kind", path, DepartmentKind.values)
    if department.get("region") not in regions:
        problems.add(f"{path}.region", f"行政区划“{department.get('region')}”不存在。")


def check_grouping(problems: Problems, item: Mapping[str, Any], path: str) -> None:
    """A topic or life event."""
    if not _text(item, "code"):
        problems.add(f"{path}.code", "请填写编码。")
    if not _text(item, "name"):
        problems.add(f"{path}.name", "请填写名称。")
    _check_lengths(problems, item, path, {"code": 32, "name": 64, "description": 200})
    _check_choice(problems, item, "audience", path, Audience.values)
    order = item.get("order", 0)
    if not isinstance(order, int) or isinstance(order, bool) or order < 0:
        problems.add(f"{path}.order", "应为不小于0的整数。")


def check_synonym(problems: Problems, item: Mapping[str, Any], path: str) -> None:
    if not _text(item, "term"):
        problems.add(f"{path}.term", "请填写群众用语。")
    _check_lengths(problems, item, path, {"term": 32})
    expansions = _list(problems, item, "expansions", path)
    if not expansions or not all(isinstance(e, str) and e.strip() for e in expansions):
        problems.add(f"{path}.expansions", "请至少填写一个对应的事项用语。")


def check_matter(
    problems: Problems,
    matter: Mapping[str, Any],
    path: str,
    *,
    departments: set[str],
    regions: set[str],
    topics: set[str],
    life_events: set[str],
    published_elsewhere: Iterable[int] = (),
) -> None:
    """Check a matter and all its versions (published ones must be complete).

    `published_elsewhere` are the numbers of versions already published in the database.
    """
    level = ""
    try:
        credit, level, catalog = check_implementation_code(_text(matter, "implementation_code"))
    except ValueError as exc:
        problems.add(f"{path}.implementation_code", str(exc))
        credit = catalog = ""
    try:
        catalog_code = check_catalog_code(_text(matter, "catalog_code"))
    except ValueError as exc:
        problems.add(f"{path}.catalog_code", str(exc))
        catalog_code = ""
    if catalog and catalog_code and catalog != catalog_code:
        problems.add(
            f"{path}.catalog_code", f"基本编码“{catalog_code}”与实施编码后12位“{catalog}”不一致。"
        )
    department = _text(matter, "department")
    if department not in departments:
        problems.add(f"{path}.department", f"实施主体“{department}”不存在。")
    elif credit and credit != department:
        problems.add(
            f"{path}.department",
            f"实施编码前18位“{credit}”应为实施主体的统一社会信用代码“{department}”。",
        )
    if matter.get("region") not in regions:
        problems.add(f"{path}.region", f"行政区划“{matter.get('region')}”不存在。")
    _check_choice(problems, matter, "status", path, MatterStatus.values)
    _check_str(problems, matter, "local_catalog_code", path, 50)
    _check_str(problems, matter, "local_implementation_code", path, 50)

    versions = _list(problems, matter, "versions", path)
    numbers: set[int] = set()
    drafts = 0
    for index, version in enumerate(versions):
        vpath = f"{path}.versions[{index}]"
        if not isinstance(version, Mapping):
            problems.add(vpath, "应为对象。")
            continue
        number = version.get("number")
        if not isinstance(number, int) or number < 1:
            problems.add(f"{vpath}.number", "版本号应为正整数。")
        elif number in numbers:
            problems.add(f"{vpath}.number", f"版本号{number}重复。")
        else:
            numbers.add(number)
        drafts += version.get("status") == VersionStatus.DRAFT
        check_version(
            problems, version, vpath, exercise_level=level, topics=topics, life_events=life_events
        )
    if drafts > 1:
        problems.add(f"{path}.versions", "一个事项最多只能有一个草稿版本。")
    published_numbers: list[int] = [
        v["number"] for v in versions
        if isinstance(v, Mapping) and v.get("status") == VersionStatus.PUBLISHED and isinstance(v.get("number"), int)
    ] + list(published_elsewhere)  # fmt: skip
    for index, version in enumerate(versions):
        if (
            isinstance(version, Mapping)
            and version.get("status") == VersionStatus.DRAFT
            and isinstance(version.get("number"), int)
            and any(version["number"] < n for n in published_numbers)
        ):
            problems.add(
                f"{path}.versions[{index}].number",
                f"草稿版本号应大于已发布的最高版本号（{max(published_numbers)}）。",
            )
    if matter.get("retired_reason") and matter.get("status") != MatterStatus.RETIRED:
        problems.add(f"{path}.retired_reason", "只有已停用的事项才有停用原因。")
    _check_lengths(problems, matter, path, {"retired_reason": 200})
    retired_at = matter.get("retired_at")
    if retired_at and not _is_aware_timestamp(retired_at):
        problems.add(
            f"{path}.retired_at", f"停用时间“{retired_at}”无效，应为带时区的ISO 8601时间。"
        )
    published = [
        v for v in versions if isinstance(v, Mapping) and v.get("status") == VersionStatus.PUBLISHED
    ]
    if matter.get("status") in (MatterStatus.IN_USE, MatterStatus.RETIRED) and not published:
        problems.add(f"{path}.status", "在用或已停用的事项至少要有一个已发布版本。")


def check_version(
    problems: Problems,
    version: Mapping[str, Any],
    path: str,
    *,
    exercise_level: str,
    topics: set[str],
    life_events: set[str],
) -> None:
    """Check one version: its shape always, its completeness when it is (to be) published."""
    _check_choice(problems, version, "status", path, VersionStatus.values)
    published = version.get("status") == VersionStatus.PUBLISHED
    published_at = version.get("published_at")
    if published and not published_at:
        problems.add(f"{path}.published_at", "已发布版本须有发布时间。")
    elif published_at and not _is_aware_timestamp(published_at):
        problems.add(
            f"{path}.published_at",
            f"发布时间“{published_at}”无效，应为带时区的ISO 8601时间，如2025-01-02T09:00:00+08:00。",
        )
    elif published_at and not published:
        problems.add(f"{path}.published_at", "草稿版本不能有发布时间。")
    check_version_shape(problems, version, path, topics=topics, life_events=life_events)
    if (
        exercise_level
        and version.get("exercise_level")
        and version.get("exercise_level") != exercise_level
    ):
        problems.add(
            f"{path}.exercise_level", f"行使层级应与实施编码第19位“{exercise_level}”一致。"
        )
    if published:
        check_version_complete(problems, version, path)


def _is_aware_timestamp(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return dt.datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def check_version_shape(
    problems: Problems,
    version: Mapping[str, Any],
    path: str,
    *,
    topics: set[str],
    life_events: set[str],
) -> None:
    """Field types, code lists and references; a draft may still be incomplete."""
    for key, max_length in (
        ("name", 200), ("short_name", 64), ("summary", 300), ("power_source", 32), ("address", 300),
        ("office_hours", 200), ("result_name", 200), ("result_certificate_type", 40), ("consult_phone", 64),
        ("consult_ways", 200), ("complaint_phone", 64), ("complaint_ways", 200), ("review_authority", 200),
        ("review_phone", 64), ("litigation_court", 200),
    ):  # fmt: skip
        _check_str(problems, version, key, path, max_length)
    if not _text(version, "name"):
        problems.add(f"{path}.name", "请填写事项名称。")
    _check_choice(problems, version, "matter_type", path, MatterType.values)
    _check_choice(problems, version, "exercise_level", path, ExerciseLevel.values)
    _check_choice(problems, version, "case_type", path, CaseType.values, required=False)
    _check_choice(problems, version, "joint_mode", path, JointMode.values, required=False)
    _check_choice(problems, version, "statutory_unit", path, TimeUnit.values, required=False)
    _check_choice(problems, version, "promised_unit", path, TimeUnit.values, required=False)
    _check_choice(problems, version, "online_depth", path, OnlineDepth.values, required=False)
    _check_choice(problems, version, "handle_area", path, HandleArea.values, required=False)
    _check_choice(problems, version, "result_type", path, ResultType.values, required=False)
    for key, values in (
        ("service_objects", ServiceObject.values),
        ("handling_forms", HandlingForm.values),
    ):
        for index, value in enumerate(_list(problems, version, key, path)):
            if value not in values:
                problems.add(
                    f"{path}.{key}[{index}]", f"取值“{value}”无效，应为：{'、'.join(values)}。"
                )
    for index, alias in enumerate(_list(problems, version, "aliases", path)):
        if not isinstance(alias, str) or not alias.strip():
            problems.add(f"{path}.aliases[{index}]", "别名不能为空。")
    statutory = _check_int(problems, version, "statutory_limit", path)
    promised = _check_int(problems, version, "promised_limit", path)
    _check_int(problems, version, "visits_required", path)
    if (
        statutory is not None
        and promised is not None
        and version.get("statutory_unit", "WD") == version.get("promised_unit", "WD")
        and promised > statutory
    ):
        problems.add(
            f"{path}.promised_limit",
            f"承诺办结时限（{promised}）不能长于法定办结时限（{statutory}）。",
        )
    for key, known, label in (("topics", topics, "主题"), ("life_events", life_events, "人生事件")):
        for index, code in enumerate(_list(problems, version, key, path)):
            if code not in known:
                problems.add(f"{path}.{key}[{index}]", f"{label}“{code}”不存在。")

    material_keys: set[str] = set()
    for index, material in enumerate(_list(problems, version, "materials", path)):
        mpath = f"{path}.materials[{index}]"
        if not isinstance(material, Mapping):
            problems.add(mpath, "应为对象。")
            continue
        key = _text(material, "key")
        if not key:
            problems.add(f"{mpath}.key", "请填写材料编号。")
        elif key in material_keys:
            problems.add(f"{mpath}.key", f"材料编号“{key}”重复。")
        material_keys.add(key)
        if not _text(material, "name"):
            problems.add(f"{mpath}.name", "请填写材料名称。")
        _check_lengths(
            problems, material, mpath,
            {"key": 16, "name": 200, "optional_case": 300, "paper_format": 16, "source_explain": 300,
             "issuer": 200, "certificate_type": 40},
        )  # fmt: skip
        _check_choice(problems, material, "material_type", mpath, MaterialType.values)
        _check_choice(problems, material, "material_form", mpath, MaterialForm.values)
        _check_choice(problems, material, "necessity", mpath, Necessity.values)
        _check_choice(problems, material, "source", mpath, MaterialSource.values)
        if material.get("necessity") == Necessity.OPTIONAL and not _text(material, "optional_case"):
            problems.add(f"{mpath}.optional_case", "非必要材料须说明在什么情形下需要提供。")
        for number_key in ("original_copies", "copy_copies"):
            _check_int(problems, material, number_key, mpath)
        for file_key in ("blank_form", "sample"):
            attachment = material.get(file_key)
            if attachment is not None and not (
                isinstance(attachment, Mapping)
                and _text(attachment, "name")
                and isinstance(attachment.get("content_base64"), str)
            ):
                problems.add(f"{mpath}.{file_key}", "附件应包含 name 和 content_base64。")

    for index, fee in enumerate(_list(problems, version, "fees", path)):
        if not isinstance(fee, Mapping) or not _text(fee, "name") or not _text(fee, "standard"):
            problems.add(f"{path}.fees[{index}]", "收费项目须填写名称和收费标准。")
            continue
        _check_lengths(problems, fee, f"{path}.fees[{index}]", {"name": 200, "standard": 300})
    for index, step in enumerate(_list(problems, version, "steps", path)):
        if not isinstance(step, Mapping) or not _text(step, "name"):
            problems.add(f"{path}.steps[{index}].name", "请填写环节名称。")
            continue
        _check_int(problems, step, "time_limit", f"{path}.steps[{index}]")
        _check_choice(
            problems, step, "kind", f"{path}.steps[{index}]", StepKind.values, required=False
        )
        _check_choice(problems, step, "role", f"{path}.steps[{index}]", STEP_ROLES, required=False)
        _check_choice(
            problems, step, "unit", f"{path}.steps[{index}]", TimeUnit.values, required=False
        )
        _check_lengths(
            problems,
            step,
            f"{path}.steps[{index}]",
            {"name": 64, "handler": 128, "special_explain": 300},
        )
    for index, faq in enumerate(_list(problems, version, "faqs", path)):
        if not isinstance(faq, Mapping) or not _text(faq, "question") or not _text(faq, "answer"):
            problems.add(f"{path}.faqs[{index}]", "常见问题须填写问题和解答。")
            continue
        _check_lengths(problems, faq, f"{path}.faqs[{index}]", {"question": 300})

    situation_answers = {
        f"{_text(q, 'key')}={_text(o, 'key')}"
        for q in _list(problems, version, "situations", path)
        if isinstance(q, Mapping)
        for o in (q.get("options") or [])
        if isinstance(o, Mapping)
    }
    field_keys = check_form_fields(problems, version, path, situation_answers)
    check_auto_approve_rules(problems, version, path, field_keys)

    question_keys: set[str] = set()
    for qindex, question in enumerate(_list(problems, version, "situations", path)):
        qpath = f"{path}.situations[{qindex}]"
        if not isinstance(question, Mapping):
            problems.add(qpath, "应为对象。")
            continue
        qkey = _text(question, "key")
        if not qkey or qkey in question_keys:
            problems.add(f"{qpath}.key", "问题编号不能为空或重复。")
        question_keys.add(qkey)
        if not _text(question, "text"):
            problems.add(f"{qpath}.text", "请填写问题。")
        _check_lengths(problems, question, qpath, {"key": 16, "text": 200, "help": 300})
        options = _list(problems, question, "options", qpath)
        if len(options) < 2:
            problems.add(f"{qpath}.options", "每个情形问题至少要有两个选项。")
        option_keys: set[str] = set()
        for oindex, option in enumerate(options):
            opath = f"{qpath}.options[{oindex}]"
            if not isinstance(option, Mapping):
                problems.add(opath, "应为对象。")
                continue
            okey = _text(option, "key")
            if not okey or okey in option_keys:
                problems.add(f"{opath}.key", "选项编号不能为空或重复。")
            option_keys.add(okey)
            if not _text(option, "label"):
                problems.add(f"{opath}.label", "请填写选项内容。")
            _check_lengths(problems, option, opath, {"key": 16, "label": 200})
            for mindex, material_key in enumerate(_list(problems, option, "materials", opath)):
                if material_key not in material_keys:
                    problems.add(
                        f"{opath}.materials[{mindex}]",
                        f"情形引用的材料“{material_key}”在本事项中不存在。",
                    )


FIELD_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
RULE_OPERATORS = ("==", "!=", ">=", "<=", ">", "<", "in")


def check_form_fields(
    problems: Problems, version: Mapping[str, Any], path: str, situation_answers: set[str]
) -> set[str]:
    """Check the application form's questions; return their keys."""
    keys: set[str] = set()
    for index, item in enumerate(_list(problems, version, "form_fields", path)):
        fpath = f"{path}.form_fields[{index}]"
        if not isinstance(item, Mapping):
            problems.add(fpath, "应为对象。")
            continue
        key = _text(item, "key")
        if not FIELD_KEY.match(key) or key in keys:
            problems.add(
                f"{fpath}.key", "字段编号须以小写字母开头，只含小写字母、数字和下划线，且不重复。"
            )
        keys.add(key)
        if not _text(item, "label"):
            problems.add(f"{fpath}.label", "请填写字段标题。")
        _check_lengths(problems, item, fpath, {"label": 100, "help_text": 300, "pattern": 200})
        _check_choice(problems, item, "field_type", fpath, FieldType.values, required=False)
        _check_choice(problems, item, "prefill", fpath, Prefill.values, required=False)
        for number_key in ("min_length", "max_length"):
            _check_int(problems, item, number_key, fpath)
        choices = item.get("choices") or []
        if item.get("field_type") == FieldType.CHOICE and (
            not isinstance(choices, list)
            or len(choices) < 2
            or not all(isinstance(c, str) and c for c in choices)
        ):
            problems.add(f"{fpath}.choices", "单选字段至少要有两个选项。")
        pattern = _text(item, "pattern")
        if pattern:
            try:
                re.compile(pattern)
            except re.error:
                problems.add(f"{fpath}.pattern", "格式不是有效的正则表达式。")
        visible_when = _text(item, "visible_when")
        if visible_when and visible_when not in situation_answers:
            problems.add(
                f"{fpath}.visible_when",
                f"显示条件“{visible_when}”不是本事项的情形选项（应写作“问题编号=选项编号”）。",
            )
    return keys


def check_auto_approve_rules(
    problems: Problems, version: Mapping[str, Any], path: str, field_keys: set[str]
) -> None:
    """Check the 秒批 rules: each names a form field (or applicant.age), an operator and a value."""
    for index, rule in enumerate(_list(problems, version, "auto_approve_rules", path)):
        rpath = f"{path}.auto_approve_rules[{index}]"
        if not isinstance(rule, Mapping) or "value" not in rule:
            problems.add(rpath, "秒批规则应包含 field、op 和 value。")
            continue
        field_name = _text(rule, "field")
        if field_name != "applicant.age" and field_name not in field_keys:
            problems.add(f"{rpath}.field", f"秒批规则引用的字段“{field_name}”不存在。")
        if rule.get("op") not in RULE_OPERATORS:
            problems.add(f"{rpath}.op", f"运算符应为：{'、'.join(RULE_OPERATORS)}。")


# The elements a published guide must carry (DOMAIN §2.4, the ● fields), with their names.
REQUIRED_TEXT = (
    ("legal_basis", "设定依据"), ("conditions", "受理条件"), ("process_description", "办理流程"),
    ("special_procedure", "特别程序（没有时填“无”）"), ("power_source", "权力来源"),
    ("result_name", "结果名称"), ("consult_phone", "咨询电话"), ("complaint_phone", "监督投诉电话"),
    ("review_authority", "行政复议机关"), ("litigation_court", "行政诉讼法院"),
)  # fmt: skip


def check_version_complete(problems: Problems, version: Mapping[str, Any], path: str) -> None:
    """Name every element a guide still lacks before it may be published."""
    for key, label in REQUIRED_TEXT:
        if not _text(version, key):
            problems.add(f"{path}.{key}", f"缺少{label}。")
    if version.get("matter_type") and version.get("matter_type") not in APPLYABLE_MATTER_TYPES:
        problems.add(
            f"{path}.matter_type", "行政处罚、强制、检查、征收事项不能作为依申请事项发布。"
        )
    if not version.get("service_objects"):
        problems.add(f"{path}.service_objects", "缺少服务对象。")
    if not version.get("handling_forms"):
        problems.add(f"{path}.handling_forms", "缺少办理形式。")
    if not version.get("case_type"):
        problems.add(f"{path}.case_type", "缺少办件类型。")
    if not version.get("result_type"):
        problems.add(f"{path}.result_type", "缺少审批结果类型。")
    if version.get("statutory_limit") is None:
        problems.add(f"{path}.statutory_limit", "缺少法定办结时限。")
    promised = version.get("promised_limit")
    if promised is None:
        problems.add(f"{path}.promised_limit", "缺少承诺办结时限。")
    elif version.get("case_type") == CaseType.IMMEDIATE and promised != 0:
        problems.add(f"{path}.promised_limit", "即办件的承诺办结时限应为0（当场办结）。")
    visits = version.get("visits_required")
    if visits is None:
        problems.add(f"{path}.visits_required", "缺少到办事现场次数。")
    elif isinstance(visits, int) and visits > 0 and not _text(version, "visits_explain"):
        problems.add(f"{path}.visits_explain", "需要到现场办理的，须说明原因。")
    if version.get("is_fee"):
        if not _text(version, "fee_basis"):
            problems.add(f"{path}.fee_basis", "收费事项缺少收费依据。")
        if not version.get("fees"):
            problems.add(f"{path}.fees", "收费事项缺少收费项目。")
    if HandlingForm.WINDOW in (version.get("handling_forms") or []) and not _text(
        version, "address"
    ):
        problems.add(f"{path}.address", "可窗口办理的事项须写明办理地点。")
    if not version.get("materials"):
        problems.add(f"{path}.materials", "缺少申请材料。")


def check_catalogue(document: Any, *, existing: "KnownCodes | None" = None) -> Problems:
    """Check a whole catalogue document; codes already in the database count as known."""
    problems = Problems()
    if not isinstance(document, Mapping):
        problems.add("$", "目录文件应为JSON对象。")
        return problems
    if document.get("format") != "tongban-catalogue":
        problems.add("format", "不是通办事项目录文件（format 应为 tongban-catalogue）。")
    if document.get("format_version") != 1:
        problems.add("format_version", "不支持的文件版本，应为1。")
    known = existing or KnownCodes()
    regions = set(known.regions)
    for index, region in enumerate(_list(problems, document, "regions", "$")):
        if isinstance(region, Mapping):
            check_region(problems, region, f"regions[{index}]", regions)
            regions.add(_text(region, "code"))
    departments = set(known.departments)
    for index, department in enumerate(_list(problems, document, "departments", "$")):
        if isinstance(department, Mapping):
            check_department(problems, department, f"departments[{index}]", regions)
            departments.add(_text(department, "uscc").upper())
    topics, life_events = set(known.topics), set(known.life_events)
    for key, codes in (("topics", topics), ("life_events", life_events)):
        for index, item in enumerate(_list(problems, document, key, "$")):
            if isinstance(item, Mapping):
                check_grouping(problems, item, f"{key}[{index}]")
                codes.add(_text(item, "code"))
    for index, synonym in enumerate(_list(problems, document, "synonyms", "$")):
        if isinstance(synonym, Mapping):
            check_synonym(problems, synonym, f"synonyms[{index}]")
    seen_codes: set[str] = set()
    for index, matter in enumerate(_list(problems, document, "matters", "$")):
        path = f"matters[{index}]"
        if not isinstance(matter, Mapping):
            problems.add(path, "应为对象。")
            continue
        code = _text(matter, "implementation_code")
        if code in seen_codes:
            problems.add(f"{path}.implementation_code", f"实施编码“{code}”在文件中重复。")
        seen_codes.add(code)
        check_matter(
            problems, matter, path,
            departments=departments, regions=regions, topics=topics, life_events=life_events,
            published_elsewhere=known.published_versions.get(code.upper(), frozenset()),
        )  # fmt: skip
    return problems


@dataclass(frozen=True)
class KnownCodes:
    """Codes that already exist in the database and may be referred to by an import."""

    regions: frozenset[str] = frozenset()
    departments: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    life_events: frozenset[str] = frozenset()
    # implementation code → numbers of its versions already published
    published_versions: Mapping[str, frozenset[int]] = field(default_factory=dict)
