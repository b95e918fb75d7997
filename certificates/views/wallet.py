"""The holder's wallet (我的证照): list, detail, download, share links."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from accounts.models import User
from certificates import selectors, services
from certificates.choices import CertificateStatus
from certificates.models import Certificate, ShareLink
from certificates.permissions import access_certificate_for_holder
from certificates.views.public import certificate_file_response
from core.errors import DomainError


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # guaranteed by LoginRequiredMixin
    return request.user


def _status(certificate: Certificate, today: date) -> dict[str, str]:
    """The status the holder sees today (past its end date a valid certificate is expired)."""
    status = certificate.effective_status(today)
    return {"status": status, "status_label": str(CertificateStatus(status).label)}


def _holder_certificate(request: HttpRequest, pk: int) -> Certificate:
    try:
        return access_certificate_for_holder(user=_user(request), certificate_id=pk)
    except Certificate.DoesNotExist:
        raise Http404 from None


@method_decorator(never_cache, name="dispatch")
class WalletView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        rows = [
            {"certificate": c, **_status(c, today)}
            for c in selectors.certificate_list_for_holder(user=_user(request))
        ]
        return render(request, "certificates/wallet.html", {"rows": rows})


@method_decorator(never_cache, name="dispatch")
class WalletDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, _holder_certificate(request, pk))

    def _render(
        self,
        request: HttpRequest,
        certificate: Certificate,
        *,
        share_error: str = "",
        status: int = 200,
    ) -> HttpResponse:
        now = timezone.now()
        shares = [
            {"share": s, "live": s.revoked_at is None and s.expires_at > now}
            for s in selectors.share_list_for_certificate(certificate=certificate)
        ]
        context = {
            "certificate": certificate,
            **_status(certificate, timezone.localdate()),
            "fields": certificate.surface_values(),
            "shares": shares,
            "new_share": request.session.pop("new_share", ""),
            "share_error": share_error,
        }
        return render(request, "certificates/wallet_detail.html", context, status=status)


@method_decorator(never_cache, name="dispatch")
class WalletDownloadView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return certificate_file_response(_holder_certificate(request, pk))


class ShareCreateView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = _holder_certificate(request, pk)
        raw_days = request.POST.get("days", "")
        try:
            days = int(raw_days)
        except ValueError:
            days = 0
        try:
            share = services.share_link_create(
                user=_user(request),
                certificate_id=certificate.pk,
                days=days,
                purpose=request.POST.get("purpose", ""),
                now=timezone.now(),
            )
        except DomainError as error:
            return WalletDetailView()._render(
                request, certificate, share_error=error.message, status=400
            )
        # The link is shown once, on the next page, and never put in a URL of ours.
        request.session["new_share"] = request.build_absolute_uri(
            reverse("certificates:shared", args=[share.token])
        )
        messages.success(request, _("分享链接已生成。"))
        return redirect("certificates:wallet-detail", pk=certificate.pk)


class ShareRevokeView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            share = services.share_link_revoke(user=_user(request), share_id=pk, now=timezone.now())
        except ShareLink.DoesNotExist:
            raise Http404 from None
        messages.success(request, _("分享链接已收回，对方无法再查看。"))
        return redirect("certificates:wallet-detail", pk=share.certificate_id)
