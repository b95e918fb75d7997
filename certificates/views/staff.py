"""Staff pages of the issuing departments: certificates issued, pending and failed, with the
retry and revoke actions, and the template preview for the admin."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from accounts.models import User
from certificates import rendering, selectors, services
from certificates.choices import CertificateStatus
from certificates.models import Certificate, CertificateType
from certificates.permissions import (
    access_certificate_for_staff_view,
    access_certificate_type_for_preview,
)
from core.errors import DomainError
from matters.permissions import is_staff_member


def _staff(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # StaffCertificateMixin let only staff through
    return request.user


@method_decorator(never_cache, name="dispatch")
class StaffCertificateMixin(LoginRequiredMixin):
    """Signed-in staff only; another department's certificate is a 404, a missing permission 403."""

    login_url = "sign-in"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if isinstance(user, User) and not is_staff_member(user):
            raise Http404
        try:
            return super().dispatch(request, *args, **kwargs)
        except (Certificate.DoesNotExist, CertificateType.DoesNotExist):
            raise Http404 from None
        except PermissionDenied as exc:
            message = str(exc) or _("您没有执行该操作的权限。")
            return render(
                request, "applications/staff/forbidden.html", {"message": message}, status=403
            )


class StaffCertificateListView(StaffCertificateMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        status = request.GET.get("status", "")
        if status not in CertificateStatus.values:
            status = ""
        rows = selectors.certificate_list_for_staff(user=_staff(request), status=status)
        page = Paginator(rows, 30).get_page(request.GET.get("page"))
        return render(
            request,
            "certificates/staff_list.html",
            {
                "workbench_section": "certificates",
                "page": page,
                "status": status,
                "statuses": CertificateStatus.choices,
            },
        )


class StaffCertificateDetailView(StaffCertificateMixin, View):
    def get(
        self, request: HttpRequest, pk: int, error: str = "", status: int = 200
    ) -> HttpResponse:
        certificate = access_certificate_for_staff_view(user=_staff(request), certificate_id=pk)
        return render(
            request,
            "certificates/staff_detail.html",
            {
                "workbench_section": "certificates",
                "certificate": certificate,
                "view": services.public_view(certificate, today=timezone.localdate()),
                "error": error,
            },
            status=status,
        )


class StaffCertificateRevokeView(StaffCertificateMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.certificate_revoke(
                user=_staff(request),
                certificate_id=pk,
                reason=request.POST.get("reason", ""),
                now=timezone.now(),
            )
        except DomainError as error:
            return StaffCertificateDetailView().get(request, pk, error=error.message, status=400)
        messages.success(request, _("证照已撤销，核验页面将显示“已撤销”。"))
        return redirect("certificates:staff-detail", pk=pk)


class StaffCertificateRetryView(StaffCertificateMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.certificate_retry(user=_staff(request), certificate_id=pk, now=timezone.now())
        except DomainError as error:
            return StaffCertificateDetailView().get(request, pk, error=error.message, status=409)
        messages.success(request, _("已重新提交签发。"))
        return redirect("certificates:staff-detail", pk=pk)


@method_decorator(xframe_options_sameorigin, name="dispatch")
class CertificateTypePreviewView(StaffCertificateMixin, View):
    """The type's template rendered with sample data: HTML by default, `?format=pdf` for the PDF."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate_type = access_certificate_type_for_preview(user=_staff(request), type_id=pk)
        context = rendering.sample_context(
            template_html=certificate_type.template_html, template_css=certificate_type.template_css
        )
        try:
            if request.GET.get("format") == "pdf":
                _html, pdf = rendering.render_certificate(context)
                return HttpResponse(pdf, content_type="application/pdf")
            return HttpResponse(rendering.render_html(context))
        except rendering.CertificateTemplateError as error:
            return HttpResponse(error.message, content_type="text/plain; charset=utf-8", status=400)
