"""Celery wrappers for core's housekeeping: one service call each (STYLE R9)."""

from django.utils import timezone

from celery import shared_task

from core.idempotency import idempotency_records_purge


@shared_task(name="core.purge_idempotency_records")
def idempotency_records_purge_task(**kwargs: object) -> int:
    """Delete the idempotency records past IDEMPOTENCY_TTL_HOURS (the beat job)."""
    return idempotency_records_purge(now=timezone.now())
