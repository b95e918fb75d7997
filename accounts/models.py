"""The one user model of the portal, for citizens, legal persons and staff."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.choices import CodePurpose, Language, MandateKind, UserKind
from core.crypto import BlindIndexedModel, BlindIndexField, EncryptedCharField
from core.identifiers import mask_mobile, mask_resident_id
from core.models import BaseModel


class User(BlindIndexedModel, AbstractUser):
    """A portal account. Citizens are real-name (实名) accounts keyed on the resident ID number."""

    kind = models.CharField(
        _("账户类型"), max_length=16, choices=UserKind.choices, default=UserKind.CITIZEN
    )
    real_name = models.CharField(_("姓名"), max_length=64, blank=True)
    # Validated by accounts.services; encrypted at rest (core.crypto, DOMAIN §9.3). Look them up
    # through the blind indexes: unique per ID number; a mobile may be shared (staff).
    id_number = EncryptedCharField(_("公民身份号码"), max_length=18, null=True, blank=True)
    id_number_index = BlindIndexField(source="id_number", kind="id_number", unique=True)
    mobile = EncryptedCharField(_("手机号码"), max_length=11, blank=True)
    mobile_index = BlindIndexField(source="mobile", kind="mobile", db_index=True)
    # Legal persons (法人): the account is keyed on the 统一社会信用代码 and has no password of its own;
    # people act for it through mandates (Mandate.kind = COMPANY_AGENT).
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True
    )
    legal_representative = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="companies_represented",
        verbose_name=_("法定代表人"),
    )
    language = models.CharField(
        _("消息语言"), max_length=8, choices=Language.choices, default=Language.ZH_HANS
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        permissions = [("unmask_personal_data", _("可以查看完整的个人信息（须说明事由，留痕）"))]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=UserKind.values), name="user_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=UserKind.LEGAL_PERSON, uscc__isnull=False)
                | (~Q(kind=UserKind.LEGAL_PERSON) & Q(uscc__isnull=True)),
                name="user_uscc_iff_legal_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username}（{self.display_name}）"

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def masked_id_number(self) -> str:
        return mask_resident_id(self.id_number or "")

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class MandateQuerySet(models.QuerySet["Mandate"]):
    def active(self) -> "MandateQuerySet":
        return self.filter(revoked_at__isnull=True)


class Mandate(BaseModel):
    """An authorisation to apply for someone else (DOMAIN §8.4, §4.8).

    COMPANY_AGENT: a legal person's representative lets a staff member (经办人) apply on the
    company's behalf. PROXY: a citizen lets another person (代办人) apply for them, consenting to it.
    Either covers all matters or the listed ones (implementation codes, stable across versions).
    Nothing is deleted: revoking stamps the row, and the trail of who acted for whom stays.
    """

    kind = models.CharField(_("授权类型"), max_length=16, choices=MandateKind.choices)
    principal = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="mandates_given", verbose_name=_("委托方")
    )
    agent = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="mandates_held", verbose_name=_("受托人")
    )
    all_matters = models.BooleanField(_("全部事项"), default=True)
    matter_codes = models.JSONField(_("授权事项实施编码"), default=list, blank=True)
    consent_text = models.TextField(_("授权声明"), help_text=_("授权时委托方确认的声明原文。"))
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("授权人")
    )
    granted_at = models.DateTimeField(_("授权时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤销人"),
    )

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("授权")
        verbose_name_plural = _("授权")
        indexes = [models.Index(fields=["agent", "revoked_at"], name="mandate_by_agent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MandateKind.values), name="mandate_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(principal=models.F("agent")), name="mandate_not_self"
            ),
            models.UniqueConstraint(
                fields=["principal", "agent"],
                condition=Q(revoked_at__isnull=True),
                name="mandate_one_active_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principal.display_name} → {self.agent.display_name}"

    def covers(self, matter_code: str) -> bool:
        return self.revoked_at is None and (self.all_matters or matter_code in self.matter_codes)


class OneTimeCode(models.Model):
    """A 6-digit code sent by SMS (sign-in, password reset, change of mobile). Only its hash is kept;
    it expires, allows a few attempts, and works once. The mobile is kept only as its blind index
    (core.crypto): codes are looked up by mobile, never read back."""

    purpose = models.CharField(_("用途"), max_length=16, choices=CodePurpose.choices)
    mobile_index = models.CharField(_("手机号码索引"), max_length=64)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="one_time_codes"
    )
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [
            models.Index(fields=["mobile_index", "purpose", "created_at"], name="code_by_mobile"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=CodePurpose.values), name="code_purpose_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_purpose_display()}"


class PersonalDataAccess(models.Model):
    """Append-only record of a member of staff revealing personal data in full (DOMAIN §9.3)."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("查看人")
    )
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    field = models.CharField(_("字段"), max_length=64)
    reason = models.CharField(_("查询事由"), max_length=200)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    accessed_at = models.DateTimeField(_("查看时间"))

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        indexes = [models.Index(fields=["object_type", "object_id"], name="pd_access_object")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.object_type}#{self.object_id}.{self.field}"
