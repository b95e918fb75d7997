"""Public verification (DOMAIN §7.5): by identifier (QR code or typed) or by uploading the PDF.
Every verification is logged; what a verifier sees of the holder is masked."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from certificates import signing
from certificates.choices import CertificateStatus, VerificationMethod, VerificationResult
from certificates.identifiers import MalformedIdentifierError, identifier_parse
from certificates.models import Certificate, VerificationLog
from certificates.services.keys import trust_roots
from core.caching import cache_get, cache_set
from core.calendar import local_date
from core.errors import DomainError
from core.identifiers import mask_name, mask_resident_id

logger = logging.getLogger(__name__)

MAX_VERIFY_BYTES = 10 * 1024 * 1024
# How long the seal check of a stored file is remembered (it cost ~10-25 ms of each page view).
SEAL_CHECK_SECONDS = 3600


@dataclass(frozen=True)
class PublicCertificate:
    """What anyone may see of a certificate: no full name or ID number of a person."""

    identifier: str
    type_name: str
    number: str
    holder_name: str
    holder_code: str
    issuer_name: str
    issued_on: date | None
    valid_from: date
    valid_until: date | None
    status: str
    status_label: str
    revoked_on: date | None
    revoke_reason: str


@dataclass(frozen=True)
class FileCheck:
    """Whether the stored (or uploaded) file is the one issued, and its e-seal holds."""

    hash_matches: bool
    signature_ok: bool
    summary: str


@dataclass(frozen=True)
class Verification:
    result: str
    message: str
    certificate: PublicCertificate | None = None
    file_check: FileCheck | None = None

    @property
    def is_valid(self) -> bool:
        return self.result in {VerificationResult.VALID, VerificationResult.FILE_GENUINE} and (
            self.certificate is not None and self.certificate.status == CertificateStatus.VALID
        )


def public_view(certificate: Certificate, *, today: date) -> PublicCertificate:
    """The masked public face of a certificate (张*, 110105********002X)."""
    status = certificate.effective_status(today)
    person = certificate.holder_is_person
    return PublicCertificate(
        identifier=certificate.identifier,
        type_name=certificate.type.name,
        number=certificate.number,
        holder_name=mask_name(certificate.holder_name) if person else certificate.holder_name,
        holder_code=mask_resident_id(certificate.holder_code)
        if person
        else certificate.holder_code,
        issuer_name=certificate.issuer_name,
        issued_on=local_date(certificate.issued_at) if certificate.issued_at else None,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        status=status,
        status_label=str(CertificateStatus(status).label),
        revoked_on=local_date(certificate.revoked_at) if certificate.revoked_at else None,
        revoke_reason=certificate.revoke_reason,
    )


def file_check(certificate: Certificate, pdf: bytes | None = None) -> FileCheck:
    """Hash and e-seal check of the stored file (or of `pdf`, an uploaded copy)."""
    if pdf is None:
        if not certificate.file:
            return FileCheck(
                hash_matches=False, signature_ok=False, summary=_("证照文件尚未生成。")
            )
        try:
            with default_storage.open(str(certificate.file.name), "rb") as stored:
                pdf = stored.read()
        except OSError:
            # The row says VALID but the storage lost the file: say so, never a server error.
            logger.error("The file of certificate %s is missing from the storage", certificate.pk)
            return FileCheck(
                hash_matches=False,
                signature_ok=False,
                summary=_("证照文件缺失，无法核对，请联系颁发机构。"),
            )
        digest = hashlib.sha256(pdf).hexdigest()
        check = _stored_seal_check(pdf, digest)
    else:
        digest = hashlib.sha256(pdf).hexdigest()
        check = signing.check_pdf(pdf, trust_roots=trust_roots())
    hash_matches = digest == certificate.sha256
    return FileCheck(hash_matches=hash_matches, signature_ok=check.ok, summary=check.summary)


def _stored_seal_check(pdf: bytes, digest: str) -> signing.SignatureCheck:
    """The e-seal check of a stored file, remembered for SEAL_CHECK_SECONDS under the file's
    digest, the trust roots and the language. Validation is offline, so the result depends on
    nothing else but the clock (a signer certificate expiring), which the expiry bounds. Uploaded
    files are always checked afresh: anyone may upload, and they would only fill the cache."""
    roots = trust_roots()
    key = ":".join(
        (
            "certificates:seal",
            digest,
            hashlib.sha256(b"".join(roots)).hexdigest()[:16],
            translation.get_language() or "",
        )
    )
    cached = cache_get(key)
    if isinstance(cached, signing.SignatureCheck):
        return cached
    check = signing.check_pdf(pdf, trust_roots=roots)
    cache_set(key, check, SEAL_CHECK_SECONDS)
    return check


def _result_for(status: str) -> VerificationResult:
    return {
        CertificateStatus.VALID: VerificationResult.VALID,
        CertificateStatus.REVOKED: VerificationResult.REVOKED,
        CertificateStatus.EXPIRED: VerificationResult.EXPIRED,
        CertificateStatus.CHANGED: VerificationResult.CHANGED,
        CertificateStatus.VOID: VerificationResult.VOID,
    }.get(CertificateStatus(status), VerificationResult.PENDING)


def _message_for(result: VerificationResult) -> str:
    return {
        VerificationResult.VALID: _("该证照真实有效。"),
        VerificationResult.REVOKED: _("该证照已被颁发机构撤销，不再有效。"),
        VerificationResult.EXPIRED: _("该证照已超过有效期，不再有效。"),
        VerificationResult.CHANGED: _("该证照已变更，请以新版本为准。"),
        VerificationResult.VOID: _("该证照所依据的办件已作废，证照不再有效。"),
        VerificationResult.PENDING: _("该证照尚未签发完成。"),
        VerificationResult.NOT_FOUND: _("没有找到该证照标识对应的证照，请核对是否输入正确。"),
        VerificationResult.FILE_GENUINE: _("该文件是本平台签发的原件，签章后未被改动。"),
        VerificationResult.FILE_ALTERED: _(
            "该文件不是本平台签发的原件，或在签章后被改动过，不能作为有效证照使用。"
        ),
        VerificationResult.FILE_UNKNOWN: _("该文件不是本平台签发的电子证照。"),
        VerificationResult.NOT_PDF: _("请上传PDF格式的电子证照文件。"),
    }[result]


def _log(
    *,
    method: str,
    result: str,
    now: datetime,
    certificate: Certificate | None = None,
    query: str = "",
    ip: str | None = None,
    user: User | None = None,
    purpose: str = "",
) -> None:
    VerificationLog.objects.create(
        at=now,
        method=method,
        result=result,
        certificate=certificate,
        query=query[:100],
        ip=ip,
        user=user if user is not None and user.is_authenticated else None,
        purpose=purpose[:200],
    )


def certificate_verify(
    *, query: str, method: str, now: datetime, ip: str | None = None, user: User | None = None
) -> Verification:
    """Verify by identifier: syntax and check character first (forgeries stop here), then the
    register, then the stored file's hash and e-seal. Logged.

    :raises DomainError: for a malformed identifier, with the reason.
    """
    try:
        identifier = str(identifier_parse(query))
    except MalformedIdentifierError as error:
        _log(
            method=method,
            result=VerificationResult.MALFORMED,
            now=now,
            query=query,
            ip=ip,
            user=user,
        )
        raise DomainError(str(error), errors={"id": [str(error)]}) from None
    certificate = Certificate.objects.select_related("type").filter(identifier=identifier).first()
    if certificate is None or certificate.status in {
        CertificateStatus.PENDING,
        CertificateStatus.FAILED,
    }:
        result = VerificationResult.NOT_FOUND
        _log(method=method, result=result, now=now, query=identifier, ip=ip, user=user)
        return Verification(result=result, message=_message_for(result))
    view = public_view(certificate, today=local_date(now))
    result = _result_for(view.status)
    _log(
        method=method,
        result=result,
        now=now,
        certificate=certificate,
        query=identifier,
        ip=ip,
        user=user,
    )
    return Verification(
        result=result,
        message=_message_for(result),
        certificate=view,
        file_check=file_check(certificate),
    )


def certificate_verify_file(
    *, pdf: bytes, now: datetime, ip: str | None = None, user: User | None = None
) -> Verification:
    """Verify an uploaded PDF: is it a file this portal issued (its SHA-256 is on the register),
    unaltered, with a sound e-seal? Logged.

    :raises DomainError: if it is not a PDF or is too large.
    """
    if len(pdf) > MAX_VERIFY_BYTES:
        raise DomainError(
            _("文件过大：电子证照文件不超过10MB。"),
            errors={"file": [_("文件过大：电子证照文件不超过10MB。")]},
        )
    if not pdf.startswith(b"%PDF-"):
        result = VerificationResult.NOT_PDF
        _log(method=VerificationMethod.FILE, result=result, now=now, ip=ip, user=user)
        raise DomainError(_message_for(result), errors={"file": [_message_for(result)]})
    digest = hashlib.sha256(pdf).hexdigest()
    certificate = (
        Certificate.objects.select_related("type").filter(sha256=digest).exclude(sha256="").first()
    )
    if certificate is not None:
        check = file_check(certificate, pdf)
        status = certificate.effective_status(local_date(now))
        if not check.signature_ok:
            result = VerificationResult.FILE_ALTERED
        elif (
            status != CertificateStatus.VALID
        ):  # the original file of a revoked/expired certificate
            result = _result_for(status)
        else:
            result = VerificationResult.FILE_GENUINE
        _log(
            method=VerificationMethod.FILE,
            result=result,
            now=now,
            certificate=certificate,
            query=digest[:64],
            ip=ip,
            user=user,
        )
        return Verification(
            result=result,
            message=_message_for(result),
            certificate=public_view(certificate, today=local_date(now)),
            file_check=check,
        )
    signature = signing.check_pdf(pdf, trust_roots=trust_roots())
    result = (
        VerificationResult.FILE_ALTERED
        if signature.has_signature
        else VerificationResult.FILE_UNKNOWN
    )
    _log(
        method=VerificationMethod.FILE, result=result, now=now, query=digest[:64], ip=ip, user=user
    )
    return Verification(
        result=result,
        message=_message_for(result),
        file_check=FileCheck(hash_matches=False, signature_ok=False, summary=signature.summary),
    )


def certificate_check_for_use(
    *,
    certificate_id: int,
    holder_code: str,
    type_code: str,
    purpose: str,
    user: User,
    now: datetime,
) -> Certificate:
    """Check a certificate offered in place of a material (免提交): it must be the holder's, of the
    right type, valid today. Logged as a use.

    :raises DomainError: if it is revoked, expired, superseded or not the holder's.
    """
    certificate = Certificate.objects.select_related("type").filter(pk=certificate_id).first()
    if (
        certificate is None
        or certificate.holder_code != holder_code
        or certificate.type.code != type_code
    ):
        raise DomainError(_("所选电子证照不属于申请人或类型不符，请上传材料。"))
    status = certificate.effective_status(local_date(now))
    result = _result_for(status)
    _log(
        method=VerificationMethod.USE,
        result=result,
        now=now,
        certificate=certificate,
        query=certificate.identifier,
        user=user,
        purpose=purpose,
    )
    if status != CertificateStatus.VALID:
        raise DomainError(
            _("电子证照“%(name)s”%(status)s，不能用于办事，请上传材料。")
            % {"name": certificate.type.name, "status": CertificateStatus(status).label}
        )
    return certificate
