"""Check and store the materials (申请材料) citizens upload with an application.

The type of an upload is decided by its content, never by its name: a PNG named ``scan.pdf`` is a
PNG and is stored as ``.png``. The name the citizen chose is kept for display only; the storage
name is generated on the server. Callers inspect first and store only what passed inspection::

    inspected = upload_inspect(file=request.FILES["file"])  # raises UploadRefused
    name = upload_store(file=request.FILES["file"], inspected=inspected, now=timezone.now())
"""

import hashlib
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

import filetype

from core.errors import DomainError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # when settings.UPLOAD_MAX_BYTES is not set
# Accepted types a browser shows inline (previews); OFD needs a reader, so it downloads.
PREVIEWABLE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
STORAGE_DIRECTORY = "applications"
ORIGINAL_NAME_MAX_LENGTH = 200

_CHUNK_BYTES = 64 * 1024
_SIGNATURE_BYTES = 8192  # what filetype.guess() looks at
_PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_OFD_ROOT_DOCUMENT = "OFD.xml"  # GB/T 33190: the entry file at the root of the container

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

    `code` is stable for programs: ``empty``, ``too_large``, ``type_not_allowed`` or ``damaged``.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, errors={"file": [message]})
        self.code = code


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
                raise UploadRefused(
                    _("文件超过 %(limit)s，请压缩后重新上传。") % {"limit": _format_size(limit)},
                    code="too_large",
                )
            digest.update(chunk)
            if len(head) < _SIGNATURE_BYTES:
                head += chunk[: _SIGNATURE_BYTES - len(head)]
        if size == 0:
            raise UploadRefused(_("文件是空的，请重新选择文件。"), code="empty")
        content_type, extension = _sniff(head=head, file=file)
    finally:
        file.seek(0)
    # Virus scanning is a later hook: it goes here, after the type check and before storing.
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
    """
    name = upload_storage_name(inspected=inspected, now=now)
    file.seek(0)
    return default_storage.save(name, file)


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
    except KeyError:
        return False
    except zipfile.BadZipFile:
        raise UploadRefused(
            _("该文件已损坏，无法打开，请检查后重新上传。"), code="damaged"
        ) from None
    return not entry.is_dir()


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
    # "gpj.exe" display as "exe.jpg".
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    visible = "".join(ch for ch in base if not unicodedata.category(ch).startswith("C"))
    return visible.strip()[:ORIGINAL_NAME_MAX_LENGTH]
