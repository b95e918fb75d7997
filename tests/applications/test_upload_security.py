"""Upload hardening (RELIABILITY §2.9, table 4.4 SEC-UP-01 … SEC-UP-08).

Every refusal asserts that nothing was stored: the files under MEDIA_ROOT, the upload temp dir,
the material rows, and no file anywhere else in the test's own folder.
"""

import gc
import importlib
import io
import os
import re
import socket
import stat
import struct
import subprocess
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import MULTIPART_CONTENT, encode_multipart
from django.urls import Resolver404, URLResolver, clear_url_caches
from django.urls.resolvers import RegexPattern

import pytest
from pytest_django import Settings
from rest_framework.test import APIClient

from accounts.models import User
from applications import services
from applications.models import Application, ApplicationMaterial
from applications.uploads import UploadRefused, atomic_write, upload_inspect
from applications.views.files import content_disposition, safe_filename
from certificates.models import Certificate
from certificates.views.public import certificate_file_response
from matters.models import Matter
from tests.applications.conftest import NOW, PDF, shared
from tests.applications.pdfs import pdf_bytes
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

workflow_catalogue = shared("workflow_catalogue")
applicant = shared("applicant")
other_citizen = shared("other_citizen")
clerk = shared("clerk")

TEMP_UPLOAD_NAME = re.compile(r"applications/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|jpg|png|ofd)")


# --- Files -------------------------------------------------------------------------------------


def _pdf(*extra_objects: bytes, catalog_extra: bytes = b"") -> bytes:
    """A small PDF; `extra_objects` become objects 4, 5…"""
    return pdf_bytes(*extra_objects, catalog_extra=catalog_extra)


def _object_stream_pdf(hidden: bytes) -> bytes:
    """A PDF 1.5 whose dictionary `hidden` sits inside a Flate-compressed object stream."""
    body = zlib.compress(b"6 0 " + hidden)
    stream = (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(body)
        + body
        + b"\nendstream"
    )
    return _pdf(stream)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _jpeg(comment: bytes = b"") -> bytes:
    def segment(marker: int, payload: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload

    single_code = b"\x01" + b"\x00" * 15 + b"\x00"
    return (
        b"\xff\xd8"
        + (segment(0xFE, comment) if comment else b"")
        + segment(0xDB, b"\x00" + b"\x01" * 64)
        + segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")
        + segment(0xC4, b"\x00" + single_code)
        + segment(0xC4, b"\x10" + single_code)
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f\xff\xd9"
    )


OFD_XML = '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"/>'


def _ofd(**extra: bytes | str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as container:
        container.writestr("OFD.xml", OFD_XML)
        for name, content in extra.items():
            container.writestr(name, content)
    return buffer.getvalue()


def _ofd_entries(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as container:
        container.writestr("OFD.xml", OFD_XML)
        for name in names:
            container.writestr(name, "x")
    return buffer.getvalue()


# --- "Nothing stored" ----------------------------------------------------------------------------


@pytest.fixture
def places(settings: Settings, tmp_path: Path) -> dict[str, Path]:
    """MEDIA_ROOT and the upload temp dir of this test, side by side in one folder."""
    media, temp = tmp_path / "media", tmp_path / "upload-tmp"
    media.mkdir()
    temp.mkdir()
    settings.MEDIA_ROOT = str(media)
    settings.FILE_UPLOAD_TEMP_DIR = str(temp)
    settings.CLAMAV_URL = ""
    return {"root": tmp_path, "media": media, "temp": temp}


def _state(places: dict[str, Path]) -> dict[str, Any]:
    gc.collect()  # a refused request's spooled temp files are deleted when closed
    files = sorted(str(p.relative_to(places["root"])) for p in places["root"].rglob("*"))
    return {"files": files, "materials": ApplicationMaterial.objects.count()}


def _assert_nothing_stored(places: dict[str, Path], before: dict[str, Any]) -> None:
    after = _state(places)
    assert after == before
    outside = [
        f for f in after["files"] if not f.startswith(("media", "upload-tmp")) and f != "media"
    ]
    assert outside == []


@pytest.fixture
def draft(applicant: User, workflow_catalogue: dict[str, Matter]) -> Application:
    return services.application_draft_create(
        applicant=applicant, matter_id=workflow_catalogue["food"].pk, now=NOW
    )


@pytest.fixture
def me(applicant: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(applicant)
    return client


def _url(application: Application) -> str:
    return f"/api/v1/applications/{application.pk}/materials/"


def _post(client: APIClient, application: Application, content: bytes, name: str) -> Any:
    upload = SimpleUploadedFile(name, content, "application/octet-stream")
    return client.post(
        _url(application), {"material_key": "M01", "file": upload}, format="multipart"
    )


# --- SEC-UP-01: sizes and counts -----------------------------------------------------------------


def test_one_byte_over_the_limit_is_413_and_stores_nothing(
    me: APIClient, draft: Application, places: dict[str, Path], settings: Settings
) -> None:
    settings.UPLOAD_MAX_BYTES = 3000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # spool to the temp dir, as big files do
    before = _state(places)

    response = _post(me, draft, _pdf().ljust(3001, b"\n"), "材料.pdf")

    assert response.status_code == 413
    assert response.json()["detail"] == "文件超过 2.9 KB，请压缩后重新上传。"
    _assert_nothing_stored(places, before)


def test_exactly_the_limit_is_accepted(
    me: APIClient, draft: Application, places: dict[str, Path], settings: Settings
) -> None:
    settings.UPLOAD_MAX_BYTES = 3000

    response = _post(me, draft, _pdf().ljust(3000, b"\n"), "材料.pdf")

    assert response.status_code == 201
    assert ApplicationMaterial.objects.get().size == 3000


@pytest.mark.parametrize("count", [21, 101])
def test_too_many_files_in_one_request_is_400_and_stores_nothing(
    me: APIClient, draft: Application, places: dict[str, Path], settings: Settings, count: int
) -> None:
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # every file spooled to the temp dir
    data = {
        "material_key": "M01",
        **{f"file{i}": SimpleUploadedFile(f"{i}.pdf", _pdf()) for i in range(count)},
    }
    before = _state(places)

    response = me.post(_url(draft), data, format="multipart")

    assert response.status_code == 400
    _assert_nothing_stored(places, before)


def _raw_post(client: Client, path: str, body: bytes, *, content_length: int) -> Any:
    return client.generic(
        "POST",
        path,
        body,
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(content_length),
    )


def _body(content: bytes) -> bytes:
    return encode_multipart(
        "BoUnDaRyStRiNg",
        {"material_key": "M01", "file": SimpleUploadedFile("a.pdf", content)},
    )


def test_a_declared_body_over_the_case_limit_is_413_before_reading(
    me: APIClient, draft: Application, places: dict[str, Path]
) -> None:
    body = _body(_pdf())
    before = _state(places)

    response = _raw_post(me, _url(draft), body, content_length=1024**3)  # "1 GB", 2 KB sent

    assert response.status_code == 413
    assert response.json()["detail"] == "文件超过 100 MB，请压缩后重新上传。"
    _assert_nothing_stored(places, before)


def test_a_chunked_upload_without_content_length_is_411_with_the_reason(
    me: APIClient, draft: Application, places: dict[str, Path]
) -> None:
    """Django reads a body without Content-Length (Transfer-Encoding: chunked straight to
    gunicorn) as empty: without this check the file vanished into "material_key is required"."""
    before = _state(places)

    client: Client = me  # Django's generic() takes the body as bytes
    response = client.generic(
        "POST", _url(draft), _body(_pdf()), content_type=MULTIPART_CONTENT, CONTENT_LENGTH=""
    )

    assert response.status_code == 411
    assert "Content-Length" in response.json()["detail"]
    _assert_nothing_stored(places, before)


def test_a_spoofed_small_content_length_cannot_smuggle_a_big_file(
    me: APIClient, draft: Application, places: dict[str, Path], settings: Settings
) -> None:
    settings.UPLOAD_MAX_BYTES = 3000
    body = _body(_pdf().ljust(50_000, b"\n"))
    before = _state(places)

    response = _raw_post(me, _url(draft), body, content_length=600)

    assert response.status_code in (400, 413)
    _assert_nothing_stored(places, before)


def test_a_body_streaming_past_the_limit_stops_with_413_in_html_too(
    applicant: User, draft: Application, places: dict[str, Path], settings: Settings
) -> None:
    """The HTML form: the middleware answers before CSRF reads the body, with the reason."""
    settings.UPLOAD_MAX_BYTES = 3000
    client = Client(enforce_csrf_checks=True)
    sign_in(client, applicant)
    body = _body(_pdf().ljust(200_000, b"\n"))
    before = _state(places)

    response = _raw_post(
        client, f"/applications/{draft.pk}/materials/", body, content_length=len(body)
    )

    assert response.status_code == 413
    assert "文件超过 2.9 KB，请压缩后重新上传。" in response.content.decode()
    _assert_nothing_stored(places, before)


# --- SEC-UP-02: type by content, scripts, polyglots ------------------------------------------------

PDF_SCRIPT = "该 PDF 文件包含脚本、自动运行的操作或嵌入的附件，存在安全风险，无法接收。"
POLYGLOT = "该文件中夹带了网页代码，存在安全风险，无法接收。请重新拍摄或导出后上传。"
ONLY_ALLOWED = "只能上传 PDF、JPG、PNG 或 OFD 文件；"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        pytest.param(
            _pdf(catalog_extra=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
            "表.pdf",
            PDF_SCRIPT,
            id="pdf-openaction-javascript",
        ),
        pytest.param(
            _pdf(b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"),
            "表.pdf",
            PDF_SCRIPT,
            id="pdf-javascript-hex-escaped-name",
        ),
        pytest.param(_pdf(b"<< /S /Launch /F (cmd.exe) >>"), "表.pdf", PDF_SCRIPT, id="pdf-launch"),
        pytest.param(
            _pdf(catalog_extra=b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >> "),
            "表.pdf",
            PDF_SCRIPT,
            id="pdf-embedded-file",
        ),
        pytest.param(
            _object_stream_pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
            "表.pdf",
            PDF_SCRIPT,
            id="pdf-javascript-in-compressed-object-stream",
        ),
        pytest.param(
            _jpeg(b"<html><script>alert(document.cookie)</script></html>"),
            "照片.jpg",
            POLYGLOT,
            id="jpeg-html-polyglot",
        ),
        pytest.param(
            _png() + b"<SCRIPT>alert(1)</SCRIPT>", "照片.png", POLYGLOT, id="png-script-trailer"
        ),
        pytest.param(
            b"<html><body><script>alert(1)</script></body></html>",
            "照片.jpg",
            ONLY_ALLOWED + "该文件的内容是 HTML 网页或 XML 文本。",
            id="jpg-containing-html",
        ),
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "图.png",
            ONLY_ALLOWED + "该文件的内容是 HTML 网页或 XML 文本。",
            id="svg-with-script",
        ),
        pytest.param(
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
            "照片.png",
            ONLY_ALLOWED + "该文件的内容是 GIF 图片。",
            id="gif-named-png",
        ),
    ],
)
def test_unsafe_content_is_400_with_the_reason_and_stores_nothing(
    me: APIClient,
    draft: Application,
    places: dict[str, Path],
    content: bytes,
    name: str,
    message: str,
) -> None:
    before = _state(places)

    response = _post(me, draft, content, name)

    assert response.status_code == 400
    assert response.json()["detail"].startswith(message)
    _assert_nothing_stored(places, before)


def test_a_pdf_opening_at_a_page_without_script_is_accepted(places: dict[str, Path]) -> None:
    content = _pdf(catalog_extra=b"/OpenAction [3 0 R /Fit] ")

    inspected = upload_inspect(file=SimpleUploadedFile("表.pdf", content))

    assert inspected.content_type == "application/pdf"


def test_a_png_named_pdf_is_stored_and_served_as_png(
    me: APIClient, draft: Application, places: dict[str, Path], applicant: User
) -> None:
    """The content decides the type; the name the citizen chose never does."""
    response = _post(me, draft, _png(), "扫描件.pdf")
    material = ApplicationMaterial.objects.get(pk=response.json()["id"])

    assert (material.content_type, str(material.file.name)[-4:]) == ("image/png", ".png")
    download = _download(applicant, material)
    assert download["Content-Type"] == "image/png"


# --- SEC-UP-05: OFD containers -------------------------------------------------------------------


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as container:
        container.writestr("OFD.xml", OFD_XML)
        container.writestr("Doc_0/Res/fill.bin", b"\x00" * (64 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(_bomb(), id="zip-bomb-ratio"),
        pytest.param(_ofd_entries([f"Doc_0/p{i}.xml" for i in range(2001)]), id="2001-entries"),
        pytest.param(_ofd(**{"../../evil.xml": "x"}), id="zip-slip-dotdot"),
        pytest.param(_ofd(**{"/etc/cron.d/x": "x"}), id="zip-slip-absolute"),
        pytest.param(_ofd(**{"Doc_0\\..\\..\\x.xml": "x"}), id="zip-slip-backslash"),
        pytest.param(_ofd(**{"Doc_0/inner.zip": _ofd()}), id="nested-archive"),
    ],
)
def test_unsafe_ofd_containers_are_refused_quickly(places: dict[str, Path], content: bytes) -> None:
    started = time.monotonic()

    with pytest.raises(UploadRefused) as refused:
        upload_inspect(file=SimpleUploadedFile("发票.ofd", content))

    assert refused.value.code == "unsafe"
    assert refused.value.message.startswith("该 OFD 文件的结构异常")
    assert time.monotonic() - started < 3


def test_a_plain_ofd_is_accepted(places: dict[str, Path]) -> None:
    inspected = upload_inspect(file=SimpleUploadedFile("发票.ofd", _ofd(**{"Doc_0/a.xml": "x"})))

    assert inspected.content_type == "application/ofd"


def test_an_ofd_that_expands_beyond_the_limit_is_refused(settings: Settings) -> None:
    settings.OFD_MAX_UNCOMPRESSED_BYTES = 10_000

    with pytest.raises(UploadRefused) as refused:
        upload_inspect(file=SimpleUploadedFile("发票.ofd", _ofd(**{"a.xml": "x" * 20_000})))

    assert refused.value.code == "unsafe"


# --- SEC-UP-03: quotas, counted from the rows ------------------------------------------------------


def _upload(user: User, application: Application, key: str, content: bytes = PDF) -> Any:
    return services.application_material_upload(
        user=user,
        application_id=application.pk,
        material_key=key,
        file=SimpleUploadedFile("a.pdf", content),
        now=NOW,
    )


def test_the_file_after_the_case_quota_is_413(
    applicant: User, draft: Application, places: dict[str, Path], settings: Settings
) -> None:
    settings.UPLOAD_MAX_FILES_PER_CASE = 2
    _upload(applicant, draft, "M01")
    _upload(applicant, draft, "M02")
    _upload(applicant, draft, "M01")  # replacing in a draft does not count twice
    before = _state(places)

    with pytest.raises(UploadRefused) as refused:
        _upload(applicant, draft, "M03")

    assert (refused.value.code, refused.value.status_code) == ("quota", 413)
    assert refused.value.message.startswith("每件申请最多上传 2 个文件，已达上限。")
    _assert_nothing_stored(places, before)


def test_the_bytes_after_the_case_quota_are_413(
    me: APIClient, applicant: User, draft: Application, places: dict[str, Path], settings: Settings
) -> None:
    settings.UPLOAD_MAX_BYTES_PER_CASE = 2 * len(PDF) + 10
    _upload(applicant, draft, "M01")
    _upload(applicant, draft, "M02")
    before = _state(places)

    response = me.post(
        _url(draft),
        {"material_key": "M03", "file": SimpleUploadedFile("c.pdf", PDF)},
        format="multipart",
    )

    assert response.status_code == 413
    assert response.json()["detail"].startswith("每件申请上传的文件合计不能超过")
    _assert_nothing_stored(places, before)


def test_the_upload_after_the_daily_quota_is_429_and_tomorrow_is_fine(
    applicant: User,
    workflow_catalogue: dict[str, Matter],
    places: dict[str, Path],
    settings: Settings,
) -> None:
    settings.UPLOAD_MAX_FILES_PER_DAY = 3
    first = services.application_draft_create(
        applicant=applicant, matter_id=workflow_catalogue["food"].pk, now=NOW
    )
    second = services.application_draft_create(
        applicant=applicant, matter_id=workflow_catalogue["elder"].pk, now=NOW
    )
    _upload(applicant, first, "M01")
    _upload(applicant, first, "M02")
    _upload(applicant, first, "M03")
    before = _state(places)

    with pytest.raises(UploadRefused) as refused:
        _upload(applicant, second, "M01")

    assert (refused.value.code, refused.value.status_code) == ("quota", 429)
    assert refused.value.message == "您今天已上传 3 个文件，达到每日上限，请明天再上传。"
    _assert_nothing_stored(places, before)
    tomorrow = NOW.replace(day=NOW.day + 1)
    services.application_material_upload(
        user=applicant,
        application_id=second.pk,
        material_key="M01",
        file=SimpleUploadedFile("a.pdf", PDF),
        now=tomorrow,
    )


# --- SEC-UP-07: virus scanning -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def fake_clamd() -> Iterator[tuple[str, list[bytes]]]:
    """A stand-in clamd on a local port answering INSTREAM with what the test puts in `answer`."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    answer = [b"stream: OK\n"]
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                received = b""
                while not received.endswith(b"\0\0\0\0"):
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    received += chunk
                connection.sendall(answer[0])

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}", answer
    stop.set()
    thread.join()
    server.close()


@pytest.mark.parametrize(
    ("answer", "status", "message"),
    [
        pytest.param(
            b"stream: Tongban.Test.Signature FOUND\n",
            400,
            "文件未通过病毒检测，无法接收。请用杀毒软件检查后重新上传。",
            id="virus",
        ),
        pytest.param(
            b"INSTREAM size limit exceeded. ERROR\n",
            503,
            "暂时无法检查文件，请稍后再试。",
            id="scanner-error",
        ),
    ],
)
def test_a_scanner_verdict_other_than_ok_refuses_the_upload(
    me: APIClient,
    draft: Application,
    places: dict[str, Path],
    settings: Settings,
    fake_clamd: tuple[str, list[bytes]],
    answer: bytes,
    status: int,
    message: str,
) -> None:
    settings.CLAMAV_URL, replies = fake_clamd
    replies[0] = answer
    before = _state(places)

    response = _post(me, draft, _pdf(), "材料.pdf")

    assert response.status_code == status
    assert response.json()["detail"] == message
    _assert_nothing_stored(places, before)


def test_a_clean_verdict_stores_the_file(
    me: APIClient,
    draft: Application,
    places: dict[str, Path],
    settings: Settings,
    fake_clamd: tuple[str, list[bytes]],
) -> None:
    settings.CLAMAV_URL, _ = fake_clamd

    response = _post(me, draft, _pdf(), "材料.pdf")

    assert response.status_code == 201


@pytest.mark.parametrize("url", ["tcp://127.0.0.1:{port}", "unix:///nonexistent/clamd.ctl"])
def test_an_unreachable_scanner_fails_closed_with_503(
    me: APIClient, draft: Application, places: dict[str, Path], settings: Settings, url: str
) -> None:
    settings.CLAMAV_URL = url.format(port=_free_port())  # nothing listens there
    settings.CLAMAV_TIMEOUT_SECONDS = 2
    before = _state(places)

    response = _post(me, draft, _pdf(), "材料.pdf")

    assert response.status_code == 503
    assert response.json()["detail"] == "暂时无法检查文件，请稍后再试。"
    _assert_nothing_stored(places, before)


def test_a_scanner_that_never_answers_times_out_and_fails_closed(
    me: APIClient, draft: Application, places: dict[str, Path], settings: Settings
) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection (backlog), never answers
    settings.CLAMAV_URL = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
    settings.CLAMAV_TIMEOUT_SECONDS = 0.5
    before = _state(places)
    try:
        started = time.monotonic()
        response = _post(me, draft, _pdf(), "材料.pdf")
        elapsed = time.monotonic() - started
    finally:
        silent.close()

    assert response.status_code == 503
    assert elapsed < 5
    _assert_nothing_stored(places, before)


# --- SEC-UP-04: file names -------------------------------------------------------------------------

NASTY_NAMES = [
    "../../etc/passwd",
    "..\\..\\win.ini",
    "a/../../x",
    "a.pdf\x00.exe",
    "长" * 300 + ".pdf",
    "照片\u202egpj.exe",
    "...",
    "   ",
    ". . .",
    "CON.pdf",
    'a"; filename="evil.html',
    "a\r\nSet-Cookie: x=1.pdf",
]


@pytest.mark.parametrize("name", NASTY_NAMES)
def test_nasty_names_get_a_uuid_key_a_clean_display_name_and_a_safe_download(
    me: APIClient, draft: Application, places: dict[str, Path], applicant: User, name: str
) -> None:
    response = _post(me, draft, _pdf(), name)

    assert response.status_code == 201
    material = ApplicationMaterial.objects.get(pk=response.json()["id"])
    assert TEMP_UPLOAD_NAME.fullmatch(str(material.file.name))
    display = material.original_name
    assert not any(ch in display for ch in "/\\\x00\r\n\u202e")
    assert not display.startswith(".")
    assert len(display) <= 200
    files = [p for p in places["root"].rglob("*") if p.is_file()]
    assert files == [places["media"] / str(material.file.name)]
    download = _download(applicant, material)
    disposition = download["Content-Disposition"]
    assert disposition == (
        f'attachment; filename="material-{material.pk}.pdf"; '
        "filename*=UTF-8''%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf"  # the material's name, 申请表
    )


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ('a"; filename="evil.html', "a__ filename=_evil.html"),
        ("a\r\nSet-Cookie: x=1", "aSet-Cookie_ x=1"),
        ("照片\u202egpj.exe", "照片gpj.exe"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("..\\..\\win.ini", "_.._win.ini"),
        ("CON.pdf", "_CON.pdf"),
        ("lpt1", "_lpt1"),
        (". . .", "material"),
        ("   ", "material"),
        ("a\x00b", "ab"),
        ("x" * 300, "x" * 120),
    ],
)
def test_download_names_are_made_safe(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


def test_the_utf8_name_is_fully_percent_encoded() -> None:
    header = content_disposition("attachment", 'a "b"\r\n/;.pdf', fallback="material-1.pdf")

    assert header == (
        "attachment; filename=\"material-1.pdf\"; filename*=UTF-8''a%20%22b%22%0D%0A%2F%3B.pdf"
    )


# --- SEC-UP-06 / SEC-UP-08: storage and serving ------------------------------------------------


def _download(user: User, material: ApplicationMaterial) -> Any:
    client = Client()
    sign_in(client, user)
    response = client.get(f"/applications/{material.application_id}/materials/{material.pk}/")
    assert response.status_code == 200
    return response


def test_a_citizen_download_is_an_attachment_with_nosniff_and_sandbox(
    me: APIClient, draft: Application, places: dict[str, Path], applicant: User
) -> None:
    material = ApplicationMaterial.objects.get(pk=_post(me, draft, _pdf(), "a.pdf").json()["id"])

    response = _download(applicant, material)

    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == _pdf()


def test_a_staff_preview_of_a_pdf_is_inline_but_still_sandboxed(
    applicant: User, clerk: User, workflow_catalogue: dict[str, Matter], places: dict[str, Path]
) -> None:
    from tests.applications.conftest import draft_ready

    draft = draft_ready(applicant, workflow_catalogue["food"])
    services.application_submit(user=applicant, application_id=draft.pk, now=NOW)
    material = draft.materials.exclude(file="").first()
    assert material is not None
    client = Client()
    sign_in(client, clerk)

    response = client.get(f"/workbench/cases/{draft.pk}/materials/{material.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_another_citizen_cannot_download(
    me: APIClient, draft: Application, places: dict[str, Path], other_citizen: User
) -> None:
    material = ApplicationMaterial.objects.get(pk=_post(me, draft, _pdf(), "a.pdf").json()["id"])
    client = Client()
    sign_in(client, other_citizen)

    response = client.get(f"/applications/{draft.pk}/materials/{material.pk}/")

    assert response.status_code == 404


def test_a_certificate_download_is_an_attachment_with_nosniff_and_sandbox(
    places: dict[str, Path],
) -> None:
    (places["media"] / "certificates" / "2025").mkdir(parents=True)
    (places["media"] / "certificates" / "2025" / "1.pdf").write_bytes(_pdf())
    certificate = Certificate(number="SP1100001", file="certificates/2025/1.pdf")

    response = certificate_file_response(certificate)

    assert response["Content-Disposition"] == 'attachment; filename="certificate-SP1100001.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response.getvalue() == _pdf()  # (close() would end the DB session)
    response.file_to_stream.close()  # type: ignore[union-attr]


def test_stored_uploads_are_0640_in_0750_folders_and_never_half_written(
    me: APIClient, draft: Application, places: dict[str, Path]
) -> None:
    material = ApplicationMaterial.objects.get(pk=_post(me, draft, _pdf(), "a.pdf").json()["id"])
    path = places["media"] / str(material.file.name)

    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o750
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no .part left


def test_a_write_that_fails_midway_leaves_no_file(places: dict[str, Path]) -> None:
    from django.core.files.storage import default_storage

    def chunks() -> Iterator[bytes]:
        yield b"%PDF-1.4 first half"
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(storage=default_storage, name="applications/2025/06/x.pdf", chunks=chunks())  # type: ignore[arg-type]

    assert [p for p in places["media"].rglob("*") if p.is_file()] == []


def test_uploads_are_not_served_under_media_or_static_urls(
    me: APIClient, draft: Application, places: dict[str, Path], applicant: User
) -> None:
    material = ApplicationMaterial.objects.get(pk=_post(me, draft, _pdf(), "a.pdf").json()["id"])
    client = Client()
    sign_in(client, applicant)

    for url in (f"/media/{material.file.name}", f"/static/../media/{material.file.name}"):
        assert client.get(url).status_code == 404


def test_the_development_media_route_serves_only_catalogue_files(settings: Settings) -> None:
    """With DEBUG the dev server serves MEDIA_URL: only matters/ (blank forms, samples)."""
    import portal.urls

    settings.DEBUG = True
    try:
        module = importlib.reload(portal.urls)
        resolver = URLResolver(RegexPattern(r"^/"), module.urlpatterns)
        assert resolver.resolve("/media/matters/forms/a.pdf").func.__name__ == "serve"
        for path in ("/media/applications/2025/06/a.pdf", "/media/certificates/2025/1.pdf"):
            with pytest.raises(Resolver404):
                resolver.resolve(path)
    finally:
        settings.DEBUG = False
        importlib.reload(portal.urls)
        clear_url_caches()


def test_the_temp_dir_is_outside_media_root() -> None:
    from django.conf import settings as django_settings

    temp = django_settings.FILE_UPLOAD_TEMP_DIR
    if temp is not None:
        assert not os.path.realpath(temp).startswith(os.path.realpath(django_settings.MEDIA_ROOT))
    assert django_settings.FILE_UPLOAD_PERMISSIONS == 0o640
    assert django_settings.DATA_UPLOAD_MAX_NUMBER_FILES == 20


# --- SEC-UP-07 against a real clamd with a local test signature (no download needed) -------------

CLAMD = Path("/usr/sbin/clamd")
TEST_SIGNATURE = b"TONGBAN-TEST-VIRUS-SIGNATURE-0001"


@pytest.fixture
def clamd_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """clamd started with a database holding only our .ndb body signature; its socket URL."""
    if not CLAMD.exists():
        pytest.skip("clamd is not installed (apt-get install clamav-daemon)")
    folder = tmp_path_factory.mktemp("clamd")
    (folder / "db").mkdir()
    (folder / "db" / "tongban.ndb").write_text(
        f"Tongban.Test.Signature:0:*:{TEST_SIGNATURE.hex()}\n"
    )
    sock = folder / "clamd.sock"
    (folder / "clamd.conf").write_text(
        f"Foreground yes\nDatabaseDirectory {folder / 'db'}\nLocalSocket {sock}\n"
        f"PidFile {folder / 'clamd.pid'}\nLogFile {folder / 'clamd.log'}\n"
    )
    process = subprocess.Popen(  # noqa: S603 -- a fixed binary and our own config
        [str(CLAMD), "-c", str(folder / "clamd.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not sock.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"clamd did not start: {(folder / 'clamd.log').read_text()}")
            time.sleep(0.2)
        yield f"unix://{sock}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.chaos
@pytest.mark.tier2
@pytest.mark.skipif(os.environ.get("CHAOS_TIER2") != "1", reason="Tier 2: run with `make chaos`")
def test_real_clamd_refuses_the_test_signature_and_fails_closed_when_stopped(
    me: APIClient,
    draft: Application,
    places: dict[str, Path],
    settings: Settings,
    clamd_socket: str,
) -> None:
    settings.CLAMAV_URL = clamd_socket
    infected = _pdf(b"(" + TEST_SIGNATURE + b")")
    before = _state(places)

    refused = _post(me, draft, infected, "材料.pdf")

    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("文件未通过病毒检测")
    _assert_nothing_stored(places, before)
    assert _post(me, draft, _pdf(), "材料.pdf").status_code == 201
    settings.CLAMAV_URL = clamd_socket + ".gone"  # the daemon's socket is not there
    assert _post(me, draft, _pdf(), "材料.pdf").status_code == 503
