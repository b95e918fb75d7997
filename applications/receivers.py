"""Receivers of the lower layers' domain signals; each only calls a service (STYLE R8)."""

from datetime import datetime

from django.dispatch import receiver

from applications.bundles import bundle_case_changed
from applications.models import Application, ApplicationEvent
from applications.services.results import application_certificate_issued
from applications.signals import case_event_recorded
from certificates.signals import certificate_issued


@receiver(certificate_issued)
def deliver_on_certificate_issued(
    sender: type, *, source_ref: str, certificate_id: int, issued_at: datetime, **kwargs: object
) -> None:
    if source_ref:
        application_certificate_issued(
            reference=source_ref, certificate_id=certificate_id, now=issued_at
        )


@receiver(case_event_recorded)
def bundle_on_case_event(
    sender: type,
    *,
    application: Application,
    event: ApplicationEvent,
    at: datetime,
    **kwargs: object,
) -> None:
    if application.bundle_application_id is not None:
        bundle_case_changed(application=application, event=event, now=at)
