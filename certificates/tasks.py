"""Celery wrappers of the certificate services: named, kwargs-only, IDs only (STYLE R9)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from celery import shared_task
from celery.signals import worker_init

from certificates import rendering, services


@shared_task(name="certificates.issue", acks_late=True)
def certificate_issue_task(*, certificate_id: int, **kwargs: object) -> None:
    """Render, sign and store one pending certificate (idempotent)."""
    services.certificate_issue(certificate_id=certificate_id, now=timezone.now())


@shared_task(name="certificates.issue_pending")
def certificates_issue_pending_task(
    *, older_than_seconds: int | None = None, **kwargs: object
) -> int:
    """Re-enqueue certificates left pending by a broker outage or a killed worker (`older_than_seconds`:
    how old a pending certificate must be; default the service's 3 minutes)."""
    if older_than_seconds is None:
        return services.certificates_issue_pending(now=timezone.now())
    return services.certificates_issue_pending(
        now=timezone.now(), older_than=timedelta(seconds=older_than_seconds)
    )


@shared_task(name="certificates.expire")
def certificates_expire_task(**kwargs: object) -> int:
    """Mark certificates past their last day as expired."""
    return services.certificates_expire(now=timezone.now())


@shared_task(name="certificates.remind_expiring")
def certificates_remind_expiring_task(**kwargs: object) -> int:
    """Remind holders of renewable certificates 30 days before expiry."""
    return services.certificates_remind_expiring(now=timezone.now())


def _consumes_default_queue(worker: Any) -> bool:
    """Whether this worker takes `certificates.issue` (the default queue); the notifier does not."""
    app = getattr(worker, "app", None)
    if app is None:
        return True
    consumed = app.amqp.queues.consume_from or app.amqp.queues
    return app.conf.task_default_queue in consumed


@worker_init.connect
def _warm_renderer(sender: Any = None, **kwargs: object) -> None:
    # In the main process, before the pool forks: each child inherits WeasyPrint imported, the
    # fonts loaded and the template compiled, so its first certificate costs what the others do
    # (T6), and the worker says "ready" only once rendering is warm.
    if _consumes_default_queue(sender):
        rendering.warm()
