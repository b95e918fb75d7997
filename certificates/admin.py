"""Certificate types are edited in the admin with a live preview; issued certificates, keys and the
verification log are read-only here (revocation and retry go through the services, on the
workbench)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from certificates.models import Certificate, CertificateType, SigningKey, VerificationLog
from certificates.rendering import default_template
from core.admin import ReadOnly
from core.identifiers import mask_name, mask_resident_id
from matters.permissions import departments_of_staff


class CertificateTypeForm(forms.ModelForm[CertificateType]):
    class Meta:
        model = CertificateType
        fields = (
            "code", "name", "department", "holder_kind", "number_prefix", "is_active",
            "validity_years", "renewable", "allow_multiple", "fields", "template_html",
            "template_css",
        )  # fmt: skip
        widgets = {
            "template_html": forms.Textarea(attrs={"rows": 24, "cols": 100, "spellcheck": "false"}),
            "template_css": forms.Textarea(attrs={"rows": 16, "cols": 100, "spellcheck": "false"}),
        }


@admin.register(CertificateType)
class CertificateTypeAdmin(admin.ModelAdmin[CertificateType]):
    """The template is checked at save (model clean: it must render with sample data); the preview
    shows the saved template rendered on sample data, as HTML and as the signed-off PDF layout."""

    form = CertificateTypeForm
    list_display = ("name", "code", "department", "holder_kind", "validity_years", "is_active")
    list_filter = ("holder_kind", "is_active", "department")
    search_fields = ("name", "code")
    readonly_fields = ("preview",)
    fieldsets = (
        (
            None,
            {"fields": ("code", "name", "department", "holder_kind", "number_prefix", "is_active")},
        ),
        (_("有效期"), {"fields": ("validity_years", "renewable", "allow_multiple")}),
        (_("照面信息与模板"), {"fields": ("fields", "template_html", "template_css", "preview")}),
    )

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """A new type starts from the shipped layout."""
        html, css = default_template()
        return {
            **super().get_changeform_initial_data(request),
            "template_html": html,
            "template_css": css,
        }

    @admin.display(description=_("预览（示例数据）"))
    def preview(self, obj: CertificateType) -> str:
        if not obj.pk:
            return str(_("保存后可预览。"))
        url = reverse("certificates:type-preview", args=[obj.pk])
        return format_html(
            '<iframe src="{}" title="{}" style="width:100%;max-width:820px;height:1120px;border:1px solid #ccc"></iframe>'
            '<p><a href="{}?format=pdf" target="_blank" rel="noopener">{}</a></p>',
            url,
            _("证照模板预览"),
            url,
            _("查看PDF"),
        )


@admin.register(Certificate)
class CertificateAdmin(ReadOnly, admin.ModelAdmin[Certificate]):
    list_display = ("number", "type", "masked_holder", "issuer", "status", "issued_at", "attempts")
    list_filter = ("status", "type")
    search_fields = ("number", "identifier", "source_ref")
    fields = (
        "identifier", "number", "type", "status", "masked_holder", "masked_code", "issuer_name",
        "source_ref", "requested_at", "issued_at", "valid_from", "valid_until", "sha256", "size",
        "attempts", "last_error", "revoked_at", "revoke_reason",
    )  # fmt: skip
    readonly_fields = fields
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Certificate]:
        user = request.user
        assert isinstance(user, User)
        return (
            super()
            .get_queryset(request)
            .filter(issuer__in=departments_of_staff(user))
            .select_related("type", "issuer")
        )

    @admin.display(description=_("持证主体"))
    def masked_holder(self, obj: Certificate) -> str:
        return mask_name(obj.holder_name) if obj.holder_is_person else obj.holder_name

    @admin.display(description=_("持证主体代码"))
    def masked_code(self, obj: Certificate) -> str:
        return mask_resident_id(obj.holder_code) if obj.holder_is_person else obj.holder_code


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnly, admin.ModelAdmin[SigningKey]):
    list_display = ("subject", "department", "is_root", "not_after", "is_active")
    fields = (
        "subject",
        "department",
        "is_root",
        "fingerprint",
        "not_before",
        "not_after",
        "certificate_pem",
    )
    readonly_fields = fields


@admin.register(VerificationLog)
class VerificationLogAdmin(ReadOnly, admin.ModelAdmin[VerificationLog]):
    list_display = ("at", "method", "result", "certificate", "ip")
    list_filter = ("method", "result")
    show_full_result_count = False
