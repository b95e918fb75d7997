"""The certificate layout: HTML from the type's template, one signed-ready A4 PDF page with Chinese
text in the subset font, rare characters through the fallback font, a QR code that scans to the
verification page, broken templates refused, and no fetching beyond our own files."""

import dataclasses
import gc
import logging
import os
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image, ImageChops

from certificates import fonts, rendering
from certificates.rendering import CertificateContext, CertificateTemplateError

VERIFY_URL = (
    "https://tongban.example/certificates/verify/"
    "?id=1.2.156.3005.2.11100000MB0143028R017.11330106002482106K.20250000012.001.S&src=qr"
)


@pytest.fixture(scope="session")
def certificate_fonts() -> Path:
    return fonts.ensure_fonts()


@pytest.fixture
def context(certificate_fonts: Path) -> CertificateContext:
    template_html, template_css = rendering.default_template()
    sample = rendering.sample_context(template_html=template_html, template_css=template_css)
    return dataclasses.replace(
        sample,
        type_name="食品经营许可证",
        holder_name="张三丰",
        holder_code="330106198001011234",
        holder_code_label="公民身份号码",
        valid_until=None,
        verify_url=VERIFY_URL,
    )


@pytest.fixture
def rendered(context: CertificateContext) -> tuple[str, bytes]:
    return rendering.render_certificate(context)


def pdf_text(pdf: bytes) -> str:
    """The first page's text without the spaces letter-spacing puts between characters."""
    document = pdfium.PdfDocument(pdf)
    try:
        return "".join(document[0].get_textpage().get_text_range().split())
    finally:
        document.close()


def test_the_html_shows_the_holder_the_type_and_the_surface_fields(
    context: CertificateContext,
) -> None:
    html = rendering.render_html(context)

    assert "张三丰" in html
    assert '<h1 class="title">食品经营许可证</h1>' in html
    assert "330106198001011234" in html  # the holder's own document shows the number whole
    assert "<th>经营项目</th>" in html
    assert "热食类食品制售；冷食类食品制售" in html
    assert "2025年3月18日 至" in html
    assert "长期" in html  # no end date


def test_the_html_escapes_what_the_holder_typed(context: CertificateContext) -> None:
    html = rendering.render_html(dataclasses.replace(context, holder_name="<b>张三丰</b>"))

    assert "&lt;b&gt;张三丰&lt;/b&gt;" in html
    assert "<b>张三丰</b>" not in html


def test_the_template_css_cannot_close_the_style_element(context: CertificateContext) -> None:
    css = context.template_css + "\n</style><p>插入的段落</p><style>"

    html = rendering.render_html(dataclasses.replace(context, template_css=css))

    assert "</style><p>插入的段落</p>" not in html
    assert "<\\/style><p>插入的段落<\\/p><style>" in html


def test_the_pdf_is_one_small_a4_page_with_the_chinese_text(rendered: tuple[str, bytes]) -> None:
    _html, pdf = rendered

    document = pdfium.PdfDocument(pdf)
    width, height = document[0].get_size()
    pages = len(document)
    document.close()
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) <= 150 * 1024
    assert pages == 1
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # mm
    assert "张三丰" in text
    assert "食品经营许可证" in text
    assert "有效期2025年3月18日至长期" in text


def test_a_name_outside_gb2312_still_renders_through_the_fallback_font(
    context: CertificateContext,
) -> None:
    name = "王㛃堃"
    with pytest.raises(UnicodeEncodeError):
        name[1:].encode("gb2312")  # neither is in the subset font

    _html, pdf = rendering.render_certificate(dataclasses.replace(context, holder_name=name))

    assert name in pdf_text(pdf)
    assert len(pdf) <= 150 * 1024


def test_the_qr_code_scans_to_the_verification_page(rendered: tuple[str, bytes]) -> None:
    _html, pdf = rendered

    document = pdfium.PdfDocument(pdf)
    image = document[0].render(scale=200 / 72).to_pil()  # 200 dpi
    document.close()
    codes = zxingcpp.read_barcodes(image)

    assert [code.text for code in codes] == [VERIFY_URL]


def test_the_sample_renders_with_the_default_template(certificate_fonts: Path) -> None:
    template_html, template_css = rendering.default_template()
    sample = rendering.sample_context(template_html=template_html, template_css=template_css)

    html = rendering.render_html(sample)

    assert "杭州湖畔小笼餐饮有限公司" in html
    assert sample.valid_until == date(2030, 3, 17)
    assert "2030年3月17日" in html


@pytest.mark.parametrize(
    ("template_html", "expected"),
    [
        ("<p>{% if certificate.holder_name %}</p>", "证照模板有误：Unclosed tag"),
        ('{% include "base.html" %}', "证照模板不能引用其他模板（base.html）。"),
        ("{% load static %}", "证照模板有误：'static' is not a registered tag library"),
        ('{% url "no-such-page" %}', "证照模板有误：Reverse for 'no-such-page' not found"),
        ("{% for a, b in certificate.holder_name %}{% endfor %}", "证照模板有误：Need 2 values"),
    ],
)
def test_a_broken_template_is_refused_with_the_error(
    context: CertificateContext, template_html: str, expected: str
) -> None:
    broken = dataclasses.replace(context, template_html=template_html)

    with pytest.raises(CertificateTemplateError) as raised:
        rendering.render_html(broken)

    assert raised.value.message.startswith(expected)
    assert raised.value.message.endswith("。")


def test_a_misspelt_variable_is_refused_with_its_name(context: CertificateContext) -> None:
    broken = dataclasses.replace(context, template_html='<p>{{ certificate.nope|date:"Y" }}</p>')

    with pytest.raises(CertificateTemplateError) as raised:
        rendering.render_html(broken)

    assert raised.value.message == "证照模板引用了不存在的变量“certificate.nope”。"


def test_content_longer_than_a_page_is_refused(context: CertificateContext) -> None:
    fields = tuple((f"事项{n}", "热食类食品制售；冷食类食品制售") for n in range(40))

    with pytest.raises(CertificateTemplateError) as raised:
        rendering.render_certificate(dataclasses.replace(context, fields=fields))

    assert "超出一页" in raised.value.message


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "FILE_DIR/../../../../etc/passwd",
        "ftp://example.com/seal.png",
    ],
)
def test_the_template_cannot_fetch_anything_but_our_files(
    context: CertificateContext, caplog: pytest.LogCaptureFixture, url: str
) -> None:
    url = url.replace("FILE_DIR", fonts.font_dir().as_uri())
    template_html = context.template_html.replace(
        "</main>", f'<img src="{url}"><link rel="stylesheet" href="{url}"></main>'
    )

    with caplog.at_level(logging.WARNING, logger="certificates.rendering"):
        _html, pdf = rendering.render_certificate(
            dataclasses.replace(context, template_html=template_html)
        )

    refused = [r.getMessage() for r in caplog.records if r.name == "certificates.rendering"]
    assert pdf.startswith(b"%PDF")
    assert len(refused) == 2  # the image and the stylesheet, each refused before any I/O
    assert all(message.endswith("; refused") for message in refused)
    assert "张三丰" in pdf_text(pdf)  # the subset font inside the font folder still loads


def test_a_worker_forked_after_a_render_leaves_the_parents_fonts_alone(
    context: CertificateContext,
) -> None:
    rendering.render_certificate(context)  # the parent now holds a font configuration

    pid = os.fork()
    if pid == 0:  # the child renders, then leaves without running pytest's teardown
        code = 1
        try:
            rendering.render_certificate(context)
            rendering._release_fonts()  # what the child's exit runs (atexit)
            gc.collect()  # as a long-lived worker eventually would: finalisers run
            code = 0
        finally:
            os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    _html, pdf = rendering.render_certificate(context)

    assert os.waitstatus_to_exitcode(status) == 0
    assert "张三丰" in pdf_text(pdf)


def page_image(pdf: bytes) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        image: Image.Image = document[0].render(scale=100 / 72).to_pil().convert("RGB")
        return image
    finally:
        document.close()


def test_a_template_with_styles_of_its_own_looks_the_same_as_the_default(
    context: CertificateContext,
) -> None:
    # The default template's two stylesheets are parsed once per process and handed to
    # WeasyPrint apart from the page; a template with more styles is rendered whole.
    html, pdf = rendering.render_certificate(context)
    template_html = context.template_html.replace("</head>", "<style></style></head>")
    whole_html, whole_pdf = rendering.render_certificate(
        dataclasses.replace(context, template_html=template_html)
    )

    assert ImageChops.difference(page_image(pdf), page_image(whole_pdf)).getbbox() is None
    assert html == rendering.render_html(context)  # the HTML still carries its CSS
    assert "font-family" in html
    assert whole_html == rendering.render_html(
        dataclasses.replace(context, template_html=template_html)
    )


def test_an_important_inline_style_still_wins_over_the_templates_css(
    context: CertificateContext,
) -> None:
    small_title = context.template_html.replace(
        '<h1 class="title">', '<h1 class="title" style="font-size: 8pt !important">'
    )
    css = context.template_css + "\n.title { font-size: 30pt !important; }"
    inline_only = dataclasses.replace(context, template_html=small_title)
    both = dataclasses.replace(context, template_html=small_title, template_css=css)

    _html, inline_pdf = rendering.render_certificate(inline_only)
    _html, both_pdf = rendering.render_certificate(both)
    _html, default_pdf = rendering.render_certificate(context)

    assert ImageChops.difference(page_image(inline_pdf), page_image(both_pdf)).getbbox() is None
    assert ImageChops.difference(page_image(inline_pdf), page_image(default_pdf)).getbbox()
