"""Supervision (DOMAIN §4.9, §5): 好差评 ratings and the follow-up of bad ones, the yellow and red
cards of 电子监察, and the daily figures the dashboards read."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from matters.models import Department, Matter
from supervision.choices import (
    AlertColor,
    AlertRule,
    EvaluationChannel,
    EvaluationObject,
    FollowupStatus,
    Level,
)


class Evaluation(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("办件")
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("评价人"),
        help_text=_("窗口评价器上未登录的办事人为空。"),
    )
    object_type = models.CharField(
        _("评价对象"),
        max_length=8,
        choices=EvaluationObject.choices,
        default=EvaluationObject.CASE,
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("被评价的窗口人员"),
    )
    channel = models.CharField(
        _("评价渠道"), max_length=8, choices=EvaluationChannel.choices, default="WEB"
    )
    level = models.PositiveSmallIntegerField(_("满意度"), choices=Level.choices)
    tags = models.JSONField(_("评价标签"), default=list, blank=True)
    comment = models.TextField(_("文字评价"), max_length=500, blank=True)
    # Copied from the case, so statistics group on indexed columns of this table alone.
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("部门")
    )
    matter_code = models.CharField(_("实施编码"), max_length=36)
    created_at = models.DateTimeField(_("评价时间"))
    # An appeal a supervisor upheld (恶意差评): kept, but no longer counted.
    voided = models.BooleanField(_("已作废"), default=False)

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        indexes = [
            models.Index(fields=["department", "created_at"], name="evaluation_by_department"),
            models.Index(fields=["created_at"], name="evaluation_by_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "evaluator"],
                condition=Q(object_type="CASE"),
                name="evaluation_once_per_case",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(object_type="WINDOW"),
                name="evaluation_once_per_window_visit",
            ),
            models.CheckConstraint(
                condition=Q(object_type__in=EvaluationObject.values),
                name="evaluation_object_valid",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=5), name="evaluation_level_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=EvaluationChannel.values), name="evaluation_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level >= Level.DISSATISFIED


class Followup(models.Model):
    """The follow-up of one 差评 (DOMAIN §5.3): the department contacts the rater by `contact_due`,
    then fixes and reports, or explains, by `resolve_due`; or appeals a malicious rating."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="followup", verbose_name=_("评价")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任部门")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=FollowupStatus.choices, default=FollowupStatus.OPEN
    )
    opened_at = models.DateTimeField(_("产生时间"))
    contact_due = models.DateTimeField(_("回访期限"))
    resolve_due = models.DateTimeField(_("整改反馈期限"))
    contacted_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_note = models.TextField(_("回访记录"), blank=True)
    resolved_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("整改情况或解释说明"), blank=True)
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appealed_at = models.DateTimeField(_("申诉时间"), null=True, blank=True)
    appeal_decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appeal_note = models.TextField(_("复核意见"), blank=True)
    rater_level = models.PositiveSmallIntegerField(
        _("评价人对整改的满意度"), choices=Level.choices, null=True, blank=True
    )

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        permissions = [
            ("handle_followup", _("可以回访、整改和申诉差评")),
            ("decide_appeal", _("可以复核差评申诉")),
        ]
        indexes = [
            models.Index(fields=["department", "status", "resolve_due"], name="followup_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FollowupStatus.values), name="followup_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"


class Alert(models.Model):
    """A yellow or red card of 电子监察 (DOMAIN §4.9), raised once per case, rule and step by the
    supervision beat job; resolved when its clock stops. The department answers red cards."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("办件")
    )
    rule = models.CharField(_("监察规则"), max_length=16, choices=AlertRule.choices)
    color = models.CharField(_("预警类型"), max_length=8, choices=AlertColor.choices)
    # The review step (0-based) for step rules; -1 for the whole case.
    step_index = models.SmallIntegerField(_("环节序号"), default=-1)
    step_name = models.CharField(_("环节"), max_length=64, blank=True)
    deadline = models.DateTimeField(_("期限"))
    raised_at = models.DateTimeField(_("发出时间"))
    resolved_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任部门")
    )
    matter_code = models.CharField(_("实施编码"), max_length=36)
    response = models.TextField(_("整改说明"), blank=True)
    responded_at = models.DateTimeField(_("说明时间"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("监察预警")
        verbose_name_plural = _("监察预警")
        permissions = [("respond_alert", _("可以答复监察预警"))]
        indexes = [
            models.Index(fields=["department", "raised_at"], name="alert_by_department"),
            models.Index(fields=["raised_at"], name="alert_by_day"),
            models.Index(fields=["rule"], name="alert_open", condition=Q(resolved_at__isnull=True)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "rule", "step_index"], name="alert_once_per_rule"
            ),
            models.CheckConstraint(condition=Q(rule__in=AlertRule.values), name="alert_rule_valid"),
            models.CheckConstraint(
                condition=Q(color__in=AlertColor.values), name="alert_color_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_color_display()} {self.application_id} {self.rule}"


class Counters(models.Model):
    """The day's counts a statistics row carries (their meaning: `supervision.statistics`)."""

    received = models.PositiveIntegerField(_("收件"), default=0)
    received_online = models.PositiveIntegerField(_("网上收件"), default=0)
    accepted = models.PositiveIntegerField(_("受理"), default=0)
    not_accepted = models.PositiveIntegerField(_("不予受理"), default=0)
    decided = models.PositiveIntegerField(_("作出决定"), default=0)
    approved = models.PositiveIntegerField(_("准予"), default=0)
    decided_on_time = models.PositiveIntegerField(_("按承诺时限决定"), default=0)
    actual_days = models.PositiveIntegerField(_("实际用时（工作日）合计"), default=0)
    promised_days = models.PositiveIntegerField(_("承诺时限（工作日）合计"), default=0)
    completed = models.PositiveIntegerField(_("办结"), default=0)
    completed_zero_visit = models.PositiveIntegerField(_("零跑动办结"), default=0)
    yellow_cards = models.PositiveIntegerField(_("黄牌"), default=0)
    red_cards = models.PositiveIntegerField(_("红牌"), default=0)
    ratings = models.PositiveIntegerField(_("评价数"), default=0)
    ratings_good = models.PositiveIntegerField(_("好评数（满意及以上三档）"), default=0)
    ratings_bad = models.PositiveIntegerField(_("差评数"), default=0)
    rating_level_sum = models.PositiveIntegerField(_("满意度代码合计"), default=0)
    refreshed_at = models.DateTimeField(_("统计时间"))

    class Meta:
        abstract = True


class DailyStat(Counters):
    """One day's figures of one matter, written by the statistics beat job from the cases, cards
    and ratings of that day (`supervision.statistics`). Dashboards sum these rows."""

    day = models.DateField(_("日期"))
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("每日统计")
        verbose_name_plural = _("每日统计")
        permissions = [
            ("view_statistics", _("可以查看统计分析")),
            ("view_all_statistics", _("可以查看全部部门的统计")),
            ("export_statistics", _("可以导出统计数据")),
        ]
        indexes = [
            models.Index(fields=["day"], name="dailystat_by_day"),
            models.Index(fields=["department", "day"], name="dailystat_by_department"),
            models.Index(fields=["matter", "day"], name="dailystat_by_matter"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["day", "matter"], name="dailystat_one_per_matter_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.matter_id}"


class DepartmentDailyStat(Counters):
    """The same day's figures summed per department, written with the matter rows: the
    dashboards' lines per day and per department read these, a row per department instead of
    one per matter (the benchmark in docs/performance.md)."""

    day = models.DateField(_("日期"))
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("部门每日统计")
        verbose_name_plural = _("部门每日统计")
        indexes = [
            models.Index(fields=["department", "day"], name="deptstat_by_department"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department"], name="deptstat_one_per_department_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id}"
