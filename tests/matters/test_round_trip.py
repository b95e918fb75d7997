"""Export → import into an empty database → export gives the same document (docs/catalogue-format.md)."""

import base64
import json
from pathlib import Path
from typing import Any

from django.utils import timezone

import pytest
from pytest_django import Settings

from matters.models import Matter
from matters.serialization import catalogue_to_document
from matters.services import (
    ImportReport,
    catalogue_import,
    matter_retire,
    matter_version_draft_create,
)
from tests.matters import documents

DEMO_CATALOGUE = Path(__file__).resolve().parents[2] / "matters" / "demo" / "catalogue.json"
FORM = b"PK\x03\x04 a small blank form"


@pytest.fixture(autouse=True)
def _media(settings: Settings, tmp_path: Path) -> None:
    """Attachments of each test go to a folder of their own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def rich_document() -> dict[str, Any]:
    """The small catalogue plus an attachment, a fee, a pending draft and a retired matter."""
    document = documents.document()
    elder, food, _radiation = document["matters"]
    elder["versions"][0]["materials"][0]["blank_form"] = documents.attachment("申请表.docx", FORM)
    elder["versions"][0]["materials"][1]["sample"] = documents.attachment("示例.pdf", b"%PDF-1.4")
    elder["versions"].append(
        documents.draft("老年人优待证申领", conditions="年满60周岁。", life_events=["P-RETIRE"])
    )
    food["versions"][0].update(
        is_fee=True,
        fee_basis="《收费目录》",
        fees=[
            {"order": 1, "name": "工本费", "standard": "10元/证", "basis": "", "reducible": True,
             "reduction_basis": "低保对象免收"},
        ],
    )  # fmt: skip
    food["status"] = "RETIRED"
    return document


def test_export_import_into_an_empty_database_and_export_again_gives_the_same_document(
    db: None,
) -> None:
    catalogue_import(document=rich_document())
    first = catalogue_to_document()
    documents.catalogue_erase()  # the attachments stay in the media folder

    catalogue_import(document=json.loads(json.dumps(first)))

    assert catalogue_to_document() == first


def test_an_export_carries_the_attachments_drafts_and_retired_matters(db: None) -> None:
    catalogue_import(document=rich_document())

    exported = catalogue_to_document()

    elder = next(m for m in exported["matters"] if m["versions"][0]["name"] == "老年人优待证办理")
    food = next(m for m in exported["matters"] if m["versions"][0]["name"] == "食品经营许可")
    assert elder["versions"][0]["materials"][0]["blank_form"] == {
        "name": "申请表.docx",
        "content_base64": base64.b64encode(FORM).decode(),
    }
    assert [(v["number"], v["status"], v["published_at"]) for v in elder["versions"]] == [
        (1, "PUBLISHED", "2025-01-02T09:00:00+08:00"),
        (2, "DRAFT", None),
    ]
    assert food["status"] == "RETIRED"
    assert food["versions"][0]["fees"][0]["reduction_basis"] == "低保对象免收"


def test_importing_an_export_into_the_same_database_changes_nothing(db: None) -> None:
    catalogue_import(document=rich_document())
    exported = catalogue_to_document()

    report = catalogue_import(document=exported)

    assert report == ImportReport(
        regions=3, departments=2, matters=3, versions_created=1, versions_unchanged=3
    )
    assert catalogue_to_document() == exported


def test_materials_with_attachments_of_the_same_name_can_be_imported_again(db: None) -> None:
    document = documents.document()
    for index, matter in enumerate(document["matters"]):
        matter["versions"][0]["materials"][0]["blank_form"] = documents.attachment(
            "申请表.docx", FORM + bytes([index])
        )
    catalogue_import(document=document)

    report = catalogue_import(document=document)

    assert report.versions_unchanged == 3


def test_attachments_keep_their_names_and_contents_through_the_round_trip(db: None) -> None:
    document = documents.document()
    for index, matter in enumerate(document["matters"]):
        matter["versions"][0]["materials"][0]["blank_form"] = documents.attachment(
            "申请表.docx", FORM + bytes([index])
        )
    catalogue_import(document=document)

    exported = catalogue_to_document()

    assert sorted(
        (m["implementation_code"], m["versions"][0]["materials"][0]["blank_form"])
        for m in exported["matters"]
    ) == sorted(
        (m["implementation_code"], m["versions"][0]["materials"][0]["blank_form"])
        for m in document["matters"]
    )


def test_a_new_draft_keeps_the_attachment_of_the_version_it_copies(db: None) -> None:
    document = documents.document()
    document["matters"][0]["versions"][0]["materials"][0]["blank_form"] = documents.attachment(
        "申请表.docx", FORM
    )
    catalogue_import(document=document)
    elder = Matter.objects.get(current_version__name="老年人优待证办理")

    matter_version_draft_create(matter_id=elder.pk, by=None)

    exported = next(
        m
        for m in catalogue_to_document()["matters"]
        if m["implementation_code"] == elder.implementation_code
    )
    assert [v["materials"][0]["blank_form"] for v in exported["versions"]] == [
        documents.attachment("申请表.docx", FORM),
        documents.attachment("申请表.docx", FORM),
    ]


def test_the_reason_a_matter_was_retired_survives_the_round_trip(db: None) -> None:
    catalogue_import(document=documents.document())
    food = Matter.objects.get(current_version__name="食品经营许可")
    matter_retire(matter_id=food.pk, by=None, now=timezone.now(), reason="职能划转至区级")
    exported = catalogue_to_document()
    documents.catalogue_erase()

    catalogue_import(document=exported)

    assert (
        Matter.objects.get(current_version__name="食品经营许可").retired_reason == "职能划转至区级"
    )


@pytest.mark.skipif(not DEMO_CATALOGUE.exists(), reason="matters/demo/catalogue.json not built yet")
def test_the_demo_catalogue_imports_and_round_trips_unchanged(
    db: None, settings: Settings, tmp_path: Path
) -> None:
    demo = json.loads(DEMO_CATALOGUE.read_text(encoding="utf-8"))
    report = catalogue_import(document=demo)
    first = catalogue_to_document()
    documents.catalogue_erase()
    settings.MEDIA_ROOT = str(tmp_path / "new-server-media")

    catalogue_import(document=first)

    assert report.matters == len(demo["matters"])
    assert catalogue_to_document() == first
