"""What the security audit log records (等保 安全审计): event types and outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """One value per kind of security-relevant event (RELIABILITY SEC-LOG-03)."""

    LOGIN = "auth.login", _("登录成功")
    LOGIN_FAILED = "auth.login_failed", _("登录失败")
    LOCKOUT = "auth.lockout", _("账户锁定")
    LOGOUT = "auth.logout", _("退出登录")
    PASSWORD_CHANGE = "auth.password_change", _("修改密码")
    MOBILE_CHANGE = "auth.mobile_change", _("更换手机号码")
    MFA_ENROL = "mfa.enrol", _("绑定双因素认证")
    MFA_REMOVE = "mfa.remove", _("解除双因素认证")
    ACCESS_DENIED = "access.denied", _("拒绝访问")
    BULK_ACCESS_ALERT = "access.bulk_alert", _("批量访问预警")
    CASE_TRANSITION = "case.transition", _("办件状态变更")
    PERSONAL_DATA_REVEAL = "personal_data.reveal", _("查看完整个人信息")
    EXPORT = "data.export", _("数据导出")
    MATERIAL_DOWNLOAD = "file.material_download", _("下载申请材料")
    CERTIFICATE_DOWNLOAD = "file.certificate_download", _("下载电子证照")
    ROLE_CHANGE = "role.change", _("用户角色变更")
    PERMISSION_CHANGE = "permission.change", _("角色权限变更")
    MEMBERSHIP_CHANGE = "membership.change", _("部门人员变更")
    CONFIG_CHANGE = "config.change", _("管理后台配置变更")
    BACKUP = "system.backup", _("备份")
    RESTORE = "system.restore", _("恢复")
    AUDIT_ANCHOR = "audit.anchor", _("审计日志锚定")
    AUDIT_PURGE = "audit.purge", _("审计日志清理")


class AuditResult(models.TextChoices):
    OK = "ok", _("成功")
    DENIED = "denied", _("拒绝")
    FAILED = "failed", _("失败")
