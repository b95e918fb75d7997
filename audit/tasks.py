"""Beat jobs of the audit log: anchor the head off the database, purge past the retention."""

from django.utils import timezone

from celery import shared_task

from audit import services


@shared_task(name="audit.anchor")
def anchor_task(**kwargs: object) -> int:
    """Sign and append the chain's head to AUDIT_ANCHOR_PATH; returns the anchored seq."""
    return services.audit_anchor_write(now=timezone.now()).seq


@shared_task(name="audit.purge")
def purge_task(**kwargs: object) -> int:
    """Delete audit events older than AUDIT_RETENTION_DAYS (≥ 180); returns how many."""
    return services.audit_purge(now=timezone.now())
