"""Versions of a matter's guide: drafts, publishing, immutability, retiring and reinstating."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.test import Client

import pytest

from core.errors import ConflictError, DomainError
from matters.models import Matter, MatterVersion
from matters.serialization import catalogue_to_document
from matters.services import (
    CatalogueImportError,
    ImportReport,
    PublishError,
    catalogue_import,
    matter_reinstate,
    matter_retire,
    matter_version_draft_create,
    matter_version_publish,
)
from tests.matters import documents

NOW = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)


def matter_named(name: str) -> Matter:
    return Matter.objects.get(versions__name=name, versions__number=1)


def exported_versions(matter: Matter) -> list[dict[str, Any]]:
    exported = catalogue_to_document()["matters"]
    found = next(m for m in exported if m["implementation_code"] == matter.implementation_code)
    versions: list[dict[str, Any]] = found["versions"]
    return versions


def test_publishing_a_draft_that_lacks_elements_names_every_missing_one(db: None) -> None:
    catalogue_import(
        document=documents.document(
            documents.draft_matter(
                "11009000", "二手车交易登记",
                legal_basis="", conditions="", materials=[], situations=[],
                visits_required=2, visits_explain="", is_fee=True, fee_basis="", fees=[],
            )
        )
    )  # fmt: skip
    draft = MatterVersion.objects.get()

    with pytest.raises(PublishError) as refused:
        matter_version_publish(version_id=draft.pk, by=None, now=NOW)

    assert refused.value.errors == {
        "version.legal_basis": ["缺少设定依据。"],
        "version.conditions": ["缺少受理条件。"],
        "version.visits_explain": ["需要到现场办理的，须说明原因。"],
        "version.fee_basis": ["收费事项缺少收费依据。"],
        "version.fees": ["收费事项缺少收费项目。"],
        "version.materials": ["缺少申请材料。"],
    }
    assert refused.value.message == (
        "不能发布：缺少设定依据。；缺少受理条件。；需要到现场办理的，须说明原因。；"
        "收费事项缺少收费依据。；收费事项缺少收费项目。；缺少申请材料。"
    )
    draft.refresh_from_db()
    assert (draft.status, draft.matter.status, draft.matter.current_version) == (
        "DRAFT",
        "DRAFT",
        None,
    )


def test_publishing_a_draft_without_limits_or_contacts_names_those_too(db: None) -> None:
    catalogue_import(
        document=documents.document(
            documents.draft_matter(
                "11009000", "二手车交易登记",
                statutory_limit=None, promised_limit=None, visits_required=None,
                consult_phone="", review_authority="", litigation_court="",
                handling_forms=["1"], address="",
            )
        )
    )  # fmt: skip
    draft = MatterVersion.objects.get()

    with pytest.raises(PublishError) as refused:
        matter_version_publish(version_id=draft.pk, by=None, now=NOW)

    assert refused.value.errors == {
        "version.consult_phone": ["缺少咨询电话。"],
        "version.review_authority": ["缺少行政复议机关。"],
        "version.litigation_court": ["缺少行政诉讼法院。"],
        "version.statutory_limit": ["缺少法定办结时限。"],
        "version.promised_limit": ["缺少承诺办结时限。"],
        "version.visits_required": ["缺少到办事现场次数。"],
        "version.address": ["可窗口办理的事项须写明办理地点。"],
    }


def test_publishing_a_complete_draft_makes_it_the_guide_citizens_see(
    db: None, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    document = documents.document()
    document["matters"][0]["versions"].append(
        documents.draft("老年人优待证申领", conditions="年满60周岁的本市户籍居民。")
    )
    catalogue_import(document=document)
    matter = matter_named("老年人优待证办理")
    code = matter.implementation_code
    before = client.get(f"/matters/{code}/")  # the first version's page is now cached
    draft = matter.versions.get(number=2)

    with django_capture_on_commit_callbacks(execute=True):  # what the commit sets off
        published = matter_version_publish(version_id=draft.pk, by=None, now=NOW)

    matter.refresh_from_db()
    assert (published.status, published.published_at) == ("PUBLISHED", NOW)
    assert matter.current_version == draft
    after = client.get(f"/matters/{code}/")
    assert "老年人优待证办理" in before.content.decode()
    page = after.content.decode()
    assert "<h1>老年人优待证申领</h1>" in page
    assert "年满60周岁的本市户籍居民。" in page
    assert "老年人优待证办理" not in page


def test_publishing_the_first_version_puts_the_matter_in_use(db: None, client: Client) -> None:
    catalogue_import(
        document=documents.document(documents.draft_matter("11009000", "二手车交易登记"))
    )
    draft = MatterVersion.objects.get()
    assert client.get(f"/matters/{draft.matter.implementation_code}/").status_code == 404

    matter_version_publish(version_id=draft.pk, by=None, now=NOW)

    draft.matter.refresh_from_db()
    assert draft.matter.status == "IN_USE"
    assert client.get(f"/matters/{draft.matter.implementation_code}/").status_code == 200


def test_a_new_draft_is_a_copy_of_the_current_version_numbered_next(db: None) -> None:
    rich = documents.matter(
        "11009000", "二手车交易登记",
        topics=["P-ELDER", "L-SETUP"], life_events=["P-RETIRE"], is_fee=True, fee_basis="《收费目录》",
        fees=[{"order": 1, "name": "登记费", "standard": "50元", "basis": "", "reducible": False,
               "reduction_basis": ""}],
        faqs=[{"order": 1, "question": "要本人去吗？", "answer": "可以委托。"},
              {"order": 2, "question": "多久办好？", "answer": "5个工作日。"}],
    )  # fmt: skip
    catalogue_import(document=documents.document(rich))
    matter = Matter.objects.get()

    draft = matter_version_draft_create(matter_id=matter.pk, by=None)

    published, copied = exported_versions(matter)
    assert (draft.number, draft.status) == (2, "DRAFT")
    assert copied == {**published, "number": 2, "status": "DRAFT", "published_at": None}
    assert copied["situations"][0]["options"][1]["materials"] == ["M03"]
    assert copied["fees"][0]["name"] == "登记费"
    assert copied["topics"] == ["L-SETUP", "P-ELDER"]


def test_a_new_draft_does_not_change_what_citizens_see(db: None) -> None:
    catalogue_import(document=documents.document())
    matter = matter_named("食品经营许可")

    matter_version_draft_create(matter_id=matter.pk, by=None)

    matter.refresh_from_db()
    assert matter.current_version is not None
    assert matter.current_version.number == 1


def test_a_second_draft_is_refused(db: None) -> None:
    catalogue_import(document=documents.document())
    matter = matter_named("食品经营许可")
    matter_version_draft_create(matter_id=matter.pk, by=None)

    with pytest.raises(ConflictError) as refused:
        matter_version_draft_create(matter_id=matter.pk, by=None)

    assert refused.value.message == "该事项已有草稿版本，请先编辑或发布该草稿。"
    assert matter.versions.count() == 2


def test_a_draft_of_a_never_published_matter_cannot_be_copied(db: None) -> None:
    catalogue_import(
        document=documents.document(documents.draft_matter("11009000", "二手车交易登记"))
    )
    matter = Matter.objects.get()
    MatterVersion.objects.filter(matter=matter).delete()

    with pytest.raises(ConflictError) as refused:
        matter_version_draft_create(matter_id=matter.pk, by=None)

    assert refused.value.message == "该事项还没有已发布的版本可供复制。"


def test_a_published_version_cannot_be_published_again(catalogue: dict[str, Any]) -> None:
    version = matter_named("食品经营许可").versions.get()

    with pytest.raises(ConflictError) as refused:
        matter_version_publish(version_id=version.pk, by=None, now=NOW)

    assert refused.value.message == "第1版已经发布，不能再次发布。"
    assert refused.value.status_code == 409


def test_re_importing_a_changed_published_version_is_refused_as_immutable(
    catalogue: dict[str, Any],
) -> None:
    changed = documents.document()
    changed["matters"][1]["versions"][0]["conditions"] = "改过的受理条件。"

    with pytest.raises(CatalogueImportError) as refused:
        catalogue_import(document=changed)

    assert refused.value.errors == {
        "matters[1].versions[0]": [
            "第1版已发布，发布后的版本不可修改；请以新的版本号导入修改内容。"
        ]
    }
    assert matter_named("食品经营许可").versions.get().conditions == (
        "1. 申请人具有完全民事行为能力。\n2. 材料真实有效。"
    )


def test_re_importing_a_changed_published_version_is_refused_whatever_the_letter_case(
    catalogue: dict[str, Any],
) -> None:
    changed = documents.document()
    food = changed["matters"][1]
    food["implementation_code"] = food["implementation_code"].lower()
    food["versions"][0]["conditions"] = "改过的受理条件。"

    with pytest.raises(CatalogueImportError) as refused:
        catalogue_import(document=changed)

    assert list(refused.value.errors) == ["matters[1].versions[0]"]


def test_a_draft_numbered_before_a_published_version_is_refused(db: None) -> None:
    document = documents.document()
    elder = document["matters"][0]
    elder["versions"] = [
        {**elder["versions"][0], "number": 2},
        documents.draft("老年人优待证办理", number=1),
    ]

    with pytest.raises(CatalogueImportError) as refused:
        catalogue_import(document=document)

    assert list(refused.value.errors) == ["matters[0].versions[1].number"]


def test_re_importing_a_published_version_as_a_draft_is_refused(
    catalogue: dict[str, Any],
) -> None:
    changed = documents.document()
    changed["matters"][1]["versions"][0].update(status="DRAFT", published_at=None)
    changed["matters"][1]["status"] = "DRAFT"

    with pytest.raises(CatalogueImportError) as refused:
        catalogue_import(document=changed)

    assert refused.value.errors == {
        "matters[1].versions[0].status": ["第1版已发布，不能改回草稿。"]
    }


def test_re_importing_an_unchanged_published_version_is_accepted(
    catalogue: dict[str, Any],
) -> None:
    report = catalogue_import(document=documents.document())

    assert report == ImportReport(
        regions=3, departments=2, matters=3, versions_created=0, versions_unchanged=3
    )
    assert MatterVersion.objects.count() == 3


def test_importing_a_draft_again_replaces_the_draft(catalogue: dict[str, Any]) -> None:
    document = documents.document()
    document["matters"][1]["versions"].append(documents.draft("食品经营许可", summary="第一稿"))
    catalogue_import(document=document)
    document["matters"][1]["versions"][1]["summary"] = "第二稿"

    catalogue_import(document=document)

    assert list(
        matter_named("食品经营许可").versions.order_by("number").values_list("number", "summary")
    ) == [(1, "食品经营许可的办事指南。"), (2, "第二稿")]


def test_retiring_needs_a_reason(catalogue: dict[str, Any]) -> None:
    matter = matter_named("食品经营许可")

    with pytest.raises(DomainError) as refused:
        matter_retire(matter_id=matter.pk, by=None, now=NOW, reason="  ")

    assert refused.value.errors == {"reason": ["请填写停用原因。"]}
    matter.refresh_from_db()
    assert matter.status == "IN_USE"


def test_a_retired_matter_is_hidden_from_citizens_but_keeps_its_versions(
    catalogue: dict[str, Any], client: Client
) -> None:
    matter = matter_named("食品经营许可")
    code = matter.implementation_code

    matter_retire(matter_id=matter.pk, by=None, now=NOW, reason="职能调整")

    matter.refresh_from_db()
    assert (matter.status, matter.retired_at, matter.retired_reason) == (
        "RETIRED",
        NOW,
        "职能调整",
    )
    assert MatterVersion.objects.filter(matter=matter).count() == 1
    assert client.get(f"/matters/{code}/").status_code == 404
    assert client.get(f"/api/v1/matters/{code}/").status_code == 404
    assert "食品经营许可" not in client.get("/matters/").content.decode()
    assert client.get("/api/v1/matters/", {"search": "食品经营"}).json()["count"] == 0
    assert "找到 0 个事项" in client.get("/search/", {"q": "食品经营许可"}).content.decode()


def test_a_reinstated_matter_is_back_with_its_last_published_version(
    catalogue: dict[str, Any], client: Client
) -> None:
    matter = matter_named("食品经营许可")
    matter_retire(matter_id=matter.pk, by=None, now=NOW, reason="职能调整")

    matter_reinstate(matter_id=matter.pk, by=None)

    matter.refresh_from_db()
    assert (matter.status, matter.retired_at, matter.retired_reason) == ("IN_USE", None, "")
    assert client.get(f"/matters/{matter.implementation_code}/").status_code == 200
    assert client.get("/api/v1/matters/", {"search": "食品经营"}).json()["count"] == 1


def test_only_a_matter_in_use_can_be_retired_and_only_a_retired_one_reinstated(
    catalogue: dict[str, Any],
) -> None:
    matter = matter_named("食品经营许可")

    with pytest.raises(ConflictError) as not_retired:
        matter_reinstate(matter_id=matter.pk, by=None)
    matter_retire(matter_id=matter.pk, by=None, now=NOW, reason="职能调整")
    with pytest.raises(ConflictError) as already_retired:
        matter_retire(matter_id=matter.pk, by=None, now=NOW, reason="再次停用")

    assert not_retired.value.message == "只有已停用的事项可以恢复。"
    assert already_retired.value.message == "只有在用的事项可以停用。"


def test_a_draft_of_a_retired_matter_cannot_be_published(catalogue: dict[str, Any]) -> None:
    matter = matter_named("食品经营许可")
    draft = matter_version_draft_create(matter_id=matter.pk, by=None)
    matter_retire(matter_id=matter.pk, by=None, now=NOW, reason="职能调整")

    with pytest.raises(ConflictError) as refused:
        matter_version_publish(version_id=draft.pk, by=None, now=NOW)

    assert refused.value.message == "事项已停用，不能发布新版本；请先恢复事项。"


def test_the_database_refuses_a_promised_limit_longer_than_the_statutory_one(
    catalogue: dict[str, Any],
) -> None:
    draft = matter_version_draft_create(matter_id=matter_named("食品经营许可").pk, by=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        MatterVersion.objects.filter(pk=draft.pk).update(statutory_limit=20, promised_limit=21)


def test_the_database_refuses_a_second_draft(catalogue: dict[str, Any]) -> None:
    matter = matter_named("食品经营许可")
    matter_version_draft_create(matter_id=matter.pk, by=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        MatterVersion.objects.create(
            matter=matter, number=3, status="DRAFT", name="食品经营许可", matter_type="01",
            exercise_level="3",
        )  # fmt: skip
