"""The certificate font: Noto Sans CJK SC cut down to GB2312 once (1.8 MB per face, about 3.5 s
to build), so WeasyPrint subsets a small font instead of the 19 MB collection on every page
(PERFORMANCE §3: 0.074 s instead of 0.128 s per page). Characters outside GB2312 (生僻字 in names)
fall back per glyph to the full system font, which the CSS family list names second."""

import fcntl
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

SUBSET_FONT_NAME = "TongbanSans"
SOURCE_FAMILY = "Noto Sans CJK SC"
SOURCE_FONTS = {
    "Regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "Bold": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
}


_UNUSED_FEATURES = {"locl", "vert", "vrt2", "vkrn", "vpal", "vhal", "valt", "vchw", "vjmo"}


class FontSourceMissingError(FileNotFoundError):
    """The system CJK font (Debian package fonts-noto-cjk) is not installed."""


def font_dir() -> Path:
    return Path(settings.CERTIFICATE_FONT_DIR)


def subset_font_path() -> Path:
    """The regular subset face; WeasyPrint loads it by file:// URL."""
    return font_dir() / f"{SUBSET_FONT_NAME}-GB2312.otf"


def bold_font_path() -> Path:
    """The bold subset face (titles and labels)."""
    return font_dir() / f"{SUBSET_FONT_NAME}-GB2312-Bold.otf"


def cjk_fallback_family() -> str:
    """The full system font that draws the characters the subset lacks."""
    return SOURCE_FAMILY


def font_family_css() -> str:
    """The CSS font-family list: the subset first, the full font second, so fallback is per glyph."""
    return f'"{SUBSET_FONT_NAME}", "{cjk_fallback_family()}", sans-serif'


def subset_characters() -> set[int]:
    """ASCII, Latin-1, CJK punctuation, full-width forms and every character of GB2312."""
    code_points = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    code_points |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    for high in range(0xA1, 0xFF):
        for low in range(0xA1, 0xFF):
            try:
                character = bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:  # an unassigned code point of the 94×94 grid
                continue
            code_points.add(ord(character))
    return code_points


def harfbuzz_subsetting_available() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz (libharfbuzz-subset0). Without it WeasyPrint
    only logs a warning and falls back to fontTools, 70× slower; health checks assert this."""
    from weasyprint.text import ffi

    return ffi.harfbuzz_subset is not None


@contextmanager
def _build_lock(directory: Path) -> Iterator[None]:
    # Worker processes start together and each calls ensure_fonts(): one builds, the rest wait.
    with (directory / ".build.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _source_index(source: Path) -> int:
    """The index of the Simplified Chinese face in the TrueType collection."""
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(source), lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            if font["name"].getDebugName(1) == SOURCE_FAMILY:
                return index
    finally:
        collection.close()
    raise FontSourceMissingError(f"{source} holds no {SOURCE_FAMILY} face")


def _write_subset(source: Path, target: Path, *, style: str) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    if not source.exists():
        raise FontSourceMissingError(f"{source} is missing: apt-get install fonts-noto-cjk")
    # recalcBBoxes=False: recomputing the bounds of 7,500 CFF glyphs takes two thirds of the
    # build; the original font's bounds still enclose the subset's.
    font = TTFont(str(source), fontNumber=_source_index(source), lazy=True, recalcBBoxes=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    # Horizontal Chinese only: the Japanese/Korean/Traditional forms behind "locl" and the
    # vertical-writing glyphs would add 6,000 glyphs, and WeasyPrint keeps glyph IDs when it
    # embeds the font, so every PDF would carry 20 KB more (measured: 103 KB → 85 KB).
    options.layout_features = [
        feature for feature in options.layout_features if feature not in _UNUSED_FEATURES
    ]
    options.drop_tables = [*options.drop_tables, "vhea", "vmtx", "VORG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset_characters())
    subsetter.subset(font)
    # Renamed, so fontconfig never takes the subset for the full "Noto Sans CJK SC" fallback.
    names = font["name"]
    for name_id in (1, 2, 4, 6, 16, 17, 21, 22):
        names.removeNames(nameID=name_id)
    for name_id, value in (
        (1, SUBSET_FONT_NAME),
        (2, style),
        (4, f"{SUBSET_FONT_NAME} {style}"),
        (6, f"{SUBSET_FONT_NAME}-{style}"),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
    # Temp file + rename in the same directory: readers see the old file or the whole new one.
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".tmp-", delete=False) as tmp:
        try:
            font.save(tmp)
            tmp.flush()
            os.fsync(tmp.fileno())
        except BaseException:
            os.unlink(tmp.name)
            raise
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, target)
    font.close()


def build_subset_font(*, force: bool = False) -> Path:
    """Build the regular and bold subset faces (about 7 s each) unless they exist; return the
    regular face's path.

    :raises FontSourceMissingError: if fonts-noto-cjk is not installed.
    """
    directory = font_dir()
    directory.mkdir(parents=True, exist_ok=True)
    targets = {"Regular": subset_font_path(), "Bold": bold_font_path()}
    with _build_lock(directory):
        for style, target in targets.items():
            if target.exists() and not force:  # built by another process while we waited
                continue
            logger.info("Building the certificate font %s", target)
            _write_subset(SOURCE_FONTS[style], target, style=style)
    return targets["Regular"]


def ensure_fonts() -> Path:
    """Return the regular subset face, building the faces first if one is missing.

    :raises FontSourceMissingError: if fonts-noto-cjk is not installed.
    """
    if subset_font_path().exists() and bold_font_path().exists():
        return subset_font_path()
    return build_subset_font()
