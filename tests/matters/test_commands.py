"""catalogue_export and catalogue_import on the command line."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import CommandError, call_command

import pytest

from matters.serialization import catalogue_to_document
from tests.matters import documents


def test_an_exported_file_is_read_back_by_the_import(
    catalogue: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "catalogue.json"
    call_command("catalogue_export", str(path), stderr=StringIO())
    exported = catalogue_to_document()
    documents.catalogue_erase()
    out = StringIO()

    call_command("catalogue_import", str(path), stdout=out)

    assert json.loads(path.read_text(encoding="utf-8")) == exported
    assert catalogue_to_document() == exported
    assert out.getvalue() == (
        "Imported 3 matters (3 versions written, 0 already published and unchanged), "
        "2 departments, 3 regions.\n"
    )


def test_the_export_goes_to_standard_output_without_a_path(catalogue: dict[str, Any]) -> None:
    out = StringIO()

    call_command("catalogue_export", stdout=out)

    assert json.loads(out.getvalue()) == catalogue_to_document()


def test_importing_a_bad_file_fails_and_prints_every_path(db: None, tmp_path: Path) -> None:
    document = documents.document()
    document["matters"][0]["region"] = "440399"
    document["matters"][2]["versions"][0]["materials"][0]["name"] = ""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("catalogue_import", str(path), stderr=err)

    assert str(failed.value) == "导入失败：发现2处问题，未导入任何内容。"
    assert err.getvalue().splitlines() == [
        "matters[0].region: 行政区划“440399”不存在。",
        "matters[2].versions[0].materials[0].name: 请填写材料名称。",
    ]
    assert documents.row_counts() == dict.fromkeys(documents.row_counts(), 0)


def test_importing_a_file_that_is_not_json_fails_readably(db: None, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(CommandError, match="无法读取目录文件"):
        call_command("catalogue_import", str(path))


def test_importing_a_missing_file_fails_readably(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="无法读取目录文件"):
        call_command("catalogue_import", str(tmp_path / "missing.json"))
