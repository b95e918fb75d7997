"""Templates are edited here (checked at save by rendering them with sample data); notifications
are read-only, with one action: retry the failed ones."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.identifiers import mask_mobile
from notifications import services
from notifications.choices import Channel, DeliveryStatus, Event
from notifications.models import TEXT_FIELDS, Notification, NotificationTemplate
from notifications.rendering import RENDER_ERRORS, render_text
from notifications.samples import AUTOMATIC, VARIABLES, sample_context


def mask_address(notification: Notification) -> str:
    """138****8000 for a mobile; z***@example.com for an e-mail address."""
    if notification.channel == Channel.EMAIL:
        local, _at, domain = notification.address.partition("@")
        return f"{local[:1]}***@{domain}"
    return mask_mobile(notification.address)


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin[NotificationTemplate]):
    list_display = ("event", "send_inbox", "send_email", "send_sms", "updated_at")
    readonly_fields = ("variables", "preview")
    fieldsets = (
        (None, {"fields": ("event", ("send_inbox", "send_email", "send_sms"), "variables")}),
        (gettext_lazy("中文"), {"fields": ("subject_zh", "body_zh", "sms_zh")}),
        (gettext_lazy("英文"), {"fields": ("subject_en", "body_en", "sms_en")}),
        (gettext_lazy("预览（示例数据）"), {"fields": ("preview",)}),
    )

    def get_readonly_fields(
        self, request: HttpRequest, obj: NotificationTemplate | None = None
    ) -> tuple[str, ...]:
        # The event is the row's identity: choose it once.
        return ("event", *self.readonly_fields) if obj else tuple(self.readonly_fields)

    @admin.display(description=gettext_lazy("可用变量"))
    def variables(self, obj: NotificationTemplate) -> SafeString | str:
        if obj.event not in Event.values:
            return _("保存后显示该事件的可用变量。")
        variables = {**VARIABLES[Event(obj.event)], **AUTOMATIC}
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><code>{{{{ {} }}}}</code>：{}</li>",
                ((name, variable.description) for name, variable in variables.items()),
            ),
        )

    @admin.display(description=gettext_lazy("预览"))
    def preview(self, obj: NotificationTemplate) -> SafeString | str:
        if obj.event not in Event.values:
            return _("保存后显示预览。")
        context = sample_context(obj.event)
        labels = {field.name: field.verbose_name for field in NotificationTemplate._meta.fields}
        rows = []
        for field in TEXT_FIELDS:
            try:
                output = render_text(getattr(obj, field), context)
            except RENDER_ERRORS as exc:
                output = _("模板无法渲染：%(error)s") % {"error": exc}
            rows.append((labels[field], output))
        return format_html(
            "<dl>{}</dl>",
            format_html_join(
                "", '<dt>{}</dt><dd><pre style="white-space: pre-wrap">{}</pre></dd>', rows
            ),
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = (
        "pk",
        "event",
        "channel",
        "status",
        "attempts",
        "created_at",
        "recipient",
        "masked_address",
    )
    list_filter = ("status", "channel", "event")
    list_select_related = ("recipient",)
    search_fields = ("key",)
    # The address and the body are personal data: the admin shows the address masked, no body.
    fields = (
        "event",
        "channel",
        "status",
        "recipient",
        "masked_address",
        "language",
        "subject",
        "link",
        "key",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "read_at",
        "last_error",
        "created_at",
    )
    readonly_fields = fields
    actions = ("retry_failed",)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_notification")

    @admin.display(description=gettext_lazy("地址"))
    def masked_address(self, obj: Notification) -> str:
        return mask_address(obj)

    @admin.action(description=gettext_lazy("重发所选的失败消息"), permissions=["retry"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        done = 0
        for notification_id in queryset.filter(status=DeliveryStatus.FAILED).values_list(
            "pk", flat=True
        ):
            try:
                services.notification_retry(notification_id=notification_id, now=timezone.now())
            except DomainError:
                continue  # sent or queued meanwhile by another retry
            done += 1
        self.message_user(
            request, _("已重新排队 %(count)d 条消息。") % {"count": done}, messages.SUCCESS
        )
