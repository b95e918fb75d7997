"""The security audit log (等保 安全审计): an append-only hash chain of who did what.

Each row's `hash` is SHA-256 over the canonical JSON of its fields and the previous row's hash
(`audit.chain`), so an edited, deleted or re-ordered row breaks the chain that
`manage.py verify_audit_chain` recomputes. On PostgreSQL, triggers refuse UPDATE, DELETE and
TRUNCATE for every role (the purge job alone lifts the DELETE trigger for its own statement).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

import pgtrigger

from audit.choices import AuditAction, AuditResult

HASH_LENGTH = 64  # hex SHA-256


class AuditEvent(models.Model):
    """One security-relevant event. Never PII in `detail`: no ID numbers, mobiles, passwords or
    codes; people are named by `actor_id` and a non-personal `actor_label`."""

    seq = models.BigAutoField(_("序号"), primary_key=True)
    ts = models.DateTimeField(_("时间（UTC）"), db_index=True)
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True)
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    role = models.CharField(_("角色"), max_length=200, blank=True)
    action = models.CharField(_("事件类型"), max_length=64, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    result = models.CharField(_("结果"), max_length=8, choices=AuditResult.choices)
    # Text, not inet: the value hashed is the value stored, byte for byte.
    source_ip = models.CharField(_("来源地址"), max_length=45, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=HASH_LENGTH)
    hash = models.CharField(_("哈希"), max_length=HASH_LENGTH)

    class Meta:
        verbose_name = _("安全审计事件")
        verbose_name_plural = _("安全审计事件")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="auditevent_action_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(result__in=AuditResult.values), name="auditevent_result_valid"
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="protect_updates", operation=pgtrigger.Update),
            pgtrigger.Protect(name="protect_deletes", operation=pgtrigger.Delete),
            pgtrigger.Trigger(
                name="protect_truncate",
                when=pgtrigger.Before,
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                func=(
                    "RAISE EXCEPTION 'pgtrigger: Cannot truncate rows from % table', TG_TABLE_NAME;"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.result}"
