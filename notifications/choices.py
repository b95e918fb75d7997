"""The events that notify someone, the channels a message goes out on, and its delivery status."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What happened. Each event has one editable template (`NotificationTemplate`)."""

    APPLICATION_RECEIVED = "APPLICATION_RECEIVED", _("收到申请")
    SUPPLEMENT_REQUESTED = "SUPPLEMENT_REQUESTED", _("需要补正材料")
    SUPPLEMENT_DUE_SOON = "SUPPLEMENT_DUE_SOON", _("补正期限将至")
    APPLICATION_ACCEPTED = "APPLICATION_ACCEPTED", _("已受理")
    APPLICATION_NOT_ACCEPTED = "APPLICATION_NOT_ACCEPTED", _("不予受理")
    APPLICATION_SUSPENDED = "APPLICATION_SUSPENDED", _("特别程序")
    APPLICATION_EXTENDED = "APPLICATION_EXTENDED", _("延长期限")
    APPLICATION_APPROVED = "APPLICATION_APPROVED", _("准予许可")
    APPLICATION_REJECTED = "APPLICATION_REJECTED", _("不予许可")
    APPLICATION_RETURNED = "APPLICATION_RETURNED", _("退件")
    APPLICATION_COMPLETED = "APPLICATION_COMPLETED", _("办结")
    CERTIFICATE_ISSUED = "CERTIFICATE_ISSUED", _("电子证照已签发")
    CERTIFICATE_EXPIRING = "CERTIFICATE_EXPIRING", _("证照即将到期")
    CERTIFICATE_REVOKED = "CERTIFICATE_REVOKED", _("证照已撤销")
    CASE_ASSIGNED = "CASE_ASSIGNED", _("办件分派给你")
    CASE_DUE_SOON = "CASE_DUE_SOON", _("办件即将超期")
    BUNDLE_SUPPLEMENT_REQUESTED = "BUNDLE_SUPPLEMENT_REQUESTED", _("一件事需要补正材料")
    BUNDLE_COMPLETED = "BUNDLE_COMPLETED", _("一件事已全部办结")
    EVALUATION_INVITE = "EVALUATION_INVITE", _("邀请评价")
    FOLLOWUP_OPENED = "FOLLOWUP_OPENED", _("收到差评，请回访整改")
    FOLLOWUP_REPORTED = "FOLLOWUP_REPORTED", _("差评整改结果反馈")
    FOLLOWUP_DUE = "FOLLOWUP_DUE", _("差评整改期限将至或已过")
    ALERT_RAISED = "ALERT_RAISED", _("电子监察预警")
    # Account security (SEC-AUTH-04): told to the channel the account had before the change.
    PASSWORD_CHANGED = "PASSWORD_CHANGED", _("密码已修改")
    MOBILE_CHANGED = "MOBILE_CHANGED", _("手机号码已更换")
    MFA_ENROLLED = "MFA_ENROLLED", _("已绑定双因素认证")
    MFA_REMOVED = "MFA_REMOVED", _("已解除双因素认证")
    # SEC-DP-06: a member of staff opened unusually many cases; told to the audit administrators.
    BULK_ACCESS_ALERT = "BULK_ACCESS_ALERT", _("批量访问预警")


class Channel(models.TextChoices):
    INBOX = "INBOX", _("站内消息")
    EMAIL = "EMAIL", _("电子邮件")
    SMS = "SMS", _("短信")


class DeliveryStatus(models.TextChoices):
    QUEUED = "QUEUED", _("待发送")
    SENT = "SENT", _("已发送")
    FAILED = "FAILED", _("发送失败")


class Language(models.TextChoices):
    """The languages a message is written in. Values are Django's language codes (settings.LANGUAGES),
    not UPPER_SNAKE, so they can be passed to `translation.override` as they are."""

    ZH_HANS = "zh-hans", _("简体中文")
    EN = "en", _("英文")
