"""Importing a catalogue document: all of it or nothing, each problem named by its JSON path."""

from typing import Any

import pytest

from matters.models import Matter
from matters.services import CatalogueImportError, ImportReport, catalogue_import
from tests.matters import documents


def refusal_of(document: dict[str, Any]) -> dict[str, list[str]]:
    """Import `document`, which must be refused; return the problems by JSON path."""
    with pytest.raises(CatalogueImportError) as refused:
        catalogue_import(document=document)
    return refused.value.errors


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(documents.row_counts(), 0)


def test_a_valid_document_imports_every_row(db: None) -> None:
    report = catalogue_import(document=documents.document())

    assert report == ImportReport(
        regions=3, departments=2, matters=3, versions_created=3, versions_unchanged=0
    )
    assert documents.row_counts() == {
        "Region": 3, "Department": 2, "Topic": 2, "LifeEvent": 1, "Synonym": 1, "Matter": 3,
        "MatterVersion": 3, "Material": 9, "Fee": 0, "ProcessStep": 6, "Faq": 3,
        "SituationQuestion": 3, "SituationOption": 6,
    }  # fmt: skip


def test_a_refused_import_says_how_many_problems_it_found(db: None) -> None:
    document = documents.document()
    document["matters"][0]["implementation_code"] = "123"
    document["matters"][1]["region"] = "999999"

    with pytest.raises(CatalogueImportError) as refused:
        catalogue_import(document=document)

    assert refused.value.message == "导入失败：发现2处问题，未导入任何内容。"
    assert documents.row_counts() == empty_counts()


def test_a_malformed_implementation_code_is_refused_at_its_path(db: None) -> None:
    document = documents.document()
    document["matters"][1]["implementation_code"] = "123"

    errors = refusal_of(document)

    assert errors == {
        "matters[1].implementation_code": [
            "实施编码“123”应为31位（18位统一社会信用代码 + 1位行使层级 + 12位基本编码）。"
        ]
    }
    assert documents.row_counts() == empty_counts()


def test_a_department_credit_code_with_a_bad_check_character_is_refused(db: None) -> None:
    document = documents.document()
    spoiled = documents.MARKET[:-1] + ("1" if documents.MARKET[-1] != "1" else "2")
    document["departments"].append({**document["departments"][0], "uscc": spoiled})

    errors = refusal_of(document)

    assert errors == {
        "departments[2].uscc": [f"统一社会信用代码“{spoiled}”无效：应为18位，且校验位正确。"]
    }
    assert documents.row_counts() == empty_counts()


def test_an_implementation_code_of_another_department_is_refused(db: None) -> None:
    document = documents.document()
    document["matters"][0]["department"] = documents.HEALTH

    errors = refusal_of(document)

    assert errors == {
        "matters[0].department": [
            f"实施编码前18位“{documents.MARKET}”应为实施主体的统一社会信用代码“{documents.HEALTH}”。"
        ]
    }
    assert documents.row_counts() == empty_counts()


def test_a_catalog_code_that_is_not_the_end_of_the_implementation_code_is_refused(
    db: None,
) -> None:
    document = documents.document()
    document["matters"][0]["catalog_code"] = "002011009000"

    errors = refusal_of(document)

    assert errors == {
        "matters[0].catalog_code": ["基本编码“002011009000”与实施编码后12位“002011001000”不一致。"]
    }
    assert documents.row_counts() == empty_counts()


def test_an_exercise_level_other_than_the_19th_character_is_refused(db: None) -> None:
    document = documents.document()
    document["matters"][0]["versions"][0]["exercise_level"] = "4"

    errors = refusal_of(document)

    assert errors == {
        "matters[0].versions[0].exercise_level": ["行使层级应与实施编码第19位“3”一致。"]
    }
    assert documents.row_counts() == empty_counts()


def test_a_promised_time_limit_longer_than_the_statutory_one_is_refused(db: None) -> None:
    document = documents.document()
    document["matters"][2]["versions"][0].update(statutory_limit=20, promised_limit=30)

    errors = refusal_of(document)

    assert errors == {
        "matters[2].versions[0].promised_limit": ["承诺办结时限（30）不能长于法定办结时限（20）。"]
    }
    assert documents.row_counts() == empty_counts()


def test_a_promised_limit_in_another_unit_may_be_larger(db: None) -> None:
    document = documents.document()
    document["matters"][2]["versions"][0].update(
        statutory_limit=20, statutory_unit="WD", promised_limit=25, promised_unit="CD"
    )

    report = catalogue_import(document=document)

    assert report.versions_created == 3


def test_a_published_immediate_case_must_promise_zero_days(db: None) -> None:
    document = documents.document()
    document["matters"][0]["versions"][0].update(case_type="1", promised_limit=5)

    errors = refusal_of(document)

    assert errors == {
        "matters[0].versions[0].promised_limit": ["即办件的承诺办结时限应为0（当场办结）。"]
    }
    assert documents.row_counts() == empty_counts()


def test_a_published_immediate_case_promising_zero_days_is_accepted(db: None) -> None:
    document = documents.document()
    document["matters"][0]["versions"][0].update(case_type="1", promised_limit=0)

    report = catalogue_import(document=document)

    assert report.versions_created == 3


def test_a_draft_may_still_lack_elements_a_published_guide_needs(db: None) -> None:
    document = documents.document(
        documents.draft_matter(
            "11009000", "二手车交易登记", conditions="", legal_basis="", case_type="1"
        )
    )

    report = catalogue_import(document=document)

    assert report.versions_created == 1
    assert Matter.objects.get().status == "DRAFT"


def test_a_material_without_a_name_is_refused(db: None) -> None:
    document = documents.document()
    document["matters"][1]["versions"][0]["materials"][1]["name"] = " "

    errors = refusal_of(document)

    assert errors == {"matters[1].versions[0].materials[1].name": ["请填写材料名称。"]}
    assert documents.row_counts() == empty_counts()


def test_a_situation_option_naming_an_unknown_material_is_refused(db: None) -> None:
    document = documents.document()
    document["matters"][0]["versions"][0]["situations"][0]["options"][1]["materials"] = [
        "M03",
        "M09",
    ]

    errors = refusal_of(document)

    assert errors == {
        "matters[0].versions[0].situations[0].options[1].materials[1]": [
            "情形引用的材料“M09”在本事项中不存在。"
        ]
    }
    assert documents.row_counts() == empty_counts()


def test_a_matter_in_an_unknown_region_is_refused(db: None) -> None:
    document = documents.document()
    document["matters"][1]["region"] = "440399"

    errors = refusal_of(document)

    assert errors == {"matters[1].region": ["行政区划“440399”不存在。"]}
    assert documents.row_counts() == empty_counts()


def test_an_unknown_topic_code_is_refused(db: None) -> None:
    document = documents.document()
    document["matters"][0]["versions"][0]["topics"] = ["P-ELDER", "P-NOPE"]

    errors = refusal_of(document)

    assert errors == {"matters[0].versions[0].topics[1]": ["主题“P-NOPE”不存在。"]}
    assert documents.row_counts() == empty_counts()


def test_an_unknown_life_event_code_is_refused(db: None) -> None:
    document = documents.document()
    document["matters"][0]["versions"][0]["life_events"] = ["P-NOPE"]

    errors = refusal_of(document)

    assert errors == {"matters[0].versions[0].life_events[0]": ["人生事件“P-NOPE”不存在。"]}
    assert documents.row_counts() == empty_counts()


def test_a_region_listed_before_its_parent_is_refused(db: None) -> None:
    document = documents.document()
    province, city, county = document["regions"]
    document["regions"] = [province, county, city]

    errors = refusal_of(document)

    assert errors == {"regions[1].parent": ["上级区划“440300”不存在（上级须排在下级之前）。"]}
    assert documents.row_counts() == empty_counts()


@pytest.mark.parametrize(
    ("region", "path", "message"),
    [
        (
            {"code": "440310", "name": "坪山区", "level": "CITY", "parent": "440000"},
            "regions[3].code",
            "市级区划代码应以00结尾（不以0000结尾）。",
        ),
        (
            {"code": "440400", "name": "珠海市", "level": "COUNTY", "parent": "440000"},
            "regions[3].code",
            "县级区划代码的后两位不能为00。",
        ),
        (
            {"code": "440305", "name": "南头街道", "level": "TOWN", "parent": "440305"},
            "regions[3].code",
            "行政区划代码“440305”格式不正确：省、市、县为6位数字，乡镇9位，村（社区）12位。",
        ),
        (
            {"code": "440306", "name": "宝安区", "level": "COUNTY", "parent": "440000"},
            "regions[3].code",
            None,  # a county directly under the province is fine (省直辖县)
        ),
        (
            {"code": "440307001", "name": "某街道", "level": "TOWN", "parent": "440305"},
            "regions[3].code",
            "区划代码“440307001”与上级区划“440305”不一致。",
        ),
    ],
    ids=[
        "city-not-ending-00",
        "county-ending-00",
        "town-of-6-digits",
        "county-ok",
        "town-elsewhere",
    ],
)
def test_a_region_code_must_have_the_shape_of_its_level(
    db: None, region: dict[str, Any], path: str, message: str | None
) -> None:
    document = documents.document()
    document["regions"].append(region)

    if message is None:
        report = catalogue_import(document=document)
        assert report.regions == 4
    else:
        assert refusal_of(document) == {path: [message]}
        assert documents.row_counts() == empty_counts()


def test_an_implementation_code_twice_in_one_document_is_refused(db: None) -> None:
    document = documents.document()
    document["matters"].append(documents.document()["matters"][1])
    code = document["matters"][1]["implementation_code"]

    errors = refusal_of(document)

    assert errors == {"matters[3].implementation_code": [f"实施编码“{code}”在文件中重复。"]}
    assert documents.row_counts() == empty_counts()


def test_two_draft_versions_of_one_matter_are_refused(db: None) -> None:
    document = documents.document()
    document["matters"][0]["versions"] += [
        documents.draft("老年人优待证办理", number=2),
        documents.draft("老年人优待证办理", number=3),
    ]

    errors = refusal_of(document)

    assert errors == {"matters[0].versions": ["一个事项最多只能有一个草稿版本。"]}
    assert documents.row_counts() == empty_counts()


def test_a_version_number_used_twice_is_refused(db: None) -> None:
    document = documents.document()
    document["matters"][0]["versions"].append(documents.draft("老年人优待证办理", number=1))

    errors = refusal_of(document)

    assert errors == {"matters[0].versions[1].number": ["版本号1重复。"]}


def test_a_matter_in_use_without_a_published_version_is_refused(db: None) -> None:
    document = documents.document()
    document["matters"][0]["versions"] = [documents.draft("老年人优待证办理", number=1)]

    errors = refusal_of(document)

    assert errors == {"matters[0].status": ["在用或已停用的事项至少要有一个已发布版本。"]}


def test_a_document_of_another_format_is_refused(db: None) -> None:
    document = documents.document()
    document["format"] = "gov-catalogue"
    document["format_version"] = 2

    errors = refusal_of(document)

    assert errors == {
        "format": ["不是通办事项目录文件（format 应为 tongban-catalogue）。"],
        "format_version": ["不支持的文件版本，应为1。"],
    }
    assert documents.row_counts() == empty_counts()


def test_a_document_that_is_not_an_object_is_refused(db: None) -> None:
    errors = refusal_of([])  # type: ignore[arg-type]

    assert errors == {"$": ["目录文件应为JSON对象。"]}


def test_one_bad_matter_after_several_good_ones_imports_none_of_them(db: None) -> None:
    bad = documents.matter("11004000", "坏事项")
    bad["versions"][0]["materials"][0]["name"] = ""
    document = documents.document(
        documents.matter("11001000", "老年人优待证办理"),
        documents.matter("11002000", "食品经营许可"),
        documents.matter("11003000", "放射诊疗许可", department=documents.HEALTH, level="4"),
        bad,
    )

    errors = refusal_of(document)

    assert errors == {"matters[3].versions[0].materials[0].name": ["请填写材料名称。"]}
    assert documents.row_counts() == empty_counts()


def test_an_import_may_refer_to_regions_departments_and_topics_already_loaded(
    catalogue: dict[str, Any],
) -> None:
    document = {
        "format": "tongban-catalogue",
        "format_version": 1,
        "matters": [documents.matter("11009000", "二手车交易登记", department=documents.HEALTH,
                                     region=documents.COUNTY, level="4", topics=["L-SETUP"])],
    }  # fmt: skip

    report = catalogue_import(document=document)

    assert report == ImportReport(
        regions=0, departments=0, matters=1, versions_created=1, versions_unchanged=0
    )
    assert Matter.objects.visible().count() == 4


def test_a_refused_import_leaves_an_existing_catalogue_as_it_was(
    catalogue: dict[str, Any],
) -> None:
    before = documents.row_counts()
    document = documents.document(
        documents.matter("11004000", "新事项"), documents.matter("11005000", "另一个新事项")
    )
    document["regions"].append(
        {"code": "440306", "name": "宝安区", "level": "COUNTY", "parent": "440300"}
    )
    document["matters"][1]["versions"][0]["topics"] = ["P-NOPE"]

    refusal_of(document)

    assert documents.row_counts() == before


def test_a_publication_time_that_is_not_a_date_is_refused_at_its_path(db: None) -> None:
    document = documents.document()
    document["matters"][0]["versions"][0]["published_at"] = "昨天"

    errors = refusal_of(document)

    assert list(errors) == ["matters[0].versions[0].published_at"]


def test_an_over_long_material_key_is_refused_at_its_path(db: None) -> None:
    document = documents.document()
    long_key = "M" + "0" * 16  # the column holds 16 characters
    version = document["matters"][0]["versions"][0]
    version["materials"][2]["key"] = long_key
    version["situations"][0]["options"][1]["materials"] = [long_key]

    errors = refusal_of(document)

    assert list(errors) == ["matters[0].versions[0].materials[2].key"]
