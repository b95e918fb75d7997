"""The citizen's pages, as a citizen sees them: apply from a guide in four steps, check and submit,
follow the case (补正, 容缺, withdraw), and track it publicly by its query number."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

import pytest
from pytest_django import Settings

from accounts.models import User
from applications import services
from applications.choices import EventKind, MaterialSource, Status
from applications.models import Application, ApplicationMaterial
from matters.models import Matter
from matters.services import catalogue_import
from tests.applications.conftest import GOOD_ANSWERS, PDF, draft_ready, pdf, workflow_document
from tests.auth import sign_in
from tests.html import visible_text
from tests.matters import documents

pytestmark = pytest.mark.django_db

HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def start_draft(client: Client, matter: Matter) -> Application:
    """Start an application as a browser does: read the start page's client_key and POST it."""
    url = f"/matters/{matter.implementation_code}/apply/"
    found = re.search(r'name="client_key" value="([0-9a-f]{32})"', client.get(url).content.decode())
    assert found is not None
    response = client.post(url, {"client_key": found[1]})
    application = Application.objects.get(client_key=found[1])
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{application.pk}/apply/situation/"
    return application


def material_item(html: str, key: str) -> str:
    """The list item of one material on the materials step."""
    found = re.search(rf'<li id="m-{key}".*?</li>', html, re.S)
    assert found is not None, key
    return found[0]


def upload(client: Client, url: str, key: str, file: SimpleUploadedFile) -> Any:
    return client.post(url, {"material_key": key, "file": file})


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    """Each test stores its uploads in its own folder, so it can see what was stored."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def citizen_client(client: Client, applicant: User) -> Client:
    sign_in(client, applicant)
    return client


@pytest.fixture
def offline_matter(groups: None) -> Matter:
    """The workflow catalogue plus a matter that can only be applied for at the window."""
    document = workflow_document()
    document["matters"].append(
        documents.matter(
            "11003000",
            "放射诊疗许可",
            department=documents.HEALTH,
            region=documents.COUNTY,
            level="4",
            is_online=False,
        )
    )
    catalogue_import(document=document)
    return Matter.objects.get(catalog_code__endswith="11003000")


# --- from the guide ------------------------------------------------------------------------


def test_a_signed_out_visitor_following_apply_online_is_sent_to_sign_in_and_back(
    client: Client, workflow_catalogue: dict[str, Matter]
) -> None:
    code = workflow_catalogue["food"].implementation_code
    guide = client.get(f"/matters/{code}/").content.decode()
    link = re.search(r'<a class="button button-primary" href="([^"]+)">在线申请</a>', guide)
    assert link is not None

    response = client.get(link[1])

    assert link[1] == f"/matters/{code}/apply/"
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/sign-in/?next={quote(link[1])}"
    assert Application.objects.count() == 0


def test_the_guide_offers_apply_online_only_for_matters_that_are_online(
    client: Client, offline_matter: Matter
) -> None:
    online = Matter.objects.get(catalog_code__endswith="11002000")

    online_guide = client.get(f"/matters/{online.implementation_code}/")
    offline_guide = client.get(f"/matters/{offline_matter.implementation_code}/")

    assert (online_guide.status_code, offline_guide.status_code) == (200, 200)
    assert "在线申请" in visible_text(online_guide)
    assert "在线申请" not in visible_text(offline_guide)
    assert f"/matters/{offline_matter.implementation_code}/apply/" not in (
        offline_guide.content.decode()
    )


def test_starting_an_offline_matter_makes_no_draft_and_links_back_to_the_guide(
    client: Client, offline_matter: Matter, applicant: User
) -> None:
    sign_in(client, applicant)
    url = f"/matters/{offline_matter.implementation_code}/apply/"

    response = client.post(url, {"client_key": "k-offline"})

    assert response.status_code == 400
    assert f'href="/matters/{offline_matter.implementation_code}/"' in response.content.decode()
    assert Application.objects.count() == 0


def test_starting_an_offline_matter_tells_the_citizen_why(
    client: Client, offline_matter: Matter, applicant: User
) -> None:
    sign_in(client, applicant)
    url = f"/matters/{offline_matter.implementation_code}/apply/"

    response = client.post(url, {"client_key": "k-offline"}, follow=True)

    assert "该事项暂不支持网上办理，请到办事窗口申请。" in visible_text(response)


def test_starting_twice_with_the_same_client_key_makes_one_draft(
    citizen_client: Client, workflow_catalogue: dict[str, Matter]
) -> None:
    url = f"/matters/{workflow_catalogue['food'].implementation_code}/apply/"

    first = citizen_client.post(url, {"client_key": "same-key"})
    second = citizen_client.post(url, {"client_key": "same-key"})

    application = Application.objects.get()
    assert first["Location"] == second["Location"]
    assert first["Location"] == f"/applications/{application.pk}/apply/situation/"


# --- the four steps, check and submit ---------------------------------------------------------


def test_a_citizen_applies_step_by_step_and_sees_the_confirmation(
    citizen_client: Client, workflow_catalogue: dict[str, Matter]
) -> None:
    application = start_draft(citizen_client, workflow_catalogue["food"])
    base = f"/applications/{application.pk}"

    situation = citizen_client.post(f"{base}/apply/situation/", {"Q1": "Q1A"})
    form = citizen_client.post(f"{base}/apply/form/", GOOD_ANSWERS)
    uploads = [upload(citizen_client, f"{base}/apply/materials/", k, pdf()) for k in ("M01", "M02")]
    choices = [
        citizen_client.post(f"{base}/apply/materials/", {"material_key": k, "source": source})
        for k, source in (("M04", "DEFICIENCY"), ("M05", "COMMITMENT"))
    ]
    delivery = citizen_client.post(f"{base}/apply/delivery/", {"delivery_method": "WINDOW"})
    check = citizen_client.get(f"{base}/check/")
    submit = citizen_client.post(f"{base}/check/")
    confirmation = citizen_client.get(submit["Location"])

    assert situation["Location"] == f"{base}/apply/form/"
    assert form["Location"] == f"{base}/apply/materials/"
    assert [r["Location"] for r in uploads + choices] == [f"{base}/apply/materials/"] * 4
    assert delivery["Location"] == f"{base}/check/"
    assert check.status_code == 200
    assert "提交前请完成以下内容" not in visible_text(check)
    assert "好味小馆" in visible_text(check)
    assert "容缺后补" in visible_text(check)
    assert "窗口领取" in visible_text(check)
    assert submit["Location"] == f"{base}/submitted/"
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
    assert application.reference
    assert application.query_no
    assert application.intake_deadline is not None
    deadline = timezone.localtime(application.intake_deadline).strftime("%Y-%m-%d")
    text = visible_text(confirmation)
    assert confirmation.status_code == 200
    assert f"申报号{application.reference}" in text
    assert f"查询号：{application.query_no}" in text
    assert f"受理期限{deadline} 前告知是否受理" in text


def test_invalid_answers_show_each_error_and_a_summary_and_the_draft_keeps_them(
    citizen_client: Client, workflow_catalogue: dict[str, Matter]
) -> None:
    application = start_draft(citizen_client, workflow_catalogue["food"])
    url = f"/applications/{application.pk}/apply/form/"

    response = citizen_client.post(url, {"shop_name": "好", "area": "八十", "category": ""})

    html = response.content.decode()
    assert response.status_code == 400
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary is not None
    assert re.findall(r'<li><a href="#(f-[a-z_]+)">([^<]+)</a></li>', summary[0]) == [
        ("f-shop_name", "店铺名称：至少填写 2 个字。"),
        ("f-area", "经营面积（平方米）：请填写数字。"),
        ("f-category", "经营类别：请填写“经营类别”。"),
    ]
    assert '<p class="field-error" id="f-area-error">' in html
    assert 'id="f-shop_name" name="shop_name" type="text" value="好"' in html
    assert 'id="f-area" name="area" type="text" value="八十"' in html
    application.refresh_from_db()
    assert application.answers["shop_name"] == "好"
    assert application.answers["area"] == "八十"
    assert application.status == Status.DRAFT


@pytest.mark.parametrize(
    ("file", "message"),
    [
        pytest.param(
            SimpleUploadedFile("scan.pdf", HTML_AS_PDF, content_type="application/pdf"),
            "只能上传 PDF、JPG、PNG 或 OFD 文件；该文件的内容是 HTML 网页或 XML 文本。",
            id="html_named_pdf_case",
        ),
        pytest.param(
            SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"),
            "文件是空的，请重新选择文件。",
            id="empty_file_case",
        ),
    ],
)
def test_a_refused_upload_is_explained_at_its_material_and_stores_nothing(
    citizen_client: Client,
    workflow_catalogue: dict[str, Matter],
    media: Path,
    file: SimpleUploadedFile,
    message: str,
) -> None:
    application = start_draft(citizen_client, workflow_catalogue["food"])
    url = f"/applications/{application.pk}/apply/materials/"
    citizen_client.post(f"/applications/{application.pk}/apply/situation/", {"Q1": "Q1A"})

    response = upload(citizen_client, url, "M02", file)

    html = response.content.decode()
    assert response.status_code == 400
    assert f'<p class="field-error" role="alert">{message}</p>' in material_item(html, "M02")
    assert message not in material_item(html, "M01")
    assert 'class="material has-error"' in material_item(html, "M02")
    assert ApplicationMaterial.objects.count() == 0
    assert [path for path in media.rglob("*") if path.is_file()] == []


def test_deficiency_and_commitment_are_offered_only_for_the_materials_that_allow_them(
    citizen_client: Client, workflow_catalogue: dict[str, Matter]
) -> None:
    application = start_draft(citizen_client, workflow_catalogue["food"])
    citizen_client.post(f"/applications/{application.pk}/apply/situation/", {"Q1": "Q1B"})

    html = citizen_client.get(f"/applications/{application.pk}/apply/materials/").content.decode()

    offered = {
        key: (
            'value="DEFICIENCY"' in material_item(html, key),
            'value="COMMITMENT"' in material_item(html, key),
        )
        for key in ("M01", "M02", "M03", "M04", "M05")
    }
    assert offered == {
        "M01": (False, False),
        "M02": (False, False),
        "M03": (False, False),
        "M04": (True, False),
        "M05": (False, True),
    }


def test_choosing_deficiency_where_it_is_not_allowed_is_refused_at_that_material(
    citizen_client: Client, workflow_catalogue: dict[str, Matter]
) -> None:
    application = start_draft(citizen_client, workflow_catalogue["food"])
    citizen_client.post(f"/applications/{application.pk}/apply/situation/", {"Q1": "Q1A"})

    response = citizen_client.post(
        f"/applications/{application.pk}/apply/materials/",
        {"material_key": "M01", "source": "DEFICIENCY"},
    )

    assert response.status_code == 400
    assert "这项材料不能容缺后补。" in material_item(response.content.decode(), "M01")
    assert ApplicationMaterial.objects.count() == 0


def test_the_check_page_lists_every_missing_item_and_submitting_is_refused(
    citizen_client: Client, workflow_catalogue: dict[str, Matter]
) -> None:
    application = start_draft(citizen_client, workflow_catalogue["food"])
    base = f"/applications/{application.pk}"
    citizen_client.post(f"{base}/apply/situation/", {"Q1": "Q1A"})
    citizen_client.post(f"{base}/apply/delivery/", {"delivery_method": "MAIL"})

    check = citizen_client.get(f"{base}/check/")
    submit = citizen_client.post(f"{base}/check/")

    summary = re.search(r'<div class="error-summary".*?</div>', check.content.decode(), re.S)
    assert summary is not None
    assert re.findall(r"<li>([^<]+)</li>", summary[0]) == [
        "请填写“店铺名称”。",
        "请填写“经营面积（平方米）”。",
        "请填写“经营类别”。",
        "请提交“申请表”。",
        "请提交“居民身份证”。",
        "请提交“卫生检测报告”。",
        "请提交“场所使用证明”。",
        "请填写邮寄地址。",
    ]
    assert check.status_code == 400
    assert submit.status_code == 400
    assert "请提交“申请表”。" in visible_text(submit)
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert application.reference is None


def test_submitting_the_check_page_twice_yields_one_application(
    citizen_client: Client, applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    url = f"/applications/{draft.pk}/check/"

    first = citizen_client.post(url)
    second = citizen_client.post(url)

    assert first["Location"] == second["Location"] == f"/applications/{draft.pk}/submitted/"
    assert Application.objects.count() == 1
    assert Application.objects.get().status == Status.RECEIVED
    assert draft.events.filter(kind=EventKind.SUBMITTED).count() == 1


def test_a_draft_is_resumed_in_another_session(
    citizen_client: Client, applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food = workflow_catalogue["food"]
    application = start_draft(citizen_client, food)
    citizen_client.post(f"/applications/{application.pk}/apply/situation/", {"Q1": "Q1B"})
    saved = citizen_client.post(
        f"/applications/{application.pk}/apply/form/",
        {"shop_name": "好味小馆", "agent_name": "王代办", "save": "1"},
    )
    other_device = Client()
    sign_in(other_device, applicant)

    start = other_device.get(f"/matters/{food.implementation_code}/apply/")
    form = other_device.get(f"/applications/{application.pk}/apply/form/")
    situation = other_device.get(f"/applications/{application.pk}/apply/situation/")

    assert saved["Location"] == f"/applications/{application.pk}/apply/form/"
    assert f'href="/applications/{application.pk}/apply/situation/">继续填写草稿' in (
        start.content.decode()
    )
    assert 'name="shop_name" type="text" value="好味小馆"' in form.content.decode()
    assert 'name="agent_name" type="text" value="王代办"' in form.content.decode()
    assert 'name="Q1" value="Q1B" checked' in situation.content.decode()


# --- my applications and other people's ---------------------------------------------------------


def test_my_applications_lists_only_mine(
    citizen_client: Client,
    submitted: Callable[..., Application],
    other_citizen: User,
    workflow_catalogue: dict[str, Matter],
) -> None:
    mine = submitted(timezone.now())
    theirs = services.application_submit(
        user=other_citizen,
        application_id=draft_ready(other_citizen, workflow_catalogue["food"]).pk,
        now=timezone.now(),
    )

    response = citizen_client.get("/my/applications/")

    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'href="/applications/(\d+)/"', html) == [str(mine.pk)]
    assert f"<td>{mine.reference}</td>" in html
    assert f"<td>{theirs.reference}</td>" not in html


@pytest.fixture
def my_case(submitted: Callable[..., Application]) -> Application:
    return submitted(timezone.now())


@pytest.fixture
def my_draft(applicant: User, workflow_catalogue: dict[str, Matter]) -> Application:
    return draft_ready(applicant, workflow_catalogue["food"])


@pytest.mark.parametrize(
    ("case", "fixture", "method", "path"),
    [
        ("detail_case", "my_case", "get", "/applications/{pk}/"),
        ("step_case", "my_draft", "get", "/applications/{pk}/apply/form/"),
        ("step_save_case", "my_draft", "post", "/applications/{pk}/apply/form/"),
        ("material_step_case", "my_draft", "post", "/applications/{pk}/apply/materials/"),
        ("check_case", "my_draft", "get", "/applications/{pk}/check/"),
        ("submit_case", "my_draft", "post", "/applications/{pk}/check/"),
        ("confirmation_case", "my_case", "get", "/applications/{pk}/submitted/"),
        ("download_case", "my_case", "get", "/applications/{pk}/materials/{material}/"),
        ("upload_case", "my_case", "post", "/applications/{pk}/materials/"),
        ("withdraw_case", "my_case", "post", "/applications/{pk}/withdraw/"),
        ("resubmit_case", "my_case", "post", "/applications/{pk}/resubmit/"),
        ("discard_case", "my_draft", "post", "/applications/{pk}/discard/"),
    ],
)
def test_another_citizen_gets_404_on_every_page_of_my_application(
    client: Client,
    other_citizen: User,
    request: pytest.FixtureRequest,
    case: str,
    fixture: str,
    method: str,
    path: str,
) -> None:
    application: Application = request.getfixturevalue(fixture)
    material = application.materials.exclude(file="").order_by("pk").first()
    assert material is not None
    before = (application.status, application.answers, application.materials.count())
    sign_in(client, other_citizen)
    url = path.format(pk=application.pk, material=material.pk)
    data = {"material_key": "M01", "file": pdf(), "shop_name": "篡改", "reason": "x"}

    response = client.get(url) if method == "get" else client.post(url, data)

    assert response.status_code == 404
    application.refresh_from_db()
    assert (application.status, application.answers, application.materials.count()) == before


def test_my_material_cannot_be_fetched_through_another_citizens_application(
    client: Client,
    submitted: Callable[..., Application],
    other_citizen: User,
    workflow_catalogue: dict[str, Matter],
) -> None:
    mine = submitted(timezone.now()).materials.exclude(file="").order_by("pk").first()
    assert mine is not None
    theirs = draft_ready(other_citizen, workflow_catalogue["food"])
    sign_in(client, other_citizen)

    response = client.get(f"/applications/{theirs.pk}/materials/{mine.pk}/")

    assert response.status_code == 404


# --- the case page: 补正, 容缺, withdraw, discard -------------------------------------------------


@pytest.fixture
def supplement_case(submitted: Callable[..., Application], clerk: User) -> Application:
    """A case whose clerk asked for a new ID scan and a corrected shop name."""
    application = submitted(timezone.now())
    services.application_supplement_request(
        user=clerk,
        application_id=application.pk,
        now=timezone.now(),
        items=[
            {"kind": "material", "key": "M02", "reason": "身份证扫描件不清晰"},
            {"kind": "field", "key": "shop_name", "reason": "店铺名称与营业执照不一致"},
        ],
    )
    return application


def test_the_case_page_shows_the_supplement_notice_with_every_item(
    citizen_client: Client, supplement_case: Application
) -> None:
    response = citizen_client.get(f"/applications/{supplement_case.pk}/")

    html = response.content.decode()
    text = visible_text(response)
    assert response.status_code == 200
    assert "补正材料通知（一次性告知）" in text
    assert "居民身份证：身份证扫描件不清晰" in text
    assert "店铺名称：店铺名称与营业执照不一致" in text
    assert re.findall(r'<input id="sf-(\w+)" type="file"', html) == ["M02"]
    assert 'name="field_shop_name" value="好味小馆"' in html
    assert "待补正材料" in text


def test_only_the_materials_on_the_notice_can_be_uploaded_again(
    citizen_client: Client, supplement_case: Application
) -> None:
    url = f"/applications/{supplement_case.pk}/materials/"
    current = list(supplement_case.materials.values_list("pk", "material_key", "superseded_at"))

    unlisted = upload(citizen_client, url, "M01", pdf("new-form.pdf"))

    assert unlisted.status_code == 400
    assert list(supplement_case.materials.values_list("pk", "material_key", "superseded_at")) == (
        current
    )

    listed = upload(citizen_client, url, "M02", pdf("clear-id.pdf"))

    assert listed.status_code == 302
    assert listed["Location"] == f"/applications/{supplement_case.pk}/"
    m02 = supplement_case.materials.filter(material_key="M02").order_by("pk")
    assert [(m.original_name, m.superseded_at is None) for m in m02] == [
        ("scan.pdf", False),
        ("clear-id.pdf", True),
    ]


def test_the_citizen_resubmits_once_every_listed_item_is_supplemented(
    citizen_client: Client, supplement_case: Application
) -> None:
    base = f"/applications/{supplement_case.pk}"

    too_early = citizen_client.post(f"{base}/resubmit/", {"field_shop_name": "好味小馆二店"})

    assert too_early.status_code == 400
    assert "补正还没有完成，请按提示修改。" in visible_text(too_early)
    assert "请重新提交“居民身份证”。" in visible_text(too_early)
    supplement_case.refresh_from_db()
    assert supplement_case.status == Status.SUPPLEMENT_REQUIRED

    upload(citizen_client, f"{base}/materials/", "M02", pdf("clear-id.pdf"))
    done = citizen_client.post(
        f"{base}/resubmit/", {"field_shop_name": "好味小馆二店"}, follow=True
    )

    supplement_case.refresh_from_db()
    assert done.redirect_chain == [(f"{base}/", 302)]
    assert "补正材料已提交，部门将重新审核是否受理。" in visible_text(done)
    assert "补正材料通知" not in visible_text(done)
    assert supplement_case.status == Status.RECEIVED
    assert supplement_case.answers["shop_name"] == "好味小馆二店"


def test_a_deficiency_material_is_caught_up_from_the_case_page(
    citizen_client: Client, submitted: Callable[..., Application], clerk: User
) -> None:
    application = submitted(timezone.now())
    services.application_accept(user=clerk, application_id=application.pk, now=timezone.now())
    base = f"/applications/{application.pk}"

    page = citizen_client.get(f"{base}/")
    response = upload(citizen_client, f"{base}/materials/", "M04", pdf("report.pdf"))
    after = citizen_client.get(f"{base}/")

    assert "待补齐的容缺材料" in visible_text(page)
    assert 'id="df-M04" type="file"' in page.content.decode()
    assert response["Location"] == f"{base}/"
    assert "待补齐的容缺材料" not in visible_text(after)
    assert "您补齐了容缺材料。" in visible_text(after)
    current = application.materials.get(material_key="M04", superseded_at__isnull=True)
    assert (current.source, current.original_name) == (MaterialSource.UPLOAD, "report.pdf")


@pytest.mark.parametrize("status", ["RECEIVED", "SUPPLEMENT_REQUIRED", "WITHDRAWN"])
def test_the_case_page_offers_a_deficiency_upload_only_when_it_would_be_accepted(
    citizen_client: Client,
    submitted: Callable[..., Application],
    applicant: User,
    clerk: User,
    status: str,
) -> None:
    application = submitted(timezone.now())
    if status == "SUPPLEMENT_REQUIRED":
        services.application_supplement_request(
            user=clerk,
            application_id=application.pk,
            now=timezone.now(),
            items=[{"kind": "material", "key": "M02", "reason": "不清晰"}],
        )
    elif status == "WITHDRAWN":
        services.application_withdraw(
            user=applicant, application_id=application.pk, now=timezone.now()
        )
    base = f"/applications/{application.pk}"
    offered = 'id="df-M04" type="file"' in citizen_client.get(f"{base}/").content.decode()

    response = upload(citizen_client, f"{base}/materials/", "M04", pdf("report.pdf"))

    assert offered == (response.status_code == 302)


def test_the_citizen_withdraws_from_the_case_page(
    citizen_client: Client, submitted: Callable[..., Application]
) -> None:
    application = submitted(timezone.now())
    base = f"/applications/{application.pk}"
    assert "撤回申请" in visible_text(citizen_client.get(f"{base}/"))

    response = citizen_client.post(f"{base}/withdraw/", {"reason": "信息填错了"}, follow=True)

    application.refresh_from_db()
    text = visible_text(response)
    assert response.redirect_chain == [(f"{base}/", 302)]
    assert application.status == Status.WITHDRAWN
    assert "申请已撤回。" in text
    assert "状态已撤回" in text
    assert "确认撤回" not in text
    assert application.events.filter(kind=EventKind.WITHDRAWN).count() == 1


def test_the_citizen_discards_a_draft_with_its_files(
    citizen_client: Client,
    applicant: User,
    workflow_catalogue: dict[str, Matter],
    django_capture_on_commit_callbacks: Any,
) -> None:
    draft = draft_ready(applicant, workflow_catalogue["food"])
    files = [str(m.file.name) for m in draft.materials.exclude(file="")]
    assert len(files) == 2
    assert all(default_storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(f"/applications/{draft.pk}/discard/", follow=True)

    assert response.redirect_chain == [("/my/applications/", 302)]
    assert "草稿已删除。" in visible_text(response)
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert ApplicationMaterial.objects.count() == 0
    assert not any(default_storage.exists(name) for name in files)


def test_a_submitted_case_cannot_be_discarded(
    citizen_client: Client, submitted: Callable[..., Application]
) -> None:
    application = submitted(timezone.now())

    response = citizen_client.post(f"/applications/{application.pk}/discard/", follow=True)

    assert response.redirect_chain == [(f"/applications/{application.pk}/", 302)]
    assert "申请已提交，不能再修改草稿。" in visible_text(response)
    application.refresh_from_db()
    assert application.status == Status.RECEIVED


def test_a_downloaded_material_is_the_uploaded_file_served_safely(
    citizen_client: Client, submitted: Callable[..., Application]
) -> None:
    application = submitted(timezone.now())
    material = application.materials.get(material_key="M01")

    response = citizen_client.get(f"/applications/{application.pk}/materials/{material.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


# --- personal data ----------------------------------------------------------------------------


def test_public_tracking_shows_status_and_timeline_but_nothing_personal(
    client: Client, submitted: Callable[..., Application], applicant: User, clerk: User
) -> None:
    application = submitted(timezone.now())
    services.application_accept(user=clerk, application_id=application.pk, now=timezone.now())

    response = client.get("/track/", {"q": str(application.query_no)})

    html = response.content.decode()
    text = visible_text(response)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "状态已受理，审查中" in text
    assert "提交申请 您提交了申请，材料已接收。" in text
    assert "受理 部门已受理您的申请，开始审查。" in text
    assert applicant.id_number
    for personal in (
        applicant.real_name,
        applicant.id_number,
        applicant.mobile,
        "好味小馆",
        clerk.real_name,
    ):
        assert personal not in html, personal


def test_tracking_an_unknown_number_says_it_was_not_found(
    client: Client, submitted: Callable[..., Application]
) -> None:
    submitted(timezone.now())

    response = client.get("/track/", {"q": "0000000000"})

    assert response.status_code == 200
    assert "没有找到该查询号对应的办件，请核对后重新输入。" in visible_text(response)
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "notice_items",
    [
        pytest.param([], id="plain_case"),
        pytest.param(
            [{"kind": "material", "key": "M02", "reason": "身份证扫描件不清晰"}],
            id="notice_lists_a_material_case",
        ),
        pytest.param(
            [{"kind": "field", "key": "id_number", "reason": "号码与身份证不一致"}],
            id="notice_lists_the_id_number_case",
        ),
    ],
)
def test_the_case_page_never_shows_the_full_id_number(
    citizen_client: Client,
    submitted: Callable[..., Application],
    applicant: User,
    clerk: User,
    notice_items: list[dict[str, str]],
) -> None:
    application = submitted(timezone.now())
    if notice_items:
        services.application_supplement_request(
            user=clerk, application_id=application.pk, now=timezone.now(), items=notice_items
        )
    assert applicant.id_number

    response = citizen_client.get(f"/applications/{application.pk}/")

    assert response.status_code == 200
    assert applicant.id_number not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/applications/{case}/",
        "/applications/{draft}/apply/form/",
        "/applications/{draft}/check/",
        "/applications/{case}/submitted/",
        "/my/applications/",
    ],
    ids=["detail_case", "form_case", "check_case", "confirmation_case", "my_list_case"],
)
def test_pages_with_personal_data_are_not_stored_by_the_browser(
    citizen_client: Client, my_case: Application, my_draft: Application, path: str
) -> None:
    response = citizen_client.get(path.format(case=my_case.pk, draft=my_draft.pk))

    assert response.status_code == 200
    assert "no-store" in response.get("Cache-Control", "")


def test_my_applications_shows_twenty_at_a_time_newest_first_with_a_link_to_the_rest(
    citizen_client: Client, submitted: Callable[..., Application]
) -> None:
    cases = [submitted(timezone.now()) for _ in range(23)]

    first = citizen_client.get("/my/applications/")
    second = citizen_client.get(first.context["next_url"].replace("?", "/my/applications/?"))

    first_page = visible_text(first)
    second_page = visible_text(second)
    newest, oldest = cases[-1], cases[0]
    assert str(newest.reference) in first_page
    assert str(oldest.reference) not in first_page
    assert str(oldest.reference) in second_page
    assert str(newest.reference) not in second_page
    assert len(first.context["rows"]) == 20
    assert len(second.context["rows"]) == 3
    assert "下一页" in first_page
    assert "第 2 / 2 页" in second_page
