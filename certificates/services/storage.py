"""Reconcile stored files with the rows that reference them (RELIABILITY §2.6, §2.9).

`storage_reconcile` is the generic walk (also used for uploaded materials by
``applications.files``); `certificate_files_reconcile` runs it over the certificates' PDFs.
Files no row references are deleted once older than the grace period (24 h by default), so a
file written by a transaction still in flight is never taken. Rows whose file is missing or whose
SHA-256 no longer matches are reported, never changed: that needs a person.
"""

import hashlib
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import Storage, default_storage

from certificates.models import Certificate

logger = logging.getLogger(__name__)

CERTIFICATE_DIRECTORY = "certificates"
DEFAULT_GRACE_HOURS = 24
_CHUNK_BYTES = 1024 * 1024


@dataclass
class ReconcileReport:
    """What one reconciliation found; names are storage names."""

    area: str
    referenced: int = 0  # rows with a file
    verified: int = 0  # referenced files present with the recorded SHA-256
    missing: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)  # present, SHA-256 differs
    orphans_deleted: list[str] = field(default_factory=list)
    orphans_young: int = 0  # unreferenced but within the grace period: left alone

    @property
    def ok(self) -> bool:
        return not self.missing and not self.altered


def grace_period() -> timedelta:
    return timedelta(hours=getattr(settings, "FILE_ORPHAN_GRACE_HOURS", DEFAULT_GRACE_HOURS))


def storage_reconcile(
    *,
    area: str,
    directory: str,
    references: Mapping[str, str],
    now: datetime,
    grace: timedelta | None = None,
    delete: bool = True,
    storage: Storage | None = None,
) -> ReconcileReport:
    """Compare the files under `directory` with `references` (storage name → SHA-256 hex, empty
    when the row recorded none) and delete unreferenced files older than `grace`.

    With `delete` False nothing is deleted (a dry run); the report lists what would be.
    """
    storage = storage or default_storage
    grace = grace if grace is not None else grace_period()
    report = ReconcileReport(area=area, referenced=len(references))
    for name, expected in references.items():
        if not storage.exists(name):
            report.missing.append(name)
        elif expected and _sha256(storage, name) != expected:
            report.altered.append(name)
        else:
            report.verified += 1
    for name in _walk(storage, directory):
        if name in references:
            continue
        if storage.get_modified_time(name) > now - grace:
            report.orphans_young += 1
            continue
        if delete:
            storage.delete(name)
        report.orphans_deleted.append(name)
    for name in report.missing:
        logger.error("%s: the file of a row is missing: %s", area, name)
    for name in report.altered:
        logger.error("%s: a stored file no longer matches its SHA-256: %s", area, name)
    return report


def certificate_files_reconcile(
    *, now: datetime, grace: timedelta | None = None, delete: bool = True
) -> ReconcileReport:
    """Reconcile ``certificates/`` with the certificates' `file` and `sha256`."""
    references = {
        str(name): sha256
        for name, sha256 in Certificate.objects.exclude(file="").values_list("file", "sha256")
    }
    return storage_reconcile(
        area="certificates",
        directory=CERTIFICATE_DIRECTORY,
        references=references,
        now=now,
        grace=grace,
        delete=delete,
    )


def _walk(storage: Storage, directory: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}"
    for folder in folders:
        yield from _walk(storage, f"{directory}/{folder}")


def _sha256(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()
