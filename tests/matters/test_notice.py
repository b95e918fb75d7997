"""情形引导 → 一次性告知书: the notice lists what the applicant's situation needs, as HTML and PDF."""

from typing import Any

from django.test import Client

import pytest

from matters.models import Matter
from matters.services import catalogue_import
from tests.html import visible_text
from tests.matters import documents


@pytest.fixture
def code(catalogue: dict[str, Any]) -> str:
    """The implementation code of 老年人优待证办理 (question Q1: 本人 Q1A / 委托 Q1B → M03)."""
    return str(catalogue["matters"][0]["implementation_code"])


def test_a_material_named_by_an_option_is_listed_when_that_option_is_chosen(
    client: Client, code: str
) -> None:
    response = client.get(f"/matters/{code}/notice/", {"Q1": "Q1B"})

    text = visible_text(response)
    assert response.status_code == 200
    assert "您的情形 由谁办理？ 委托他人办理" in text
    assert "需要提交的材料（共 3 项）" in text
    assert "3 授权委托书委托他人办理时提供 非必要，原件，电子，原件1份" in text


def test_a_material_named_by_an_option_is_left_out_when_another_option_is_chosen(
    client: Client, code: str
) -> None:
    response = client.get(f"/matters/{code}/notice/", {"Q1": "Q1A"})

    text = visible_text(response)
    assert response.status_code == 200
    assert "需要提交的材料（共 2 项）" in text
    assert (
        "1 申请表 必要，原件，电子，原件1份 信息完整 2 居民身份证 必要，原件，电子，原件1份 —"
        in text
    )
    assert "授权委托书" not in text


def test_the_conditions_of_the_chosen_option_are_added_to_the_matters_conditions(
    client: Client, code: str
) -> None:
    chosen = visible_text(client.get(f"/matters/{code}/notice/", {"Q1": "Q1B"}))
    other = visible_text(client.get(f"/matters/{code}/notice/", {"Q1": "Q1A"}))

    assert (
        "受理条件 1. 申请人具有完全民事行为能力。2. 材料真实有效。受托人须持本人有效身份证件。"
    ) in chosen
    assert "受托人须持本人有效身份证件。" not in other


def test_without_answers_the_notice_page_asks_the_questions(client: Client, code: str) -> None:
    response = client.get(f"/matters/{code}/notice/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="Q1" value="Q1B"' in page
    assert "由谁办理？ 本人办理 委托他人办理 生成一次性告知书" in visible_text(response)
    assert "请先完成以下问题" not in visible_text(response)


def test_an_unanswered_question_gives_a_400_page_naming_it(client: Client, code: str) -> None:
    response = client.get(f"/matters/{code}/notice/", {"Q1": ""})

    assert response.status_code == 400
    assert "请先完成以下问题 请回答：由谁办理？" in visible_text(response)
    assert '<a href="#q-Q1">请回答：由谁办理？</a>' in response.content.decode()


def test_an_unknown_answer_gives_a_400_page_naming_the_question(client: Client, code: str) -> None:
    response = client.get(f"/matters/{code}/notice/", {"Q1": "Q1Z"})

    assert response.status_code == 400
    assert "请先完成以下问题 “由谁办理？”的选项无效，请重新选择。" in visible_text(response)
    assert '<a href="#q-Q1">“由谁办理？”的选项无效，请重新选择。</a>' in response.content.decode()


def test_the_notice_links_to_its_pdf_with_the_same_answers(client: Client, code: str) -> None:
    response = client.get(f"/matters/{code}/notice/", {"Q1": "Q1B"})

    assert f'href="/matters/{code}/notice.pdf?Q1=Q1B"' in response.content.decode()


def test_the_notice_pdf_is_a_pdf_document(client: Client, code: str) -> None:
    response = client.get(f"/matters/{code}/notice.pdf", {"Q1": "Q1B"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="notice-{code}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_the_notice_pdf_without_answers_gives_the_400_page(client: Client, code: str) -> None:
    response = client.get(f"/matters/{code}/notice.pdf")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "请先完成以下问题 请回答：由谁办理？" in visible_text(response)


def test_a_matter_without_situations_gives_the_notice_directly(db: None, client: Client) -> None:
    catalogue_import(
        document=documents.document(documents.matter("11009000", "二手车交易登记", situations=[]))
    )
    code = Matter.objects.get().implementation_code

    response = client.get(f"/matters/{code}/notice/")

    text = visible_text(response)
    assert response.status_code == 200
    assert "深圳市市场监督管理局 一次性告知书 二手车交易登记" in text
    assert "需要提交的材料（共 3 项）" in text


def test_the_notice_of_an_unknown_matter_is_not_found(db: None, client: Client) -> None:
    response = client.get("/matters/11440300MB000010773002011009000/notice/")

    assert response.status_code == 404
