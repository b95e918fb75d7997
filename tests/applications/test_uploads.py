"""Uploaded materials: the content decides the type, refusals are explained, storage names are ours."""

import hashlib
import io
import re
import struct
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from pytest_django import Settings

from applications.uploads import (
    InspectedUpload,
    UploadRefused,
    upload_discard,
    upload_inspect,
    upload_storage_name,
    upload_store,
)
from tests.applications.pdfs import pdf_bytes

NOW = datetime(2026, 11, 5, 9, 30, tzinfo=UTC)
ONLY_ALLOWED = "只能上传 PDF、JPG、PNG 或 OFD 文件；"


def _pdf() -> bytes:
    """A minimal valid one-page PDF, with a correct cross-reference table."""
    return pdf_bytes(version=b"1.4")


def _png() -> bytes:
    """A 1×1 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")  # filter byte + one red pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _jpeg() -> bytes:
    """A 1×1 grey baseline JPEG: one DC and one AC Huffman code, each a single 0 bit."""

    def segment(marker: int, payload: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload

    single_code = b"\x01" + b"\x00" * 15 + b"\x00"  # one code of length 1, for symbol 0
    return (
        b"\xff\xd8"
        + segment(0xDB, b"\x00" + b"\x01" * 64)  # quantisation table 0, all ones
        + segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")  # 8-bit, 1×1, one component
        + segment(0xC4, b"\x00" + single_code)  # DC table 0
        + segment(0xC4, b"\x10" + single_code)  # AC table 0
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f"  # DC difference 0, end of block, padded with ones
        + b"\xff\xd9"
    )


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as container:
        for name, text in entries.items():
            container.writestr(name, text)
    return buffer.getvalue()


def _ofd() -> bytes:
    return _zip(
        {
            "OFD.xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
                "<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody>"
                "</ofd:OFD>"
            ),
            "Doc_0/Document.xml": '<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>',
        }
    )


def _upload(content: bytes, name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.fixture
def media_root(settings: Settings, tmp_path: Path) -> Path:
    """An empty MEDIA_ROOT of this test's own, so file counts are exact."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("content", "name", "content_type", "extension"),
    [
        pytest.param(_pdf(), "营业执照.pdf", "application/pdf", "pdf", id="pdf"),
        pytest.param(_jpeg(), "身份证正面.jpeg", "image/jpeg", "jpg", id="jpeg"),
        pytest.param(_png(), "户口本.png", "image/png", "png", id="png"),
        pytest.param(_ofd(), "电子发票.ofd", "application/ofd", "ofd", id="ofd"),
    ],
)
def test_allowed_types_are_accepted_with_size_and_sha256(
    content: bytes, name: str, content_type: str, extension: str
) -> None:
    upload = _upload(content, name)

    inspected = upload_inspect(file=upload)

    assert inspected == InspectedUpload(
        content_type=content_type,
        extension=extension,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=name,
    )
    assert upload.tell() == 0


def test_a_png_named_pdf_is_accepted_as_png_and_stored_as_png(media_root: Path) -> None:
    upload = _upload(_png(), "扫描件.pdf")

    inspected = upload_inspect(file=upload)
    name = upload_store(file=upload, inspected=inspected, now=NOW)

    assert (inspected.content_type, inspected.extension) == ("image/png", "png")
    assert inspected.original_name == "扫描件.pdf"
    assert name.endswith(".png")
    assert (media_root / name).read_bytes() == _png()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        pytest.param(
            _zip({"a.pdf": "x", "b.jpg": "y"}),
            "材料.zip",
            ONLY_ALLOWED + "该文件的内容是 ZIP 压缩包。",
            id="plain-zip",
        ),
        pytest.param(
            _zip({"Doc_0/OFD.xml": "<ofd:OFD/>"}),
            "发票.ofd",
            ONLY_ALLOWED + "该文件的内容是 ZIP 压缩包。",
            id="zip-with-OFD.xml-not-at-root",
        ),
        pytest.param(
            _zip(
                {
                    "[Content_Types].xml": "<Types/>",
                    "_rels/.rels": "<Relationships/>",
                    "word/document.xml": "<w:document/>",
                }
            ),
            "申请表.pdf",
            ONLY_ALLOWED + "该文件的内容是 Word 文档。",
            id="word-document",
        ),
        pytest.param(
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "材料.pdf",
            ONLY_ALLOWED + "该文件的内容是 HTML 网页或 XML 文本。",
            id="html-named-pdf",
        ),
        pytest.param(
            b'\xef\xbb\xbf\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "照片.png",
            ONLY_ALLOWED + "该文件的内容是 HTML 网页或 XML 文本。",
            id="svg-named-png",
        ),
        pytest.param(
            b"MZ\x90\x00" + b"\x00" * 60,
            "照片.jpg",
            ONLY_ALLOWED + "该文件的内容是 EXE 可执行程序。",
            id="executable-named-jpg",
        ),
        pytest.param(
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
            "照片.jpg",
            ONLY_ALLOWED + "该文件的内容是 GIF 图片。",
            id="gif",
        ),
        pytest.param(
            b"just some notes\n",
            "说明.pdf",
            ONLY_ALLOWED + "无法识别该文件的格式。",
            id="plain-text",
        ),
        pytest.param(
            b"junk before the header\n" + _pdf(),
            "材料.pdf",
            ONLY_ALLOWED + "无法识别该文件的格式。",
            id="pdf-header-not-at-start",
        ),
        pytest.param(
            b"%PDF\nno version follows",
            "材料.pdf",
            "该文件不是有效的 PDF 文件，请重新导出后上传。",
            id="pdf-header-incomplete",
        ),
        pytest.param(
            b"PK\x03\x04" + b"\x00" * 100,
            "发票.ofd",
            "该文件已损坏，无法打开，请检查后重新上传。",
            id="damaged-zip",
        ),
        pytest.param(
            b"\x89PNG\n\x1a\n" + _png()[8:],
            "照片.png",
            "该图片已损坏，请重新拍摄或导出后上传。",
            id="png-signature-damaged",
        ),
        pytest.param(b"", "材料.pdf", "文件是空的，请重新选择文件。", id="empty"),
    ],
)
def test_refused_uploads_explain_why_and_store_nothing(
    media_root: Path, content: bytes, name: str, message: str
) -> None:
    upload = _upload(content, name)

    with pytest.raises(UploadRefused) as refused:
        upload_inspect(file=upload)

    assert refused.value.message == message
    assert refused.value.errors == {"file": [message]}
    assert upload.tell() == 0
    assert _files_under(media_root) == []


@pytest.mark.parametrize(
    ("max_bytes", "size", "message"),
    [
        pytest.param(100, 101, "文件超过 100 字节，请压缩后重新上传。", id="bytes"),
        pytest.param(1536, 1537, "文件超过 1.5 KB，请压缩后重新上传。", id="kilobytes"),
        pytest.param(
            5 * 1024 * 1024,
            5 * 1024 * 1024 + 1,
            "文件超过 5 MB，请压缩后重新上传。",
            id="megabytes",
        ),
    ],
)
def test_a_file_over_the_limit_is_refused(max_bytes: int, size: int, message: str) -> None:
    upload = _upload(_pdf().ljust(size, b"\n"))

    with pytest.raises(UploadRefused) as refused:
        upload_inspect(file=upload, max_bytes=max_bytes)

    assert refused.value.message == message
    assert refused.value.code == "too_large"
    assert upload.tell() == 0


def test_a_file_exactly_at_the_limit_is_accepted() -> None:
    content = _pdf().ljust(1000, b"\n")

    inspected = upload_inspect(file=_upload(content), max_bytes=1000)

    assert inspected.size == 1000


def test_the_limit_defaults_to_the_setting(settings: Settings) -> None:
    settings.UPLOAD_MAX_BYTES = 2048

    with pytest.raises(UploadRefused) as refused:
        upload_inspect(file=_upload(_pdf().ljust(2049, b"\n")))

    assert refused.value.message == "文件超过 2 KB，请压缩后重新上传。"


def test_without_the_setting_the_limit_is_20_mib(settings: Settings) -> None:
    del settings.UPLOAD_MAX_BYTES
    limit = 20 * 1024 * 1024

    accepted = upload_inspect(file=_upload(_pdf().ljust(limit, b"\n")))
    with pytest.raises(UploadRefused) as refused:
        upload_inspect(file=_upload(_pdf().ljust(limit + 1, b"\n")))

    assert accepted.size == limit
    assert refused.value.message == "文件超过 20 MB，请压缩后重新上传。"


class _CountingReader(io.BytesIO):
    """A stream that remembers how many bytes were read from it."""

    bytes_read = 0

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_an_oversized_file_is_not_read_to_the_end() -> None:
    stream = _CountingReader(_pdf().ljust(50 * 1024 * 1024, b"\n"))

    with pytest.raises(UploadRefused):
        upload_inspect(file=File(stream, name="huge.pdf"), max_bytes=100_000)

    assert stream.bytes_read < 1024 * 1024


def test_a_plain_file_object_is_inspected_like_an_upload(tmp_path: Path) -> None:
    path = tmp_path / "发票.ofd"
    path.write_bytes(_ofd())

    with path.open("rb") as handle:
        inspected = upload_inspect(file=File(handle))
        position = handle.tell()

    assert (inspected.extension, inspected.original_name) == ("ofd", "发票.ofd")
    assert position == 0


@pytest.mark.parametrize(
    ("name", "display_name"),
    [
        pytest.param("C:\\Users\\张三\\Desktop\\身份证.jpg", "身份证.jpg", id="windows-path"),
        pytest.param("../../etc/passwd", "passwd", id="relative-path"),
        pytest.param("照片\u202egpj.exe", "照片gpj.exe", id="right-to-left-override"),
        pytest.param("a\x00b\r\nc\t.png", "abc.png", id="control-characters"),
        pytest.param("  材料.png  ", "材料.png", id="surrounding-spaces"),
        pytest.param("长" * 300 + ".png", "长" * 200, id="too-long"),
    ],
)
def test_the_original_name_is_sanitised_for_display(name: str, display_name: str) -> None:
    file = File(io.BytesIO(_png()), name=name)  # a raw File: no upload handler cleaned the name

    inspected = upload_inspect(file=file)

    assert inspected.original_name == display_name


def test_a_file_without_a_name_has_an_empty_display_name() -> None:
    inspected = upload_inspect(file=File(io.BytesIO(_png())))

    assert inspected.original_name == ""


def test_storage_names_are_generated_in_the_local_month() -> None:
    inspected = upload_inspect(file=_upload(_pdf(), "我的材料.pdf"))
    new_year_in_beijing = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)

    first = upload_storage_name(inspected=inspected, now=NOW)
    second = upload_storage_name(inspected=inspected, now=NOW)
    later = upload_storage_name(inspected=inspected, now=new_year_in_beijing)

    assert re.fullmatch(r"applications/2026/11/[0-9a-f]{32}\.pdf", first)
    assert first != second
    assert re.fullmatch(r"applications/2027/01/[0-9a-f]{32}\.pdf", later)


def test_storing_writes_exactly_one_file_under_the_generated_name(media_root: Path) -> None:
    content = _jpeg()
    upload = _upload(content, "身份证.jpg")
    inspected = upload_inspect(file=upload)

    name = upload_store(file=upload, inspected=inspected, now=NOW)

    assert re.fullmatch(r"applications/2026/11/[0-9a-f]{32}\.jpg", name)
    assert _files_under(media_root) == [media_root / name]
    stored = (media_root / name).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == inspected.sha256


def test_discarding_deletes_the_stored_file(media_root: Path) -> None:
    upload = _upload(_png())
    name = upload_store(file=upload, inspected=upload_inspect(file=upload), now=NOW)

    upload_discard(name=name)

    assert _files_under(media_root) == []


def test_discarding_a_missing_file_is_not_an_error(media_root: Path) -> None:
    upload_discard(name="applications/2026/11/0123456789abcdef0123456789abcdef.pdf")

    assert _files_under(media_root) == []


def test_discarding_refuses_names_outside_the_uploads_directory(media_root: Path) -> None:
    certificate = media_root / "certificates" / "c.pdf"
    certificate.parent.mkdir()
    certificate.write_bytes(_pdf())

    with pytest.raises(ValueError, match="Not an upload's storage name"):
        upload_discard(name="certificates/c.pdf")

    assert certificate.exists()
