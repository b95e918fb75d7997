"""After issuing: revocation, a staff retry of a failed certificate, expiry and the reminder before
it (DOMAIN §7.6, §11)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from certificates.choices import CertificateStatus
from certificates.models import Certificate
from certificates.permissions import access_certificate_for_retry, access_certificate_for_revocation
from certificates.services.issuing import certificate_notify_holder
from core.calendar import local_date
from core.errors import ConflictError, DomainError
from core.queue import enqueue_on_commit
from notifications.choices import Event

REMIND_DAYS_BEFORE_EXPIRY = 30


@transaction.atomic
def certificate_revoke(
    *, user: User, certificate_id: int, reason: str, now: datetime
) -> Certificate:
    """The issuing department revokes a valid certificate (撤销/吊销) with its reason; verification
    then says revoked and it can no longer stand in for a material.

    :raises DomainError: without a reason.
    :raises ConflictError: if the certificate is not valid.
    :raises PermissionDenied: without the permission.
    """
    certificate = access_certificate_for_revocation(user=user, certificate_id=certificate_id)
    text = reason.strip()
    if not text:
        raise DomainError(_("请写明撤销的理由。"), errors={"reason": [_("请写明撤销的理由。")]})
    if certificate.status == CertificateStatus.REVOKED:
        return certificate
    if certificate.status != CertificateStatus.VALID:
        raise ConflictError(
            _("只有有效的证照可以撤销，该证照当前状态为“%(status)s”。")
            % {"status": CertificateStatus(certificate.status).label}
        )
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = now
    certificate.revoked_by = user
    certificate.revoke_reason = text
    certificate.save(
        update_fields=["status", "revoked_at", "revoked_by", "revoke_reason", "updated_at"]
    )
    certificate_notify_holder(certificate, Event.CERTIFICATE_REVOKED, now=now, note=text)
    return certificate


@transaction.atomic
def certificate_retry(*, user: User, certificate_id: int, now: datetime) -> Certificate:
    """Send a certificate that failed every attempt back to the workers (after the cause, such as a
    missing signing key or a broken template, was fixed).

    :raises ConflictError: unless the certificate failed.
    :raises PermissionDenied: without the permission.
    """
    from certificates.tasks import certificate_issue_task  # tasks import services

    certificate = access_certificate_for_retry(user=user, certificate_id=certificate_id)
    if certificate.status == CertificateStatus.PENDING:
        return certificate
    if certificate.status != CertificateStatus.FAILED:
        raise ConflictError(_("该证照已签发，无需重新签发。"))
    certificate.status = CertificateStatus.PENDING
    certificate.attempts = 0
    certificate.requested_at = now
    certificate.save(update_fields=["status", "attempts", "requested_at", "updated_at"])
    enqueue_on_commit(certificate_issue_task, certificate_id=certificate.pk)
    return certificate


def certificates_expire(*, now: datetime) -> int:
    """Mark valid certificates whose last day has passed as expired (nightly); verification already
    says expired from the date alone, this keeps lists and filters honest."""
    return Certificate.objects.filter(
        status=CertificateStatus.VALID, valid_until__lt=local_date(now)
    ).update(status=CertificateStatus.EXPIRED, updated_at=now)


def certificates_remind_expiring(*, now: datetime) -> int:
    """Tell holders of renewable certificates 30 days before expiry (once per certificate)."""
    today = local_date(now)
    due = (
        Certificate.objects.select_related("type", "holder_user")
        .filter(
            status=CertificateStatus.VALID,
            type__renewable=True,
            expiry_reminded_at__isnull=True,
            holder_user__isnull=False,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=REMIND_DAYS_BEFORE_EXPIRY),
        )
        .order_by("pk")
    )
    done = 0
    for certificate in due[:1000]:
        with transaction.atomic():
            certificate_notify_holder(certificate, Event.CERTIFICATE_EXPIRING, now=now)
            Certificate.objects.filter(pk=certificate.pk).update(
                expiry_reminded_at=now, updated_at=now
            )
        done += 1
    return done


def certificates_void_for_source(*, source_ref: str, now: datetime) -> int:
    """Void the certificates a voided case asked for (作废): a pending one is never issued, an
    issued one stops verifying. Called in the transaction that voids the case."""
    if not source_ref:
        return 0
    return Certificate.objects.filter(
        source_ref=source_ref,
        status__in=(CertificateStatus.PENDING, CertificateStatus.FAILED, CertificateStatus.VALID),
    ).update(status=CertificateStatus.VOID, updated_at=now)
