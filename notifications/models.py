"""Notification templates (one per event, edited in the admin) and notifications: one row per
message, written in the transaction of the event that causes it. The row is the outbox (STYLE R9):
workers send QUEUED rows and record the outcome on them; an INBOX row is itself the message."""

from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.crypto import BlindIndexedModel, BlindIndexField, EncryptedCharField, IndexKind
from core.models import BaseModel
from notifications.choices import Channel, DeliveryStatus, Event, Language
from notifications.rendering import TemplateText, template_error
from notifications.samples import sample_context

TEXT_FIELDS = ("subject_zh", "body_zh", "sms_zh", "subject_en", "body_en", "sms_en")
TEMPLATE_HELP = _("使用 Django 模板语言，例如 {{ matter_name }}；可用变量见下方说明。")


class NotificationTemplate(BaseModel):
    """What an event's message says in each language, and the channels it goes out on."""

    event = models.CharField(_("事件"), max_length=32, choices=Event.choices, unique=True)
    send_inbox = models.BooleanField(_("站内消息"), default=True)
    send_email = models.BooleanField(_("电子邮件"), default=True)
    send_sms = models.BooleanField(_("短信"), default=False)
    subject_zh = models.TextField(_("标题（中文）"), help_text=TEMPLATE_HELP)
    body_zh = models.TextField(_("正文（中文）"), help_text=TEMPLATE_HELP)
    sms_zh = models.TextField(
        _("短信（中文）"), blank=True, help_text=_("以【通办】开头，尽量不超过70个字。")
    )
    subject_en = models.TextField(_("标题（英文）"), help_text=TEMPLATE_HELP)
    body_en = models.TextField(_("正文（英文）"), help_text=TEMPLATE_HELP)
    sms_en = models.TextField(_("短信（英文）"), blank=True)

    class Meta:
        verbose_name = _("消息模板")
        verbose_name_plural = _("消息模板")
        constraints = [
            models.CheckConstraint(
                condition=Q(event__in=Event.values), name="notificationtemplate_event_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.get_event_display()}"

    def clean(self) -> None:
        """Render every text with the event's sample context; refuse a text that fails, naming the
        field and the template error, or that uses a variable the event does not provide."""
        if self.event not in Event.values:
            return  # the field's own validation reports it
        context = sample_context(self.event)
        errors: dict[str, str] = {}
        for field in TEXT_FIELDS:
            error = template_error(getattr(self, field), context)
            if error:
                errors[field] = error
        for field in ("sms_zh", "sms_en"):
            if self.send_sms and not getattr(self, field).strip():
                errors.setdefault(field, str(_("发送短信时必须填写短信内容。")))
        if errors:
            raise ValidationError(errors)

    def text(self) -> TemplateText:
        return TemplateText(
            send_inbox=self.send_inbox,
            send_email=self.send_email,
            send_sms=self.send_sms,
            subject_zh=self.subject_zh,
            body_zh=self.body_zh,
            sms_zh=self.sms_zh,
            subject_en=self.subject_en,
            body_en=self.body_en,
            sms_en=self.sms_en,
        )


class NotificationQuerySet(models.QuerySet["Notification"]):
    def inbox(self) -> Self:
        return self.filter(channel=Channel.INBOX)

    def unread(self) -> Self:
        return self.filter(channel=Channel.INBOX, read_at__isnull=True)


# The kind of the address index: its own HMAC domain. Normalised like ID numbers (spaces removed,
# upper case), which suits both a mobile (digits already) and an e-mail address (case-insensitive
# in practice).
ADDRESS_INDEX_KIND: IndexKind = "address"


class Notification(BlindIndexedModel, BaseModel):
    """One message to one recipient on one channel. Subject and body are rendered when the row is
    written, so what is sent, retried or shown later is what was true at the event."""

    event = models.CharField(_("事件"), max_length=32, choices=Event.choices)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text=_("收件人的门户账户；发给没有账户的人的短信或邮件为空。"),
    )
    # The mobile (SMS) or e-mail address (EMAIL) at the time of the event; blank for the inbox.
    # Personal data: encrypted at rest (core.crypto, DOMAIN §9.3). The blind index is what the
    # once-per-address constraint and `notify` compare for messages to people without an account.
    address = EncryptedCharField(_("地址"), max_length=254, blank=True)
    address_index = BlindIndexField(source="address", kind=ADDRESS_INDEX_KIND)
    language = models.CharField(
        _("语言"), max_length=8, choices=Language.choices, default=Language.ZH_HANS
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    link = models.CharField(_("链接"), max_length=200, blank=True, help_text=_("站内路径。"))
    status = models.CharField(
        _("发送状态"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    # The exception's class name only: never the address or the body (personal data).
    last_error = models.CharField(_("最近错误"), max_length=100, blank=True)
    key = models.CharField(
        _("幂等键"), max_length=200, help_text=_("同一事件、渠道和收件人只产生一条消息。")
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        constraints = [
            models.CheckConstraint(
                condition=Q(event__in=Event.values), name="notification_event_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="notification_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="notification_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="notification_language_valid"
            ),
            # The inbox belongs to an account; e-mail and SMS need somewhere to go.
            models.CheckConstraint(
                condition=Q(channel=Channel.INBOX, recipient__isnull=False)
                | (~Q(channel=Channel.INBOX) & ~Q(address="")),
                name="notification_has_destination",
            ),
            # Exactly once per event (key) and channel and recipient.
            models.UniqueConstraint(
                fields=["key", "channel", "recipient"],
                condition=Q(recipient__isnull=False),
                name="notification_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["key", "channel", "address_index"],
                condition=Q(recipient__isnull=True),
                name="notification_once_per_address",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "channel", "-sent_at", "-id"], name="notification_inbox_idx"
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(channel=Channel.INBOX, read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status=DeliveryStatus.QUEUED),
                name="notification_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.event} {self.channel}"

    @property
    def is_unread(self) -> bool:
        return self.channel == Channel.INBOX and self.read_at is None
