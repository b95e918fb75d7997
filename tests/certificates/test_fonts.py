"""The certificate font: built once, small, holding GB2312 (and nothing beyond, so the fallback
font draws rare characters), and WeasyPrint subsetting it with HarfBuzz, not fontTools."""

import ctypes.util
from io import StringIO
from pathlib import Path

from django.core.management import call_command

import pytest
from fontTools.ttLib import TTFont

from certificates import fonts


@pytest.fixture(scope="session")
def certificate_fonts() -> Path:
    return fonts.ensure_fonts()


def test_the_subset_font_is_small_and_holds_gb2312(certificate_fonts: Path) -> None:
    font = TTFont(str(certificate_fonts), lazy=True)
    cmap = font.getBestCmap()
    glyphs = len(font.getGlyphOrder())
    family = font["name"].getDebugName(1)
    font.close()

    assert certificate_fonts == fonts.subset_font_path()
    assert certificate_fonts.stat().st_size < 6 * 1024 * 1024
    assert family == "TongbanSans"  # never mistaken for the full "Noto Sans CJK SC"
    assert {ord("张"), ord("证"), ord("A"), ord("，"), ord("Ａ"), ord("★")} <= cmap.keys()
    assert ord("堃") not in cmap  # outside GB2312: drawn by the fallback font
    assert 7_500 < len(cmap) < 8_000
    # No Japanese/Korean/vertical alternates: WeasyPrint embeds fonts keeping glyph IDs, so
    # every extra glyph ID costs each PDF a few bytes.
    assert glyphs < len(cmap) + 100


def test_the_bold_face_is_built_too(certificate_fonts: Path) -> None:
    bold = TTFont(str(fonts.bold_font_path()), lazy=True)
    style = bold["name"].getDebugName(2)
    bold.close()

    assert style == "Bold"


def test_the_css_lists_the_subset_first_and_the_full_font_second() -> None:
    assert fonts.font_family_css() == '"TongbanSans", "Noto Sans CJK SC", sans-serif'
    assert fonts.cjk_fallback_family() == "Noto Sans CJK SC"


def test_ensure_fonts_does_not_rebuild_an_existing_font(certificate_fonts: Path) -> None:
    built_at = certificate_fonts.stat().st_mtime_ns

    path = fonts.ensure_fonts()

    assert path == certificate_fonts
    assert path.stat().st_mtime_ns == built_at


def test_the_command_reports_the_font_without_rebuilding_it(certificate_fonts: Path) -> None:
    out = StringIO()

    call_command("build_certificate_font", stdout=out)

    assert str(certificate_fonts) in out.getvalue()
    assert "MB)" in out.getvalue()


@pytest.mark.skipif(
    ctypes.util.find_library("harfbuzz-subset") is None,
    reason="libharfbuzz-subset0 is not installed: WeasyPrint falls back to fontTools, 70× slower",
)
def test_weasyprint_subsets_fonts_with_harfbuzz() -> None:
    assert fonts.harfbuzz_subsetting_available()
