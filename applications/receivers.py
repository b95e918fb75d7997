"""Receivers of the lower layers' domain signals; each only calls a service (STYLE R8)."""

from datetime import datetime

from django.dispatch import receiver

from applications.services.results import application_certificate_issued
from certificates.signals import certificate_issued


@receiver(certificate_issued)
def deliver_on_certificate_issued(
    sender: type, *, source_ref: str, certificate_id: int, issued_at: datetime, **kwargs: object
) -> None:
    if source_ref:
        application_certificate_issued(
            reference=source_ref, certificate_id=certificate_id, now=issued_at
        )
