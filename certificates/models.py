"""Certificate types, issued certificates (电子证照), the issuers' signing keys, share links and the
verification log (DOMAIN §7)."""

from datetime import date
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certificates.choices import (
    CertificateStatus,
    HolderCodeType,
    HolderKind,
    VerificationMethod,
    VerificationResult,
)
from certificates.validation import certificate_type_check
from core.crypto import (
    BlindIndexedModel,
    BlindIndexField,
    EncryptedCharField,
    EncryptedJSONField,
)
from core.models import BaseModel
from matters.models import Department


class CertificateType(BaseModel):
    """A 证照类型 (GB/T 36902): what a certificate says, who issues it, how long it is valid, and
    its layout (HTML + CSS, edited in the admin with a live preview)."""

    # 证照定义机构 USCC (18) + 3-digit sequence, e.g. 11100000000013338W011 (DOMAIN §7.3).
    code = models.CharField(_("证照类型代码"), max_length=24, unique=True)
    name = models.CharField(_("证照名称"), max_length=100)
    department = models.ForeignKey(
        Department,
        verbose_name=_("颁发机构"),
        on_delete=models.PROTECT,
        related_name="certificate_types",
    )
    holder_kind = models.CharField(
        _("持证主体类型"), max_length=8, choices=HolderKind.choices, default=HolderKind.PERSON
    )
    number_prefix = models.CharField(_("证照编号前缀"), max_length=8, blank=True)
    validity_years = models.PositiveSmallIntegerField(
        _("有效期（年）"), null=True, blank=True, help_text=_("留空表示长期有效。")
    )
    renewable = models.BooleanField(
        _("可延续"), default=False, help_text=_("到期前30天提醒持证人办理延续。")
    )
    allow_multiple = models.BooleanField(
        _("允许同一持证主体持有多个有效证照"),
        default=False,
        help_text=_("不勾选时，新证签发后同一持证主体的旧证标记为已变更。"),
    )
    fields = models.JSONField(
        _("照面信息项"),
        default=list,
        blank=True,
        help_text=_(
            '照面上除持证人、编号、日期之外的信息项，例如 [{"key": "business_name", "label": "经营者名称"}]。key 对应申请表单的字段。'
        ),
    )
    template_html = models.TextField(_("模板（HTML）"))
    template_css = models.TextField(_("样式（CSS）"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("证照类型")
        verbose_name_plural = _("证照类型")
        permissions = [("preview_certificatetype", _("预览证照模板"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(holder_kind__in=HolderKind.values), name="certificatetype_holder_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def clean(self) -> None:
        certificate_type_check(self)

    def surface_fields(self) -> list[tuple[str, str]]:
        """The (key, label) of each surface field, in order (validated at save)."""
        return [
            (str(field["key"]), str(field.get("label", "")))
            for field in self.fields
            if isinstance(field, dict) and field.get("key")
        ]


class SigningKey(BaseModel):
    """An issuer's signing key and X.509 certificate (the e-seal), or the root that vouches for them.
    The private key is stored encrypted with settings.SIGNING_KEY_PASSPHRASE; production keeps it
    in an HSM behind the same interface."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        related_name="signing_keys",
        null=True,
        blank=True,
    )
    is_root = models.BooleanField(_("根证书"), default=False)
    subject = models.CharField(_("证书主体"), max_length=200)
    certificate_pem = models.TextField(_("证书（PEM）"))
    private_key_pem = models.TextField(_("私钥（加密PEM）"))
    fingerprint = models.CharField(_("SHA-256指纹"), max_length=64, unique=True)
    not_before = models.DateTimeField(_("生效时间"))
    not_after = models.DateTimeField(_("失效时间"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("签章密钥")
        verbose_name_plural = _("签章密钥")
        constraints = [
            models.UniqueConstraint(
                fields=["department"],
                condition=Q(is_active=True, is_root=False),
                name="one_active_key_per_department",
            ),
            models.CheckConstraint(
                condition=Q(is_root=True, department__isnull=True)
                | Q(is_root=False, department__isnull=False),
                name="signingkey_root_has_no_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.fingerprint[:12]}"


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def valid_on(self, day: date) -> Self:
        """Certificates that hold on `day`: issued, not revoked or superseded, within validity."""
        return self.filter(status=CertificateStatus.VALID, valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class Certificate(BlindIndexedModel, BaseModel):
    """One electronic certificate. The PENDING row is the outbox: it is written in the transaction
    that approves the case, and a worker renders, signs and stores it (STYLE R9, R10)."""

    type = models.ForeignKey(
        CertificateType, verbose_name=_("证照类型"), on_delete=models.PROTECT, related_name="+"
    )
    identifier = models.CharField(_("证照标识"), max_length=100, unique=True)
    number = models.CharField(_("证照编号"), max_length=40, unique=True)
    version = models.CharField(_("版本号"), max_length=3, default="001")
    status = models.CharField(
        _("状态"),
        max_length=8,
        choices=CertificateStatus.choices,
        default=CertificateStatus.PENDING,
    )
    holder_name = models.CharField(_("持证主体"), max_length=200)
    # A person's ID number or a company's USCC: encrypted at rest (core.crypto), found by the index.
    holder_code = EncryptedCharField(_("持证主体代码"), max_length=18)
    holder_code_index = BlindIndexField(source="holder_code", kind="holder_code")
    holder_code_type = models.CharField(
        _("持证主体代码类型"), max_length=3, choices=HolderCodeType.choices
    )
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("持证人账号"),
        on_delete=models.PROTECT,
        related_name="certificates",
        null=True,
        blank=True,
    )
    issuer = models.ForeignKey(
        Department, verbose_name=_("颁发机构"), on_delete=models.PROTECT, related_name="+"
    )
    issuer_name = models.CharField(_("颁发机构名称"), max_length=128)
    issuer_code = models.CharField(_("颁发机构代码"), max_length=18)
    # The printed fields may name people and addresses: encrypted at rest (core.crypto).
    data = EncryptedJSONField(_("照面信息"), default=dict, blank=True)
    # The case (or other business record) that asked for it: its 申报号.
    source_ref = models.CharField(_("来源业务编号"), max_length=64, blank=True)
    requested_at = models.DateTimeField(_("申请签发时间"))
    issued_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to="certificates/", blank=True, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    attempts = models.PositiveSmallIntegerField(_("签发尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=200, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    revoke_reason = models.TextField(_("撤销理由"), blank=True)
    expiry_reminded_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("电子证照")
        verbose_name_plural = _("电子证照")
        permissions = [
            ("revoke_certificate", _("撤销电子证照")),
            ("retry_certificate", _("重新签发失败的电子证照")),
        ]
        indexes = [
            models.Index(fields=["holder_user", "status"], name="certificate_wallet"),
            models.Index(fields=["holder_code_index", "type", "status"], name="certificate_holder"),
            models.Index(fields=["status", "requested_at"], name="certificate_outbox"),
            models.Index(fields=["source_ref"], name="certificate_source"),
            models.Index(fields=["issuer", "status"], name="certificate_issuer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CertificateStatus.values), name="certificate_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(holder_code_type__in=HolderCodeType.values),
                name="certificate_holder_code_type_valid",
            ),
            # One certificate per type for each business record: approving twice issues once.
            models.UniqueConstraint(
                fields=["source_ref", "type"],
                condition=~Q(source_ref=""),
                name="one_certificate_per_source_and_type",
            ),
            models.CheckConstraint(
                condition=~Q(status="VALID") | (~Q(sha256="") & Q(issued_at__isnull=False)),
                name="valid_certificate_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.type_id}"

    def surface_values(self) -> list[tuple[str, str]]:
        """The (label, value) of each surface field, as printed on the certificate."""
        return [(label, self.data.get(key, "")) for key, label in self.type.surface_fields()]

    @property
    def holder_is_person(self) -> bool:
        return self.holder_code_type == HolderCodeType.RESIDENT_ID

    def effective_status(self, day: date) -> str:
        """The status a verifier sees on `day`: a VALID certificate past its end date is expired
        even before the nightly job marks it."""
        if self.status == CertificateStatus.VALID and self.valid_until and self.valid_until < day:
            return CertificateStatus.EXPIRED
        return self.status


class ShareLink(BaseModel):
    """A link the holder gives a third party (a bank, a landlord) to view and download one
    certificate until it expires or the holder withdraws it."""

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("电子证照"), on_delete=models.CASCADE, related_name="shares"
    )
    token = models.CharField(_("令牌"), max_length=64, unique=True)
    purpose = models.CharField(_("用证事由"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField(_("失效时间"))
    revoked_at = models.DateTimeField(_("收回时间"), null=True, blank=True)
    views = models.PositiveIntegerField(_("查看次数"), default=0)

    class Meta:
        verbose_name = _("分享链接")
        verbose_name_plural = _("分享链接")

    def __str__(self) -> str:
        return f"{self.certificate_id} until {self.expires_at:%Y-%m-%d}"


class VerificationLog(models.Model):
    """Every verification (扫码、输入标识、上传文件、用证): who, when, from where, with what result.
    It is personal-data processing (DOMAIN §7.5 step 6), so it is kept as evidence."""

    at = models.DateTimeField(_("时间"))
    method = models.CharField(_("方式"), max_length=8, choices=VerificationMethod.choices)
    result = models.CharField(_("结果"), max_length=16, choices=VerificationResult.choices)
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="verifications", null=True, blank=True
    )
    # What was asked, cut to a safe length; an identifier carries no personal data.
    query = models.CharField(_("查询内容"), max_length=100, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    purpose = models.CharField(_("用证事由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("核验记录")
        verbose_name_plural = _("核验记录")
        indexes = [models.Index(fields=["certificate", "at"], name="verification_by_certificate")]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=VerificationMethod.values), name="verification_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(result__in=VerificationResult.values), name="verification_result_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.method} {self.result}"
