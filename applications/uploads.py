"""Check and store the materials (申请材料) citizens upload with an application.

The type of an upload is decided by its content, never by its name: a PNG named ``scan.pdf`` is a
PNG and is stored as ``.png``. The name the citizen chose is kept for display only; the storage
name is generated on the server. Callers inspect first and store only what passed inspection::

    inspected = upload_inspect(file=request.FILES["file"])  # raises UploadRefused
    upload_quota_check(application=application, user=user, inspected=inspected, now=now)
    name = upload_store(file=request.FILES["file"], inspected=inspected, now=timezone.now())

Before any of that, `UploadLimitHandler` stops reading a request body at the first file over
the limit, and `UploadLimitMiddleware` answers 413 for such requests (and for a declared body
over the per-case limit) before the CSRF check reads the body. Inspection refuses PDFs with
scripts, launch actions or embedded files, images or PDFs with HTML in them (polyglots), and OFD
containers that are zip bombs; a configured virus scanner (`applications.virus_scan`) must pass
every file. Files are written under a temporary name next to their final one and renamed, so a
half-written file never carries a storage name.
"""

import hashlib
import html
import os
import re
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

import filetype

from accounts.models import User
from applications.choices import MaterialSource
from applications.models import Application, ApplicationMaterial
from applications.virus_scan import (
    ScannerUnavailableError,
    VirusFoundError,
    virus_scan,
    virus_scan_warn_if_disabled,
)
from core.errors import DomainError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # when settings.UPLOAD_MAX_BYTES is not set
DEFAULT_MAX_FILES_PER_CASE = 20
DEFAULT_MAX_BYTES_PER_CASE = 100 * 1024 * 1024
DEFAULT_MAX_FILES_PER_DAY = 200
# OFD containers (zip): limits checked on the central directory and while counting the real
# decompressed bytes, so a zip bomb is refused long before it is expanded.
DEFAULT_OFD_MAX_ENTRIES = 2000
DEFAULT_OFD_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
OFD_MAX_RATIO = 200  # uncompressed ÷ compressed, for entries over 1 MB uncompressed
# Accepted types a browser shows inline (previews); OFD needs a reader, so it downloads.
PREVIEWABLE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
STORAGE_DIRECTORY = "applications"
ORIGINAL_NAME_MAX_LENGTH = 200

_CHUNK_BYTES = 64 * 1024
_SIGNATURE_BYTES = 8192  # what filetype.guess() looks at
_PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_OFD_ROOT_DOCUMENT = "OFD.xml"  # GB/T 33190: the entry file at the root of the container
# HTML a browser would run if it ever sniffed an image or PDF as a page (polyglots). Binary
# image data matches one of these by chance with negligible probability in the first 64 KB.
_POLYGLOT_SCAN_BYTES = 64 * 1024
_POLYGLOT_MARKERS = (
    b"<script",
    b"<html",
    b"<!doctype html",
    b"<svg",
    b"<iframe",
    b"<body",
    b"<object",
    b"<embed",
    b"javascript:",
)
# PDF names that run code, launch programs or carry other files (checked after #xx decoding, in
# the file and in its compressed object streams). /OpenAction alone only sets the first view;
# an /OpenAction that runs JavaScript names /JS or /JavaScript and is caught by those.
_PDF_FORBIDDEN_NAMES = frozenset(
    {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia"}
)
_PDF_NAME = re.compile(rb"/([^\x00\t\n\f\r ()<>\[\]{}/%]+)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n")
_PDF_OBJECT_STREAM_BUDGET = 64 * 1024 * 1024  # decompressed bytes examined per PDF at most
_NESTED_ARCHIVE_SUFFIXES = (".zip", ".ofd", ".rar", ".7z", ".gz", ".tar", ".jar", ".cab")

# Sniffed type → (content type, stored extension).
_PDF = ("application/pdf", "pdf")
_JPEG = ("image/jpeg", "jpg")
_PNG = ("image/png", "png")
_OFD = ("application/ofd", "ofd")

_ARCHIVE_EXTENSIONS = frozenset(
    {"zip", "rar", "7z", "gz", "bz2", "xz", "tar", "zst", "lz", "lz4", "lzo", "Z", "br", "cab"}
)
_PROGRAM_EXTENSIONS = frozenset({"exe", "elf", "wasm", "deb", "rpm", "crx", "swf"})


class UploadRefused(DomainError):  # noqa: N818 -- the name callers were promised
    """An uploaded file may not be accepted; `message` tells the citizen why and what to do.

    `code` is stable for programs: ``empty``, ``too_large``, ``type_not_allowed``, ``damaged``,
    ``unsafe`` (scripts, polyglots, zip bombs), ``virus``, ``scanner_unavailable``, ``quota`` or
    ``length_required``. `status_code` is the HTTP answer: 413 for sizes, 411 for a multipart body
    without Content-Length (chunked), 429 for the daily quota, 503 when the virus scanner cannot be
    reached, 400 otherwise.
    """

    def __init__(self, message: str, *, code: str, status_code: int = 400) -> None:
        super().__init__(message, errors={"file": [message]})
        self.code = code
        self.status_code = status_code


@dataclass(frozen=True)
class InspectedUpload:
    """What inspection found out about an accepted upload."""

    content_type: str
    extension: str  # from the sniffed type, without a dot
    size: int
    sha256: str  # hex digest
    original_name: str  # sanitised, for display only; never use it as a path


def upload_inspect(
    *, file: UploadedFile[bytes] | File[bytes], max_bytes: int | None = None
) -> InspectedUpload:
    """Read `file` once in chunks, check its size and sniff its type from the content.

    At most one chunk beyond `max_bytes` is read. The file position is left at 0.

    :raises UploadRefused: if the file is empty, larger than `max_bytes` (by default
        ``settings.UPLOAD_MAX_BYTES``, 20 MiB if unset), damaged, or not a PDF, JPEG, PNG or OFD.
    """
    limit: int = (
        max_bytes
        if max_bytes is not None
        else getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    )
    digest = hashlib.sha256()
    head = b""
    size = 0
    file.seek(0)
    try:
        while chunk := file.read(_CHUNK_BYTES):
            size += len(chunk)
            if size > limit:  # stop reading: the rest could be gigabytes
                raise _too_large(limit)
            digest.update(chunk)
            if len(head) < _SIGNATURE_BYTES:
                head += chunk[: _SIGNATURE_BYTES - len(head)]
        if size == 0:
            raise UploadRefused(_("文件是空的，请重新选择文件。"), code="empty")
        content_type, extension = _sniff(head=head, file=file)
        if extension in {"pdf", "jpg", "png"}:
            _refuse_polyglot(file)
        if extension == "pdf":
            _refuse_active_pdf(file)
        _scan_for_viruses(file)
    finally:
        file.seek(0)
    return InspectedUpload(
        content_type=content_type,
        extension=extension,
        size=size,
        sha256=digest.hexdigest(),
        original_name=_display_name(file.name),
    )


def upload_storage_name(*, inspected: InspectedUpload, now: datetime) -> str:
    """Return a new storage name such as ``applications/2026/11/<uuid4 hex>.pdf``.

    Nothing of the citizen's file name goes into it; the month is the portal's local month.
    """
    local = timezone.localtime(now)
    return f"{STORAGE_DIRECTORY}/{local:%Y}/{local:%m}/{uuid.uuid4().hex}.{inspected.extension}"


def upload_store(
    *, file: UploadedFile[bytes] | File[bytes], inspected: InspectedUpload, now: datetime
) -> str:
    """Save an inspected upload to the default storage and return its stored name.

    Call `upload_inspect()` first: only an accepted upload has an `InspectedUpload`. If the
    surrounding transaction fails, remove the file again with `upload_discard()`.

    On a file system the content is written to a hidden ``.<uuid>.part`` file in the target
    folder, flushed and renamed with `os.replace`, so the final name never shows a partial file
    (FileSystemStorage writes in-memory uploads straight to the final name). Object stores put
    atomically and go through `default_storage.save`. A ``.part`` left by a killed process is
    removed by ``manage.py reconcile_files``.
    """
    name = upload_storage_name(inspected=inspected, now=now)
    file.seek(0)
    if not isinstance(default_storage, FileSystemStorage):
        return default_storage.save(name, file)
    atomic_write(storage=default_storage, name=name, chunks=file.chunks())
    return name


def atomic_write(*, storage: FileSystemStorage, name: str, chunks: Any) -> None:
    """Write `chunks` (bytes) to `name` in `storage` via a temporary name and `os.replace`,
    with the storage's file and directory permissions (FILE_UPLOAD_PERMISSIONS, 0640)."""
    final = Path(storage.path(name))
    directory_mode = storage.directory_permissions_mode
    if directory_mode is not None:
        old_umask = os.umask(0o777 & ~directory_mode)
        try:
            final.parent.mkdir(mode=directory_mode, parents=True, exist_ok=True)
        finally:
            os.umask(old_umask)
    else:
        final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.parent / f"{PARTIAL_PREFIX}{uuid.uuid4().hex}{PARTIAL_SUFFIX}"
    mode = storage.file_permissions_mode or 0o640
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(partial, mode)  # the umask may have narrowed os.open's mode
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


PARTIAL_PREFIX = "."
PARTIAL_SUFFIX = ".part"


def upload_discard(*, name: str) -> None:
    """Delete a stored upload; a file that is already gone is not an error.

    :raises ValueError: if `name` is not an upload's storage name, so a mistake cannot delete
        other media such as certificates.
    """
    if not name.startswith(f"{STORAGE_DIRECTORY}/"):
        raise ValueError(f"Not an upload's storage name: {name!r}")
    default_storage.delete(name)  # FileSystemStorage and the S3 backends ignore missing files


def _sniff(*, head: bytes, file: File[bytes]) -> tuple[str, str]:
    """Return (content type, extension) of an allowed type; refuse anything else."""
    kind = filetype.guess(head)
    if kind is None:
        raise _type_not_allowed(_describe_unknown(head))
    if kind.mime == "application/pdf":
        # filetype only looks for "%PDF" (after a BOM); readers expect "%PDF-1.x" at offset 0.
        # PDFs with JavaScript or launch actions are not refused: such scripts usually hide in
        # compressed streams a byte scan cannot see, and official fill-in forms use them.
        if not _PDF_HEADER.match(head):
            raise UploadRefused(_("该文件不是有效的 PDF 文件，请重新导出后上传。"), code="damaged")
        return _PDF
    if kind.mime == "image/jpeg":
        return _JPEG
    if kind.mime in {"image/png", "image/apng"}:
        # filetype accepts the first 4 bytes; the full signature also catches FTP text-mode damage.
        if not head.startswith(_PNG_SIGNATURE):
            raise UploadRefused(_("该图片已损坏，请重新拍摄或导出后上传。"), code="damaged")
        return _PNG
    if head.startswith(b"PK\x03\x04") and _is_ofd(file):
        return _OFD
    raise _type_not_allowed(_describe(mime=kind.mime, extension=kind.extension))


def _is_ofd(file: File[bytes]) -> bool:
    """Tell whether a ZIP container holds ``OFD.xml`` at its root (reads the directory only).

    :raises UploadRefused: if the ZIP container is damaged.
    """
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as container:
            entry = container.getinfo(_OFD_ROOT_DOCUMENT)
            if entry.is_dir():
                return False
            _refuse_unsafe_container(container)
    except KeyError:
        return False
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error):
        raise UploadRefused(
            _("该文件已损坏，无法打开，请检查后重新上传。"), code="damaged"
        ) from None
    return True


def _refuse_unsafe_container(container: zipfile.ZipFile) -> None:
    """Refuse zip bombs, path tricks and nested archives in an OFD container.

    The central directory is checked first (entry count, declared sizes and ratios, names);
    then every entry is decompressed in chunks, counting the real bytes, and reading stops as
    soon as an entry produces more than it declared or the total passes the limit.
    """
    entries = container.infolist()
    max_entries: int = getattr(settings, "OFD_MAX_ENTRIES", DEFAULT_OFD_MAX_ENTRIES)
    max_total: int = getattr(
        settings, "OFD_MAX_UNCOMPRESSED_BYTES", DEFAULT_OFD_MAX_UNCOMPRESSED_BYTES
    )
    if len(entries) > max_entries:
        raise _unsafe_container()
    declared = 0
    for entry in entries:
        if not _safe_member_name(entry.filename):
            raise _unsafe_container()
        if entry.filename.lower().endswith(_NESTED_ARCHIVE_SUFFIXES):
            raise _unsafe_container()
        declared += entry.file_size
        large = entry.file_size > 1024 * 1024
        if declared > max_total or (
            large and entry.file_size > OFD_MAX_RATIO * max(entry.compress_size, 1)
        ):
            raise _unsafe_container()
    produced = 0
    for entry in entries:
        if entry.is_dir():
            continue
        entry_bytes = 0
        with container.open(entry) as member:
            while chunk := member.read(_CHUNK_BYTES):
                entry_bytes += len(chunk)
                produced += len(chunk)
                if entry_bytes > entry.file_size or produced > max_total:
                    raise _unsafe_container()


def _safe_member_name(name: str) -> bool:
    """A relative name without ``..``, backslashes, drive letters or control characters."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or re.match(r"^[A-Za-z]:", name):
        return False
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        return False
    return all(part not in {"..", "."} for part in name.rstrip("/").split("/"))


def _unsafe_container() -> UploadRefused:
    return UploadRefused(
        _(
            "该 OFD 文件的结构异常（文件过多、解压后过大或包含不安全的路径），无法接收，请重新导出后上传。"
        ),
        code="unsafe",
    )


def _length_required() -> UploadRefused:
    return UploadRefused(
        _("上传文件时请求须注明文件大小（Content-Length），请通过网页或客户端重新上传。"),
        code="length_required",
        status_code=411,
    )


def _too_large(limit: int) -> UploadRefused:
    return UploadRefused(
        _("文件超过 %(limit)s，请压缩后重新上传。") % {"limit": _format_size(limit)},
        code="too_large",
        status_code=413,
    )


def _refuse_polyglot(file: File[bytes]) -> None:
    """Refuse an image or PDF whose first 64 KB carry HTML or script (a polyglot file)."""
    file.seek(0)
    head = file.read(_POLYGLOT_SCAN_BYTES).lower()
    if any(marker in head for marker in _POLYGLOT_MARKERS):
        raise UploadRefused(
            _("该文件中夹带了网页代码，存在安全风险，无法接收。请重新拍摄或导出后上传。"),
            code="unsafe",
        )


def _refuse_active_pdf(file: File[bytes]) -> None:
    """Refuse a PDF with JavaScript, launch actions or embedded files.

    Names are compared after decoding ``#xx`` escapes (``/J#61vaScript``), in the file itself
    and in its Flate-compressed object streams (PDF 1.5), where dictionaries may hide.
    """
    file.seek(0)
    data = file.read()
    if _pdf_has_forbidden_name(data) or _pdf_object_streams_have_forbidden_name(data):
        raise UploadRefused(
            _(
                "该 PDF 文件包含脚本、自动运行的操作或嵌入的附件，存在安全风险，无法接收。"
                "请用“打印为 PDF”或“另存为 PDF”重新生成后上传。"
            ),
            code="unsafe",
        )


def _pdf_has_forbidden_name(data: bytes) -> bool:
    for match in _PDF_NAME.finditer(data):
        name = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), match[1])
        if name in _PDF_FORBIDDEN_NAMES:
            return True
    return False


def _pdf_object_streams_have_forbidden_name(data: bytes) -> bool:
    budget = _PDF_OBJECT_STREAM_BUDGET
    for match in _PDF_STREAM.finditer(data):
        dictionary_start = data.rfind(b"<<", max(0, match.start() - 2048), match.start())
        if dictionary_start < 0:
            continue
        dictionary = _PDF_NAME_ESCAPE.sub(
            lambda m: bytes([int(m[1], 16)]), data[dictionary_start : match.start()]
        )
        if b"/ObjStm" not in dictionary or b"/FlateDecode" not in dictionary:
            continue
        inflater = zlib.decompressobj()
        try:
            expanded = inflater.decompress(data[match.end() :], budget)
        except zlib.error:
            continue  # a damaged stream: readers cannot run what they cannot inflate either
        budget -= len(expanded)
        if _pdf_has_forbidden_name(expanded):
            return True
        if budget <= 0:
            return True  # more than 64 MB of hidden objects: refuse rather than skip the rest
    return False


def _scan_for_viruses(file: File[bytes]) -> None:
    try:
        virus_scan(file)
    except VirusFoundError:
        raise UploadRefused(
            _("文件未通过病毒检测，无法接收。请用杀毒软件检查后重新上传。"), code="virus"
        ) from None
    except ScannerUnavailableError:
        raise UploadRefused(
            _("暂时无法检查文件，请稍后再试。"), code="scanner_unavailable", status_code=503
        ) from None


def _type_not_allowed(description: str) -> UploadRefused:
    message = _("只能上传 PDF、JPG、PNG 或 OFD 文件；%(found)s。") % {"found": description}
    return UploadRefused(message, code="type_not_allowed")


def _describe_unknown(head: bytes) -> str:
    """Describe content filetype does not know; text formats have no magic number."""
    if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        return _("该文件的内容是 HTML 网页或 XML 文本")
    return _("无法识别该文件的格式")


def _describe(*, mime: str, extension: str) -> str:
    """Describe a refused type in words a citizen knows, e.g. "该文件的内容是 ZIP 压缩包"."""
    name = extension.upper()
    if extension in {"doc", "docx"}:
        found = _("Word 文档")
    elif extension in {"xls", "xlsx"}:
        found = _("Excel 表格")
    elif extension in {"ppt", "pptx"}:
        found = _("PowerPoint 演示文稿")
    elif extension in {"odt", "ods", "odp"}:
        found = _("OpenDocument 文档")
    elif extension in _ARCHIVE_EXTENSIONS:
        found = _("%(format)s 压缩包") % {"format": name}
    elif extension in _PROGRAM_EXTENSIONS:
        found = _("%(format)s 可执行程序") % {"format": name}
    elif mime.startswith("image/"):
        found = _("%(format)s 图片") % {"format": name}
    elif mime.startswith("video/"):
        found = _("%(format)s 视频") % {"format": name}
    elif mime.startswith("audio/"):
        found = _("%(format)s 音频") % {"format": name}
    else:
        found = _("%(format)s 文件") % {"format": name}
    return _("该文件的内容是 %(found)s") % {"found": found}


def _format_size(size: int) -> str:
    """Format a byte count for a message: 20 MB, 1.5 MB, 512 KB, 100 字节."""
    if size >= 1024 * 1024:
        return f"{round(size / (1024 * 1024), 1):g} MB"
    if size >= 1024:
        return f"{round(size / 1024, 1):g} KB"
    return _("%(size)d 字节") % {"size": size}


def _display_name(name: str | None) -> str:
    """Return the base name without control or format characters, for display only."""
    # Browsers on Windows may send a full path; format characters such as U+202E can make
    # "gpj.exe" display as "exe.jpg". A name of only dots and spaces becomes empty.
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    visible = "".join(ch for ch in base if not unicodedata.category(ch).startswith("C"))
    return visible.strip().strip(". ")[:ORIGINAL_NAME_MAX_LENGTH].strip()


def upload_quota_check(
    *, application: Application, user: User | None, inspected: InspectedUpload, now: datetime
) -> None:
    """Refuse an upload that would pass a case's or a person's quota; counted from the rows.

    Per case: at most UPLOAD_MAX_FILES_PER_CASE files and UPLOAD_MAX_BYTES_PER_CASE bytes,
    counting every upload row (replaced 补正 files included: they stay stored). Per person
    (`user`, the uploader; None for a window clerk's scans): UPLOAD_MAX_FILES_PER_DAY uploads
    since local midnight. Call it after retiring the row being replaced and before storing.

    :raises UploadRefused: 413 for the case quotas, 429 for the daily one.
    """
    max_files: int = getattr(settings, "UPLOAD_MAX_FILES_PER_CASE", DEFAULT_MAX_FILES_PER_CASE)
    max_bytes: int = getattr(settings, "UPLOAD_MAX_BYTES_PER_CASE", DEFAULT_MAX_BYTES_PER_CASE)
    uploads = ApplicationMaterial.objects.filter(source=MaterialSource.UPLOAD)
    totals = uploads.filter(application=application).aggregate(files=Count("pk"), size=Sum("size"))
    if totals["files"] + 1 > max_files:
        raise UploadRefused(
            _("每件申请最多上传 %(count)d 个文件，已达上限。请删除或替换不需要的文件后再上传。")
            % {"count": max_files},
            code="quota",
            status_code=413,
        )
    if (totals["size"] or 0) + inspected.size > max_bytes:
        raise UploadRefused(
            _("每件申请上传的文件合计不能超过 %(limit)s，已达上限。请压缩文件后再上传。")
            % {"limit": _format_size(max_bytes)},
            code="quota",
            status_code=413,
        )
    if user is None:
        return
    per_day: int = getattr(settings, "UPLOAD_MAX_FILES_PER_DAY", DEFAULT_MAX_FILES_PER_DAY)
    midnight = timezone.make_aware(
        datetime.combine(timezone.localtime(now).date(), time.min), timezone.get_current_timezone()
    )
    today = uploads.filter(Q(provided_by=user) & Q(provided_at__gte=midnight)).count()
    if today + 1 > per_day:
        raise UploadRefused(
            _("您今天已上传 %(count)d 个文件，达到每日上限，请明天再上传。") % {"count": today},
            code="quota",
            status_code=429,
        )


_API_PREFIX = "/api/"


def _limits_apply(request: HttpRequest) -> bool:
    exempt: list[str] = getattr(settings, "UPLOAD_LIMIT_EXEMPT_PATHS", ["/admin/"])
    return not any(request.path.startswith(prefix) for prefix in exempt)


class UploadLimitHandler(FileUploadHandler):
    """The first upload handler: stops reading a request at the first file over
    UPLOAD_MAX_BYTES, so an oversized body never reaches memory or a temporary file.

    It counts the bytes actually received, not the declared Content-Length. Files of the same
    request already written by later handlers are closed (their temporary files deleted).
    """

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received = getattr(self, "received", 0) + len(raw_data)
        limit: int = getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
        if self.request is not None and _limits_apply(self.request) and self.received > limit:
            for handler in getattr(self.request, "upload_handlers", []):
                partial = getattr(handler, "file", None)
                if partial is not None and hasattr(partial, "close"):
                    partial.close()
            raise _too_large(limit)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file


class UploadLimitMiddleware:
    """Answer 413 with a clear message, before anything reads the body (CSRF does), when a
    multipart request declares a body over UPLOAD_MAX_BYTES_PER_CASE (+ 1 MB for the form) or a
    file in it passes UPLOAD_MAX_BYTES (`UploadLimitHandler`). Django's own TooManyFilesSent
    (DATA_UPLOAD_MAX_NUMBER_FILES) still answers 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        virus_scan_warn_if_disabled()  # once per process, at startup

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in {"POST", "PUT", "PATCH"}
            and request.content_type == "multipart/form-data"
            and _limits_apply(request)
        ):
            cap: int = (
                getattr(settings, "UPLOAD_MAX_BYTES_PER_CASE", DEFAULT_MAX_BYTES_PER_CASE)
                + 1024 * 1024
            )
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            try:
                if declared <= 0:
                    # Chunked (no Content-Length): Django reads such a body as empty, so the
                    # files would vanish into a "field required" error. Say what is wrong.
                    raise _length_required()
                if declared > cap:
                    raise _too_large(cap - 1024 * 1024)
                if not request.path.startswith(_API_PREFIX):
                    # HTML forms: parse now, as CSRF would, so a refusal gets this answer. The
                    # API parses in the view, where DRF keeps its 415 for endpoints that take no
                    # form data and core.api turns UploadRefused into its 413.
                    request.FILES  # noqa: B018
            except UploadRefused as refused:
                return _refusal_response(request, refused)
        return self.get_response(request)


def _refusal_response(request: HttpRequest, refused: UploadRefused) -> HttpResponse:
    wants_json = request.path.startswith(_API_PREFIX) or "json" in request.headers.get("Accept", "")
    if wants_json:
        return JsonResponse(
            {"detail": refused.message, "errors": refused.errors}, status=refused.status_code
        )
    body = (
        '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>{title}</title>'
        '<p role="alert">{message}</p><p>{back}</p></html>'
    )
    response = HttpResponse(
        body.format(
            title=html.escape(_("文件无法上传")),
            message=html.escape(refused.message),
            back=html.escape(_("请返回上一页，重新选择文件。")),
        ),
        status=refused.status_code,
    )
    response["Connection"] = "close"  # the rest of the body was not read
    return response
