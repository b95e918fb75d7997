"""Requesting and issuing certificates. The PENDING row is the outbox; a worker renders, signs and
stores it outside any transaction, then stores it under a row lock (STYLE R9, R10)."""

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import uuid4

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from certificates import rendering, signing
from certificates.choices import CertificateStatus, HolderCodeType
from certificates.identifiers import Identifier
from certificates.models import Certificate, CertificateType
from certificates.services.keys import SigningKeyMissingError, issuer_key
from certificates.signals import certificate_issued
from core.calendar import local_date
from core.errors import DomainError
from core.queue import enqueue, enqueue_on_commit
from matters.models import Department
from notifications.choices import Event
from notifications.services import Recipient, notify

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Holder:
    """Who the certificate is for: a person (公民身份号码) or a company (统一社会信用代码)."""

    name: str
    code: str
    code_type: HolderCodeType
    user: User | None = None


def _valid_until(certificate_type: CertificateType, start: date) -> date | None:
    if not certificate_type.validity_years:
        return None
    try:
        end = start.replace(year=start.year + certificate_type.validity_years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + certificate_type.validity_years, day=28)
    return end - timedelta(days=1)


def certificate_request(
    *,
    type_code: str,
    holder: Holder,
    data: Mapping[str, str],
    source_ref: str,
    now: datetime,
    issuer: Department | None = None,
) -> Certificate | None:
    """Write the PENDING certificate in the caller's transaction and hurry it to a worker on commit.

    Idempotent per (source_ref, type): a second request returns the first row. Returns None when no
    active certificate type has `type_code` (the result is then delivered by hand).
    """
    certificate_type = (
        CertificateType.objects.select_related("department")
        .filter(code=type_code, is_active=True)
        .first()
    )
    if certificate_type is None:
        logger.warning("No active certificate type %s; nothing issued", type_code)
        return None
    existing = Certificate.objects.filter(source_ref=source_ref, type=certificate_type).first()
    if source_ref and existing is not None:
        return existing
    department = issuer or certificate_type.department
    today = local_date(now)
    certificate = Certificate.objects.create(
        type=certificate_type,
        identifier=f"pending-{uuid4().hex}",
        number=f"pending-{uuid4().hex[:24]}",
        holder_name=holder.name,
        holder_code=holder.code,
        holder_code_type=holder.code_type,
        holder_user=holder.user,
        issuer=department,
        issuer_name=department.name,
        issuer_code=department.uscc,
        # Only the type's surface fields are kept: no other answer (ID number, mobile) is copied.
        data={
            key: str(data[key])
            for key, _label in certificate_type.surface_fields()
            if data.get(key)
        },
        source_ref=source_ref,
        requested_at=now,
        valid_from=today,
        valid_until=_valid_until(certificate_type, today),
    )
    # The serial is the year and the row's id: sortable, never reused (DOMAIN §7.3).
    serial = f"{today.year}{certificate.pk:010d}"
    certificate.identifier = str(
        Identifier(
            type_code=certificate_type.code,
            issuer_code=department.uscc,
            serial=serial,
            version=certificate.version,
        )
    )
    certificate.number = f"{certificate_type.number_prefix}{serial}"
    certificate.save(update_fields=["identifier", "number", "updated_at"])
    from certificates.tasks import certificate_issue_task  # tasks import services

    enqueue_on_commit(certificate_issue_task, certificate_id=certificate.pk)
    return certificate


def verify_url(identifier: str) -> str:
    """The public verification page a QR code opens (no personal data in it)."""
    return f"{settings.PORTAL_BASE_URL}{reverse('certificates:verify')}?id={identifier}&src=qr"


def build_context(certificate: Certificate, *, issued_on: date) -> rendering.CertificateContext:
    """Freeze what the template may show: primitives only, no ORM in the template (STYLE R10)."""
    certificate_type = certificate.type
    return rendering.CertificateContext(
        type_name=certificate_type.name,
        identifier=certificate.identifier,
        number=certificate.number,
        holder_name=certificate.holder_name,
        holder_code=certificate.holder_code,
        holder_code_label=str(HolderCodeType(certificate.holder_code_type).label),
        issuer_name=certificate.issuer_name,
        issued_on=issued_on,
        valid_from=issued_on,
        valid_until=_valid_until(certificate_type, issued_on),
        fields=tuple((label, value or "—") for label, value in certificate.surface_values()),
        verify_url=verify_url(certificate.identifier),
        seal_text=certificate.issuer_name,
        template_html=certificate_type.template_html,
        template_css=certificate_type.template_css,
    )


def issued_already(certificate: Certificate) -> bool:
    """The idempotency guard: a certificate no longer PENDING was issued (or given up) by another
    delivery of its task. A broker redelivers a task whose worker died, or one that outlived the
    visibility timeout while still running (REL-WK-06); without this check each delivery would
    store another signed PDF and repoint the row, so the copy the holder already has no longer
    matches the record."""
    return certificate.status != CertificateStatus.PENDING


def _claim_attempt(certificate_id: int, now: datetime) -> Certificate | None:
    """Count an attempt before the slow work, so a task that kills its worker every time still
    stops after CERTIFICATE_MAX_ATTEMPTS. Returns None when there is nothing to do.

    A read and one conditional UPDATE, committed on its own (2 statements instead of a locking
    transaction's 4): a second worker that read the same count updates nothing and leaves the
    certificate to the first, instead of waiting for its lock and rendering it again.
    """
    certificate = Certificate.objects.select_related("type", "issuer").get(pk=certificate_id)
    if issued_already(certificate):
        return None
    if certificate.attempts >= settings.CERTIFICATE_MAX_ATTEMPTS:
        failed = Certificate.objects.filter(
            pk=certificate_id, status=CertificateStatus.PENDING
        ).update(status=CertificateStatus.FAILED, updated_at=now)
        if failed:
            logger.error(
                "Certificate %s failed %s times; marked failed",
                certificate.pk,
                certificate.attempts,
            )
        return None
    claimed = Certificate.objects.filter(
        pk=certificate_id, status=CertificateStatus.PENDING, attempts=certificate.attempts
    ).update(attempts=F("attempts") + 1, updated_at=now)
    if not claimed:
        return None
    certificate.attempts += 1
    return certificate


def _record_failure(certificate_id: int, error: Exception) -> None:
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate_id)
        if certificate.status != CertificateStatus.PENDING:
            return
        certificate.last_error = (
            error.message if isinstance(error, DomainError) else type(error).__name__
        )[:200]
        fields = ["last_error", "updated_at"]
        if certificate.attempts >= settings.CERTIFICATE_MAX_ATTEMPTS:
            certificate.status = CertificateStatus.FAILED
            fields.append("status")
        certificate.save(update_fields=fields)


def certificate_issue(*, certificate_id: int, now: datetime) -> Certificate:
    """Render, sign and store a pending certificate (idempotent: issuing twice yields one file).

    Failures are recorded on the row (attempts, last error); after CERTIFICATE_MAX_ATTEMPTS the
    certificate is marked FAILED and shown to staff with a retry action.
    """
    claimed = _claim_attempt(certificate_id, now)
    if claimed is None:
        return Certificate.objects.get(pk=certificate_id)
    issued_on = local_date(now)
    try:
        key, roots = issuer_key(claimed.issuer)
        context = build_context(claimed, issued_on=issued_on)
        _html, pdf = rendering.render_certificate(context)  # slow; no transaction held
        signed = signing.sign_pdf(
            pdf,
            signer_key=key,
            chain=roots,
            passphrase=settings.SIGNING_KEY_PASSPHRASE.encode(),
            reason=_("电子证照签发"),
            location=claimed.issuer_name,
        )
    except (SigningKeyMissingError, rendering.CertificateTemplateError) as error:
        _record_failure(certificate_id, error)
        logger.warning("Certificate %s not issued: %s", certificate_id, type(error).__name__)
        return Certificate.objects.get(pk=certificate_id)
    return certificate_store(
        certificate_id=certificate_id, pdf=signed, issued_on=issued_on, now=now
    )


@transaction.atomic
def certificate_store(
    *, certificate_id: int, pdf: bytes, issued_on: date, now: datetime
) -> Certificate:
    """Store the signed file and mark the certificate valid, under the row lock; a second worker
    that finished the same certificate finds it VALID and stores nothing. The case that asked for
    it is delivered in the same transaction (signal), and the holder is told."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("type", "holder_user")
        .get(pk=certificate_id)
    )
    if issued_already(certificate):
        return certificate
    serial = certificate.identifier.split(".")[-3]
    certificate.file.save(f"{issued_on.year}/{serial}.pdf", ContentFile(pdf), save=False)
    certificate.sha256 = hashlib.sha256(pdf).hexdigest()
    certificate.size = len(pdf)
    certificate.status = CertificateStatus.VALID
    certificate.issued_at = now
    certificate.valid_from = issued_on
    certificate.valid_until = _valid_until(certificate.type, issued_on)
    certificate.last_error = ""
    certificate.save(
        update_fields=[
            "file", "sha256", "size", "status", "issued_at", "valid_from", "valid_until",
            "last_error", "updated_at",
        ]
    )  # fmt: skip
    if not certificate.type.allow_multiple:
        # One valid certificate per type and holder: the new one supersedes (变更, DOMAIN §7.6).
        Certificate.objects.filter(
            type=certificate.type,
            holder_code_index=certificate.holder_code_index,
            status=CertificateStatus.VALID,
        ).exclude(pk=certificate.pk).update(status=CertificateStatus.CHANGED, updated_at=now)
    certificate_notify_holder(certificate, Event.CERTIFICATE_ISSUED, now=now)
    certificate_issued.send(
        sender=Certificate,
        source_ref=certificate.source_ref,
        certificate_id=certificate.pk,
        issued_at=now,
    )
    return certificate


def certificate_notify_holder(
    certificate: Certificate, event: Event, *, now: datetime, note: str = ""
) -> None:
    if certificate.holder_user is None:
        return
    notify(
        event=event,
        recipients=[Recipient(user=certificate.holder_user)],
        context={
            "certificate_name": certificate.type.name,
            "certificate_number": certificate.number,
            "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else "",
            "wallet_url": settings.PORTAL_BASE_URL + reverse("certificates:wallet"),
            "reason": note,
        },
        key=f"certificate-{event.lower()}:{certificate.pk}",
        link=reverse("certificates:wallet-detail", args=[certificate.pk]),
        now=now,
    )


def certificates_issue_pending(
    *, now: datetime, older_than: timedelta = timedelta(minutes=3)
) -> int:
    """The sweeper: re-enqueue certificates still PENDING after `older_than` (a broker outage or a
    killed worker delays a certificate but never loses it)."""
    from certificates.tasks import certificate_issue_task  # tasks import services

    ids = list(
        Certificate.objects.filter(
            status=CertificateStatus.PENDING,
            requested_at__lt=now - older_than,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
    for certificate_id in ids:
        if not enqueue(certificate_issue_task, certificate_id=certificate_id):
            break
    return len(ids)
