"""Celery wrappers of the certificate services: named, kwargs-only, IDs only (STYLE R9)."""

from django.utils import timezone

from celery import shared_task
from celery.signals import worker_process_init

from certificates import rendering, services


@shared_task(name="certificates.issue", acks_late=True)
def certificate_issue_task(*, certificate_id: int, **kwargs: object) -> None:
    """Render, sign and store one pending certificate (idempotent)."""
    services.certificate_issue(certificate_id=certificate_id, now=timezone.now())


@shared_task(name="certificates.issue_pending")
def certificates_issue_pending_task(**kwargs: object) -> int:
    """Re-enqueue certificates left pending by a broker outage or a killed worker."""
    return services.certificates_issue_pending(now=timezone.now())


@shared_task(name="certificates.expire")
def certificates_expire_task(**kwargs: object) -> int:
    """Mark certificates past their last day as expired."""
    return services.certificates_expire(now=timezone.now())


@shared_task(name="certificates.remind_expiring")
def certificates_remind_expiring_task(**kwargs: object) -> int:
    """Remind holders of renewable certificates 30 days before expiry."""
    return services.certificates_remind_expiring(now=timezone.now())


@worker_process_init.connect
def _warm_renderer(**kwargs: object) -> None:
    # WeasyPrint's import and first layout cost ~0.7 s; pay it before the first task arrives.
    rendering.warm()
