"""The abstract base every business model inherits, and the two small tables core owns: the
working-day overrides that the calendar (`core.calendar`) reads before anything else, and the
idempotency records of the API (`core.idempotency`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedJSONField


class BaseModel(models.Model):
    """Audit-only timestamps. Domain times (`published_at`, `submitted_at` …) are separate fields."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, editable=False)

    class Meta:
        abstract = True


class WorkdayOverride(BaseModel):
    """A day whose status an administrator sets by hand: a statutory holiday (春节) or a 调休 working
    weekend, entered from the State Council's yearly notice (DOMAIN §3.3). It wins over the
    chinese-calendar data and the Monday–Friday fallback."""

    day = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")

    def __str__(self) -> str:
        kind = _("工作日") if self.is_working_day else _("休息日")
        return f"{self.day.isoformat()} {kind}"


class IdempotencyStatus(models.TextChoices):
    IN_PROGRESS = "IN_PROGRESS", _("处理中")
    DONE = "DONE", _("已完成")


class IdempotencyRecord(models.Model):
    """One `Idempotency-Key` a user sent with a state-changing API call, and the answer it got
    (RELIABILITY §2.2). It is written in the same transaction as the call's own changes, so a
    retry after a lost response replays the answer instead of doing the work twice. Purged after
    `IDEMPOTENCY_TTL_HOURS` (`core.idempotency.idempotency_records_purge`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("用户")
    )
    key = models.CharField(_("幂等键"), max_length=64)
    method = models.CharField(_("请求方法"), max_length=8)
    path = models.CharField(_("请求路径"), max_length=255)
    # sha256 of method, path and the canonical body: the same key for another request is refused.
    request_hash = models.CharField(_("请求摘要"), max_length=64)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=IdempotencyStatus.choices,
        default=IdempotencyStatus.IN_PROGRESS,
    )
    response_code = models.PositiveSmallIntegerField(_("响应状态码"), null=True, blank=True)
    # Encrypted: a stored answer can hold the applicant's name, address or a masked number.
    response_body = EncryptedJSONField(_("响应内容"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), db_index=True)

    class Meta:
        verbose_name = _("幂等记录")
        verbose_name_plural = _("幂等记录")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user"),
            models.CheckConstraint(
                condition=models.Q(status__in=IdempotencyStatus.values),
                name="idempotency_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.method} {self.path} ({self.key})"
