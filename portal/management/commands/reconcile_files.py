"""``manage.py reconcile_files``: delete orphaned files, report missing or altered ones.

Runs nightly as the beat job ``portal.reconcile_files``; exits 1 when a row's file is missing or
altered, so a cron wrapper or a restore drill (REL-BK-03) notices.
"""

from argparse import ArgumentParser
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from applications.files import material_files_reconcile
from certificates.services.storage import (
    ReconcileReport,
    certificate_files_reconcile,
    grace_period,
)


class Command(BaseCommand):
    help = "Delete stored files no row references (older than the grace period) and report rows whose file is missing or whose SHA-256 differs."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be deleted; delete nothing."
        )
        parser.add_argument(
            "--grace-hours",
            type=int,
            default=None,
            help="Keep unreferenced files younger than this (default FILE_ORPHAN_GRACE_HOURS, 24).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["grace_hours"]
        grace = timedelta(hours=hours) if hours is not None else grace_period()
        reports = reconcile_all(grace=grace, delete=not options["dry_run"])
        for report in reports:
            self.stdout.write(summary(report, dry_run=options["dry_run"]))
            for name in report.missing:
                self.stdout.write(f"  missing: {name}")
            for name in report.altered:
                self.stdout.write(f"  sha256 differs: {name}")
        if not all(report.ok for report in reports):
            raise CommandError("Some referenced files are missing or altered (listed above).")


def reconcile_all(*, grace: timedelta | None = None, delete: bool = True) -> list[ReconcileReport]:
    now = timezone.now()
    reports = [
        material_files_reconcile(now=now, grace=grace, delete=delete),
        certificate_files_reconcile(now=now, grace=grace, delete=delete),
    ]
    if getattr(settings, "FILE_UPLOAD_TEMP_DIR", None):
        reports.append(upload_temp_reconcile(now=now, grace=grace, delete=delete))
    return reports


def upload_temp_reconcile(
    *, now: datetime, grace: timedelta | None, delete: bool
) -> ReconcileReport:
    """Request bodies Django spooled to FILE_UPLOAD_TEMP_DIR (`tmp*.upload*`) and never removed,
    because the web worker was killed mid-request (REL-FS-01). Only a dedicated
    FILE_UPLOAD_TEMP_DIR is swept, never the system's temp directory."""
    report = ReconcileReport(area="upload-temp")
    directory = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if not directory:
        return report
    cutoff = (now - (grace if grace is not None else grace_period())).timestamp()
    for path in Path(directory).glob("tmp*.upload*"):
        try:
            if path.stat().st_mtime > cutoff:
                report.orphans_young += 1
                continue
            if delete:
                path.unlink(missing_ok=True)
        except FileNotFoundError:
            continue  # the request finished meanwhile and Django removed it
        report.orphans_deleted.append(path.name)
    return report


def summary(report: ReconcileReport, *, dry_run: bool = False) -> str:
    deleted = "would delete" if dry_run else "orphans deleted"
    return (
        f"{report.area}: referenced={report.referenced} verified={report.verified} "
        f"missing={len(report.missing)} altered={len(report.altered)} "
        f"{deleted}={len(report.orphans_deleted)} orphans_young={report.orphans_young}"
    )
