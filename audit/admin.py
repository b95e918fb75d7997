"""The audit log in the admin: read-only for everyone, visible to holders of
`audit.view_auditevent` (the 审计管理员 role)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = (
        "seq", "ts", "actor_label", "role", "action", "object_type", "object_id", "result",
        "source_ip", "request_id",
    )  # fmt: skip
    list_filter = ("action", "result")
    search_fields = ("=actor_label", "=object_id", "=request_id", "=source_ip")
    date_hierarchy = "ts"
    ordering = ("-seq",)
    actions = None
    show_full_result_count = False  # no COUNT(*) over the whole log on every page

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
