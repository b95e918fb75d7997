"""The catalogue in the Django admin: who sees what, importing, publishing, read-only versions."""

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest

from accounts.choices import Role
from accounts.models import User
from accounts.services import staff_create
from matters.models import Department, DepartmentMembership, Matter, MatterVersion, Region
from matters.services import catalogue_import
from tests.auth import sign_in
from tests.matters import documents


@pytest.fixture
def department_admin_client(groups: None, catalogue: dict[str, Any]) -> Client:
    """A department admin of the city market regulator (not of the district health bureau)."""
    user = staff_create(
        username="market", password="pw-market-1", real_name="市场监管局管理员",
        roles=[Role.DEPARTMENT_ADMIN],
    )  # fmt: skip
    DepartmentMembership.objects.create(
        user=user,
        department=Department.objects.get(uscc=documents.MARKET),
        role=Role.DEPARTMENT_ADMIN,
    )
    client = Client()
    sign_in(client, user)
    return client


def upload(document: object) -> SimpleUploadedFile:
    content = json.dumps(document, ensure_ascii=False).encode()
    return SimpleUploadedFile("catalogue.json", content, content_type="application/json")


def action(client: Client, url: str, name: str, pks: list[int], **extra: str) -> str:
    """Run a changelist action on the selected rows; return the page shown afterwards."""
    response = client.post(
        url, {"action": name, "_selected_action": pks, "index": 0, **extra}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def version_named(name: str) -> MatterVersion:
    return MatterVersion.objects.get(name=name)


def test_the_catalogue_admin_sees_every_matter_in_the_changelist(
    admin_client: Client, catalogue: dict[str, Any]
) -> None:
    response = admin_client.get("/admin/matters/matter/")

    page = response.content.decode()
    assert response.status_code == 200
    for name in ("老年人优待证办理", "食品经营许可", "放射诊疗许可"):
        assert f'<td class="field-current_name">{name}</td>' in page
    assert "导入事项目录（JSON）" in page


def test_the_admin_speaks_chinese(admin_client: Client, catalogue: dict[str, Any]) -> None:
    page = admin_client.get("/admin/").content.decode()

    assert "通办 · 一网通办管理后台" in page
    assert "事项版本" in page


def test_the_catalogue_admin_opens_the_change_form_of_a_draft(
    admin_client: Client, db: None
) -> None:
    catalogue_import(
        document=documents.document(documents.draft_matter("11009000", "二手车交易登记"))
    )
    draft = version_named("二手车交易登记")

    response = admin_client.get(f"/admin/matters/matterversion/{draft.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' in page
    assert 'value="二手车交易登记"' in page


def test_a_published_version_can_be_looked_at_but_not_saved(
    admin_client: Client, catalogue: dict[str, Any]
) -> None:
    version = version_named("食品经营许可")
    url = f"/admin/matters/matterversion/{version.pk}/change/"

    shown = admin_client.get(url)
    posted = admin_client.post(url, {"name": "改名", "matter": version.matter_id})

    assert shown.status_code == 200
    assert 'name="_save"' not in shown.content.decode()
    assert posted.status_code == 403
    version.refresh_from_db()
    assert version.name == "食品经营许可"


def test_the_catalogue_admin_opens_the_import_page(admin_client: Client) -> None:
    response = admin_client.get("/admin/matters/matter/import/")

    assert response.status_code == 200
    assert 'name="file"' in response.content.decode()


def test_uploading_a_bad_document_shows_its_problems_and_imports_nothing(
    admin_client: Client,
) -> None:
    document = documents.document()
    document["matters"][1]["region"] = "440399"

    response = admin_client.post("/admin/matters/matter/import/", {"file": upload(document)})

    page = response.content.decode()
    assert response.status_code == 200
    assert '<p class="errornote">导入失败：发现1处问题，未导入任何内容。</p>' in page
    assert "<li>matters[1].region: 行政区划“440399”不存在。</li>" in page
    assert documents.row_counts() == dict.fromkeys(documents.row_counts(), 0)


def test_uploading_a_file_that_is_not_json_says_so(admin_client: Client) -> None:
    bad = SimpleUploadedFile("catalogue.json", b"\xff\xfe not json")

    response = admin_client.post("/admin/matters/matter/import/", {"file": bad})

    assert '<p class="errornote">文件不是有效的UTF-8 JSON。</p>' in response.content.decode()


def test_uploading_a_good_document_imports_it(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/matters/matter/import/", {"file": upload(documents.document())}, follow=True
    )

    assert response.redirect_chain == [("/admin/matters/matter/", 302)]
    assert "已导入3个事项（写入3个版本）。" in response.content.decode()
    assert Matter.objects.visible().count() == 3


def test_the_publish_action_publishes_a_complete_draft(admin_client: Client, db: None) -> None:
    document = documents.document()
    document["matters"][1]["versions"].append(documents.draft("食品经营许可（餐饮）"))
    catalogue_import(document=document)
    draft = version_named("食品经营许可（餐饮）")

    page = action(admin_client, "/admin/matters/matterversion/", "action_publish", [draft.pk])

    assert "食品经营许可（餐饮） v2：已发布。" in page
    draft.refresh_from_db()
    assert draft.status == "PUBLISHED"
    assert draft.published_by is not None
    assert draft.published_by.username == "catalogue"


def test_the_publish_action_reports_what_an_incomplete_draft_lacks(
    admin_client: Client, db: None
) -> None:
    catalogue_import(
        document=documents.document(
            documents.draft_matter("11009000", "二手车交易登记", conditions="", legal_basis="")
        )
    )
    draft = version_named("二手车交易登记")

    page = action(admin_client, "/admin/matters/matterversion/", "action_publish", [draft.pk])

    assert "不能发布：缺少设定依据。；缺少受理条件。" in page
    draft.refresh_from_db()
    assert draft.status == "DRAFT"


def test_the_preview_of_a_draft_lists_what_it_still_lacks(admin_client: Client, db: None) -> None:
    catalogue_import(
        document=documents.document(
            documents.draft_matter("11009000", "二手车交易登记", conditions="")
        )
    )
    draft = version_named("二手车交易登记")

    response = admin_client.get(f"/admin/matters/matterversion/{draft.pk}/preview/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<li>version.conditions: 缺少受理条件。</li>" in page
    assert "<h1>二手车交易登记</h1>" in page


def test_the_retire_action_needs_a_reason(admin_client: Client, catalogue: dict[str, Any]) -> None:
    food = Matter.objects.get(current_version__name="食品经营许可")

    refused = action(admin_client, "/admin/matters/matter/", "action_retire", [food.pk], reason="")
    retired = action(
        admin_client, "/admin/matters/matter/", "action_retire", [food.pk], reason="职能调整"
    )

    assert "请填写停用原因。" in refused
    assert f"{food.implementation_code}：已停用。" in retired
    food.refresh_from_db()
    assert (food.status, food.retired_reason) == ("RETIRED", "职能调整")


def test_the_new_draft_action_copies_the_current_version(
    admin_client: Client, catalogue: dict[str, Any]
) -> None:
    food = Matter.objects.get(current_version__name="食品经营许可")

    page = action(admin_client, "/admin/matters/matter/", "action_new_draft", [food.pk])

    assert f"{food.implementation_code}：已新建第2版草稿。" in page
    assert list(food.versions.order_by("number").values_list("number", "status")) == [
        (1, "PUBLISHED"),
        (2, "DRAFT"),
    ]


def test_the_export_action_downloads_the_selected_matters(
    admin_client: Client, catalogue: dict[str, Any]
) -> None:
    food = Matter.objects.get(current_version__name="食品经营许可")

    response = admin_client.post(
        "/admin/matters/matter/",
        {"action": "action_export", "_selected_action": [food.pk], "index": 0},
    )

    assert response["Content-Disposition"] == 'attachment; filename="catalogue.json"'
    exported = json.loads(response.content)
    assert [m["implementation_code"] for m in exported["matters"]] == [food.implementation_code]


def test_a_department_admin_sees_only_their_departments_matters(
    department_admin_client: Client,
) -> None:
    response = department_admin_client.get("/admin/matters/matter/")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<td class="field-current_name">老年人优待证办理</td>' in page
    assert '<td class="field-current_name">食品经营许可</td>' in page
    assert "放射诊疗许可" not in page
    assert "导入事项目录（JSON）" not in page


def test_a_department_admin_cannot_open_another_departments_matter(
    department_admin_client: Client,
) -> None:
    radiation = Matter.objects.get(current_version__name="放射诊疗许可")
    version = radiation.versions.get()

    matter_page = department_admin_client.get(f"/admin/matters/matter/{radiation.pk}/change/")
    version_page = department_admin_client.get(f"/admin/matters/matterversion/{version.pk}/change/")
    preview = department_admin_client.get(f"/admin/matters/matterversion/{version.pk}/preview/")

    # The admin answers an object outside the user's queryset as "does not exist": back to the index.
    assert (matter_page.status_code, matter_page["Location"]) == (302, "/admin/")
    assert (version_page.status_code, version_page["Location"]) == (302, "/admin/")
    assert preview.status_code == 403


def test_a_department_admin_cannot_import_a_catalogue(department_admin_client: Client) -> None:
    response = department_admin_client.get("/admin/matters/matter/import/")

    assert response.status_code == 403


def test_a_department_admin_cannot_retire_another_departments_matter(
    department_admin_client: Client,
) -> None:
    radiation = Matter.objects.get(current_version__name="放射诊疗许可")

    action(
        department_admin_client, "/admin/matters/matter/", "action_retire", [radiation.pk],
        reason="越权停用",
    )  # fmt: skip

    radiation.refresh_from_db()
    assert radiation.status == "IN_USE"


def test_a_citizen_cannot_enter_the_admin(client: Client, citizen: User) -> None:
    sign_in(client, citizen)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


def test_adding_a_department_with_a_bad_credit_code_shows_the_problem(
    admin_client: Client, catalogue: dict[str, Any]
) -> None:
    city = Region.objects.get(code=documents.CITY)

    response = admin_client.post(
        "/admin/matters/department/add/",
        {"uscc": "11440300MB0000107X", "name": "深圳市新部门", "region": city.pk, "kind": "1"},
    )

    assert response.status_code == 200
    assert "统一社会信用代码“11440300MB0000107X”无效：应为18位，且校验位正确。" in (
        response.content.decode()
    )
    assert not Department.objects.filter(name="深圳市新部门").exists()


def test_adding_a_matter_whose_code_is_not_its_departments_shows_the_problem(
    admin_client: Client, catalogue: dict[str, Any]
) -> None:
    health = Department.objects.get(uscc=documents.HEALTH)
    county = Region.objects.get(code=documents.COUNTY)
    code = documents.MARKET + "4000111009000"

    response = admin_client.post(
        "/admin/matters/matter/add/",
        {
            "implementation_code": code, "catalog_code": "000111009000", "department": health.pk,
            "region": county.pk, "versions-TOTAL_FORMS": 0, "versions-INITIAL_FORMS": 0,
        },
    )  # fmt: skip

    assert response.status_code == 200
    assert (
        f"实施编码前18位“{documents.MARKET}”应为实施主体的统一社会信用代码“{documents.HEALTH}”。"
    ) in response.content.decode()
    assert not Matter.objects.filter(implementation_code=code).exists()


def test_adding_a_matter_with_consistent_codes_creates_a_draft_matter(
    admin_client: Client, catalogue: dict[str, Any]
) -> None:
    health = Department.objects.get(uscc=documents.HEALTH)
    county = Region.objects.get(code=documents.COUNTY)
    code = documents.HEALTH + "4000111009000"

    response = admin_client.post(
        "/admin/matters/matter/add/",
        {
            "implementation_code": code.lower(), "catalog_code": "000111009000",
            "department": health.pk, "region": county.pk,
            "versions-TOTAL_FORMS": 0, "versions-INITIAL_FORMS": 0,
        },
    )  # fmt: skip

    assert response.status_code == 302
    assert Matter.objects.get(implementation_code=code).status == "DRAFT"


def test_a_department_admin_cannot_create_a_matter_for_another_department(
    department_admin_client: Client,
) -> None:
    health = Department.objects.get(uscc=documents.HEALTH)
    county = Region.objects.get(code=documents.COUNTY)
    code = documents.HEALTH + "4000111009000"

    response = department_admin_client.post(
        "/admin/matters/matter/add/",
        {
            "implementation_code": code, "catalog_code": "000111009000", "department": health.pk,
            "region": county.pk, "versions-TOTAL_FORMS": 0, "versions-INITIAL_FORMS": 0,
        },
    )  # fmt: skip

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["department"]
    assert errors[0] == "选择一个有效的选项： 该选择不在可用的选项中。"
    assert not Matter.objects.filter(implementation_code=code).exists()
