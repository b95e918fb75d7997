from django.db import models
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    CITIZEN = "CITIZEN", _("自然人")
    LEGAL_PERSON = "LEGAL_PERSON", _("法人")
    STAFF = "STAFF", _("工作人员")


class Role(models.TextChoices):
    """Staff roles. Each is a Django group carrying the permissions; the departments a member acts
    for are recorded by the catalogue (`matters.DepartmentMembership`), which owns departments."""

    CATALOGUE_ADMIN = "CATALOGUE_ADMIN", _("事项目录管理员")
    DEPARTMENT_ADMIN = "DEPARTMENT_ADMIN", _("部门管理员")
    WINDOW_CLERK = "WINDOW_CLERK", _("窗口人员")
    REVIEWER = "REVIEWER", _("审查人员")
    APPROVER = "APPROVER", _("审批人员")
    SUPERVISOR = "SUPERVISOR", _("监察人员")
    # 等保 separation of duties: reads the security audit log, and nothing else.
    AUDITOR = "AUDITOR", _("审计管理员")


class MandateKind(models.TextChoices):
    COMPANY_AGENT = "COMPANY_AGENT", _("法人经办人")
    PROXY = "PROXY", _("代办")


class CodePurpose(models.TextChoices):
    SIGN_UP = "SIGN_UP", _("注册验证手机")
    SIGN_IN = "SIGN_IN", _("短信登录")
    RESET_PASSWORD = "RESET_PASSWORD", _("找回密码")
    CHANGE_MOBILE = "CHANGE_MOBILE", _("更换手机号码")


class SecurityChange(models.TextChoices):
    """A change to how an account signs in, which its holder is told of (SEC-AUTH-04)."""

    PASSWORD = "PASSWORD", _("修改密码")
    MOBILE = "MOBILE", _("更换手机号码")
    MFA_ENROL = "MFA_ENROL", _("绑定双因素认证")
    MFA_REMOVE = "MFA_REMOVE", _("解除双因素认证")


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"
