"""The one-time notice as a PDF (WeasyPrint, Chinese text in the system's Noto CJK font)."""

from django.template.loader import render_to_string
from django.utils import translation

from matters.notice import OneTimeNotice


def render_notice(notice: OneTimeNotice) -> tuple[str, bytes]:
    """Return the notice's printable HTML and its PDF."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    with translation.override("zh-hans"):
        html = render_to_string("matters/notice_pdf.html", {"notice": notice})
    # The template is self-contained (inline CSS); nothing may be fetched while rendering.
    fetcher = URLFetcher(allowed_protocols={"data"})
    pdf = HTML(string=html, base_url="about:blank", url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return html, pdf
