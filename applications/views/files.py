"""Serving an uploaded material to someone the caller already let in (applicant or staff)."""

from pathlib import PurePosixPath
from urllib.parse import quote

from django.http import FileResponse

from applications.models import ApplicationMaterial
from applications.uploads import PREVIEWABLE_TYPES


def download_name(material: ApplicationMaterial) -> str:
    """The material's name with the stored file's extension; never the storage path."""
    extension = PurePosixPath(material.file.name or "").suffix
    name = "".join("_" if ch in '/\\"' or ord(ch) < 32 else ch for ch in material.material_name)
    return f"{name or 'material'}{extension}"


def material_response(material: ApplicationMaterial) -> FileResponse:
    """Stream a stored material safely: our content type, no sniffing, not cached, a readable
    name (an ASCII fallback for old clients, the real one per RFC 5987 / RFC 6266)."""
    inline = material.content_type in PREVIEWABLE_TYPES
    response = FileResponse(
        material.file.open("rb"), content_type=material.content_type or "application/octet-stream"
    )
    name = download_name(material)
    fallback = f"material-{material.pk}{PurePosixPath(name).suffix}"
    response["Content-Disposition"] = (
        f'{"inline" if inline else "attachment"}; filename="{fallback}"; '
        f"filename*=UTF-8''{quote(name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
