"""Statuses, channels and trail event kinds of applications (办件)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """The internal states of DOMAIN §6.2 (ACCEPTED and IN_REVIEW are one state here: accepting a
    case starts its first review step)."""

    DRAFT = "DRAFT", _("草稿")
    RECEIVED = "RECEIVED", _("已收件，待受理")
    SUPPLEMENT_REQUIRED = "SUPPLEMENT_REQUIRED", _("待补正材料")
    IN_REVIEW = "IN_REVIEW", _("已受理，审查中")
    SUSPENDED = "SUSPENDED", _("特别程序中")
    APPROVED = "APPROVED", _("准予许可，待送达")
    REJECTED = "REJECTED", _("不予许可，待送达")
    COMPLETED = "COMPLETED", _("已办结")
    NOT_ACCEPTED = "NOT_ACCEPTED", _("不予受理")
    RETURNED = "RETURNED", _("已退件")
    WITHDRAWN = "WITHDRAWN", _("已撤回")
    VOID = "VOID", _("已作废")


TERMINAL_STATUSES = frozenset(
    {Status.COMPLETED, Status.NOT_ACCEPTED, Status.RETURNED, Status.WITHDRAWN, Status.VOID}
)
OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.SUPPLEMENT_REQUIRED,
        Status.IN_REVIEW,
        Status.SUSPENDED,
        Status.APPROVED,
        Status.REJECTED,
    }
)
PRE_DECISION_STATUSES = [
    Status.RECEIVED,
    Status.SUPPLEMENT_REQUIRED,
    Status.IN_REVIEW,
    Status.SUSPENDED,
]


class Channel(models.TextChoices):
    """Where the application came from (vendor codes of DOMAIN §4.1 in comments)."""

    ONLINE = "ONLINE", _("网上申报")  # 1 PC端网上申报
    WINDOW = "WINDOW", _("窗口收件")  # 8 线下一窗收件


class DeliveryMethod(models.TextChoices):
    ELECTRONIC = "ELECTRONIC", _("电子送达")
    WINDOW = "WINDOW", _("窗口领取")
    MAIL = "MAIL", _("邮寄送达")


class MaterialSource(models.TextChoices):
    """How a required material was provided."""

    UPLOAD = "UPLOAD", _("上传电子材料")
    PAPER = "PAPER", _("窗口收取纸质材料")
    DEFICIENCY = "DEFICIENCY", _("容缺后补")
    COMMITMENT = "COMMITMENT", _("告知承诺")
    CERTIFICATE = "CERTIFICATE", _("电子证照免提交")


class SpecialKind(models.TextChoices):
    """特别程序 (行政许可法第45条): time they take is not counted."""

    HEARING = "HEARING", _("听证")
    TESTING = "TESTING", _("检验检测")
    QUARANTINE = "QUARANTINE", _("检疫")
    APPRAISAL = "APPRAISAL", _("鉴定")
    EXPERT = "EXPERT", _("专家评审")
    SITE_CHECK = "SITE_CHECK", _("现场核查")
    TENDER = "TENDER", _("招标、拍卖")
    OTHER = "OTHER", _("其他")


class NotAcceptedKind(models.TextChoices):
    """The two refusals at intake (行政许可法第32条第1、2项)."""

    NO_LICENCE_NEEDED = "NO_LICENCE_NEEDED", _("依法不需要取得行政许可")
    NOT_COMPETENT = "NOT_COMPETENT", _("不属于本机关职权范围")
    OTHER = "OTHER", _("其他依法不予受理的情形")


class EventKind(models.TextChoices):
    SUBMITTED = "SUBMITTED", _("提交申请")
    FILED_AT_WINDOW = "FILED_AT_WINDOW", _("窗口收件")
    RESUBMITTED = "RESUBMITTED", _("补正材料已提交")
    ACCEPTED = "ACCEPTED", _("受理")
    DEEMED_ACCEPTED = "DEEMED_ACCEPTED", _("逾期未告知，视为受理")
    NOT_ACCEPTED = "NOT_ACCEPTED", _("不予受理")
    SUPPLEMENT_REQUESTED = "SUPPLEMENT_REQUESTED", _("一次性告知补正材料")
    RETURNED = "RETURNED", _("补正逾期，退件")
    STEP_PASSED = "STEP_PASSED", _("环节办理完毕")
    SENT_BACK = "SENT_BACK", _("退回上一环节")
    SUSPENDED = "SUSPENDED", _("特别程序开始")
    RESUMED = "RESUMED", _("特别程序结束")
    EXTENDED = "EXTENDED", _("延长办理期限")
    APPROVED = "APPROVED", _("准予许可")
    REJECTED = "REJECTED", _("不予许可")
    DELIVERED = "DELIVERED", _("结果送达，办结")
    WITHDRAWN = "WITHDRAWN", _("申请人撤回申请")
    VOIDED = "VOIDED", _("作废")
    CLAIMED = "CLAIMED", _("认领办件")
    ASSIGNED = "ASSIGNED", _("分派办件")
    MATERIAL_CAUGHT_UP = "MATERIAL_CAUGHT_UP", _("容缺材料已补齐")
    CERTIFICATE_ISSUED = "CERTIFICATE_ISSUED", _("电子证照已签发")


class NoticeStatus(models.TextChoices):
    OPEN = "OPEN", _("待补正")
    ANSWERED = "ANSWERED", _("已补正")
    EXPIRED = "EXPIRED", _("已逾期")
    CLOSED = "CLOSED", _("已关闭")


class BundleStatus(models.TextChoices):
    """The applicant's view of a 一件事: the aggregate of its cases."""

    DRAFT = "DRAFT", _("草稿")
    IN_PROGRESS = "IN_PROGRESS", _("办理中")
    COMPLETED = "COMPLETED", _("已全部办结")
