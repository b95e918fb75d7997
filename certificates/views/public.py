"""The public verification pages (no sign-in): by identifier, from a QR code or typed, and by
uploading a PDF; and a holder's share link. Rate-limited per client address; every check logged."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from django_ratelimit.core import is_ratelimited

from accounts.models import User
from audit.choices import AuditAction
from audit.services import REQUEST_USER, audit_record
from certificates import services
from certificates.choices import CertificateStatus, VerificationMethod
from certificates.models import Certificate, ShareLink
from certificates.services.verification import MAX_VERIFY_BYTES
from core.errors import DomainError
from core.http import client_ip

MAX_UPLOAD = MAX_VERIFY_BYTES


def _rate(group: str, request: HttpRequest) -> str:
    return str(settings.VERIFICATION_RATE)


def _limited(request: HttpRequest) -> bool:
    return bool(
        is_ratelimited(
            request,
            group="certificate-verify",
            key="ip",
            rate=_rate,
            method=is_ratelimited.ALL,
            increment=True,
        )
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "certificates/verify_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


def _ip(request: HttpRequest) -> str | None:
    return client_ip(request)


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@method_decorator(never_cache, name="dispatch")
class CertificateVerifyView(View):
    """`/verify/?id=<证照标识>` (the QR code adds `src=qr`): status, masked holder, issuer, dates,
    and whether the stored file's hash and e-seal check out."""

    def get(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.get("id", "")
        if not query:
            return render(request, "certificates/verify.html", {"query": ""})
        if _limited(request):
            return _too_many(request)
        method = (
            VerificationMethod.QR if request.GET.get("src") == "qr" else VerificationMethod.TYPED
        )
        try:
            outcome = services.certificate_verify(
                query=query, method=method, now=timezone.now(), ip=_ip(request), user=_user(request)
            )
        except DomainError as error:
            return render(
                request,
                "certificates/verify.html",
                {"query": query, "error": error.message},
                status=400,
            )
        return render(request, "certificates/verify.html", {"query": query, "outcome": outcome})


@method_decorator(never_cache, name="dispatch")
class CertificateVerifyFileView(View):
    """Upload a PDF to learn whether it is a genuine, unaltered certificate of this portal."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "certificates/verify_file.html", {})

    def post(self, request: HttpRequest) -> HttpResponse:
        if _limited(request):
            return _too_many(request)
        upload = request.FILES.get("file")
        if upload is None:
            return self._error(request, _("请选择要核验的PDF文件。"))
        if upload.size is not None and upload.size > MAX_UPLOAD:
            return self._error(request, _("文件过大：电子证照文件不超过10MB。"))
        try:
            outcome = services.certificate_verify_file(
                pdf=upload.read(), now=timezone.now(), ip=_ip(request), user=_user(request)
            )
        except DomainError as error:
            return self._error(request, error.message)
        return render(request, "certificates/verify_file.html", {"outcome": outcome})

    def _error(self, request: HttpRequest, message: str) -> HttpResponse:
        return render(request, "certificates/verify_file.html", {"error": message}, status=400)


def _share(token: str) -> ShareLink:
    try:
        return services.share_link_open(token=token, now=timezone.now())
    except ShareLink.DoesNotExist:
        raise Http404 from None


@method_decorator(never_cache, name="dispatch")
class SharedCertificateView(View):
    """What a third party sees through a holder's share link, until it expires or is withdrawn."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        if _limited(request):
            return _too_many(request)
        share = _share(token)
        certificate = share.certificate
        view = services.public_view(certificate, today=timezone.localdate())
        return render(
            request,
            "certificates/shared.html",
            {"share": share, "certificate": view, "token": token},
        )


@method_decorator(never_cache, name="dispatch")
class SharedCertificateDownloadView(View):
    def get(self, request: HttpRequest, token: str) -> FileResponse:
        if _limited(request):
            raise Http404
        certificate = _share(token).certificate
        if certificate.effective_status(timezone.localdate()) != CertificateStatus.VALID:
            raise Http404  # a revoked or expired certificate is no longer handed out
        return certificate_file_response(certificate)


def certificate_file_response(certificate: Certificate) -> FileResponse:
    """The signed PDF as a download with a neutral name (no personal data in it)."""
    if not certificate.file:
        raise Http404
    response = FileResponse(
        certificate.file.open("rb"),
        as_attachment=True,
        filename=f"certificate-{certificate.number}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"  # a PDF viewer, never a page with our origin
    response["Cache-Control"] = "private, no-store"
    audit_record(  # the holder, or anonymous through a share link
        action=AuditAction.CERTIFICATE_DOWNLOAD,
        actor=REQUEST_USER,
        object_type="certificate",
        object_id=certificate.pk,
    )
    return response
