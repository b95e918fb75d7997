"""Retention of closed cases (RELIABILITY SEC-DP-04, DOMAIN §9): anonymise what PIPL minimisation
no longer allows to keep online.

A case in a final status (办结, 不予受理, 退件, 撤回, 作废) that closed more than
settings.APPLICATION_RETENTION_DAYS ago loses:

* the identity snapshot: name masked (张*明), ID number, mobile and delivery address emptied;
* the form answers, except single-choice and number answers of fields that are not prefilled
  from the identity (they feed statistics and say nothing about who applied);
* the uploaded files, deleted from storage. The material rows stay (name, size, SHA-256: what was
  filed and when) with `file` and the original file name emptied; `anonymised_at` on the case is
  the marker.

When the last case of a 一件事 is anonymised, the 母件's one form loses the same answers (the
answers kept by any of its cases stay).

The case row, its trail (`ApplicationEvent`), notices, decisions and the audit log stay: they are
the record of what the administration did. The archive copy of the 办件 file lives in the records
system by then (716号 Art 12). Each case is one transaction; running again skips done cases.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from applications.choices import TERMINAL_STATUSES
from applications.models import Application, ApplicationMaterial, BundleApplication
from core.identifiers import mask_name
from matters.choices import FieldType, Prefill
from matters.models import FormField

logger = logging.getLogger(__name__)

# Answers kept after anonymisation: closed questions, when not filled from the identity.
KEPT_FIELD_TYPES = frozenset({FieldType.CHOICE, FieldType.NUMBER})


@dataclass
class RetentionReport:
    cases: int = 0
    files_deleted: int = 0


def retention_cutoff(*, now: datetime) -> datetime:
    """Cases closed before this moment are due for anonymisation."""
    return now - timedelta(days=settings.APPLICATION_RETENTION_DAYS)


def anonymisation_due_ids(*, now: datetime, limit: int) -> list[int]:
    """Ids of up to `limit` closed, not yet anonymised cases past retention, oldest first."""
    cutoff = retention_cutoff(now=now)
    closed_before = Q(completed_at__lt=cutoff) | Q(completed_at__isnull=True, closed_at__lt=cutoff)
    return list(
        Application.objects.filter(closed_before, status__in=TERMINAL_STATUSES)
        .filter(anonymised_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def application_anonymise(*, application_id: int, now: datetime) -> int | None:
    """Anonymise one case (row-locked, one transaction); return the files deleted, or None if
    it is no longer due (anonymised meanwhile, or not closed long enough)."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .filter(pk=application_id, anonymised_at__isnull=True, status__in=TERMINAL_STATUSES)
            .first()
        )
        if application is None:
            return None
        closed = application.completed_at or application.closed_at
        if closed is None or closed >= retention_cutoff(now=now):
            return None
        kept = _kept_answer_keys(application)
        application.applicant_name = mask_name(application.applicant_name)
        application.applicant_id_number = ""
        application.applicant_mobile = ""
        application.delivery_address = ""
        application.answers = {k: v for k, v in application.answers.items() if k in kept}
        application.anonymised_at = now
        application.save(
            update_fields=[
                "applicant_name",
                "applicant_id_number",
                "applicant_mobile",
                "delivery_address",
                "answers",
                "anonymised_at",
                "updated_at",
            ]
        )
        if application.bundle_application_id is not None:
            _bundle_anonymise(bundle_application_id=application.bundle_application_id)
        materials = ApplicationMaterial.objects.filter(application=application).exclude(file="")
        names = [str(name) for name in materials.values_list("file", flat=True)]
        materials.update(file="", original_name="", updated_at=now)
        # Last, so a failure before here leaves every file in place. A failed commit after it
        # leaves the row to be done again by the next run (deleting a missing file is a no-op).
        for name in names:
            default_storage.delete(name)
    return len(names)


def applications_anonymise_due(*, now: datetime, batch_size: int | None = None) -> RetentionReport:
    """Anonymise every case past retention, `batch_size` ids at a time, one transaction each."""
    size = batch_size or settings.APPLICATION_RETENTION_BATCH
    report = RetentionReport()
    skipped: set[int] = set()
    while True:
        due = anonymisation_due_ids(now=now, limit=size + len(skipped))
        due = [pk for pk in due if pk not in skipped]
        if not due:
            break
        for application_id in due:
            deleted = application_anonymise(application_id=application_id, now=now)
            if deleted is None:
                skipped.add(application_id)
                continue
            report.cases += 1
            report.files_deleted += deleted
    logger.info(
        "Anonymised %d closed cases past retention; %d files deleted",
        report.cases,
        report.files_deleted,
    )
    return report


def _kept_answer_keys(application: Application) -> set[str]:
    fields = FormField.objects.filter(version_id=application.version_id).values_list(
        "key", "field_type", "prefill"
    )
    return {
        key
        for key, field_type, prefill in fields
        if field_type in KEPT_FIELD_TYPES and prefill == Prefill.NONE
    }


def _bundle_anonymise(*, bundle_application_id: int) -> None:
    """Empty the 一件事's personal answers once none of its cases keeps its own."""
    bundle_application = BundleApplication.objects.select_for_update().get(pk=bundle_application_id)
    cases = list(bundle_application.cases.all())
    if any(case.anonymised_at is None for case in cases):
        return  # a case still holds the identity: the 母件 keeps it as long
    kept = set().union(*(_kept_answer_keys(case) for case in cases))
    bundle_application.answers = {k: v for k, v in bundle_application.answers.items() if k in kept}
    bundle_application.save(update_fields=["answers", "updated_at"])
