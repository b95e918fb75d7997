"""Reconcile the uploaded materials under ``applications/`` with their rows (RELIABILITY §2.9).

Unreferenced files (a rollback after the write, a killed worker, a ``.part`` left mid-write)
are deleted once older than the grace period; rows whose file is missing or altered are
reported. See `certificates.services.storage.storage_reconcile`.
"""

from datetime import datetime, timedelta

from applications.choices import MaterialSource
from applications.models import ApplicationMaterial
from applications.uploads import STORAGE_DIRECTORY
from certificates.services.storage import ReconcileReport, storage_reconcile


def material_files_reconcile(
    *, now: datetime, grace: timedelta | None = None, delete: bool = True
) -> ReconcileReport:
    """Reconcile ``applications/`` with every material row that has a file (superseded too)."""
    rows = ApplicationMaterial.objects.exclude(file="").values_list("file", "sha256", "source")
    references = {
        str(name): (sha256 if source == MaterialSource.UPLOAD else "")
        for name, sha256, source in rows
    }
    return storage_reconcile(
        area="applications",
        directory=STORAGE_DIRECTORY,
        references=references,
        now=now,
        grace=grace,
        delete=delete,
    )
