"""Read use cases of the certificate library, each scoped to who is asking (STYLE R3)."""

from datetime import date

from django.db.models import Case, QuerySet, When

from accounts.models import User
from certificates.choices import CertificateStatus
from certificates.models import Certificate, ShareLink
from core.crypto import blind_index
from matters.permissions import departments_of_staff


def certificate_list_for_holder(*, user: User) -> QuerySet[Certificate]:
    """The wallet (我的证照): every certificate issued to the user, newest first."""
    return (
        Certificate.objects.filter(holder_user=user)
        .exclude(status=CertificateStatus.FAILED)
        .select_related("type")
        .order_by("-requested_at", "-pk")
    )


def certificate_usable_for(
    *, holder_code: str, type_codes: set[str], day: date
) -> dict[str, Certificate]:
    """For each certificate type, the holder's newest certificate valid on `day` (免提交 offers)."""
    found: dict[str, Certificate] = {}
    if not type_codes:
        return found
    rows = (
        Certificate.objects.valid_on(day)
        .filter(
            holder_code_index=blind_index(holder_code, kind="holder_code"),
            type__code__in=type_codes,
        )
        .select_related("type")
        .order_by("-issued_at", "-pk")
    )
    for certificate in rows:
        found.setdefault(certificate.type.code, certificate)
    return found


def share_list_for_certificate(*, certificate: Certificate) -> QuerySet[ShareLink]:
    """The holder's share links of one certificate, newest first."""
    return ShareLink.objects.filter(certificate=certificate).order_by("-created_at", "-pk")


def certificate_list_for_staff(*, user: User, status: str = "") -> QuerySet[Certificate]:
    """Certificates the user's departments issued, optionally of one status; failed first."""
    rows = Certificate.objects.filter(issuer__in=departments_of_staff(user)).select_related("type")
    if status:
        rows = rows.filter(status=status)
    failed_first = Case(When(status=CertificateStatus.FAILED, then=0), default=1)
    return rows.order_by(failed_first, "-requested_at", "-pk")


def certificate_for_source(*, source_ref: str, holder_user_id: int | None) -> Certificate | None:
    """The certificate a case asked for, if its applicant holds it (the case page shows it)."""
    if not source_ref or holder_user_id is None:
        return None
    return (
        Certificate.objects.filter(source_ref=source_ref, holder_user_id=holder_user_id)
        .select_related("type")
        .order_by("-pk")
        .first()
    )
