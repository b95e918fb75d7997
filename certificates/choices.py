"""Enumerations of the certificate library (DOMAIN §7.2, §7.6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolderKind(models.TextChoices):
    PERSON = "PERSON", _("自然人")
    COMPANY = "COMPANY", _("法人")


class HolderCodeType(models.TextChoices):
    """持证主体代码类型代码 (DOMAIN §7.2)."""

    RESIDENT_ID = "111", _("公民身份号码")
    USCC = "001", _("统一社会信用代码")


class CertificateStatus(models.TextChoices):
    PENDING = "PENDING", _("签发中")
    VALID = "VALID", _("有效")
    FAILED = "FAILED", _("签发失败")
    CHANGED = "CHANGED", _("已变更")
    REVOKED = "REVOKED", _("已撤销")
    EXPIRED = "EXPIRED", _("已过期")
    VOID = "VOID", _("已作废")


class VerificationMethod(models.TextChoices):
    QR = "QR", _("扫码核验")
    TYPED = "TYPED", _("输入标识核验")
    FILE = "FILE", _("上传文件核验")
    SHARE = "SHARE", _("分享链接")
    USE = "USE", _("办事用证核验")


class VerificationResult(models.TextChoices):
    VALID = "VALID", _("有效")
    REVOKED = "REVOKED", _("已撤销")
    EXPIRED = "EXPIRED", _("已过期")
    CHANGED = "CHANGED", _("已变更")
    VOID = "VOID", _("已作废")
    PENDING = "PENDING", _("尚未签发")
    NOT_FOUND = "NOT_FOUND", _("查无此证")
    MALFORMED = "MALFORMED", _("标识格式错误")
    FILE_GENUINE = "FILE_GENUINE", _("文件真实完整")
    FILE_ALTERED = "FILE_ALTERED", _("文件被改动或签章无效")
    FILE_UNKNOWN = "FILE_UNKNOWN", _("不是本平台签发的文件")
    NOT_PDF = "NOT_PDF", _("不是PDF文件")
