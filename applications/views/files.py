"""Serving an uploaded material to someone the caller already let in (applicant or staff).

Every response: our stored content type, ``X-Content-Type-Options: nosniff``,
``Content-Security-Policy: sandbox`` (a file that is HTML after all runs no script and reaches
no cookie), not cached, and a ``Content-Disposition`` whose name cannot break the header
(RFC 6266 with an ASCII fallback and the real name per RFC 5987). Downloads are attachments;
only a staff preview of a PDF, JPEG or PNG is inline.
"""

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from django.http import FileResponse, Http404

from applications.models import ApplicationMaterial
from applications.uploads import PREVIEWABLE_TYPES
from audit.choices import AuditAction
from audit.services import REQUEST_USER, audit_record

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_UNSAFE_IN_NAME = set('/\\"<>:|?*;')
_NAME_MAX_LENGTH = 120


def safe_filename(name: str, *, default: str = "material") -> str:
    """`name` made safe for a download: no path, no control/format characters (CR, LF, NUL,
    RTLO), no quotes or characters Windows forbids, no leading dots, not a reserved device
    name, at most 120 characters; `default` when nothing is left."""
    name = unicodedata.normalize("NFC", name)
    cleaned = "".join(
        "_" if ch in _UNSAFE_IN_NAME else ch
        for ch in name
        if not unicodedata.category(ch).startswith(("C", "Z")) or ch == " "
    )
    cleaned = cleaned.strip().strip(". ").strip()
    if _WINDOWS_RESERVED.match(cleaned):
        cleaned = f"_{cleaned}"
    return cleaned[:_NAME_MAX_LENGTH].strip() or default


def content_disposition(disposition: str, name: str, *, fallback: str) -> str:
    """``attachment; filename="<ascii fallback>"; filename*=UTF-8''<percent-encoded name>``.

    `fallback` must be plain ASCII without quotes (we build it); `name` is escaped entirely."""
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def download_name(material: ApplicationMaterial) -> str:
    """The material's name with the stored file's extension; never the storage path."""
    extension = PurePosixPath(material.file.name or "").suffix
    return f"{safe_filename(material.material_name)}{extension}"


def material_response(material: ApplicationMaterial, *, preview: bool = False) -> FileResponse:
    """Stream a stored material. `preview` shows a PDF, JPEG or PNG in the browser (staff
    reviewing a case); everything else, and every citizen download, is an attachment."""
    if not material.file:
        raise Http404
    inline = preview and material.content_type in PREVIEWABLE_TYPES
    response = FileResponse(
        material.file.open("rb"), content_type=material.content_type or "application/octet-stream"
    )
    name = download_name(material)
    fallback = f"material-{material.pk}{PurePosixPath(name).suffix}"
    response["Content-Disposition"] = content_disposition(
        "inline" if inline else "attachment", name, fallback=fallback
    )
    file_response_harden(response)
    audit_record(
        action=AuditAction.MATERIAL_DOWNLOAD,
        actor=REQUEST_USER,
        object_type="application_material",
        object_id=material.pk,
        detail={"application": material.application_id, "preview": inline},
    )
    return response


def file_response_harden(response: FileResponse) -> None:
    """The headers every stored file is served with."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
