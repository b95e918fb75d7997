"""Beat jobs that span several apps."""

import logging

from celery import shared_task

from portal.management.commands.reconcile_files import reconcile_all, summary

logger = logging.getLogger(__name__)


@shared_task(name="portal.reconcile_files")
def reconcile_files_task(**kwargs: object) -> dict[str, int]:
    """Nightly: delete orphaned uploads and certificate files, log missing or altered ones."""
    counts: dict[str, int] = {}
    for report in reconcile_all():
        (logger.info if report.ok else logger.error)("reconcile_files %s", summary(report))
        counts[f"{report.area}_missing"] = len(report.missing)
        counts[f"{report.area}_altered"] = len(report.altered)
        counts[f"{report.area}_orphans_deleted"] = len(report.orphans_deleted)
    return counts
