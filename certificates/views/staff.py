"""Staff pages of the issuing departments: certificates issued, pending and failed, with the
retry and revoke actions, and the template preview for the admin."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
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
from matters.workbench import StaffPageMixin


def _staff(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # StaffCertificateMixin let only staff through
    return request.user


class StaffCertificateMixin(StaffPageMixin):
    """Signed-in staff only; another department's certificate is a 404, a missing permission 403."""

    not_found = (Certificate.DoesNotExist, CertificateType.DoesNotExist)


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
